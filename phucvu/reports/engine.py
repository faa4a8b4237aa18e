"""The report engine: the figures of docs/domain.md §11 for a period of whole local days and an agency subtree.

It reads rollups only. Flows over [from, to] are sums of day and month rows inside the period; stocks at
the end of a day are sums of deltas over every earlier row. So a report is: the stocks at the end of
`from − 1` (carried over) plus the period's rows — one SQL statement of at most five `GROUP BY` parts,
whatever the number of dossiers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.utils.translation import gettext

from phucvu.core.exceptions import InvalidInput
from phucvu.organization.models import PATH_STEP, Agency, Level
from phucvu.reports.models import (
    ALL_PROCEDURES,
    COUNTERS,
    CompetentDayRollup,
    CompetentMonthRollup,
    DayRollup,
    MonthRollup,
)

BY_CHOICES = ("agency", "competent", "field", "level", "procedure")
# Which agency a dossier is counted under: the one that received it (the rollups) or the one that decides
# it (`Dossier.competent_agency`, the Competent* rollups; docs/reports.md "Who did the work").
RECEIVED, COMPETENT = "received", "competent"
EPOCH = dt.date(1900, 1, 1)
N = len(COUNTERS)
_I = {name: i for i, name in enumerate(COUNTERS)}


@dataclass
class Row:
    key: str
    name: str
    carried: list[int] = field(default_factory=lambda: [0] * N)  # stocks at the end of from − 1
    period: list[int] = field(default_factory=lambda: [0] * N)  # flows and stock deltas inside [from, to]
    depth: int = 0  # for indenting agency rows
    ref: int | str | None = None  # agency / field / procedure id, or the level: what a drill-down filters on

    def add(self, other: Row) -> None:
        for i in range(N):
            self.carried[i] += other.carried[i]
            self.period[i] += other.period[i]

    def _p(self, name: str) -> int:
        return self.period[_I[name]]

    def figures(self) -> dict:
        carried = self.carried[_I["open_delta"]]
        online, direct = self._p("received_online"), self._p("received_direct")
        early, on_time, late = self._p("resolved_early"), self._p("resolved_on_time"), self._p("resolved_late")
        resolved = early + on_time + late
        in_progress = carried + self._p("open_delta")
        within = self.carried[_I["within_delta"]] + self._p("within_delta")
        paused = self.carried[_I["paused_delta"]] + self._p("paused_delta")
        return {
            "key": self.key,
            "name": self.name,
            "received": {"total": online + direct + carried, "online": online, "direct": direct,
                         "carried_over": carried},
            "resolved": {"total": resolved, "early": early, "on_time": on_time, "late": late},
            "in_progress": {"total": in_progress, "within": within, "overdue": in_progress - within,
                            "paused": paused},
            "withdrawn": self._p("withdrawn"),
            "stopped": self._p("stopped"),
            "on_time_rate": _rate(early + on_time, resolved),
            "progress_rate": _rate(early + on_time + within, resolved + in_progress),
        }


def _rate(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else round(numerator / denominator, 6)


@dataclass
class Report:
    date_from: dt.date
    date_to: dt.date
    by: str
    agency: Agency | None
    rows: list[Row]
    total: Row

    def as_json(self) -> dict:
        """The stable contract (docs/reports.md)."""
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "by": self.by,
            "rows": [r.figures() for r in self.rows],
            "total": self.total.figures(),
        }


def _month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def next_month(d: dt.date) -> dt.date:
    """The first day of the month after `d`'s."""
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def split_range(lo: dt.date, hi: dt.date) -> tuple[list[tuple[dt.date, dt.date]], tuple[dt.date, dt.date] | None]:
    """[lo, hi] as day ranges at the ragged ends plus one range of whole months (first days), or None."""
    if hi < lo:
        return [], None
    first_full = lo if lo.day == 1 else next_month(lo)
    after_last_full = _month_start(hi) if next_month(hi) - dt.timedelta(days=1) != hi else next_month(hi)
    if first_full >= after_last_full:
        return [(lo, hi)], None
    days = []
    if lo < first_full:
        days.append((lo, first_full - dt.timedelta(days=1)))
    if after_last_full <= hi:
        days.append((after_last_full, hi))
    last_month = _month_start(after_last_full - dt.timedelta(days=1))
    return days, (first_full, last_month)


