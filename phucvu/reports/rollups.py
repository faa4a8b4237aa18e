"""From a dossier's facts to its signed contribution to the rollups, and the upsert that applies it.

`contributions(facts)` is pure: it says which counters of which local day one dossier adds. A change
(before → after) subtracts the contribution of `before` and adds that of `after`, so the rollups stay exact
whatever a transition does (even undoing or re-dating something), and applying the changes of a batch costs
one upsert per table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connection

from phucvu.core.localtime import local_day, local_time
from phucvu.dossiers.facts import Change, DossierFacts
from phucvu.reports.models import (
    ALL_PROCEDURES,
    COUNTERS,
    CompetentDayRollup,
    CompetentMonthRollup,
    DayRollup,
    MonthRollup,
)

_TINY = dt.timedelta(microseconds=1)
_INDEX = {name: i for i, name in enumerate(COUNTERS)}

Key = tuple[int, int, int, dt.date]  # (agency_id, procedure_id, field_id, day)


def due_bucket(due: dt.datetime) -> dt.date:
    """The last local day T whose end is not before `due`'s bucket: due is after the end of T ⇔ bucket > T.

    The end of T is the instant of local midnight starting T+1; a due moment exactly then is not after it.
    """
    return local_day(due - _TINY)


def resolution_kind(resolved_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """early / on_time / late against the appointment (docs/domain.md §11.3)."""
    if due_at is None:
        return "resolved_on_time"  # no appointment (e.g. same-day service without a time): never late
    if resolved_at > due_at:
        return "resolved_late"
    if local_day(resolved_at) < local_day(due_at):
        return "resolved_early"
    return "resolved_on_time"


_RECEIVED_ONLINE, _RECEIVED_DIRECT = _INDEX["received_online"], _INDEX["received_direct"]
_EARLY, _ON_TIME, _LATE = _INDEX["resolved_early"], _INDEX["resolved_on_time"], _INDEX["resolved_late"]
_OPEN, _WITHIN, _PAUSED = _INDEX["open_delta"], _INDEX["within_delta"], _INDEX["paused_delta"]
_WITHDRAWN, _STOPPED = _INDEX["withdrawn"], _INDEX["stopped"]
_N = len(COUNTERS)


def contributions(facts: DossierFacts) -> dict[dt.date, list[int]]:
    """Counter deltas per local day for one dossier. Not received (submitted, refused) → nothing.

    Written for speed (a history import computes it 10⁵ times in one transaction): plain dict, indexes
    resolved once, each local day computed once; the rules are those of `resolution_kind` and `due_bucket`.
    """
    received = facts.received_at
    if received is None:
        return {}
    start = local_day(received)
    out: dict[dt.date, list[int]] = {start: [0] * _N}
    out[start][_RECEIVED_ONLINE if facts.channel == "online" else _RECEIVED_DIRECT] = 1
    due = facts.due_at
    due_local = local_time(due) if due is not None else None
    first_end = end = None  # the first of resolved / withdrawn / stopped, and its local day
    for moment, counter in ((facts.resolved_at, -1), (facts.withdrawn_at, _WITHDRAWN), (facts.stopped_at, _STOPPED)):
        if moment is None:
            continue
        day = local_day(moment)
        if counter < 0:  # resolved: early / on time / late against the appointment (docs/domain.md §11.3)
            counter = (_ON_TIME if due is None else _LATE if moment > due
                       else _EARLY if day < due_local.date() else _ON_TIME)
        row = out.get(day)
        if row is None:
            row = out[day] = [0] * _N
        row[counter] += 1
        if first_end is None or moment < first_end:
            first_end, end = moment, day
    # Open from the day received until the first of resolved / withdrawn / stopped (never before receipt).
    if end is not None and end < start:
        end = start
    _interval(out, _OPEN, start, end)
    within_end = end
    if due_local is not None:
        # `due_bucket`: the day of the instant just before the due moment (local midnight → the day before).
        bucket = due_local.date()
        if not (due_local.hour or due_local.minute or due_local.second or due_local.microsecond):
            bucket = local_day(due - _TINY)
        bucket = max(start, bucket)
        within_end = bucket if within_end is None else min(within_end, bucket)
    _interval(out, _WITHIN, start, within_end)
    if facts.pauses:
        for p_start, p_end in _pause_days(facts.pauses, start, end):
            _interval(out, _PAUSED, p_start, p_end)
    return {day: row for day, row in out.items() if any(row)}


def _interval(out: dict[dt.date, list[int]], counter: int, start: dt.date, end: dt.date | None) -> None:
    """+1 on `start`, −1 on `end` (exclusive; None = still running). Empty intervals add nothing."""
    if end is not None and end <= start:
        return
    row = out.get(start)
    if row is None:
        row = out[start] = [0] * _N
    row[counter] += 1
    if end is not None:
        row = out.get(end)
        if row is None:
            row = out[end] = [0] * _N
        row[counter] -= 1


def _pause_days(pauses, start: dt.date, end: dt.date | None) -> list[tuple[dt.date, dt.date | None]]:
    """Pauses as merged local-day intervals [first, last) clipped to the open interval of the dossier.

    A dossier is counted paused at the end of T when a pause began on or before T and had not ended by
    the end of T; overlapping pauses (a supplement and a payment wait at once) count it once.
    """
    spans = []
    for p_start, p_end in pauses:
        a = max(start, local_day(p_start))
        b = None if p_end is None else local_day(p_end)
        if end is not None:
            b = end if b is None else min(b, end)
        if b is not None and b <= a:
            continue
        spans.append((a, b))
    spans.sort(key=lambda s: (s[0], s[1] or dt.date.max))
    merged: list[tuple[dt.date, dt.date | None]] = []
    for a, b in spans:
        if merged and (merged[-1][1] is None or a <= merged[-1][1]):
            last_a, last_b = merged[-1]
            merged[-1] = (last_a, None if (last_b is None or b is None) else max(last_b, b))
        else:
            merged.append((a, b))
    return merged


def deltas(changes: Iterable[Change]) -> dict[Key, list[int]]:
    """Net counter deltas of a batch of changes, keyed by (agency, procedure, field, day)."""
    return deltas_both(changes)[0]


def deltas_both(changes: Iterable[Change]) -> tuple[dict[Key, list[int]], dict[Key, list[int]]]:
    """`deltas`, and the same contributions keyed by the competent agency, all procedures together:
    (competent agency, 0, 0, day) — each dossier's contributions computed and collected once for both: by
    (receiving agency, procedure, field, competent agency, day) first, whose sums (far fewer rows: a pair of
    agencies keeps to its procedures) are then added up both ways."""
    parts: dict[tuple, list[list[int]]] = {}
    for before, after in changes:
        for facts, sign in ((before, -1), (after, 1)):
            if facts is None:
                continue
            agency = facts.agency_id
            head = (agency, facts.procedure_id, facts.field_id or 0, facts.competent_agency_id or agency)
            for day, row in contributions(facts).items():
                if sign < 0:
                    row = [-v for v in row]
                key = (*head, day)
                rows = parts.get(key)
                if rows is None:
                    parts[key] = [row]
                else:
                    rows.append(row)
    by_receiver: dict[Key, list[list[int]]] = {}
    by_competent: dict[Key, list[list[int]]] = {}
    for (agency, procedure, field, decider, day), row in _summed(parts, drop_zero=False).items():
        for target, key in ((by_receiver, (agency, procedure, field, day)),
                            (by_competent, (decider, ALL_PROCEDURES, 0, day))):
            rows = target.get(key)
            if rows is None:
                target[key] = [row]
            else:
                rows.append(row)
    return _summed(by_receiver), _summed(by_competent)


def _summed(parts: dict[Key, list[list[int]]], *, drop_zero: bool = True) -> dict[Key, list[int]]:
    """Each key's rows added up, column by column; rows that come to nothing dropped unless told.

    Collecting rows first and adding once per key is the fast way for a batch of 10⁵ dossiers (a history
    import) and costs nothing for one transition.
    """
    out: dict[Key, list[int]] = {}
    for key, rows in parts.items():
        row = rows[0] if len(rows) == 1 else [sum(column) for column in zip(*rows)]
        if not drop_zero or any(row):
            out[key] = row
    return out


def expand(day_deltas: dict[Key, list[int]]) -> tuple[dict[Key, list[int]], dict[Key, list[int]]]:
    """Add the all-procedures rows, then fold days into months: (day rows, month rows)."""
    days: dict[Key, list[list[int]]] = {}
    months: dict[Key, list[list[int]]] = {}
    for (agency, procedure, field, day), row in day_deltas.items():
        month = day.replace(day=1)
        for target, key in (
            (days, (agency, procedure, field, day)),
            (days, (agency, ALL_PROCEDURES, 0, day)),
            (months, (agency, procedure, field, month)),
            (months, (agency, ALL_PROCEDURES, 0, month)),
        ):
            rows = target.get(key)
            if rows is None:
                target[key] = [row]
            else:
                rows.append(row)
    return _summed(days, drop_zero=False), _summed(months, drop_zero=False)


BATCH = 1000  # rows per statement: 14 000 parameters, under every SQLite limit


def competent_months(day_deltas: dict[Key, list[int]]) -> tuple[dict[Key, list[int]], dict[Key, list[int]]]:
    """The competent agency's day rows (already all procedures) and their months."""
    months: dict[Key, list[list[int]]] = {}
    for (agency, procedure, field, day), row in day_deltas.items():
        months.setdefault((agency, procedure, field, day.replace(day=1)), []).append(row)
    return day_deltas, _summed(months, drop_zero=False)


