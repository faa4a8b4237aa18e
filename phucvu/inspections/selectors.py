"""Reads of inspections, scoped: an inspection is visible to those who see its organizer or its target."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from phucvu.core.exceptions import InvalidInput
from phucvu.core.text import fold
from phucvu.inspections.models import Inspection, Kind
from phucvu.organization.models import Agency
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
    last = inspection_list(user=user).values_list("started_on", flat=True).first()
    return last.year if last else None
