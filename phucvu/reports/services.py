"""Writes of the reports app: rollups are derived data, rebuilt from the dossiers when asked."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db import transaction

from phucvu.dossiers.facts import DossierFacts
from phucvu.reports.models import COUNTERS, DayRollup, MonthRollup
from phucvu.reports.rollups import Key, contributions, upsert

CHUNK = 20_000


def accumulate(facts: Iterable[DossierFacts], into: dict[Key, list[int]]) -> int:
    """Add the contributions of many dossiers to `into` (one dict, one upsert later). Returns the count."""
    n = 0
    width = len(COUNTERS)
    for f in facts:
        n += 1
        for day, row in contributions(f).items():
            acc = into.get(key := (f.agency_id, f.procedure_id, f.field_id or 0, day))
            if acc is None:
                into[key] = list(row)
            else:
                for i in range(width):
                    acc[i] += row[i]
    return n


@transaction.atomic
def rollups_rebuild(*, facts: Iterable[DossierFacts] | None = None) -> int:
    """Recompute every rollup row from the dossiers' facts (default: the dossier table). Returns dossiers.

    One transaction: readers see the old rollups until the new ones are complete.
    """
    DayRollup.objects.all().delete()
    MonthRollup.objects.all().delete()
    pending: dict[Key, list[int]] = {}
    total = 0
    for chunk in _chunks(facts if facts is not None else dossier_table_facts()):
        total += accumulate(chunk, pending)
        if len(pending) > 200_000:  # bounded memory on tens of millions of dossiers
            upsert(pending)
            pending = {}
    upsert(pending)
    return total


def _chunks(items: Iterable[DossierFacts]) -> Iterator[list[DossierFacts]]:
    chunk: list[DossierFacts] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def dossier_table_facts() -> Iterator[DossierFacts]:
    """Every dossier's facts, as the dossiers app states them (`facts.all_facts()` when it provides one)."""
    from phucvu.dossiers import facts as facts_module

    provider = getattr(facts_module, "all_facts", None)
    if provider is not None:
        yield from provider()
        return
    try:
        apps.get_model("dossiers", "Dossier")
    except LookupError as exc:
        from phucvu.core.exceptions import InvalidTransition

        raise InvalidTransition("Chưa có bảng hồ sơ để tổng hợp lại.") from exc
    yield from _facts_from_dossier_rows()


def _facts_from_dossier_rows() -> Iterator[DossierFacts]:
    """Fallback reader of the dossier contract's columns (pauses: `paused_at` of a dossier paused now)."""
    dossier = apps.get_model("dossiers", "Dossier")
    columns = ("pk", "agency_id", "procedure_id", "procedure__field_id", "channel", "received_at", "due_at",
               "resolved_at", "withdrawn_at", "stopped_at", "paused_at")
    for (pk, agency_id, procedure_id, field_id, channel, received_at, due_at, resolved_at, withdrawn_at,
         stopped_at, paused_at) in dossier.objects.order_by("pk").values_list(*columns).iterator(chunk_size=CHUNK):
        yield DossierFacts(
            dossier_id=pk, agency_id=agency_id, procedure_id=procedure_id, field_id=field_id, channel=channel,
            received_at=received_at, due_at=due_at, resolved_at=resolved_at, withdrawn_at=withdrawn_at,
            stopped_at=stopped_at, pauses=((paused_at, None),) if paused_at else (),
        )
