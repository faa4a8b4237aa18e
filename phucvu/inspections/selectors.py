"""Reads of inspections, scoped: an inspection is visible to those who see its organizer or its target."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from phucvu.core.text import fold
from phucvu.inspections.models import Inspection
from phucvu.organization.selectors import visible_agencies


def inspection_list(*, user, query: str = "", kind: str = "") -> QuerySet[Inspection]:
    visible = visible_agencies(user).values("pk")
    qs = Inspection.objects.filter(Q(organizer__in=visible) | Q(target__in=visible))
    if query:
        qs = qs.filter(search_key__contains=fold(query))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("organizer", "target", "head").order_by("-started_on", "-id")


def inspection_counts(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Inspections started in [from, to], per organizing agency (public figures, as the seed lists them)."""
    qs = Inspection.objects.filter(started_on__gte=date_from, started_on__lte=date_to)
    return dict(qs.values_list("organizer_id").annotate(n=Count("id")).values_list("organizer_id", "n"))