def _sql_parts(lo: dt.date, hi: dt.date, tag: int, group: str, where: str, params: list,
               dim: str = RECEIVED) -> tuple[list[str], list]:
    sums = ", ".join(f"SUM({c})" for c in COUNTERS)
    day_table, month_table = ((CompetentDayRollup, CompetentMonthRollup) if dim == COMPETENT
                              else (DayRollup, MonthRollup))
    day_ranges, months = split_range(lo, hi)
    parts, out_params = [], []
    for a, b in day_ranges:
        parts.append(f"SELECT {tag}, {group}, {sums} FROM {day_table._meta.db_table} "
                     f"WHERE {where} AND day BETWEEN %s AND %s GROUP BY {group}")
        out_params += [*params, a, b]
    if months:
        parts.append(f"SELECT {tag}, {group}, {sums} FROM {month_table._meta.db_table} "
                     f"WHERE {where} AND month BETWEEN %s AND %s GROUP BY {group}")
        out_params += [*params, months[0], months[1]]
    return parts, out_params


def sums(date_from: dt.date, date_to: dt.date, *, group: str, agency: Agency | None,
         dim: str = RECEIVED) -> dict[int, Row]:
    """{group value: Row} with the carried stocks and the period's sums. `group` is a rollup column; `dim`
    counts a dossier under the agency that received it or (`COMPETENT`, by agency only) that decides it."""
    if dim == COMPETENT and group != "agency_id":
        raise ValueError("the competent rollups are kept by agency only")
    if group == "agency_id":
        where, params = "procedure_id = %s", [ALL_PROCEDURES]
    else:
        where, params = "procedure_id <> %s", [ALL_PROCEDURES]
    if agency is not None and agency.parent_id is not None:
        where += f" AND agency_id IN (SELECT id FROM {Agency._meta.db_table} WHERE path LIKE %s)"
        params.append(agency.path + "%")
    parts_before, p_before = _sql_parts(EPOCH, date_from - dt.timedelta(days=1), 0, group, where, params, dim)
    parts_in, p_in = _sql_parts(date_from, date_to, 1, group, where, params, dim)
    out: dict[int, Row] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts_before + parts_in), p_before + p_in)
        for tag, key, *values in cursor.fetchall():
            row = out.setdefault(key, Row(key=str(key), name=""))
            target = row.carried if tag == 0 else row.period
            for i, v in enumerate(values):
                target[i] += int(v or 0)
    return out


def check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise InvalidInput("Ngày kết thúc kỳ báo cáo phải sau hoặc bằng ngày bắt đầu.")
    if date_from <= EPOCH:
        raise InvalidInput("Kỳ báo cáo bắt đầu quá sớm.")


LEVEL_ORDER = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]


def build_report(date_from: dt.date, date_to: dt.date, *, agency: Agency | None = None,
                 by: str = "agency") -> Report:
    """The report for [date_from, date_to] over `agency`'s subtree (None: every agency)."""
    check_period(date_from, date_to)
    if by not in BY_CHOICES:
        raise InvalidInput(f"Không nhóm được theo '{by}': chọn một trong {', '.join(BY_CHOICES)}.")
    if by in ("agency", "competent", "level"):
        agencies, own, total = _agency_sums(date_from, date_to, agency, COMPETENT if by == "competent" else RECEIVED)
        rows = _level_rows(agencies, own) if by == "level" else _agency_rows(agencies, own)
    else:
        total = _total_row(agency)
        column = "field_id" if by == "field" else "procedure_id"
        grouped = sums(date_from, date_to, group=column, agency=agency)
        rows = _catalog_rows(by, grouped)
        for row in rows:
            total.add(row)
    return Report(date_from=date_from, date_to=date_to, by=by, agency=agency, rows=rows, total=total)


