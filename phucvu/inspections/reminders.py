"""Reminders of recommendations, as items of the staff's daily digest (docs/inspections.md §8).

A recommendation that is still to be carried out (open or in progress) reminds its owner 30, 7 and 1 days
before its deadline and once when it is overdue (the day after the deadline). Each reminder goes out exactly
once, in one digest: on the first digest day on or after its date, unless an earlier digest already carried
it. Only the latest reminder that has come is offered (a recommendation given 5 days has no 30-day one).
Reported done, verified, or given a new deadline, its pending reminders drop out of the digest being built
or about to be sent (the digest is rebuilt just before sending), so they are cancelled.

The owner is the cadre named on the recommendation; when none is named (or they left), the active leaders of
the owner agency.

The implementing directive of a signed conclusion (due 15 days after it, docs/inspections.md §14) is
reminded the same way to the inspected agency's active leaders, escalated when overdue to the leaders of the
agency above it, and dropped once the directive is recorded (docs/inspections.md §18).

Overdue, it is also escalated, once, to the owner's superior: the active leaders of the owner agency when a
cadre is named, else the active leaders of the agency above it — in their own digest, under the same rules
(exactly once, dropped when it no longer applies).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from phucvu.inspections.models import Inspection, Recommendation, Status
from phucvu.notifications.digest import DigestItem
from phucvu.notifications.models import Message, MessageStatus
from phucvu.organization.models import Agency, Role, Staff

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


def item_key(rec_id: int, milestone: str, due_on: dt.date, kind: str = "rec") -> str:
    return f"{kind}:{rec_id}:{milestone}:{due_on.isoformat()}"


# The prefixes of this app's digest item keys: a recommendation's, an implementing directive's.
KINDS = ("rec", "dir")


def when_words(due_on: dt.date, today: dt.date) -> str:
    """How the reminder says the time left: the days actually left (a milestone may come late: a
    recommendation given 20 days, a directive due 15 days after the conclusion), or that it is overdue."""
    return "QUÁ HẠN" if today > due_on else f"còn {(due_on - today).days} ngày"


@dataclass(frozen=True)
class Due:
    """One thing an owner must do by a day, to be reminded of: a recommendation or a directive."""

    kind: str  # one of KINDS
    pk: int
    due_on: dt.date
    owners: list[int]  # staff ids reminded at each milestone
    superiors: list[int]  # staff ids told once when it is overdue
    text: Callable[[str], str]  # the reminder's text, given the words of the time left (when_words)
    late_text: str  # the escalation's text


def _text(rec: Recommendation, when: str) -> str:
    return f"Kiến nghị sau thanh tra {rec.inspection.code} ({when}, hạn {rec.due_on:%d/%m/%Y}): {rec.text[:140]}"


def _leaders(agency_ids: set[int]) -> dict[int, list[int]]:
    """Agency id → its active leaders' staff ids."""
    leaders: dict[int, list[int]] = defaultdict(list)
    for pk, agency_id in Staff.objects.filter(agency_id__in=agency_ids, role=Role.UNIT_LEADER,
                                              active=True).values_list("pk", "agency_id"):
        leaders[agency_id].append(pk)
    return leaders


def _recipients(recs: list[Recommendation]) -> dict[int, list[int]]:
    """Recommendation id → staff ids to remind."""
    leaders = _leaders({r.owner_id for r in recs if r.owner_person is None or not r.owner_person.active})
    return {r.pk: ([r.owner_person_id] if r.owner_person is not None and r.owner_person.active
                   else leaders.get(r.owner_id, [])) for r in recs}


def _superiors(recs: list[Recommendation]) -> dict[int, list[int]]:
    """Recommendation id → staff ids to escalate to when overdue."""
    over = {r.pk: (r.owner_id if r.owner_person is not None and r.owner_person.active else r.owner.parent_id)
            for r in recs}
    leaders = _leaders({a for a in over.values() if a})
    return {pk: leaders.get(agency_id, []) if agency_id else [] for pk, agency_id in over.items()}


def _already_sent(staff_ids: set[int], now: dt.datetime) -> dict[int, set[str]]:
    """Item keys each cadre's earlier digests carried (queued, sending, sent or delivered: not cancelled or
    failed); today's digest does not count, it is the one being built or checked."""
    today = timezone.localtime(now).date()
    carried: dict[int, set[str]] = defaultdict(set)
    rows = (Message.objects.filter(event="staff_digest", staff_id__in=staff_ids, created_at__gte=now - LOOKBACK)
            .exclude(status__in=[MessageStatus.CANCELLED, MessageStatus.FAILED])
            .values_list("staff_id", "group", "payload"))
    prefixes = tuple(f"{k}:" for k in KINDS)
    for staff_id, group, payload in rows.iterator(chunk_size=500):
        if group == f"dg:s{staff_id}:{today:%Y%m%d}":
            continue
        carried[staff_id].update(k for k in (payload or {}).get("items", []) if k.startswith(prefixes))
    return carried


