"""Reminders of recommendations, as items of the staff's daily digest (docs/inspections.md §8).

A recommendation that is still to be carried out (open or in progress) reminds its owner 30, 7 and 1 days
before its deadline and once when it is overdue (the day after the deadline). Each reminder goes out exactly
once, in one digest: on the first digest day on or after its date, unless an earlier digest already carried
it. Only the latest reminder that has come is offered (a recommendation given 5 days has no 30-day one).
Reported done, verified, or given a new deadline, its pending reminders drop out of the digest being built
or about to be sent (the digest is rebuilt just before sending), so they are cancelled.

The owner is the cadre named on the recommendation; when none is named (or they left), the active leaders of
the owner agency.

Overdue, it is also escalated, once, to the owner's superior: the active leaders of the owner agency when a
cadre is named, else the active leaders of the agency above it — in their own digest, under the same rules
(exactly once, dropped when it no longer applies).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.utils import timezone

from phucvu.inspections.models import Recommendation
from phucvu.notifications.digest import DigestItem
from phucvu.notifications.models import Message, MessageStatus
from phucvu.organization.models import Role, Staff

# (name, days from the deadline): the milestones, in order.
MILESTONES = (("d30", -30), ("d7", -7), ("d1", -1), ("overdue", 1))
OPEN = (Recommendation.State.OPEN, Recommendation.State.IN_PROGRESS)
# Digests older than this cannot hold a reminder still pending (30 days before + the deadline + a margin).
LOOKBACK = dt.timedelta(days=60)


def milestone_on(due_on: dt.date, today: dt.date) -> tuple[str, dt.date] | None:
    """The latest milestone whose date has come, with that date; None before the 30-day one."""
    current = None
    for name, offset in MILESTONES:
        day = due_on + dt.timedelta(days=offset)
        if day <= today:
            current = (name, day)
    return current


def item_key(rec_id: int, milestone: str, due_on: dt.date) -> str:
    return f"rec:{rec_id}:{milestone}:{due_on.isoformat()}"


def _text(rec: Recommendation, milestone: str, due_on: dt.date) -> str:
    label = {"d30": "còn 30 ngày", "d7": "còn 7 ngày", "d1": "còn 1 ngày", "overdue": "QUÁ HẠN"}[milestone]
    return (f"Kiến nghị sau thanh tra {rec.inspection.code} ({label}, hạn {due_on:%d/%m/%Y}): "
            f"{rec.text[:140]}")


def _recipients(recs: list[Recommendation]) -> dict[int, list[int]]:
    """Recommendation id → staff ids to remind."""
    leaders: dict[int, list[int]] = defaultdict(list)
    orphan_agencies = {r.owner_id for r in recs if r.owner_person is None or not r.owner_person.active}
    for pk, agency_id in Staff.objects.filter(agency_id__in=orphan_agencies, role=Role.UNIT_LEADER,
                                              active=True).values_list("pk", "agency_id"):
        leaders[agency_id].append(pk)
    return {r.pk: ([r.owner_person_id] if r.owner_person is not None and r.owner_person.active
                   else leaders.get(r.owner_id, [])) for r in recs}


def _superiors(recs: list[Recommendation]) -> dict[int, list[int]]:
    """Recommendation id → staff ids to escalate to when overdue."""
    over = {r.pk: (r.owner_id if r.owner_person is not None and r.owner_person.active else r.owner.parent_id)
            for r in recs}
    leaders: dict[int, list[int]] = defaultdict(list)
    for pk, agency_id in Staff.objects.filter(agency_id__in={a for a in over.values() if a}, role=Role.UNIT_LEADER,
                                              active=True).values_list("pk", "agency_id"):
        leaders[agency_id].append(pk)
    return {pk: leaders.get(agency_id, []) if agency_id else [] for pk, agency_id in over.items()}


def _already_sent(staff_ids: set[int], now: dt.datetime) -> dict[int, set[str]]:
    """Item keys each cadre's earlier digests carried (queued, sending, sent or delivered: not cancelled or
    failed); today's digest does not count, it is the one being built or checked."""
    today = timezone.localtime(now).date()
    carried: dict[int, set[str]] = defaultdict(set)
    rows = (Message.objects.filter(event="staff_digest", staff_id__in=staff_ids, created_at__gte=now - LOOKBACK)
            .exclude(status__in=[MessageStatus.CANCELLED, MessageStatus.FAILED])
            .values_list("staff_id", "group", "payload"))
    for staff_id, group, payload in rows.iterator(chunk_size=500):
        if group == f"dg:s{staff_id}:{today:%Y%m%d}":
            continue
        carried[staff_id].update(k for k in (payload or {}).get("items", []) if k.startswith("rec:"))
    return carried


def recommendation_items(now: dt.datetime, until: dt.datetime, staff_ids: Sequence[int] | None
                         ) -> Iterable[DigestItem]:
    """The digest source: one item per reminder that has come and no earlier digest carried."""
    today = timezone.localtime(now).date()
    window_start = today - dt.timedelta(days=1)  # overdue: the day after the deadline
    recs = list(Recommendation.objects.filter(state__in=OPEN, due_on__lte=today + dt.timedelta(days=30),
                                              due_on__gte=window_start - LOOKBACK)
                .select_related("inspection", "owner_person", "owner"))
    if not recs:
        return []
    recipients = _recipients(recs)
    superiors = _superiors([r for r in recs if r.due_on < today])
    wanted = {s for ids in recipients.values() for s in ids} | {s for ids in superiors.values() for s in ids}
    if staff_ids is not None:
        wanted &= set(staff_ids)
    carried = _already_sent(wanted, now)
    tz = timezone.get_current_timezone()
    items = []
    for rec in recs:
        current = milestone_on(rec.due_on, today)
        if current is None:
            continue
        key = item_key(rec.pk, current[0], rec.due_on)
        due_at = timezone.make_aware(dt.datetime.combine(rec.due_on, dt.time(17, 0)), tz)
        for staff_id in recipients[rec.pk]:
            if staff_id in wanted and key not in carried.get(staff_id, set()):
                items.append(DigestItem(due_at=due_at, staff_id=staff_id, key=key,
                                        text=_text(rec, current[0], rec.due_on)))
        if current[0] != "overdue":
            continue
        up = item_key(rec.pk, "escalated", rec.due_on)
        who = rec.owner_person.full_name if rec.owner_person is not None else rec.owner.name
        for staff_id in superiors.get(rec.pk, []):
            if staff_id in wanted and up not in carried.get(staff_id, set()):
                items.append(DigestItem(due_at=due_at, staff_id=staff_id, key=up, text=(
                    f"Kiến nghị sau thanh tra {rec.inspection.code} giao {who} đã QUÁ HẠN (hạn "
                    f"{rec.due_on:%d/%m/%Y}), cần đôn đốc: {rec.text[:140]}")))
    return items