def upsert(day_deltas: dict[Key, list[int]], competent: dict[Key, list[int]] | None = None) -> None:
    """Add the deltas to the day and month rows: INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x.

    The same statement on SQLite (≥ 3.24) and PostgreSQL; concurrent transitions on one row serialise on
    the row (PostgreSQL) or the database lock (SQLite), and neither loses an increment.
    """
    _execute(_statements(day_deltas, competent))


def _statements(day_deltas: dict[Key, list[int]],
                competent: dict[Key, list[int]] | None = None) -> list[tuple[str, list]]:
    """The upsert's statements and parameters, built without touching the database. `competent`: the
    deltas by competent agency (`deltas_both`), for the Competent* tables."""
    days, months = expand(day_deltas)
    tables = [(DayRollup, "day", days), (MonthRollup, "month", months)]
    if competent:
        c_days, c_months = competent_months(competent)
        tables += [(CompetentDayRollup, "day", c_days), (CompetentMonthRollup, "month", c_months)]
    statements: list[tuple[str, list]] = []
    for model, period, rows in tables:
        rows = {k: v for k, v in rows.items() if any(v)}
        if rows:
            statements.extend(_upsert_rows(model._meta.db_table, period, rows))
    return statements


def _execute(statements: list[tuple[str, list]]) -> None:
    if not statements:
        return
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _upsert_rows(table: str, period: str, rows: dict[Key, list[int]]) -> list[tuple[str, list]]:
    columns = ["agency_id", "procedure_id", "field_id", period, *COUNTERS]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    items = list(rows.items())
    if connection.vendor == "postgresql":
        # One statement whatever the size: the rows travel as one array per column. (A multi-row VALUES
        # of 10⁵ rows spends seconds in the driver's parsing of the long query text.)
        # The arrays go as text literals ('{1,2,3}'), which the driver sends as they are.
        columns_data = zip(*((*key, *values) for key, values in items))
        arrays = ", ".join(["%s::int[]"] * 3 + ["%s::date[]"] + ["%s::int[]"] * len(COUNTERS))
        return [(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "
            f"ON CONFLICT (agency_id, procedure_id, {period}) DO UPDATE SET {updates}",
            ["{" + ",".join(map(str, c)) + "}" for c in columns_data],
        )]
    statements = []
    for offset in range(0, len(items), BATCH):
        chunk = items[offset:offset + BATCH]
        placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
        params: list = []
        for (agency, procedure, field, day), values in chunk:
            params.extend((agency, procedure, field, day, *values))
        statements.append((
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} "
            f"ON CONFLICT (agency_id, procedure_id, {period}) DO UPDATE SET {updates}",
            params,
        ))
    return statements


def rollup_apply(changes: Sequence[Change]) -> None:
    """The facts listener: called by dossiers inside the writing transaction."""
    upsert(*deltas_both(changes))


class _Pending:
    """`facts.prepare`'s rollup step: the deltas at once, the statements at `ready()`, the writes when called."""

    def __init__(self, changes: Sequence[Change]) -> None:
        self.day_deltas, self.competent = deltas_both(changes)
        self.statements: list[tuple[str, list]] | None = None

    def ready(self) -> None:
        if self.statements is None:
            self.statements = _statements(self.day_deltas, self.competent)

    def __call__(self) -> None:
        self.ready()
        _execute(self.statements)


rollup_apply.prepare = _Pending  # type: ignore[attr-defined]
