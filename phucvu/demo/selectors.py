"""What the landing page shows beside the seed: the same figures, computed by the system for 2017."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from phucvu.demo.builder import PERIOD_FROM, PERIOD_TO, SEED_INSPECTIONS, SEED_VOLUMES
from phucvu.demo.models import DemoRun

INSPECTION_PERIOD = (dt.date(2017, 1, 1), dt.date(2017, 6, 30))  # the seed counts six months


def demo_run() -> DemoRun | None:
    return DemoRun.objects.filter(finished=True).order_by("-id").first()


def report_by_level(date_from: dt.date = PERIOD_FROM, date_to: dt.date = PERIOD_TO) -> dict:
    """`phucvu report --by level` (its JSON contract) when the reports app provides it, else a direct count."""
    out = io.StringIO()
    try:
        call_command("report", "--from", date_from.isoformat(), "--to", date_to.isoformat(), "--by", "level",
                     stdout=out)
        return json.loads(out.getvalue())
    except (CommandError, ValueError):
        return _count_by_level(date_from, date_to)


def _count_by_level(date_from: dt.date, date_to: dt.date) -> dict:
    from django.utils import timezone

    from phucvu.dossiers.models import Dossier

    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tz)
    received = Q(received_at__gte=start, received_at__lt=end)
    resolved = Q(resolved_at__gte=start, resolved_at__lt=end)
    rows = (Dossier.objects.values("agency__level")
            .annotate(received=Count("id", filter=received), resolved=Count("id", filter=resolved),
                      in_time=Count("id", filter=resolved & Q(resolved_at__lte=F("due_at")))))

    def row(key, r):
        total = r["resolved"]
        return {"key": key, "received": {"total": r["received"]},
                "resolved": {"total": total, "late": total - r["in_time"]},
                "on_time_rate": round(r["in_time"] / total, 4) if total else None}

    found = {r["agency__level"]: r for r in rows}
    empty = {"received": 0, "resolved": 0, "in_time": 0}
    result_rows = [row(level, found.get(level, empty)) for level in SEED_VOLUMES]
    sums = {k: sum(found.get(level, empty)[k] for level in SEED_VOLUMES) for k in empty}
    return {"from": date_from.isoformat(), "to": date_to.isoformat(), "by": "level", "rows": result_rows,
            "total": row("total", sums)}


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
