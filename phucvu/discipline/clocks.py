"""The two legal clocks of a discipline case, and the forms allowed, by dated rule set. Pure Python.

docs/discipline.md §2 and docs/discipline.md §4 state the rules with their legal sources; in short:
- the rule set is the one in force for the person's category on the day the violation was discovered
  (a case finishes under the text it started under); for the limitation, a violation that ended while an
  earlier text was in force keeps that text's period when it is shorter (the more favourable one);
- limitation (thời hiệu) runs from the end of the violation, a number of years depending on whether the
  violation is at the level of a reprimand (khiển trách) or heavier;
- handling time limit (thời hạn xử lý) runs from discovery: 90 days, 150 for a complex case (older texts:
  2 months, 4 for a complex case);
- counting as the Civil Code does (arts. 147–148): the first day is not counted; a period in days ends at
  the end of its last day, in months or years on the corresponding day (the month's last day when there is
  none); a period whose last day is a day off ends on the next working day;
- a paused interval (FROM and TO both included) counts in neither clock: the period is extended by the
  paused days that fall inside it.

Nothing here reads the database: the working calendar comes in as `is_working_day`.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from phucvu.core.exceptions import InvalidInput

# The forms of discipline, by the slugs of the command line, with their Vietnamese names.
FORMS: dict[str, str] = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
    "bai_nhiem": "bãi nhiệm",
}
# The lightest form: a violation "at the level of a reprimand" has the short limitation period.
MINOR_FORM = "khien_trach"

CATEGORIES: dict[str, str] = {"CB": "cán bộ", "CC": "công chức", "VC": "viên chức"}

_OLD_CB = frozenset({"khien_trach", "canh_cao", "cach_chuc", "bai_nhiem"})
_OLD_CC = frozenset({"khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec"})
_VC = frozenset({"khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec"})
_NEW_CC = frozenset({"khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec"})


@dataclass(frozen=True)
class Period:
    """A length of time as the law states it: so many years, months or days."""

    amount: int
    unit: str  # "years", "months" or "days"

    def label(self) -> str:
        return f"{self.amount} " + {"years": "năm", "months": "tháng", "days": "ngày"}[self.unit]


@dataclass(frozen=True)
class DisciplineRuleSet:
    """One dated row: the text that governs discipline of one category of staff over a span of dates."""

    code: str  # the legal text, as the JSON output names it ("172/2025/NĐ-CP")
    category: str  # CB, CC or VC
    valid_from: dt.date
    valid_to: dt.date | None  # first day it no longer applies; None while in force
    forms: frozenset[str]
    limitation_minor: Period  # violations at the level of a reprimand
    limitation_major: Period  # heavier violations
    handling: Period  # discovery → decision
    handling_complex: Period
    # Months the next regular salary step is delayed, per form; a form missing ends the service (no step).
    salary_delay: tuple[tuple[str, int], ...] = ()

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def limitation(self, form: str) -> Period:
        return self.limitation_minor if form == MINOR_FORM else self.limitation_major


_Y2, _Y5, _Y10, _M24 = Period(2, "years"), Period(5, "years"), Period(10, "years"), Period(24, "months")
_D90, _D150, _M2, _M4 = Period(90, "days"), Period(150, "days"), Period(2, "months"), Period(4, "months")
_LAW_2019 = dt.date(2020, 7, 1)  # Law 52/2019/QH14 (limitation 2/5 years, 90/150 days), detailed by D112/2020
_LAW_80_2025 = dt.date(2025, 7, 1)  # Law 80/2025/QH15 on cadres and civil servants, Decree 172/2025
_VC_2026 = dt.date(2026, 7, 1)  # Decree 234/2026 on public employees

# Months a sanction delays the next regular salary step (docs/discipline.md §4.5), Circular 08/2013/TT-BNV
# art. 2: cán bộ and công chức 6 months for khiển trách or cảnh cáo, 12 for the heavier forms that keep the
# person in service; viên chức 3 for khiển trách, 6 for cảnh cáo, 12 for cách chức. Only the forms the rule set
# has. The texts of 2025–2026 keep a delay whose values were not confirmed: their rows carry the same values,
# a dated setting to check.
_DELAY_CB = (("khien_trach", 6), ("canh_cao", 6), ("cach_chuc", 12))
_DELAY_OLD_CC = (("khien_trach", 6), ("canh_cao", 6), ("ha_bac_luong", 12), ("giang_chuc", 12), ("cach_chuc", 12))
_DELAY_NEW_CC = (("khien_trach", 6), ("canh_cao", 6), ("cach_chuc", 12))
_DELAY_VC = (("khien_trach", 3), ("canh_cao", 6), ("cach_chuc", 12))

RULE_SETS: tuple[DisciplineRuleSet, ...] = (
    DisciplineRuleSet("22/2008/QH12", "CB", dt.date(2010, 1, 1), _LAW_2019, _OLD_CB, _M24, _M24, _M2, _M4, _DELAY_CB),
    DisciplineRuleSet("34/2011/NĐ-CP", "CC", dt.date(2010, 1, 1), _LAW_2019, _OLD_CC, _M24, _M24, _M2, _M4,
                      _DELAY_OLD_CC),
    DisciplineRuleSet("27/2012/NĐ-CP", "VC", dt.date(2012, 1, 1), _LAW_2019, _VC, _M24, _M24, _M2, _M4, _DELAY_VC),
    DisciplineRuleSet("112/2020/NĐ-CP", "CB", _LAW_2019, _LAW_80_2025, _OLD_CB, _Y2, _Y5, _D90, _D150, _DELAY_CB),
    DisciplineRuleSet("112/2020/NĐ-CP", "CC", _LAW_2019, _LAW_80_2025, _OLD_CC, _Y2, _Y5, _D90, _D150, _DELAY_OLD_CC),
    DisciplineRuleSet("112/2020/NĐ-CP", "VC", _LAW_2019, _VC_2026, _VC, _Y2, _Y5, _D90, _D150, _DELAY_VC),
    DisciplineRuleSet("172/2025/NĐ-CP", "CB", _LAW_80_2025, None, _OLD_CB, _Y5, _Y10, _D90, _D150, _DELAY_CB),
    DisciplineRuleSet("172/2025/NĐ-CP", "CC", _LAW_80_2025, None, _NEW_CC, _Y5, _Y10, _D90, _D150, _DELAY_NEW_CC),
    DisciplineRuleSet("234/2026/NĐ-CP", "VC", _VC_2026, None, _VC, _Y5, _Y10, _D90, _D150, _DELAY_VC),
)

def salary_delay_months(category: str, form: str, on: dt.date,
                        rule_sets: Sequence[DisciplineRuleSet] = RULE_SETS) -> int | None:
    """Months the next salary step is delayed by a sanction decided on `on`, under the latest rule set in force
    by then that has the form (a case begun under an older text may end in one of its forms after it changed);
    None when the form ends the service (buộc thôi việc, bãi nhiệm) or no rule set has it."""
    for rule_set in sorted((r for r in rule_sets if r.category == category and r.valid_from <= on),
                           key=lambda r: r.valid_from, reverse=True):
        if form in rule_set.forms:
            return dict(rule_set.salary_delay).get(form)
    return None


# Forms that take away a post: only for a công chức or viên chức who holds one (a leader or manager).
POST_FORMS = frozenset({"giang_chuc", "cach_chuc"})


@dataclass(frozen=True)
class Clocks:
    limitation_ends: dt.date
    decision_due: dt.date
    rule_set: DisciplineRuleSet
    limitation_rule_set: DisciplineRuleSet  # the text whose limitation period applied (the more favourable)

    def as_json(self) -> dict[str, str]:
        return {"limitation_ends": self.limitation_ends.isoformat(), "decision_due": self.decision_due.isoformat(),
                "rule_set": self.rule_set.code}


def _fmt(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def rule_set_for(category: str, on: dt.date, rule_sets: Sequence[DisciplineRuleSet] = RULE_SETS) -> DisciplineRuleSet:
    """The rule set in force for `category` on `on`; a clear refusal when there is none."""
    if category not in CATEGORIES:
        raise InvalidInput(f"Ngạch '{category}' không hợp lệ: dùng CB (cán bộ), CC (công chức) hoặc VC (viên chức).")
    for rule_set in rule_sets:
        if rule_set.category == category and rule_set.applies_on(on):
            return rule_set
    raise InvalidInput(f"Chưa có quy định kỷ luật {CATEGORIES[category]} áp dụng cho ngày {_fmt(on)} trong hệ thống.")


def forms_allowed(category: str, on: dt.date, rule_sets: Sequence[DisciplineRuleSet] = RULE_SETS) -> list[str]:
    """The forms allowed for the category on that date, lightest first."""
    allowed = rule_set_for(category, on, rule_sets).forms
    return [form for form in FORMS if form in allowed]


def check_form(category: str, form: str, on: dt.date,
               rule_sets: Sequence[DisciplineRuleSet] = RULE_SETS) -> DisciplineRuleSet:
    """The rule set of that date, or a refusal naming the forms that date allows."""
    if form not in FORMS:
        raise InvalidInput(f"Hình thức kỷ luật '{form}' không hợp lệ: dùng một trong {', '.join(FORMS)}.")
    rule_set = rule_set_for(category, on, rule_sets)
    if form not in rule_set.forms:
        allowed = ", ".join(FORMS[f] for f in FORMS if f in rule_set.forms)
        raise InvalidInput(
            f"Hình thức {FORMS[form]} không áp dụng cho {CATEGORIES[category]} vào ngày {_fmt(on)} "
            f"(theo {rule_set.code}: {allowed}).")
    return rule_set


# -- counting (Civil Code 2015, arts. 147–148) --------------------------------------------------------------

def add_period(start: dt.date, period: Period) -> dt.date:
    """The last day of a period counted from the day after `start` (the first day is not counted)."""
    if period.unit == "days":
        return start + dt.timedelta(days=period.amount)
    months = period.amount * (12 if period.unit == "years" else 1)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    # The corresponding day; a month without it (29/2, 31/4…) ends on its last day.
    return dt.date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


def merge_pauses(pauses: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Overlapping or adjacent intervals joined, so that a day paused twice counts once."""
    merged: list[tuple[dt.date, dt.date]] = []
    for first, last in sorted(pauses):
        if first > last:
            raise InvalidInput(f"Khoảng tạm dừng {_fmt(first)}/{_fmt(last)}: ngày đầu sau ngày cuối.")
        if merged and first <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _paused_days(merged: list[tuple[dt.date, dt.date]], after: dt.date, through: dt.date) -> int:
    """Paused days in (after, through]."""
    total = 0
    for first, last in merged:
        lo, hi = max(first, after + dt.timedelta(days=1)), min(last, through)
        if lo <= hi:
            total += (hi - lo).days + 1
    return total


