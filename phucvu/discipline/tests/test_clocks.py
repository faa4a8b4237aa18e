"""The legal clocks of a discipline case and the forms allowed by date (docs/discipline.md §2, docs/discipline.md §4)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phucvu.core.exceptions import InvalidInput
from phucvu.discipline.clocks import (
    FORMS,
    Period,
    add_period,
    check_form,
    compute_clocks,
    forms_allowed,
    parse_pause,
    period_end,
)
from phucvu.workcalendar.seed import vietnam_calendar

D = dt.date
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VN = vietnam_calendar(2010, 2035)


def every_day(day: dt.date) -> bool:
    return True


def weekdays(day: dt.date) -> bool:
    return day.weekday() < 5


# -- forms × category × date ---------------------------------------------------------------------------------
OLD_CB = {"khien_trach", "canh_cao", "cach_chuc", "bai_nhiem"}
OLD_CC = {"khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec"}
VC = {"khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec"}
NEW_CC = {"khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec"}

# (category, date, rule set, forms allowed): the day before and the day of every change of text.
EXPECTED = [
    ("CB", D(2017, 5, 1), "22/2008/QH12", OLD_CB),
    ("CC", D(2017, 5, 1), "34/2011/NĐ-CP", OLD_CC),
    ("VC", D(2017, 5, 1), "27/2012/NĐ-CP", VC),
    ("CB", D(2020, 6, 30), "22/2008/QH12", OLD_CB),
    ("CC", D(2020, 6, 30), "34/2011/NĐ-CP", OLD_CC),
    ("VC", D(2020, 6, 30), "27/2012/NĐ-CP", VC),
    ("CB", D(2020, 7, 1), "112/2020/NĐ-CP", OLD_CB),
    ("CC", D(2020, 7, 1), "112/2020/NĐ-CP", OLD_CC),
    ("VC", D(2020, 7, 1), "112/2020/NĐ-CP", VC),
    ("CB", D(2025, 6, 30), "112/2020/NĐ-CP", OLD_CB),
    ("CC", D(2025, 6, 30), "112/2020/NĐ-CP", OLD_CC),
    ("VC", D(2025, 6, 30), "112/2020/NĐ-CP", VC),
    ("CB", D(2025, 7, 1), "172/2025/NĐ-CP", OLD_CB),
    ("CC", D(2025, 7, 1), "172/2025/NĐ-CP", NEW_CC),
    ("VC", D(2025, 7, 1), "112/2020/NĐ-CP", VC),
    ("CB", D(2026, 6, 30), "172/2025/NĐ-CP", OLD_CB),
    ("CC", D(2026, 6, 30), "172/2025/NĐ-CP", NEW_CC),
    ("VC", D(2026, 6, 30), "112/2020/NĐ-CP", VC),
    ("CB", D(2026, 7, 1), "172/2025/NĐ-CP", OLD_CB),
    ("CC", D(2026, 7, 1), "172/2025/NĐ-CP", NEW_CC),
    ("VC", D(2026, 7, 1), "234/2026/NĐ-CP", VC),
]


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize(("category", "on", "code", "allowed"), EXPECTED)
def test_every_form_for_every_category_on_each_side_of_every_change(form, category, on, code, allowed):
    if form in allowed:
        assert check_form(category, form, on).code == code
        clocks = compute_clocks(category=category, form=form, violation_ended=on, discovered=on,
                                is_working_day=every_day)
        assert clocks.rule_set.code == code
    else:
        with pytest.raises(InvalidInput, match=f"Hình thức {FORMS[form]} không áp dụng"):
            check_form(category, form, on)
        with pytest.raises(InvalidInput):
            compute_clocks(category=category, form=form, violation_ended=on, discovered=on, is_working_day=every_day)


def test_the_forms_allowed_are_listed_lightest_first():
    assert forms_allowed("CC", D(2025, 7, 1)) == ["khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec"]
    assert forms_allowed("CC", D(2025, 6, 30))[2:4] == ["ha_bac_luong", "giang_chuc"]


@pytest.mark.parametrize(("category", "form", "message"), [
    ("XX", "khien_trach", "Ngạch 'XX' không hợp lệ"),
    ("CC", "tu_hinh", "Hình thức kỷ luật 'tu_hinh' không hợp lệ"),
])
def test_an_unknown_category_or_form_is_refused_in_vietnamese(category, form, message):
    with pytest.raises(InvalidInput, match=message):
        check_form(category, form, D(2026, 1, 5))


def test_a_date_before_any_rule_set_is_refused():
    with pytest.raises(InvalidInput, match="Chưa có quy định kỷ luật viên chức"):
        check_form("VC", "khien_trach", D(2011, 6, 1))


# -- counting (Civil Code arts. 147–148) ----------------------------------------------------------------------

def test_the_first_day_is_not_counted():
    # Discovered on Monday 5/1/2026: day 1 is 6/1, day 90 is 5/4/2026 (a Sunday) → Monday 6/4.
    assert add_period(D(2026, 1, 5), Period(90, "days")) == D(2026, 4, 5)
    assert period_end(D(2026, 1, 5), Period(90, "days"), is_working_day=weekdays) == D(2026, 4, 6)


def test_years_end_on_the_corresponding_day_and_29_february_on_the_28th():
    assert add_period(D(2021, 3, 10), Period(5, "years")) == D(2026, 3, 10)
    assert add_period(D(2024, 2, 29), Period(2, "years")) == D(2026, 2, 28)
    assert add_period(D(2019, 12, 31), Period(2, "months")) == D(2020, 2, 29)
    assert add_period(D(2019, 10, 31), Period(24, "months")) == D(2021, 10, 31)


def test_a_period_ending_in_tet_ends_on_the_next_working_day():
    # 90 days from 1/11/2024 is 30/1/2025, inside Tết (25/1–2/2/2025): the period ends on Monday 3/2.
    clocks = compute_clocks(category="CC", form="khien_trach", violation_ended=D(2024, 10, 1),
                            discovered=D(2024, 11, 1), is_working_day=VN.is_working_day)
    assert clocks.decision_due == D(2025, 2, 3)


def test_a_complex_case_has_150_days():
    clocks = compute_clocks(category="CC", form="canh_cao", violation_ended=D(2026, 1, 5), discovered=D(2026, 2, 2),
                            complex_case=True, is_working_day=every_day)
    assert clocks.decision_due == D(2026, 2, 2) + dt.timedelta(days=150)


def test_before_2020_the_limits_were_24_months_and_2_or_4_months():
    clocks = compute_clocks(category="CC", form="canh_cao", violation_ended=D(2017, 3, 15),
                            discovered=D(2017, 6, 30), is_working_day=every_day)
    assert (clocks.limitation_ends, clocks.decision_due, clocks.rule_set.code) == (
        D(2019, 3, 15), D(2017, 8, 30), "34/2011/NĐ-CP")
    assert compute_clocks(category="CC", form="canh_cao", violation_ended=D(2017, 3, 15), discovered=D(2017, 6, 30),
                          complex_case=True, is_working_day=every_day).decision_due == D(2017, 10, 30)


@pytest.mark.parametrize(("category", "form", "ended", "discovered", "limitation", "code"), [
    # 112/2020: 2 years at the level of a reprimand, 5 for heavier.
    ("CC", "khien_trach", D(2023, 3, 1), D(2023, 9, 1), D(2025, 3, 1), "112/2020/NĐ-CP"),
    ("CC", "canh_cao", D(2023, 3, 1), D(2023, 9, 1), D(2028, 3, 1), "112/2020/NĐ-CP"),
    ("VC", "buoc_thoi_viec", D(2025, 9, 1), D(2026, 1, 5), D(2030, 9, 1), "112/2020/NĐ-CP"),
    # 172/2025 and 234/2026: 5 and 10 years.
    ("CC", "khien_trach", D(2025, 8, 1), D(2025, 9, 1), D(2030, 8, 1), "172/2025/NĐ-CP"),
    ("CB", "bai_nhiem", D(2025, 8, 1), D(2025, 9, 1), D(2035, 8, 1), "172/2025/NĐ-CP"),
    ("VC", "canh_cao", D(2026, 7, 2), D(2026, 8, 3), D(2036, 7, 2), "234/2026/NĐ-CP"),
    # A violation that ended under 112/2020, handled under 172/2025: the shorter period of the old text.
    ("CC", "khien_trach", D(2025, 3, 1), D(2025, 9, 1), D(2027, 3, 1), "172/2025/NĐ-CP"),
    ("CC", "canh_cao", D(2025, 3, 1), D(2025, 9, 1), D(2030, 3, 1), "172/2025/NĐ-CP"),
])
def test_the_limitation_by_rule_set(category, form, ended, discovered, limitation, code):
    clocks = compute_clocks(category=category, form=form, violation_ended=ended, discovered=discovered,
                            is_working_day=every_day)
    assert (clocks.limitation_ends, clocks.rule_set.code) == (limitation, code)


def test_a_pause_counts_both_its_days_in_neither_clock():
    base = compute_clocks(category="CC", form="canh_cao", violation_ended=D(2025, 8, 1), discovered=D(2025, 9, 1),
                          is_working_day=every_day)
    paused = compute_clocks(category="CC", form="canh_cao", violation_ended=D(2025, 8, 1), discovered=D(2025, 9, 1),
                            pauses=[(D(2025, 10, 1), D(2025, 10, 10))], is_working_day=every_day)
    assert paused.decision_due - base.decision_due == dt.timedelta(days=10)
    assert paused.limitation_ends - base.limitation_ends == dt.timedelta(days=10)


def test_a_pause_reaching_past_the_end_extends_it_again():
    # 10 days from 1/3: ends 11/3; a pause 9/3–12/3 (4 days) → 15/3.
    assert period_end(D(2026, 3, 1), Period(10, "days"), pauses=[(D(2026, 3, 9), D(2026, 3, 12))],
                      is_working_day=every_day) == D(2026, 3, 15)
    # A second pause met by the extension counts as well.
    assert period_end(D(2026, 3, 1), Period(10, "days"), pauses=[(D(2026, 3, 9), D(2026, 3, 12)),
                                                                  (D(2026, 3, 14), D(2026, 3, 14))],
                      is_working_day=every_day) == D(2026, 3, 16)


def test_a_new_violation_restarts_the_limitation():
    first = compute_clocks(category="CC", form="canh_cao", violation_ended=D(2025, 8, 1), discovered=D(2026, 1, 5),
                           is_working_day=every_day)
    again = compute_clocks(category="CC", form="canh_cao", violation_ended=D(2025, 12, 1), discovered=D(2026, 1, 5),
                           is_working_day=every_day)
    assert again.limitation_ends - first.limitation_ends == dt.timedelta(days=122)


def test_discovery_before_the_end_of_the_violation_is_refused():
    with pytest.raises(InvalidInput, match="trước ngày kết thúc vi phạm"):
        compute_clocks(category="CC", form="canh_cao", violation_ended=D(2026, 2, 1), discovered=D(2026, 1, 5),
                       is_working_day=every_day)


@pytest.mark.parametrize("text", ["2026-01-01", "2026-01-10/2026-01-01", "2026-13-01/2026-01-02", "a/b/c"])
def test_a_bad_pause_is_refused(text):
    with pytest.raises(InvalidInput, match="tạm dừng"):
        parse_pause(text)


# -- properties -------------------------------------------------------------------------------------------------
days = st.dates(min_value=D(2021, 1, 1), max_value=D(2030, 12, 31))
pauses_st = st.lists(st.tuples(days, st.integers(0, 60)).map(lambda p: (p[0], p[0] + dt.timedelta(days=p[1]))),
                     max_size=4)


@SETTINGS
@given(start=days, n=st.integers(1, 400), pauses=pauses_st)
def test_the_end_leaves_exactly_n_unpaused_days_after_the_start(start, n, pauses):
    end = period_end(start, Period(n, "days"), pauses=pauses, is_working_day=every_day)
    paused = {p[0] + dt.timedelta(days=i) for p in pauses for i in range((p[1] - p[0]).days + 1)}
    counted = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)
               if start + dt.timedelta(days=i) not in paused]
    assert len(counted) == n and counted[-1] == end


@SETTINGS
@given(start=days, n=st.integers(1, 400), pauses=pauses_st)
def test_the_end_is_a_working_day_and_the_first_after_the_unshifted_end(start, n, pauses):
    raw = period_end(start, Period(n, "days"), pauses=pauses, is_working_day=every_day)
    end = period_end(start, Period(n, "days"), pauses=pauses, is_working_day=VN.is_working_day)
    assert VN.is_working_day(end) and end >= raw
    assert all(not VN.is_working_day(raw + dt.timedelta(days=i)) for i in range((end - raw).days))


@SETTINGS
@given(ended=days, gap=st.integers(0, 800), form=st.sampled_from(["khien_trach", "canh_cao", "buoc_thoi_viec"]),
       complex_case=st.booleans(), pauses=pauses_st)
def test_clock_invariants(ended, gap, form, complex_case, pauses):
    discovered = ended + dt.timedelta(days=gap)
    kwargs = {"category": "CC", "violation_ended": ended, "discovered": discovered, "pauses": pauses,
              "is_working_day": VN.is_working_day}
    clocks = compute_clocks(form=form, complex_case=complex_case, **kwargs)
    assert clocks.decision_due >= discovered + dt.timedelta(days=150 if complex_case else 90)
    assert clocks.limitation_ends >= add_period(ended, Period(2, "years"))
    if complex_case:  # longer for a complex case, never shorter
        assert clocks.decision_due >= compute_clocks(form=form, **kwargs).decision_due
    # A heavier form never has a shorter limitation; pauses never shorten a clock.
    heavier = compute_clocks(form="buoc_thoi_viec", complex_case=complex_case, **kwargs)
    assert heavier.limitation_ends >= clocks.limitation_ends
    unpaused = compute_clocks(form=form, complex_case=complex_case, **{**kwargs, "pauses": []})
    assert clocks.limitation_ends >= unpaused.limitation_ends and clocks.decision_due >= unpaused.decision_due


@SETTINGS
@given(start=days, n=st.integers(1, 200), first=days, length=st.integers(1, 40), cut=st.integers(0, 39))
def test_a_pause_split_in_two_or_given_twice_counts_the_same(start, n, first, length, cut):
    last = first + dt.timedelta(days=length)
    middle = first + dt.timedelta(days=min(cut, length - 1))
    one = period_end(start, Period(n, "days"), pauses=[(first, last)], is_working_day=every_day)
    split = period_end(start, Period(n, "days"), pauses=[(first, middle), (middle + dt.timedelta(days=1), last)],
                       is_working_day=every_day)
    twice = period_end(start, Period(n, "days"), pauses=[(first, last), (first, last)], is_working_day=every_day)
    assert one == split == twice


# -- the command (the contract other tools use) -------------------------------------------------------------------

def run(*args: str) -> dict:
    out = StringIO()
    call_command("discipline", "clocks", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_one_json_object(db):
    result = run("--category", "CC", "--form", "canh_cao", "--violation-ended", "2025-08-01",
                 "--discovered", "2025-09-01", "--paused", "2025-10-01/2025-10-10")
    # 90 days + 10 paused from 1/9/2025: 10/12/2025 (a Wednesday); 10 years + 10 days: 11/8/2035 (a Saturday → 13/8).
    assert result == {"limitation_ends": "2035-08-13", "decision_due": "2025-12-10", "rule_set": "172/2025/NĐ-CP"}


def test_the_command_counts_on_the_calendar_in_the_database(db):
    # Discovered 1/11/2024, 90 days → 30/1/2025 in the Tết break → 3/2/2025.
    result = run("--category", "VC", "--form", "khien_trach", "--violation-ended", "2024-10-01",
                 "--discovered", "2024-11-01", "--complex")
    assert result["decision_due"] == "2025-03-31"  # a complex case: 150 days, a Monday
    assert run("--category", "VC", "--form", "khien_trach", "--violation-ended", "2024-10-01",
               "--discovered", "2024-11-01")["decision_due"] == "2025-02-03"


@pytest.mark.parametrize(("args", "message"), [
    (["--category", "CC", "--form", "ha_bac_luong"], "Hình thức hạ bậc lương không áp dụng cho công chức"),
    (["--category", "VC", "--form", "bai_nhiem"], "Hình thức bãi nhiệm không áp dụng cho viên chức"),
    (["--category", "ZZ", "--form", "canh_cao"], "Ngạch 'ZZ' không hợp lệ"),
])
def test_the_command_refuses_with_a_clear_error(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, "--violation-ended", "2025-08-01", "--discovered", "2025-09-01")


def test_the_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="Ngày phát hiện '2025-02-30' không hợp lệ"):
        run("--category", "CC", "--form", "canh_cao", "--violation-ended", "2025-01-01", "--discovered", "2025-02-30")
