"""Reads of the working calendar, and `calendar_for`: the clock every deadline is computed with.

`calendar_for(agency_id)` builds a `WorkingCalendar` from the database rows (national rows, then local
rows of the agency's ancestors, nearest wins) and the agency's working hours (its own or the nearest
ancestor's, else the national default). It is cached per process: agencies with the same effective
calendar share one object, and one tiny query per call checks the stamp that every change bumps, so rows
imported by `phucvu import calendar` take effect at once in every process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Q, QuerySet

from phucvu.core import txmemo
from phucvu.core.exceptions import InvalidInput, NotFound
from phucvu.core.localtime import VN_TZ
from phucvu.core.text import fold
from phucvu.organization.models import PATH_STEP, Agency
from phucvu.workcalendar.clock import TimeUnit, WorkingCalendar
from phucvu.workcalendar.models import CalendarChange, CalendarDay, CalendarStamp, Kind, WorkingHours

_lock = threading.Lock()
# Per stamp: calendars by agency and by what decides them (`by_rows`), and the rows they are built from
# (national exceptions, local exceptions by jurisdiction, working hours by agency), each read once.
_cache: dict = {"stamp": None}


STAMP_KEY = ("workcalendar", "stamp")


def calendar_stamp() -> int:
    return CalendarStamp.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def stamp_forget() -> None:
    """The stamp was just bumped in this transaction: read it again on the next `calendar_for`."""
    txmemo.forget(STAMP_KEY)


def clear_cache() -> None:
    stamp_forget()
    with _lock:
        _cache.update(stamp=None, **_fresh())


def _fresh() -> dict:
    return {"by_agency": {}, "by_key": {}, "by_rows": {}, "national": None, "local": None, "hours": None}


_cache.update(_fresh())


def ancestor_ids(agency: Agency) -> list[int]:
    """Ids of the agency and its ancestors, nearest first (decoded from the materialised path)."""
    path = agency.path
    return [int(path[i:i + PATH_STEP], 36) for i in range(len(path) - PATH_STEP, -1, -PATH_STEP)]


def _parse_periods(raw: list) -> tuple[tuple[time, time], ...]:
    return tuple((time.fromisoformat(s), time.fromisoformat(e)) for s, e in raw)


def calendar_for(agency_id: int | None = None) -> WorkingCalendar:
    """The working calendar of an agency (None: the national calendar with the national hours)."""
    stamp = _current_stamp()
    with _lock:
        found = _cache["by_agency"].get(agency_id)
    if found is not None:
        return found
    chain = [] if agency_id is None else ancestor_ids(Agency.objects.only("path").get(pk=agency_id))
    return _remember(agency_id, _build(chain, stamp), stamp)


def calendars_for(agencies: Iterable[Agency]) -> dict[int, WorkingCalendar]:
    """`calendar_for` of many agencies at once, from their paths as loaded: no query per agency, and none
    at all afterwards (a bulk import reads them while its connection is busy with a COPY)."""
    stamp = _current_stamp()
    with _lock:
        known = dict(_cache["by_agency"])
    return {a.id: known.get(a.id) or _remember(a.id, _build(ancestor_ids(a), stamp), stamp) for a in agencies}


def _current_stamp() -> int:
    stamp = txmemo.remembered(STAMP_KEY, calendar_stamp)
    with _lock:
        if _cache["stamp"] != stamp:
            _cache.update(stamp=stamp, **_fresh())
    return stamp


def _remember(agency_id: int | None, calendar: WorkingCalendar, stamp: int) -> WorkingCalendar:
    with _lock:
        if _cache["stamp"] == stamp:
            calendar = _cache["by_key"].setdefault(calendar.key, calendar)
            _cache["by_agency"][agency_id] = calendar
    return calendar


def _local_exceptions() -> dict[int, list[tuple[date, str]]]:
    """Every jurisdiction's own rows (few: local holidays), read once per stamp."""
    local = _cache["local"]
    if local is None:
        local = {}
        for day, kind, jurisdiction_id in CalendarDay.objects.filter(
                jurisdiction__isnull=False, active=True).values_list("day", "kind", "jurisdiction_id"):
            local.setdefault(jurisdiction_id, []).append((day, kind))
        _cache["local"] = local
    return local


def _all_hours() -> dict[int | None, WorkingHours]:
    """Every WorkingHours row (the national one under None), read once per stamp."""
    hours = _cache["hours"]
    if hours is None:
        hours = {h.agency_id: h for h in WorkingHours.objects.all()}
        _cache["hours"] = hours
    return hours


def _national_exceptions() -> dict[date, str]:
    national = _cache["national"]
    if national is None:
        national = dict(CalendarDay.objects.filter(jurisdiction__isnull=True, active=True)
                        .values_list("day", "kind"))
        _cache["national"] = national
    return national


