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
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from phucvu.catalog.models import Procedure, ProcedureVersion, WorkflowStep, rule_set_on
from phucvu.core.bulk import insert_rows
from phucvu.core.tables import Errors, ImportResult, read_records
from phucvu.core.text import fold
from phucvu.dossiers import facts
from phucvu.dossiers.clock import calendar_for, calendars_for
from phucvu.dossiers.codes import SECRET_ALPHABET, code_prefix, format_code, parse_code
from phucvu.dossiers.models import (
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierStep,
    EventKind,
    Result,
    Status,
)
from phucvu.dossiers.services import step_plans
from phucvu.organization.models import Agency
from phucvu.workcalendar.clock import VN_TZ

COLUMNS = ["code", "agency", "procedure", "channel", "applicant_name", "applicant_id", "received_at", "due_at",
           "resolved_at", "result", "returned_at", "withdrawn_at", "stopped_at"]
REQUIRED = ["code", "agency", "procedure", "channel", "applicant_name", "received_at"]
BATCH = 2000
CHANNELS = frozenset(Channel.values)
RESULTS = frozenset(Result.values)
# Column widths of the Dossier table: a longer value is a line error, not a failed COPY.
MAX_CODE = Dossier._meta.get_field("code").max_length
MAX_NAME = Dossier._meta.get_field("applicant_name").max_length
MAX_ID = Dossier._meta.get_field("applicant_id_number").max_length


class _Bad(Exception):
    pass


class _Good(NamedTuple):
    """A validated line (a tuple: cheap to make by the hundred thousand)."""

    line: int
    code: str  # "" until numbered
    agency: Agency
    procedure: Procedure
    version: ProcedureVersion
    channel: str
    name: str
    id_number: str
    received: dt.datetime
    start: dt.datetime
    due: dt.datetime
    resolved: dt.datetime | None
    result: str
    returned: dt.datetime | None
    withdrawn: dt.datetime | None
    stopped: dt.datetime | None
    day: dt.date  # local day of receipt: the code's day, the version's and the rule set's
    status: str
    legal: int  # working minutes from start to due (Dossier.legal_minutes)


def _status(resolved, returned, withdrawn, stopped) -> str:
    if returned:
        return Status.RETURNED
    if resolved:
        return Status.RESOLVED
    if withdrawn:
        return Status.WITHDRAWN
    if stopped:
        return Status.STOPPED
    return Status.RECEIVED


class _Lookups:
    """Everything a line refers to, loaded once, with the per-value caches of the hot loop.

    (The hot code reads `.id`, not `.pk`: the latter is a property, and it was read 10⁶ times.)
    """

    def __init__(self, *, every_calendar: bool = False) -> None:
        agencies = list(Agency.objects.select_related("parent"))
        self.agencies = {a.code: a for a in agencies}
        for a in agencies:
            if a.electronic_id:
                self.agencies.setdefault(a.electronic_id, a)
        self.prefix = {a.id: code_prefix(a) for a in agencies}
        self.procedures = {p.code: p for p in Procedure.objects.all()}
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
        self._rule_sets: dict[dt.date, str] = {}

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

    def rule_set(self, day: dt.date) -> str:
        found = self._rule_sets.get(day)
        if found is None:
            found = self._rule_sets[day] = rule_set_on(day)
        return found


def _check_all(records: Iterable[tuple[int, list[str]]], header: list[str], look: _Lookups, errors: Errors,
               on_good: Callable[[int, _Good], None] | None = None) -> tuple[list[_Good], dict[str, int]]:
    """Validate every line; returns the good ones and the line of every code given in the file.

    `on_good(index, line)` is told of each good line as it is found (index = its place in the result)."""
    tz = _LocalTime(timezone.get_default_timezone())
    width = len(header)
    # Position of each column in a record; a missing optional column reads the "" appended at `width`.
    where = [header.index(c) if c in header else width for c in COLUMNS]
    good: list[_Good] = []
    seen: dict[str, int] = {}
    for line, cells in records:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        cells.append("")
        try:
            r = _check([cells[i].strip() for i in where], line, look, tz)
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
        self.fixed = VN_TZ if getattr(zone, "key", "") == "Asia/Ho_Chi_Minh" else None

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
        return value
    if tz.fixed is not None and value.year >= 1976:
        # The constructor, not .replace(tzinfo=…): the cheaper of the two, and it runs three times a line.
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                           value.microsecond, tz.fixed)
    return tz.localize(value)


