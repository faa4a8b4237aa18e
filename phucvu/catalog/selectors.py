"""Reads of the procedure catalogue. The catalogue is public: no visibility rule applies to it."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from phucvu.catalog import search
from phucvu.catalog.models import Field, Procedure, ProcedureOffering, ProcedureVersion
from phucvu.core.exceptions import InvalidInput, NotFound
from phucvu.core.text import fold
from phucvu.organization.models import Agency


def field_list() -> QuerySet[Field]:
    return Field.objects.order_by("name")


def procedure_search(*, query: str = "", field_id: int | None = None, level: str = "",
                     agency_id: int | None = None, online_only: bool = False,
                     include_inactive: bool = False) -> QuerySet[Procedure]:
    """Accent-insensitive: "cap giay phep xay dung" finds "Cấp giấy phép xây dựng"; every word must match."""
    qs = Procedure.objects.select_related("field", "current_version")
    if not include_inactive:
        qs = qs.filter(active=True)
    query = (query or "").strip()
    if query:
        exact = Q(code__iexact=query)
        words = Q()
        for word in fold(query).split():
            words &= Q(search_key__contains=word)
        qs = qs.filter(exact | words)
    if field_id:
        qs = qs.filter(field_id=field_id)
    if level:
        qs = qs.filter(levels__contains=level)
    if agency_id:
        qs = qs.filter(_offered_q(agency_id))
    if online_only:
        qs = qs.filter(current_version__online_level__in=["full", "partial"])
    return qs.order_by("code")


def _offered_q(agency_id: int) -> Q:
    """Offered at an agency: an active offering row, or no row at all and the agency's level matches."""
    level = Agency.objects.filter(pk=agency_id).values_list("level", flat=True).first() or ""
    rows = ProcedureOffering.objects.filter(procedure=OuterRef("pk"), agency_id=agency_id)
    return Q(Exists(rows.filter(active=True))) | (~Q(Exists(rows)) & Q(levels__contains=level))


def procedure_offered_at(procedure: Procedure, agency) -> bool:
    rows = list(ProcedureOffering.objects.filter(procedure=procedure, agency=agency).values_list("active", flat=True))
    if rows:
        return rows[0]
    return agency.level in procedure.level_list


def procedure_get(pk: int) -> Procedure:
    found = Procedure.objects.select_related("field", "current_version").filter(pk=pk).first()
    if found is None:
        raise NotFound(gettext("Không tìm thấy thủ tục."))
    return found


def procedure_by_code(code: str) -> Procedure | None:
    return Procedure.objects.select_related("current_version").filter(code=code).first()


def version_get(pk: int) -> ProcedureVersion:
    found = ProcedureVersion.objects.select_related("procedure").prefetch_related("steps").filter(pk=pk).first()
    if found is None:
        raise NotFound(gettext("Không tìm thấy phiên bản thủ tục."))
    return found


def procedure_versions(procedure_id: int) -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(procedure_id=procedure_id).prefetch_related("steps").order_by("-number")


def procedure_time(code: str) -> tuple[Decimal, str, time | None]:
    """(amount, unit, cut-off) of the version in force of the procedure with that code.

    Given to the calendar's deadline check (`phucvu deadline --procedure CODE`) from the app's ready().
    """
    procedure = Procedure.objects.select_related("current_version").filter(code=code).first()
    if procedure is None:
        raise NotFound(f"Không có thủ tục mã '{code}'.")
    version = procedure.current_version
    if version is None:
        raise InvalidInput(f"Thủ tục '{code}' chưa có phiên bản đang hiệu lực.")
    return Decimal(str(version.amount)), str(version.time_unit), version.cutoff


def procedure_offered_online_at(procedure: Procedure, agency) -> bool:
    """Offered at the agency (`procedure_offered_at`) and not switched off for online submissions there."""
    row = ProcedureOffering.objects.filter(procedure=procedure, agency=agency).values_list("active", "online").first()
    if row is not None:
        return row[0] and row[1]
    return agency.level in procedure.level_list


# --- the public catalogue: ranked search ------------------------------------------------------------------

_CACHE: dict[tuple, tuple[search.Vocabulary, dict[int, tuple[list[str], list[str], str]]]] = {}


def _searchable() -> tuple[search.Vocabulary, dict[int, tuple[list[str], list[str], str]]]:
    """The catalogue's words and side-by-side pairs, and each procedure's folded words (name, field, code),
    rebuilt when a procedure or a field changes (folding is the costly part of a search)."""
    stamp = Procedure.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    fields = tuple(Field.objects.order_by("pk").values_list("name", flat=True))  # a few dozen: a rename counts
    key = (stamp["n"], stamp["at"], fields)
    if key not in _CACHE:
        rows = list(Procedure.objects.values_list("pk", "name", "field__name", "code"))
        vocabulary = search.Vocabulary.of([*(r[1] for r in rows), *fields])
        folded = {pk: (search.words(name), search.words(field_name), fold(code))
                  for pk, name, field_name, code in rows}
        _CACHE.clear()
        _CACHE[key] = (vocabulary, folded)
    return _CACHE[key]


def procedure_ranked(*, query: str = "", field_id: int | None = None, level: str = "",
                     online_only: bool = False) -> list[Procedure]:
    """The public catalogue's search: matching procedures, the most relevant first (`catalog/search.py`).

    Without a query: every procedure of the filters, by field then name."""
    qs = Procedure.objects.filter(active=True).select_related("field", "current_version")
    if field_id:
        qs = qs.filter(field_id=field_id)
    if level:
        qs = qs.filter(levels__contains=level)
    if online_only:
        qs = qs.filter(current_version__online_level__in=["full", "partial"])
    query = (query or "").strip()
    if not query:
        return list(qs.order_by("field__name", "name"))
    vocabulary, folded = _searchable()
    parsed = search.parse(query, vocabulary)
    scored = []
    for pk in qs.values_list("pk", flat=True):
        words = folded.get(pk)
        value = search.score_words(parsed, *words) if words else 0.0
        if value > 0:
            scored.append((value, pk))
    ranked = [pk for _value, pk in sorted(scored, key=lambda x: (-x[0], x[1]))]
    found = qs.in_bulk(ranked)
    return [found[pk] for pk in ranked]
