"""Every list of the app is paginated, searched, and exported as CSV and XLSX with its search applied; bad
parameters answer 400, never 500 (docs/inspections.md §21)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from phucvu.inspections.services import (
    inspection_draft_received,
    inspection_open,
    plan_create,
    recommendation_add,
    rotation_generate,
)
from phucvu.organization.services import agency_create


@pytest.fixture
def world(province, make_staff):
    inspector = make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng")
    owner = make_staff(province["commune"], "specialist", full_name="Nguyễn Thị Chủ Trì")
    made = []
    for n, target in enumerate([province["commune"], province["commune2"]]):
        i = inspection_open(actor=inspector, organizer=province["dept"], target=target,
                            topic=["Kiểm tra niêm yết thủ tục", "Kiểm tra thu phí"][n], kind="scheduled",
                            decision_number=f"{n + 1}/QĐ-SNV", decision_date=dt.date(2026, 3, 2),
                            started_on=dt.date(2026, 3, 3))
        inspection_draft_received(actor=inspector, inspection_id=i.pk, received_on=dt.date(2026, 4, 1))
        recommendation_add(actor=inspector, inspection_id=i.pk, text=["Niêm yết đủ thủ tục", "Hoàn trả phí thu sai"][n],
                           owner=target, owner_person=owner if n == 0 else None, due_on=dt.date(2026, 6, 30))
        made.append(i)
    plan_create(actor=inspector, agency=province["dept"], year=2026)
    agency_create(code="X06699", name="UBND phường Cao Xanh", kind="commune", parent=province["district"])
    rotation_generate(actor=inspector, parent=province["district"], kind="commune", year=2026, rounds=1, seed=2)
    return {"inspector": inspector, "inspections": made}


LISTS = [
    # (url, a search that keeps one row, a word of that row, a word of a row it drops)
    ("/inspections/", "niem yet", "Kiểm tra niêm yết thủ tục", "Kiểm tra thu phí"),
    ("/inspections/recommendations/", "hoan tra", "Hoàn trả phí thu sai", "Niêm yết đủ thủ tục"),
    ("/inspections/plans/", "so noi vu", "Sở Nội vụ", "UBND"),
    ("/inspections/rotations/", "ha long", "UBND thành phố Hạ Long", "Móng Cái"),
]


@pytest.mark.parametrize(("url", "query", "kept", "dropped"), LISTS)
def test_a_list_is_searched_and_exported_with_its_search(client, world, url, query, kept, dropped):
    client.force_login(world["inspector"].user)
    page = client.get(url, {"q": query})
    assert page.status_code == 200
    assert kept in page.content.decode()
    assert 'class="dropdown-item export-csv"' in page.content.decode()
    csv = client.get(url, {"q": query, "format": "csv", "page": "3"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv["Content-Disposition"].startswith("attachment;")
    text = csv.content.decode("utf-8-sig")
    assert kept in text and dropped not in text.split("\n", 1)[1]
    xlsx = client.get(url, {"q": query, "format": "xlsx"})
    assert xlsx.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert len(rows) >= 2 and kept in " ".join(str(v) for v in rows[1])


@pytest.mark.parametrize("url", ["/inspections/", "/inspections/recommendations/", "/inspections/plans/",
                                 "/inspections/relations/", "/inspections/rotations/"])
@pytest.mark.parametrize("bad", [{"format": "pdf"}, {"page": "999999"}, {"page": "-1"}, {"q": "x" * 3000},
                                 {"year": "1800"}, {"state": "nope"}, {"kind": "nope"}])
def test_bad_parameters_never_answer_500(client, world, url, bad):
    client.force_login(world["inspector"].user)
    assert client.get(url, bad).status_code in (200, 400)


def test_in_english_an_inspections_recommendations_are_not_citizens_petitions(client, world):
    """"Kiến nghị" is a citizen's petition on the portal, an inspection's recommendation here."""
    client.force_login(world["inspector"].user)
    i = world["inspections"][0]
    page = client.get(f"/inspections/{i.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Recommendation" in page and "Petition" not in page
    assert "2/QĐ-SNV" in client.get(f"/inspections/{world['inspections'][1].pk}/",
                                    HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1/QĐ-SNV, dated 02/03/2026" in page
    listed = client.get("/inspections/recommendations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Petition" not in listed
    check = inspection_open(actor=world["inspector"], organizer=i.organizer, target=i.target, topic="Công vụ",
                            kind="civil_service", decision_number="9/QĐ-SNV", decision_date=dt.date(2026, 3, 2),
                            started_on=dt.date(2026, 3, 3))
    checklist = client.get(f"/inspections/{check.pk}/checklist/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Checklist" in checklist and "Catalogue" not in checklist
    export = client.get("/inspections/recommendations/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    assert export.content.decode("utf-8-sig").startswith("Recommendation,")