def _check(values: list[str], line: int, look: _Lookups, tz: _LocalTime) -> _Good:
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
    return _Good(line, code, agency, procedure, version, channel, name, id_number, received, start, due, resolved,
                 result, returned, withdrawn, stopped, day, _status(resolved, returned, withdrawn, stopped), legal)


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
                _write(good, look, _Ids(_take_ids(Dossier, len(good)), _take_ids(DossierEvent, len(good)),
                                        bypass=_skip_row_triggers()))
        return ImportResult(dry_run=dry_run, created=len(good))
    # PostgreSQL: the events go to the server while the lines are validated — they need nothing the whole
    # file decides (codes do) — so the server's work on them overlaps Python's. Ids are taken for every
    # line the file can hold; a bad file rolls it all back, and unused ids are only gaps in a sequence.
    with transaction.atomic():
        ids = _Ids(_take_ids(Dossier, bound), _take_ids(DossierEvent, bound), bypass=_skip_row_triggers())
        with _copy(DossierEvent, EVENT_COLUMNS, {}) as write:
            event, dossier = ids.events, ids.dossiers

            def on_good(index: int, r: _Good) -> None:
                write(_event_row(event[index], dossier[index], r, _line_jsonb(r.line)))

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
    i-th good line's at index i, and whether the per-row foreign-key triggers are skipped."""

    def __init__(self, dossiers: list[int], events: list[int], *, bypass: bool) -> None:
        self.dossiers, self.events, self.bypass = dossiers, events, bypass


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


def _assign_codes(good: list[_Good], look: _Lookups) -> list[str]:
    """Every line's code: numbers for the lines without one, after every number already used that day
    (in the counter or by a code of the file in our format with the same prefix), kept gap-free."""
    used: dict[tuple[str, dt.date], int] = defaultdict(int)
    wanted: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for index, r in enumerate(good):
        if r.code:
            parsed = parse_code(r.code)
            if parsed:
                used[parsed[:2]] = max(used[parsed[:2]], parsed[2])
        else:
            wanted[(r.agency.id, r.day)].append(index)
    # Counters to move on: days we number, and days whose numbers the file's own codes already took.
    keys = set(wanted) | {(r.agency.id, r.day) for r in good
                          if r.code and used.get((look.prefix[r.agency.id], r.day))}
    codes = [r.code for r in good]
    if not keys:
        return codes
    days = [k[1] for k in keys]
    counters = {(c.agency_id, c.day): c for c in DossierCounter.objects.select_for_update().filter(
        agency_id__in={k[0] for k in keys}, day__gte=min(days), day__lte=max(days))}
    new, changed = [], []
    for key in keys:
        counter = counters.get(key)
        if counter is None:
            counter = DossierCounter(agency_id=key[0], day=key[1], last=0)
            new.append(counter)
        else:
            changed.append(counter)
        prefix = look.prefix[key[0]]
        number = max(counter.last, used.get((prefix, key[1]), 0))
        head = format_code(prefix, key[1], 0)[:-4]  # "prefix-yymmdd-": the date formatted once per day
        for index in sorted(wanted.get(key, ()), key=lambda i: good[i].received):
            number += 1
            codes[index] = f"{head}{number:04d}"  # = format_code(prefix, day, number)
        counter.last = number
    DossierCounter.objects.bulk_create(new, batch_size=BATCH)
    DossierCounter.objects.bulk_update(changed, ["last"], batch_size=BATCH)
    return codes


class _Folder:
    """`dossier_search_key` for many rows: `fold` once per distinct word (names share their words)."""

    def __init__(self) -> None:
        self.words: dict[str, str] = {}

    def key(self, code: str, name: str, id_number: str) -> str:
        text = f"{code} {name} {id_number}"
        if text.isascii():
            return " ".join(text.lower().split())[:400]
        words = self.words
        out = []
        for word in text.split():
            if word.isascii():  # codes, numbers, unaccented words: unique ones would only fill the cache
                out.append(word.lower())
                continue
            folded = words.get(word)
            if folded is None:
                folded = words[word] = fold(word)
            if folded:
                out.append(folded)
        return " ".join(out)[:400]


