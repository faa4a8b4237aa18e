"""Reads for the report pages, every one scoped by the visibility rule (the public page reads published totals)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from phucvu.core import indicators
from phucvu.core.exceptions import InvalidInput, NotAllowed, NotFound
from phucvu.core.localtime import today
from phucvu.core.text import fold
from phucvu.dossiers.models import OPEN_STATUSES, PAUSED_STATUSES
from phucvu.dossiers.selectors import dossier_list
from phucvu.organization.models import Agency, AgencyKind
from phucvu.organization.selectors import ensure_visible, visible_agencies
from phucvu.reports.drilldown import narrow
from phucvu.reports.engine import COMPETENT, RECEIVED, Report, build_agency_reports, build_report, next_month
from phucvu.reports.models import ALL_PROCEDURES, COUNTERS, CompetentMonthRollup, MonthRollup


def latest_activity_month() -> dt.date | None:
    """The first day of the latest month any dossier activity was rolled up for, or None on an empty system."""

    return MonthRollup.objects.aggregate(last=Max("month"))["last"]


def default_period() -> tuple[dt.date, dt.date]:
    """From the first of the year to today: what leaders read by default.

    A database whose history ended in an earlier year (an archive, the 2017 demo) opens on that year
    instead of an empty page: from its first of January to the end of its last month with activity.
    """
    t = today()
    last = latest_activity_month()
    if last is not None and last.year < t.year:
        return last.replace(month=1, day=1), next_month(last) - dt.timedelta(days=1)
    return t.replace(month=1, day=1), t


def default_public_month() -> dt.date:
    """This month, or the last month with activity when the history ended in an earlier year."""
    t = today()
    last = latest_activity_month()
    return last if last is not None and last.year < t.year else t


def period_or_default(first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    """The period asked for, its missing ends taken from `default_period()`."""
    # The default costs a query over the month rollups: read it only when a date is missing.
    if first is None or last is None:
        default_first, default_last = default_period()
        first, last = first or default_first, last or default_last
    return first, last


def root_for(user, agency_id: int | str | None = None) -> Agency | None:
    """The agency a user reports on: the one asked for (if visible), else the top of what they may see.

    None means every agency (a superuser with no choice): the engine then skips the subtree filter.
    """
    if agency_id:
        try:
            pk = int(agency_id)
        except (TypeError, ValueError) as exc:
            raise NotFound(gettext("Không có đơn vị này.")) from exc
        ensure_visible(user, pk)
        return Agency.objects.get(pk=pk)
    top = visible_agencies(user).order_by("depth", "path").first()
    if top is None:

        raise NotAllowed(gettext("Bạn chưa được giao đơn vị nào để xem báo cáo."))
    if getattr(user, "is_superuser", False) and Agency.objects.filter(parent__isnull=True).count() > 1:
        return None
    return top


def default_dim(root: Agency | None) -> str:
    """Whom a page counts a dossier under when the reader does not say: a department or an office (phòng)
    decides dossiers others receive, so for it the competent agency; for anyone else the receiving one."""
    return COMPETENT if root is not None and root.kind == AgencyKind.DEPARTMENT else RECEIVED


def report_for(user, *, date_from: dt.date, date_to: dt.date, agency_id=None, by: str | None = "agency") -> Report:
    """`by=None`: by competent agency for a department or an office (`default_dim`), else by agency."""
    root = root_for(user, agency_id)
    if by is None:
        by = "competent" if default_dim(root) == COMPETENT else "agency"
    return build_report(date_from, date_to, agency=root, by=by)


class AgencyChoice(NamedTuple):
    pk: int
    name: str
    depth: int


def agency_choices(user, *, max_depth: int = 3) -> list[AgencyChoice]:
    """Agencies a user may pick in a report form: the visible tree, a few levels down (what the list shows
    of each, without building a model per agency: a province has hundreds)."""
    qs = visible_agencies(user).order_by("path")
    top = qs.values_list("depth", flat=True).first()
    if top is None:
        return []
    return [AgencyChoice(*row) for row in qs.filter(depth__lte=top + max_depth).values_list("pk", "name", "depth")[:2000]]


@dataclass
class Dashboard:
    root: Agency | None
    date_from: dt.date
    date_to: dt.date
    by_level: list[dict]
    children: list[dict]
    total: dict
    trend: list[dict]
    late_procedures: list[dict]
    late_agencies: list[dict]
    dim: str = RECEIVED  # counted where received, or where decided (COMPETENT)


def dashboard_for(user, *, date_from: dt.date, date_to: dt.date, agency_id=None,
                  dim: str | None = None) -> Dashboard:
    """`dim`: count each dossier where it was received or where it is decided; None: `default_dim`."""
    root = root_for(user, agency_id)
    dim = dim or default_dim(root)
    by_agency, levels, own = build_agency_reports(date_from, date_to, agency=root, dim=dim)
    procedures = build_report(date_from, date_to, agency=root, by="procedure")
    # The units right under the root (the figures of those only: the subtree may hold hundreds).
    shown = [r for r in by_agency.rows if r.depth == 1] or by_agency.rows[:1]
    children = [dict(r.figures(), ref=r.ref, depth=r.depth) for r in shown]
    # Most late agencies counts each agency's own dossiers (not its subtree), so a parent does not win by size.
    late_agencies = sorted((dict(r.figures(), ref=r.ref) for r in own),
                           key=lambda f: (-f["resolved"]["late"], -f["in_progress"]["overdue"], f["key"]))
    late_procedures = sorted((dict(r.figures(), ref=r.ref) for r in procedures.rows),
                             key=lambda f: (-f["resolved"]["late"], f["key"]))
    return Dashboard(
        root=root, date_from=date_from, date_to=date_to,
        by_level=[dict(r.figures(), ref=r.ref) for r in levels.rows], children=children,
        total=by_agency.total.figures(), trend=monthly_trend(root, date_from, date_to, dim), dim=dim,
        late_procedures=[f for f in late_procedures if f["resolved"]["late"]][:10],
        late_agencies=[f for f in late_agencies if f["resolved"]["late"] or f["in_progress"]["overdue"]][:10],
    )


def figure_dossiers(user, *, figure: str, date_from: dt.date, date_to: dt.date, root: Agency | None,
                    procedure=None, field=None, level=None, query: str = "", dim: str = RECEIVED):
    """The visible dossiers behind one figure of a report over `root`'s subtree: the dossiers app's list
    (the visibility rule) narrowed by the rollups' own definitions, so the count equals the figure."""

    try:
        qs = dossier_list(user, query=query, procedure_id=int(procedure) if procedure else None)
        if field:
            qs = qs.filter(field_id=int(field))
    except ValueError as exc:
        raise InvalidInput(gettext("Bộ lọc không hợp lệ.")) from exc
    qs = narrow(qs, figure=figure, date_from=date_from, date_to=date_to)
    if root is not None and dim == COMPETENT:  # decided in the subtree (counted where received if unknown)
        qs = qs.filter(Q(competent_agency__path__startswith=root.path)
                       | Q(competent_agency__isnull=True, agency__path__startswith=root.path))
    elif root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    if level:
        qs = qs.filter(agency__level=level)
    return qs.order_by("-received_at", "-id")


