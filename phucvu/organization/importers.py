"""`phucvu import agencies FILE`: the agency tree from a CSV or XLSX file, all or nothing.

Columns: code, name, kind, parent, electronic_id, valid_from, valid_to (required), address, unit_code,
field_codes (optional: applied only when the column is present; field_codes: the codes of the catalogue's
fields the unit is in charge of, `|`-separated). A parent is a code in the same file — before or
after the child — or one already in the database. Existing codes are updated in place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from phucvu.core.exceptions import InvalidInput
from phucvu.core.tables import Errors, ImportResult, parse_date, read_rows
from phucvu.organization.models import Agency, AgencyKind
from phucvu.organization.services import agency_create, agency_update, field_codes_text

REQUIRED = ["code", "name", "kind", "parent", "electronic_id", "valid_from", "valid_to"]
OPTIONAL = ["address", "unit_code", "field_codes"]
# QCVN 102:2016 identifiers: 000.00.12.H41 (four groups; the last a letter and two digits).
ELECTRONIC_ID = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")
KIND_NAMES = ", ".join(AgencyKind.values)


@dataclass
class _Line:
    line: int
    code: str
    fields: dict  # name, kind, electronic_id, valid_from, valid_to and the optional columns present
    parent: str


def import_agencies(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    header, rows = read_rows(path, required=REQUIRED)
    optional = [c for c in OPTIONAL if c in header]
    errors = Errors()
    lines = _parse(rows, optional, errors)
    existing = {a.code: a for a in Agency.objects.filter(code__in=[ln.code for ln in lines]).select_related("parent")}
    _check_parents(lines, errors)
    errors.raise_if_any()

    result = ImportResult(dry_run=dry_run)
    for ln in lines:
        agency = existing.get(ln.code)
        if agency is None:
            result.created += 1
        elif _changes(agency, ln):
            result.updated += 1
        else:
            result.skipped += 1
    if not dry_run:
        _write(_parents_first(lines), existing)
    return result


def _parse(rows, optional: list[str], errors: Errors) -> list[_Line]:
    lines: list[_Line] = []
    first_line: dict[str, int] = {}
    for row in rows:
        code, name, kind = row.get("code"), row.get("name"), row.get("kind").lower()
        before = len(errors.items)
        if not code:
            errors.add(row.line, "thiếu mã đơn vị (cột code).")
        elif len(code) > 40 or not CODE.match(code):
            errors.add(row.line, f"mã đơn vị '{code}' không hợp lệ (tối đa 40 ký tự: chữ, số, '.', '-', '_').")
        elif code in first_line:
            errors.add(row.line, f"mã đơn vị '{code}' bị trùng với dòng {first_line[code]}.")
        else:
            first_line[code] = row.line
        if not name:
            errors.add(row.line, "thiếu tên đơn vị (cột name).")
        elif len(name) > 255:
            errors.add(row.line, "tên đơn vị dài quá 255 ký tự.")
        if kind not in AgencyKind.values:
            errors.add(row.line, f"loại đơn vị '{row.get('kind')}' không hợp lệ (chỉ nhận: {KIND_NAMES}).")
        electronic_id = row.get("electronic_id")
        if electronic_id and not ELECTRONIC_ID.match(electronic_id):
            errors.add(row.line, f"mã định danh điện tử '{electronic_id}' không đúng dạng QCVN 102 "
                                 "(ví dụ 000.00.12.H41).")
        dates: dict[str, dt.date | None] = {}
        for column in ("valid_from", "valid_to"):
            text = row.get(column)
            try:
                dates[column] = parse_date(text) if text else None
            except InvalidInput as bad:
                errors.add(row.line, f"cột {column}: {bad.message}.")
                dates[column] = None
        if dates["valid_from"] and dates["valid_to"] and dates["valid_to"] < dates["valid_from"]:
            errors.add(row.line, f"ngày hết hiệu lực {dates['valid_to']:%d/%m/%Y} trước ngày bắt đầu hiệu lực "
                                 f"{dates['valid_from']:%d/%m/%Y}.")
        if len(errors.items) > before:
            continue
        fields = {"name": name, "kind": kind, "electronic_id": electronic_id, **dates}
        fields.update({c: row.get(c) for c in optional})
        if "field_codes" in fields:
            fields["field_codes"] = field_codes_text(fields["field_codes"])
        lines.append(_Line(row.line, code, fields, row.get("parent")))
    return lines


def _check_parents(lines: list[_Line], errors: Errors) -> None:
    """Every parent must exist (here or in the database) and the resulting tree must have no cycle."""
    in_file = {ln.code: ln.parent for ln in lines}
    wanted = {ln.parent for ln in lines if ln.parent and ln.parent not in in_file}
    # The database's own parent links, for agencies the file does not re-parent (to see cycles through them).
    known = dict(Agency.objects.filter(code__in=wanted).values_list("code", "parent__code"))
    for ln in lines:
        if ln.parent and ln.parent not in in_file and ln.parent not in known:
            errors.add(ln.line, f"đơn vị cấp trên '{ln.parent}' không có trong tệp và chưa có trong hệ thống.")
    if errors:
        return
    db_parent = _db_parents()

    def parent_of(code: str) -> str | None:
        if code in in_file:
            return in_file[code] or None
        return db_parent.get(code)

    for ln in lines:
        seen = [ln.code]
        node = parent_of(ln.code)
        while node and node != ln.code and node not in seen:
            seen.append(node)
            node = parent_of(node)
        if node == ln.code:
            chain = " → ".join([*seen, ln.code])
            errors.add(ln.line, f"quan hệ cấp trên tạo thành vòng lặp: {chain}.")


def _db_parents() -> dict[str, str | None]:
    return dict(Agency.objects.values_list("code", "parent__code"))


def _parents_first(lines: list[_Line]) -> list[_Line]:
    """Order lines so that a parent in the file is written before its children."""
    by_code = {ln.code: ln for ln in lines}
    ordered: list[_Line] = []
    done: set[str] = set()

    def visit(ln: _Line) -> None:
        stack = []
        node: _Line | None = ln
        while node is not None and node.code not in done:
            stack.append(node)
            node = by_code.get(node.parent)
        for item in reversed(stack):
            done.add(item.code)
            ordered.append(item)

    for ln in lines:
        visit(ln)
    return ordered


def _changes(agency: Agency, ln: _Line) -> dict:
    changed = {k: v for k, v in ln.fields.items() if getattr(agency, k) != v}
    current_parent = agency.parent.code if agency.parent_id else ""
    if current_parent != ln.parent:
        changed["parent"] = ln.parent
    return changed


@transaction.atomic
def _write(lines: list[_Line], existing: dict[str, Agency]) -> None:
    placed: dict[str, Agency] = {}

    def resolve(code: str) -> Agency | None:
        if not code:
            return None
        if code not in placed:
            placed[code] = Agency.objects.get(code=code)
        return placed[code]

    for ln in lines:
        agency = existing.get(ln.code)
        if agency is None:
            placed[ln.code] = agency_create(code=ln.code, parent=resolve(ln.parent), **ln.fields)
            continue
        # Reload: an earlier line may have moved an ancestor, which rewrote this row's path.
        agency.refresh_from_db()
        changed = _changes(agency, ln)
        if "parent" in changed:
            changed["parent"] = resolve(ln.parent)
            placed.clear()  # a move rewrites the paths of a whole subtree: cached rows are stale
        placed[ln.code] = agency_update(agency=agency, **changed) if changed else agency
