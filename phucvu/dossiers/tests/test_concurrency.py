"""Two clerks at once: one wins, the other gets StaleAction; many desks at once: no duplicate, no gap.

These need real concurrent transactions (row locks), so they run on PostgreSQL (CI's PostgreSQL pass).
"""

from __future__ import annotations

from phucvu.core.exceptions import StaleAction
from phucvu.core.tests.concurrency import CONCURRENT, run_together
from phucvu.dossiers import audit, chain
from phucvu.dossiers import services as s
from phucvu.dossiers.models import Dossier, DossierEvent, EventKind

pytestmark = CONCURRENT


def test_two_clerks_acting_at_once_one_wins_the_other_is_stale(receive, staff):
    d = receive()
    outcomes = run_together([
        lambda: s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version),
        lambda: s.dossier_request_payment(actor=staff["clerk"], dossier_id=d.pk, version=d.version),
    ])
    winners = [o for o in outcomes if isinstance(o, Dossier)]
    losers = [o for o in outcomes if isinstance(o, StaleAction)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    after = Dossier.objects.get(pk=d.pk)
    assert after.version == d.version + 1
    assert after.status == winners[0].status
    # Nothing lost, nothing doubled: the receipt and exactly one winning event.
    assert DossierEvent.objects.filter(dossier=d).exclude(kind=EventKind.RECEIVED).count() == 1


def test_concurrent_intake_gives_unique_gap_free_codes(receive):
    threads, per_thread = 8, 5

    def work():
        return [receive().code for _ in range(per_thread)]

    outcomes = run_together([work] * threads)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    codes = [c for batch in outcomes for c in batch]
    numbers = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    assert len(set(codes)) == threads * per_thread
    assert numbers == list(range(1, threads * per_thread + 1))


def test_concurrent_transitions_keep_one_linear_chain(receive, staff):
    """Clerks assigning the same dossier at once, each retrying on a stale version: every event chains to the
    one before it (the row lock serialises the appends), none to the same head twice."""
    d = receive()
    threads, per_thread = 4, 5

    def work():
        done = 0
        while done < per_thread:
            current = Dossier.objects.get(pk=d.pk)
            try:
                s.dossier_assign(actor=staff["leader"], dossier_id=d.pk, version=current.version,
                                 assignee_id=staff["specialist"].pk)
            except StaleAction:
                continue
            done += 1
        return done

    outcomes = run_together([work] * threads)
    assert outcomes == [per_thread] * threads, outcomes
    events = list(DossierEvent.objects.filter(dossier=d).order_by("id"))
    assert len(events) == 1 + threads * per_thread
    assert [e.prev_hash for e in events] == [chain.GENESIS] + [e.chain_hash for e in events[:-1]]
    assert len({e.prev_hash for e in events}) == len(events)  # no fork
    assert audit.verify().intact
