"""Reports at 1M / 10M dossiers on SQLite and PostgreSQL: the engine (rollups) beside a plain SQL query
over the real dossier table (`dossiers_dossier`), in the same run, on the same data.

`python -m benchmarks reports` runs each configuration in its own process (its own DATABASE_URL):
BENCH_REPORTS_SIZES (default "1000000"), BENCH_REPORTS_DBS (default "sqlite,postgres"),
BENCH_DATA (default /work/bench-data). The data is `phucvu seed`'s: real Dossier rows, one event each,
rollups written in the same transaction. A database already seeded to the size is reused.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
FIGURES = ("online", "direct", "carried_over", "early", "on_time", "late", "in_progress", "within", "withdrawn",
           "stopped")


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_REPORTS_SIZES", "1000000").split(",")]
    dbs = os.environ.get("BENCH_REPORTS_DBS", "sqlite,postgres").split(",")
    data = os.environ.get("BENCH_DATA", "/work/bench-data")
    os.makedirs(data, exist_ok=True)
    for size in sizes:
        for db in dbs:
            name = f"phucvu_rollupsx_bench_{size}"
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

    from phucvu.dossiers.models import Dossier
    from phucvu.synthetic.seeding import seed_history

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:  # a bulk load: durability is not the point here
            c.execute("PRAGMA synchronous=OFF")
            c.execute("PRAGMA cache_size=-1000000")
    have = Dossier.objects.count()
    if have < size:
        t0 = time.perf_counter()
        seed_history(dossiers=size - have, seed=1 + have, start=dt.date(2016, 1, 1), end=dt.date(2017, 12, 31))
        print(f"   seed {size - have:,} dossiers (rows, events, rollups): {time.perf_counter() - t0:.0f} s",
              flush=True)
        with connection.cursor() as c:
            c.execute("ANALYZE")
    compare_cases(connection)


def compare_cases(connection) -> None:
    """The three reports, engine (best of 5) beside the raw SQL (one run), and whether their figures agree."""
    from phucvu.organization.models import Agency
    from phucvu.reports.engine import build_report

    root = Agency.objects.get(parent__isnull=True)
    busiest = _busiest_agency(connection)
    cases = [
        ("province, year 2017, by agency", dt.date(2017, 1, 1), dt.date(2017, 12, 31), root),
        ("busiest agency, March 2017", dt.date(2017, 3, 1), dt.date(2017, 3, 31), Agency.objects.get(pk=busiest)),
        ("province, 15 Jan–20 Nov 2017 (ragged)", dt.date(2017, 1, 15), dt.date(2017, 11, 20), root),
    ]
    for label, first, last, agency in cases:
        ms, report = _timed(lambda f=first, t=last, a=agency: build_report(f, t, agency=a, by="agency"))
        raw_ms, raw = _timed(lambda f=first, t=last, a=agency: raw_report(connection, f, t, a), repeat=1)
        total = report.total.figures()
        engine = {"online": total["received"]["online"], "direct": total["received"]["direct"],
                  "carried_over": total["received"]["carried_over"], **{
                      k: total["resolved"][k] for k in ("early", "on_time", "late")},
                  "in_progress": total["in_progress"]["total"], "within": total["in_progress"]["within"],
                  "withdrawn": total["withdrawn"], "stopped": total["stopped"]}
        differ = [k for k in FIGURES if engine[k] != raw[k]]
        print(f"   {label}: engine {ms:.1f} ms (best of 5), raw SQL {raw_ms:.0f} ms, {len(report.rows)} rows, "
              f"received {engine['online'] + engine['direct']:,}, "
              f"figures agree: {'yes' if not differ else 'NO ' + ', '.join(differ)}", flush=True)


def _busiest_agency(connection) -> int:
    with connection.cursor() as c:
        c.execute("SELECT agency_id FROM reports_monthrollup WHERE procedure_id = 0 GROUP BY agency_id "
                  "ORDER BY SUM(received_online + received_direct) DESC LIMIT 1")
        return c.fetchone()[0]


def raw_report(connection, first: dt.date, last: dt.date, agency) -> dict:
    """The straightforward way: docs/domain.md §11 as one scan of the dossier table, grouped by agency."""
    from phucvu.core.localtime import TIME_ZONE, start_of_day

    b = start_of_day(first).astimezone(dt.UTC)
    e = start_of_day(last + dt.timedelta(days=1)).astimezone(dt.UTC)
    if connection.vendor == "sqlite":
        b, e = (str(x.replace(tzinfo=None)) for x in (b, e))
        day = "date({}, '+7 hours')"  # Viet Nam has kept UTC+7 without daylight saving since 1975
        false = "0"
    else:
        day = "({} AT TIME ZONE '" + TIME_ZONE + "')::date"
        false = "false"
    closed = (f"(COALESCE(resolved_at < {{m}}, {false}) OR COALESCE(withdrawn_at < {{m}}, {false}) "
              f"OR COALESCE(stopped_at < {{m}}, {false}))")
    resolved = "resolved_at >= %(b)s AND resolved_at < %(e)s"
    sql = f"""SELECT d.agency_id,
        SUM(CASE WHEN received_at >= %(b)s AND channel = 'online' THEN 1 ELSE 0 END),
        SUM(CASE WHEN received_at >= %(b)s AND channel <> 'online' THEN 1 ELSE 0 END),
        SUM(CASE WHEN received_at < %(b)s AND NOT {closed.format(m='%(b)s')} THEN 1 ELSE 0 END),
        SUM(CASE WHEN {resolved} AND resolved_at <= due_at AND {day.format('resolved_at')} < {day.format('due_at')}
            THEN 1 ELSE 0 END),
        SUM(CASE WHEN {resolved} AND resolved_at <= due_at AND {day.format('resolved_at')} >= {day.format('due_at')}
            THEN 1 ELSE 0 END),
        SUM(CASE WHEN {resolved} AND resolved_at > due_at THEN 1 ELSE 0 END),
        SUM(CASE WHEN NOT {closed.format(m='%(e)s')} THEN 1 ELSE 0 END),
        SUM(CASE WHEN NOT {closed.format(m='%(e)s')} AND due_at > %(e)s THEN 1 ELSE 0 END),
        SUM(CASE WHEN withdrawn_at >= %(b)s AND withdrawn_at < %(e)s THEN 1 ELSE 0 END),
        SUM(CASE WHEN stopped_at >= %(b)s AND stopped_at < %(e)s THEN 1 ELSE 0 END)
      FROM dossiers_dossier d JOIN organization_agency a ON a.id = d.agency_id
      WHERE a.path LIKE %(path)s AND received_at < %(e)s GROUP BY d.agency_id"""
    out = dict.fromkeys(FIGURES, 0)
    with connection.cursor() as c:
        c.execute(sql, {"b": b, "e": e, "path": agency.path + "%"})
        for _, *values in c.fetchall():
            for name, value in zip(FIGURES, values):
                out[name] += value or 0
    return out
