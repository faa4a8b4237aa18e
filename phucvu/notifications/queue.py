"""The durable queue: the outbox table itself (docs/adr/0007-outbox-queue.md).

A message is due when it is `queued` and its `next_attempt_at` has come. A worker claims due rows with a
conditional update and sends them; a failed attempt is put back with its back-off as the new
`next_attempt_at`. Nothing but the database is needed (SQLite or PostgreSQL).

With `NOTIFY_QUEUE=redis` the database stays the record and the clock, and Redis (RQ) spreads the sending
over machines: `phucvu worker` runs the sweeps and hands each claimed row to RQ as a job
(`services.deliver_claimed`), and `phucvu worker --rq` processes run those jobs. A job Redis loses is not
lost: its claim expires and the `release` sweep puts the row back in the queue.
"""

from __future__ import annotations

import logging
import signal
import time
from collections import Counter
from collections.abc import Callable

import redis
import rq
from django.conf import settings
from django.db import close_old_connections, connection

from phucvu.notifications import services, sweeps

logger = logging.getLogger("phucvu.notifications")
SWEEP_CHECK = 15.0


def redis_mode() -> bool:
    return settings.NOTIFY_QUEUE == "redis"


def rq_connection() -> redis.Redis:
    return redis.Redis.from_url(settings.NOTIFY_REDIS_URL)


def rq_queue() -> rq.Queue:
    return rq.Queue(settings.NOTIFY_RQ_QUEUE, connection=rq_connection())


def send_due(*, limit: int = 100) -> Counter:
    """Claim and send what is due, here (database mode). Returns the statuses reached."""
    done: Counter = Counter()
    for message in services.claim_due(limit=limit):
        done[services.deliver(message)] += 1
    return done


def dispatch(*, limit: int = 500) -> int:
    """Claim what is due and hand it to the RQ workers (Redis mode)."""
    claimed = services.claim_due(limit=limit)
    if claimed:
        q = rq_queue()
        for message in claimed:
            q.enqueue(services.deliver_claimed, message.pk, message.claim, job_timeout=120,
                      result_ttl=3600, failure_ttl=7 * 86400)
    return len(claimed)


def wake() -> None:
    """After a commit that queued messages: with Redis, hand them to the workers at once. Never raises:
    whatever could not be handed over stays queued for the next dispatch."""
    if not redis_mode():
        return
    try:
        dispatch()
    except Exception:
        logger.exception("notify: Redis unreachable; the worker will dispatch later")


def rq_work(*, burst: bool) -> None:
    """Run an RQ worker on this process (no fork per job: Django and its connections are set up once)."""
    worker = rq.SimpleWorker([rq_queue()], connection=rq_connection())
    worker.work(burst=burst, logging_level="WARNING")


def run(*, burst: bool = False, interval: float = 1.0, limit: int = 100,
        report: Callable[[str], None] | None = None, signals: bool = True) -> Counter:
    """The worker loop: due sweeps, then due messages; again. `burst`: stop when nothing is due.
    `signals`: stop cleanly on SIGTERM/SIGINT (only possible on the main thread)."""
    totals: Counter = Counter()
    stopping = {"now": False}

    def stop(signum, frame) -> None:
        stopping["now"] = True

    if signals and not burst:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    swept_at = 0.0
    while not stopping["now"]:
        if not connection.in_atomic_block:  # (a test may run the worker inside its transaction)
            close_old_connections()
        # The sweeps' clock is read every SWEEP_CHECK seconds, not on every idle second.
        ran = []
        if burst or time.monotonic() - swept_at >= SWEEP_CHECK:
            ran = sweeps.run_due()
            swept_at = time.monotonic()
        for name, result in ran:
            totals[f"sweep:{name}"] += 1
            if report:
                report(f"{name}: {result}")
        if redis_mode():
            handed = dispatch(limit=max(limit, 500))
            totals["dispatched"] += handed
            if burst:
                rq_work(burst=True)
            busy = handed
        else:
            sent = send_due(limit=limit)
            totals.update(sent)
            busy = sum(sent.values())
        if burst and not busy and not ran:
            break
        if not busy and not burst:
            time.sleep(interval)
    return totals
