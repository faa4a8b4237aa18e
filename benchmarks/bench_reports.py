"""Reports at 1M / 10M dossiers on SQLite and PostgreSQL, engine (rollups) vs plain SQL over the raw table.

`python -m benchmarks reports` runs each configuration in its own process (its own DATABASE_URL):
BENCH_REPORTS_SIZES (default "1000000"), BENCH_REPORTS_DBS (default "sqlite,postgres"),
BENCH_DATA (default /work/bench-data). Databases are kept between runs: a size already seeded is reused.
The raw table `bench_raw_dossier` holds the same synthetic dossiers the rollups were built from.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_REPORTS_SIZES", "1000000").split(",")]
    dbs = os.environ.get("BENCH_REPORTS_DBS", "sqlite,postgres").split(",")
    data = os.environ.get("BENCH_DATA", "/work/bench-data")
    os.makedirs(data, exist_ok=True)
    for size in sizes:
        for db in dbs:
            name = f"phucvu_reports_bench_{size}"
            url = f"sqlite:///{data}/{name}.sqlite3" if db == "sqlite" else f"{PG}/{name}"
            if db == "postgres":
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"],
                               capture_output=True)
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "phucvu.settings.base"}
            print(f"-- {db}, {size:,} dossiers", flush=True)
            subprocess.run([sys.executable, "-c", f"from benchmarks.bench_reports import run; run({size})"],
                           env=env, check=True)


def _timed(fn, repeat: int = 5) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000, result


def run(size: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from phucvu.organization.models import Agency
    from phucvu.reports.engine import build_report
    from phucvu.reports.models import DayRollup

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    start, end = dt.date(2016, 1, 1), dt.date(2017, 12, 31)
    if not DayRollup.objects.exists():
        _create_raw(connection)
        from phucvu.reports.seeding import seed_history

        t0 = time.perf_counter()
        seed_history(dossiers=size, seed=1, start=start, end=end, sink=lambda batch: _insert_raw(connection, batch))
        print(f"   seed (rollups + raw table): {time.perf_counter() - t0:.0f} s", flush=True)
    if vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    root = Agency.objects.get(parent__isnull=True)
    busiest = _busiest_agency(connection)
    cases = [
        ("province, year 2017, by agency", dt.date(2017, 1, 1), dt.date(2017, 12, 31), root),
        ("one agency, March 2017", dt.date(2017, 3, 1), dt.date(2017, 3, 31), Agency.objects.get(pk=busiest)),
        ("province, 15 Jan–20 Nov 2017 (ragged)", dt.date(2017, 1, 15), dt.date(2017, 11, 20), root),
    ]
    for label, first, last, agency in cases:
        ms, report = _timed(lambda f=first, t=last, a=agency: build_report(f, t, agency=a, by="agency"))
        raw_ms, raw = _timed(lambda f=first, t=last, a=agency: _raw_report(connection, f, t, a), repeat=1)
        total = report.total.figures()
        same = (raw["received"] == total["received"]["online"] + total["received"]["direct"]
                and raw["late"] == total["resolved"]["late"] and raw["open"] == total["in_progress"]["total"]
                and raw["carried"] == total["received"]["carried_over"])
        print(f"   {label}: engine {ms:.1f} ms, raw SQL {raw_ms:.0f} ms, "
              f"{len(report.rows)} rows, figures agree: {same}", flush=True)


def _create_raw(connection) -> None:
    ts = "timestamptz" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as c:
        c.execute(f"""CREATE TABLE IF NOT EXISTS bench_raw_dossier (id bigint PRIMARY KEY, agency_id int, procedure_id int,
            channel varchar(10), received_at {ts}, due_at {ts}, resolved_at {ts}, withdrawn_at {ts},
            stopped_at {ts}, paused_at {ts})""")
        c.execute("CREATE INDEX IF NOT EXISTS bench_raw_agency ON bench_raw_dossier (agency_id, received_at)")


def _insert_raw(connection, batch) -> None:
    def v(t):
        return None if t is None else t.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")

    rows = [(f.dossier_id, f.agency_id, f.procedure_id, f.channel, v(f.received_at), v(f.due_at), v(f.resolved_at),
             v(f.withdrawn_at), v(f.stopped_at), v(f.pauses[0][0]) if f.pauses else None) for f in batch]
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor() as c, c.copy("COPY bench_raw_dossier FROM STDIN") as copy:
            for r in rows:
                copy.write_row([*r[:4], *(None if x is None else x + "+00" for x in r[4:])])
    else:
        with connection.cursor() as c:
            c.executemany("INSERT INTO bench_raw_dossier VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)


def _busiest_agency(connection) -> int:
    with connection.cursor() as c:
        c.execute("SELECT agency_id FROM reports_dayrollup WHERE procedure_id = 0 GROUP BY agency_id "
                  "ORDER BY SUM(received_online + received_direct) DESC LIMIT 1")
        return c.fetchone()[0]


def _raw_report(connection, first: dt.date, last: dt.date, agency) -> dict:
    """The straightforward way: one scan of the raw table per report, grouped by agency."""
    from phucvu.reports.rollups import start_of_day

    b = start_of_day(first).astimezone(dt.UTC)
    e = start_of_day(last + dt.timedelta(days=1)).astimezone(dt.UTC)
    if connection.vendor == "sqlite":
        b, e = (x.replace(tzinfo=None).isoformat(" ") for x in (b, e))
    closed = "(COALESCE(resolved_at < {m}, false) OR COALESCE(withdrawn_at < {m}, false) OR COALESCE(stopped_at < {m}, false))"
    sql = f"""SELECT d.agency_id,
        SUM(CASE WHEN received_at >= %s AND received_at < %s THEN 1 ELSE 0 END),
        SUM(CASE WHEN resolved_at >= %s AND resolved_at < %s AND resolved_at > due_at THEN 1 ELSE 0 END),
        SUM(CASE WHEN received_at < %s AND NOT {closed.format(m='%s')} THEN 1 ELSE 0 END),
        SUM(CASE WHEN received_at < %s AND NOT {closed.format(m='%s')} THEN 1 ELSE 0 END)
      FROM bench_raw_dossier d JOIN organization_agency a ON a.id = d.agency_id
      WHERE a.path LIKE %s AND received_at < %s GROUP BY d.agency_id"""
    params = [b, e, b, e, b, b, b, b, e, e, e, e, agency.path + "%", e]
    out = {"received": 0, "late": 0, "carried": 0, "open": 0}
    with connection.cursor() as c:
        c.execute(sql, params)
        for _, received, late, carried, still_open in c.fetchall():
            out["received"] += received or 0
            out["late"] += late or 0
            out["carried"] += carried or 0
            out["open"] += still_open or 0
    return out
