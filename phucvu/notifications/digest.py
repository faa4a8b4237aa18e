"""The staff's daily digest: what each cadre has due tomorrow or overdue, from sources apps register.

A source is a function `(now, tomorrow_end) -> Iterable[DigestItem]`; the dossiers' steps are the first
source (registered here). Other apps (tasks, inspections) register theirs from their `AppConfig.ready()`:

    from phucvu.notifications import digest
    digest.register(my_source)

The digest is built when its sweep runs and checked again just before it is sent: an item that is no longer
true (the step was reassigned, got a new date, or was finished) drops out, and an empty digest is not sent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from phucvu.dossiers.models import DossierStep, Status


@dataclass(frozen=True, order=True)
class DigestItem:
    due_at: dt.datetime
    staff_id: int
    key: str  # stable id of the item ("step:123"), so a digest can be compared with itself later
    text: str


Source = Callable[[dt.datetime, dt.datetime, Sequence[int] | None], Iterable[DigestItem]]

_SOURCES: list[Source] = []


def register(source: Source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def horizon(now: dt.datetime) -> dt.datetime:
    """The end of tomorrow, local time: what is due before it is in the digest."""
    local = timezone.localtime(now)
    day_after = local.date() + dt.timedelta(days=2)
    return timezone.make_aware(dt.datetime.combine(day_after, dt.time()), local.tzinfo)


def items_by_staff(now: dt.datetime, staff_ids: Sequence[int] | None = None) -> dict[int, list[DigestItem]]:
    until = horizon(now)
    found: dict[int, list[DigestItem]] = defaultdict(list)
    for source in _SOURCES:
        for item in source(now, until, staff_ids):
            found[item.staff_id].append(item)
    return {staff_id: sorted(items) for staff_id, items in found.items() if items}


def render_items(items: Sequence[DigestItem], now: dt.datetime) -> str:
    lines = []
    for item in items:
        state = "QUÁ HẠN" if item.due_at < now else "đến hạn"
        lines.append(f"- [{state} {timezone.localtime(item.due_at):%H:%M %d/%m}] {item.text}")
    return "\n".join(lines)


# Open and not paused: a paused dossier's clock is stopped, its step is not due.
RUNNING = (Status.RECEIVED, Status.PROCESSING)


def dossier_steps(now: dt.datetime, until: dt.datetime, staff_ids: Sequence[int] | None) -> Iterable[DigestItem]:
    """Each unfinished step assigned to a cadre, due before the end of tomorrow (or overdue)."""
    qs = (DossierStep.objects.filter(finished_at__isnull=True, assignee__isnull=False, due_at__lt=until,
                                     dossier__status__in=RUNNING)
          .values_list("pk", "assignee_id", "due_at", "name", "dossier__code", "dossier__due_at"))
    if staff_ids is not None:
        qs = qs.filter(assignee_id__in=list(staff_ids))
    for pk, staff_id, due_at, name, code, dossier_due in qs.iterator(chunk_size=2000):
        yield DigestItem(due_at=due_at, staff_id=staff_id, key=f"step:{pk}:{due_at.isoformat()}",
                         text=f"Hồ sơ {code} — bước “{name}” (hẹn trả {timezone.localtime(dossier_due):%d/%m})"
                         if dossier_due else f"Hồ sơ {code} — bước “{name}”")


register(dossier_steps)
