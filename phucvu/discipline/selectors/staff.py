"""The page of one cadre: indicators from the one-stop data, sanctions, breaches, score sheets and grades
(docs/discipline.md §6.1), under the visibility rule."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, F, Q

from phucvu.core.exceptions import NotFound
from phucvu.discipline.authority import refusal, user_may
from phucvu.discipline.grading import Graded
from phucvu.discipline.models import (
    CaseStatus,
    Commitment,
    DisciplineCase,
    Sanction,
    ScoreSheet,
    SheetStatus,
    StaffProfile,
    Violation,
)
from phucvu.discipline.selectors.emulation import award_list
from phucvu.discipline.selectors.evaluation import grading_for, visible_sheets
from phucvu.discipline.selectors.tasks import STATUS_LABELS, measure, visible_tasks
from phucvu.dossiers.models import DossierEvent, DossierStep, EventKind
from phucvu.organization.models import Role, Staff
from phucvu.organization.selectors import ensure_visible, staff_of
from phucvu.portal.models import Satisfaction, SatisfactionVote


def staff_visible(*, user, staff_id: int) -> Staff:
    staff = Staff.objects.select_related("agency", "user").filter(pk=staff_id).first()
    if staff is None:
        raise NotFound("Không có cán bộ này.")
    me = staff_of(user)
    if me is None or me.pk != staff.pk:
        ensure_visible(user, staff.agency_id)
    return staff


def grade_readable(user, staff: Staff) -> bool:
    """A cadre's yearly score and grade: the cadre's own, else for whom the authority table lets read the
    unit's grades (`ranking_read`, docs/discipline.md §7.6) — not a colleague."""
    me = staff_of(user)
    return (me is not None and me.pk == staff.pk) or user_may(user, "ranking_read", agency_id=staff.agency_id)


def staff_year(*, user, staff_id: int, year: int) -> tuple[Staff, Graded | None, list[ScoreSheet]]:
    """The yearly sheet's content (the PDF): the cadre, their grade, the final sheets the user may see."""
    staff = staff_visible(user=user, staff_id=staff_id)
    if not grade_readable(user, staff):
        raise refusal("ranking_read")
    graded = next((g for g in grading_for(staff.agency, year).staff if g.username == staff.user.username), None)
    sheets = list(visible_sheets(user).filter(staff=staff, year=year, status=SheetStatus.FINAL)
                  .order_by("period_kind", "number"))
    return staff, graded, sheets


def holds_post(staff: Staff) -> bool:
    """A leader or manager (docs/discipline.md §6.1): the role of unit leader, or the post recorded on the
    cadre's profile from the staff file."""
    if staff.role == Role.UNIT_LEADER:
        return True
    return StaffProfile.objects.filter(staff_id=staff.pk, holds_post=True).exists()


def one_stop_indicators(staff: Staff, year: int) -> dict[str, Any]:
    """What the one-stop data says about the cadre's year: steps finished (on time), supplements requested,
    apologies, citizens' votes on the clerk."""
    steps = DossierStep.objects.filter(assignee=staff, finished_at__year=year).aggregate(
        handled=Count("pk"), on_time=Count("pk", filter=Q(due_at__isnull=True) | Q(finished_at__lte=F("due_at"))))
    events = dict(DossierEvent.objects.filter(actor=staff, at__year=year, kind__in=[
        EventKind.SUPPLEMENT_REQUESTED, EventKind.APOLOGIZED]).values_list("kind").annotate(n=Count("pk")))
    votes = SatisfactionVote.objects.filter(clerk=staff, current=True, at__year=year).aggregate(
        total=Count("pk"), unhappy=Count("pk", filter=Q(clerk_level=Satisfaction.NOT_SATISFIED)))
    handled = steps["handled"] or 0
    return {"handled": handled, "on_time": steps["on_time"] or 0,
            "on_time_rate": (steps["on_time"] / handled) if handled else None,
            "supplements": events.get(EventKind.SUPPLEMENT_REQUESTED, 0),
            "apologies": events.get(EventKind.APOLOGIZED, 0), "votes": votes["total"] or 0,
            "unhappy": votes["unhappy"] or 0}


def staff_page(*, user, staff_id: int, year: int) -> dict[str, Any]:
    staff = staff_visible(user=user, staff_id=staff_id)
    readable = grade_readable(user, staff)
    mine = next((g for g in grading_for(staff.agency, year).staff if g.username == staff.user.username),
                None) if readable else None
    return {
        "staff": staff, "year": year,
        "profile": StaffProfile.objects.select_related("job_position").filter(staff=staff).first(),
        "holds_post": holds_post(staff),
        "indicators": one_stop_indicators(staff, year),
        "sheets": visible_sheets(user).filter(staff=staff, year=year).order_by("period_kind", "number"),
        "all_sheets": ScoreSheet.objects.filter(staff=staff, year=year).count(),
        "grade": mine, "grade_hidden": not readable,
        "sanctions": Sanction.objects.filter(staff=staff).select_related("staff", "revocation").order_by("-decided_on"),
        "violations": Violation.objects.filter(staff=staff).order_by("-occurred_on")[:20],
        "open_case": DisciplineCase.objects.filter(staff=staff, status=CaseStatus.OPEN).exists(),
        "commitments": Commitment.objects.filter(staff=staff).select_related("text").order_by("-year", "-signed_on"),
        "task_counts": task_counts(user, staff, year),
        "award_count": award_list(user=user, staff_id=staff.pk).count(),
    }


def task_counts(user, staff: Staff, year: int) -> list[tuple[str, str, int]]:
    """The cadre's tasks of the year by status (those the user may see), in the order of the statuses."""
    found = Counter(m.status for m in measure(list(visible_tasks(user).filter(staff=staff, year=year))))
    return [(status, str(label), found[status]) for status, label in STATUS_LABELS.items() if found[status]]