def period_end(start: dt.date, period: Period, *, pauses: Iterable[tuple[dt.date, dt.date]] = (),
               is_working_day: Callable[[dt.date], bool]) -> dt.date:
    """The day a period counted from `start` ends: paused days extend it, a day off moves it to the next
    working day."""
    merged = merge_pauses(pauses)
    base = add_period(start, period)
    end = base
    while True:  # each extension may reach into a further pause: extend until nothing new is met
        extended = base + dt.timedelta(days=_paused_days(merged, start, end))
        if extended == end:
            break
        end = extended
    for _ in range(366):
        if is_working_day(end):
            return end
        end += dt.timedelta(days=1)
    raise InvalidInput(f"Không tìm thấy ngày làm việc nào sau {_fmt(end)} trong lịch.")


def compute_clocks(*, category: str, form: str, violation_ended: dt.date, discovered: dt.date,
                   complex_case: bool = False, pauses: Iterable[tuple[dt.date, dt.date]] = (),
                   is_working_day: Callable[[dt.date], bool],
                   rule_sets: Sequence[DisciplineRuleSet] = RULE_SETS) -> Clocks:
    """Both clocks of a case. Refuses a form the category does not have on the discovery date."""
    if discovered < violation_ended:
        raise InvalidInput(f"Ngày phát hiện {_fmt(discovered)} trước ngày kết thúc vi phạm {_fmt(violation_ended)}.")
    pauses = merge_pauses(pauses)
    rule_set = check_form(category, form, discovered, rule_sets)
    # The limitation: the handling text's period, or that of a text in force since the violation ended when
    # it is shorter (the more favourable to the person).
    candidates = [r for r in rule_sets if r.category == category and r.valid_from <= discovered
                  and (r.valid_to is None or r.valid_to > violation_ended)]
    ends = [(period_end(violation_ended, r.limitation(form), pauses=pauses, is_working_day=is_working_day), r)
            for r in candidates]
    limitation_ends, limitation_rule_set = min(ends, key=lambda pair: (pair[0], pair[1] is not rule_set))
    handling = rule_set.handling_complex if complex_case else rule_set.handling
    decision_due = period_end(discovered, handling, pauses=pauses, is_working_day=is_working_day)
    return Clocks(limitation_ends, decision_due, rule_set, limitation_rule_set)


def parse_day(text: str, what: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} '{text}' không hợp lệ: dùng dạng YYYY-MM-DD.") from None
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise InvalidInput(f"{what} {_fmt(day)} nằm ngoài khoảng 2000–2100.")
    return day


def parse_pause(text: str) -> tuple[dt.date, dt.date]:
    """FROM/TO, both days included."""
    parts = text.split("/")
    if len(parts) != 2:
        raise InvalidInput(f"Khoảng tạm dừng '{text}' không hợp lệ: dùng dạng YYYY-MM-DD/YYYY-MM-DD.")
    first, last = parse_day(parts[0], "Ngày bắt đầu tạm dừng"), parse_day(parts[1], "Ngày kết thúc tạm dừng")
    if first > last:
        raise InvalidInput(f"Khoảng tạm dừng '{text}': ngày bắt đầu sau ngày kết thúc.")
    return first, last
