"""Writes of the reports app: rollups are derived data, rebuilt from the dossiers when asked."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from phucvu.dossiers.facts import DossierFacts, all_facts
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
    """Every dossier's facts as the dossiers app states them, pause history included, in batches."""

    return all_facts(batch_size=CHUNK)
