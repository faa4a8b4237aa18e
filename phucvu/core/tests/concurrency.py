"""The harness of the tests that need real concurrent transactions (row locks): PostgreSQL only.

Used by the concurrency tests of every app (`pytestmark = CONCURRENT`, then `run_together([...])`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

# The marks of a module whose tests run transactions at once: skipped on SQLite, run in CI's PostgreSQL pass.
CONCURRENT = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="Cần PostgreSQL: kiểm thử tranh chấp đồng thời chạy trong lượt PostgreSQL của CI "
                              "(đặt DATABASE_URL=postgres://…)."),
]


def run_together(workers: list[Callable[[], Any]]) -> list[Any]:
    """Start every worker at the same moment; collect what each returned or raised."""
    barrier = threading.Barrier(len(workers))
    outcomes: list[Any] = [None] * len(workers)

    def wrap(i: int, work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[i] = work()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test asserts
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes
