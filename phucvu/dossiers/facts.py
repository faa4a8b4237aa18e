"""What reports need to know about a dossier, and the hook that keeps reports' rollups in step.

The dossiers app never imports reports. Every dossier write (a transition, an import, the demo) builds
the dossier's facts before and after the change and calls `publish` inside the same transaction;
listeners registered by other apps (reports' rollups) apply the difference there and then, so a report
is exact the moment the transaction commits, and a rolled-back transition leaves no trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from phucvu.dossiers.models import Dossier


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
    # The agency that decides it (`Dossier.competent_agency`); None: counted where it was received.
    competent_agency_id: int | None = None


Change = tuple[DossierFacts | None, DossierFacts | None]  # (before, after); None = did not exist / gone
Listener = Callable[[Sequence[Change]], None]

_LISTENERS: list[Listener] = []


def register(listener: Listener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def publish(changes: Sequence[Change]) -> None:
    """Call inside the writing transaction; listeners write in the same transaction."""
    prepare(changes)()


def prepare(changes: Sequence[Change]) -> Prepared:
    """`publish` in halves: the listeners' pure work now (no database access), their writes when the
    returned object is called (inside the writing transaction). A bulk writer prepares while the server
    is busy with a COPY, and may call `.ready()` during another COPY for the rest of the pure work. A listener
    with a `prepare` attribute (changes -> callable, optionally with its own `ready`) takes part; any other is
    simply called with the changes at the end."""
    changes = [c for c in changes if c[0] != c[1]]
    if not changes:
        return Prepared([])
    return Prepared([listener.prepare(changes) if hasattr(listener, "prepare")
                     else (lambda listener=listener: listener(changes)) for listener in _LISTENERS])


class Prepared:
    def __init__(self, steps: list[Callable[[], None]]) -> None:
        self.steps = steps

    def ready(self) -> None:
        """More of the pure work (no database access), where the listeners split theirs."""
        for step in self.steps:
            ready = getattr(step, "ready", None)
            if ready is not None:
                ready()

    def __call__(self) -> None:
        for step in self.steps:
            step()


# ---------------------------------------------------------------------------------------------------
# Facts read back from the dossier table (what `phucvu rollups rebuild` and the tests replay)

# The columns facts are built from, in the order `_from_row` reads them.
COLUMNS = ("pk", "agency_id", "procedure_id", "field_id", "channel", "received_at", "due_at", "resolved_at",
           "withdrawn_at", "stopped_at", "pauses", "competent_agency_id")


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def pauses_of(raw) -> tuple[tuple[dt.datetime, dt.datetime | None], ...]:
    """`Dossier.pauses` ([[start ISO, end ISO or null], …], every wait ever, appended by the services)."""
    return tuple((_moment(start), _moment(end)) for start, end in raw or ())


def _from_row(row) -> DossierFacts:
    pk, agency_id, procedure_id, field_id, channel, received_at, due_at, resolved_at, withdrawn_at, stopped_at, \
        pauses, competent_agency_id = row
    return DossierFacts(
        dossier_id=pk, agency_id=agency_id, procedure_id=procedure_id, field_id=field_id, channel=channel,
        received_at=received_at, due_at=due_at, resolved_at=resolved_at, withdrawn_at=withdrawn_at,
        stopped_at=stopped_at, pauses=pauses_of(pauses), competent_agency_id=competent_agency_id)


def facts_of(dossier) -> DossierFacts:
    """The facts of one Dossier instance, with its full pause history (what every transition publishes)."""
    return _from_row(tuple(getattr(dossier, name) for name in COLUMNS))


def all_facts(*, batch_size: int = 20_000, queryset=None) -> Iterator[DossierFacts]:
    """Every dossier's facts, streamed in primary-key batches (keyset pagination: constant memory, no
    server-side cursor, the same on SQLite and PostgreSQL). `queryset` narrows the dossiers read."""

    qs = Dossier.objects.all() if queryset is None else queryset
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values_list(*COLUMNS)[:batch_size])
        if not rows:
            return
        for row in rows:
            yield _from_row(row)
        last = rows[-1][0]
