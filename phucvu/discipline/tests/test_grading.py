"""The yearly grade: thresholds, caps, the quota and the special cases, by rule set (docs/discipline.md §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phucvu.core.exceptions import InvalidInput
from phucvu.discipline.grading import (
    EVALUATION_RULE_SETS,
    EXCELLENT,
    GOOD,
    Period,
    Person,
    ResultItem,
    evaluation_rule_set,
    grade_year,
    grading_deadline,
    parse_period,
    results_points,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def person(name: str, score: str | float, *, months: int = 12, category: str = "CC", **extra) -> Person:
    per_month = Decimal(str(score))
    return Person(name, category, [Period(1, per_month)] * months, **extra)


def one(p: Person, year: int = 2026, **kwargs):
    return grade_year([p], year=year, **kwargs).staff[0]


@pytest.mark.parametrize(("category", "year", "code"), [
    ("CC", 2025, "90/2020/NĐ-CP"), ("CC", 2026, "335/2025/NĐ-CP"),
    ("VC", 2025, "90/2020/NĐ-CP"), ("VC", 2026, "233/2026/NĐ-CP"),
    ("CB", 2025, "90/2020/NĐ-CP"), ("CB", 2026, "90/2020/NĐ-CP"),
])
def test_rule_sets_by_category_and_year(category, year, code):
    assert evaluation_rule_set(category, year).code == code
    assert one(person("a", 80, category=category), year=year).rule_set == code


def test_the_yearly_deadline_is_a_dated_setting_of_the_rule_sets():
    """The earliest deadline of the texts grading that year, with the texts it comes from (docs/discipline.md §6.8)."""
    deadline = grading_deadline(2026)
    assert deadline.day == dt.date(2026, 12, 15) and not deadline.confirmed
    assert deadline.rule_sets == ("233/2026/NĐ-CP", "335/2025/NĐ-CP", "90/2020/NĐ-CP")
    assert grading_deadline(2024).confirmed and grading_deadline(2024).rule_sets == ("90/2020/NĐ-CP",)
    early_vc = [r if r.category != "VC" else replace(r, deadline=(12, 5)) for r in EVALUATION_RULE_SETS]
    deadline = grading_deadline(2026, early_vc)
    assert (deadline.day, deadline.rule_sets) == (dt.date(2026, 12, 5), ("233/2026/NĐ-CP",))


def test_no_rule_set_before_2020():
    with pytest.raises(InvalidInput, match="Chưa có quy định đánh giá"):
        evaluation_rule_set("CC", 2019)


@pytest.mark.parametrize(("score", "grade"), [
    (100, "excellent"), (90, "excellent"), ("89.99", "good"), (70, "good"), ("69.99", "completed"),
    (50, "completed"), ("49.99", "not_completed"), (0, "not_completed"),
])
def test_the_thresholds(score, grade):
    # One person alone: 20 % of one is 0, so an excellent score would be held by the quota; two others at
    # "good" are not enough either — check the band, then the grade where the quota does not bind.
    graded = one(person("a", score))
    assert graded.band == grade
    if grade != "excellent":
        assert graded.grade == grade and graded.capped_by is None


def test_the_score_is_the_average_of_the_periods_rounded_to_2_decimals():
    p = Person("a", "CC", [Period(3, Decimal("80")), Period(3, Decimal("85")), Period(3, Decimal("86")),
                           Period(3, Decimal("90.01"))])
    assert one(p).score == Decimal("85.25")  # 341.01 / 4 = 85.2525
    assert one(p).as_json()["score"] == 85.25
    p = Person("b", "CC", [Period(1, Decimal("70.005"))] * 6)
    assert one(p).score == Decimal("70.01")  # half up


def test_a_sanction_in_the_year_makes_it_not_completed_whatever_the_score():
    graded = one(person("a", 95, sanctioned=True))
    assert (graded.grade, graded.capped_by) == ("not_completed", "sanction")
    low = one(person("b", 40, sanctioned=True))
    assert (low.grade, low.capped_by) == ("not_completed", None)  # the score says so already


def test_a_unit_head_is_not_graded_above_the_unit():
    head = one(person("head", 85, unit_head=True), unit_grade="completed")
    assert (head.grade, head.capped_by) == ("completed", "unit")
    assert one(person("head", 85, unit_head=True), unit_grade="excellent").grade == "good"
    # Under 90/2020 (2025) the unit's grade does not cap its head.
    assert one(person("head", 85, unit_head=True), year=2025, unit_grade="completed").grade == "good"


def test_under_six_months_worked_is_not_graded():
    graded = one(person("a", 95, months=5))
    assert (graded.grade, graded.capped_by, graded.score) == ("not_graded", "under_6_months", Decimal("95.00"))
    assert one(person("b", 75, months=6)).grade == "good"  # six months are enough
    quarters = Person("c", "CC", [Period(3, Decimal(75))] * 2)
    assert one(quarters).grade == "good"
    nothing = one(Person("d", "CC", []))
    assert (nothing.grade, nothing.score, nothing.capped_by) == ("not_graded", None, "under_6_months")


def test_leave_is_graded_on_the_time_worked():
    # Seven months worked (maternity leave for five): the average of those seven.
    p = Person("a", "CC", [Period(1, Decimal(80))] * 6 + [Period(1, Decimal(87))])
    assert one(p).score == Decimal("81.00")


def _agency(excellent: int, good: int, *, year: int = 2026, category: str = "CC") -> list[Person]:
    top = [person(f"x{i:02d}", 95 - i * Decimal("0.1"), category=category) for i in range(excellent)]
    return top + [person(f"g{i:02d}", 80, category=category) for i in range(good)]


def test_the_quota_at_20_percent_keeps_the_highest_scores():
    grading = grade_year(_agency(4, 6), year=2026)  # 10 good or better → at most 2 excellent
    assert (grading.excellent_max, grading.excellent, grading.binds) == (2, 2, True)
    by_name = {g.username: g for g in grading.staff}
    assert [by_name[n].grade for n in ("x00", "x01", "x02", "x03")] == [EXCELLENT, EXCELLENT, GOOD, GOOD]
    assert by_name["x02"].capped_by == "quota" and by_name["x00"].capped_by is None
    assert grading.proposed == ["x00", "x01"]


def test_the_quota_at_25_percent_when_the_unit_is_excellent():
    assert grade_year(_agency(4, 6), year=2026, unit_grade="excellent").excellent_max == 2  # 10 × 25 % = 2.5 → 2
    grading = grade_year(_agency(4, 8), year=2026, unit_grade="excellent")  # 12 × 25 % = 3
    assert (grading.excellent_max, grading.excellent) == (3, 3)
    assert grade_year(_agency(4, 8), year=2026).excellent_max == 2  # 12 × 20 % = 2.4 → 2
    # Under 90/2020 the rate stays 20 % whatever the unit's grade.
    assert grade_year(_agency(4, 8), year=2025, unit_grade="excellent").excellent_max == 2


def test_the_quota_does_not_bind_when_few_are_excellent():
    grading = grade_year(_agency(1, 9), year=2026)
    assert (grading.excellent_max, grading.excellent, grading.binds) == (2, 1, False)


def test_a_recorded_choice_decides_who_keeps_excellent():
    grading = grade_year(_agency(4, 6), year=2026, chosen=["x03", "x02", "g00"])
    by_name = {g.username: g.grade for g in grading.staff}
    assert by_name["x02"] == by_name["x03"] == EXCELLENT and by_name["x00"] == GOOD
    assert by_name["g00"] == GOOD  # a choice cannot lift a score below the band


def test_a_capped_person_does_not_count_among_the_good():
    people = _agency(2, 8)
    people[-1].sanctioned = True  # 9 good or better left → 1 excellent
    assert grade_year(people, year=2026).excellent_max == 1


@SETTINGS
@given(scores=st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=30),
       unit=st.sampled_from([None, "excellent", "good", "completed"]), year=st.sampled_from([2025, 2026]))
def test_quota_properties(scores, unit, year):
    people = [person(f"p{i:02d}", s) for i, s in enumerate(scores)]
    grading = grade_year(people, year=year, unit_grade=unit)
    good_or_better = sum(1 for g in grading.staff if g.grade in (EXCELLENT, GOOD))
    rate = Decimal("0.25") if (unit == "excellent" and year >= 2026) else Decimal("0.20")
    assert grading.excellent <= grading.excellent_max <= good_or_better * rate
    for g in grading.staff:
        assert g.grade == g.band or g.capped_by is not None  # every lowering has its reason
        if g.grade == EXCELLENT:  # nobody lower kept "excellent" over someone higher
            assert all(o.score <= g.score or o.grade == EXCELLENT for o in grading.staff if o.band == EXCELLENT)


@pytest.mark.parametrize(("text", "parsed"), [
    ("2026-03", (2026, "month", 3)), ("2026-12", (2026, "month", 12)), ("2026-Q1", (2026, "quarter", 1)),
    ("2026-q4", (2026, "quarter", 4)),
])
def test_periods(text, parsed):
    assert parse_period(text) == parsed


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "2026-3", "26-03", "2026/03", "2026-Q", "abc"])
def test_bad_periods(text):
    with pytest.raises(InvalidInput, match="không hợp lệ"):
        parse_period(text)


# -- the 70 result points -------------------------------------------------------------------------------------

def item(assigned, done, standard, on_time, **extra):
    return ResultItem(Decimal(assigned), Decimal(done), Decimal(standard), Decimal(on_time), **extra)


def test_all_done_to_standard_and_on_time_is_70():
    assert results_points([item(10, 10, 10, 10), item(4, 4, 4, 4)]) == Decimal("70.00")


def test_quantity_quality_and_progress_each_count_a_third():
    # 8 of 10 done, 6 to standard, 4 on time → (0.8 + 0.6 + 0.4) ÷ 3 × 70 = 42.
    assert results_points([item(10, 8, 6, 4)]) == Decimal("42.00")


def test_each_failed_assessment_or_delay_takes_a_quarter_of_a_unit():
    # 4 of 4 done; 1 failed assessment → quality 3.75 / 4; 2 delays → progress 3.5 / 4.
    assert results_points([item(4, 4, 4, 4, failed_checks=1, delays=2)]) == Decimal("65.63")  # (1 + .9375 + .875) ÷ 3 × 70


def test_a_recorded_waiver_cancels_the_deductions():
    assert results_points([item(4, 4, 4, 4, failed_checks=1, delays=2, waived=True)]) == Decimal("70.00")


def test_coefficients_weight_the_items():
    # A heavy item (×3) fully done and a light one (×1) not done: 3 / 4 of everything.
    assert results_points([item(1, 1, 1, 1, coefficient=Decimal(3)), item(1, 0, 0, 0)]) == Decimal("52.50")


def test_nothing_assigned_is_zero_and_deductions_never_go_below_zero():
    assert results_points([]) == Decimal(0)
    assert results_points([item(1, 1, 0, 0, failed_checks=9, delays=9)]) == Decimal("23.33")