_SECRET_BYTES = bytes(ord(SECRET_ALPHABET[b % 32]) for b in range(256))  # as codes.new_secret: byte mod 32


def _secrets(count: int) -> list[str]:
    """`count` look-up secrets like `codes.new_secret`, from one call to the system's random source."""
    text = secrets.token_bytes(8 * count).translate(_SECRET_BYTES).decode("ascii")
    return [text[i:i + 8] for i in range(0, 8 * count, 8)]


def _take_ids(model, count: int) -> list[int]:
    """Primary keys for rows written without the ORM (COPY / executemany), taken before writing."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence's own numbers: safe beside live intake, and no table lock held while importing.
            # One text value back rather than `count` rows: the driver's per-row cost is the larger one.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT string_agg(nextval(%s)::text, ',') FROM generate_series(1, %s)", [sequence, count])
            return [int(pk) for pk in cursor.fetchone()[0].split(",")]
        # SQLite: the write lock is held (BEGIN IMMEDIATE), so nobody else takes ids meanwhile.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


# -- writing plain rows: binary COPY on PostgreSQL, executemany elsewhere ----------------------------------
# Rows hold Python values as the ORM would pass them (numbers, text, aware datetimes); a JSON column's value
# is given already in jsonb's binary form on PostgreSQL (`_jsonb`), as a Python object elsewhere.
# Binary COPY (measured: half the server's time of text COPY for the dossier table) because the server
# then parses no text: instants go as 64-bit integers; the driver formats each row in C.

_JSONB_VERSION = b"\x01"  # jsonb's binary input is its format version, then the JSON text


def _jsonb(value) -> bytes:
    """A JSON value in jsonb's binary input form, for `_insert` on PostgreSQL."""
    return _JSONB_VERSION + json.dumps(value, ensure_ascii=False).encode()


def _line_jsonb(line: int) -> bytes:
    """`_jsonb({"line": line})` without json.dumps: an event's data, once a line."""
    return _JSONB_VERSION + b'{"line": %d}' % line


def _insert(model, columns: list[str], rows: Iterable[tuple], constants: dict[str, object],
            meanwhile: Callable[[], None] | None = None) -> None:
    """Write tuples of values for `columns` (attribute names) into `model`'s table.

    Every other concrete column gets `constants[attname]` or the field's default. `meanwhile` (no database
    access!) runs once the rows are handed over: on PostgreSQL a thread sends them while it runs, so the
    server's work and this Python work overlap. Elsewhere `core.bulk.insert_rows` writes them.
    """
    if connection.vendor != "postgresql":
        insert_rows(model, columns, rows, constants)
        if meanwhile:
            meanwhile()
        return
    with _copy(model, columns, constants) as write:
        for row in rows:
            write(row)
        if meanwhile:
            meanwhile()


@contextmanager
def _copy(model, columns: list[str], constants: dict[str, object]) -> Iterator[Callable[[tuple], None]]:
    """PostgreSQL: a binary COPY into `model`'s table, as a function taking one row (values for `columns`).

    A queued writer sends the rows from a thread: the server takes them in while this thread goes on.
    Nothing else may use the connection until the block ends.
    """
    import psycopg
    from psycopg.adapt import PyFormat
    from psycopg.copy import QueuedLibpqWriter

    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [n for n in fields if n not in columns]
    ordered = [fields[n] for n in (*columns, *rest)]
    json_columns = {n for n, f in fields.items() if f.get_internal_type() == "JSONField"}
    # Constant JSON encoded once, not once a row.
    fixed = tuple(_jsonb(v) if n in json_columns else v
                  for n, v in ((n, constants[n] if n in constants else fields[n].get_default()) for n in rest))
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in ordered)
    # The exact column types: binary input has no implicit casts (int4 is not int8). A JSON column goes as
    # bytea, whose binary form is its bytes as they are — jsonb's own binary input when they are `_jsonb`'s:
    # the driver copies them in C instead of calling its Python JSON dumper for every value.
    types = ["bytea" if f.attname in json_columns else f.db_type(connection).split("(")[0] for f in ordered]
    with connection.cursor() as cursor:
        raw = cursor.cursor
        # bytea's binary dumper by type (bytes), the driver's C one: by oid it would be a Python subclass
        # that first checks for the DB-API `Binary` wrapper, once a value.
        raw.adapters.register_dumper(bytes, psycopg.adapters.get_dumper(bytes, PyFormat.BINARY))
        with raw.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", writer=QueuedLibpqWriter(raw)) as copy:
            copy.set_types(types)
            write_row = copy.write_row
            # A query now would wait for ever on the busy connection: fail at once and say why instead.
            with connection.execute_wrapper(_no_query_during_copy):
                if fixed:
                    yield lambda row: write_row((*row, *fixed))
                else:
                    yield write_row


