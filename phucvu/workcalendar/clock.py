"""The legal clock: working-time arithmetic on a working calendar. Pure Python, no Django.

A `WorkingCalendar` is built once (from the database rows by `selectors.calendar_for`, or by hand in
tests) and is immutable. Working time is counted in whole microseconds internally (integers, so it is
exact); the public unit is the minute (480 minutes = 8 hours = 1 working day with the default hours).

Every instant has a *working position*: the working time elapsed from the calendar's first day to that
instant. Non-working time maps to the position of the boundary around it, so the position is a
non-decreasing step function of time. Because every working day has the same periods, the position of a
working day's start is `rank × day_length`, where `rank` (working days before it) is precomputed per day:
each operation is a handful of array look-ups and a bisect over the few periods of a day.

Rules (docs/domain.md §5):
- a due moment that falls exactly at the end of a working period is that end (Mon 07:00 + 1 day →
  Mon 17:00, not Tue 07:00); a start moment at that boundary is the next period's start;
- a cut-off (e.g. 15:00): received strictly after it counts from the next working day;
- calendar days: the due moment never lands on a day off — when the last day is not a working day, the
  period ends at the end of the next working day (Civil Code 2015, art. 148(5)).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# Vietnam has kept UTC+07:00 without daylight saving since 1975: the fixed offset is exact and fast.
from phucvu.core.localtime import VN_TZ

MINUTES_PER_WORKING_DAY = 480  # 8 working hours
US_PER_MINUTE = 60_000_000
US_PER_DAY = 86_400_000_000

DEFAULT_PERIODS: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
DEFAULT_REST_WEEKDAYS: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
DEFAULT_FIRST_DAY = date(2000, 1, 1)
DEFAULT_LAST_DAY = date(2100, 12, 31)


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    SAME_DAY = "same_day"


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # a public holiday (ngày lễ, Tết)
    DAY_OFF = "day_off"  # a swapped or compensatory day off (ngày nghỉ hoán đổi, nghỉ bù)
    WORKDAY = "workday"  # a make-up working day on a rest day (ngày làm bù)


def _us_of(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _to_minutes(amount: int | Decimal | float | str, factor: int) -> int:
    if isinstance(amount, int) and not isinstance(amount, bool):
        minutes = amount * factor
    else:
        minutes = int((Decimal(str(amount)) * factor).to_integral_value(rounding=ROUND_HALF_UP))
    if minutes < 0:
        raise ValueError("Thời hạn không được âm.")
    return minutes


class WorkingCalendar:
    """Working hours, weekly rest days and dated exceptions, precomputed for O(1)/O(log n) arithmetic."""

    __slots__ = (
        "periods", "rest_weekdays", "exceptions", "first_day", "last_day", "minutes_per_day", "key",
        "_first_ord", "_ndays", "_working", "_rank", "_work_ords", "_starts", "_ends", "_cum", "_cum_ends",
        "_day_us", "_epoch",
    )
    # Set once in __init__ (through object.__setattr__: the calendar is immutable); declared for the types.
    periods: tuple[tuple[time, time], ...]
    rest_weekdays: frozenset[int]
    exceptions: dict[date, DayKind]
    first_day: date
    last_day: date
    minutes_per_day: int
    key: tuple
    _first_ord: int
    _ndays: int
    _working: bytes
    _rank: array[int]
    _work_ords: array[int]
    _starts: tuple[int, ...]
    _ends: tuple[int, ...]
    _cum: tuple[int, ...]
    _cum_ends: tuple[int, ...]
    _day_us: int
    _epoch: datetime

    def __init__(
        self,
        *,
        exceptions: Mapping[date, str] | Iterable[tuple[date, str]] = (),
        periods: Iterable[tuple[time, time]] = DEFAULT_PERIODS,
        rest_weekdays: Iterable[int] = DEFAULT_REST_WEEKDAYS,
        first_day: date = DEFAULT_FIRST_DAY,
        last_day: date = DEFAULT_LAST_DAY,
    ) -> None:
        periods = tuple(sorted((p[0], p[1]) for p in periods))
        if not periods:
            raise ValueError("Lịch làm việc cần ít nhất một buổi làm việc.")
        previous_end = -1
        for start, end in periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("Giờ làm việc là giờ địa phương, không kèm múi giờ.")
            if _us_of(start) >= _us_of(end) or _us_of(start) < previous_end:
                raise ValueError("Các buổi làm việc phải tăng dần và không chồng lên nhau.")
            previous_end = _us_of(end)
        rest = frozenset(int(d) for d in rest_weekdays)
        if not rest <= set(range(7)):
            raise ValueError("Ngày nghỉ hằng tuần là số 0 (thứ Hai) đến 6 (Chủ nhật).")
        items = exceptions.items() if isinstance(exceptions, Mapping) else exceptions
        exc = {d: DayKind(k) for d, k in items}
        if first_day > last_day:
            raise ValueError("Phạm vi lịch không hợp lệ.")

        starts = [_us_of(s) for s, _ in periods]
        ends = [_us_of(e) for _, e in periods]
        cum = [0]
        for s, e in zip(starts, ends):
            cum.append(cum[-1] + e - s)
        day_us = cum.pop()
        cum_ends = [c + e - s for c, s, e in zip(cum, starts, ends)]

        first_ord = first_day.toordinal()
        ndays = last_day.toordinal() - first_ord + 1
        working = bytearray(ndays)
        rank = array("i", bytes(4 * (ndays + 1)))
        work_ords = array("i")
        weekday = first_day.weekday()
        count = 0
        for i in range(ndays):
            kind = exc.get(date.fromordinal(first_ord + i)) if exc else None
            is_work = weekday not in rest if kind is None else kind is DayKind.WORKDAY
            rank[i] = count
            if is_work:
                working[i] = 1
                work_ords.append(first_ord + i)
                count += 1
            weekday = (weekday + 1) % 7
        rank[ndays] = count  # a sentinel: working days in the whole range

        init = object.__setattr__
        init(self, "periods", periods)
        init(self, "rest_weekdays", rest)
        init(self, "exceptions", exc)
        init(self, "first_day", first_day)
        init(self, "last_day", last_day)
        init(self, "minutes_per_day", day_us // US_PER_MINUTE)
        init(self, "key", (periods, rest, tuple(sorted(exc.items())), first_day, last_day))
        init(self, "_first_ord", first_ord)
        init(self, "_ndays", ndays)
        init(self, "_working", bytes(working))
        init(self, "_rank", rank)
        init(self, "_work_ords", work_ords)
        init(self, "_starts", tuple(starts))
        init(self, "_ends", tuple(ends))
        init(self, "_cum", tuple(cum))
        init(self, "_cum_ends", tuple(cum_ends))
        init(self, "_day_us", day_us)
        init(self, "_epoch", datetime(first_day.year, first_day.month, first_day.day, tzinfo=VN_TZ))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("WorkingCalendar là bất biến.")

    def __repr__(self) -> str:
        return (f"WorkingCalendar({len(self.exceptions)} ngày ngoại lệ, {self.minutes_per_day} phút/ngày, "
                f"{self.first_day}…{self.last_day})")

    # -- days -------------------------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        idx = day.toordinal() - self._first_ord
        if 0 <= idx < self._ndays:
            return bool(self._working[idx])
        kind = self.exceptions.get(day)
        return kind is DayKind.WORKDAY if kind is not None else day.weekday() not in self.rest_weekdays

    def day_kind(self, day: date) -> str:
        """'workday' / 'rest' for an ordinary day, else the exception's kind."""
        kind = self.exceptions.get(day)
        if kind is not None:
            return str(kind)
        return "rest" if day.weekday() in self.rest_weekdays else "workday"

    def working_days_between(self, first: date, last: date) -> int:
        """Working days in [first, last] (both included)."""
        if last < first:
            return 0
        return self._rank[self._index(last) + 1] - self._rank[self._index(first)]

    # -- positions --------------------------------------------------------------------------------------
    def _index(self, day: date) -> int:
        idx = day.toordinal() - self._first_ord
        if not 0 <= idx < self._ndays:
            raise ValueError(f"Ngày {day:%d/%m/%Y} nằm ngoài phạm vi lịch "
                             f"({self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y}).")
        return idx

    def _local(self, at: datetime) -> datetime:
        if at.tzinfo is VN_TZ:  # the common case, and the fast one
            return at
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("Cần thời điểm có múi giờ (aware datetime).")
        return at.astimezone(VN_TZ)

    def _position(self, local: datetime) -> int:
        idx = local.toordinal() - self._first_ord
        if not 0 <= idx < self._ndays:
            self._index(local.date())
        base = self._rank[idx] * self._day_us
        if not self._working[idx]:
            return base
        us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
        starts = self._starts
        for i in range(len(starts)):
            if us < starts[i]:
                return base + self._cum[i]
            if us < self._ends[i]:
                return base + self._cum[i] + us - starts[i]
        return base + self._day_us

    def _instant(self, position: int, prefer_end: bool) -> datetime:
        k, r = divmod(position, self._day_us)
        if prefer_end and r == 0 and k > 0:
            k -= 1
            r = self._day_us
        if k >= len(self._work_ords):
            raise ValueError(f"Kết quả vượt quá phạm vi lịch (đến {self.last_day:%d/%m/%Y}).")
        i = bisect_left(self._cum_ends, r) if prefer_end else bisect_right(self._cum_ends, r)
        us = self._starts[i] + r - self._cum[i]
        return self._epoch + timedelta(days=self._work_ords[k] - self._first_ord, microseconds=us)

    def _in_closed_period(self, local: datetime) -> bool:
        idx = self._index(local.date())
        if not self._working[idx]:
            return False
        us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
        return any(s <= us <= e for s, e in zip(self._starts, self._ends))

    # -- the operations of the contract -----------------------------------------------------------------
    def is_working_instant(self, at: datetime) -> bool:
        """On a working day, inside a working period, its end included (a due moment may be an end)."""
        return self._in_closed_period(self._local(at))

    def next_working_instant(self, at: datetime) -> datetime:
        """`at` itself if work is going on then, else the start of the next working period."""
        return self._instant(self._position(self._local(at)), False)

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The instant at which `minutes` of working time have elapsed since `start`."""
        if minutes < 0:
            raise ValueError("Số phút làm việc không được âm.")
        local = self._local(start)
        if minutes == 0:
            # Adding nothing leaves a working instant (a period's end included) where it is.
            return local if self._in_closed_period(local) else self._instant(self._position(local), False)
        return self._instant(self._position(local) + minutes * US_PER_MINUTE, True)

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Whole working minutes from `a` to `b` (negative when b is before a)."""
        delta = self._position(self._local(b)) - self._position(self._local(a))
        return delta // US_PER_MINUTE if delta >= 0 else -(-delta // US_PER_MINUTE)

    def working_day_end(self, day: date) -> datetime:
        """The end of the last period of `day` (which should be a working day)."""
        return self._epoch + timedelta(days=day.toordinal() - self._first_ord, microseconds=self._ends[-1])

    def _start_position(self, local: datetime, cutoff: time | None) -> int:
        if cutoff is not None and (local.hour, local.minute, local.second, local.microsecond) > (
            cutoff.hour, cutoff.minute, cutoff.second, cutoff.microsecond
        ):
            # Received after the cut-off: the clock starts with the first working day after today.
            return self._rank[self._index(local.date()) + 1] * self._day_us
        return self._position(local)

    def start_moment(self, received: datetime, cutoff: time | None = None) -> datetime:
        """When the clock starts: the next working instant, or the next working day after a cut-off."""
        return self._instant(self._start_position(self._local(received), cutoff), False)

    def due(self, received: datetime, amount: int | Decimal, unit: TimeUnit | str, *,
            cutoff: time | None = None) -> tuple[datetime, datetime]:
        """(start, due) for a legal time of `amount` `unit` received at `received`."""
        position = self._start_position(self._local(received), cutoff)
        start = self._instant(position, False)
        if unit == TimeUnit.WORKING_DAYS:
            minutes = (amount * self.minutes_per_day if type(amount) is int and amount >= 0
                       else _to_minutes(amount, self.minutes_per_day))
        elif unit == TimeUnit.WORKING_HOURS:
            minutes = amount * 60 if type(amount) is int and amount >= 0 else _to_minutes(amount, 60)
        elif unit == TimeUnit.CALENDAR_DAYS:
            return start, self._add_calendar_days(start, amount)
        elif unit == TimeUnit.SAME_DAY:
            return start, self.working_day_end(start.date())
        else:
            raise ValueError(f"Đơn vị thời hạn không hợp lệ: {unit!r}")
        if minutes == 0:
            return start, start
        # The start instant's position is `position`: no need to compute it again.
        return start, self._instant(position + minutes * US_PER_MINUTE, True)

    def timed(self, received: datetime, amount: int | Decimal, unit: TimeUnit | str, *,
              cutoff: time | None = None) -> tuple[datetime, datetime, int]:
        """(start, due, legal working minutes from start to due) — `due` and its length at once.

        In working days or hours the length is the minutes `due` added (between∘add = identity), not
        measured again; calendar days and same day are measured on the calendar."""
        start, due = self.due(received, amount, unit, cutoff=cutoff)
        if unit == TimeUnit.WORKING_DAYS:
            return start, due, _to_minutes(amount, self.minutes_per_day)
        if unit == TimeUnit.WORKING_HOURS:
            return start, due, _to_minutes(amount, 60)
        return start, due, self.working_minutes_between(start, due)

    def _add_calendar_days(self, start: datetime, amount: int | Decimal) -> datetime:
        days = _to_minutes(amount, 1)
        target = start + timedelta(days=days)
        idx = self._index(target.date())
        if self._working[idx]:
            return target
        # The last day is a day off: the period ends at the end of the next working day.
        k = self._rank[idx]
        if k >= len(self._work_ords):
            raise ValueError(f"Kết quả vượt quá phạm vi lịch (đến {self.last_day:%d/%m/%Y}).")
        return self.working_day_end(date.fromordinal(self._work_ords[k]))


def default_calendar() -> WorkingCalendar:
    """Default hours and weekends, no holidays: for tests and examples only."""
    return WorkingCalendar()
