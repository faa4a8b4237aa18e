"""The hash chain of a dossier's events (docs/audit.md): every event carries the SHA-256 of a canonical
serialization of its own fields and of the previous event's hash, so that an event edited, removed or
moved afterwards breaks the chain where it happened.

Pure Python, no database: the services, the bulk paths (import, seed), the migration that filled the
existing events and `phucvu audit verify` all hash through these functions. The serialization is fixed
(changing it would break every chain already written): a JSON array, compact, in this order —

    [prev, dossier_id, kind, at, actor_id, from_status, to_status, step_id, note, due_at_then, data]

instants as integer microseconds since 1970-01-01 UTC (null when empty), ids as integers or null, texts as
JSON strings (UTF-8, not escaped), `data` as JSON with sorted keys. The first event of a dossier has
`prev` = "" (GENESIS).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

GENESIS = ""
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_sha256 = hashlib.sha256
_dumps_sorted = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def micros(moment: dt.datetime | None) -> str:
    """An instant as integer microseconds since the epoch (exact, whatever its zone), "null" when empty."""
    if moment is None:
        return "null"
    delta = moment - _EPOCH
    return str((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds)


def canonical_data(data: object) -> str:
    """An event's `data` as the chain hashes it: compact JSON, keys sorted, text not escaped."""
    return _dumps_sorted(data)


def _id(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def event_hash(*, prev: str, dossier_id: int, kind: str, at: dt.datetime, actor_id: int | None,
               from_status: str, to_status: str, step_id: int | None, note: str, due_at_then: dt.datetime | None,
               data: str) -> str:
    """The hash of one event, chained to `prev` (the previous event's hash); `data` is `canonical_data(…)`."""
    text = (f"[{_dumps(prev)},{_id(dossier_id)},{_dumps(kind)},{micros(at)},{_id(actor_id)},"
            f"{_dumps(from_status)},{_dumps(to_status)},{_id(step_id)},{_dumps(note)},{micros(due_at_then)},{data}]")
    return hashlib.sha256(text.encode()).hexdigest()


def first_event_hash(dossier_id: int, kind: str, at: dt.datetime, to_status: str, due_at_then: dt.datetime | None,
                     data: str) -> str:
    """`event_hash` of a dossier's first event with no actor, step, note or previous status — the one event
    each bulk-written dossier gets — at the bulk paths' pace (kind and status are plain ASCII values)."""
    delta = at - _EPOCH
    if due_at_then is None:
        due: int | str = "null"
    else:  # `micros`, inline: this runs once a dossier
        until = due_at_then - _EPOCH
        due = (until.days * 86400 + until.seconds) * 1_000_000 + until.microseconds
    return _sha256(f'["",{dossier_id},"{kind}",{(delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds},'
                   f'null,"","{to_status}",null,"",{due},{data}]'.encode()).hexdigest()


class Micros(dict):
    """`micros` of instants, each computed once (a bulk path meets the same minutes again and again)."""

    def __missing__(self, moment: dt.datetime | None) -> str:
        value = self[moment] = micros(moment)
        return value


def plain_event_hash(prev: str, dossier_id: int, kind: str, at: str, actor_id: int | None, from_status: str,
                     to_status: str, step_id: int | None, due_at_then: str, data: str) -> str:
    """`event_hash` of an event without a note, at the bulk paths' pace: `kind`, the statuses and `prev` (a
    hex digest or GENESIS) are plain ASCII values, the instants are given as `micros` text and `data` as
    `canonical_data` text."""
    text = (f'["{prev}",{dossier_id},"{kind}",{at},{"null" if actor_id is None else actor_id},"{from_status}",'
            f'"{to_status}",{"null" if step_id is None else step_id},"",{due_at_then},{data}]')
    return hashlib.sha256(text.encode()).hexdigest()


def stored_event_hash(prev: str, row: dict) -> str:
    """`event_hash` of an event as read back from the database (a dict of its columns by attribute name)."""
    return event_hash(prev=prev, dossier_id=row["dossier_id"], kind=row["kind"], at=row["at"],
                      actor_id=row["actor_id"], from_status=row["from_status"], to_status=row["to_status"],
                      step_id=row["step_id"], note=row["note"], due_at_then=row["due_at_then"],
                      data=canonical_data(row["data"]))


def day_hash(prev: str, day: dt.date, heads: list[tuple[int, str]]) -> str:
    """The hash of one day's record: the previous day's record and, in dossier order, the head (last event's
    hash) of every dossier that had an event recorded that day."""
    digest = hashlib.sha256(f"{prev}\n{day.isoformat()}\n".encode())
    for dossier_id, head in heads:
        digest.update(f"{dossier_id}:{head}\n".encode())
    return digest.hexdigest()
