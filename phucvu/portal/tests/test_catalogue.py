"""The public catalogue pages: no login, every procedure, the facts a citizen needs, where to file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from phucvu.catalog.services import field_ensure, procedure_create
from phucvu.organization.services import agency_create
from phucvu.portal import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth(db):
    return procedure_create(
        code="1.001193", name="Đăng ký khai sinh", field=field_ensure(name="Hộ tịch"), levels=["commune"],
        amount=1, time_unit="same_day", papers=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"], online_level="partial",
        paper_specs=[{"name": "Tờ khai đăng ký khai sinh", "copies": 1, "kind": "original",
                      "form": "Tờ khai đăng ký khai sinh (mẫu)"},
                     {"name": "Giấy chứng sinh", "copies": 1, "kind": "certified_copy"}],
        fee_note="Miễn lệ phí khi đăng ký đúng hạn", conditions="Trong 60 ngày kể từ ngày sinh",
        applicants="Cha, mẹ hoặc người thân thích", result_delivery="Trực tiếp tại Bộ phận Một cửa",
        legal_basis="Luật Hộ tịch năm 2014")


@pytest.fixture
def desks(province):
    return {"commune2_desk": agency_create(code="X06655-MC", name="Bộ phận Một cửa phường Bạch Đằng", kind="desk",
                                           parent=province["commune2"]),
            "commune3_desk": agency_create(code="X06700-MC", name="Bộ phận Một cửa phường Ka Long", kind="desk",
                                           parent=province["commune3"])}


def test_catalogue_needs_no_login_and_lists_every_procedure(client, birth):
    procedure_create(code="2.000815", name="Chứng thực bản sao từ bản chính", field=field_ensure(name="Chứng thực"),
                     levels=["commune"], amount=1, online_level="none")
    page = client.get(reverse("portal:catalogue"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đăng ký khai sinh" in text and "Chứng thực bản sao từ bản chính" in text


def test_catalogue_search_is_ranked_and_live(client, birth):
    procedure_create(code="1.004859", name="Đăng ký lại khai sinh", field=birth.field, levels=["commune"], amount=5)
    rows = client.get(reverse("portal:catalogue"), {"q": "làm giấy khai sinh"}, HTTP_HX_REQUEST="true")
    names = [p.name for p in rows.context["page"]]
    assert names == ["Đăng ký khai sinh", "Đăng ký lại khai sinh"]
    assert "<html" not in rows.content.decode()  # the rows only, for htmx


def test_procedure_page_shows_papers_fee_conditions_and_where_to_file(client, province, birth, desks):
    text = client.get(reverse("portal:catalogue_detail", args=[birth.pk])).content.decode()
    for fact in ("Bản chính", "Bản sao có chứng thực", "Tải mẫu", "Miễn lệ phí khi đăng ký đúng hạn",
                 "Trong 60 ngày kể từ ngày sinh", "Cha, mẹ hoặc người thân thích", "Trực tiếp tại Bộ phận Một cửa",
                 "Luật Hộ tịch năm 2014", "Bộ phận Một cửa phường Bạch Đằng", "UBND thành phố Móng Cái",
                 'id="submit-online"'):
        assert fact in text, fact
    form = client.get(reverse("portal:catalogue_form", args=[birth.pk, 0]))
    assert form.status_code == 200 and form.content.startswith(b"%PDF")
    assert client.get(reverse("portal:catalogue_form", args=[birth.pk, 1])).status_code == 404  # no form


def test_places_are_grouped_by_district_and_the_nearest_come_first(province, birth, desks):
    groups = selectors.filing_places(birth, near=province["commune3"].pk)
    assert groups[0].label == "UBND thành phố Móng Cái"
    assert groups[0].places[0].agency == desks["commune3_desk"]
    groups = selectors.filing_places(birth, near=province["commune2"].pk)
    first = groups[0].places
    assert groups[0].label == "UBND thành phố Hạ Long"
    assert [p.agency for p in first][:2] == [desks["commune2_desk"], province["commune_desk"]]
    assert first[0].commune == "UBND phường Bạch Đằng"


def test_places_search_is_accent_insensitive(client, province, birth, desks):
    groups = selectors.filing_places(birth, query="ka long")
    assert [p.agency for g in groups for p in g.places] == [desks["commune3_desk"]]
    rows = client.get(reverse("portal:catalogue_detail", args=[birth.pk]), {"place_q": "bach dang"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert "Bạch Đằng" in rows and "Ka Long" not in rows and 'id="places-list"' in rows


def test_unknown_procedure_is_a_404(client):
    assert client.get(reverse("portal:catalogue_detail", args=[999])).status_code == 404