DUE_SOON = dt.timedelta(days=2)


def due_soon(user, *, root: Agency | None, now: dt.datetime | None = None, limit: int = 15) -> list:
    """Open dossiers (clock running, not paused) received in `root`'s subtree whose appointment falls within
    the next two days, soonest first: the dossiers app's visible list, so the visibility rule applies."""

    now = now or timezone.now()
    qs = dossier_list(user).filter(status__in=OPEN_STATUSES, due_at__gt=now, due_at__lte=now + DUE_SOON).exclude(
        status__in=PAUSED_STATUSES)
    if root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    return list(qs.order_by("due_at", "id")[:limit])


def monthly_trend(root: Agency | None, date_from: dt.date, date_to: dt.date, dim: str = RECEIVED) -> list[dict]:
    """Received and resolved per month over the months the period touches (month rows: one query)."""
    cols = ", ".join(f"SUM({c})" for c in COUNTERS)
    table = (CompetentMonthRollup if dim == COMPETENT else MonthRollup)._meta.db_table
    sql = (f"SELECT month, {cols} FROM {table} WHERE procedure_id = %s "
           "AND month BETWEEN %s AND %s")
    params: list = [ALL_PROCEDURES, date_from.replace(day=1), date_to.replace(day=1)]
    if root is not None and root.parent_id is not None:
        sql += f" AND agency_id IN (SELECT id FROM {Agency._meta.db_table} WHERE path LIKE %s)"
        params.append(root.path + "%")
    sql += " GROUP BY month ORDER BY month"
    i = {c: n for n, c in enumerate(COUNTERS)}
    out = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for month, *v in cursor.fetchall():
            month = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month))
            resolved = v[i["resolved_early"]] + v[i["resolved_on_time"]] + v[i["resolved_late"]]
            out.append({"month": f"{month:%m/%Y}", "received": v[i["received_online"]] + v[i["received_direct"]],
                        "resolved": resolved, "late": v[i["resolved_late"]],
                        "on_time_rate": None if not resolved else round(1 - v[i["resolved_late"]] / resolved, 4)})
    return out


