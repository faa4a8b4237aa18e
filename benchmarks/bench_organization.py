"""The whole country's agency tree: load-units for 63 + 34 provinces, the visibility rule at that size,
and an agency import of one province's 2025 file.

Runs on a scratch SQLite file unless BENCH_DATABASE_URL names another (scratch!) database.
"""

from __future__ import annotations

import os
import tempfile
import time


def _setup() -> None:
    scratch = tempfile.mkdtemp(prefix="phucvu-bench-org-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phucvu.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(label: str, func):
    started = time.perf_counter()
    value = func()
    print(f"   {label}: {time.perf_counter() - started:.2f} s", flush=True)
    return value


def main() -> None:
    _setup()
    import csv
    import sqlite3

    from phucvu.organization import selectors, units
    from phucvu.organization.importers import import_agencies
    from phucvu.organization.models import Agency, Succession
    from phucvu.organization.services import staff_create

    with sqlite3.connect(units._data_path("dataset.db")) as db:
        legacy = [r[0] for r in db.execute("SELECT DISTINCT provinceCode FROM admin_units_legacy ORDER BY 1")]
        new = [r[0] for r in db.execute("SELECT DISTINCT provinceCode FROM admin_units ORDER BY 1")]
    _timed(f"load-units legacy, {len(legacy)} provinces",
           lambda: [units.load_units(province=p, structure="legacy") for p in legacy])
    _timed(f"load-units 2025, {len(new)} provinces (with succession links)",
           lambda: [units.load_units(province=p, structure="2025") for p in new])
    print(f"   agencies: {Agency.objects.count()}, succession links: {Succession.objects.count()}")
    _timed("load-units 2025 again, all provinces (idempotent re-run)",
           lambda: [units.load_units(province=p, structure="2025") for p in new])

    inspector = staff_create(username="bench.tt", password="x", full_name="Thanh tra", role="inspector",
                             agency=Agency.objects.get(code="P22"))
    clerk = staff_create(username="bench.mc", password="x", full_name="Một cửa", role="desk_clerk",
                         agency=Agency.objects.get(code="W25-06652"))
    for who, user in (("province inspector", inspector.user), ("commune clerk", clerk.user)):
        n = 200
        started = time.perf_counter()
        for _ in range(n):
            count = selectors.visible_agencies(user).count()
        per = (time.perf_counter() - started) / n * 1000
        print(f"   visible_agencies().count() for a {who}: {count} agencies, {per:.2f} ms per call")

    path = os.path.join(tempfile.mkdtemp(), "agencies.csv")
    rows = Agency.objects.filter(code__startswith="W25-").select_related("parent")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["code", "name", "kind", "parent", "electronic_id", "valid_from", "valid_to"])
        for a in rows:
            out.writerow([a.code, a.name + " (đổi)", a.kind, a.parent.code, "", a.valid_from, ""])
    result = _timed(f"import agencies --dry-run, {rows.count()} rows", lambda: import_agencies(path, dry_run=True))
    result = _timed(f"import agencies, {rows.count()} rows (all updated)", lambda: import_agencies(path))
    print(f"   created {result.created}, updated {result.updated}")
