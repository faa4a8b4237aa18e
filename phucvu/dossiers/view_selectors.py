"""Reads the desk pages need beyond the dossiers selectors: the work queue per role, the filters, the
timeline and the register. Every query starts from `visible_dossiers(user)` (the visibility rule);
nothing here widens what a user may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from phucvu.core.text import fold
from phucvu.dossiers.clock import calendar_for
from phucvu.dossiers.models import OPEN_STATUSES, PAUSED_STATUSES, Dossier, DossierEvent, DossierStep, Status
from phucvu.organization.models import Role, Staff


def visible_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers selector's visibility rule; a local copy of it until that selector lands."""
    try:
        from phucvu.dossiers.selectors import dossier_list
    except ImportError:
        from phucvu.organization.selectors import visible_agencies

        agencies = visible_agencies(user)
        return Dossier.objects.filter(
            Q(agency__in=agencies)
            | Q(pk__in=DossierStep.objects.filter(agency__in=agencies).values("dossier_id")))
    return dossier_list(user)


# A dossier is "due soon" when less than one working day is left.
SOON_MINUTES = 480

QUEUE_RELATED = ("procedure", "agency", "current_step", "current_step__agency", "current_step__assignee")


@dataclass(frozen=True)
class QueueFilters:
    query: str = ""
    status: str = ""
    procedure_id: int | None = None
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    mine: bool = True  # the role's own work; False: every dossier the user may see


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply_filters(qs: QuerySet[Dossier], f: QueueFilters) -> QuerySet[Dossier]:
    if f.query:
        key = fold(f.query)
        # Codes are typed as printed; names and ID numbers match without accents.
        qs = qs.filter(Q(code__iexact=f.query.strip()) | Q(search_key__contains=key))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.procedure_id:
        qs = qs.filter(procedure_id=f.procedure_id)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.received_from:
        qs = qs.filter(received_at__gte=_day_start(f.received_from))
    if f.received_to:
        qs = qs.filter(received_at__lt=_day_start(f.received_to + dt.timedelta(days=1)))
    return qs


def role_work(qs: QuerySet[Dossier], staff: Staff | None) -> QuerySet[Dossier]:
    """What this person's role has to do now.

    - desk clerk: online submissions to accept, papers awaited, results to return, new dossiers to pass on;
    - specialist: the open steps assigned to them, and unassigned specialist steps of their agency;
    - leader: dossiers waiting at a leader's step (to approve and sign) or not yet assigned;
    - others (inspectors, admins): every open dossier they may see.
    """
    if staff is None:
        return qs.filter(status__in=[Status.SUBMITTED, *OPEN_STATUSES, Status.RESOLVED])
    role = staff.role
    if role == Role.DESK_CLERK:
        active = [Status.RECEIVED, Status.PROCESSING]
        return qs.filter(Q(status__in=[Status.SUBMITTED, Status.RESOLVED, *PAUSED_STATUSES])
                         | Q(status__in=active, current_step__role__in=["", Role.DESK_CLERK])
                         | Q(status__in=active, current_step__assignee=staff))
    if role == Role.SPECIALIST:
        return qs.filter(status__in=OPEN_STATUSES).filter(
            Q(current_step__assignee=staff)
            | Q(current_step__assignee__isnull=True, current_step__role=Role.SPECIALIST,
                current_step__agency_id=staff.agency_id))
    if role == Role.UNIT_LEADER:
        return qs.filter(status__in=OPEN_STATUSES).filter(
            Q(current_step__role=Role.UNIT_LEADER, approved_at__isnull=True)
            | Q(current_step__assignee=staff)
            | Q(current_step__assignee__isnull=True, current_step__role=Role.SPECIALIST))
    return qs.filter(status__in=OPEN_STATUSES)


def work_queue(user, staff: Staff | None, f: QueueFilters) -> QuerySet[Dossier]:
    qs = visible_dossiers(user).select_related(*QUEUE_RELATED)
    if f.mine and not f.status:
        qs = role_work(qs, staff)
    qs = apply_filters(qs, f)
    # Most urgent first; dossiers without an appointment (online, not yet accepted) last.
    return qs.order_by(F("due_at").asc(nulls_last=True), "id")


def soon_limit(agency_id: int | None, now: dt.datetime) -> dt.datetime:
    """The moment before which an open dossier's appointment counts as due soon."""
    return calendar_for(agency_id).add_working_minutes(now, SOON_MINUTES)


def urgency(dossier: Dossier, now: dt.datetime, soon: dt.datetime) -> str:
    """'overdue' | 'soon' | '' for an open dossier, from its appointment."""
    if dossier.status not in OPEN_STATUSES or dossier.due_at is None:
        return ""
    if dossier.due_at < now:
        return "overdue"
    if dossier.due_at <= soon:
        return "soon"
    return ""


def timeline(dossier: Dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier=dossier).select_related("actor", "step", "step__agency")
                .order_by("at", "id"))


def steps_of(dossier: Dossier) -> list[DossierStep]:
    return list(DossierStep.objects.filter(dossier=dossier).select_related("agency", "assignee")
                .order_by("order"))


def assignable_staff(user, agency_id: int, role: str = "") -> list[Staff]:
    """Cadres of the agency holding a step, that the acting user may see, for the assign list."""
    from phucvu.organization.selectors import visible_agencies

    qs = Staff.objects.filter(active=True, agency__in=visible_agencies(user)).filter(
        Q(agency_id=agency_id) | Q(agency__parent_id=agency_id))
    if role:
        qs = qs.filter(role=role)
    return list(qs.select_related("agency").order_by("full_name")[:200])


def register_rows(user, *, agency_id: int | None, received_from: dt.date | None,
                  received_to: dt.date | None) -> QuerySet[Dossier]:
    """The register (sổ theo dõi): every dossier received in the period, in order of receipt."""
    qs = visible_dossiers(user).filter(received_at__isnull=False).select_related("procedure", "agency")
    if agency_id:
        from phucvu.organization.models import Agency

        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is not None:
            qs = qs.filter(agency__path__startswith=agency.path)
    qs = apply_filters(qs, QueueFilters(received_from=received_from, received_to=received_to))
    return qs.order_by("received_at", "id")
