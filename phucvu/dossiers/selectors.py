"""Every read of dossiers, scoped by the visibility rule.

A dossier is visible to a user when its receiving agency, or the agency of any of its steps, is among
`visible_agencies(user)`: an inter-connected dossier shows up at each agency it passes through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from phucvu.core.exceptions import NotAllowed, NotFound
from phucvu.core.localtime import start_of_day
from phucvu.core.text import fold
from phucvu.dossiers import authority
from phucvu.dossiers.clock import calendar_for, calendars_for
from phucvu.dossiers.models import (
    OPEN_STATUSES,
    PAUSED_STATUSES,
    Dossier,
    DossierEvent,
    DossierStep,
    EventKind,
    PersonalDataAccess,
    ResultRecord,
    Status,
)
from phucvu.organization.models import Agency, Role, Staff
from phucvu.organization.selectors import staff_of, visible_agencies


def _visible_q(user) -> Q:
    agencies = visible_agencies(user).values("pk")
    return Q(agency_id__in=agencies) | Q(Exists(
        DossierStep.objects.filter(dossier=OuterRef("pk"), agency_id__in=agencies)))


def visible_dossiers(user) -> QuerySet[Dossier]:
    if getattr(user, "is_superuser", False) and user.is_active:
        return Dossier.objects.all()
    return Dossier.objects.filter(_visible_q(user))


def _search(qs: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    query = (query or "").strip()
    if not query:
        return qs
    words = Q()
    for word in fold(query).split():
        words &= Q(search_key__contains=word)
    return qs.filter(Q(code__iexact=query) | words)


def dossier_list(user, *, query: str = "", status: str = "", agency_id: int | None = None,
                 procedure_id: int | None = None, received_from: dt.date | None = None,
                 received_to: dt.date | None = None, overdue: bool | None = None) -> QuerySet[Dossier]:
    """Every visible dossier, newest first, with the filters of the register page."""
    qs = _search(visible_dossiers(user), query)
    if status:
        qs = qs.filter(status=status)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if procedure_id:
        qs = qs.filter(procedure_id=procedure_id)
    tz = timezone.get_default_timezone()
    if received_from:
        qs = qs.filter(received_at__gte=dt.datetime.combine(received_from, dt.time(0), tz))
    if received_to:
        qs = qs.filter(received_at__lt=dt.datetime.combine(received_to + dt.timedelta(days=1), dt.time(0), tz))
    if overdue is not None:
        now = timezone.now()
        late = Q(status__in=OPEN_STATUSES, due_at__lt=now) | Q(resolved_at__isnull=False,
                                                               resolved_at__gt=F("due_at"))
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return (qs.select_related("procedure", "agency", "competent_agency", "current_step")
            .order_by("-received_at", "-id"))


def dossier_queue(user, *, query: str = "", status: str = "", due: str = "",
                  now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """The work in front of a user, sorted by due moment (soonest first).

    - desk clerks: online submissions to accept, and results to hand back, at the desks they serve, plus
      dossiers whose current step is at their desk;
    - specialists: the current steps assigned to them, and the unassigned ones at their agency;
    - leaders (and oversight roles): every open dossier whose current step is in their scope.
    `due`: "soon" (less than one working day left) or "overdue".
    """
    staff = staff_of(user)
    agencies = visible_agencies(user).values("pk")
    at_step = Q(current_step__agency_id__in=agencies)
    waiting = Q(status__in=[*OPEN_STATUSES], current_step__finished_at__isnull=True)
    role = staff.role if staff else Role.SYSTEM_ADMIN
    if role == Role.DESK_CLERK:
        scope = (Q(agency_id__in=agencies, status__in=[Status.SUBMITTED, Status.RESOLVED])
                 | (waiting & at_step) | Q(agency_id__in=agencies, status__in=PAUSED_STATUSES))
    elif role == Role.SPECIALIST:
        scope = waiting & at_step & (Q(current_step__assignee=staff) | Q(current_step__assignee__isnull=True))
    else:
        scope = waiting & at_step
    qs = _search(Dossier.objects.filter(scope), query)
    if status:
        qs = qs.filter(status=status)
    now = now or timezone.now()
    if due == "overdue":
        qs = qs.filter(due_at__lt=now, status__in=OPEN_STATUSES)
    elif due == "soon":
        qs = qs.filter(due_soon_q(qs, now))
    return (qs.select_related("procedure", "agency", "competent_agency", "current_step", "current_step__assignee",
                              "current_step__agency")
            .order_by("due_at", "id"))


def soon_threshold(agency_id: int, now: dt.datetime) -> dt.datetime:
    """The moment one working day of the agency's calendar from now: due before it is "due soon".

    Working time, not hours on the wall: on Friday afternoon a dossier due Monday morning is due soon,
    one due Monday at 17:00 is not; over Tết the threshold moves past the holidays.
    """
    cal = calendar_for(agency_id)
    return cal.add_working_minutes(now, cal.minutes_per_day)


def soon_thresholds(agencies: Iterable[Agency], now: dt.datetime) -> dict[int, dt.datetime]:
    """`soon_threshold` of many agencies (with `path` loaded) at once, by agency id: one stamp query for all,
    so a page of dossiers costs no query per row."""
    unique = {a.pk: a for a in agencies}
    return {pk: cal.add_working_minutes(now, cal.minutes_per_day)
            for pk, cal in calendars_for(unique.values()).items()}


def due_soon_q(qs: QuerySet[Dossier], now: dt.datetime) -> Q:
    """Open dossiers of `qs` with less than one working day left, each by its receiving agency's calendar."""
    open_dossiers = qs.filter(status__in=OPEN_STATUSES, due_at__gte=now).order_by().values("agency_id")
    agencies = Agency.objects.filter(pk__in=open_dossiers).only("path")
    by_threshold: dict[dt.datetime, list[int]] = {}
    for agency_id, threshold in soon_thresholds(agencies, now).items():
        by_threshold.setdefault(threshold, []).append(agency_id)
    q = Q(pk__in=[])
    for threshold, agency_ids in by_threshold.items():
        q |= Q(agency_id__in=agency_ids, due_at__lt=threshold)
    return Q(status__in=OPEN_STATUSES, due_at__gte=now) & q


