"""`phucvu inspections counts` and the counts page: per organising or inspected agency, per kind."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from phucvu.inspections.services import inspection_open


@pytest.fixture
def inspections(province, make_staff):
    head = make_staff(province["dept"], "inspector")
    district_head = make_staff(province["district"], "inspector")
    made = []
    for n, (organizer, target, kind, day, who) in enumerate([
        ("dept", "commune", "scheduled", dt.date(2017, 1, 5), head),
        ("dept", "commune2", "surprise", dt.date(2017, 2, 5), head),
        ("dept", "commune3", "civil_service", dt.date(2017, 6, 30), head),
        ("dept", "commune", "scheduled", dt.date(2017, 7, 1), head),  # outside the half-year
        ("district", "commune", "cross", dt.date(2017, 3, 1), district_head),
    ], start=1):
        made.append(inspection_open(actor=None, code=f"TTr-{n}", organizer=province[organizer],
                                    target=province[target], topic="Kiểm tra", kind=kind,
                                    decision_number=f"{n}/QĐ", started_on=day, head=who))
    return made


def _run(*args) -> str:
    out = io.StringIO()
    call_command("inspections", "counts", *args, stdout=out)
    return out.getvalue()


def test_counts_per_organizer_with_kinds_in_the_period(inspections):
    table = json.loads(_run("--from", "2017-01-01", "--to", "2017-06-30", "--by", "organizer", "--format", "json"))
    assert table["total"] == 4
    rows = {r["agency"]: r for r in table["rows"]}
    assert rows["SNV"]["count"] == 3 and rows["SNV"]["name"] == "Sở Nội vụ"
    assert rows["SNV"]["by_kind"] == {"scheduled": 1, "surprise": 1, "cross": 0, "civil_service": 1}
    assert rows["H193"]["by_kind"]["cross"] == 1
    assert [r["agency"] for r in table["rows"]] == ["SNV", "H193"]  # most first


def test_counts_per_inspected_agency_and_one_kind(inspections):
    table = json.loads(_run("--from", "2017-01-01", "--to", "2017-12-31", "--by", "inspected"))
    assert {r["agency"]: r["count"] for r in table["rows"]} == {"X06652": 3, "X06655": 1, "X06700": 1}
    only = json.loads(_run("--from", "2017-01-01", "--to", "2017-12-31", "--kind", "scheduled"))
    assert only["total"] == 2 and only["rows"][0]["by_kind"]["surprise"] == 0


def test_csv_and_xlsx_carry_the_same_rows(inspections, tmp_path):
    text = _run("--from", "2017-01-01", "--to", "2017-06-30", "--format", "csv")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "agency,name,count,scheduled,surprise,cross,civil_service"
    assert lines[1] == "SNV,Sở Nội vụ,3,1,1,0,1"
    target = tmp_path / "counts.xlsx"
    _run("--from", "2017-01-01", "--to", "2017-06-30", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=6)]
    assert rows[0] == ["agency", "name", "count", "scheduled", "surprise", "cross", "civil_service"]
    assert rows[1] == ["SNV", "Sở Nội vụ", 3, 1, 1, 0, 1]
    assert rows[2][:3] == ["H193", "UBND thành phố Hạ Long", 1]


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2017-13-01", "--to", "2017-06-30"], "Ngày --from không hợp lệ"),
    (["--from", "2017-07-01", "--to", "2017-06-30"], "sau ngày kết thúc"),
    (["--from", "2017-01-01", "--to", "2017-06-30", "--by", "team"], "Cách đếm “team” không hợp lệ"),
    (["--from", "2017-01-01", "--to", "2017-06-30", "--kind", "random"], "Hình thức “random” không hợp lệ"),
    (["--from", "2017-01-01", "--to", "2017-06-30", "--format", "pdf"], "Định dạng “pdf” không hợp lệ"),
])
def test_bad_options_are_refused_in_vietnamese(db, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_unknown_action_is_refused(db):
    with pytest.raises(CommandError, match="Không có lệnh"):
        call_command("inspections", "plans", "--from", "2017-01-01", "--to", "2017-01-02", stdout=io.StringIO())


def test_counts_page_is_scoped_and_exports_xlsx(inspections, province, make_staff, client):
    other = make_staff(province["district2"], "unit_leader")
    client.force_login(other.user)
    page = client.get(reverse("inspections:counts"), {"from": "2017-01-01", "to": "2017-06-30"})
    assert page.status_code == 200
    # Móng Cái's leader sees only the inspection of its own commune (Ka Long).
    assert page.context["table"]["total"] == 1
    inspector = make_staff(province["dept"], "inspector")
    client.force_login(inspector.user)
    page = client.get(reverse("inspections:counts"), {"from": "2017-01-01", "to": "2017-06-30"})
    assert page.context["table"]["total"] == 4 and "Sở Nội vụ" in page.content.decode()
    xlsx = client.get(reverse("inspections:counts"), {"from": "2017-01-01", "to": "2017-06-30", "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.get(reverse("inspections:counts"), {"from": "30/06/2017"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()
