"""What a leader's score sheet adds from data (docs/discipline.md §6.3): the results of the unit they lead and
their organising capacity, each with what it was measured from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q

from phucvu.discipline.grading import COMPLETED_MIN, unit_results_share
from phucvu.discipline.models import ScoreSheet, SheetStatus, Task
from phucvu.discipline.selectors.staff import holds_post
from phucvu.discipline.selectors.tasks import in_period, measure
from phucvu.discipline.tasking import EARLY, LATE, MISSED, ON_TIME
from phucvu.organization.models import Agency, Role, Staff


def led_agencies(leader: Staff) -> list[Agency]:
    """The unit a leader leads: their agency and the units below it that have no leader of their own (a desk,
    a team); a unit below with its own leader is that leader's."""
    agency = leader.agency
    below = list(Agency.objects.filter(path__startswith=agency.path).exclude(pk=agency.pk).order_by("path"))
    led_elsewhere = set(Staff.objects.filter(agency__in=below, role=Role.UNIT_LEADER, active=True)
                        .values_list("agency__path", flat=True))
    return [agency] + [a for a in below if not any(a.path.startswith(p) for p in led_elsewhere)]


def leader_measures(staff: Staff, year: int, kind: str, number: int, *,
                    now: dt.datetime | None = None) -> dict[str, Any] | None:
    """None for a cadre who holds no post; else the unit's results and the organising capacity of the period,
    as JSON-ready values (kept on the sheet, shown with where they came from)."""
    if not holds_post(staff):
        return None
    agencies = led_agencies(staff)
    subordinates = list(Staff.objects.filter(agency__in=agencies, active=True).exclude(pk=staff.pk)
                        .order_by("full_name"))
    sheets = {s.staff_id: s for s in ScoreSheet.objects.filter(staff__in=subordinates, year=year, period_kind=kind,
                                                               number=number)}
    scored = [(p, sheets[p.pk].total) for p in subordinates
              if p.pk in sheets and sheets[p.pk].status == SheetStatus.FINAL and sheets[p.pk].total is not None]
    unit = unit_results_share(total for _p, total in scored if total is not None)
    tasks = list(Task.objects.select_related("item", "staff", "unit").filter(
        Q(unit__in=agencies) | Q(staff__in=subordinates), in_period(year, kind, number), year=year,
        cancelled_at__isnull=True))
    due = [m for m in measure(tasks, now=now) if m.status in (EARLY, ON_TIME, LATE, MISSED)]
    on_time = sum(1 for m in due if m.status in (EARLY, ON_TIME))
    organising = (Decimal(on_time) / len(due)).quantize(Decimal("0.0001")) if due else None
    return {
        "units": [a.name for a in agencies],
        "subordinates": len(subordinates),
        "scored": len(scored),
        "below": [{"id": p.pk, "name": p.full_name, "total": str(total)} for p, total in scored
                  if total is not None and total < COMPLETED_MIN],
        "not_final": len(subordinates) - len(scored),
        "unit_share": str(unit) if unit is not None else None,
        "unit_tasks": len(due),
        "on_time": on_time,
        "organising_share": str(organising) if organising is not None else None,
    }
