"""The rules of assigned tasks (giao việc), pure Python: periods, deadlines on the working calendar and the
status of a task, computed and never typed (docs/discipline.md §7.3–7.4).

- A task is assigned for a month or a quarter; its deadline is a day. When that day is not a working day of
  the unit's calendar, the task is due at the end of the next working day (the rule the Civil Code applies to
  a period whose last day is a day off, art. 148(5)); with no deadline given, the last working day of the period.
- Status of a task with a quantity: finished (the quantity reached) before the due day → `early`, on it →
  `on_time`, after it → `late`; not finished and the due day passed → `missed`; otherwise `open`.
- A task fed by the one-stop work (the steps a clerk handled) is measured on its period: `missed` when a step
  due in the period is still unfinished after its due day, else, once the due day has passed, `late` when
  some step was finished after its own due moment and `on_time` when none was; `open` before.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from phucvu.workcalendar.clock import WorkingCalendar

MONTH, QUARTER = "month", "quarter"
OPEN, EARLY, ON_TIME, LATE, MISSED, CANCELLED = "open", "early", "on_time", "late", "missed", "cancelled"
STATUSES = (OPEN, EARLY, ON_TIME, LATE, MISSED, CANCELLED)


@dataclass(frozen=True)
class TaskPeriod:
    year: int
    kind: str  # "month" | "quarter"
    number: int  # month 1–12 or quarter 1–4

    def __post_init__(self) -> None:
        if self.kind not in (MONTH, QUARTER) or not 1 <= self.number <= (12 if self.kind == MONTH else 4):
            raise ValueError("Kỳ giao việc không hợp lệ (tháng 1–12 hoặc quý 1–4).")

    @property
    def first_day(self) -> dt.date:
        month = self.number if self.kind == MONTH else 3 * self.number - 2
        return dt.date(self.year, month, 1)

    @property
    def last_day(self) -> dt.date:
        month = self.number if self.kind == MONTH else 3 * self.number
        return dt.date(self.year, month, _calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}" if self.kind == QUARTER else f"{self.year}-{self.number:02d}"

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


def due_day(cal: WorkingCalendar, deadline: dt.date) -> dt.date:
    """The day a task given `deadline` is due: that day if it is a working day, else the next working day."""
    day = deadline
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def default_deadline(cal: WorkingCalendar, period: TaskPeriod) -> dt.date:
    """The last working day of the period (the period's last day when it has none, which no calendar does)."""
    day = period.last_day
    while day >= period.first_day and not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day if day >= period.first_day else period.last_day


def task_status(*, quantity: Decimal, done: Decimal, completed_on: dt.date | None, due_on: dt.date,
                today: dt.date, cancelled: bool = False) -> str:
    """The status of a task with a quantity (docs/discipline.md §7.4)."""
    if cancelled:
        return CANCELLED
    if done >= quantity and completed_on is not None:
        if completed_on < due_on:
            return EARLY
        return ON_TIME if completed_on == due_on else LATE
    return MISSED if today > due_on else OPEN


def fed_status(*, done: int, on_time: int, overdue: int, due_on: dt.date, today: dt.date,
               cancelled: bool = False) -> str:
    """The status of a task fed by one-stop steps: `overdue` steps are those due in the period, unfinished and
    past their due moment."""
    if cancelled:
        return CANCELLED
    if overdue and today > due_on:
        return MISSED
    if today <= due_on:
        return OPEN
    return LATE if on_time < done else ON_TIME


def completed_on(quantity: Decimal, progress: list[tuple[dt.date, Decimal]]) -> dt.date | None:
    """The day the recorded progress (day, quantity done that day) first reached the quantity."""
    total = Decimal(0)
    for day, amount in sorted(progress, key=lambda p: p[0]):
        total += amount
        if total >= quantity:
            return day
    return None


def on_time_amount(due_on: dt.date, progress: list[tuple[dt.date, Decimal]]) -> Decimal:
    """The quantity done on or before the due day."""
    return sum((amount for day, amount in progress if day <= due_on), Decimal(0))
