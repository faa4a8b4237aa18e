"""`phucvu import dossiers FILE`: years of history from an older system, all or nothing, fast.

Columns: code, agency, procedure, channel (counter|postal|online), applicant_name, applicant_id,
received_at, due_at, resolved_at, result (granted|refused), returned_at, withdrawn_at, stopped_at.
Instants are ISO 8601; a naive one is Asia/Ho_Chi_Minh. An empty code is generated from the agency's
day counter; an empty due_at is computed from the procedure (the version in force that day) and the
calendar. The status follows from the instants. A dossier still in progress gets the steps of its
version's workflow, the first one running, so the desk can carry on with it.

Speed (the aim and the figures: docs/performance.md): every line is validated in Python, with positional
cells (no dict per line), lookups loaded once and per-value caches (name folding per word, versions per day).
On PostgreSQL the lines' events are streamed as a binary COPY while the lines are checked (ids taken
beforehand for every line the file can hold, every calendar loaded before the first line: no query may run
during a COPY); a bad file is rolled back whole. Then codes, steps and the dossiers (binary COPY again, the
reports' rollup work computed by `facts.prepare` while the server takes the rows in), and one upsert of the
rollups. SQLite checks the whole file first and writes with executemany.

The rows themselves (status, codes, search keys, secrets, steps, the event) are built by `bulkrows`, as for
every bulk path, and written through `core.bulk`.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from phucvu.catalog.models import Procedure, ProcedureVersion
from phucvu.core.bulk import References, defer_references, insert_rows, take_ids, write_rows
from phucvu.core.localtime import TIME_ZONE, VN_TZ
from phucvu.core.tables import Errors, ImportResult, read_records
from phucvu.dossiers import facts
from phucvu.dossiers.bulkrows import (
    DOSSIER_COLUMNS,
    EVENT_COLUMNS,
    STEP_COLUMNS,
    CodeNumbers,
    DossierLine,
    competent_agencies,
    dossier_rows,
    line_event_row,
    line_facts,
    status_of,
    step_rows,
)
from phucvu.dossiers.clock import calendar_for, calendars_for
from phucvu.dossiers.codes import code_prefix
from phucvu.dossiers.models import Channel, Dossier, DossierEvent, DossierStep, Result
from phucvu.organization.models import Agency

COLUMNS = ["code", "agency", "procedure", "channel", "applicant_name", "applicant_id", "received_at", "due_at",
           "resolved_at", "result", "returned_at", "withdrawn_at", "stopped_at"]
REQUIRED = ["code", "agency", "procedure", "channel", "applicant_name", "received_at"]
CHANNELS = frozenset(Channel.values)
RESULTS = frozenset(Result.values)
# Column widths of the Dossier table: a longer value is a line error, not a failed COPY.
MAX_CODE = Dossier._meta.get_field("code").max_length
MAX_NAME = Dossier._meta.get_field("applicant_name").max_length
MAX_ID = Dossier._meta.get_field("applicant_id_number").max_length


class _Bad(Exception):
    pass


class _Lookups:
    """Everything a line refers to, loaded once, with the per-value caches of the hot loop.

    (The hot code reads `.id`, not `.pk`: the latter is a property, and it was read 10⁶ times.)
    """

    def __init__(self, *, every_calendar: bool = False) -> None:
        agencies = list(Agency.objects.select_related("parent"))
        self.agencies = {a.code: a for a in agencies}
        self.by_id = {a.id: a for a in agencies}
        for a in agencies:
            if a.electronic_id:
                self.agencies.setdefault(a.electronic_id, a)
        self.prefix = {a.id: code_prefix(a) for a in agencies}
        self.procedures = {p.code: p for p in Procedure.objects.all()}
        # A foreign key's `_id` is a data descriptor on the model (a Python call each read): read once here.
        self.field_of = {p.id: p.field_id for p in self.procedures.values()}
        versions: dict[int, list[ProcedureVersion]] = defaultdict(list)
        for v in ProcedureVersion.objects.order_by("procedure_id", "number"):
            versions[v.procedure_id].append(v)
        self.versions = dict(versions)
        self._version_on: dict[tuple[int, dt.date], ProcedureVersion] = {}
        # The legal time as the clock takes it fastest: an int when whole (the Decimal path is slower).
        self.amount = {v.id: int(v.amount) if v.amount == int(v.amount) else v.amount
                       for vs in versions.values() for v in vs}
        # Every agency's calendar now when the lines are checked during a COPY (no query may run then);
        # else each on first use.
        self.calendars: dict[int, object] = calendars_for(agencies) if every_calendar else {}

    def version_on(self, procedure: Procedure, day: dt.date) -> ProcedureVersion:
        """The version in force on the day: the latest whose valid_from is not after it (else the first)."""
        versions = self.versions[procedure.id]
        if len(versions) == 1:
            return versions[0]
        found = self._version_on.get((procedure.id, day))
        if found is None:
            found = versions[0]
            for v in versions:  # by number
                if v.valid_from is None or v.valid_from <= day:
                    found = v
            self._version_on[(procedure.id, day)] = found
        return found

    def calendar(self, agency_id: int):
        cal = self.calendars.get(agency_id)
        if cal is None:
            cal = self.calendars[agency_id] = calendar_for(agency_id)
        return cal


def _check_all(records: Iterable[tuple[int, list[str]]], header: list[str], look: _Lookups, errors: Errors,
               on_good: Callable[[int, DossierLine], None] | None = None) -> tuple[list[DossierLine], dict[str, int]]:
    """Validate every line; returns the good ones and the line of every code given in the file.

    `on_good(index, line)` is told of each good line as it is found (index = its place in the result)."""
    tz = _LocalTime(timezone.get_default_timezone())
    width = len(header)
    # Position of each column in a record; a missing optional column reads the "" appended at `width`.
    where = [header.index(c) if c in header else width for c in COLUMNS]
    good: list[DossierLine] = []
    seen: dict[str, int] = {}
    pick = itemgetter(*where)
    strip = str.strip
    for line, cells in records:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        cells.append("")
        try:
            r = _check(list(map(strip, pick(cells))), line, look, tz)
        except _Bad as bad:
            errors.add(line, str(bad))
            continue
        code = r.code
        if code:
            if code in seen:
                errors.add(line, f"mã hồ sơ '{code}' trùng với dòng {seen[code]}")
                continue
            seen[code] = line
        if on_good is not None:
            on_good(len(good), r)
        good.append(r)
    return good, seen


class _LocalTime:
    """The default zone (Asia/Ho_Chi_Minh) for naive instants and local days. Vietnam has kept +07:00 since
    1975, so from 1976 on the fixed offset is exact and faster, and the legal clock's own fast path."""

    def __init__(self, zone) -> None:
        self.zone = zone
        self.fixed = VN_TZ if getattr(zone, "key", "") == TIME_ZONE else None

    def localize(self, naive: dt.datetime) -> dt.datetime:
        return naive.replace(tzinfo=self.fixed if self.fixed and naive.year >= 1976 else self.zone)

    def date_of(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.fixed if self.fixed and moment.year >= 1976 else self.zone).date()


