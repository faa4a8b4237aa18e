"""Properties of the clock (hypothesis), and agreement with a slow, obviously correct reference."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phucvu.workcalendar.clock import VN_TZ, DayKind, TimeUnit, WorkingCalendar

FIRST, LAST = date(2024, 1, 1), date(2026, 12, 31)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- the reference: walks day by day and period by period, nothing precomputed ---------------------------

class Reference:
    def __init__(self, periods, rest, exceptions):
        self.periods, self.rest, self.exceptions = periods, rest, exceptions

    def working(self, day: date) -> bool:
        kind = self.exceptions.get(day)
        if kind is not None:
            return kind == DayKind.WORKDAY
        return day.weekday() not in self.rest

    def spans(self, day: date):
        if self.working(day):
            for s, e in self.periods:
                yield (datetime.combine(day, s, tzinfo=VN_TZ), datetime.combine(day, e, tzinfo=VN_TZ))

    def next_working(self, t: datetime) -> datetime:
        day = t.date()
        while True:
            for s, e in self.spans(day):
                if t < e:
                    return max(s, t)
            day += timedelta(days=1)

    def add(self, t: datetime, minutes: int) -> datetime:
        remaining = timedelta(minutes=minutes)
        day = t.date()
        while True:
            for s, e in self.spans(day):
                if e < t:
                    continue
                begin = max(s, t)
                if remaining <= e - begin:
                    return begin + remaining
                remaining -= e - begin
            day += timedelta(days=1)

    def between(self, a: datetime, b: datetime) -> int:
        total = timedelta()
        day = a.date()
        while day <= b.date():
            for s, e in self.spans(day):
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return int(total.total_seconds() // 60)


# -- strategies --------------------------------------------------------------------------------------------

@st.composite
def periods(draw):
    # 1 to 3 periods of at least an hour, with gaps of 0 to 2 hours, between 05:00 and 23:00.
    chosen, cursor = [], draw(st.integers(5 * 60, 9 * 60))
    for _ in range(draw(st.integers(1, 3))):
        start = cursor + (draw(st.integers(0, 120)) if chosen else 0)
        end = start + draw(st.integers(60, 240))
        if end > 23 * 60:
            break
        chosen.append((time(start // 60, start % 60), time(end // 60, end % 60)))
        cursor = end
    return tuple(chosen)


days_in_range = st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31))


@st.composite
def calendars(draw):
    rest = draw(st.sets(st.integers(0, 6), max_size=4))
    exceptions = draw(st.dictionaries(days_in_range, st.sampled_from(list(DayKind)), max_size=40))
    chosen = draw(periods())
    cal = WorkingCalendar(exceptions=exceptions, periods=chosen, rest_weekdays=rest, first_day=FIRST,
                          last_day=LAST)
    return cal, Reference(chosen, rest, exceptions)


instants = st.builds(
    lambda d, minute, second: datetime.combine(d, time(minute // 60, minute % 60, second), tzinfo=VN_TZ),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 6, 30)),
    st.integers(0, 24 * 60 - 1),
    st.sampled_from([0, 0, 0, 30]),
)
amounts = st.integers(0, 10 * 480)


# -- properties -----------------------------------------------------------------------------------------

@SETTINGS
@given(calendars(), instants, amounts)
def test_the_result_is_always_a_working_instant(pair, t, minutes):
    cal, _ = pair
    assert cal.is_working_instant(cal.next_working_instant(t))
    assert cal.is_working_instant(cal.add_working_minutes(t, minutes))
    start, due = cal.due(t, minutes // 60, TimeUnit.WORKING_HOURS)
    assert cal.is_working_instant(start) and cal.is_working_instant(due)
    assert cal.is_working_day(cal.due(t, minutes // 480, TimeUnit.CALENDAR_DAYS)[1].date())


@SETTINGS
@given(calendars(), instants, amounts, amounts)
def test_adding_is_monotonic(pair, t, a, b):
    cal, _ = pair
    lo, hi = sorted((a, b))
    assert cal.add_working_minutes(t, lo) <= cal.add_working_minutes(t, hi)
    assert cal.add_working_minutes(t, lo) >= t


@SETTINGS
@given(calendars(), instants, instants, amounts)
def test_adding_is_monotonic_in_the_start(pair, t1, t2, minutes):
    cal, _ = pair
    early, late = sorted((t1, t2))
    assert cal.add_working_minutes(early, minutes) <= cal.add_working_minutes(late, minutes)


@SETTINGS
@given(calendars(), instants, amounts, amounts)
def test_adding_is_additive(pair, t, a, b):
    cal, _ = pair
    assert cal.add_working_minutes(cal.add_working_minutes(t, a), b) == cal.add_working_minutes(t, a + b)


@SETTINGS
@given(calendars(), instants, amounts)
def test_between_start_and_start_plus_h_is_h(pair, t, minutes):
    cal, _ = pair
    assert cal.working_minutes_between(t, cal.add_working_minutes(t, minutes)) == minutes


@SETTINGS
@given(calendars(), instants, amounts)
def test_fast_core_agrees_with_the_slow_reference(pair, t, minutes):
    cal, ref = pair
    assert cal.next_working_instant(t) == ref.next_working(t)
    assert cal.add_working_minutes(t, minutes) == ref.add(t, minutes)


@SETTINGS
@given(calendars(), instants, instants)
def test_between_agrees_with_the_slow_reference(pair, t1, t2):
    cal, ref = pair
    a, b = sorted((t1, t2))
    assert cal.working_minutes_between(a, b) == ref.between(a, b)
    assert cal.working_minutes_between(b, a) == -ref.between(a, b)


@SETTINGS
@given(calendars(), instants, amounts, instants, st.integers(0, 30 * 24 * 60))
def test_pause_moves_the_due_moment_by_the_paused_working_time(pair, received, minutes, paused, length):
    cal, _ = pair
    resumed = paused + timedelta(minutes=length)
    _, due = cal.due(received, minutes // 60, TimeUnit.WORKING_HOURS)
    paused_minutes = cal.working_minutes_between(paused, resumed)
    new_due = cal.add_working_minutes(due, paused_minutes)
    assert cal.working_minutes_between(due, new_due) == paused_minutes
    assert new_due >= due


@SETTINGS
@given(calendars(), instants, st.integers(0, 40), st.sampled_from(list(TimeUnit)),
       st.sampled_from([None, time(15, 0), time(11, 30)]), st.booleans())
def test_timed_is_due_with_the_working_minutes_between_its_ends(pair, received, amount, unit, cutoff, half):
    cal, _ = pair
    value = amount + Decimal("0.5") if half else amount
    start, due, legal = cal.timed(received, value, unit, cutoff=cutoff)
    assert (start, due) == cal.due(received, value, unit, cutoff=cutoff)
    assert legal == cal.working_minutes_between(start, due)
