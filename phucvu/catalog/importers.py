"""`phucvu import procedures FILE`: the catalogue from CSV or XLSX, all or nothing.

Columns: code, name, field, levels, time, time_unit, cutoff, pause_rule, fee, online_level; optional
papers (`a|b|c`), steps (`name:share|name:share`), result_type, rule_set, field_code, valid_from; and for
the public catalogue: paper_copies (`1|2|1`, one per paper), paper_kinds (`chính|sao|sao chứng thực|chính
hoặc sao|xuất trình`, or the PaperKind values), paper_forms (a form's title or address per paper, may be
empty), fee_note, conditions, applicants, result_delivery, legal_basis; and, one
per step in the same order, step_units (`desk|office|leader`, or `agency` for an inter-connected step) and
step_agencies (the agency code of an `agency` step, empty for the others).
A known code whose terms changed gets a new version; running dossiers keep theirs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from phucvu.catalog.models import PaperKind, Procedure, RuleSet, StepUnit
from phucvu.catalog.services import (
    TEXT_FIELDS,
    StepSpec,
    check_steps,
    check_version_terms,
    field_ensure,
    procedure_create,
    procedure_revise,
)
from phucvu.core.exceptions import InvalidInput
from phucvu.core.tables import Errors, ImportResult, parse_date, read_rows
from phucvu.core.text import fold
from phucvu.organization.models import Agency

REQUIRED = ["code", "name", "field", "levels", "time", "time_unit", "cutoff", "pause_rule", "fee", "online_level"]


def _cutoff(text: str) -> dt.time | None:
    if not text:
        return None
    try:
        parts = [int(p) for p in text.split(":")]
        return dt.time(parts[0], parts[1] if len(parts) > 1 else 0)
    except (ValueError, IndexError):
        raise InvalidInput(f"giờ chốt không hợp lệ: '{text}' (dùng HH:MM)") from None


def _steps(text: str, units_text: str = "", agencies_text: str = "",
           agencies: dict[str, int] | None = None) -> list[StepSpec]:
    parts = [p for p in text.split("|") if p.strip()]
    units = [u.strip().lower() for u in units_text.split("|")] if units_text.strip() else []
    codes = [c.strip() for c in agencies_text.split("|")] if agencies_text.strip() else []
    if units and len(units) != len(parts):
        raise InvalidInput(f"cột step_units có {len(units)} loại đơn vị cho {len(parts)} bước")
    if codes and len(codes) != len(parts):
        raise InvalidInput(f"cột step_agencies có {len(codes)} mục cho {len(parts)} bước (để trống mục không cần)")
    steps = []
    for i, part in enumerate(parts):
        name, _, share = part.rpartition(":")
        if not name.strip() or not share.strip().isdigit():
            raise InvalidInput(f"bước không hợp lệ: '{part}' (dùng tên:tỷ lệ, ví dụ Thẩm định:70)")
        unit = units[i] if units else ""
        agency_id = None
        if codes and codes[i]:
            agency_id = (agencies or {}).get(codes[i])
            if agency_id is None:
                raise InvalidInput(f"bước '{name.strip()}': không có đơn vị mã '{codes[i]}'")
            unit = unit or StepUnit.AGENCY
        steps.append(StepSpec(name.strip(), int(share), agency_id, unit=unit))
    check_steps(steps)
    return steps


# Vietnamese words of a paper's kind in the published procedures, folded, to PaperKind values.
_KIND_WORDS = {
    "chinh": PaperKind.ORIGINAL, "ban chinh": PaperKind.ORIGINAL, "sao": PaperKind.COPY,
    "ban sao": PaperKind.COPY, "sao chung thuc": PaperKind.CERTIFIED_COPY,
    "ban sao chung thuc": PaperKind.CERTIFIED_COPY, "chinh hoac sao": PaperKind.ORIGINAL_OR_COPY,
    "ban chinh hoac ban sao": PaperKind.ORIGINAL_OR_COPY, "xuat trinh": PaperKind.SHOW,
    "xuat trinh ban chinh": PaperKind.SHOW,
}


def _column(row, name: str, count: int) -> list[str]:
    """A `|` list parallel to the papers: empty, or exactly one value per paper."""
    text = (row.get(name) or "").strip()
    if not text:
        return [""] * count
    values = [v.strip() for v in text.split("|")]
    if len(values) != count:
        raise InvalidInput(f"cột {name} cần {count} giá trị (một cho mỗi giấy tờ), có {len(values)}")
    return values


def paper_specs(row, papers: list[str]) -> list[dict]:
    copies, kinds, forms = (_column(row, c, len(papers)) for c in ("paper_copies", "paper_kinds", "paper_forms"))
    specs = []
    for name, copy, kind, form in zip(papers, copies, kinds, forms, strict=True):
        if copy and not copy.isdigit():
            raise InvalidInput(f"số bản của '{name}' không hợp lệ: '{copy}'")
        value = _KIND_WORDS.get(fold(kind), kind.lower()) if kind else ""
        if value and value not in PaperKind.values:
            raise InvalidInput(f"loại bản của '{name}' không hợp lệ: '{kind}' (chính, sao, sao chứng thực, "
                               "chính hoặc sao, xuất trình)")
        if copy or value or form:
            specs.append({"name": name, "copies": int(copy or 1), "kind": value, "form": form})
    return specs


def _parse(row, agencies: dict[str, int]) -> dict:
    code, name = row.get("code"), row.get("name")
    if not code or not name:
        raise InvalidInput("thiếu mã hoặc tên thủ tục")
    if not row.get("field"):
        raise InvalidInput("thiếu lĩnh vực")
    levels = [lv.strip().lower() for lv in row.get("levels").split("|") if lv.strip()]
    try:
        fee = Decimal(row.get("fee").replace(",", "").replace(".", "") or "0")
    except InvalidOperation:
        raise InvalidInput(f"phí không hợp lệ: '{row.get('fee')}'") from None
    terms = {
        "amount": row.get("time") or "0", "time_unit": row.get("time_unit").lower(),
        "pause_rule": (row.get("pause_rule") or "pause").lower(),
        "online_level": (row.get("online_level") or "none").lower(),
        "rule_set": row.get("rule_set") or RuleSet.ND61_2018,
    }
    terms["amount"] = check_version_terms(levels=levels, **terms)
    papers = [p.strip() for p in row.get("papers").split("|") if p.strip()]
    terms.update(cutoff=_cutoff(row.get("cutoff")), fee=fee, fee_note=(row.get("fee_note") or "")[:255],
                 papers=papers, result_type=row.get("result_type"), paper_specs=paper_specs(row, papers),
                 **{name: row.get(name) or "" for name in TEXT_FIELDS})
    return {
        "code": code, "name": name, "field": row.get("field"), "field_code": row.get("field_code"),
        "levels": levels, "terms": terms, "steps": _steps(row.get("steps"), row.get("step_units") or "", row.get("step_agencies") or "", agencies)
        if row.get("steps") else None,
        "valid_from": parse_date(row.get("valid_from")) if row.get("valid_from") else None,
    }


def import_procedures(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    _, row_iter = read_rows(path, required=REQUIRED)
    rows = list(row_iter)
    errors = Errors()
    parsed, seen = [], {}
    wanted = {c.strip() for row in rows for c in (row.get("step_agencies") or "").split("|") if c.strip()}
    agencies = dict(Agency.objects.filter(code__in=wanted).values_list("code", "pk")) if wanted else {}
    for row in rows:
        try:
            item = _parse(row, agencies)
        except InvalidInput as exc:
            errors.add(row.line, exc.message)
            continue
        if item["code"] in seen:
            errors.add(row.line, f"mã thủ tục '{item['code']}' trùng với dòng {seen[item['code']]}")
            continue
        seen[item["code"]] = row.line
        parsed.append(item)
    errors.raise_if_any()
    result = ImportResult(dry_run=dry_run)
    existing = {p.code: p for p in Procedure.objects.filter(code__in=list(seen))}
    with transaction.atomic():
        for item in parsed:
            field = field_ensure(name=item["field"], code=item["field_code"])
            known = existing.get(item["code"])
            if known is None:
                procedure_create(code=item["code"], name=item["name"], field=field, levels=item["levels"],
                                 valid_from=item["valid_from"], steps=item["steps"], **item["terms"])
                result.created += 1
                continue
            before = known.current_version_id
            revised = procedure_revise(procedure_id=known.pk, name=item["name"], field=field, levels=item["levels"],
                                       valid_from=item["valid_from"], steps=item["steps"], **item["terms"])
            if revised.current_version_id != before:
                result.updated += 1
            else:
                result.skipped += 1
        if dry_run:
            transaction.set_rollback(True)
    return result