def due_state(dossier: Dossier, now: dt.datetime | None = None,
              thresholds: dict[int, dt.datetime] | None = None) -> str:
    """"overdue", "soon" (less than one working day left), "ok" for an open dossier; "" otherwise.

    `thresholds`: `soon_thresholds(...)` computed for the same `now`, for a page of dossiers.
    """
    if dossier.status not in OPEN_STATUSES or dossier.due_at is None:
        return ""
    now = now or timezone.now()
    if dossier.due_at < now:
        return "overdue"
    threshold = (thresholds or {}).get(dossier.agency_id) or soon_threshold(dossier.agency_id, now)
    if dossier.due_at < threshold:
        return "soon"
    return "ok"


def page_due_states(dossiers: Iterable[Dossier], now: dt.datetime) -> list[str]:
    """`due_state` of each dossier of a page (with `agency` loaded), the calendars read once for all."""
    dossiers = list(dossiers)
    thresholds = soon_thresholds((d.agency for d in dossiers), now)
    return [due_state(d, now, thresholds) for d in dossiers]


def dossier_get(user, pk: int) -> Dossier:
    found = (Dossier.objects.select_related("procedure", "procedure_version", "agency", "competent_agency", "field",
                                            "current_step",
                                            "current_step__agency", "current_step__assignee", "received_by")
             .filter(pk=pk).first())
    if found is None:
        raise NotFound(gettext("Không tìm thấy hồ sơ."))
    ensure_dossier_visible(user, pk)
    return found


