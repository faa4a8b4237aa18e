"""`phucvu import dossiers FILE`: years of history from an older system, all or nothing, fast.

Columns: code, agency, procedure, channel (counter|postal|online), applicant_name, applicant_id,
received_at, due_at, resolved_at, result (granted|refused), returned_at, withdrawn_at, stopped_at.
Instants are ISO 8601; a naive one is Asia/Ho_Chi_Minh. An empty code is generated from the agency's
day counter; an empty due_at is computed from the procedure (the version in force that day) and the
calendar. The status follows from the instants.

Every line is validated in Python first (lookups cached, nothing per row in the database); only a
clean file is written — with COPY on PostgreSQL, executemany on SQLite, ids taken beforehand — with one
event per dossier and one `facts.publish` call for the whole file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from phucvu.catalog.models import Procedure, ProcedureVersion, rule_set_on
from phucvu.core.tables import Errors, ImportResult, read_rows
from phucvu.dossiers import facts
from phucvu.dossiers.clock import calendar_for
from phucvu.dossiers.codes import code_prefix, format_code, new_secret, parse_code
from phucvu.dossiers.models import (
    Channel,
    Dossier,
    DossierCounter,
    DossierEvent,
    EventKind,
    Result,
    Status,
    dossier_search_key,
)
from phucvu.organization.models import Agency

REQUIRED = ["code", "agency", "procedure", "channel", "applicant_name", "received_at"]
INSTANTS = ["received_at", "due_at", "resolved_at", "returned_at", "withdrawn_at", "stopped_at"]
BATCH = 2000
CHANNELS = set(Channel.values)
RESULTS = set(Result.values)


class _Bad(Exception):
    pass


def _instant(text: str, name: str, tz) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise _Bad(f"{name} không đúng ISO 8601: '{text}'") from None
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


class _Lookups:
    """Everything a line refers to, loaded once."""

    def __init__(self) -> None:
        agencies = list(Agency.objects.select_related("parent"))
        self.agencies = {a.code: a for a in agencies}
        for a in agencies:
            if a.electronic_id:
                self.agencies.setdefault(a.electronic_id, a)
        self.prefix = {a.pk: code_prefix(a) for a in agencies}
        self.procedures = {p.code: p for p in Procedure.objects.all()}
        self.versions: dict[int, list[ProcedureVersion]] = defaultdict(list)
        for v in ProcedureVersion.objects.order_by("procedure_id", "number"):
            self.versions[v.procedure_id].append(v)
        self.calendars: dict[int, object] = {}

    def version_on(self, procedure: Procedure, day: dt.date) -> ProcedureVersion:
        """The version in force on the day: the latest whose valid_from is not after it."""
        chosen = None
        for v in self.versions[procedure.pk]:
            if v.valid_from is None or v.valid_from <= day:
                chosen = v
        return chosen or self.versions[procedure.pk][0]

    def calendar(self, agency_id: int):
        cal = self.calendars.get(agency_id)
        if cal is None:
            cal = self.calendars[agency_id] = calendar_for(agency_id)
        return cal


def _status(r: dict) -> str:
    if r["returned_at"]:
        return Status.RETURNED
    if r["resolved_at"]:
        return Status.RESOLVED
    if r["withdrawn_at"]:
        return Status.WITHDRAWN
    if r["stopped_at"]:
        return Status.STOPPED
    return Status.RECEIVED


def _check(row, look: _Lookups, tz) -> dict:
    get = row.get
    agency = look.agencies.get(get("agency"))
    if agency is None:
        raise _Bad(f"không có đơn vị '{get('agency')}'")
    procedure = look.procedures.get(get("procedure"))
    if procedure is None or not look.versions[procedure.pk]:
        raise _Bad(f"không có thủ tục '{get('procedure')}'")
    channel = get("channel").lower() or Channel.COUNTER
    if channel not in CHANNELS:
        raise _Bad(f"kênh '{channel}' không hợp lệ (counter, postal, online)")
    name = " ".join(get("applicant_name").split())
    if not name:
        raise _Bad("thiếu tên người nộp")
    r = {name_: _instant(get(name_), name_, tz) for name_ in INSTANTS}
    received = r["received_at"]
    if received is None:
        raise _Bad("thiếu received_at")
    for later in ("due_at", "resolved_at", "withdrawn_at", "stopped_at"):
        if r[later] and r[later] < received:
            raise _Bad(f"{later} trước received_at")
    if r["returned_at"] and not r["resolved_at"]:
        raise _Bad("có returned_at mà không có resolved_at")
    if r["returned_at"] and r["returned_at"] < r["resolved_at"]:
        raise _Bad("returned_at trước resolved_at")
    ends = [n for n in ("resolved_at", "withdrawn_at", "stopped_at") if r[n]]
    if len(ends) > 1:
        raise _Bad(f"một hồ sơ không thể vừa có {' vừa có '.join(ends)}")
    result = get("result").lower()
    if r["resolved_at"] and result not in RESULTS:
        raise _Bad("hồ sơ đã giải quyết cần result là granted hoặc refused")
    if result and not r["resolved_at"]:
        raise _Bad("có result mà không có resolved_at")
    day = received.astimezone(tz).date()
    version = look.version_on(procedure, day)
    start = received
    if r["due_at"] is None:
        start, r["due_at"] = look.calendar(agency.pk).due(received, version.amount, version.time_unit,
                                                          cutoff=version.cutoff)
    r.update(agency=agency, procedure=procedure, version=version, channel=channel, name=name,
             id_number=get("applicant_id"), code=get("code"), result=result, start=start, day=day)
    return r


def import_dossiers(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    _, rows = read_rows(path, required=REQUIRED)
    tz = timezone.get_default_timezone()
    look = _Lookups()
    errors = Errors()
    good: list[dict] = []
    seen: dict[str, int] = {}
    for row in rows:
        try:
            r = _check(row, look, tz)
        except _Bad as bad:
            errors.add(row.line, str(bad))
            continue
        if r["code"]:
            if r["code"] in seen:
                errors.add(row.line, f"mã hồ sơ '{r['code']}' trùng với dòng {seen[r['code']]}")
                continue
            seen[r["code"]] = row.line
        r["line"] = row.line
        good.append(r)
    codes = list(seen)
    for i in range(0, len(codes), 5000):
        for code in Dossier.objects.filter(code__in=codes[i:i + 5000]).values_list("code", flat=True):
            errors.add(seen[code], f"mã hồ sơ '{code}' đã có trong hệ thống")
    if errors:
        errors.items.sort(key=lambda e: int(e.split(":")[0].split()[1]))
    errors.raise_if_any()
    result = ImportResult(dry_run=dry_run, created=len(good))
    if dry_run or not good:
        return result
    with transaction.atomic():
        _assign_codes(good, look)
        _write(good)
    return result


def _assign_codes(good: list[dict], look: _Lookups) -> None:
    """Number the lines without a code, after every number already used that day (kept gap-free)."""
    used: dict[tuple[int, dt.date], int] = defaultdict(int)
    wanted: dict[tuple[int, dt.date], list[dict]] = defaultdict(list)
    for r in good:
        key = (r["agency"].pk, r["day"])
        if r["code"]:
            parsed = parse_code(r["code"])
            if parsed and parsed[0] == look.prefix[key[0]] and parsed[1] == key[1]:
                used[key] = max(used[key], parsed[2])
        else:
            wanted[key].append(r)
    keys = set(used) | set(wanted)
    if not keys:
        return
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
        number = max(counter.last, used.get(key, 0))
        for r in sorted(wanted.get(key, []), key=lambda r: r["received_at"]):
            number += 1
            r["code"] = format_code(look.prefix[key[0]], key[1], number)
        counter.last = number
    DossierCounter.objects.bulk_create(new, batch_size=BATCH)
    DossierCounter.objects.bulk_update(changed, ["last"], batch_size=BATCH)


def _allocate_ids(model, count: int) -> list[int]:
    """Primary keys for rows written without the ORM (COPY / executemany), taken before writing."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{model._meta.db_table}', 'id')) "
                           "FROM generate_series(1, %s)", [count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the write lock is held (BEGIN IMMEDIATE), so nobody else takes ids meanwhile.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _insert(model, values: dict[str, object], rows: list[dict]) -> None:
    """Write plain rows: COPY on PostgreSQL (the fast path for history), executemany elsewhere.

    `values` gives constants for columns the rows do not carry; every concrete column is written, since
    Django keeps defaults in Python, not in the schema.
    """
    fields = list(model._meta.concrete_fields)
    names = [f.column for f in fields]
    constants = {f.column: values.get(f.attname, f.get_default()) for f in fields}
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(n) for n in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            json_columns = {f.column for f in fields if f.get_internal_type() == "JSONField"}
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([json.dumps(row.get(n, constants[n]), ensure_ascii=False) if n in json_columns
                                    else row.get(n, constants[n]) for n in names])
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", [
                [f.get_db_prep_save(row.get(f.column, constants[f.column]), connection) for f in fields]
                for row in rows])


