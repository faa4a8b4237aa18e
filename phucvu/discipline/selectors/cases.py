"""Reads of discipline cases. A case file is readable only by the personnel office that sees the cadre, the
decision-maker and the council's members (docs/discipline.md §4.3); every read of a file is logged."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from phucvu.core.exceptions import NotFound
from phucvu.core.text import fold
from phucvu.discipline.models import DisciplineCase
from phucvu.organization.models import Role
from phucvu.organization.selectors import staff_of, visible_agencies


def visible_cases(user) -> QuerySet[DisciplineCase]:
    staff = staff_of(user)
    if staff is None and not getattr(user, "is_superuser", False):
        return DisciplineCase.objects.none()
    q = Q(pk__in=[])
    if getattr(user, "is_superuser", False) or (staff is not None and staff.role in (Role.HR_OFFICER,
                                                                                      Role.SYSTEM_ADMIN)):
        q |= Q(staff__agency__in=visible_agencies(user).values("pk"))
    if staff is not None:
        q |= Q(decision_maker=staff) | Q(council=staff)
    return DisciplineCase.objects.filter(q).distinct()


def case_list(*, user, query: str = "", status: str = "") -> QuerySet[DisciplineCase]:
    qs = visible_cases(user)
    if query:
        qs = qs.filter(staff__search_key__contains=fold(query))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("staff", "staff__agency").order_by("-discovered", "-id")


def case_get(*, user, case_id: int) -> DisciplineCase:
    case = (visible_cases(user).select_related("staff", "staff__agency", "violation", "decision_maker", "sanction")
            .prefetch_related("steps", "council").filter(pk=case_id).first())
    if case is None:
        raise NotFound(gettext("Không có vụ việc kỷ luật này, hoặc bạn không được xem."))
    return case
