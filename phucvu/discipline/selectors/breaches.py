"""Reads of breaches (docs/discipline.md §3.2): leaders, inspectors and the personnel office see those of the
cadres in their scope; a cadre sees their own."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from phucvu.core.exceptions import NotFound
from phucvu.core.text import fold
from phucvu.discipline.models import Violation, ViolationEvidence
from phucvu.organization.models import Role
from phucvu.organization.selectors import staff_of, visible_agencies

READER_ROLES = frozenset({Role.UNIT_LEADER, Role.INSPECTOR, Role.HR_OFFICER, Role.SYSTEM_ADMIN})


def visible_violations(user) -> QuerySet[Violation]:
    staff = staff_of(user)
    if getattr(user, "is_superuser", False) or (staff is not None and staff.role in READER_ROLES):
        return Violation.objects.filter(staff__agency__in=visible_agencies(user).values("pk"))
    return Violation.objects.filter(staff=staff) if staff is not None else Violation.objects.none()


def violation_list(*, user, query: str = "", kind: str = "", decision: str | None = None) -> QuerySet[Violation]:
    qs = visible_violations(user)
    if query:
        key = fold(query)
        qs = qs.filter(Q(staff__search_key__contains=key) | Q(description__icontains=query))
    if kind:
        qs = qs.filter(kind=kind)
    if decision is not None:
        qs = qs.filter(decision=decision)
    return qs.select_related("staff", "staff__agency").prefetch_related("sanctions").order_by("-occurred_on", "-id")


def violation_get(*, user, violation_id: int) -> Violation:
    violation = (visible_violations(user).select_related("staff", "staff__agency", "recorded_by", "decided_by")
                 .prefetch_related("evidence", "events__actor", "sanctions", "cases").filter(pk=violation_id).first())
    if violation is None:
        raise NotFound(gettext("Không có vi phạm này, hoặc bạn không được xem."))
    return violation


def evidence_get(*, user, violation_id: int, evidence_id: int) -> ViolationEvidence:
    violation = violation_get(user=user, violation_id=violation_id)
    evidence = violation.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound(gettext("Không có tệp bằng chứng này."))
    return evidence