def _instant(text: str, name: str, tz: _LocalTime) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{name} không đúng ISO 8601: '{text}'") from None
    if value.tzinfo is not None:
        if value.tzinfo == tz.fixed:  # "+07:00" parses to a zone of its own: take the shared one, on which
            # the clock, the local days and the rollups take their fast path (`local_time`), not astimezone
            return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                               value.microsecond, tz.fixed)
        return value
    if tz.fixed is not None and value.year >= 1976:
        # The constructor, not .replace(tzinfo=…): the cheaper of the two, and it runs three times a line.
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                           value.microsecond, tz.fixed)
    return tz.localize(value)


def _check(values: list[str], line: int, look: _Lookups, tz: _LocalTime) -> DossierLine:
    (code, agency_code, procedure_code, channel, name, id_number, received_text, due_text, resolved_text,
     result, returned_text, withdrawn_text, stopped_text) = values
    agency = look.agencies.get(agency_code)
    if agency is None:
        raise _Bad(f"không có đơn vị '{agency_code}'")
    procedure = look.procedures.get(procedure_code)
    if procedure is None or procedure.id not in look.versions:
        raise _Bad(f"không có thủ tục '{procedure_code}'")
    channel = channel.lower() or Channel.COUNTER
    if channel not in CHANNELS:
        raise _Bad(f"kênh '{channel}' không hợp lệ (counter, postal, online)")
    if "  " in name or "\t" in name or "\n" in name:
        name = " ".join(name.split())
    if not name:
        raise _Bad("thiếu tên người nộp")
    if len(code) > MAX_CODE or len(name) > MAX_NAME or len(id_number) > MAX_ID:
        raise _Bad(f"mã hồ sơ dài quá {MAX_CODE}, tên quá {MAX_NAME} hoặc số giấy tờ quá {MAX_ID} ký tự")
    if not received_text:
        raise _Bad("thiếu received_at")
    received = _instant(received_text, "received_at", tz)
    due = _instant(due_text, "due_at", tz) if due_text else None
    resolved = _instant(resolved_text, "resolved_at", tz) if resolved_text else None
    returned = _instant(returned_text, "returned_at", tz) if returned_text else None
    withdrawn = _instant(withdrawn_text, "withdrawn_at", tz) if withdrawn_text else None
    stopped = _instant(stopped_text, "stopped_at", tz) if stopped_text else None
    for later, value in (("due_at", due), ("resolved_at", resolved), ("withdrawn_at", withdrawn),
                         ("stopped_at", stopped)):
        if value is not None and value < received:
            raise _Bad(f"{later} trước received_at")
    if returned is not None:
        if resolved is None:
            raise _Bad("có returned_at mà không có resolved_at")
        if returned < resolved:
            raise _Bad("returned_at trước resolved_at")
    if (resolved is not None) + (withdrawn is not None) + (stopped is not None) > 1:
        ends = [n for n, v in (("resolved_at", resolved), ("withdrawn_at", withdrawn), ("stopped_at", stopped))
                if v is not None]
        raise _Bad(f"một hồ sơ không thể vừa có {' vừa có '.join(ends)}")
    if result:
        result = result.lower()
        if result not in RESULTS:
            raise _Bad("hồ sơ đã giải quyết cần result là granted hoặc refused")
        if resolved is None:
            raise _Bad("có result mà không có resolved_at")
    elif resolved is not None:
        raise _Bad("hồ sơ đã giải quyết cần result là granted hoặc refused")
    day = tz.date_of(received)
    version = look.version_on(procedure, day)
    cal = look.calendar(agency.id)
    if due is None:
        start, due, legal = cal.timed(received, look.amount[version.id], version.time_unit, cutoff=version.cutoff)
    else:
        start = cal.start_moment(received, version.cutoff)
        legal = max(0, cal.working_minutes_between(start, due))
    return DossierLine(line, code, agency.id, procedure.id, version.id, look.field_of[procedure.id], channel, name, id_number,
                       received, start, due, legal, resolved, result, returned, withdrawn, stopped, day,
                       status_of(resolved, returned, withdrawn, stopped))


