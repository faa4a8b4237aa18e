"""Reminders of tasks, as items of the staff's daily digest (docs/discipline.md §7.7).

A task still to be done (not finished, not cancelled, not measured from the one-stop steps, whose own steps
remind) tells its cadre three things, each exactly once: that it was assigned, that it is due (the day before
its due day, or on it), and that it is overdue (the day after). Each goes out in one digest: the first digest
on or after its day, unless an earlier digest already carried it; only the latest that has come is offered
(a task given the day before its deadline is announced as due, not twice). A new deadline gives new
reminders; a task finished, cancelled or re-dated drops out of the digest still to be sent (the digest is
rebuilt just before sending). A task given to a unit reminds the unit's active leaders.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import F

from phucvu.core.localtime import LOCAL_TZ, local_day
from phucvu.discipline.models import Task
from phucvu.notifications.digest import DigestItem
from phucvu.notifications.models import Message, MessageStatus
from phucvu.organization.models import Role, Staff

LOOKBACK = dt.timedelta(days=60)  # older digests cannot hold a reminder still pending


def milestone_on(assigned_on: dt.date, due_on: dt.date, today: dt.date) -> str | None:
    """The latest reminder whose day has come: assigned, due (from the day before the due day), overdue."""
    current = None
    for name, day in (("assigned", assigned_on), ("due", due_on - dt.timedelta(days=1)),
                      ("overdue", due_on + dt.timedelta(days=1))):
        if day <= today:
            current = name
    return current


def item_key(task_id: int, milestone: str, due_on: dt.date) -> str:
    return f"task:{task_id}:{milestone}:{due_on.isoformat()}"


def _text(task: Task, milestone: str) -> str:
    label = {"assigned": "mới được giao", "due": "đến hạn", "overdue": "QUÁ HẠN"}[milestone]
    return (f"Nhiệm vụ {task.item.name} ({label}, hạn {task.due_on:%d/%m/%Y}): "
            f"đã xong {task.done.normalize():f}/{task.quantity.normalize():f} {task.item.measure}")


def _carried(staff_ids: set[int], now: dt.datetime) -> dict[int, set[str]]:
    """Task reminders each cadre's earlier digests carried (not cancelled or failed); today's does not count."""
    today = local_day(now)
    carried: dict[int, set[str]] = defaultdict(set)
    rows = (Message.objects.filter(event="staff_digest", staff_id__in=staff_ids, created_at__gte=now - LOOKBACK)
            .exclude(status__in=[MessageStatus.CANCELLED, MessageStatus.FAILED])
            .values_list("staff_id", "group", "payload"))
    for staff_id, group, payload in rows.iterator(chunk_size=500):
        if group == f"dg:s{staff_id}:{today:%Y%m%d}":
            continue
        carried[staff_id].update(k for k in (payload or {}).get("items", []) if k.startswith("task:"))
    return carried


def task_items(now: dt.datetime, until: dt.datetime, staff_ids: Sequence[int] | None) -> Iterable[DigestItem]:
    """The digest source: one item per task reminder that has come and no earlier digest carried."""
    today = local_day(now)
    tasks = list(Task.objects.filter(cancelled_at__isnull=True, fed=False, done__lt=F("quantity"),
                                     assigned_at__gte=now - LOOKBACK - dt.timedelta(days=100),
                                     due_on__gte=today - LOOKBACK)
                 .select_related("item", "staff"))
    if not tasks:
        return []
    leaders: dict[int, list[int]] = defaultdict(list)
    unit_ids = {t.unit_id for t in tasks if t.unit_id}
    for pk, agency_id in Staff.objects.filter(agency_id__in=unit_ids, role=Role.UNIT_LEADER,
                                              active=True).values_list("pk", "agency_id"):
        leaders[agency_id].append(pk)
    recipients = {t.pk: ([t.staff_id] if t.staff is not None and t.staff.active else [])
                  if t.staff_id else leaders.get(t.unit_id or 0, []) for t in tasks}
    wanted = {s for ids in recipients.values() for s in ids}
    if staff_ids is not None:
        wanted &= set(staff_ids)
    carried = _carried(wanted, now)
    items = []
    for task in tasks:
        milestone = milestone_on(local_day(task.assigned_at), task.due_on, today)
        if milestone is None:
            continue
        key = item_key(task.pk, milestone, task.due_on)
        due_at = dt.datetime.combine(task.due_on, dt.time(17, 0), tzinfo=LOCAL_TZ)
        for staff_id in recipients[task.pk]:
            if staff_id in wanted and key not in carried.get(staff_id, set()):
                items.append(DigestItem(due_at=due_at, staff_id=staff_id, key=key, text=_text(task, milestone)))
    return items
