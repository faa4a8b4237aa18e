"""Reads of score sheets and the yearly grading (docs/discipline.md §6)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from phucvu.core.exceptions import NotFound
from phucvu.core.text import fold
from phucvu.discipline.grading import Grading, Period, Person, grade_year
from phucvu.discipline.models import QuotaChoice, Sanction, ScoreSheet, SheetStatus, UnitGrade
from phucvu.organization.models import Agency, Role, Staff
from phucvu.organization.selectors import visible_agencies

GRADED_CATEGORIES = ("CB", "CC", "VC")


def agency_for_code(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(f"Không có đơn vị mã '{code}'.")
    return agency


def grading_for(agency: Agency, year: int) -> Grading:
    """The year's grades of everyone the agency employs (active CB, CC and VC), from the final sheets."""
    staff = list(Staff.objects.filter(agency=agency, active=True, category__in=GRADED_CATEGORIES)
                 .select_related("user"))
    sheets: dict[int, list[Period]] = defaultdict(list)
    for sheet in ScoreSheet.objects.filter(staff__in=staff, year=year, status=SheetStatus.FINAL):
        total = sheet.total
        if total is not None:
            sheets[sheet.staff_id].append(Period(sheet.months, total))
    sanctioned = set(Sanction.objects.filter(staff__in=staff, decided_on__year=year).values_list("staff_id", flat=True))
    unit = UnitGrade.objects.filter(agency=agency, year=year).values_list("grade", flat=True).first()
    choice = QuotaChoice.objects.filter(agency=agency, year=year).prefetch_related("chosen__user").first()
    chosen = [s.user.username for s in choice.chosen.all()] if choice else None
    people = [Person(s.user.username, s.category, sheets.get(s.pk, []), s.pk in sanctioned,
                     s.role == Role.UNIT_LEADER) for s in staff]
    return grade_year(people, year=year, unit_grade=unit, chosen=chosen)


def grading_json(agency: Agency, year: int) -> dict[str, Any]:
    """The `phucvu evaluation grade --format json` object."""
    grading = grading_for(agency, year)
    return {"agency": agency.code, "year": year,
            "quota": {"excellent_max": grading.excellent_max, "excellent": grading.excellent},
            "staff": [g.as_json() for g in grading.staff]}


def score_sheets(*, user, year: int | None = None, query: str = "") -> QuerySet[ScoreSheet]:
    qs = ScoreSheet.objects.filter(staff__agency__in=visible_agencies(user).values("pk"))
    if year:
        qs = qs.filter(year=year)
    if query:
        qs = qs.filter(Q(staff__search_key__contains=fold(query)) | Q(staff__user__username__icontains=query))
    return qs.select_related("staff", "staff__agency").order_by("-year", "-number", "staff__full_name")
