"""Reports at 10 M dossiers on PostgreSQL: the engine (rollups) beside a plain SQL query over the dossier table.

`python -m benchmarks reports_10m` — BENCH_10M_ROWS (default 10 000 000), BENCH_10M_DB (default
postgres://postgres@127.0.0.1:5432/phucvu_bench10m; created when missing). The dossiers are generated inside
PostgreSQL (`synthetic/sql.py`: `INSERT … SELECT … generate_series` in batches of 1 M, the secondary
indexes dropped during the load and rebuilt after, foreign-key triggers off for the load only), the rollups
built by `reports/sqlrollups.py` (`phucvu rollups rebuild --sql`). A database already holding the rows is
reused. The raw side is `bench_reports.raw_report`, the same plain GROUP BY over `dossiers_dossier`.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

DB = os.environ.get("BENCH_10M_DB", "postgres://postgres@127.0.0.1:5432/phucvu_bench10m")


def main() -> None:
    name = DB.rsplit("/", 1)[1]
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"],
                   capture_output=True)
    env = {**os.environ, "DATABASE_URL": DB, "DJANGO_SETTINGS_MODULE": "phucvu.settings.base"}
    rows = int(os.environ.get("BENCH_10M_ROWS", "10000000"))
    subprocess.run([sys.executable, "-c", f"from benchmarks.bench_reports_10m import run; run({rows})"],
                   env=env, check=True)


def _load(rows: int, have: int) -> None:
    from django.db import connection, transaction

    from phucvu.organization.models import Agency
    from phucvu.synthetic.seeding import (
        build_synthetic_province,
        catalog_procedures,
        ensure_catalog,
        receiving_agencies,
    )
    from phucvu.synthetic.sql import generate_dossiers

    if not Agency.objects.exists():
        build_synthetic_province(seed=1)
    ensure_catalog(1)
    agencies, procedures = receiving_agencies(1), catalog_procedures(1)
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT indexdef, indexname FROM pg_indexes WHERE tablename = 'dossiers_dossier' "
                  "AND indexname NOT IN ('dossiers_dossier_pkey', 'dossiers_dossier_code_key')")
        indexes = c.fetchall()
        for _, index in indexes:  # a sorted build after the load beats 10 M random inserts per index
            c.execute(f'DROP INDEX "{index}"')
        c.execute("SET LOCAL maintenance_work_mem = '512MB'")
        generate_dossiers(n=rows - have, seed=1 + have, start=dt.date(2016, 1, 1), end=dt.date(2017, 12, 31),
                          agencies=agencies, procedures=procedures,
                          progress=lambda k: print(f"   … {k:,} rows, {time.perf_counter() - t0:.0f} s", flush=True))
        t1 = time.perf_counter()
        for definition, _ in indexes:
            c.execute(definition)
    print(f"   generated {rows - have:,} dossiers in SQL: {t1 - t0:.0f} s, secondary indexes "
          f"{time.perf_counter() - t1:.0f} s", flush=True)


def run(rows: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.bench_reports import compare_cases
    from phucvu.dossiers.models import Dossier
    from phucvu.reports.sqlrollups import rebuild_sql

    call_command("migrate", verbosity=0)
    have = Dossier.objects.count()
    if have < rows:
        started = time.perf_counter()
        _load(rows, have)
        t = time.perf_counter()
        rebuild_sql()
        print(f"   rollups rebuilt in SQL: {time.perf_counter() - t:.0f} s", flush=True)
        t = time.perf_counter()
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")  # autocommit here: the visibility map lets the raw side scan less
        print(f"   analyze {time.perf_counter() - t:.0f} s; total {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as c:
        c.execute("SELECT pg_size_pretty(pg_database_size(current_database())), "
                  "(SELECT COUNT(*) FROM reports_dayrollup), (SELECT COUNT(*) FROM reports_monthrollup)")
        size, days, months = c.fetchone()
    print(f"   {Dossier.objects.count():,} dossiers, database {size}, {days:,} day rows, {months:,} month rows",
          flush=True)
    compare_cases(connection)
