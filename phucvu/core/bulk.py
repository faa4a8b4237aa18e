"""Writing many rows fast, one way for every bulk path (the dossier history import, `phucvu seed`, the SQL
generator): ids taken up front, binary COPY on PostgreSQL (executemany on SQLite), and the foreign-key
checks done once per table after the rows are in instead of once per row. The caller holds the transaction.

Design and figures: docs/adr/0004-copy-import.md, docs/performance.md §2.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

import psycopg
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from psycopg.adapt import PyFormat
from psycopg.copy import QueuedLibpqWriter

Row = Sequence[object]


# -- ids ----------------------------------------------------------------------------------------------------

def take_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys for rows written without the ORM, taken before writing (related rows can point
    at them). Call inside the writing transaction.

    PostgreSQL: the sequence's own numbers, safe beside live intake and with no table lock held while a bulk
    write runs (they are ascending, not always consecutive: concurrent inserts may take numbers between
    them). One text value comes back rather than `count` rows: the driver's per-row cost is the larger one.
    SQLite: the write lock is already held (BEGIN IMMEDIATE), so MAX(id) + 1 onwards is ours.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT string_agg(nextval(%s)::text, ',') FROM generate_series(1, %s)", [sequence, count])
            return [int(pk) for pk in cursor.fetchone()[0].split(",")]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


# -- rows ---------------------------------------------------------------------------------------------------
# A row holds Python values as the ORM would pass them (numbers, text, aware datetimes, dates); a JSON column's
# value in a row is given as `jsonb(value)`, on either database (constants may be plain Python values).
# Binary COPY (measured: half the server's time of text COPY for the dossier table) because the server then
# parses no text: instants go as 64-bit integers; the driver formats each row in C.

JSONB_VERSION = b"\x01"  # jsonb's binary input is its format version, then the JSON text: a hot loop may
# write `JSONB_VERSION + b'{"line": %d}' % n` itself instead of calling json.dumps


def jsonb(value: object) -> bytes:
    """A JSON cell for `write_rows` / `insert_rows`: jsonb's binary input form (PostgreSQL takes it as it is)."""
    return JSONB_VERSION + json.dumps(value, ensure_ascii=False).encode()


@contextmanager
def write_rows(model: type[models.Model], columns: Sequence[str],
               constants: dict[str, object] | None = None) -> Iterator[Callable[[Row], None]]:
    """Rows into `model`'s table, as a function taking one row (values for `columns`, attribute names).

    Every other concrete column gets `constants[attname]` or the field's default (Django keeps defaults in
    Python, not in the schema). PostgreSQL: a binary COPY whose rows a thread sends while this one goes on;
    nothing else may use the connection until the block ends (a query would wait for ever: it fails at once).
    SQLite: the rows are kept and written with executemany when the block ends.
    """
    constants = constants or {}
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [n for n in fields if n not in columns]
    ordered = [fields[n] for n in (*columns, *rest)]
    json_columns = {n for n, f in fields.items() if f.get_internal_type() == "JSONField"}
    values = [constants[n] if n in constants else fields[n].get_default() for n in rest]
    # Constant JSON encoded once, not once a row.
    fixed = tuple(jsonb(v) if n in json_columns else v for n, v in zip(rest, values))
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in ordered)
    if connection.vendor != "postgresql":
        kept: list[Row] = []
        yield kept.append
        _executemany(table, names, ordered, kept, fixed)
        return
    # The exact column types: binary input has no implicit casts (int4 is not int8). A JSON column goes as
    # bytea, whose binary form is its bytes as they are — jsonb's own binary input when they are `jsonb`'s:
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
            with connection.execute_wrapper(_no_query_during_copy):
                if fixed:
                    yield lambda row: write_row((*row, *fixed))
                else:
                    yield write_row


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Row],
                constants: dict[str, object] | None = None, meanwhile: Callable[[], None] | None = None) -> None:
    """`write_rows` for rows at hand. `meanwhile` (no database access!) runs once the rows are handed over:
    on PostgreSQL the thread is still sending them, so the server's work and this Python work overlap."""
    with write_rows(model, columns, constants) as write:
        for row in rows:
            write(row)
        if meanwhile is not None and connection.vendor == "postgresql":
            meanwhile()
    if meanwhile is not None and connection.vendor != "postgresql":
        meanwhile()


