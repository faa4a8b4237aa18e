"""calendar_for: the seeded national calendar, local rows, inherited working hours, and the cache."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.workcalendar import selectors, services
from phucvu.workcalendar.clock import VN_TZ, TimeUnit
from phucvu.workcalendar.models import CalendarChange, CalendarDay, Kind, Source

pytestmark = pytest.mark.django_db


def at(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def test_a_fresh_migrate_seeds_the_national_calendar_2010_to_2035():
    days = CalendarDay.objects.filter(jurisdiction__isnull=True)
    assert days.filter(day__year=2010).exists() and days.filter(day__year=2035).exists()
    assert days.get(day=date(2025, 4, 26)).kind == Kind.WORKDAY
    assert days.get(day=date(2025, 5, 2)).kind == Kind.DAY_OFF
    assert days.get(day=date(2017, 4, 6)).kind == Kind.HOLIDAY


def test_national_calendar_knows_tet_2025():
    cal = selectors.calendar_for()
    assert cal.due(at(2025, 1, 24, 16, 30), 1, TimeUnit.WORKING_DAYS)[1] == at(2025, 2, 3, 16, 30)


def test_agencies_without_local_rows_share_one_calendar_object(province):
    assert selectors.calendar_for(province["commune"].pk) is selectors.calendar_for(province["dept"].pk)


def test_a_new_row_takes_effect_at_once():
    before = selectors.calendar_for()
    assert before.is_working_day(date(2025, 3, 3))
    services.calendar_day_save(actor=None, day=date(2025, 3, 3), kind=Kind.DAY_OFF, name="Nghỉ đột xuất")
    assert not selectors.calendar_for().is_working_day(date(2025, 3, 3))


def test_a_stamp_change_from_another_process_rebuilds_the_cache():
    selectors.calendar_for()
    # Another process wrote a row and bumped the stamp: this process's cache is stale by design.
    CalendarDay.objects.create(day=date(2025, 3, 4), kind=Kind.DAY_OFF, name="Từ tiến trình khác")
    services.stamp_bump()
    assert not selectors.calendar_for().is_working_day(date(2025, 3, 4))


def test_local_row_applies_to_the_jurisdiction_subtree_only(province):
    services.calendar_day_save(actor=None, day=date(2025, 3, 5), kind=Kind.DAY_OFF, name="Nghỉ địa phương",
                               jurisdiction=province["district"])
    assert not selectors.calendar_for(province["commune"].pk).is_working_day(date(2025, 3, 5))
    assert not selectors.calendar_for(province["district"].pk).is_working_day(date(2025, 3, 5))
    assert selectors.calendar_for(province["district2"].pk).is_working_day(date(2025, 3, 5))
    assert selectors.calendar_for().is_working_day(date(2025, 3, 5))


def test_nearest_local_row_wins(province):
    services.calendar_day_save(actor=None, day=date(2025, 3, 8), kind=Kind.WORKDAY, name="Làm bù tỉnh",
                               jurisdiction=province["province"])
    services.calendar_day_save(actor=None, day=date(2025, 3, 8), kind=Kind.DAY_OFF, name="Xã nghỉ",
                               jurisdiction=province["commune"])
    assert selectors.calendar_for(province["district"].pk).is_working_day(date(2025, 3, 8))
    assert not selectors.calendar_for(province["commune_desk"].pk).is_working_day(date(2025, 3, 8))


def test_working_hours_are_inherited_along_the_tree(province):
    services.working_hours_set(actor=None, agency=province["district"], periods="07:30-11:30, 13:00-17:00")
    cal = selectors.calendar_for(province["commune"].pk)
    assert cal.due(at(2025, 3, 10, 7), 1, TimeUnit.WORKING_HOURS)[1] == at(2025, 3, 10, 8, 30)
    assert selectors.calendar_for(province["district2"].pk).minutes_per_day == 480
    hours, source = selectors.working_hours_for(province["commune"])
    assert source == province["district"] and hours.periods[0] == ["07:30", "11:30"]


def test_working_hours_shown_follow_a_change_made_after_they_were_read(province):
    assert selectors.working_hours_for(province["commune"])[1] is None
    services.working_hours_set(actor=None, agency=province["district"], periods="07:30-11:30, 13:00-17:00")
    hours, source = selectors.working_hours_for(province["commune"])
    assert source == province["district"] and hours.periods[0] == ["07:30", "11:30"]


def test_national_working_hours_apply_to_agencies_without_their_own(province):
    services.working_hours_set(actor=None, agency=None, periods=[["08:00", "12:00"], ["13:00", "17:00"]])
    assert selectors.calendar_for(province["commune"].pk).next_working_instant(at(2025, 3, 10, 7)) == at(
        2025, 3, 10, 8)


def test_overlapping_working_hours_are_refused():
    with pytest.raises(InvalidInput):
        services.working_hours_set(actor=None, agency=None, periods="07:00-12:00, 11:00-17:00")


def test_every_change_is_logged_and_nothing_is_deleted():
    row = services.calendar_day_save(actor=None, day=date(2025, 3, 11), kind=Kind.HOLIDAY, name="A")
    services.calendar_day_save(actor=None, day=date(2025, 3, 11), kind=Kind.DAY_OFF, name="B")
    services.calendar_day_deactivate(actor=None, day_id=row.pk)
    row.refresh_from_db()
    assert not row.active
    assert selectors.calendar_for().is_working_day(date(2025, 3, 11))
    actions = list(CalendarChange.objects.filter(day=date(2025, 3, 11)).order_by("id").values_list("action",
                                                                                                  flat=True))
    assert actions == ["created", "updated", "deactivated"]


def test_only_system_admins_edit_the_calendar(province, make_staff):
    clerk = make_staff(province["commune"], "desk_clerk")
    with pytest.raises(NotAllowed):
        services.calendar_day_save(actor=clerk.user, day=date(2025, 3, 12), kind="holiday", name="X")


def test_a_unit_leader_cannot_edit_the_calendar(province, make_staff):
    leader = make_staff(province["province"], "unit_leader")
    with pytest.raises(NotAllowed):
        services.calendar_day_save(actor=leader.user, day=date(2025, 3, 12), kind="day_off", name="X",
                                   jurisdiction=province["province"])


def test_seeding_again_adds_nothing_and_keeps_admin_rows():
    services.calendar_day_save(actor=None, day=date(2025, 4, 26), kind=Kind.DAY_OFF, name="Sửa tay")
    assert services.calendar_seed() == 0
    row = CalendarDay.objects.get(day=date(2025, 4, 26), jurisdiction__isnull=True)
    assert row.source == Source.ADMIN and row.kind == Kind.DAY_OFF


def test_year_differences_show_moved_and_added_days():
    changes = {c["name"]: c for c in selectors.year_differences(2025)}
    assert changes["Tết Nguyên Đán"]["status"] == "moved"
    assert changes["Tết Nguyên Đán"]["this_year"] == [date(2025, 1, 29)]
    assert changes["Làm bù cho ngày nghỉ"]["this_year"] == [date(2025, 4, 26)]
    assert changes["Làm bù cho ngày nghỉ"]["last_year"] == [date(2024, 5, 4)]


def test_year_grid_marks_make_up_saturday():
    months = selectors.year_grid(2025)
    april = [c for week in months[3]["weeks"] for c in week if c.day]
    cell = next(c for c in april if c.day == date(2025, 4, 26))
    assert cell.working and cell.kind == Kind.WORKDAY