# Decision 766/QĐ-TTg groups (points) and why a part is or is not computed from this system's data.
INDEX766_GROUPS = [
    ("disclosure", gettext_lazy("Công khai, minh bạch"), 18, None,
     gettext_lazy("Cần kết quả rà soát việc công khai TTHC trên Cổng dịch vụ công; hệ thống này không có dữ liệu đó.")),
    ("progress", gettext_lazy("Tiến độ giải quyết"), 20, "progress", ""),
    ("online_service", gettext_lazy("Dịch vụ công trực tuyến"), 12, "online", ""),
    ("online_payment", gettext_lazy("Thanh toán trực tuyến"), 10, None,
     gettext_lazy("Cần dữ liệu thanh toán trực tuyến (phí, lệ phí qua cổng thanh toán); hệ thống chưa ghi nhận.")),
    ("satisfaction", gettext_lazy("Mức độ hài lòng"), 18, "satisfaction",
     gettext_lazy("Điểm chính thức lấy từ đánh giá của người dân trên Cổng dịch vụ công quốc gia; ở đây tính 9 tiêu chí "
                  "từ dữ liệu hồ sơ, đánh giá và phản ánh (trang Chỉ số hài lòng).")),
    ("digitisation", gettext_lazy("Số hóa hồ sơ"), 22, None,
     gettext_lazy("Cần dữ liệu số hóa hồ sơ, kết quả và tái sử dụng dữ liệu; công thức chính thức không công bố ở dạng tính được.")),
]


def index766_for(user, *, date_from: dt.date, date_to: dt.date, agency_id=None) -> dict:
    """Progress and the dossier part of online service per agency, the rest marked not computable (docs/domain.md §12)."""
    report = report_for(user, date_from=date_from, date_to=date_to, agency_id=agency_id)
    rows = []
    for row in report.rows[:500]:
        f = row.figures()
        rows.append({"row": f, "depth": row.depth, "ref": row.ref, **index766_parts(f)})
    total = report.total.figures()
    # The satisfaction group from the portal's 9 indicators, through a registry (reports does not import it).
    satisfaction = indicators.compute("satisfaction_766", user=user, date_from=date_from, date_to=date_to,
                                      agency_id=agency_id)
    return {"report": report, "rows": rows, "total": {"row": total, **index766_parts(total)},
            "groups": INDEX766_GROUPS, "satisfaction": satisfaction}


def index766_parts(f: dict) -> dict:
    """progress = rate × 20; online service (dossier part) = 6 if ≥ 50% of the period's dossiers came online, else 3.

    The procedure parts of online service (2 or 1.6 for ≥ 80% of procedures online, 4 × share of online
    procedures used) need the catalog's online levels and are shown as not computed.
    """
    progress = None if f["progress_rate"] is None else round(f["progress_rate"] * 20, 2)
    received = f["received"]["online"] + f["received"]["direct"]
    online_share = None if received == 0 else f["received"]["online"] / received
    online_part = None if online_share is None else (6.0 if online_share >= 0.5 else 3.0)
    return {"progress": progress, "online_share": online_share, "online_part": online_part}


def public_rows(*, month: dt.date, query: str = "") -> list[dict]:
    """Per agency: received, resolved, on-time rate for the month and for the year to the month's end.

    Public data: totals only, no dossier, no person. The whole tree, as published by the province.
    """

    month_start = month.replace(day=1)
    month_end = next_month(month_start) - dt.timedelta(days=1)
    last = min(month_end, today()) if month_start <= today() else month_end
    m = build_report(month_start, last, by="agency")
    y = build_report(month_start.replace(month=1), last, by="agency")
    key = fold(query)
    out = []
    for rm, ry in zip(m.rows, y.rows):
        if key and key not in fold(f"{rm.name} {rm.key}"):
            continue
        fm, fy = rm.figures(), ry.figures()
        out.append({"key": fm["key"], "name": fm["name"], "depth": rm.depth,
                    "month": {"received": fm["received"]["online"] + fm["received"]["direct"],
                              "resolved": fm["resolved"]["total"], "on_time_rate": fm["on_time_rate"]},
                    "year": {"received": fy["received"]["online"] + fy["received"]["direct"],
                             "resolved": fy["resolved"]["total"], "on_time_rate": fy["on_time_rate"]}})
    return out
