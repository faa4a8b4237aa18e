"""Synthetic dossier history for `phucvu seed` and the benchmarks: skewed, seasonal, a few percent late.

Deterministic for a given seed. Yields DossierFacts, the same shape the dossiers app publishes, so the
rollups a seed builds are exactly those real transitions would have built.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from phucvu.core.localtime import LOCAL_TZ as LOCAL
from phucvu.dossiers.facts import DossierFacts

# Month weights: the Tết dip (January/February), a rush before the summer and before year end.
SEASON = [0.9, 0.6, 1.0, 1.0, 1.05, 1.1, 1.05, 1.0, 1.0, 1.05, 1.1, 1.2]
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Procedure:
    id: int
    field_id: int
    days: int  # legal time in working days
    version_id: int | None = None  # catalog.ProcedureVersion the dossiers are received under


def zipf_cumulative(n: int, s: float = 1.1) -> list[float]:
    weights = [1 / (k ** s) for k in range(1, n + 1)]
    return list(itertools.accumulate(weights))


def _pick(rnd: random.Random, items: list, cumulative: list[float]):
    return items[bisect.bisect_left(cumulative, rnd.random() * cumulative[-1])]


def working_moment(rnd: random.Random, day: dt.date) -> dt.datetime:
    minutes = rnd.choice((rnd.randint(7 * 60, 11 * 60 + 29), rnd.randint(13 * 60 + 30, 16 * 60 + 59)))
    return dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, rnd.randint(0, 59), tzinfo=LOCAL)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """Weekends skipped (holidays are the calendar app's business; a synthetic history does not need them)."""
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def synthetic_now(end: dt.date) -> dt.datetime:
    """The moment a synthetic history stops: the local midnight after its last day."""
    return dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL)


def synthetic_facts(*, n: int, seed: int, agencies: list[tuple[int, float]], procedures: list[Procedure],
                    start: dt.date, end: dt.date, first_id: int = 1) -> Iterator[DossierFacts]:
    """`n` dossiers received on working days of [start, end]; anything after the end of `end` has not happened."""
    rnd = random.Random(seed)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    days = [d for d in days if d.weekday() < 5] or days
    day_cum = list(itertools.accumulate(SEASON[d.month - 1] for d in days))
    agency_ids = [a for a, _ in agencies]
    agency_cum = list(itertools.accumulate(w for _, w in agencies))
    proc_cum = zipf_cumulative(len(procedures))
    now = synthetic_now(end)
    for i in range(n):
        day = _pick(rnd, days, day_cum)
        received = working_moment(rnd, day)
        proc = _pick(rnd, procedures, proc_cum)
        due = working_moment(rnd, add_working_days(day, proc.days)).replace(
            hour=received.hour, minute=received.minute)
        channel = "online" if rnd.random() < 0.18 else ("postal" if rnd.random() < 0.03 else "counter")
        pauses: tuple = ()
        if rnd.random() < 0.06:  # a supplement request: the clock stops, the due moment moves on resume
            p_start = received + dt.timedelta(days=rnd.randint(1, 3), hours=rnd.randint(0, 5))
            length = dt.timedelta(days=rnd.randint(1, 12))
            p_end = p_start + length
            due += length
            pauses = ((p_start, None if p_end >= now else p_end),)
        fate = rnd.random()
        resolved = withdrawn = stopped = None
        if fate < 0.005:
            withdrawn = received + dt.timedelta(days=rnd.randint(0, 5), hours=rnd.randint(0, 8))
        elif fate < 0.008:
            stopped = received + dt.timedelta(days=rnd.randint(1, 10), hours=rnd.randint(0, 8))
        elif fate < 0.03:  # late: a few percent, as in real provinces
            resolved = due + dt.timedelta(hours=rnd.randint(1, 24 * 10))
        else:
            span = max((due - received).total_seconds(), 3600)
            resolved = received + dt.timedelta(seconds=span * rnd.uniform(0.25, 1.0))
        if pauses:
            p_start, p_end = pauses[0]
            ended = resolved or withdrawn or stopped
            if ended is not None and ended <= p_start:
                pauses = ()  # finished before anyone asked for papers
            elif p_end is None:
                resolved = withdrawn = stopped = None  # still waiting for the applicant
            elif resolved is not None and resolved < p_end:
                resolved = p_end + (resolved - p_start)  # nothing is resolved while paused
            elif ended < p_end:
                pauses = ((p_start, ended),)  # withdrawing or stopping closes the wait
        resolved, withdrawn, stopped = (t if t is not None and t < now else None
                                        for t in (resolved, withdrawn, stopped))
        yield DossierFacts(
            dossier_id=first_id + i, agency_id=_pick(rnd, agency_ids, agency_cum), procedure_id=proc.id,
            field_id=proc.field_id, channel=channel, received_at=received, due_at=due, resolved_at=resolved,
            withdrawn_at=withdrawn, stopped_at=stopped, pauses=pauses,
        )
