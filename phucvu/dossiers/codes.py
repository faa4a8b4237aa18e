"""Dossier codes `{agency e-ID}-{yyMMdd}-{NNNN}`: unique and gap-free per agency and local day.

The sequence lives in a `DossierCounter` row per (agency, day). Taking numbers is an UPDATE of that row
inside the caller's transaction: the row stays locked until the dossier is committed (PostgreSQL), or
the whole write is serialised by `BEGIN IMMEDIATE` (SQLite), so two desks never get the same number,
and a rolled-back intake gives its number back instead of leaving a hole.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from phucvu.core.localtime import local_day
from phucvu.dossiers.models import DossierCounter

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_secret() -> str:
    # 32 letters: a byte modulo 32 is uniform.
    return "".join(SECRET_ALPHABET[b % 32] for b in secrets.token_bytes(8))


def format_code(prefix: str, day: dt.date, number: int) -> str:
    return f"{prefix}-{day:%y%m%d}-{number:04d}"


def code_prefix(agency) -> str:
    """The agency's electronic ID; a desk without one uses the authority it serves."""
    if agency.electronic_id:
        return agency.electronic_id
    if agency.kind == "desk" and agency.parent_id and agency.parent.electronic_id:
        return agency.parent.electronic_id
    return agency.code


def take_numbers(agency_id: int, day: dt.date, count: int = 1, *, at_least: int = 0) -> int:
    """Reserve `count` numbers; returns the first. Call inside the writing transaction.

    `at_least`: numbers up to it are already used (codes imported as they were), so start after it.
    """
    if count < 1:
        raise ValueError("count must be positive")
    for _attempt in range(3):
        last = _bump(agency_id, day, count)
        if last is not None:
            if last - count < at_least:
                DossierCounter.objects.filter(agency_id=agency_id, day=day).update(last=at_least + count)
                return at_least + 1
            return last - count + 1
        try:
            # First code of the day: a concurrent first one loses on the unique constraint and retries.
            with transaction.atomic():
                DossierCounter.objects.create(agency_id=agency_id, day=day, last=at_least + count)
            return at_least + 1
        except IntegrityError:
            continue
    raise RuntimeError("could not take a dossier number")  # pragma: no cover


def _bump(agency_id: int, day: dt.date, count: int) -> int | None:
    """Add `count` to the day's counter and return the new last number; None if the row is missing."""
    if not connection.features.can_return_columns_from_insert:  # pragma: no cover - SQLite < 3.35
        if not DossierCounter.objects.filter(agency_id=agency_id, day=day).update(last=F("last") + count):
            return None
        return DossierCounter.objects.filter(agency_id=agency_id, day=day).values_list("last", flat=True)[0]
    # One statement instead of UPDATE then SELECT (both SQLite ≥ 3.35 and PostgreSQL return the row).
    table, last, agency, on = (connection.ops.quote_name(n) for n in (DossierCounter._meta.db_table, "last",
                                                                      "agency_id", "day"))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {last} = {last} + %s WHERE {agency} = %s AND {on} = %s RETURNING {last}",
                       [count, agency_id, connection.ops.adapt_datefield_value(day)])
        row = cursor.fetchone()
    return row[0] if row else None


def next_code(agency, at: dt.datetime) -> str:
    day = local_day(at)
    return format_code(code_prefix(agency), day, take_numbers(agency.pk, day))


def parse_code(code: str) -> tuple[str, dt.date, int] | None:
    """(prefix, day, number) of a code in our format, else None."""
    try:
        prefix, day_text, number = code.rsplit("-", 2)
        if len(day_text) != 6 or not number.isdigit():
            return None
        day = dt.date(2000 + int(day_text[:2]), int(day_text[2:4]), int(day_text[4:]))
        return prefix, day, int(number)
    except ValueError:
        return None
