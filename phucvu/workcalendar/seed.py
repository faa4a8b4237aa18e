"""Vietnam's dated calendar rows from the `holidays` package and the official schedules we ship.

Pure Python (no Django): the seeding command, the benchmark and the clock tests all use it.

The library gives, per year, every public holiday (Tết, Hùng Kings by the lunar calendar, 30/4, 1/5,
2/9 and its adjacent day, 1/1), the compensatory day off when a holiday falls on a weekend ("nghỉ bù"),
and the official swapped days off ("Ngày nghỉ (thay cho ngày …)"). The make-up working Saturday of each
swap is not in its holiday list; it is the second half of each entry of `VietnamStaticHolidays.
special_public_holidays`, which we read, and `data/official_days.csv` states them again with their legal
basis, so that the seed does not depend on a private table of the library.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import NamedTuple

from phucvu.workcalendar.clock import DayKind, WorkingCalendar

DATA_DIR = Path(__file__).resolve().parent / "data"
OFFICIAL_FILE = DATA_DIR / "official_days.csv"
SEED_FIRST_YEAR = 2010
SEED_LAST_YEAR = 2035


class SeedRow(NamedTuple):
    day: date
    kind: str
    name: str
    source: str  # "library" or "official"


def _is_day_off(name: str) -> bool:
    # Compensatory ("nghỉ bù") and swapped ("Ngày nghỉ (thay cho …)") days, as the library names them.
    lowered = name.lower()
    return "nghỉ bù" in lowered or lowered.startswith("ngày nghỉ")


def library_rows(first_year: int = SEED_FIRST_YEAR, last_year: int = SEED_LAST_YEAR) -> list[SeedRow]:
    import holidays  # noqa: PLC0415 - holidays loads every country's calendar; only seeding needs it

    years = range(first_year, last_year + 1)
    found = holidays.country_holidays("VN", years=years, language="vi")
    rows = [SeedRow(d, DayKind.DAY_OFF if _is_day_off(n) else DayKind.HOLIDAY, n, "library")
            for d, n in sorted(found.items())]
    rows.extend(_library_workdays(first_year, last_year))
    return sorted(rows)


def _library_workdays(first_year: int, last_year: int) -> list[SeedRow]:
    try:
        from holidays.countries.vietnam import VietnamStaticHolidays  # noqa: PLC0415 - holidays loads every country's calendar; only seeding needs it

        table = VietnamStaticHolidays.special_public_holidays
    except (ImportError, AttributeError):  # the private table moved: data/official_days.csv still covers
        return []
    rows = []
    for year, entries in table.items():
        for entry in (entries if isinstance(entries[0], tuple) else (entries,)):
            off = date(year, entry[0], entry[1])
            worked = date(entry[4] if len(entry) > 4 else year, entry[2], entry[3])
            if first_year <= worked.year <= last_year:
                rows.append(SeedRow(worked, DayKind.WORKDAY, f"Làm bù cho ngày nghỉ {off:%d/%m/%Y}", "library"))
    return rows


def official_rows(path: Path = OFFICIAL_FILE) -> list[SeedRow]:
    with path.open(encoding="utf-8") as handle:
        return [SeedRow(date.fromisoformat(r["date"]), DayKind(r["kind"]), r["name"], "official")
                for r in csv.DictReader(handle)]


def seed_rows(first_year: int = SEED_FIRST_YEAR, last_year: int = SEED_LAST_YEAR) -> list[SeedRow]:
    """One row per date: the official file wins over the library on the same date."""
    by_day = {r.day: r for r in library_rows(first_year, last_year)}
    for row in official_rows():
        if first_year <= row.day.year <= last_year:
            by_day[row.day] = row
    return [by_day[d] for d in sorted(by_day)]


def vietnam_calendar(first_year: int = SEED_FIRST_YEAR, last_year: int = SEED_LAST_YEAR,
                     **options) -> WorkingCalendar:
    """The national calendar straight from the seed (no database): for tests and benchmarks."""
    return WorkingCalendar(exceptions={r.day: r.kind for r in seed_rows(first_year, last_year)},
                           first_day=date(first_year, 1, 1), last_day=date(last_year, 12, 31), **options)
