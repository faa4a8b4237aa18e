"""The yearly grade of cadres from their period scores, by dated rule set. Pure Python.

docs/discipline.md §6 states the rules with their legal sources; in short:
- the year's score is the average of the period (month or quarter) scores, rounded to 2 decimals;
- bands: ≥ 90 excellent, ≥ 70 good, ≥ 50 completed, below not completed;
- fewer than 6 months scored in the year: not graded;
- a sanction decided in the year caps the grade at "not completed"; a unit head is not graded above the
  unit where the rule set says so;
- "excellent" at most 20 % of those graded good or better in the agency (25 % when the unit itself is
  graded excellent, from 2026): when the quota binds, the recorded choice, else the highest scores, keep it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from phucvu.core.exceptions import InvalidInput

EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED, NOT_GRADED = "excellent", "good", "completed", "not_completed", "not_graded"
ORDER = {NOT_GRADED: -1, NOT_COMPLETED: 0, COMPLETED: 1, GOOD: 2, EXCELLENT: 3}
GENERAL_MAX, RESULTS_MAX = Decimal(30), Decimal(70)

# Reasons a grade is lower than the score's band (`capped_by`).
SANCTION, UNIT, QUOTA, UNDER_6_MONTHS = "sanction", "unit", "quota", "under_6_months"


@dataclass(frozen=True)
class EvaluationRuleSet:
    """One dated row: how a category of staff is graded for the years it covers."""

    code: str
    category: str
    first_year: int
    last_year: int | None
    by_points: bool  # points decide (335/2025, 233/2026); under 90/2020 criteria decide, the bands only propose
    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(70)
    completed_min: Decimal = Decimal(50)
    quota: Decimal = Decimal("0.20")
    quota_unit_excellent: Decimal = Decimal("0.20")
    min_months: int = 6
    head_capped_by_unit: bool = False
    # The yearly procedure ends before this day of the year graded (month, day), a dated setting per text
    # (docs/discipline.md §6.8); `deadline_confirmed` False: not yet checked against the text itself.
    deadline: tuple[int, int] = (12, 15)
    deadline_confirmed: bool = True
    # A leader's result points (docs/discipline.md §6.3): the weights of their own items' share, the unit's
    # results and the organising capacity, averaged over the parts that exist. Equal weights are our reading,
    # not a text's (`leader_weights_confirmed` False): a rule set that fixes them changes this row only.
    leader_weights: tuple[Decimal, Decimal, Decimal] = (Decimal(1), Decimal(1), Decimal(1))
    leader_weights_confirmed: bool = False

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def band(self, score: Decimal) -> str:
        if score >= self.excellent_min:
            return EXCELLENT
        if score >= self.good_min:
            return GOOD
        if score >= self.completed_min:
            return COMPLETED
        return NOT_COMPLETED


_25 = Decimal("0.25")
EVALUATION_RULE_SETS: tuple[EvaluationRuleSet, ...] = (
    EvaluationRuleSet("90/2020/NĐ-CP", "CB", 2020, None, by_points=False),
    EvaluationRuleSet("90/2020/NĐ-CP", "CC", 2020, 2025, by_points=False),
    EvaluationRuleSet("335/2025/NĐ-CP", "CC", 2026, None, by_points=True, quota_unit_excellent=_25,
                      head_capped_by_unit=True),
    EvaluationRuleSet("90/2020/NĐ-CP", "VC", 2020, 2025, by_points=False),
    # Decree 233/2026 is in force from 1/7/2026: the grading of 2026, decided at the end of the year, is its.
    # Its yearly deadline (5 or 15 December depending on the unit) is not confirmed: 15/12 until it is.
    EvaluationRuleSet("233/2026/NĐ-CP", "VC", 2026, None, by_points=True, quota_unit_excellent=_25,
                      head_capped_by_unit=True, deadline_confirmed=False),
)


def evaluation_rule_set(category: str, year: int,
                        rule_sets: Sequence[EvaluationRuleSet] = EVALUATION_RULE_SETS) -> EvaluationRuleSet:
    for rule_set in rule_sets:
        if rule_set.category == category and rule_set.covers(year):
            return rule_set
    raise InvalidInput(f"Chưa có quy định đánh giá, xếp loại cho ngạch '{category}' năm {year} trong hệ thống.")


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    rule_sets: tuple[str, ...]  # the texts the day comes from (one per category graded that year)
    confirmed: bool


def grading_deadline(year: int, rule_sets: Sequence[EvaluationRuleSet] | None = None) -> Deadline:
    """The earliest deadline of the yearly procedure among the categories graded in `year`."""
    rule_sets = EVALUATION_RULE_SETS if rule_sets is None else rule_sets
    covering = [r for r in rule_sets if r.covers(year)]
    if not covering:
        return Deadline(dt.date(year, 12, 15), (), False)
    day = min(dt.date(year, *r.deadline) for r in covering)
    those = [r for r in covering if dt.date(year, *r.deadline) == day]
    return Deadline(day, tuple(sorted({r.code for r in those})), all(r.deadline_confirmed for r in those))


def round2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    months: int  # 1 for a month, 3 for a quarter
    total: Decimal  # general + results, 0–100


@dataclass
class Person:
    username: str
    category: str
    periods: list[Period] = field(default_factory=list)
    sanctioned: bool = False  # a sanction decided in the year
    unit_head: bool = False


@dataclass
class Graded:
    username: str
    score: Decimal | None
    band: str  # what the score alone says
    grade: str
    capped_by: str | None
    rule_set: str

    def as_json(self) -> dict:
        return {"username": self.username, "score": float(self.score) if self.score is not None else None,
                "grade": self.grade, "capped_by": self.capped_by}


@dataclass
class Grading:
    year: int
    excellent_max: int
    rate: Decimal
    binds: bool  # more were excellent by score than the quota allows
    proposed: list[str]  # who the quota keeps when no choice was recorded: the highest scores
    staff: list[Graded]

    @property
    def excellent(self) -> int:
        return sum(1 for g in self.staff if g.grade == EXCELLENT)


def parse_period(text: str) -> tuple[int, str, int]:
    """`YYYY-MM` or `YYYY-Qn` → (year, "month" | "quarter", number)."""
    raw = text.strip().upper()
    try:
        year_text, rest = raw.split("-", 1)
        year = int(year_text)
        if rest.startswith("Q"):
            kind, number = "quarter", int(rest[1:])
            ok = 1 <= number <= 4 and len(rest) == 2
        else:
            kind, number = "month", int(rest)
            ok = 1 <= number <= 12 and len(rest) == 2
    except ValueError:
        ok = False
    if not ok or not 2000 <= year <= 2100 or len(year_text) != 4:
        raise InvalidInput(f"kỳ '{text}' không hợp lệ (dùng YYYY-MM, ví dụ 2026-03, hoặc YYYY-Qn, ví dụ 2026-Q1).")
    return year, kind, number


def grade_year(people: Iterable[Person], *, year: int, unit_grade: str | None = None,
               chosen: Iterable[str] | None = None,
               rule_sets: Sequence[EvaluationRuleSet] = EVALUATION_RULE_SETS) -> Grading:
    """Grade everyone of one agency for one year."""
    people = list(people)
    graded: list[Graded] = []
    for person in people:
        rule_set = evaluation_rule_set(person.category, year, rule_sets)
        months = sum(p.months for p in person.periods)
        score = round2(sum((p.total for p in person.periods), Decimal(0)) / len(person.periods)) \
            if person.periods else None
        band = rule_set.band(score) if score is not None else NOT_GRADED
        grade, capped_by = band, None
        if months < rule_set.min_months:
            grade, capped_by = NOT_GRADED, UNDER_6_MONTHS
        elif person.sanctioned:
            grade, capped_by = NOT_COMPLETED, (SANCTION if band != NOT_COMPLETED else None)
        elif (person.unit_head and rule_set.head_capped_by_unit and unit_grade in ORDER
              and ORDER[unit_grade] >= 0 and ORDER[grade] > ORDER[unit_grade]):
            grade, capped_by = unit_grade, UNIT
        graded.append(Graded(person.username, score, band, grade, capped_by, rule_set.code))

    # The higher rate when the unit itself is excellent exists only in the rule sets that provide it.
    rates = [evaluation_rule_set(c, year, rule_sets) for c in sorted({p.category for p in people})]
    rate = max((r.quota_unit_excellent if unit_grade == EXCELLENT else r.quota for r in rates),
               default=Decimal("0.20"))
    good_or_better = [g for g in graded if g.grade in (EXCELLENT, GOOD)]
    excellent_max = int((len(good_or_better) * rate).to_integral_value(rounding=ROUND_DOWN))
    excellent = sorted((g for g in graded if g.grade == EXCELLENT),
                       key=lambda g: (-(g.score or 0), g.username))
    binds = len(excellent) > excellent_max
    proposed = [g.username for g in excellent[:excellent_max]]
    if binds:
        keep = _kept(excellent, excellent_max, chosen)
        for g in excellent:
            if g.username not in keep:
                g.grade, g.capped_by = GOOD, QUOTA
    graded.sort(key=lambda g: g.username)
    return Grading(year, excellent_max, rate, binds, proposed, graded)


def _kept(excellent: list[Graded], excellent_max: int, chosen: Iterable[str] | None) -> set[str]:
    """The recorded choice (those still excellent by score, up to the quota), else the highest scores."""
    if chosen is not None:
        names = {g.username for g in excellent}
        picked = [u for u in chosen if u in names][:excellent_max]
        return set(picked)
    return {g.username for g in excellent[:excellent_max]}


def check_scores(general: Decimal, results: Decimal) -> None:
    if not Decimal(0) <= general <= GENERAL_MAX:
        raise InvalidInput(f"điểm tiêu chí chung {general} phải từ 0 đến 30.")
    if not Decimal(0) <= results <= RESULTS_MAX:
        raise InvalidInput(f"điểm kết quả nhiệm vụ {results} phải từ 0 đến 70.")


# -- the 70 result points of a period ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ResultItem:
    """One work item of a period: how much was assigned and done, to standard and on time (in units of the item,
    weighted by its conversion coefficient to a standard product)."""

    assigned: Decimal
    done: Decimal
    to_standard: Decimal
    on_time: Decimal
    failed_checks: int = 0  # quality assessments failed
    delays: int = 0  # delays recorded
    waived: bool = False  # the deductions waived: an objective cause confirmed by the competent person
    coefficient: Decimal = Decimal(1)


DEDUCTION = Decimal("0.25")


def results_points(items: Iterable[ResultItem]) -> Decimal:
    """(quantity % + quality % + progress %) ÷ 3 × 70, each share between 0 and 1, rounded to 2 decimals.

    quantity = done ÷ assigned; quality = (done to standard − 25 % of a unit per failed assessment) ÷ assigned;
    progress = (done on time − 25 % of a unit per delay) ÷ assigned; a waiver cancels an item's deductions."""
    assigned = done = standard = on_time = Decimal(0)
    for item in items:
        k = item.coefficient
        assigned += item.assigned * k
        done += min(item.done, item.assigned) * k
        deductions = Decimal(0) if item.waived else DEDUCTION
        standard += (min(item.to_standard, item.done) - deductions * item.failed_checks) * k
        on_time += (min(item.on_time, item.done) - deductions * item.delays) * k
    if assigned <= 0:
        return Decimal(0)

    def share(value: Decimal) -> Decimal:
        return min(max(value / assigned, Decimal(0)), Decimal(1))

    return round2((share(done) + share(standard) + share(on_time)) / 3 * RESULTS_MAX)