def _no_query_during_copy(execute, sql, params, many, context):
    raise RuntimeError(f"Truy vấn trong lúc COPY trên cùng kết nối (sẽ chờ mãi): {sql[:120]}")


DOSSIER_COLUMNS = [
    "id", "code", "agency_id", "procedure_id", "procedure_version_id", "field_id", "channel", "status",
    "applicant_name", "applicant_id_number", "search_key", "submitted_at", "received_at", "start_at", "due_at",
    "legal_minutes", "resolved_at", "result", "returned_at", "withdrawn_at", "stopped_at", "current_step_id",
    "secret", "rule_set",
]
STEP_COLUMNS = ["id", "dossier_id", "order", "name", "agency_id", "role", "share", "minutes", "started_at", "due_at"]
EVENT_COLUMNS = ["id", "dossier_id", "kind", "at", "to_status", "due_at_then", "data"]


def _event_row(event_pk: int, pk: int, r: _Good, data: object) -> tuple:
    """A line's IMPORTED event as an EVENT_COLUMNS row; `data` its JSON as `_insert` takes it."""
    return (event_pk, pk, EventKind.IMPORTED, r.received, r.status, r.due, data)


def _write(good: list[_Good], look: _Lookups, ids: _Ids, *, events_written: bool = False) -> None:
    """Codes, steps, dossiers (and their events unless already written), then the reports' rollups."""
    codes = _assign_codes(good, look)
    now = timezone.now()
    pks = ids.dossiers[:len(good)]
    steps, current = _steps(good, pks, look)
    folder = _Folder()
    keys = [folder.key(code, r.name, r.id_number) for code, r in zip(codes, good)]
    secret_list = _secrets(len(good))
    online = Channel.ONLINE

    def dossiers() -> Iterator[tuple]:
        for pk, code, r, key, secret in zip(pks, codes, good, keys, secret_list):
            yield (pk, code, r.agency.id, r.procedure.id, r.version.id, r.procedure.field_id, r.channel, r.status,
                   r.name, r.id_number, key, r.received if r.channel == online else None, r.received, r.start,
                   r.due, r.legal, r.resolved, r.result, r.returned,
                   r.withdrawn, r.stopped, current.get(pk), secret, look.rule_set(r.day))

    later: dict[str, Any] = {}

    def meanwhile() -> None:  # while the server takes the dossiers in: the events and the facts
        if not events_written:
            line_json = _line_jsonb if connection.vendor == "postgresql" else (lambda line: {"line": line})
            later["events"] = [_event_row(event_pk, pk, r, line_json(r.line))
                               for event_pk, pk, r in zip(ids.events, pks, good)]
        later["changes"] = [(None, facts.DossierFacts(
            dossier_id=pk, agency_id=r.agency.id, procedure_id=r.procedure.id, field_id=r.procedure.field_id,
            channel=r.channel, received_at=r.received, due_at=r.due, resolved_at=r.resolved,
            withdrawn_at=r.withdrawn, stopped_at=r.stopped)) for pk, r in zip(pks, good)]
        later["publish"] = publish = facts.prepare(later["changes"])  # the listeners' pure work (rollup deltas)
        if events_written:
            publish.ready()  # nothing else to wait for: the rest of it (rollup statements) now

    # Steps before their dossiers: SQLite resolves a pending (deferred) reference when the row it points to
    # arrives, by looking for the rows that point to it — fast through the steps' dossier index, a scan of the
    # whole dossier table for each step the other way round (dossier.current_step has no index).
    _insert(DossierStep, STEP_COLUMNS, steps, {})
    _insert(Dossier, DOSSIER_COLUMNS, dossiers(), {"imported": True, "created_at": now, "updated_at": now,
                                                   "papers": [], "pauses": []}, meanwhile)
    if not events_written:
        # While the server takes the events in: the rest of the listeners' pure work (rollup statements).
        _insert(DossierEvent, EVENT_COLUMNS, later["events"], {}, lambda: later["publish"].ready())
    if ids.bypass:
        _restore_row_triggers()
        _check_references(Dossier, DOSSIER_COLUMNS, pks)
        _check_references(DossierStep, STEP_COLUMNS, [row[0] for row in steps])
        # The events' one reference is to the dossiers just written, with the same list of ids: nothing to
        # check that the dossiers' own check has not (it would be one more pass over every event).
    # One publication for the whole file (prepared above): reports' listener applies it as one batch.
    later["publish"]()


