"""Every write to the working calendar: one transaction each, a change-log row, and a stamp bump.

Who may write: a superuser or a system administrator (the foundation makes system administrators
superusers); a system administrator who is not a superuser may write only local rows of agencies it sees.
"""

from __future__ import annotations

import secrets
from datetime import date, time

from django.db import transaction

from phucvu.core.exceptions import InvalidInput, NotAllowed, NotFound
from phucvu.core.text import fold
from phucvu.organization.models import Agency, Role
from phucvu.organization.selectors import ensure_visible, staff_of
from phucvu.workcalendar.models import (
    CalendarChange,
    CalendarDay,
    CalendarStamp,
    Kind,
    Source,
    WorkingHours,
)
from phucvu.workcalendar.seed import SEED_FIRST_YEAR, SEED_LAST_YEAR, seed_rows
from phucvu.workcalendar.selectors import stamp_forget


def stamp_bump() -> None:
    """Every process rebuilds its cached calendars on its next `calendar_for` call.

    A random value, not a counter: after a rolled-back transaction a counter would come back to a value
    some process has already cached with the rolled-back rows (tests roll back all the time).
    """
    version = secrets.randbits(62)
    if not CalendarStamp.objects.filter(pk=1).update(version=version):
        CalendarStamp.objects.get_or_create(pk=1, defaults={"version": version})
    stamp_forget()  # this transaction remembers the stamp it read: not the old one any more


def can_edit(user, jurisdiction: Agency | None = None) -> bool:
    try:
        ensure_can_edit(user, jurisdiction)
    except NotAllowed:
        return False
    return True


def ensure_can_edit(user, jurisdiction: Agency | None) -> None:
    if user is None:  # the command line and migrations act as the system
        return
    if getattr(user, "is_superuser", False) and user.is_active:
        return
    staff = staff_of(user)
    if staff is None or not staff.active or staff.role != Role.SYSTEM_ADMIN:
        raise NotAllowed("Chỉ quản trị hệ thống được sửa lịch làm việc.")
    if jurisdiction is None:
        raise NotAllowed("Chỉ quản trị toàn hệ thống được sửa lịch toàn quốc; hãy chọn phạm vi áp dụng.")
    ensure_visible(user, jurisdiction.pk)


def _snapshot(row: CalendarDay | None) -> dict | None:
    if row is None:
        return None
    return {"kind": row.kind, "name": row.name, "source": row.source, "active": row.active, "basis": row.basis}


def _validate(kind: str, name: str) -> None:
    if kind not in Kind.values:
        raise InvalidInput(f"Loại ngày không hợp lệ: '{kind}' (holiday, day_off hoặc workday).")
    if not name.strip():
        raise InvalidInput("Cần nêu tên ngày (ví dụ: Tết Nguyên Đán, Làm bù cho ngày 02/05).")


@transaction.atomic
def calendar_day_save(*, actor, day: date, kind: str, name: str, jurisdiction: Agency | None = None,
                      source: str = Source.ADMIN, basis: str = "", bump: bool = True) -> CalendarDay:
    """Add or change the row of `day` for a jurisdiction (None = national); the latest entry wins."""
    ensure_can_edit(actor, jurisdiction)
    _validate(kind, name)
    row = CalendarDay.objects.select_for_update().filter(day=day, jurisdiction=jurisdiction).first()
    before = _snapshot(row)
    if row is None:
        row = CalendarDay(day=day, jurisdiction=jurisdiction)
    row.kind, row.name, row.source, row.basis, row.active = kind, name.strip(), source, basis, True
    row.save()
    action = (CalendarChange.Action.IMPORTED if source == Source.IMPORT
              else CalendarChange.Action.CREATED if before is None else CalendarChange.Action.UPDATED)
    CalendarChange.objects.create(actor=_user(actor), action=action, day=day, jurisdiction=jurisdiction,
                                  before=before, after=_snapshot(row))
    if bump:
        stamp_bump()
    return row


