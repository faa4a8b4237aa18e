"""`phucvu import calendar FILE`: dated rows (date,kind,name[,jurisdiction][,basis]) from CSV or XLSX.

All-or-nothing: every line is checked first; one bad line and nothing is written, every bad line is
reported with its number. An imported row replaces the row of the same date and jurisdiction (the
change log keeps the old one) and takes effect at once: the calendar stamp is bumped once at the end.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import transaction

from phucvu.core.exceptions import InvalidInput
from phucvu.core.tables import Errors, ImportResult, parse_date, read_rows
from phucvu.core.text import fold
from phucvu.organization.models import Agency
from phucvu.workcalendar.models import CalendarDay, Kind, Source
from phucvu.workcalendar.services import calendar_day_save, stamp_bump

KIND_ALIASES = {
    "holiday": Kind.HOLIDAY, "le": Kind.HOLIDAY, "ngay le": Kind.HOLIDAY,
    "day_off": Kind.DAY_OFF, "nghi": Kind.DAY_OFF, "nghi bu": Kind.DAY_OFF,
    "workday": Kind.WORKDAY, "lam bu": Kind.WORKDAY,
}


def import_calendar(path: str | Path, *, dry_run: bool = False, actor=None) -> ImportResult:

    header, rows = read_rows(path, required=["date", "kind", "name"])
    errors = Errors()
    parsed: list[tuple[date, str, str, Agency | None, str]] = []
    seen: dict[tuple[date, int | None], int] = {}
    agencies: dict[str, Agency | None] = {}
    for row in rows:
        try:
            day = parse_date(row.get("date"))
        except InvalidInput as exc:
            errors.add(row.line, exc.message)
            continue
        kind = KIND_ALIASES.get(fold(row.get("kind")).replace("-", "_"))
        if kind is None:
            errors.add(row.line, f"loại ngày '{row.get('kind')}' không hợp lệ (holiday, day_off hoặc workday).")
            continue
        name = row.get("name")
        if not name:
            errors.add(row.line, "thiếu tên ngày (cột name).")
            continue
        code = row.get("jurisdiction")
        if code and code not in agencies:
            agencies[code] = Agency.objects.filter(code=code).first()
        jurisdiction = agencies.get(code) if code else None
        if code and jurisdiction is None:
            errors.add(row.line, f"không có đơn vị mã '{code}' (cột jurisdiction).")
            continue
        key = (day, jurisdiction.pk if jurisdiction else None)
        if key in seen:
            errors.add(row.line, f"ngày {day:%d/%m/%Y} đã có ở dòng {seen[key]}.")
            continue
        seen[key] = row.line
        parsed.append((day, kind, name, jurisdiction, row.get("basis")))
    errors.raise_if_any()

    existing = {(d, j) for d, j in CalendarDay.objects.filter(day__in=[p[0] for p in parsed])
                .values_list("day", "jurisdiction_id")}
    result = ImportResult(dry_run=dry_run)
    for day, _kind, _name, jurisdiction, _basis in parsed:
        if (day, jurisdiction.pk if jurisdiction else None) in existing:
            result.updated += 1
        else:
            result.created += 1
    if dry_run:
        return result
    with transaction.atomic():
        for day, kind, name, jurisdiction, basis in parsed:
            calendar_day_save(actor=actor, day=day, kind=kind, name=name, jurisdiction=jurisdiction,
                              source=Source.IMPORT, basis=basis, bump=False)
        stamp_bump()
    return result
