"""Writes of the reports app: rollups are derived data, rebuilt from the dossiers when asked."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from phucvu.dossiers.facts import DossierFacts, all_facts
from phucvu.reports.models import (
    ALL_PROCEDURES,
    COUNTERS,
    CompetentDayRollup,
    CompetentMonthRollup,
    DayRollup,
    MonthRollup,
)
from phucvu.reports.rollups import Key, contributions, upsert

CHUNK = 20_000


def accumulate(facts: Iterable[DossierFacts], into: dict[Key, list[int]],
               competent: dict[Key, list[int]] | None = None) -> int:
    """Add the contributions of many dossiers to `into` (one dict, one upsert later), and to `competent` by
    the agency that decides each one (all procedures together). Returns the count."""
    n = 0
    width = len(COUNTERS)
    for f in facts:
        n += 1
        for day, row in contributions(f).items():
            keys = [(into, (f.agency_id, f.procedure_id, f.field_id or 0, day))]
            if competent is not None:
                keys.append((competent, (f.competent_agency_id or f.agency_id, ALL_PROCEDURES, 0, day)))
            for target, key in keys:
                acc = target.get(key)
                if acc is None:
                    target[key] = list(row)
                else:
                    for i in range(width):
                        acc[i] += row[i]
    return n


@transaction.atomic
def rollups_rebuild(*, facts: Iterable[DossierFacts] | None = None) -> int:
    """Recompute every rollup row from the dossiers' facts (default: the dossier table). Returns dossiers.

    One transaction: readers see the old rollups until the new ones are complete.
    """
    for model in (DayRollup, MonthRollup, CompetentDayRollup, CompetentMonthRollup):
        model.objects.all().delete()
    pending: dict[Key, list[int]] = {}
    competent: dict[Key, list[int]] = {}
    total = 0
    for chunk in _chunks(facts if facts is not None else dossier_table_facts()):
        total += accumulate(chunk, pending, competent)
        if len(pending) + len(competent) > 200_000:  # bounded memory on tens of millions of dossiers
            upsert(pending, competent)
            pending, competent = {}, {}
    upsert(pending, competent)
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