def ensure_dossier_visible(user, pk: int) -> None:
    """The visibility rule for one dossier: `NotAllowed` when `user` may not see it."""
    if not visible_dossiers(user).filter(pk=pk).exists():
        raise NotAllowed(gettext("Bạn không có quyền xem hồ sơ này."))


def dossier_by_code(user, code: str) -> Dossier:
    pk = Dossier.objects.filter(code=code.strip()).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound(gettext("Không tìm thấy hồ sơ."))
    return dossier_get(user, pk)


def dossier_events(dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "step").order_by("at", "id")


def approver_of(dossier: Dossier) -> Staff | None:
    """The leader who approved (signed) the dossier's result, if any."""
    event = (dossier.events.filter(kind=EventKind.APPROVED).select_related("actor").order_by("-at", "-id").first())
    return event.actor if event else None


def result_record(dossier: Dossier) -> ResultRecord | None:
    """The recorded result (decision number, signer, document; how it was handed back), if any."""
    return ResultRecord.objects.select_related("signer", "recorded_by", "returned_by").filter(pk=dossier.pk).first()


def dossier_steps(dossier: Dossier) -> QuerySet[DossierStep]:
    return dossier.steps.select_related("agency", "assignee").order_by("order")


def dossier_actions(user, dossier: Dossier, *, now: dt.datetime | None = None,
                    steps: list[DossierStep] | None = None) -> list[str]:
    """The actions this user may take on this dossier now: the table of who may act (`authority`) and the
    state rules the services check besides (a next step to forward to, the apology's once-before-due, the
    signature at the signing step before the result). The services decide for good, under the lock.

    `steps`: the dossier's steps already read (`dossier_steps`, with their agencies): the next step and the
    signing step are found in them, not read again."""
    staff = staff_of(user)
    if staff is None:
        return []
    now = now or timezone.now()
    step = dossier.current_step
    if steps is not None:
        authority.remember_signing_step(dossier, steps)
        last = step is None or not any(s.order > step.order for s in steps)
    else:
        last = step is None or not DossierStep.objects.filter(dossier=dossier, order__gt=step.order).exists()
    actions = authority.permitted(staff, dossier)
    drop = set()
    if last:
        drop.add("forward")
    if dossier.due_at is None or now >= dossier.due_at or dossier.reappointed_at is not None:
        drop.add("apologize")
    if dossier.approved_at is not None or not authority.at_signing_step(dossier):
        drop.add("approve")
    if not last or (dossier.approved_at is None and authority.signing_step(dossier) is not None):
        drop.add("resolve")  # the last step records the result, after the leader signed
    return [a for a in actions if a not in drop]


# --- who read personal data (docs/security.md §3) -------------------------------------------------------

def access_log(user, *, query: str = "", action: str = "", date_from: dt.date | None = None,
               date_to: dt.date | None = None, via_api: bool | None = None) -> QuerySet[PersonalDataAccess]:
    """The access log of the dossiers the reader sees, newest first; only for the table's readers
    (`authority.ACCESS_LOG_READERS`). `query`: a dossier code, a username or a staff name (accents optional)."""
    authority.ensure_may_read_access_log(user)
    qs = PersonalDataAccess.objects.select_related("user", "user__staff", "dossier", "agency")
    if not (getattr(user, "is_superuser", False) and user.is_active):
        qs = qs.filter(agency_id__in=visible_agencies(user).values("pk"))
    if action:
        qs = qs.filter(action=action)
    if via_api is not None:
        qs = qs.filter(via_api=via_api)
    if date_from:
        qs = qs.filter(at__gte=start_of_day(date_from))
    if date_to:
        qs = qs.filter(at__lt=start_of_day(date_to + dt.timedelta(days=1)))
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(dossier__code__iexact=query) | Q(user__username__iexact=query)
                       | Q(user__staff__search_key__contains=fold(query)))
    return qs.order_by("-at", "-id")
