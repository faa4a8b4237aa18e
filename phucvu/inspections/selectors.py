"""Reads of inspections, scoped: an inspection is visible to those who see its organizer or its target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from phucvu.core.exceptions import InvalidInput, NotFound
from phucvu.core.text import fold
from phucvu.inspections.models import Inspection, Kind, Recommendation, Rotation
from phucvu.organization.models import Agency, Staff
from phucvu.organization.selectors import visible_agencies


def visible_inspections(user) -> QuerySet[Inspection]:
    """THE rule for this app: an inspection is seen by whoever sees its organiser or its inspected agency."""
    visible = visible_agencies(user).values("pk")
    return Inspection.objects.filter(Q(organizer__in=visible) | Q(target__in=visible))


def inspection_list(*, user, query: str = "", kind: str = "", status: str = "") -> QuerySet[Inspection]:
    qs = visible_inspections(user)
    if query:
        qs = qs.filter(search_key__contains=fold(query))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("organizer", "target", "head").order_by("-started_on", "-id")


def inspection_detail(*, user, inspection_id: int) -> Inspection:
    found = (visible_inspections(user).select_related("organizer", "target", "head__agency")
             .prefetch_related("members__agency").filter(pk=inspection_id).first())
    if found is None:
        raise NotFound(gettext("Không có cuộc thanh tra, kiểm tra này, hoặc nó nằm ngoài phạm vi của bạn."))
    return found


@dataclass(frozen=True)
class Clock:
    """The conclusion's clock: due date, days left (negative: late), and whether it is stopped (signed)."""

    due_on: dt.date
    days_left: int
    signed_on: dt.date | None

    @property
    def late(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)


def conclusion_clock(inspection: Inspection, today: dt.date) -> Clock | None:
    if inspection.conclusion_due_on is None:
        return None
    until = inspection.concluded_on or today
    return Clock(due_on=inspection.conclusion_due_on, days_left=(inspection.conclusion_due_on - until).days,
                 signed_on=inspection.concluded_on)


def inspection_team_candidates(*, user, inspection: Inspection | None = None,
                               organizer: Agency | None = None) -> QuerySet[Staff]:
    """Staff the user may put on a team: active, visible, outside the inspected agency's subtree."""
    qs = Staff.objects.filter(active=True, agency__in=visible_agencies(user).values("pk")).select_related("agency")
    if inspection is not None:
        qs = qs.exclude(agency__path__startswith=inspection.target.path)
    return qs.order_by("agency__path", "full_name")


