"""The engine against the slow reference on random histories: every figure, every grouping, any period."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phucvu.dossiers.facts import DossierFacts, publish
from phucvu.reports.engine import build_report
from phucvu.reports.models import DayRollup, MonthRollup
from phucvu.reports.tests.reference import LOCAL, engine_counts, reference, start_of

BASE = dt.date(2017, 1, 20)  # around a month boundary, so day and month rows both matter
MIDNIGHT = dt.timedelta(0)


@st.composite
def moments(draw, after: dt.datetime | None = None):
    """Instants clustered on local midnights and their neighbours, where bucketing goes wrong."""
    if after is not None and draw(st.booleans()):
        day = after.astimezone(LOCAL).date() + dt.timedelta(days=draw(st.integers(0, 30)))
    else:
        day = BASE + dt.timedelta(days=draw(st.integers(-40, 40)))
    offset = draw(st.sampled_from([MIDNIGHT, dt.timedelta(microseconds=-1), dt.timedelta(microseconds=1),
                                   dt.timedelta(hours=17), dt.timedelta(hours=23, minutes=59, seconds=59),
                                   None]))
    if offset is None:
        offset = dt.timedelta(seconds=draw(st.integers(0, 86399)))
    moment = start_of(day) + offset
    if after is not None and moment < after:
        moment = after
    return moment.astimezone(dt.UTC)


@st.composite
def dossier_facts(draw, pk: int, agencies: list[int]):
    received = draw(st.none() | moments()) if draw(st.integers(0, 9)) == 0 else draw(moments())
    due = resolved = withdrawn = stopped = None
    pauses: list = []
    if received is not None:
        due = draw(moments(after=received))
        for _ in range(draw(st.integers(0, 2))):
            begin = draw(moments(after=received))
            end = draw(st.none() | moments(after=begin))
            pauses.append((begin, end))
        ending = draw(st.sampled_from(["open", "resolved", "resolved", "resolved_at_due", "withdrawn", "stopped"]))
        if ending == "resolved":
            resolved = draw(moments(after=received))
        elif ending == "resolved_at_due":
            resolved = due  # exactly at the appointment: on time, not late
        elif ending == "withdrawn":
            withdrawn = draw(moments(after=received))
        elif ending == "stopped":
            stopped = draw(moments(after=received))
    return DossierFacts(
        dossier_id=pk, agency_id=draw(st.sampled_from(agencies)), procedure_id=draw(st.sampled_from([11, 12, 13])),
        field_id=None, channel=draw(st.sampled_from(["online", "counter", "postal"])), received_at=received,
        due_at=due, resolved_at=resolved, withdrawn_at=withdrawn, stopped_at=stopped, pauses=tuple(pauses),
    )


def partial(facts: DossierFacts) -> DossierFacts:
    """The same dossier earlier in its life: received, not yet finished, no pause yet."""
    return DossierFacts(dossier_id=facts.dossier_id, agency_id=facts.agency_id, procedure_id=facts.procedure_id,
                        field_id=facts.field_id, channel=facts.channel, received_at=facts.received_at,
                        due_at=facts.due_at, resolved_at=None)


def history(draw, agencies):
    n = draw(st.integers(0, 25))
    return [draw(dossier_facts(pk, agencies)) for pk in range(1, n + 1)]


def publish_as_transitions(all_facts: list[DossierFacts], rnd: random.Random) -> None:
    """Each dossier goes None → partial → final, interleaved, some in one batch: the engine sees deltas."""
    steps = []
    for f in all_facts:
        steps.append([(None, partial(f)), (partial(f), f)])
    pending = list(steps)
    while pending:
        chosen = rnd.choice(pending)
        batch = [chosen.pop(0)]
        if chosen and rnd.random() < 0.3:
            batch.append(chosen.pop(0))
        publish(batch)
        pending = [s for s in pending if s]


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_engine_equals_reference_on_random_histories(province, data):
    DayRollup.objects.all().delete()
    MonthRollup.objects.all().delete()
    tree = list(province.values())
    facts = history(data.draw, [a.pk for a in tree])
    publish_as_transitions(facts, random.Random(data.draw(st.integers(0, 10**6))))
    first = BASE + dt.timedelta(days=data.draw(st.integers(-35, 35)))
    last = first + dt.timedelta(days=data.draw(st.integers(0, 45)))
    moments_seen = [m for f in facts for m in (f.due_at, f.received_at, f.resolved_at) if m is not None]
    if moments_seen and data.draw(st.booleans()):
        # End the period on the day before a moment, or on it: where "after the end of `to`" is decided.
        pivot = data.draw(st.sampled_from(moments_seen)).astimezone(LOCAL).date()
        last = pivot - dt.timedelta(days=data.draw(st.integers(0, 1)))
        first = min(first, last)

    report = build_report(first, last, by="agency").as_json()
    assert engine_counts(report["total"]) == reference(facts, first, last)
    for row, agency in zip(report["rows"], sorted(tree, key=lambda a: a.path)):
        assert row["key"] == agency.code
        mine = [f for f in facts if any(a.pk == f.agency_id and a.path.startswith(agency.path) for a in tree)]
        assert engine_counts(row) == reference(mine, first, last), agency.code

    sub = province["district"]
    sub_report = build_report(first, last, agency=sub, by="procedure").as_json()
    inside = {a.pk for a in tree if a.path.startswith(sub.path)}
    for row in sub_report["rows"]:
        mine = [f for f in facts if f.agency_id in inside and str(f.procedure_id) == row["key"]]
        assert engine_counts(row) == reference(mine, first, last)
    assert engine_counts(sub_report["total"]) == reference([f for f in facts if f.agency_id in inside],
                                                           first, last)
