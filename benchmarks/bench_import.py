"""Bulk import of dossier history: rows per second through `import_dossiers` (target ≥ 20,000/s on PostgreSQL).

Runs against a throw-away test database made from DATABASE_URL (PostgreSQL for the real figure; without it,
SQLite):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phucvu BENCH_IMPORT_ROWS=200000 python -m benchmarks import
BENCH_IMPORT_ROWS sets the number of rows (default 100,000). Half the rows have no code and no due
moment, so code generation and the legal clock are part of the measure; about 7 % are still in progress
and get their workflow steps. "Full import" is end to end: reading, validation, codes, dossiers, steps,
events and the reports' rollups, committed. The machine's load average is printed beside the figures:
on a shared 2-core machine it moves them by a factor of two.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path

from phucvu.workcalendar.clock import VN_TZ


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phucvu.settings.base")
    import django

    django.setup()


def _write_file(path: Path, rows: int, agencies: list[str], procedures: list[str]) -> None:
    rng = random.Random(2017)
    start = dt.datetime(2017, 1, 3, 7, 0, tzinfo=VN_TZ)  # the file states its offset, as an export would
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["code", "agency", "procedure", "channel", "applicant_name", "applicant_id", "received_at",
                      "due_at", "resolved_at", "result", "returned_at", "withdrawn_at", "stopped_at"])
        for i in range(rows):
            received = start + dt.timedelta(minutes=rng.randrange(0, 200 * 24 * 60))
            explicit = i % 2 == 0
            due = received + dt.timedelta(days=7) if explicit else None
            fate = rng.random()
            resolved = received + dt.timedelta(hours=rng.randrange(2, 300)) if fate < 0.9 else None
            returned = resolved + dt.timedelta(hours=2) if resolved and fate < 0.8 else None
            withdrawn = received + dt.timedelta(days=1) if 0.9 <= fate < 0.93 else None
            out.writerow([
                f"QN-{i:08d}" if explicit else "", rng.choice(agencies), rng.choice(procedures),
                rng.choice(["counter", "counter", "postal", "online"]), f"Nguyễn Văn Ánh {i}", f"0220{i:08d}",
                received.isoformat(), due.isoformat() if due else "", resolved.isoformat() if resolved else "",
                ("granted" if fate < 0.85 else "refused") if resolved else "",
                returned.isoformat() if returned else "", withdrawn.isoformat() if withdrawn else "", "",
            ])


def _server_cpu(connection) -> float | None:
    """CPU seconds used so far by the PostgreSQL backend serving this connection, when it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # another machine, or no /proc
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    _setup_django()
    from django.db import connection

    from phucvu.catalog.services import field_ensure, procedure_create
    from phucvu.dossiers.importers import import_dossiers
    from phucvu.dossiers.models import Dossier
    from phucvu.organization.services import agency_create

    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    print(f"   database: {connection.vendor} (test database, created and dropped); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if connection.vendor != "postgresql":
        print("   ! the target figure is for PostgreSQL: set DATABASE_URL=postgres://…")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        province = agency_create(code="T22", name="Tỉnh", kind="province", electronic_id="000.00.00.H41")
        agencies = [agency_create(code=f"X{i:03d}", name=f"Xã {i}", kind="commune", parent=province,
                                  electronic_id=f"000.00.{i:02d}.H41").code for i in range(1, 21)]
        field = field_ensure(name="Hộ tịch")
        procedures = [procedure_create(code=f"1.00{i:04d}", name=f"Thủ tục {i}", field=field,
                                       levels=["commune"], amount=3 + i % 10).code for i in range(30)]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "dossiers.csv"
            _write_file(path, rows, agencies, procedures)
            started = time.perf_counter()
            import_dossiers(path, dry_run=True)
            checked = time.perf_counter() - started
            server = _server_cpu(connection)
            started, cpu = time.perf_counter(), time.process_time()
            result = import_dossiers(path)
            total, cpu = time.perf_counter() - started, time.process_time() - cpu
            server = _server_cpu(connection) - server if server is not None else None
        assert Dossier.objects.count() == rows == result.created
        print(f"   {rows:,} rows: validation only (--dry-run) {checked:.2f} s = {rows / checked:,.0f} rows/s")
        print(f"   {rows:,} rows: full import {total:.2f} s = {rows / total:,.0f} rows/s "
              f"(this process's CPU {cpu:.2f} s; load average now {os.getloadavg()[0]:.1f})")
        if server is not None:
            # CPU seconds are what a loaded machine changes least: compare two versions by them, in turns.
            print(f"   CPU of the import: this process {cpu:.2f} s + the server's backend {server:.2f} s = "
                  f"{cpu + server:.2f} s = {rows / (cpu + server):,.0f} rows per CPU second")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
