import pytest
from django.urls import reverse

from phucvu.organization.selectors import scope_overview


def home(client, staff) -> str:
    client.force_login(staff.user)
    return client.get(reverse("home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("agency", "role", "expected"), [
    ("commune_desk", "desk_clerk", "Tiếp nhận hồ sơ mới"),
    ("commune", "specialist", "Xử lý hồ sơ được giao"),
    ("district", "unit_leader", "Điều hành đơn vị"),
    ("dept", "inspector", "Kiến nghị sắp đến hạn"),
    ("dept", "hr_officer", "Danh sách cán bộ theo ngạch"),
    ("province", "system_admin", "Khóa API cho hệ thống kết nối"),
])
def test_home_page_says_what_each_role_does_first(client, province, make_staff, agency, role, expected):
    assert expected in home(client, make_staff(province[agency], role))


@pytest.mark.django_db
def test_home_links_duties_whose_page_exists(client, province, make_staff):
    body = home(client, make_staff(province["dept"], "hr_officer"))
    assert f'href="{reverse("organization:staff_list")}"' in body


@pytest.mark.django_db
def test_home_shows_the_scope_in_numbers(client, province, make_staff):
    leader = make_staff(province["district"], "unit_leader")
    make_staff(province["commune"], "specialist", category="VC")
    body = home(client, leader)
    assert 'data-testid="scope-overview"' in body
    # district Hạ Long: 1 district PC, 2 communes, 1 center + 1 desk, 2 staff (CC 1 · VC 1)
    assert "CC 1 · VC 1" in body


@pytest.mark.django_db
def test_scope_overview_counts_only_visible_units(province, make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    overview = scope_overview(clerk.user)
    assert (overview["districts"], overview["communes"], overview["desks"], overview["staff"]) == (0, 1, 1, 1)
