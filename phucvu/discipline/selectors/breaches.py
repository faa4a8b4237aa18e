"""Reads of breaches, scoped to the cadres' agencies the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from phucvu.core.text import fold
from phucvu.discipline.models import Violation
from phucvu.organization.selectors import visible_agencies


def violation_list(*, user, query: str = "", kind: str = "") -> QuerySet[Violation]:
    qs = Violation.objects.filter(staff__agency__in=visible_agencies(user).values("pk"))
    if query:
        key = fold(query)
        qs = qs.filter(Q(staff__search_key__contains=key) | Q(description__icontains=query))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("staff", "staff__agency").prefetch_related("sanctions").order_by("-occurred_on", "-id")
