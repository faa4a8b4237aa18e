"""The legal clock on the rules of docs/domain.md §4–§5 and the official 2017, 2024 and 2025 schedules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from phucvu.workcalendar.clock import VN_TZ, DayKind, TimeUnit, WorkingCalendar
from phucvu.workcalendar.seed import vietnam_calendar

PLAIN = WorkingCalendar()  # default hours, Saturday and Sunday off, no holidays


@pytest.fixture(scope="module")
def vn() -> WorkingCalendar:
    return vietnam_calendar()


def at(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN_TZ)


# 2025-01-06 is a Monday (no holiday that week).
MON = (2025, 1, 6)


def test_received_monday_0900_five_days_is_next_monday_0900():
    assert PLAIN.due(at(*MON, 9), 5, TimeUnit.WORKING_DAYS) == (at(*MON, 9), at(2025, 1, 13, 9))


def test_received_friday_1630_one_day_is_monday_1630():
    assert PLAIN.due(at(2025, 1, 10, 16, 30), 1, "working_days")[1] == at(2025, 1, 13, 16, 30)


def test_received_at_lunch_counts_from_1330():
    start, due = PLAIN.due(at(*MON, 12, 15), 2, TimeUnit.WORKING_HOURS)
    assert start == at(*MON, 13, 30)
    assert due == at(*MON, 15, 30)


def test_received_in_the_evening_counts_from_next_working_day_0700():
    assert PLAIN.start_moment(at(*MON, 18)) == at(2025, 1, 7, 7)
    assert PLAIN.start_moment(at(2025, 1, 10, 18)) == at(*(2025, 1, 13), 7)  # Friday evening → Monday


def test_due_at_the_end_of_a_period_is_that_end_not_the_next_start():
    assert PLAIN.due(at(*MON, 7), 1, TimeUnit.WORKING_DAYS)[1] == at(*MON, 17)
    assert PLAIN.due(at(*MON, 7), Decimal("4.5"), TimeUnit.WORKING_HOURS)[1] == at(*MON, 11, 30)


def test_start_at_the_end_of_a_period_is_the_next_period_start():
    assert PLAIN.next_working_instant(at(*MON, 11, 30)) == at(*MON, 13, 30)
    assert PLAIN.next_working_instant(at(*MON, 17)) == at(2025, 1, 7, 7)
    assert PLAIN.next_working_instant(at(*MON, 10, 5)) == at(*MON, 10, 5)


def test_received_after_the_cutoff_counts_from_the_next_working_day():
    start, due = PLAIN.due(at(*MON, 15, 1), 1, TimeUnit.WORKING_HOURS, cutoff=time(15))
    assert start == at(2025, 1, 7, 7)
    assert due == at(2025, 1, 7, 8)


def test_received_at_the_cutoff_exactly_is_not_after_it():
    start, _ = PLAIN.due(at(*MON, 15), 1, TimeUnit.WORKING_HOURS, cutoff=time(15))
    assert start == at(*MON, 15)


def test_cutoff_on_friday_counts_from_monday():
    assert PLAIN.start_moment(at(2025, 1, 10, 16), cutoff=time(15)) == at(2025, 1, 13, 7)


def test_instants_in_other_time_zones_are_computed_in_vietnam_time():
    utc = datetime(2025, 1, 6, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    start, due = PLAIN.due(utc, 5, TimeUnit.WORKING_DAYS)
    assert start == at(*MON, 9) and due == at(2025, 1, 13, 9)
    assert due.utcoffset() == timedelta(hours=7)
    assert due.isoformat() == "2025-01-13T09:00:00+07:00"


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        PLAIN.next_working_instant(datetime(2025, 1, 6, 9))  # noqa: DTZ001 - the naive instant is the point


def test_half_a_working_day_is_four_hours():
    assert PLAIN.due(at(*MON, 7), Decimal("0.5"), TimeUnit.WORKING_DAYS)[1] == at(*MON, 11)
    assert PLAIN.due(at(*MON, 10), Decimal("0.5"), TimeUnit.WORKING_DAYS)[1] == at(*MON, 16)


def test_seconds_are_kept_exactly():
    assert PLAIN.due(at(*MON, 9, 0, 30), 1, TimeUnit.WORKING_DAYS)[1] == at(2025, 1, 7, 9, 0, 30)


def test_zero_time_is_due_at_the_start():
    assert PLAIN.due(at(*MON, 18), 0, TimeUnit.WORKING_HOURS) == (at(2025, 1, 7, 7), at(2025, 1, 7, 7))


def test_same_day_is_due_at_the_end_of_the_start_day():
    assert PLAIN.due(at(*MON, 9), 0, TimeUnit.SAME_DAY)[1] == at(*MON, 17)
    assert PLAIN.due(at(*MON, 16), 0, TimeUnit.SAME_DAY, cutoff=time(15))[1] == at(2025, 1, 7, 17)


def test_calendar_days_count_every_day():
    assert PLAIN.due(at(*MON, 9), 3, TimeUnit.CALENDAR_DAYS)[1] == at(2025, 1, 9, 9)


def test_calendar_days_never_end_on_a_day_off():
    # Mon + 5 = Saturday: the period ends at the end of the next working day (Civil Code art. 148).
    assert PLAIN.due(at(*MON, 9), 5, TimeUnit.CALENDAR_DAYS)[1] == at(2025, 1, 13, 17)


def test_negative_time_is_refused():
    with pytest.raises(ValueError):
        PLAIN.due(at(*MON, 9), -1, TimeUnit.WORKING_DAYS)
    with pytest.raises(ValueError):
        PLAIN.add_working_minutes(at(*MON, 9), -5)


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        PLAIN.due(at(*MON, 9), 1, "fortnights")


def test_calendar_is_immutable():
    with pytest.raises(AttributeError):
        PLAIN.periods = ()


def test_outside_the_calendar_range_is_an_error_not_a_guess():
    with pytest.raises(ValueError):
        PLAIN.next_working_instant(at(2101, 1, 1, 9))


# -- pause and resume ---------------------------------------------------------------------------------

def test_supplement_request_moves_the_due_moment_by_the_paused_working_time():
    _, due = PLAIN.due(at(*MON, 9), 5, TimeUnit.WORKING_DAYS)          # Mon 13/1 09:00
    paused, resumed = at(2025, 1, 7, 10), at(2025, 1, 9, 10)           # two working days paused
    new_due = PLAIN.add_working_minutes(due, PLAIN.working_minutes_between(paused, resumed))
    assert new_due == at(2025, 1, 15, 9)


def test_pause_over_a_weekend_costs_only_the_working_time():
    _, due = PLAIN.due(at(*MON, 9), 5, TimeUnit.WORKING_DAYS)
    paused, resumed = at(2025, 1, 10, 17), at(2025, 1, 13, 7)          # Friday close → Monday open
    assert PLAIN.working_minutes_between(paused, resumed) == 0
    assert PLAIN.add_working_minutes(due, 0) == due


def test_restart_after_a_complete_supplement_counts_from_zero():
    resumed = at(2025, 1, 9, 14)
    assert PLAIN.due(resumed, 5, TimeUnit.WORKING_DAYS)[1] == at(2025, 1, 16, 14)


def test_working_minutes_between_is_signed():
    assert PLAIN.working_minutes_between(at(*MON, 9), at(*MON, 13, 45)) == 150 + 15
    assert PLAIN.working_minutes_between(at(*MON, 13, 45), at(*MON, 9)) == -165


# -- exceptions: holidays, swapped days off, make-up Saturdays -----------------------------------------

def test_make_up_saturday_is_a_working_day():
    cal = WorkingCalendar(exceptions={date(2025, 1, 11): DayKind.WORKDAY})
    assert cal.is_working_day(date(2025, 1, 11))
    assert cal.due(at(2025, 1, 10, 16), 2, TimeUnit.WORKING_HOURS)[1] == at(2025, 1, 11, 8)


def test_day_off_on_a_weekday_is_skipped():
    cal = WorkingCalendar(exceptions={date(2025, 1, 7): DayKind.DAY_OFF})
    assert cal.due(at(*MON, 16), 2, TimeUnit.WORKING_HOURS)[1] == at(2025, 1, 8, 8)


def test_working_days_between_counts_both_ends():
    assert PLAIN.working_days_between(date(2025, 1, 6), date(2025, 1, 12)) == 5


# -- the official schedules ------------------------------------------------------------------------------

def off_days(cal: WorkingCalendar, first: date, last: date) -> list[date]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if not cal.is_working_day(d)]


def test_tet_2025_days_off_27_to_31_january_with_weekends_25_january_to_2_february(vn):
    assert off_days(vn, date(2025, 1, 24), date(2025, 2, 3)) == [
        date(2025, 1, d) for d in range(25, 32)] + [date(2025, 2, 1), date(2025, 2, 2)]
    assert vn.is_working_day(date(2025, 1, 24)) and vn.is_working_day(date(2025, 2, 3))


def test_tet_2025_received_friday_before_is_due_after_the_holiday(vn):
    # Received Fri 24/1/2025 16:30, 1 working day → Mon 3/2 16:30.
    assert vn.due(at(2025, 1, 24, 16, 30), 1, TimeUnit.WORKING_DAYS)[1] == at(2025, 2, 3, 16, 30)


def test_reunification_2025_with_2_may_off_and_saturday_26_april_worked(vn):
    assert vn.is_working_day(date(2025, 4, 26))
    assert off_days(vn, date(2025, 4, 28), date(2025, 5, 4)) == [
        date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2), date(2025, 5, 3), date(2025, 5, 4)]
    assert vn.due(at(2025, 4, 25, 16), 2, TimeUnit.WORKING_HOURS)[1] == at(2025, 4, 26, 8)


def test_national_day_2025_is_1_and_2_september(vn):
    assert off_days(vn, date(2025, 8, 29), date(2025, 9, 3)) == [
        date(2025, 8, 30), date(2025, 8, 31), date(2025, 9, 1), date(2025, 9, 2)]


def test_hung_kings_2025_is_monday_7_april(vn):
    assert not vn.is_working_day(date(2025, 4, 7))


def test_2024_schedule(vn):
    # Tết Giáp Thìn 8/2–14/2; Hùng Kings 18/4; 29/4 swapped with Saturday 4/5; 2/9 and 3/9.
    assert off_days(vn, date(2024, 2, 8), date(2024, 2, 14)) == [date(2024, 2, d) for d in range(8, 15)]
    assert vn.is_working_day(date(2024, 2, 7)) and vn.is_working_day(date(2024, 2, 15))
    assert not vn.is_working_day(date(2024, 4, 18))
    assert off_days(vn, date(2024, 4, 27), date(2024, 5, 1)) == [date(2024, 4, d) for d in range(27, 31)] + [
        date(2024, 5, 1)]
    assert vn.is_working_day(date(2024, 5, 4))
    assert off_days(vn, date(2024, 8, 30), date(2024, 9, 4)) == [
        date(2024, 8, 31), date(2024, 9, 1), date(2024, 9, 2), date(2024, 9, 3)]
    assert vn.is_working_day(date(2024, 1, 2)) and not vn.is_working_day(date(2024, 1, 1))


def test_2017_schedule_the_demo_replays(vn):
    # Tết Đinh Dậu 26/1–1/2; 2/1 for New Year on a Sunday; Hùng Kings 6/4; 30/4–2/5; 2/9–4/9.
    assert off_days(vn, date(2017, 1, 23), date(2017, 2, 3)) == [date(2017, 1, d) for d in range(26, 32)] + [
        date(2017, 2, 1)]
    assert not vn.is_working_day(date(2017, 1, 2))
    assert not vn.is_working_day(date(2017, 4, 6)) and vn.is_working_day(date(2017, 4, 7))
    assert off_days(vn, date(2017, 4, 28), date(2017, 5, 3)) == [
        date(2017, 4, 29), date(2017, 4, 30), date(2017, 5, 1), date(2017, 5, 2)]
    assert off_days(vn, date(2017, 9, 1), date(2017, 9, 5)) == [
        date(2017, 9, 2), date(2017, 9, 3), date(2017, 9, 4)]


def test_working_days_in_2025(vn):
    # 365 days − 104 weekend days − 11 weekday holidays/days off + 1 make-up Saturday (26/4).
    weekday_off = [date(2025, 1, 1), *[date(2025, 1, d) for d in range(27, 32)], date(2025, 4, 7),
                   date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2), date(2025, 9, 1), date(2025, 9, 2)]
    assert vn.working_days_between(date(2025, 1, 1), date(2025, 12, 31)) == 365 - 104 - len(weekday_off) + 1