def _write(good: list[dict]) -> None:
    now = timezone.now()
    ids = _allocate_ids(Dossier, len(good))
    event_ids = _allocate_ids(DossierEvent, len(good))
    dossiers, events, changes = [], [], []
    for pk, event_pk, r in zip(ids, event_ids, good):
        status = _status(r)
        dossiers.append({
            "id": pk, "code": r["code"], "agency_id": r["agency"].pk, "procedure_id": r["procedure"].pk,
            "procedure_version_id": r["version"].pk, "field_id": r["procedure"].field_id, "channel": r["channel"],
            "status": status, "applicant_name": r["name"], "applicant_id_number": r["id_number"],
            "search_key": dossier_search_key(r["code"], r["name"], r["id_number"]),
            "submitted_at": r["received_at"] if r["channel"] == Channel.ONLINE else None,
            "received_at": r["received_at"], "start_at": r["start"], "due_at": r["due_at"],
            "resolved_at": r["resolved_at"], "result": r["result"], "returned_at": r["returned_at"],
            "withdrawn_at": r["withdrawn_at"], "stopped_at": r["stopped_at"], "secret": new_secret(),
            "rule_set": rule_set_on(r["day"]),
        })
        events.append({"id": event_pk, "dossier_id": pk, "kind": EventKind.IMPORTED, "at": r["received_at"],
                       "to_status": status, "due_at_then": r["due_at"], "data": {"line": r["line"]}})
        changes.append((None, facts.DossierFacts(
            dossier_id=pk, agency_id=r["agency"].pk, procedure_id=r["procedure"].pk,
            field_id=r["procedure"].field_id, channel=r["channel"], received_at=r["received_at"],
            due_at=r["due_at"], resolved_at=r["resolved_at"], withdrawn_at=r["withdrawn_at"],
            stopped_at=r["stopped_at"])))
    _insert(Dossier, {"imported": True, "created_at": now, "updated_at": now, "papers": [], "pauses": []}, dossiers)
    _insert(DossierEvent, {"data": {}}, events)
    # One call for the whole file: reports' listener applies it as one batch.
    facts.publish(changes)
