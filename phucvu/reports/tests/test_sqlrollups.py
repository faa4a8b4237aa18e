"""The rollups built inside PostgreSQL (`phucvu rollups rebuild --sql`) equal the Python rebuild, row for row,
on dossiers from `phucvu seed`, from the SQL generator of the 10 M benchmark, and on edge cases written
straight into the table (overlapping and touching pauses, midnight due moments, never-received dossiers)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from phucvu.core.exceptions import InvalidInput
from phucvu.core.localtime import LOCAL_TZ as LOCAL
from phucvu.dossiers.models import Dossier, Status
from phucvu.reports.models import COUNTERS, CompetentDayRollup, CompetentMonthRollup, DayRollup, MonthRollup
from phucvu.reports.services import rollups_rebuild
from phucvu.reports.sqlrollups import rebuild_sql
from phucvu.synthetic.seeding import (
    build_synthetic_province,
    catalog_procedures,
    ensure_catalog,
    receiving_agencies,
    seed_history,
)
from phucvu.synthetic.sql import generate_dossiers

pytestmark = pytest.mark.django_db
postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="Cần PostgreSQL: tổng hợp và sinh hồ sơ bằng SQL chỉ chạy trên PostgreSQL "
                              "(đặt DATABASE_URL=postgres://…)."),
]


def rows() -> tuple[dict, ...]:
    """Every non-zero rollup row with its field (a row whose deltas cancelled out says nothing)."""
    def of(model, period):
        return {(r.agency_id, r.procedure_id, getattr(r, period)): (r.field_id, values)
                for r in model.objects.all() if any(values := tuple(getattr(r, c) for c in COUNTERS))}
    return (of(DayRollup, "day"), of(MonthRollup, "month"), of(CompetentDayRollup, "day"),
            of(CompetentMonthRollup, "month"))


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

    def test_rollups_rebuild_sql_command(self, capsys):
        agencies, procedures = history()
        generate_dossiers(n=500, seed=7, start=dt.date(2017, 1, 1), end=dt.date(2017, 3, 31),
                          agencies=agencies, procedures=procedures)
        call_command("rollups", "rebuild", "--sql")
        assert "500" in capsys.readouterr().out
        assert DayRollup.objects.filter(procedure_id=0).exists()

