"""TEMPORARY stand-in for phucvu.workcalendar.clock until the calendar branch lands (weekends only).

Delete this file when `phucvu.workcalendar.selectors.calendar_for` exists in main.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERIODS = ((dt.time(7, 0), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))
MINUTES_PER_WORKING_DAY = 480


class StandinCalendar:
    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5

    def _periods(self, day: dt.date):
        if self.is_working_day(day):
            for s, e in PERIODS:
                yield dt.datetime.combine(day, s, TZ), dt.datetime.combine(day, e, TZ)

    def next_working_instant(self, at: dt.datetime) -> dt.datetime:
        return self.add_working_minutes(at, 0)

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        cursor = start.astimezone(TZ)
        day = cursor.date()
        left = int(minutes)
        for _ in range(3700):
            for s, e in self._periods(day):
                if cursor >= e:
                    continue
                begin = max(cursor, s)
                avail = int((e - begin).total_seconds() // 60)
                if left <= avail:
                    return begin + dt.timedelta(minutes=left)
                left -= avail
            day += dt.timedelta(days=1)
        raise ValueError("out of range")

    def working_minutes_between(self, a: dt.datetime, b: dt.datetime) -> int:
        if b <= a:
            return 0
        a, b = a.astimezone(TZ), b.astimezone(TZ)
        total, day = 0, a.date()
        while day <= b.date():
            for s, e in self._periods(day):
                lo, hi = max(a, s), min(b, e)
                if hi > lo:
                    total += int((hi - lo).total_seconds() // 60)
            day += dt.timedelta(days=1)
        return total

    def start_moment(self, received: dt.datetime, cutoff: dt.time | None = None) -> dt.datetime:
        local = received.astimezone(TZ)
        if cutoff is not None and local.time() > cutoff:
            local = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), TZ)
        return self.next_working_instant(local)

    def due(self, received, amount, unit, *, cutoff=None):
        start = self.start_moment(received, cutoff)
        unit = str(unit)
        amount = Decimal(str(amount))
        if unit == "working_days":
            return start, self.add_working_minutes(start, int(amount * MINUTES_PER_WORKING_DAY))
        if unit == "working_hours":
            return start, self.add_working_minutes(start, int(amount * 60))
        if unit == "calendar_days":
            end = start + dt.timedelta(days=int(amount))
            return start, end
        return start, dt.datetime.combine(start.date(), PERIODS[-1][1], TZ)


@lru_cache(maxsize=1)
def standin_calendar() -> StandinCalendar:
    return StandinCalendar()