def _skip_row_triggers() -> bool:
    """PostgreSQL: skip the per-row foreign-key triggers for the rows this transaction writes next.

    Checked at commit one row and one reference at a time, they cost more than all the rest of an import
    (≈ 8 references a dossier). The same setting as pg_restore's --disable-triggers, only for this
    transaction (SET LOCAL), and only where the role may (superuser, or GRANT SET ON PARAMETER
    session_replication_role); elsewhere the triggers run as usual. Every reference was resolved from rows
    read in this import, and `_check_references` verifies them set-wise after writing.
    """
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint: a refusal changes nothing
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def _restore_row_triggers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")


def _check_references(model, columns: list[str], ids: list[int]) -> None:
    """What the skipped triggers would have checked, as one anti-join per table over the rows just written."""
    if not ids:
        return
    quote = connection.ops.quote_name
    tests = []
    for name in columns:
        field = model._meta.get_field(name.removesuffix("_id")) if name.endswith("_id") else None
        if field is None or not field.is_relation:
            continue
        target = field.related_model
        tests.append(f"(x.{quote(field.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                     f"{quote(target._meta.db_table)} t WHERE t.{quote(target._meta.pk.column)} = "
                     f"x.{quote(field.column)}))")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT x.id FROM {quote(model._meta.db_table)} x WHERE x.id BETWEEN %s AND %s "
                       f"AND ({' OR '.join(tests)}) LIMIT 1", [min(ids), max(ids)])
        bad = cursor.fetchone()
    if bad:
        raise IntegrityError(f"{model._meta.db_table} {bad[0]}: a reference to a missing row")


def _steps(good: list[_Good], ids: list[int], look: _Lookups) -> tuple[list[tuple], dict[int, int]]:
    """The workflow steps of the dossiers still in progress, the first one running from the start moment,
    as at intake (`services.step_plans`); returns the step rows and each such dossier's current step id."""
    running = [(pk, r) for pk, r in zip(ids, good) if r.status == Status.RECEIVED]
    if not running:
        return [], {}
    templates: dict[int, list[tuple]] = defaultdict(list)
    for t in WorkflowStep.objects.filter(version_id__in={r.version.id for _, r in running}).order_by("order"):
        templates[t.version_id].append((t.order, t.name, t.agency_id, t.role, t.share))
    plans: dict[tuple[int, int], list[dict]] = {}
    for _, r in running:
        key = (r.version.id, r.agency.id)
        if key not in plans:
            plans[key] = step_plans(templates[r.version.id], r.agency, 0)
    step_ids = iter(_take_ids(DossierStep, sum(len(plans[(r.version.id, r.agency.id)]) for _, r in running)))
    rows, current = [], {}
    for pk, r in running:
        legal = r.legal
        for i, plan in enumerate(plans[(r.version.id, r.agency.id)]):
            step_pk = next(step_ids)
            minutes = legal * plan["share"] // 100
            started = due = None
            if i == 0:
                current[pk] = step_pk
                started = r.start
                due = look.calendar(plan["agency_id"]).add_working_minutes(r.start, minutes)
            rows.append((step_pk, pk, plan["order"], plan["name"], plan["agency_id"], plan["role"], plan["share"],
                         minutes, started, due))
    return rows, current