def import_dossiers(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    with _no_gc():
        return _import(path, dry_run=dry_run)


def _import(path: str | Path, *, dry_run: bool) -> ImportResult:
    header, records = read_records(path, required=REQUIRED)
    errors = Errors()
    bound = None if dry_run or connection.vendor != "postgresql" else _record_bound(path)
    look = _Lookups(every_calendar=bound is not None)
    if bound is None:  # a dry run, SQLite, or a file whose lines can't be counted first
        good, seen = _check_all(records, header, look, errors)
        _reject_if_any(errors, seen)
        if not dry_run and good:
            with transaction.atomic():
                _write(good, look, _Ids(len(good)))
        return ImportResult(dry_run=dry_run, created=len(good))
    # PostgreSQL: the events go to the server while the lines are validated — they need nothing the whole
    # file decides (codes do) — so the server's work on them overlaps Python's. Ids are taken for every
    # line the file can hold; a bad file rolls it all back, and unused ids are only gaps in a sequence.
    with transaction.atomic():
        ids = _Ids(bound)
        with write_rows(DossierEvent, EVENT_COLUMNS) as write:
            event, dossier = ids.events, ids.dossiers

            def on_good(index: int, r: DossierLine) -> None:
                write(line_event_row(event[index], dossier[index], r))

            good, seen = _check_all(records, header, look, errors, on_good)
        _reject_if_any(errors, seen)
        if good:
            _write(good, look, ids, events_written=True)
    return ImportResult(dry_run=False, created=len(good))


def _reject_if_any(errors: Errors, seen: dict[str, int]) -> None:
    """Every bad line at once, in line order: the lines' own errors and codes the database already has."""
    for code in _existing_codes(list(seen)):
        errors.add(seen[code], f"mã hồ sơ '{code}' đã có trong hệ thống")
    if errors:
        errors.items.sort(key=lambda e: int(e.split(":", 1)[0].split()[1]))  # stable: a line's own order kept
    errors.raise_if_any()


def _record_bound(path: str | Path) -> int | None:
    """At least as many as the records of a CSV file (its line breaks, header included); None for others."""
    path = Path(path)
    if path.suffix.lower() not in {".csv", ".txt", ""}:
        return None
    newlines = returns = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            newlines += chunk.count(b"\n")
            returns += chunk.count(b"\r")  # a file with old Mac line ends has no \n at all
    return max(newlines, returns) + 1


class _Ids:
    """The primary keys of the dossiers and events to write (taken from the sequences beforehand), the
    i-th good line's at index i, and the foreign-key checks deferred to after the writes."""

    def __init__(self, count: int) -> None:
        self.dossiers, self.events = take_ids(Dossier, count), take_ids(DossierEvent, count)
        self.references: References = defer_references()


def _existing_codes(codes: list[str]) -> list[str]:
    """Which of the file's codes the database already has."""
    if not codes:
        return []
    if connection.vendor == "postgresql":
        # One array parameter: an IN list of 10⁵ values is slow to build and to parse.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT code FROM {connection.ops.quote_name(Dossier._meta.db_table)} "
                           "WHERE code = ANY(%s)", [codes])
            return [row[0] for row in cursor.fetchall()]
    found: list[str] = []
    for i in range(0, len(codes), 5000):  # SQLite: under its limit of parameters
        found.extend(Dossier.objects.filter(code__in=codes[i:i + 5000]).values_list("code", flat=True))
    return found