def _build(chain: list[int], stamp=None) -> WorkingCalendar:
    """The calendar of the agency whose ancestor chain (itself first; [] = national) is given: the one
    already built for the same rows and hours if there is one (most agencies share the national calendar,
    and building one precomputes decades of days)."""
    local = _local_exceptions()
    overrides: dict[date, str] = {}
    for jurisdiction_id in reversed(chain):  # farthest first, nearest wins
        overrides.update(local.get(jurisdiction_id, ()))
    hours = _hours_on_chain(chain)
    rows_key = (tuple(sorted(overrides.items())), tuple(tuple(p) for p in hours.periods),
                tuple(hours.rest_weekdays))
    with _lock:
        found = _cache["by_rows"].get(rows_key)
    if found is not None:
        return found
    exceptions = {**_national_exceptions(), **overrides}
    calendar = WorkingCalendar(exceptions=exceptions, periods=_parse_periods(hours.periods),
                               rest_weekdays=hours.rest_weekdays)
    with _lock:
        if _cache["stamp"] == stamp:
            calendar = _cache["by_rows"].setdefault(rows_key, calendar)
    return calendar


def _hours_on_chain(chain: list[int]) -> WorkingHours:
    """The nearest WorkingHours along the chain (agency first), else the national row, else the default,
    from the rows cached for the stamp the caller has checked (`_build` runs with no query of its own)."""
    all_hours = _all_hours()
    return next((all_hours[pk] for pk in chain if pk in all_hours), None) or all_hours.get(None) or WorkingHours()


def working_hours_of(chain: list[int]) -> WorkingHours:
    """The nearest WorkingHours along the chain (agency first), else the national row, else the default.

    Every write bumps the stamp, so the cached rows are current; the row returned is shared: read it only."""
    _current_stamp()
    return _hours_on_chain(chain)


def working_hours_for(agency: Agency | None) -> tuple[WorkingHours, Agency | None]:
    """(the hours that apply, the agency they are inherited from — None for the national default)."""
    chain = ancestor_ids(agency) if agency else []
    hours = working_hours_of(chain)
    # Read afresh, not through `hours.agency`: that would keep the agency on the cached row.
    return hours, (Agency.objects.get(pk=hours.agency_id) if hours.agency_id else None)


# -- what the calendar page shows -----------------------------------------------------------------------

@dataclass(frozen=True)
class DayCell:
    day: date | None  # None: padding before the first day of the month
    working: bool = True
    kind: str = ""  # "", "rest", "holiday", "day_off", "workday"
    name: str = ""


def rows_for_year(year: int, agency: Agency | None = None) -> dict[date, CalendarDay]:
    """The rows that decide `year` for the agency: national, overridden by its ancestors' local rows."""
    chain = ancestor_ids(agency) if agency else []
    qs = CalendarDay.objects.filter(day__year=year, active=True).filter(
        Q(jurisdiction__isnull=True) | Q(jurisdiction_id__in=chain))
    depth = {pk: i for i, pk in enumerate(chain)}
    ordered = sorted(qs, key=lambda r: -1_000 if r.jurisdiction_id is None else -depth[r.jurisdiction_id])
    return {r.day: r for r in ordered}


def year_grid(year: int, agency: Agency | None = None, rows: dict[date, CalendarDay] | None = None) -> list[dict]:
    """12 months of weeks (Monday first) with every day's status, for the year view.

    `rows`: `rows_for_year(year, agency)` if the caller already has it (the page shows three views of it)."""
    cal = calendar_for(agency.pk if agency else None)
    rows = rows_for_year(year, agency) if rows is None else rows
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        cells = [DayCell(None)] * first.weekday()
        day = first
        while day.month == month:
            row = rows.get(day)
            working = cal.is_working_day(day)
            kind = row.kind if row else ("" if working else "rest")
            cells.append(DayCell(day, working, kind, row.name if row else ""))
            day = date.fromordinal(day.toordinal() + 1)
        weeks = [cells[i:i + 7] for i in range(0, len(cells), 7)]
        weeks[-1] = weeks[-1] + [DayCell(None)] * (7 - len(weeks[-1]))
        months.append({"month": month, "weeks": weeks,
                       "working_days": cal.working_days_between(first, date.fromordinal(day.toordinal() - 1))})
    return months


def year_summary(year: int, agency: Agency | None = None, rows: dict[date, CalendarDay] | None = None) -> dict:
    cal = calendar_for(agency.pk if agency else None)
    rows = rows_for_year(year, agency) if rows is None else rows
    weekday_off = sum(1 for d, r in rows.items() if r.kind != Kind.WORKDAY and d.weekday() < 5)
    return {
        "working_days": cal.working_days_between(date(year, 1, 1), date(year, 12, 31)),
        "holidays": sum(1 for r in rows.values() if r.kind == Kind.HOLIDAY),
        "days_off": sum(1 for r in rows.values() if r.kind == Kind.DAY_OFF),
        "workdays": sum(1 for r in rows.values() if r.kind == Kind.WORKDAY),
        "weekday_off": weekday_off,
    }