@transaction.atomic
def calendar_day_deactivate(*, actor, day_id: int, note: str = "") -> CalendarDay:
    """Take a row out of the calendar (the day follows the weekly pattern again); the row is kept."""
    row = CalendarDay.objects.select_for_update().filter(pk=day_id).first()
    if row is None:

        raise NotFound("Không tìm thấy ngày này trong lịch.")
    ensure_can_edit(actor, row.jurisdiction)
    before = _snapshot(row)
    row.active = False
    row.save(update_fields=["active", "updated_at"])
    CalendarChange.objects.create(actor=_user(actor), action=CalendarChange.Action.DEACTIVATED, day=row.day,
                                  jurisdiction=row.jurisdiction, before=before, after=_snapshot(row), note=note)
    stamp_bump()
    return row


def parse_periods(text: str) -> list[list[str]]:
    """'07:00-11:30, 13:30-17:00' → [["07:00","11:30"],["13:30","17:00"]], checked."""
    periods = []
    for part in [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]:
        try:
            start, end = (time.fromisoformat(x.strip()) for x in part.replace("–", "-").split("-"))
        except ValueError:
            raise InvalidInput(f"Buổi làm việc không hợp lệ: '{part}' (dạng 07:00-11:30).") from None
        periods.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    periods.sort()
    if not periods:
        raise InvalidInput("Cần ít nhất một buổi làm việc.")
    previous = "00:00"
    for opens, closes in periods:
        if opens >= closes or opens < previous:
            raise InvalidInput("Các buổi làm việc phải tăng dần và không chồng lên nhau.")
        previous = closes
    return periods


@transaction.atomic
def working_hours_set(*, actor, agency: Agency | None, periods: list[list[str]] | str,
                      rest_weekdays: list[int] | None = None) -> WorkingHours:
    """Set an agency's working hours (None: the national default); descendants inherit them."""
    ensure_can_edit(actor, agency)
    if isinstance(periods, str):
        periods = parse_periods(periods)
    else:
        periods = parse_periods(", ".join(f"{s}-{e}" for s, e in periods))
    rest = sorted({int(d) for d in (rest_weekdays if rest_weekdays is not None else [5, 6])})
    if any(d < 0 or d > 6 for d in rest) or len(rest) == 7:
        raise InvalidInput("Ngày nghỉ hằng tuần là 0 (thứ Hai) đến 6 (Chủ nhật), không thể nghỉ cả tuần.")
    CalendarStamp.objects.select_for_update().filter(pk=1).first()  # one national row, even when racing
    hours = WorkingHours.objects.filter(agency=agency).first() or WorkingHours(agency=agency)
    before = {"periods": hours.periods, "rest_weekdays": hours.rest_weekdays} if hours.pk else None
    hours.periods, hours.rest_weekdays = periods, rest
    hours.save()
    CalendarChange.objects.create(actor=_user(actor), action=CalendarChange.Action.HOURS, jurisdiction=agency,
                                  before=before, after={"periods": periods, "rest_weekdays": rest})
    stamp_bump()
    return hours


@transaction.atomic
def calendar_seed(*, first_year: int = SEED_FIRST_YEAR, last_year: int = SEED_LAST_YEAR) -> int:
    """Add the national rows of the library and the official file for dates that have none yet.

    Never overwrites a row: an admin's or an imported row of the same date stays as it is.
    """
    existing = set(CalendarDay.objects.filter(jurisdiction__isnull=True).values_list("day", flat=True))

    new = [CalendarDay(day=r.day, kind=str(r.kind), name=r.name, search_key=fold(r.name), source=r.source)
           for r in seed_rows(first_year, last_year) if r.day not in existing]
    CalendarDay.objects.bulk_create(new, batch_size=500)
    if new:
        CalendarChange.objects.create(action=CalendarChange.Action.SEEDED,
                                      note=f"{len(new)} ngày, {first_year}–{last_year}")
        stamp_bump()
    return len(new)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
