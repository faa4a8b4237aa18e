"""The rollups built inside PostgreSQL (`phucvu rollups rebuild --sql`) equal the Python rebuild, row for row,
on dossiers from `phucvu seed`, from the SQL generator of the 10 M benchmark, and on edge cases written
straight into the table (overlapping and touching pauses, midnight due moments, never-received dossiers)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F

from phucvu.core.exceptions import InvalidInput
from phucvu.core.localtime import LOCAL_TZ as LOCAL
from phucvu.dossiers.models import Dossier, Status
from phucvu.reports.models import COUNTERS, DayRollup, MonthRollup
from phucvu.reports.seeding import (
    build_synthetic_province,
    catalog_procedures,
    ensure_catalog,
    receiving_agencies,
    seed_history,
)
from phucvu.reports.services import rollups_rebuild
from phucvu.reports.sqlrollups import rebuild_sql
from phucvu.reports.sqlseed import generate_dossiers, pick_table

pytestmark = pytest.mark.django_db
postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="Cần PostgreSQL: tổng hợp và sinh hồ sơ bằng SQL chỉ chạy trên PostgreSQL "
                              "(đặt DATABASE_URL=postgres://…)."),
]


def rows() -> tuple[dict, dict]:
    """Every non-zero rollup row with its field (a row whose deltas cancelled out says nothing)."""
    def of(model, period):
        return {(r.agency_id, r.procedure_id, getattr(r, period)): (r.field_id, values)
                for r in model.objects.all() if any(values := tuple(getattr(r, c) for c in COUNTERS))}
    return of(DayRollup, "day"), of(MonthRollup, "month")


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def write_edge_cases(ids: list[int]) -> None:
    """Overwrite a few dossiers with the cases where a day-level rule could slip."""
    d = dt.date(2017, 3, 6)  # a Monday
    midnight = dt.datetime(2017, 3, 10, tzinfo=LOCAL)
    cases = [
        # Two overlapping waits and a third one still open when resolved: merged, then clipped to the end.
        {"received_at": at(d), "due_at": at(d + dt.timedelta(days=30)), "resolved_at": at(d + dt.timedelta(20)),
         "pauses": [[iso(at(d + dt.timedelta(1))), iso(at(d + dt.timedelta(5)))],
                    [iso(at(d + dt.timedelta(3))), iso(at(d + dt.timedelta(8)))],
                    [iso(at(d + dt.timedelta(10))), None]]},
        # Touching waits (one ends the day the next begins) and a wait beginning before receipt.
        {"received_at": at(d, 10), "due_at": at(d + dt.timedelta(12)), "resolved_at": None,
         "pauses": [[iso(at(d, 8)), iso(at(d + dt.timedelta(2)))],
                    [iso(at(d + dt.timedelta(2), 15)), iso(at(d + dt.timedelta(4), 7, 30))]]},
        # A wait after the dossier was resolved counts nowhere; resolved exactly at the due moment: on time.
        {"received_at": at(d), "due_at": at(d + dt.timedelta(2), 16), "resolved_at": at(d + dt.timedelta(2), 16),
         "pauses": [[iso(at(d + dt.timedelta(5))), iso(at(d + dt.timedelta(6)))]]},
        # Due exactly at local midnight, resolved one microsecond later (late) and one before (early).
        {"received_at": at(d), "due_at": midnight, "resolved_at": midnight + dt.timedelta(microseconds=1),
         "pauses": []},
        {"received_at": at(d), "due_at": midnight, "resolved_at": midnight - dt.timedelta(microseconds=1),
         "pauses": []},
        # Due at midnight and still open: within until the day before the midnight.
        {"received_at": at(d), "due_at": midnight, "resolved_at": None, "pauses": [[iso(at(d, 11)), None]]},
        # No appointment: never late; withdrawn the day it was received: open for no day.
        {"received_at": at(d), "due_at": None, "resolved_at": at(d + dt.timedelta(40)), "pauses": []},
        {"received_at": at(d, 8), "due_at": at(d + dt.timedelta(5)), "resolved_at": None,
         "withdrawn_at": at(d, 15), "pauses": [[iso(at(d, 9)), None]]},
        # Refused at reception: counts nowhere, whatever else the row says.
        {"received_at": None, "due_at": at(d + dt.timedelta(5)), "resolved_at": at(d + dt.timedelta(1)),
         "status": Status.REFUSED, "pauses": []},
        # Resolved (bad data) before it was received: closed on the day received.
        {"received_at": at(d + dt.timedelta(3)), "due_at": at(d + dt.timedelta(9)), "resolved_at": at(d),
         "pauses": [[iso(at(d + dt.timedelta(3), 10, 0) + dt.timedelta(microseconds=7)), None]]},
    ]
    for pk, case in zip(ids, cases, strict=False):
        Dossier.objects.filter(pk=pk).update(**{"withdrawn_at": None, "stopped_at": None, **case})


def history() -> tuple[list, list]:
    build_synthetic_province(districts=2, communes_per_district=3, seed=3)
    ensure_catalog(3, count=24)
    return receiving_agencies(3), catalog_procedures(3)


def test_pick_table_spreads_indexes_like_the_weights():
    table = pick_table([1.0, 2.0, 6.0], size=600)  # cumulative weights 1, 1, 4
    assert (table.count(1), table.count(2), table.count(3)) == (100, 100, 400)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="Chỉ kiểm tra lời từ chối trên SQLite.")
def test_sql_rebuild_refuses_sqlite_with_a_reason():
    with pytest.raises(InvalidInput, match="PostgreSQL"):
        rebuild_sql()


class TestOnPostgres:
    pytestmark = postgres_only

    def test_sql_rollups_equal_the_python_rebuild_on_seeded_generated_and_edge_case_dossiers(self):
        agencies, procedures = history()
        seed_history(dossiers=400, seed=3, start=dt.date(2016, 11, 1), end=dt.date(2017, 6, 30))
        first = generate_dossiers(n=4000, seed=3, start=dt.date(2016, 11, 1), end=dt.date(2017, 6, 30),
                                  agencies=agencies, procedures=procedures, batch=1500)
        write_edge_cases(list(range(first, first + 20)))
        assert rollups_rebuild() == 4400
        python_rows = rows()
        assert rebuild_sql() == 4400
        sql_rows = rows()
        assert len(sql_rows[0]) > 1000 and len(sql_rows[1]) > 100
        assert sql_rows == python_rows

    def test_generated_history_is_skewed_seasonal_and_a_few_percent_late(self):
        agencies, procedures = history()
        generate_dossiers(n=6000, seed=5, start=dt.date(2017, 1, 1), end=dt.date(2017, 12, 31),
                          agencies=agencies, procedures=procedures)
        qs = Dossier.objects.all()
        assert qs.count() == 6000
        assert len(set(qs.values_list("code", flat=True))) == 6000
        late = qs.filter(resolved_at__gt=F("due_at")).count()
        assert 0.01 < late / 6000 < 0.06  # ~2 % resolved late plus waits that pushed a resolution past due
        online = qs.filter(channel="online").count()
        assert 0.14 < online / 6000 < 0.22
        paused = qs.exclude(pauses=[]).count()
        assert 0.03 < paused / 6000 < 0.08
        assert qs.filter(status=Status.WITHDRAWN).exists() and qs.filter(status=Status.STOPPED).exists()
        february = qs.filter(received_at__month=2).count()
        march = qs.filter(received_at__month=3).count()
        assert february < march  # the Tết dip
        top = qs.values("procedure_id").order_by().annotate(n=Count("id")).order_by("-n")
        assert top[0]["n"] > 6000 / len(procedures) * 3  # Zipf: the busiest procedure is far above the mean

    def test_rollups_rebuild_sql_command(self, capsys):
        agencies, procedures = history()
        generate_dossiers(n=500, seed=7, start=dt.date(2017, 1, 1), end=dt.date(2017, 3, 31),
                          agencies=agencies, procedures=procedures)
        call_command("rollups", "rebuild", "--sql")
        assert "500" in capsys.readouterr().out
        assert DayRollup.objects.filter(procedure_id=0).exists()