def year_differences(year: int, agency: Agency | None = None,
                     rows: dict[date, CalendarDay] | None = None) -> list[dict]:
    """What differs from the previous year: each dated row of either year matched by its name.

    Holidays move every year (lunar dates, weekends), so the comparison is by name (the lunar or fixed
    holiday), listing each year's dates; swaps and make-up days, which exist only in some years, appear
    as added or dropped. `rows`: `rows_for_year(year, agency)` if the caller already has it.
    """
    def grouped(y: int) -> dict[tuple[str, str], list[date]]:
        out: dict[tuple[str, str], list[date]] = {}
        year_rows = rows if y == year and rows is not None else rows_for_year(y, agency)
        for day, row in sorted(year_rows.items()):
            out.setdefault((row.kind, _family(row.name)), []).append(day)
        return out

    this, last = grouped(year), grouped(year - 1)
    changes = []
    for key in sorted(set(this) | set(last), key=lambda k: (min(this.get(k) or last[k]).strftime("%m%d"))):
        now, before = this.get(key, []), last.get(key, [])
        if [(d.month, d.day) for d in now] == [(d.month, d.day) for d in before]:
            continue
        status = "added" if not before else "dropped" if not now else "moved"
        changes.append({"kind": key[0], "name": key[1], "status": status, "this_year": now,
                        "last_year": before})
    return changes


def _family(name: str) -> str:
    # "Làm bù cho ngày nghỉ 02/05/2025" and "Ngày nghỉ (thay cho ngày 26/04/2025)" carry dates: drop them.
    for marker in ("Làm bù cho ngày nghỉ", "Ngày nghỉ (thay cho"):
        if name.startswith(marker):
            return marker.rstrip(" (")
    return name


def calendar_days(*, year: int | None = None, query: str = "", kind: str = "",
                  jurisdiction: Agency | None = None) -> QuerySet[CalendarDay]:
    """The rows list (admin page and export): national rows and, if asked, one jurisdiction's."""
    qs = CalendarDay.objects.select_related("jurisdiction")
    qs = qs.filter(jurisdiction=jurisdiction) if jurisdiction else qs.filter(jurisdiction__isnull=True)
    if year:
        qs = qs.filter(day__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(search_key__contains=fold(query))
    return qs.order_by("day")


def recent_changes(limit: int = 10) -> list[CalendarChange]:
    return list(CalendarChange.objects.select_related("actor", "jurisdiction")[:limit])


# -- checking a deadline (the `phucvu deadline` command and the API) --------------------------------------

def parse_received(text: str) -> datetime:
    """ISO 8601; without an offset the instant is read in Vietnam time."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"Thời điểm tiếp nhận không hợp lệ: '{text}' (ví dụ 2025-01-24T16:30+07:00).") from None
    return value if value.tzinfo else value.replace(tzinfo=VN_TZ)


def parse_cutoff(text: str | None) -> time | None:
    if not text:
        return None
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"Giờ chốt nhận hồ sơ không hợp lệ: '{text}' (dạng HH:MM).") from None


# The legal time of a procedure by its code, (amount, unit, cut-off): the catalogue, a layer above, provides
# it from its AppConfig.ready(), so that `phucvu deadline --procedure CODE` works without importing it.
ProcedureTime = Callable[[str], tuple[Decimal, str, time | None]]
_procedure_time: list[ProcedureTime] = []


def provide_procedure_time(source: ProcedureTime) -> None:
    _procedure_time[:] = [source]


def procedure_time(code: str) -> tuple[Decimal, str, time | None]:
    """(amount, unit, cut-off) of a procedure's version in force, read from the catalogue."""
    if not _procedure_time:
        raise InvalidInput("Danh mục thủ tục chưa được cài đặt.")
    return _procedure_time[0](code)


def deadline_check(*, received: datetime, hours: Decimal | None = None, days: Decimal | None = None,
                   procedure_code: str | None = None, agency_code: str | None = None,
                   cutoff: time | None = None) -> dict[str, str]:
    """{"received", "start", "due"} as ISO 8601 in +07:00, on the agency's calendar in the database."""
    given = [x is not None for x in (hours, days, procedure_code)]
    if sum(given) != 1:
        raise InvalidInput("Cần đúng một trong: số giờ, số ngày làm việc, hoặc mã thủ tục.")
    if procedure_code is not None:
        amount, unit, procedure_cutoff = procedure_time(procedure_code)
        cutoff = cutoff or procedure_cutoff
    elif hours is not None:
        amount, unit = hours, TimeUnit.WORKING_HOURS
    elif days is not None:
        amount, unit = days, TimeUnit.WORKING_DAYS
    agency_id = None
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).only("pk").first()
        if agency is None:
            raise NotFound(f"Không có đơn vị mã '{agency_code}'.")
        agency_id = agency.pk
    try:
        start, due = calendar_for(agency_id).due(received, amount, unit, cutoff=cutoff)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return {"received": received.astimezone(VN_TZ).isoformat(), "start": start.isoformat(),
            "due": due.isoformat()}