@contextmanager
def _no_gc() -> Iterator[None]:
    """Hundreds of thousands of small objects live until the end: the cyclic collector would walk them
    again and again (measured: the import ran twice as long), and they hold no cycles to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _write(good: list[DossierLine], look: _Lookups, ids: _Ids, *, events_written: bool = False) -> None:
    """Codes, steps, dossiers (and their events unless already written), then the reports' rollups."""
    numbers = CodeNumbers(look.prefix)
    codes = numbers.assign(good)
    numbers.save()
    now = timezone.now()
    pks = ids.dossiers[:len(good)]
    steps, current = step_rows(good, pks, look.by_id, look.calendar, lambda count: take_ids(DossierStep, count))
    later: dict[str, Any] = {}

    def meanwhile() -> None:  # while the server takes the dossiers in: the events and the facts
        if not events_written:
            later["events"] = [line_event_row(event_pk, pk, r) for event_pk, pk, r in zip(ids.events, pks, good)]
        later["publish"] = publish = facts.prepare([(None, f) for f in line_facts(good, pks, competent)])  # rollups
        if events_written:
            publish.ready()  # nothing else to wait for: the rest of it (rollup statements) now

    # Steps before their dossiers: SQLite resolves a pending (deferred) reference when the row it points to
    # arrives, by looking for the rows that point to it — fast through the steps' dossier index, a scan of the
    # whole dossier table for each step the other way round (dossier.current_step has no index).
    insert_rows(DossierStep, STEP_COLUMNS, steps)
    competent = competent_agencies(good, look.by_id)
    insert_rows(Dossier, DOSSIER_COLUMNS, dossier_rows(good, pks, codes, current, competent),
                {"imported": True, "created_at": now, "updated_at": now, "papers": []}, meanwhile)
    if not events_written:
        # While the server takes the events in: the rest of the listeners' pure work (rollup statements).
        insert_rows(DossierEvent, EVENT_COLUMNS, later["events"], {}, lambda: later["publish"].ready())
    ids.references.written(Dossier, DOSSIER_COLUMNS, pks)
    ids.references.written(DossierStep, STEP_COLUMNS, [row[0] for row in steps])
    # The events' one reference is to the dossiers just written, with the same list of ids: nothing to check
    # that the dossiers' own check has not (it would be one more pass over every event).
    ids.references.check()
    # One publication for the whole file (prepared above): reports' listener applies it as one batch.
    later["publish"]()
