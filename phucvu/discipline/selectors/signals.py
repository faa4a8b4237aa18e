"""Signals worth a look, computed from the dossiers of one month (docs/discipline.md §3.3). Never verdicts:
a leader or inspector reads the dossiers behind one, then dismisses it with a reason or opens a breach.

Each signal names one cadre and one month (the supplement-rate signal also one procedure); its `key` is
stable, so its review (`SignalReview`) is found again the next time it is computed."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from phucvu.core.localtime import start_of_day
from phucvu.core.text import fold
from phucvu.discipline.models import SignalReview
from phucvu.dossiers.models import Dossier, DossierEvent, DossierStep, EventKind, Status
from phucvu.organization.models import Role, Staff
from phucvu.organization.selectors import staff_of, visible_agencies
from phucvu.portal.models import Satisfaction, SatisfactionVote

SIGNAL_ROLES = frozenset({Role.UNIT_LEADER, Role.INSPECTOR, Role.HR_OFFICER, Role.SYSTEM_ADMIN})

SIGNAL_KINDS = {
    "repeated_supplement": _("Yêu cầu bổ sung lần thứ hai trên cùng hồ sơ"),
    "supplement_rate": _("Tỷ lệ yêu cầu bổ sung cao bất thường so với đồng nghiệp"),
    "late_no_apology": _("Hồ sơ trễ hạn không có văn bản xin lỗi"),
    "unhappy_votes": _("Công dân đánh giá không hài lòng với cán bộ"),
    "step_overheld": _("Giữ hồ sơ quá gấp đôi thời gian của bước"),
}
# The breach each signal proposes when it is turned into one.
BREACH_KIND = {"repeated_supplement": "repeated_supplement", "supplement_rate": "repeated_supplement",
               "late_no_apology": "late_dossier", "unhappy_votes": "behaviour", "step_overheld": "one_stop_rules"}

# The thresholds (docs/discipline.md §3.3).
RATE_MIN_DOSSIERS = 10  # a cadre's dossiers of the procedure in the month before a rate is compared
RATE_MIN_SUPPLEMENTS = 3
RATE_MIN_PEERS = 3  # cadres handling the procedure, the cadre included
RATE_TIMES_MEDIAN = 3
RATE_STDEVS = 2
OVERHELD_TIMES = 2  # a step held more than twice its allotted time
DOSSIERS_SHOWN = 20


@dataclass
class Signal:
    kind: str
    staff: Staff
    month: str
    key: str
    count: int
    detail: str
    dossiers: list[tuple[int, str]] = field(default_factory=list)  # (id, code), at most DOSSIERS_SHOWN
    review: SignalReview | None = None

    @property
    def label(self) -> str:
        return str(SIGNAL_KINDS[self.kind])

    @property
    def breach_kind(self) -> str:
        return BREACH_KIND[self.kind]


def may_see_signals(user) -> bool:
    staff = staff_of(user)
    return bool(getattr(user, "is_superuser", False) or (staff is not None and staff.role in SIGNAL_ROLES))


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    year, number = int(month[:4]), int(month[5:7])
    first = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return start_of_day(first), start_of_day(following)


def month_last_day(month: str) -> dt.date:
    return (month_bounds(month)[1] - dt.timedelta(days=1)).date()


def _codes(ids: set[int]) -> list[tuple[int, str]]:
    return list(Dossier.objects.filter(pk__in=sorted(ids)[:DOSSIERS_SHOWN]).order_by("pk").values_list("pk", "code"))


def _repeated_supplements(staff_ids, start, end, month) -> list[Signal]:
    events = (DossierEvent.objects.filter(kind=EventKind.SUPPLEMENT_REQUESTED, dossier__supplement_count__gte=2,
                                          dossier__in=DossierEvent.objects.filter(
                                              kind=EventKind.SUPPLEMENT_REQUESTED, at__gte=start, at__lt=end)
                                          .values("dossier"))
              .order_by("dossier_id", "at", "id").values_list("dossier_id", "actor_id", "at"))
    seen: dict[int, int] = defaultdict(int)
    found: dict[int, set[int]] = defaultdict(set)
    for dossier_id, actor_id, at in events:
        seen[dossier_id] += 1
        if seen[dossier_id] >= 2 and start <= at < end and actor_id in staff_ids:
            found[actor_id].add(dossier_id)
    return [Signal("repeated_supplement", staff_ids[a], month, f"repeated_supplement:{a}:{month}", len(d),
                   str(_("%(n)s hồ sơ bị yêu cầu bổ sung từ lần thứ hai")) % {"n": len(d)}, _codes(d))
            for a, d in found.items()]


def _supplement_rates(staff_ids, start, end, month) -> list[Signal]:
    """Per procedure, each cadre's share of dossiers they asked to supplement, against their peers' (every
    cadre who acted on the procedure's dossiers that month, wherever they work)."""
    rows = (DossierEvent.objects.filter(at__gte=start, at__lt=end, actor__isnull=False)
            .values("actor_id", "dossier__procedure_id")
            .annotate(handled=Count("dossier", distinct=True),
                      asked=Count("dossier", distinct=True, filter=Q(kind=EventKind.SUPPLEMENT_REQUESTED))))
    by_procedure: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for row in rows:
        by_procedure[row["dossier__procedure_id"]].append((row["actor_id"], row["handled"], row["asked"]))
    signals = []
    for procedure_id, people in by_procedure.items():
        rates = [asked / handled for _a, handled, asked in people if handled >= RATE_MIN_DOSSIERS]
        if len(rates) < RATE_MIN_PEERS:
            continue
        median, mean, sd = statistics.median(rates), statistics.mean(rates), statistics.pstdev(rates)
        for actor_id, handled, asked in people:
            if actor_id not in staff_ids or handled < RATE_MIN_DOSSIERS or asked < RATE_MIN_SUPPLEMENTS:
                continue
            rate = asked / handled
            if (median > 0 and rate > RATE_TIMES_MEDIAN * median) or (sd > 0 and rate > mean + RATE_STDEVS * sd):
                ids = set(DossierEvent.objects.filter(actor_id=actor_id, kind=EventKind.SUPPLEMENT_REQUESTED,
                                                      at__gte=start, at__lt=end,
                                                      dossier__procedure_id=procedure_id)
                          .values_list("dossier_id", flat=True))
                detail = str(_("%(asked)s/%(handled)s hồ sơ (%(rate)s %%) bị yêu cầu bổ sung; trung vị của "
                               "%(peers)s cán bộ cùng thủ tục: %(median)s %%")) % {
                    "asked": asked, "handled": handled, "rate": round(rate * 100), "peers": len(rates),
                    "median": round(median * 100)}
                signals.append(Signal("supplement_rate", staff_ids[actor_id], month,
                                      f"supplement_rate:{actor_id}:{procedure_id}:{month}", asked, detail,
                                      _codes(ids)))
    return signals


def _late_without_apology(staff_ids, start, end, month, now) -> list[Signal]:
    """Dossiers due in the month that were resolved after their due moment, or are still open past it, and have
    no apology letter; the cadre is the one who held the first late step (else who received the dossier)."""
    apologized = DossierEvent.objects.filter(dossier=OuterRef("pk"), kind=EventKind.APOLOGIZED)
    late = dict(Dossier.objects.filter(due_at__gte=start, due_at__lt=min(end, now))
                .exclude(status__in=[Status.WITHDRAWN, Status.REFUSED])
                .filter(Q(resolved_at__isnull=True, stopped_at__isnull=True) | Q(resolved_at__gt=F("due_at")))
                .filter(~Exists(apologized)).values_list("pk", "received_by_id"))
    owners: dict[int, int] = {}
    for dossier_id, assignee_id in (DossierStep.objects.filter(dossier_id__in=list(late), outcome="late")
                                    .exclude(assignee=None).order_by("dossier_id", "order")
                                    .values_list("dossier_id", "assignee_id")):
        owners.setdefault(dossier_id, assignee_id)
    found: dict[int, set[int]] = defaultdict(set)
    for dossier_id, receiver in late.items():
        who = owners.get(dossier_id, receiver)
        if who in staff_ids:
            found[who].add(dossier_id)
    return [Signal("late_no_apology", staff_ids[a], month, f"late_no_apology:{a}:{month}", len(d),
                   str(_("%(n)s hồ sơ quá hạn mà không có văn bản xin lỗi")) % {"n": len(d)}, _codes(d))
            for a, d in found.items()]


def _unhappy_votes(staff_ids, start, end, month) -> list[Signal]:
    found: dict[int, set[int]] = defaultdict(set)
    for clerk_id, dossier_id in (SatisfactionVote.objects.filter(current=True, at__gte=start, at__lt=end,
                                                                 clerk_level=Satisfaction.NOT_SATISFIED,
                                                                 clerk_id__in=list(staff_ids))
                                 .values_list("clerk_id", "dossier_id")):
        found[clerk_id].add(dossier_id)
    return [Signal("unhappy_votes", staff_ids[c], month, f"unhappy_votes:{c}:{month}", len(d),
                   str(_("%(n)s lượt công dân đánh giá không hài lòng với cán bộ")) % {"n": len(d)}, _codes(d))
            for c, d in found.items()]


def _overheld_steps(staff_ids, start, end, month) -> list[Signal]:
    found: dict[int, set[int]] = defaultdict(set)
    steps = (DossierStep.objects.filter(finished_at__gte=start, finished_at__lt=end, assignee_id__in=list(staff_ids),
                                        started_at__isnull=False, due_at__isnull=False,
                                        finished_at__gt=F("due_at"))
             .values_list("assignee_id", "dossier_id", "started_at", "due_at", "finished_at"))
    for assignee_id, dossier_id, started, due, finished in steps:
        if started and due and finished and due > started and finished - started > OVERHELD_TIMES * (due - started):
            found[assignee_id].add(dossier_id)
    return [Signal("step_overheld", staff_ids[a], month, f"step_overheld:{a}:{month}", len(d),
                   str(_("%(n)s bước xử lý giữ quá gấp đôi thời gian cho phép")) % {"n": len(d)}, _codes(d))
            for a, d in found.items()]


def signals_among(staff_ids: dict[int, Staff], month: str, *, kind: str = "",
                  now: dt.datetime | None = None) -> list[Signal]:
    """The month's signals about the cadres given (id → cadre), reviewed or not, for whoever reads them
    without a user's scope (the inspections' risk proposals, which read this, docs/inspections.md §11)."""
    start, end = month_bounds(month)
    now = now or dt.datetime.now(tz=dt.UTC)
    makers = {
        "repeated_supplement": lambda: _repeated_supplements(staff_ids, start, end, month),
        "supplement_rate": lambda: _supplement_rates(staff_ids, start, end, month),
        "late_no_apology": lambda: _late_without_apology(staff_ids, start, end, month, now),
        "unhappy_votes": lambda: _unhappy_votes(staff_ids, start, end, month),
        "step_overheld": lambda: _overheld_steps(staff_ids, start, end, month),
    }
    signals: list[Signal] = []
    for name, make in makers.items():
        if not kind or kind == name:
            signals += make()
    return signals


def signal_list(*, user, month: str, kind: str = "", query: str = "", reviewed: bool = False,
                now: dt.datetime | None = None) -> list[Signal]:
    """The month's signals about the cadres the user may see (leaders, inspectors, the personnel office),
    unanswered ones only unless `reviewed`; by kind, then by count, highest first."""
    if not may_see_signals(user):
        return []
    people = Staff.objects.filter(agency__in=visible_agencies(user).values("pk")).select_related("agency", "user")
    if query:
        people = people.filter(search_key__contains=fold(query))
    staff_ids = {s.pk: s for s in people}
    me = staff_of(user)
    if me is not None:
        staff_ids.pop(me.pk, None)  # nobody reviews signals about themself
    signals = signals_among(staff_ids, month, kind=kind, now=now)
    reviews = {r.key: r for r in SignalReview.objects.filter(key__in=[s.key for s in signals])
               .select_related("actor", "violation")}
    for signal in signals:
        signal.review = reviews.get(signal.key)
    if not reviewed:
        signals = [s for s in signals if s.review is None]
    order = list(SIGNAL_KINDS)
    signals.sort(key=lambda s: (order.index(s.kind), -s.count, s.staff.full_name))
    return signals


def signal_get(*, user, month: str, key: str) -> Signal | None:
    """One signal by its key, as the user may see it (None when it is not, or no longer, computed)."""
    kind = key.split(":", 1)[0]
    if kind not in SIGNAL_KINDS:
        return None
    return next((s for s in signal_list(user=user, month=month, kind=kind, reviewed=True) if s.key == key), None)
