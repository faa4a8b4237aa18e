"""`phucvu import evaluation-scores FILE`: period scores kept outside the system, all or nothing
(docs/discipline.md §6.4).

Columns: username, period (YYYY-MM or YYYY-Qn), general (0–30), results (0–70). A period imported again
replaces the earlier import; a period scored on a sheet in the system is refused. One cadre's year is
scored by month or by quarter, never both.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from phucvu.core.exceptions import InvalidInput
from phucvu.core.tables import Errors, ImportResult, read_rows
from phucvu.discipline.grading import check_scores, evaluation_rule_set, parse_period
from phucvu.discipline.models import ScoreSheet, SheetSource
from phucvu.discipline.services.evaluation import score_import_save
from phucvu.organization.models import Staff

COLUMNS = ["username", "period", "general", "results"]


def _number(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(f"điểm {what} '{text}' không phải là số.") from None
    if not value.is_finite():
        raise InvalidInput(f"điểm {what} '{text}' không phải là số.")
    return value


def import_evaluation_scores(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    _header, rows = read_rows(path, required=COLUMNS)
    errors = Errors()
    parsed = []
    for row in rows:
        try:
            year, kind, number = parse_period(row.get("period"))
            general = _number(row.get("general"), "tiêu chí chung")
            results = _number(row.get("results"), "kết quả nhiệm vụ")
            check_scores(general, results)
        except InvalidInput as exc:
            errors.add(row.line, exc.message)
            continue
        parsed.append((row.line, row.get("username"), year, kind, number, general, results))

    staff = {s.user.username: s for s in Staff.objects.filter(user__username__in={p[1] for p in parsed})
             .select_related("user")}
    existing = {(s.staff_id, s.year, s.period_kind, s.number): s.source
                for s in ScoreSheet.objects.filter(staff__in=staff.values(), year__in={p[2] for p in parsed})}
    kinds_in_db = {(sid, year): kind for (sid, year, kind, _n) in existing}
    seen: dict[tuple, int] = {}
    kinds: dict[tuple, tuple[str, int]] = {}
    good = []
    for line, username, year, kind, number, general, results in parsed:
        person = staff.get(username)
        if person is None:
            errors.add(line, f"không có cán bộ tên đăng nhập '{username}'.")
            continue
        try:
            evaluation_rule_set(person.category, year)
        except InvalidInput as exc:
            errors.add(line, exc.message)
            continue
        key = (person.pk, year, kind, number)
        label = f"{year}-Q{number}" if kind == "quarter" else f"{year}-{number:02d}"
        if key in seen:
            errors.add(line, f"kỳ {label} của '{username}' đã có ở dòng {seen[key]}.")
            continue
        seen[key] = line
        other = kinds.get((person.pk, year))
        if other and other[0] != kind:
            errors.add(line, f"năm {year} của '{username}' đã chấm theo {_kind_name(other[0])} ở dòng {other[1]}; "
                             "không trộn tháng và quý.")
            continue
        kinds.setdefault((person.pk, year), (kind, line))
        in_db = kinds_in_db.get((person.pk, year))
        if in_db and in_db != kind:
            errors.add(line, f"năm {year} của '{username}' đã có điểm theo {_kind_name(in_db)}; không trộn tháng và quý.")
            continue
        if existing.get(key) not in (None, SheetSource.IMPORT):
            errors.add(line, f"kỳ {label} của '{username}' đã có phiếu chấm trên hệ thống; không ghi đè bằng tệp.")
            continue
        good.append((person, year, kind, number, general, results, key in existing))
    errors.raise_if_any()

    result = ImportResult(dry_run=dry_run)
    if dry_run:
        result.updated = sum(1 for g in good if g[6])
        result.created = len(good) - result.updated
        return result
    with transaction.atomic():
        for person, year, kind, number, general, results, _known in good:
            outcome = score_import_save(staff=person, year=year, kind=kind, number=number, general=general,
                                        results=results)
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _kind_name(kind: str) -> str:
    return "quý" if kind == "quarter" else "tháng"