def refresh_statistics() -> None:
    """The query planner's statistics after a bulk write. COPY and executemany leave them as they were (an
    empty table's), and until autovacuum comes round — never, where it is off — the planner takes a table of
    half a million dossiers for a handful of rows: at scale 1 the register of a month took a minute instead
    of a second (docs/performance.md §6). SQLite: ANALYZE on a sample of each index."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")


def _no_query_during_copy(execute, sql, params, many, context):
    raise RuntimeError(f"Truy vấn trong lúc COPY trên cùng kết nối (sẽ chờ mãi): {sql[:120]}")


def _sqlite_value(kind: str) -> Callable[[object], object] | None:
    """A converter to what Django itself stores on SQLite (UTC text for instants, JSON text, 0/1)."""
    if kind == "DateTimeField":
        return lambda v: None if v is None else str(v.astimezone(dt.UTC).replace(tzinfo=None))
    if kind == "JSONField":
        return lambda v: v[len(JSONB_VERSION):].decode() if isinstance(v, bytes) else json.dumps(v, ensure_ascii=False)
    if kind == "BooleanField":
        return lambda v: None if v is None else int(v)
    return None


def _executemany(table: str, names: str, ordered: list, rows: list[Row], fixed: tuple) -> None:
    kinds = [f.get_internal_type() for f in ordered]
    width = len(ordered) - len(fixed)
    # Instants converted inline (the most frequent cells: a function call each would cost as much again).
    times = [i for i, k in enumerate(kinds[:width]) if k == "DateTimeField"]
    convert = [(i, c) for i, k in enumerate(kinds[:width]) if k != "DateTimeField" and (c := _sqlite_value(k))]
    fixed = tuple(c(v) if (c := _sqlite_value(kinds[width + i])) else v for i, v in enumerate(fixed))
    utc = dt.UTC
    # Bulk rows meet the same instants again and again (whole minutes of a few days): each converted once.
    texts: dict[dt.datetime, str] = {}

    def prepared() -> Iterator[list]:
        for row in rows:
            values = list(row)
            for i in times:
                v = values[i]
                if v is not None:
                    text = texts.get(v)
                    if text is None:
                        text = texts[v] = str(v.astimezone(utc).replace(tzinfo=None))
                    values[i] = text
            for i, c in convert:
                values[i] = c(values[i])
            values.extend(fixed)
            yield values

    marks = ", ".join(["%s"] * len(ordered))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared())


# -- references ---------------------------------------------------------------------------------------------

class References:
    """The foreign keys of bulk-written rows, checked once per table after writing instead of row by row.

    Checked at commit one row and one reference at a time, they cost more than all the rest of an import
    (≈ 8 references a dossier). `defer_references()` turns the per-row triggers off for this transaction
    (PostgreSQL's `session_replication_role = replica`, pg_restore's --disable-triggers, as SET LOCAL), where
    the role may (superuser, or GRANT SET ON PARAMETER session_replication_role); elsewhere the triggers run
    as usual and `check` has nothing to do. The writer says what it wrote (`written`), and `check` — one
    anti-join per table over those rows — turns the triggers back on and raises IntegrityError on a
    reference to a missing row.
    """

    def __init__(self, deferred: bool) -> None:
        self.deferred = deferred
        self._written: list[tuple[type[models.Model], Sequence[str], int, int]] = []

    def written(self, model: type[models.Model], columns: Sequence[str], ids: Sequence[int]) -> None:
        """Rows of `model` with these ids were written with these columns (attribute names)."""
        if self.deferred and ids:
            self._written.append((model, columns, min(ids), max(ids)))

    def check(self) -> None:
        if not self.deferred:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
        self.deferred = False
        for model, columns, low, high in self._written:
            _check_references(model, columns, low, high)
        self._written.clear()


def defer_references() -> References:
    """Call inside the writing transaction, before the bulk writes (see `References`)."""
    if connection.vendor != "postgresql":
        return References(False)
    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint: a refusal changes nothing
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return References(False)
    return References(True)


def _check_references(model: type[models.Model], columns: Sequence[str], low: int, high: int) -> None:
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
    if not tests:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT x.id FROM {quote(model._meta.db_table)} x WHERE x.id BETWEEN %s AND %s "
                       f"AND ({' OR '.join(tests)}) LIMIT 1", [low, high])
        bad = cursor.fetchone()
    if bad:
        raise IntegrityError(f"{model._meta.db_table} {bad[0]}: a reference to a missing row")
