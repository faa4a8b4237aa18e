"""The inspector's page of what needs looking at now, and its counts on the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from phucvu.inspections.selectors import watchlist
from phucvu.inspections.services import (
    inspection_draft_received,
    inspection_open,
    plan_approve,
    plan_create,
    plan_item_add,
    recommendation_add,
)
from phucvu.inspections.tests.helpers import sign

pytestmark = pytest.mark.django_db


def test_the_page_lists_what_is_due_late_or_overdue(client, province, make_staff):
    today = timezone.localdate()
    inspector = make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng")
    head = make_staff(province["dept"], "unit_leader")
    plan = plan_create(actor=inspector, agency=province["dept"], year=today.year)
    plan_item_add(actor=inspector, plan_id=plan.pk, topic="Kiểm tra công vụ đến hạn", target=province["commune"],
                  month=today.month)
    plan_item_add(actor=inspector, plan_id=plan.pk, topic="Chưa đến hạn", target=province["commune2"],
                  month=12 if today.month < 12 else None, quarter=None if today.month < 12 else 4)
    plan_approve(actor=head, plan_id=plan.pk, approved_on=dt.date(today.year, 1, 2), decision_number="1/QĐ")
    start = today - dt.timedelta(days=60)
    late = inspection_open(actor=inspector, organizer=province["dept"], target=province["commune2"],
                           topic="Trễ kết luận", kind="scheduled", decision_number="2/QĐ", started_on=start)
    inspection_draft_received(actor=inspector, inspection_id=late.pk, received_on=start + dt.timedelta(days=5))
    done = inspection_open(actor=inspector, organizer=province["dept"], target=province["commune3"],
                           topic="Đã kết luận", kind="scheduled", decision_number="3/QĐ", started_on=start)
    sign(actor=inspector, inspection_id=done.pk, ended_on=start + dt.timedelta(days=2),
                        conclusion="Xong")
    recommendation_add(actor=inspector, inspection_id=done.pk, text="Khắc phục ngay", owner=province["commune3"],
                       due_on=start + dt.timedelta(days=20))
    data = watchlist(user=inspector.user, actor=inspector, today=today)
    expected_items = 1 if today.month < 12 else 2
    assert data["counts"] == {"due_items": expected_items, "late_conclusions": 1, "late_directives": 1,
                              "overdue": 1, "at_risk": 0}
    assert "Kiểm tra công vụ đến hạn" in [it.topic for it in data["due_items"]]
    client.force_login(inspector.user)
    page = client.get(reverse("inspections:watch")).content.decode()
    assert late.code in page and "Khắc phục ngay" in page and done.code in page
    home = client.get("/home/").content.decode()
    assert 'id="inspection-watch"' in home
    outsider = make_staff(province["commune"], "unit_leader")
    assert watchlist(user=outsider.user, actor=outsider, today=today)["counts"]["late_conclusions"] == 0


def test_the_counts_are_of_everything_not_of_the_rows_shown(province, make_staff):
    """The home page asks for one row of each list (limit=1); its counts must still be the whole number."""
    today = timezone.localdate()
    inspector = make_staff(province["dept"], "inspector")
    start = today - dt.timedelta(days=90)
    for n, target in enumerate([province["commune"], province["commune2"], province["commune3"]]):
        late = inspection_open(actor=inspector, organizer=province["dept"], target=target, topic=f"Trễ {n}",
                               kind="scheduled", decision_number=f"{n}/QĐ", started_on=start)
        inspection_draft_received(actor=inspector, inspection_id=late.pk, received_on=start + dt.timedelta(days=1))
        done = inspection_open(actor=inspector, organizer=province["dept"], target=target, topic=f"Xong {n}",
                               kind="scheduled", decision_number=f"{n}b/QĐ", started_on=start)
        sign(actor=inspector, inspection_id=done.pk, ended_on=start + dt.timedelta(days=2))
    data = watchlist(user=inspector.user, actor=inspector, today=today, limit=1)
    assert len(data["late_conclusions"]) == 1 and len(data["late_directives"]) == 1
    assert data["counts"]["late_conclusions"] == 3 and data["counts"]["late_directives"] == 3
