"""Dossier events for the apps above dossiers (notifications): the hook that tells them what happened.

The dossiers app never imports its listeners. Every transition appends its `DossierEvent` and calls `emit`
with it inside the writing transaction; a listener reads what it needs from the event (and the dossier
it carries) without touching the database, and defers any work to `transaction.on_commit`, so a
rolled-back transition announces nothing and no message ever leaves from inside the business transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[[Any], None]  # called with the DossierEvent just written

_LISTENERS: list[Listener] = []


def register(listener: Listener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def unregister(listener: Listener) -> None:
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def emit(event) -> None:
    """Call inside the writing transaction, right after the event row is written."""
    for listener in _LISTENERS:
        listener(event)
