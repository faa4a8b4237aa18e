"""Writing many rows fast, the same way on both databases: COPY on PostgreSQL, executemany on SQLite.

For bulk loads (seeding, history imports) where the ORM's per-object overhead dominates. The caller holds
a transaction; ids are taken up front so that related rows (events) can point at them before writing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

from django.db import connection, models


def take_ids(model: type[models.Model], count: int) -> int:
    """Reserve `count` consecutive primary keys; returns the first. Call inside the writing transaction.

    PostgreSQL: the table lock keeps concurrent inserts (and their nextval) out while the sequence jumps.
    SQLite: the write lock is already held (BEGIN IMMEDIATE), so MAX(id) + 1 is ours.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN EXCLUSIVE MODE")
            cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            if count > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
            return first
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0] + 1


def _sqlite_value(kind: str):
    """A converter to what Django itself stores on SQLite (UTC text for instants, JSON text, 0/1)."""
    if kind == "DateTimeField":
        return lambda v: None if v is None else str(v.astimezone(dt.UTC).replace(tzinfo=None))
    if kind == "JSONField":
        return lambda v: json.dumps(v, ensure_ascii=False)
    if kind == "BooleanField":
        return lambda v: None if v is None else int(v)
    return None


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence],
                constants: dict[str, object] | None = None) -> None:
    """Insert plain tuples (values for `columns`, attribute names) into `model`'s table.

    Every other concrete column gets `constants[attname]` or the field's default: Django keeps defaults
    in Python, not in the schema.
    """
    constants = constants or {}
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [name for name in fields if name not in columns]
    fixed = tuple(constants[n] if n in constants else fields[n].get_default() for n in rest)
    names = [*columns, *rest]
    table = connection.ops.quote_name(model._meta.db_table)
    column_sql = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
    kinds = [fields[n].get_internal_type() for n in names]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            json_at = [i for i, k in enumerate(kinds) if k == "JSONField"]
            fixed = tuple(json.dumps(v, ensure_ascii=False) if kinds[len(columns) + i] == "JSONField" else v
                          for i, v in enumerate(fixed))
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                for row in rows:
                    values = [*row, *fixed]
                    for i in json_at:
                        if i < len(columns):
                            values[i] = json.dumps(values[i], ensure_ascii=False)
                    copy.write_row(values)
            return
        convert = [(i, c) for i, k in enumerate(kinds[:len(columns)]) if (c := _sqlite_value(k))]
        fixed = tuple(c(v) if (c := _sqlite_value(kinds[len(columns) + i])) else v for i, v in enumerate(fixed))

        def prepared():
            for row in rows:
                values = list(row)
                for i, c in convert:
                    values[i] = c(values[i])
                yield (*values, *fixed)

        marks = ", ".join(["%s"] * len(names))
        cursor.executemany(f"INSERT INTO {table} ({column_sql}) VALUES ({marks})", prepared())
