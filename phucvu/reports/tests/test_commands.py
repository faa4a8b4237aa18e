"""`phucvu report` (the JSON contract and the files), `phucvu rollups rebuild`."""

from __future__ import annotations

import datetime as dt
import io
import json
import random

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from phucvu.dossiers.facts import publish
from phucvu.reports.models import COUNTERS, CompetentDayRollup, CompetentMonthRollup, DayRollup, MonthRollup
from phucvu.reports.services import rollups_rebuild
from phucvu.reports.tests.test_engine_matches_reference import partial
from phucvu.synthetic.history import synthetic_facts
from phucvu.synthetic.seeding import catalog_procedures, ensure_catalog, receiving_agencies

COUNTS = {"received": {"total", "online", "direct", "carried_over"},
          "resolved": {"total", "early", "on_time", "late"},
          "in_progress": {"total", "within", "overdue", "paused"}}


def history(n=400, seed=7):
    ensure_catalog(seed, count=24)
    return list(synthetic_facts(n=n, seed=seed, agencies=receiving_agencies(seed), procedures=catalog_procedures(seed),
                                start=dt.date(2017, 1, 1), end=dt.date(2017, 4, 30)))


def run_report(*args) -> dict:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return json.loads(out.getvalue())


def assert_row_shape(row):
    assert set(row) == {"key", "name", "received", "resolved", "in_progress", "withdrawn", "stopped",
                        "on_time_rate", "progress_rate"}
    for group, keys in COUNTS.items():
        assert set(row[group]) == keys
        assert all(isinstance(v, int) for v in row[group].values())
    assert isinstance(row["withdrawn"], int) and isinstance(row["stopped"], int)
    for rate in ("on_time_rate", "progress_rate"):
        assert row[rate] is None or (isinstance(row[rate], float) and 0 <= row[rate] <= 1)
    assert row["received"]["total"] == sum(row["received"][k] for k in ("online", "direct", "carried_over"))
    assert row["resolved"]["total"] == sum(row["resolved"][k] for k in ("early", "on_time", "late"))
    assert row["in_progress"]["total"] == row["in_progress"]["within"] + row["in_progress"]["overdue"]


@pytest.mark.django_db
def test_report_command_prints_the_json_contract(province):
    publish([(None, f) for f in history()])
    data = run_report("--from", "2017-01-01", "--to", "2017-03-31", "--agency", "H193")
    assert list(data) == ["from", "to", "by", "rows", "total"]
    assert (data["from"], data["to"], data["by"]) == ("2017-01-01", "2017-03-31", "agency")
    assert [r["key"] for r in data["rows"]] == ["H193", "H193-TT", "X06652", "X06652-MC", "X06655"]
    for row in [*data["rows"], data["total"]]:
        assert_row_shape(row)
    assert data["total"]["key"] == "H193"
    assert data["rows"][0]["received"] == data["total"]["received"]  # the root row is its whole subtree
    assert data["total"]["received"]["total"] > 0
    t = data["total"]
    early_on_time = t["resolved"]["early"] + t["resolved"]["on_time"]
    assert t["on_time_rate"] == round(early_on_time / t["resolved"]["total"], 6)
    assert t["progress_rate"] == round((early_on_time + t["in_progress"]["within"])
                                       / (t["resolved"]["total"] + t["in_progress"]["total"]), 6)


@pytest.mark.django_db
def test_report_rates_are_null_where_nothing_was_resolved(province):
    data = run_report("--from", "2017-01-01", "--to", "2017-01-31", "--by", "level")
    assert data["total"]["on_time_rate"] is None and data["total"]["progress_rate"] is None
    assert [r["key"] for r in data["rows"]] == ["province", "district", "commune"]


@pytest.mark.django_db
def test_report_by_field_and_procedure_add_up_to_the_total(province):
    publish([(None, f) for f in history()])
    by_agency = run_report("--from", "2017-02-01", "--to", "2017-04-15")
    for by in ("field", "procedure", "level"):
        data = run_report("--from", "2017-02-01", "--to", "2017-04-15", "--by", by)
        assert data["total"] == {**by_agency["total"], "key": data["total"]["key"]}
        assert sum(r["received"]["total"] for r in data["rows"]) == data["total"]["received"]["total"]


@pytest.mark.django_db
def test_report_writes_csv_xlsx_and_pdf(province, tmp_path):
    publish([(None, f) for f in history(100)])
    for fmt in ("csv", "xlsx", "pdf"):
        call_command("report", "--from", "2017-01-01", "--to", "2017-03-31", "--format", fmt,
                     "--output", str(tmp_path / f"r.{fmt}"))
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith("ma,ten,tiep_nhan_tong")
    sheet = load_workbook(tmp_path / "r.xlsx").active
    assert "06/VPCP/KSTT" in sheet["A1"].value and sheet["B10"].value == "UBND tỉnh Quảng Ninh"
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_rebuilt_rollups_equal_the_incremental_ones(province):
    facts = history(300)
    rnd = random.Random(3)
    # Incremental: each dossier first as received only, then as it ended, in shuffled batches.
    steps = [(None, partial(f)) for f in facts] + [(partial(f), f) for f in facts]
    for i in range(0, len(steps), 37):
        publish(steps[i:i + 37])
    rnd.shuffle(facts)

    incremental = snapshot()
    assert rollups_rebuild(facts=facts) == len(facts)
    assert snapshot() == incremental


def snapshot() -> tuple[dict, ...]:
    """Every non-zero rollup row (a row whose deltas cancelled out says nothing)."""
    def rows(model, period):
        return {(r.agency_id, r.procedure_id, getattr(r, period)): values
                for r in model.objects.all() if any(values := tuple(getattr(r, c) for c in COUNTERS))}
    return (rows(DayRollup, "day"), rows(MonthRollup, "month"), rows(CompetentDayRollup, "day"),
            rows(CompetentMonthRollup, "month"))


@pytest.mark.django_db
def test_report_command_output_can_be_captured_by_call_command(province):
    out = io.StringIO()
    call_command("report", "--from", "2017-01-01", "--to", "2017-01-31", "--by", "level", stdout=out)
    assert json.loads(out.getvalue())["by"] == "level"

