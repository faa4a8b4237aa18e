"""What reports need to know about a dossier, and the hook that keeps reports' rollups in step.

The dossiers app never imports reports. Every dossier write (a transition, an import, the demo) builds
the dossier's facts before and after the change and calls `publish` inside the same transaction;
listeners registered by other apps (reports' rollups) apply the difference there and then, so a report
is exact the moment the transaction commits, and a rolled-back transition leaves no trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DossierFacts:
    dossier_id: int
    agency_id: int  # the agency that received it; a transfer to a successor does not change it
    procedure_id: int  # the stable procedure (catalog.Procedure), not its version
    field_id: int | None
    channel: str  # "counter" | "postal" | "online"
    received_at: dt.datetime | None  # accepted (status reached 2); None while submitted or if refused
    due_at: dt.datetime | None  # the appointment; moved by pauses, not by an apology
    resolved_at: dt.datetime | None  # reached status 9 (granted, or refused after processing)
    withdrawn_at: dt.datetime | None = None
    stopped_at: dt.datetime | None = None
    # Supplement and financial-obligation waits: (start, end or None while still paused).
    pauses: tuple[tuple[dt.datetime, dt.datetime | None], ...] = ()


Change = tuple[DossierFacts | None, DossierFacts | None]  # (before, after); None = did not exist / gone
Listener = Callable[[Sequence[Change]], None]

_LISTENERS: list[Listener] = []


def register(listener: Listener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def publish(changes: Sequence[Change]) -> None:
    """Call inside the writing transaction; listeners write in the same transaction."""
    changes = [c for c in changes if c[0] != c[1]]
    if not changes:
        return
    for listener in _LISTENERS:
        listener(changes)
