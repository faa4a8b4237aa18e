"""Reads the desk pages need beyond the dossiers selectors: the queue's extra filters, the role's own
work narrowed to the steps of that role, the register. Every query starts from a dossiers selector
(`dossier_queue`, `visible_dossiers`: the visibility rule); nothing here widens what a user may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from phucvu.catalog.selectors import procedure_search
from phucvu.dossiers import authority, selectors
from phucvu.dossiers.models import Dossier
from phucvu.organization.models import Agency, AgencyKind, Role, Staff

QUEUE_RELATED = ("procedure", "agency", "current_step", "current_step__agency", "current_step__assignee")


@dataclass(frozen=True)
class QueueFilters:
    query: str = ""
    status: str = ""
    procedure: str = ""  # the procedure's name (accents optional) or national code
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    mine: bool = True  # the role's own work; False: every dossier the user may see
    below: bool = False  # a leader's second list: what is overdue at the units below them


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def apply_filters(qs: QuerySet[Dossier], f: QueueFilters) -> QuerySet[Dossier]:
    if f.status:
        qs = qs.filter(status=f.status)
    if f.procedure:
        qs = qs.filter(procedure__in=procedure_search(query=f.procedure, include_inactive=True).values("pk"))
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.received_from:
        qs = qs.filter(received_at__gte=_day_start(f.received_from))
    if f.received_to:
        qs = qs.filter(received_at__lt=_day_start(f.received_to + dt.timedelta(days=1)))
    return qs


def role_work(qs: QuerySet[Dossier], staff: Staff | None) -> QuerySet[Dossier]:
    """Narrow the dossiers selector's queue to the steps of the person's role.

    A specialist sees the steps assigned to them and the unassigned specialist steps (not the desk's
    reception steps that happen to be in their commune); a leader sees only the steps that are theirs: the
    leader's steps (to approve and sign) and the steps still to assign at their own agency, and what was
    given to them — not the wards' signatures below a province's leader (those are `overdue_below`).
    Everyone else keeps the selector's queue.
    """
    if staff is None:
        return qs
    mine = Q(current_step__assignee=staff)
    if staff.role == Role.SPECIALIST:
        return qs.filter(mine | Q(current_step__role__in=["", Role.SPECIALIST]))
    if staff.role == Role.UNIT_LEADER:
        own = _at_seat(staff) & (Q(current_step__role=Role.UNIT_LEADER) | Q(current_step__assignee__isnull=True))
        return qs.filter(mine | own)
    return qs


def _at_seat(staff: Staff) -> Q:
    """The current step is held where the cadre works (a commune and its one-stop desk are one seat)."""
    seat = authority.seat_id(staff.agency)
    return Q(current_step__agency_id=seat) | Q(current_step__agency__parent_id=seat,
                                                current_step__agency__kind=AgencyKind.DESK)


def overdue_below(user, staff: Staff | None, *, query: str = "", now: dt.datetime | None = None
                  ) -> QuerySet[Dossier]:
    """A leader's second list: open dossiers in their scope whose current step (or the whole dossier) is past
    due at a unit other than their own — to follow up, not to sign."""
    now = now or timezone.now()
    qs = selectors.dossier_queue(user, query=query).filter(Q(current_step__due_at__lt=now) | Q(due_at__lt=now))
    if staff is not None:
        qs = qs.exclude(_at_seat(staff))
    return qs


def work_queue(user, staff: Staff | None, f: QueueFilters) -> QuerySet[Dossier]:
    """"Việc của tôi" (the role's queue) or every visible dossier, filtered, most urgent first."""
    if f.below:
        qs = overdue_below(user, staff, query=f.query)
    elif f.mine:
        qs = role_work(selectors.dossier_queue(user, query=f.query), staff)
    else:
        qs = selectors.dossier_list(user, query=f.query).select_related(*QUEUE_RELATED)
    qs = apply_filters(qs, f)
    # Dossiers without an appointment (online, not yet accepted) come last.
    return qs.order_by(F("due_at").asc(nulls_last=True), "id")


def assignable_staff(agency: Agency, role: str = "") -> list[Staff]:
    """The cadres in the step's role who work at the agency holding it (a commune's desk and the commune are
    one seat, as in the table of who may act): whom the step can be given to, on assignment or on forwarding."""
    seat = authority.seat_id(agency)
    qs = Staff.objects.filter(active=True).filter(
        Q(agency_id=seat) | Q(agency__parent_id=seat, agency__kind=AgencyKind.DESK))
    if role:
        qs = qs.filter(role=role)
    return list(qs.select_related("agency").order_by("full_name")[:200])


def register_rows(user, *, agency_id: int | None, received_from: dt.date | None,
                  received_to: dt.date | None) -> QuerySet[Dossier]:
    """The register (sổ theo dõi): every dossier received in the period, in order of receipt."""
    qs = selectors.visible_dossiers(user).filter(received_at__isnull=False).select_related("procedure", "agency")
    if agency_id:
        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is not None:
            qs = qs.filter(agency__path__startswith=agency.path)
    qs = apply_filters(qs, QueueFilters(received_from=received_from, received_to=received_to))
    return qs.order_by("received_at", "id")


def successors(dossier: Dossier) -> list:
    """The recorded successors (merge, split) of the agency holding the dossier now: where it may go."""
    step = dossier.current_step
    holder_id = step.agency_id if step is not None else dossier.agency_id
    return list(Agency.objects.filter(successions_in__predecessor_id=holder_id).order_by("name"))