# -- a leader's result points ------------------------------------------------------------------------------------

UNIT_ALL_COMPLETED, UNIT_SOME_NOT_COMPLETED = Decimal(1), Decimal("0.5")
COMPLETED_MIN = Decimal(50)  # the band of "hoàn thành" in every rule set


def unit_results_share(subordinate_totals: Iterable[Decimal]) -> Decimal | None:
    """The unit's results for its leader: 100 % when every subordinate's period score is at "hoàn thành" or
    better, 50 % when any is below; None with no subordinate scored (docs/discipline.md §6.3)."""
    totals = list(subordinate_totals)
    if not totals:
        return None
    below = any(t < COMPLETED_MIN for t in totals)
    return UNIT_SOME_NOT_COMPLETED if below else UNIT_ALL_COMPLETED


def leader_results_points(own: Decimal | None, unit: Decimal | None, organising: Decimal | None,
                          weights: tuple[Decimal, Decimal, Decimal] | None = None) -> Decimal:
    """A leader's 70 result points: the weighted average of the shares that exist — their own items' (own
    points ÷ 70), the unit's results and the organising capacity (unit tasks on time) — × 70, rounded to
    2 decimals. `weights` is the rule set's `leader_weights` (equal unless a text says otherwise)."""
    weights = weights or (Decimal(1), Decimal(1), Decimal(1))
    parts = [(s, w) for s, w in zip((own / RESULTS_MAX if own is not None else None, unit, organising), weights,
                                    strict=True) if s is not None and w > 0]
    total = sum((w for _s, w in parts), Decimal(0))
    if not parts or total == 0:
        return Decimal(0)
    return round2(sum((s * w for s, w in parts), Decimal(0)) / total * RESULTS_MAX)