def _window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The deadlines a reminder may be pending for today: from LOOKBACK before yesterday to 30 days ahead."""
    return today - dt.timedelta(days=1) - LOOKBACK, today + dt.timedelta(days=30)


def _items(dues: list[Due], now: dt.datetime, staff_ids: Sequence[int] | None) -> list[DigestItem]:
    """One digest item per reminder that has come and no earlier digest of its recipient carried."""
    today = timezone.localtime(now).date()
    wanted = {s for d in dues for s in d.owners} | {s for d in dues if d.due_on < today for s in d.superiors}
    if staff_ids is not None:
        wanted &= set(staff_ids)
    if not wanted:
        return []
    carried = _already_sent(wanted, now)
    tz = timezone.get_current_timezone()
    items = []
    for due in dues:
        current = milestone_on(due.due_on, today)
        if current is None:
            continue
        due_at = timezone.make_aware(dt.datetime.combine(due.due_on, dt.time(17, 0)), tz)
        sends = [(item_key(due.pk, current[0], due.due_on, due.kind), due.owners, due.text(when_words(due.due_on, today)))]
        if current[0] == "overdue":
            sends.append((item_key(due.pk, "escalated", due.due_on, due.kind), due.superiors, due.late_text))
        for key, who, text in sends:
            items += [DigestItem(due_at=due_at, staff_id=staff_id, key=key, text=text) for staff_id in who
                      if staff_id in wanted and key not in carried.get(staff_id, set())]
    return items


def recommendation_items(now: dt.datetime, until: dt.datetime, staff_ids: Sequence[int] | None
                         ) -> Iterable[DigestItem]:
    """The digest source of recommendations still to be carried out (docs/inspections.md §8)."""
    first, last = _window(timezone.localtime(now).date())
    recs = list(Recommendation.objects.filter(state__in=OPEN, due_on__lte=last, due_on__gte=first)
                .select_related("inspection", "owner_person", "owner"))
    if not recs:
        return []
    today = timezone.localtime(now).date()
    recipients = _recipients(recs)
    superiors = _superiors([r for r in recs if r.due_on < today])
    dues = []
    for rec in recs:
        who = rec.owner_person.full_name if rec.owner_person is not None else rec.owner.name
        dues.append(Due("rec", rec.pk, rec.due_on, recipients[rec.pk], superiors.get(rec.pk, []),
                        lambda when, rec=rec: _text(rec, when),
                        f"Kiến nghị sau thanh tra {rec.inspection.code} giao {who} đã QUÁ HẠN (hạn "
                        f"{rec.due_on:%d/%m/%Y}), cần đôn đốc: {rec.text[:140]}"))
    return _items(dues, now, staff_ids)


def directive_items(now: dt.datetime, until: dt.datetime, staff_ids: Sequence[int] | None
                    ) -> Iterable[DigestItem]:
    """The digest source of implementing directives not yet recorded (docs/inspections.md §18): the
    inspected agency's leaders are reminded, the leaders of the agency above it told once when overdue."""
    first, last = _window(timezone.localtime(now).date())
    found = list(Inspection.objects.filter(status=Status.CONCLUDED, directive_on__isnull=True,
                                           directive_due_on__lte=last, directive_due_on__gte=first)
                 .select_related("target"))
    if not found:
        return []
    leaders = _leaders({i.target_id for i in found} | {i.target.parent_id for i in found if i.target.parent_id})
    dues = []
    for i in found:
        assert i.directive_due_on is not None
        target: Agency = i.target
        what = (f"văn bản chỉ đạo thực hiện kết luận thanh tra {i.code} (ký ngày {i.concluded_on:%d/%m/%Y}) "
                f"của {target.name}")
        dues.append(Due("dir", i.pk, i.directive_due_on, leaders.get(i.target_id, []),
                        leaders.get(target.parent_id, []) if target.parent_id else [],
                        lambda when, what=what, due=i.directive_due_on: (
                            f"Ban hành {what} ({when}, hạn {due:%d/%m/%Y})."),
                        f"Chưa ban hành {what}: đã QUÁ HẠN (hạn {i.directive_due_on:%d/%m/%Y}), cần đôn đốc."))
    return _items(dues, now, staff_ids)
