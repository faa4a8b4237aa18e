"""The calendar page and its admin form."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from phucvu.workcalendar.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_calendar_page_shows_the_year_with_make_up_days_and_differences(client, province, make_staff):
    staff = make_staff(province["commune"], "desk_clerk")
    client.force_login(staff.user)
    response = client.get(reverse("workcalendar:year"), {"year": 2025})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2025-04-26" data-kind="workday"' in html
    assert 'data-date="2025-01-29" data-kind="holiday"' in html
    assert 'data-date="2025-05-02" data-kind="day_off"' in html
    assert "Khác với năm 2024" in html
    assert "07:00 – 11:30" in html
    assert "Thêm hoặc sửa một ngày" not in html  # a clerk cannot edit


def test_calendar_page_search_finds_rows_without_accents(client, province, make_staff):
    client.force_login(make_staff(province["commune"], "desk_clerk").user)
    response = client.get(reverse("workcalendar:year"), {"year": 2025, "q": "quoc khanh"},
                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Quốc khánh" in html and "Tết Dương lịch" not in html


def test_calendar_search_by_htmx_renders_only_the_rows_with_the_edit_buttons(client, province, make_staff):
    client.force_login(make_staff(province["province"], "system_admin").user)
    response = client.get(reverse("workcalendar:year"), {"year": 2025, "q": "quoc khanh"},
                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Quốc khánh" in html and "Bỏ áp dụng" in html  # an admin may deactivate a row
    assert "data-date=" not in html and "Khác với năm" not in html  # no grid, no differences


def test_a_clerk_cannot_add_a_day(client, province, make_staff):
    client.force_login(make_staff(province["commune"], "desk_clerk").user)
    client.post(reverse("workcalendar:day_add"), {"day": "2025-03-03", "kind": "day_off", "name": "X"})
    assert not CalendarDay.objects.filter(day=date(2025, 3, 3)).exists()


def test_an_admin_adds_a_day_from_the_page(client, province, make_staff):
    client.force_login(make_staff(province["province"], "system_admin").user)
    response = client.post(reverse("workcalendar:day_add"),
                           {"day": "2025-03-03", "kind": "day_off", "name": "Nghỉ bão", "year": "2025"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(day=date(2025, 3, 3), jurisdiction__isnull=True).name == "Nghỉ bão"


def test_another_agencys_calendar_is_not_shown_to_a_commune_clerk(client, province, make_staff):
    client.force_login(make_staff(province["commune"], "desk_clerk").user)
    response = client.get(reverse("workcalendar:year"), {"agency": province["district2"].pk})
    assert response.status_code == 302