def inspection_counts(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Inspections started in [from, to], per organizing agency (public figures, as the seed lists them)."""
    qs = Inspection.objects.filter(started_on__gte=date_from, started_on__lte=date_to)
    return dict(qs.values_list("organizer_id").annotate(n=Count("id")).values_list("organizer_id", "n"))


COUNT_BY = ("organizer", "inspected")


def counts_table(*, date_from: dt.date, date_to: dt.date, by: str = "organizer", kind: str = "",
                 user=None) -> dict:
    """Inspections started in [from, to] per organising (or inspected) agency, split by kind.

    `{"rows": [{"agency", "name", "count", "by_kind": {kind: n}}], "total": n}`, rows by count then code.
    Without a user the whole table (the command line); with one, what the visibility rule lets them see."""
    if by not in COUNT_BY:
        raise InvalidInput(f"Cách đếm “{by}” không hợp lệ: chọn organizer (cơ quan tiến hành) "
                           "hoặc inspected (đơn vị được kiểm tra).")
    if kind and kind not in Kind.values:
        raise InvalidInput(f"Hình thức “{kind}” không hợp lệ: chọn một trong {', '.join(Kind.values)}.")
    if date_from > date_to:
        raise InvalidInput(f"Ngày bắt đầu {date_from:%d/%m/%Y} sau ngày kết thúc {date_to:%d/%m/%Y}.")
    qs = Inspection.objects.filter(started_on__gte=date_from, started_on__lte=date_to)
    if user is not None:
        visible = visible_agencies(user).values("pk")
        qs = qs.filter(Q(organizer__in=visible) | Q(target__in=visible))
    if kind:
        qs = qs.filter(kind=kind)
    column = "organizer" if by == "organizer" else "target"
    per: dict[int, dict[str, int]] = {}
    for agency_id, k, n in qs.values_list(f"{column}_id", "kind").annotate(n=Count("id")).values_list(
            f"{column}_id", "kind", "n"):
        per.setdefault(agency_id, dict.fromkeys(Kind.values, 0))[k] = n
    agencies = Agency.objects.in_bulk(list(per))
    ranked = sorted(per.items(), key=lambda item: (-sum(item[1].values()), agencies[item[0]].code))
    rows = [{"agency": agencies[pk].code, "name": agencies[pk].name, "count": sum(kinds.values()),
             "by_kind": kinds} for pk, kinds in ranked]
    return {"rows": rows, "total": sum(sum(kinds.values()) for kinds in per.values())}


def latest_year(*, user) -> int | None:
    """The year of the latest inspection the user sees: where the counts page opens."""
    last = visible_inspections(user).order_by("-started_on").values_list("started_on", flat=True).first()
    return last.year if last else None


def owner_candidates(inspection: Inspection) -> QuerySet[Staff]:
    """Who a recommendation may name as its owner: active staff of the inspected agency's subtree."""
    return (Staff.objects.filter(active=True, agency__path__startswith=inspection.target.path)
            .select_related("agency").order_by("agency__path", "full_name"))


def recommendations_of(inspection: Inspection, *, today: dt.date) -> list:
    return list(inspection.recommendations.select_related("owner", "owner_person").order_by("due_on", "id"))


def agency_choices(*, user) -> QuerySet[Agency]:
    """Agencies a decision may name (organiser or inspected): open ones the user sees, in tree order."""
    return visible_agencies(user).filter(valid_to__isnull=True).order_by("path")


def visible_recommendations(user) -> QuerySet[Recommendation]:
    """A recommendation is seen by whoever sees its inspection, or its owner agency."""
    visible = visible_agencies(user).values("pk")
    return Recommendation.objects.filter(Q(inspection__organizer__in=visible) | Q(inspection__target__in=visible)
                                         | Q(owner__in=visible))


def recommendation_list(*, user, state: str = "", overdue: bool = False, mine: bool = False,
                        today: dt.date | None = None) -> QuerySet[Recommendation]:
    qs = visible_recommendations(user).select_related("inspection", "owner", "owner_person")
    if state:
        qs = qs.filter(state=state)
    if overdue and today is not None:
        qs = qs.filter(state__in=[Recommendation.State.OPEN, Recommendation.State.IN_PROGRESS], due_on__lt=today)
    if mine:
        me = Staff.objects.filter(user=user).first()
        qs = qs.filter(owner_person=me) if me else qs.none()
    return qs.order_by("state", "due_on", "id")


def recommendation_detail(*, user, recommendation_id: int) -> Recommendation:
    found = (visible_recommendations(user).select_related("inspection__organizer", "inspection__target", "owner",
                                                          "owner_person", "verified_by")
             .filter(pk=recommendation_id).first())
    if found is None:
        raise NotFound(gettext("Không có kiến nghị này, hoặc nó nằm ngoài phạm vi của bạn."))
    return found


def rotation_list(*, user) -> list[Rotation]:
    """Rotations under a parent the user sees, with their pairs."""
    visible = visible_agencies(user).values("pk")
    return list(Rotation.objects.filter(parent__in=visible).select_related("parent")
                .prefetch_related("pairs__inspecting", "pairs__inspected")[:20])


def rotation_parents(*, user) -> QuerySet[Agency]:
    """Agencies with peers under them the user may rotate: district and province authorities they see."""
    return visible_agencies(user).filter(kind__in=["province", "district"], valid_to__isnull=True).order_by("path")
