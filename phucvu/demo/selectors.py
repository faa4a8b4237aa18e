"""What the landing page shows beside the seed: the same figures, computed by the system for 2017."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from django.core.management import call_command

from phucvu.demo.builder import PERIOD_FROM, PERIOD_TO, SEED_INSPECTIONS, SEED_VOLUMES
from phucvu.demo.models import DemoRun

INSPECTION_PERIOD = (dt.date(2017, 1, 1), dt.date(2017, 6, 30))  # the seed counts six months


def demo_run() -> DemoRun | None:
    return DemoRun.objects.filter(finished=True).order_by("-id").first()


def report_by_level(date_from: dt.date = PERIOD_FROM, date_to: dt.date = PERIOD_TO) -> dict:
    """`phucvu report --by level`, read through its JSON contract (the command prints to a file or stdout)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.json"
        call_command("report", "--from", date_from.isoformat(), "--to", date_to.isoformat(), "--by", "level",
                     "--output", str(path))
        return json.loads(path.read_text(encoding="utf-8"))


def seed_comparison() -> dict:
    """Rows of (level, seed count, seed share, computed count, computed share) and the on-time rates."""
    report = report_by_level()
    computed = {r["key"]: r["received"]["total"] for r in report["rows"]}
    seed_total = sum(SEED_VOLUMES.values())
    computed_total = sum(computed.get(k, 0) for k in SEED_VOLUMES) or 1
    rows = [{"level": level, "seed": count, "seed_share": 100 * count / seed_total,
             "computed": computed.get(level, 0), "computed_share": 100 * computed.get(level, 0) / computed_total}
            for level, count in SEED_VOLUMES.items()]
    rate = report["total"].get("on_time_rate")
    return {"rows": rows, "on_time_rate": rate, "on_time_percent": None if rate is None else 100 * rate,
            "seed_total": seed_total,
            "computed_total": sum(computed.get(k, 0) for k in SEED_VOLUMES)}


def inspection_comparison() -> list[dict]:
    from phucvu.inspections.selectors import inspection_counts
    from phucvu.organization.models import Agency

    counts = inspection_counts(date_from=INSPECTION_PERIOD[0], date_to=INSPECTION_PERIOD[1])
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[c for k in SEED_INSPECTIONS for c in (
        k if isinstance(k, tuple) else (k,))])}
    rows = []
    for key, seed in SEED_INSPECTIONS.items():
        codes = key if isinstance(key, tuple) else (key,)
        present = [agencies[c] for c in codes if c in agencies]
        rows.append({"names": [a.name for a in present], "seed": seed,
                     "computed": sum(counts.get(a.pk, 0) for a in present)})
    return rows
