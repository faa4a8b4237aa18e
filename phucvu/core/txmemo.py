"""A memo that lives as long as the current database transaction, and no longer.

For values read from rows that change rarely (the calendar stamp, a procedure version's workflow) and
that one transaction may read many times: the demo replay runs a simulated day of transitions in one
transaction, a desk request one transition. Inside a transaction the memo answers from memory; outside
one (autocommit) it never remembers anything.

A transaction is recognised by Django's list of on-commit hooks for the connection: Django replaces that
list with a new one whenever the outermost transaction commits or rolls back, and when a savepoint rolls
back. Holding the list (a strong reference, so its identity cannot be reused) tells whether we are still
in the transaction the memo was filled in; a savepoint rollback empties the memo too, which is only
conservative.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

T = TypeVar("T")

_local = threading.local()  # connections are per thread, so is the memo


def _memo(using: str) -> dict | None:
    connection = connections[using]
    if not connection.in_atomic_block:
        return None
    marker = connection.run_on_commit
    held = getattr(_local, "held", None)
    if held is None or held[0] is not marker or held[1] != using:
        held = (marker, using, {})
        _local.held = held
    return held[2]


def remembered(key: Hashable, compute: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS) -> T:
    """`compute()` once per transaction for `key`; outside a transaction, every time."""
    memo = _memo(using)
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


def forget(key: Hashable | None = None) -> None:
    """Drop one key (or everything) from the memo: call after writing what it was computed from."""
    held = getattr(_local, "held", None)
    if held is None:
        return
    if key is None:
        held[2].clear()
    else:
        held[2].pop(key, None)
