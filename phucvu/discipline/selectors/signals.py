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
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from phucvu.core.localtime import LOCAL_TZ, local_day, start_of_day
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


def month_of(moment: dt.datetime) -> str:
    """The local month an instant falls in, as "YYYY-MM"."""
    return f"{local_day(moment):%Y-%m}"


# What each maker returns before the dossiers' codes are read: (kind, cadre id, month, key, count, detail,
# ids of the dossiers behind it). The codes of every signal's dossiers are then read in one query.
Found = tuple[str, int, str, str, int, str, set[int]]


def _signals(kind: str, found: dict[tuple[str, int], set[int]], detail: str | Promise) -> list[Found]:
    """One signal per (month, cadre) with the dossiers behind it; `detail` says how many, from "%(n)s"."""
    return [(kind, who, month, f"{kind}:{who}:{month}", len(ids), str(detail) % {"n": len(ids)}, ids)
            for (month, who), ids in found.items()]


def _repeated_supplements(staff_ids, start, end, months) -> list[Found]:
    events = (DossierEvent.objects.filter(kind=EventKind.SUPPLEMENT_REQUESTED, dossier__supplement_count__gte=2,
                                          dossier__in=DossierEvent.objects.filter(
                                              kind=EventKind.SUPPLEMENT_REQUESTED, at__gte=start, at__lt=end)
                                          .values("dossier"))
              .order_by("dossier_id", "at", "id").values_list("dossier_id", "actor_id", "at"))
    seen: dict[int, int] = defaultdict(int)
    found: dict[tuple[str, int], set[int]] = defaultdict(set)
    for dossier_id, actor_id, at in events:
        seen[dossier_id] += 1
        if seen[dossier_id] >= 2 and start <= at < end and actor_id in staff_ids and month_of(at) in months:
            found[month_of(at), actor_id].add(dossier_id)
    return _signals("repeated_supplement", found, _("%(n)s hồ sơ bị yêu cầu bổ sung từ lần thứ hai"))


def _supplement_rates(staff_ids, start, end, months) -> list[Found]:
    """Per month and procedure, each cadre's share of dossiers they asked to supplement, against their peers'
    (every cadre who acted on the procedure's dossiers that month, wherever they work)."""
    by_month = TruncMonth("at", tzinfo=LOCAL_TZ)
    # Only a (month, procedure) where one of the cadres asked for RATE_MIN_SUPPLEMENTS supplements can give a
    # signal: found first from the supplement requests alone (a few in a thousand events), so the peers'
    # counts below read the events of those procedures' dossiers only.
    candidates = {(month_of(m), p) for m, p in
                  DossierEvent.objects.filter(kind=EventKind.SUPPLEMENT_REQUESTED, at__gte=start, at__lt=end,
                                              actor_id__in=list(staff_ids))
                  .annotate(month=by_month).values("month", "actor_id", "dossier__procedure_id")
                  .annotate(asked=Count("dossier", distinct=True)).filter(asked__gte=RATE_MIN_SUPPLEMENTS)
                  .values_list("month", "dossier__procedure_id")}
    candidates = {(m, p) for m, p in candidates if m in months}
    if not candidates:
        return []
    rows = (DossierEvent.objects.filter(at__gte=start, at__lt=end, actor__isnull=False,
                                        dossier__in=Dossier.objects.filter(
                                            procedure_id__in={p for _m, p in candidates}).values("pk"))
            .annotate(month=by_month)
            .values("month", "actor_id", "dossier__procedure_id")
            .annotate(handled=Count("dossier", distinct=True),
                      asked=Count("dossier", distinct=True, filter=Q(kind=EventKind.SUPPLEMENT_REQUESTED))))
    by_procedure: dict[tuple[str, int], list[tuple[int, int, int]]] = defaultdict(list)
    for row in rows:
        month = month_of(row["month"])
        if (month, row["dossier__procedure_id"]) in candidates:
            by_procedure[month, row["dossier__procedure_id"]].append((row["actor_id"], row["handled"], row["asked"]))
    flagged: list[tuple[str, int, int, str, int]] = []  # (month, cadre, procedure, detail, asked)
    for (month, procedure_id), people in by_procedure.items():
        rates = [asked / handled for _a, handled, asked in people if handled >= RATE_MIN_DOSSIERS]
        if len(rates) < RATE_MIN_PEERS:
            continue
        median, mean, sd = statistics.median(rates), statistics.mean(rates), statistics.pstdev(rates)
        for actor_id, handled, asked in people:
            if actor_id not in staff_ids or handled < RATE_MIN_DOSSIERS or asked < RATE_MIN_SUPPLEMENTS:
                continue
            rate = asked / handled
            if (median > 0 and rate > RATE_TIMES_MEDIAN * median) or (sd > 0 and rate > mean + RATE_STDEVS * sd):
                detail = str(_("%(asked)s/%(handled)s hồ sơ (%(rate)s %%) bị yêu cầu bổ sung; trung vị của "
                               "%(peers)s cán bộ cùng thủ tục: %(median)s %%")) % {
                    "asked": asked, "handled": handled, "rate": round(rate * 100), "peers": len(rates),
                    "median": round(median * 100)}
                flagged.append((month, actor_id, procedure_id, detail, asked))
    if not flagged:
        return []
    behind: dict[tuple[str, int, int], set[int]] = defaultdict(set)
    for actor_id, procedure_id, dossier_id, at in (
            DossierEvent.objects.filter(actor_id__in={f[1] for f in flagged}, kind=EventKind.SUPPLEMENT_REQUESTED,
                                        at__gte=start, at__lt=end,
                                        dossier__procedure_id__in={f[2] for f in flagged})
            .order_by().values_list("actor_id", "dossier__procedure_id", "dossier_id", "at")):
        behind[month_of(at), actor_id, procedure_id].add(dossier_id)
    return [("supplement_rate", a, m, f"supplement_rate:{a}:{p}:{m}", asked, detail, behind[m, a, p])
            for m, a, p, detail, asked in flagged]