def build_agency_reports(date_from: dt.date, date_to: dt.date, *, agency: Agency | None = None,
                         dim: str = RECEIVED) -> tuple[Report, Report, list[Row]]:
    """The by-agency and by-level reports plus each agency's own row (its own dossiers, not its subtree's),
    from one `sums` call and one load of the subtree: the dashboard reads all three. `dim`: counted where
    received, or where decided (`COMPETENT`)."""
    check_period(date_from, date_to)
    agencies, own, total = _agency_sums(date_from, date_to, agency, dim)
    level_total = Row(key=total.key, name=total.name, carried=list(total.carried), period=list(total.period))
    own_rows = []
    by_pk = {a.pk: a for a in agencies}
    for key, row in own.items():
        a = by_pk.get(key)
        if a is not None:
            own_rows.append(Row(key=a.code, name=a.name, carried=row.carried, period=row.period, ref=key))
    return (Report(date_from=date_from, date_to=date_to, by="competent" if dim == COMPETENT else "agency", agency=agency,
                   rows=_agency_rows(agencies, own), total=total),
            Report(date_from=date_from, date_to=date_to, by="level", agency=agency,
                   rows=_level_rows(agencies, own), total=level_total),
            own_rows)


def _total_row(agency: Agency | None) -> Row:
    return Row(key=agency.code if agency else "", name=agency.name if agency else gettext("Tổng cộng"))


def _agency_sums(date_from: dt.date, date_to: dt.date, agency: Agency | None,
                 dim: str = RECEIVED) -> tuple[list[Agency], dict[int, Row], Row]:
    """The subtree in tree order, each agency's own sums, and the subtree's total."""
    agencies = list((Agency.objects.filter(path__startswith=agency.path) if agency else Agency.objects.all())
                    .only("id", "code", "name", "path", "depth", "level", "parent_id").order_by("path"))
    own = sums(date_from, date_to, group="agency_id", agency=agency, dim=dim)
    total = _total_row(agency)
    # A top-level agency's sums are not filtered by path (see `sums`): count only its own tree.
    known = {a.pk for a in agencies}
    for key, row in own.items():
        if key in known:
            total.add(row)
    return agencies, own, total


def _agency_rows(agencies: list[Agency], own: dict[int, Row]) -> list[Row]:
    """One row per agency, counting its own dossiers and every descendant's (tree order)."""
    by_path: dict[str, Row] = {}
    rows = []
    base_depth = agencies[0].depth if agencies else 0
    for a in agencies:
        row = Row(key=a.code, name=a.name, depth=a.depth - base_depth, ref=a.pk)
        by_path[a.path] = row
        rows.append(row)
    for a in agencies:
        mine = own.get(a.pk)
        if mine is None:
            continue
        for cut in range(PATH_STEP, len(a.path) + 1, PATH_STEP):
            ancestor = by_path.get(a.path[:cut])
            if ancestor is not None:
                ancestor.add(mine)
    return rows


def _level_rows(agencies: list[Agency], own: dict[int, Row]) -> list[Row]:
    labels = dict(Level.choices)
    present = {a.level for a in agencies}
    rows = {lv: Row(key=str(lv), name=str(labels[lv]), ref=str(lv)) for lv in LEVEL_ORDER if lv in present}
    for a in agencies:
        if a.pk in own and a.level in rows:
            rows[a.level].add(own[a.pk])
    return list(rows.values())


def catalog_names(by: str, ids) -> dict[int, tuple[str, str]]:
    """{id: (code, name)} of fields or procedures, from the catalog app when it is installed."""
    try:
        model = apps.get_model("catalog", "Field" if by == "field" else "Procedure")
    except LookupError:
        return {}
    return {pk: (code, name) for pk, code, name in model.objects.filter(pk__in=list(ids))
            .values_list("pk", "code", "name")}


def _catalog_rows(by: str, grouped: dict[int, Row]) -> list[Row]:
    names = catalog_names(by, [k for k in grouped if k])
    rows = []
    for key, row in grouped.items():
        code, name = names.get(key, (str(key), gettext("Chưa phân lĩnh vực") if by == "field" and not key else str(key)))
        row.key, row.name, row.ref = code, name, key
        if any(row.carried[_I[c]] for c in ("open_delta", "within_delta", "paused_delta")) or any(row.period):
            rows.append(row)
    rows.sort(key=lambda r: r.key)
    return rows
