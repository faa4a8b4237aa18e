import pytest
from django.urls import reverse

from phucvu.organization.models import Agency


@pytest.fixture
def admin_user(province, make_staff):
    return make_staff(province["province"], "system_admin", full_name="Đỗ Mạnh Cường")


@pytest.mark.django_db
def test_staff_list_is_scoped_and_searchable_without_accents(client, province, make_staff):
    leader = make_staff(province["district"], "unit_leader", full_name="Phạm Quốc Hùng")
    make_staff(province["commune"], "specialist", full_name="Nguyễn Văn Ánh", category="VC")
    make_staff(province["commune3"], "specialist", full_name="Nguyễn Văn Xa")  # another district
    client.force_login(leader.user)
    body = client.get(reverse("organization:staff_list")).content.decode()
    assert "Nguyễn Văn Ánh" in body and "Phạm Quốc Hùng" in body and "Nguyễn Văn Xa" not in body

    def rows(**params) -> str:  # the htmx partial: the table only, not the signed-in name in the menu
        return client.get(reverse("organization:staff_list"), params, HTTP_HX_REQUEST="true").content.decode()

    found = rows(q="nguyen van anh")
    assert "Nguyễn Văn Ánh" in found and "Phạm Quốc Hùng" not in found
    by_category = rows(category="VC")
    assert "Nguyễn Văn Ánh" in by_category and "Phạm Quốc Hùng" not in by_category
    by_role = rows(role="unit_leader")
    assert "Phạm Quốc Hùng" in by_role and "Nguyễn Văn Ánh" not in by_role


@pytest.mark.django_db
def test_staff_list_is_paginated_and_htmx_gets_only_rows(client, province, make_staff):
    leader = make_staff(province["district"], "unit_leader")
    for _ in range(30):
        make_staff(province["commune"], "specialist")
    client.force_login(leader.user)
    first = client.get(reverse("organization:staff_list")).content.decode()
    assert "Trang 1/2" in first
    rows = client.get(reverse("organization:staff_list"), {"page": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in rows and "Trang 2/2" in rows


@pytest.mark.django_db
def test_staff_list_does_not_query_per_row(client, province, make_staff, django_assert_max_num_queries):
    leader = make_staff(province["district"], "unit_leader")
    for _ in range(20):
        make_staff(province["commune"], "specialist")
    client.force_login(leader.user)
    with django_assert_max_num_queries(12):
        client.get(reverse("organization:staff_list"))


@pytest.mark.django_db
def test_agency_detail_outside_scope_is_not_found(client, province, make_staff):
    clerk = make_staff(province["commune_desk"])
    client.force_login(clerk.user)
    assert client.get(reverse("organization:agency_detail", args=[province["commune"].pk])).status_code == 200
    assert client.get(reverse("organization:agency_detail", args=[province["commune3"].pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/organization/agency/", "/admin/organization/agency/?q=ha+long",
                                 "/admin/organization/agency/?active=0", "/admin/organization/staff/?q=cuong",
                                 "/admin/organization/succession/", "/admin/organization/apitoken/",
                                 "/admin/organization/loginfailure/"])
def test_admin_pages_open(client, admin_user, url):
    client.force_login(admin_user.user)
    response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_search_ignores_accents(client, admin_user):
    client.force_login(admin_user.user)
    body = client.get("/admin/organization/agency/", {"q": "ha long"}).content.decode()
    assert "UBND thành phố Hạ Long" in body and "Móng Cái" not in body


@pytest.mark.django_db
def test_admin_agency_change_page_and_autocomplete(client, admin_user, province):
    client.force_login(admin_user.user)
    assert client.get(f"/admin/organization/agency/{province['commune'].pk}/change/").status_code == 200
    found = client.get("/admin/autocomplete/", {"app_label": "organization", "model_name": "staff",
                                                "field_name": "agency", "term": "hong gai"}).json()
    assert any("Hồng Gai" in r["text"] for r in found["results"])


@pytest.mark.django_db
def test_admin_moving_an_agency_moves_its_subtree(client, admin_user, province):
    client.force_login(admin_user.user)
    commune = province["commune"]
    response = client.post(f"/admin/organization/agency/{commune.pk}/change/", {
        "code": commune.code, "name": commune.name, "kind": "commune", "parent": province["district2"].pk,
        "electronic_id": "", "unit_code": "", "address": "", "valid_from": "", "valid_to": "",
        **{f"{prefix}-{k}": v for prefix in ["successions_in", "successions_out", "staff"]
           for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()},
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Agency.objects.get(code="X06652-MC").path.startswith(province["district2"].path)