def _late_without_apology(staff_ids, start, end, months, now) -> list[Found]:
    """Dossiers due in the month that were resolved after their due moment, or are still open past it, and have
    no apology letter; the cadre is the one who held the first late step (else who received the dossier)."""
    apologized = DossierEvent.objects.filter(dossier=OuterRef("pk"), kind=EventKind.APOLOGIZED)
    late = {pk: (receiver, due) for pk, receiver, due in
            Dossier.objects.filter(due_at__gte=start, due_at__lt=min(end, now))
            .exclude(status__in=[Status.WITHDRAWN, Status.REFUSED])
            .filter(Q(resolved_at__isnull=True, stopped_at__isnull=True) | Q(resolved_at__gt=F("due_at")))
            .filter(~Exists(apologized)).order_by().values_list("pk", "received_by_id", "due_at")}
    owners: dict[int, int] = {}
    for dossier_id, assignee_id in (DossierStep.objects.filter(dossier_id__in=list(late), outcome="late")
                                    .exclude(assignee=None).order_by("dossier_id", "order")
                                    .values_list("dossier_id", "assignee_id")):
        owners.setdefault(dossier_id, assignee_id)
    found: dict[tuple[str, int], set[int]] = defaultdict(set)
    for dossier_id, (receiver, due) in late.items():
        who = owners.get(dossier_id, receiver)
        if who in staff_ids and due is not None and month_of(due) in months:
            found[month_of(due), who].add(dossier_id)
    return _signals("late_no_apology", found, _("%(n)s hồ sơ quá hạn mà không có văn bản xin lỗi"))


def _unhappy_votes(staff_ids, start, end, months) -> list[Found]:
    found: dict[tuple[str, int], set[int]] = defaultdict(set)
    for clerk_id, dossier_id, at in (SatisfactionVote.objects.filter(current=True, at__gte=start, at__lt=end,
                                                                     clerk_level=Satisfaction.NOT_SATISFIED,
                                                                     clerk_id__in=list(staff_ids))
                                     .order_by().values_list("clerk_id", "dossier_id", "at")):
        if month_of(at) in months:
            found[month_of(at), clerk_id].add(dossier_id)
    return _signals("unhappy_votes", found, _("%(n)s lượt công dân đánh giá không hài lòng với cán bộ"))


def _overheld_steps(staff_ids, start, end, months) -> list[Found]:
    found: dict[tuple[str, int], set[int]] = defaultdict(set)
    steps = (DossierStep.objects.filter(finished_at__gte=start, finished_at__lt=end, assignee_id__in=list(staff_ids),
                                        started_at__isnull=False, due_at__isnull=False,
                                        finished_at__gt=F("due_at"))
             .order_by().values_list("assignee_id", "dossier_id", "started_at", "due_at", "finished_at"))
    for assignee_id, dossier_id, started, due, finished in steps:
        if (started and due and finished and due > started and finished - started > OVERHELD_TIMES * (due - started)
                and month_of(finished) in months):
            found[month_of(finished), assignee_id].add(dossier_id)
    return _signals("step_overheld", found, _("%(n)s bước xử lý giữ quá gấp đôi thời gian cho phép"))


def signals_among(staff_ids: dict[int, Staff], month: str, *, kind: str = "",
                  now: dt.datetime | None = None) -> list[Signal]:
    """The month's signals about the cadres given (id → cadre), reviewed or not, for whoever reads them
    without a user's scope."""
    return signals_over(staff_ids, [month], kind=kind, now=now)


def signals_over(staff_ids: dict[int, Staff], months: list[str], *, kind: str = "",
                 now: dt.datetime | None = None) -> list[Signal]:
    """The signals of each of those months about the cadres given (id → cadre), as `signals_among` gives them
    month by month, read together: each kind is one pass over the months' span, and the codes of every
    signal's dossiers one query, so the cost does not grow with the number of months or signals (the
    inspections' risk proposals read three months, docs/inspections.md §11)."""
    if not months or not staff_ids:
        return []
    wanted = set(months)
    start, end = month_bounds(min(wanted))[0], month_bounds(max(wanted))[1]
    now = now or dt.datetime.now(tz=dt.UTC)
    makers = {
        "repeated_supplement": lambda: _repeated_supplements(staff_ids, start, end, wanted),
        "supplement_rate": lambda: _supplement_rates(staff_ids, start, end, wanted),
        "late_no_apology": lambda: _late_without_apology(staff_ids, start, end, wanted, now),
        "unhappy_votes": lambda: _unhappy_votes(staff_ids, start, end, wanted),
        "step_overheld": lambda: _overheld_steps(staff_ids, start, end, wanted),
    }
    found: list[Found] = []
    for name, make in makers.items():
        if not kind or kind == name:
            found += make()
    shown = {f[0:4]: sorted(f[6])[:DOSSIERS_SHOWN] for f in found}
    codes = dict(Dossier.objects.filter(pk__in={pk for ids in shown.values() for pk in ids}).order_by()
                 .values_list("pk", "code")) if shown else {}
    return [Signal(kind_, staff_ids[who], month, key, count, detail,
                   [(pk, codes[pk]) for pk in shown[kind_, who, month, key] if pk in codes])
            for kind_, who, month, key, count, detail, _ids in found]


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
