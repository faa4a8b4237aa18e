"""Reads of score sheets and the yearly grading (docs/discipline.md §6)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from phucvu.core.exceptions import NotFound
from phucvu.core.text import fold
from phucvu.discipline.authority import ensure_user_may, refusal, user_may_any
from phucvu.discipline.grading import Grading, Period, Person, grade_year
from phucvu.discipline.models import QuotaChoice, Sanction, ScoreSheet, SheetStatus, UnitGrade
from phucvu.organization.models import Agency, Role, Staff
from phucvu.organization.selectors import staff_of, visible_agencies

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
    # A revoked sanction (docs/discipline.md §4.5) no longer caps the grade.
    sanctioned = set(Sanction.objects.filter(staff__in=staff, decided_on__year=year, revocation__isnull=True)
                     .values_list("staff_id", flat=True))
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


MANAGER_ROLES = (Role.UNIT_LEADER, Role.HR_OFFICER, Role.INSPECTOR, Role.SYSTEM_ADMIN)


def _manages(user) -> bool:
    staff = staff_of(user)
    return bool(getattr(user, "is_superuser", False) or (staff is not None and staff.role in MANAGER_ROLES))


def visible_sheets(user) -> QuerySet[ScoreSheet]:
    """A cadre sees their own sheets; leaders, the personnel office and inspectors those of the cadres they may
    see (the visibility rule)."""
    if _manages(user):
        return ScoreSheet.objects.filter(staff__agency__in=visible_agencies(user).values("pk"))
    staff = staff_of(user)
    return ScoreSheet.objects.filter(staff=staff) if staff else ScoreSheet.objects.none()


def sheet_list(*, user, year: int | None = None, query: str = "", status: str = "") -> QuerySet[ScoreSheet]:
    qs = visible_sheets(user)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(staff__search_key__contains=fold(query)) | Q(staff__user__username__icontains=query))
    return qs.select_related("staff", "staff__agency", "staff__user").order_by("-year", "-number",
                                                                                 "staff__full_name")


def sheet_detail(*, user, sheet_id: int) -> ScoreSheet:
    sheet = visible_sheets(user).select_related("staff", "staff__agency", "scored_by").filter(pk=sheet_id).first()
    if sheet is None:
        raise NotFound(gettext("Không có phiếu chấm điểm này, hoặc bạn không được xem."))
    return sheet


def period_end(sheet: ScoreSheet) -> dt.date:
    last_month = sheet.number * 3 if sheet.period_kind == "quarter" else sheet.number
    return dt.date(sheet.year, last_month, calendar.monthrange(sheet.year, last_month)[1])


def grade_overview(*, user, year: int, query: str = "") -> QuerySet[Agency]:
    """The agencies the user may see that employ cadres graded this year (the rows of Home Affairs' view): for
    the roles the authority table lets read a unit's grades (`ranking_read`); anyone else is refused."""
    if not user_may_any(user, "ranking_read"):
        raise refusal("ranking_read")
    qs = visible_agencies(user).filter(
        staff__active=True, staff__category__in=GRADED_CATEGORIES).distinct()
    if query:
        qs = qs.filter(search_key__contains=fold(query))
    return qs.order_by("path")


def grade_row(agency: Agency, year: int, today: dt.date) -> dict[str, Any]:
    """One unit's distribution of grades, its quota, whether everyone is "tốt" or better, and late sheets."""
    grading = grading_for(agency, year)
    counts = dict.fromkeys(("excellent", "good", "completed", "not_completed", "not_graded"), 0)
    for g in grading.staff:
        counts[g.grade] += 1
    graded = len(grading.staff) - counts["not_graded"]
    late = sum(1 for s in ScoreSheet.objects.filter(staff__agency=agency, year=year).exclude(status=SheetStatus.FINAL)
               if period_end(s) < today)
    return {"agency": agency, "counts": counts, "graded": graded, "total": len(grading.staff),
            "excellent_max": grading.excellent_max, "binds": grading.binds,
            "all_good": graded > 0 and counts["excellent"] + counts["good"] == graded, "late": late}


def unit_ranking(*, user, agency_id: int, year: int) -> tuple[Agency, Grading, dict[str, Staff]]:
    """A unit's ranking: everyone's score and grade, highest first, with the staff rows by username — for whom
    the authority table lets read it (`ranking_read`: leaders of the unit or above, inspectors, the personnel
    office); a cadre reads only their own sheets (`visible_sheets`)."""
    ensure_user_may(user, "ranking_read", agency_id=agency_id)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise NotFound(gettext("Không có đơn vị này."))
    grading = grading_for(agency, year)
    grading.staff.sort(key=lambda g: (-(g.score if g.score is not None else -1), g.username))
    staff = {s.user.username: s for s in Staff.objects.filter(agency=agency).select_related("user")}
    return agency, grading, staff
