"""Thin views: parse the period and agency, call a selector, render (or export)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from phucvu.core.caching import shared
from phucvu.core.exceptions import DomainError
from phucvu.core.landing import render_section
from phucvu.core.pagination import paginate
from phucvu.core.web import query_choice, query_date, query_id, query_int, query_month
from phucvu.organization.models import Level
from phucvu.reports import selectors
from phucvu.reports.drilldown import FIGURES
from phucvu.reports.engine import BY_CHOICES, COMPETENT, RECEIVED
from phucvu.reports.exports import CONTENT_TYPES, fold, form06_context
from phucvu.reports.exports import render as render_file
from phucvu.reports.links import Drill, form06_cells, mini_rows


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    return selectors.period_or_default(query_date(request.GET, "from"), query_date(request.GET, "to"))


def _error(request: HttpRequest, exc: DomainError, template: str) -> HttpResponse:
    messages.error(request, exc.message)
    return render(request, template, {"error": exc.message}, status=exc.http_status)


@login_required
def form06(request: HttpRequest) -> HttpResponse:
    """Report form 06 on screen; `?format=xlsx|pdf|csv|json` downloads the same report.

    By agency the page shows the chosen agency and the units right under it, each folded: unfolding one asks
    for its children (`?children_of=ID`, htmx, a few rows). A whole province drawn at once was 533 rows and
    1 MB of HTML; `?tree=all` still draws every row (docs/reports.md)."""
    by = request.GET.get("by") if request.GET.get("by") in BY_CHOICES else None
    children_of = None
    try:
        if by in ("agency", "competent", None):
            children_of = query_id(request.GET, "children_of")
        date_from, date_to = _period(request)
        # Without a choice: by competent agency for a department or an office (what it decided), else by
        # the receiving agency.
        report = selectors.report_for(request.user, date_from=date_from, date_to=date_to,
                                      agency_id=children_of or query_id(request.GET, "agency"), by=by)
    except DomainError as exc:
        return _error(request, exc, "reports/form06.html")
    by = report.by
    fmt = request.GET.get("format")
    if fmt in CONTENT_TYPES and not children_of:
        response = HttpResponse(render_file(report, fmt), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="bao-cao-06-{date_from}-{date_to}.{fmt}"'
        return response
    context = form06_context(report)
    root_id = (query_id(request.GET, "agency") or "") if children_of else (report.agency.pk if report.agency else "")
    filters = urlencode({"from": date_from.isoformat(), "to": date_to.isoformat(), "by": by, "agency": root_id})
    context.update({"by": by, "filters": filters, "agency_id": root_id})
    drill = Drill(report.date_from, report.date_to, root_id, by)
    if children_of:
        # The rows right under one unit, placed under its row (its depth and number come from the page).
        rows = fold(context["rows"], show_depth=1, depth=query_int(request.GET, "depth", default=0, minimum=0, maximum=50),
                    number=request.GET.get("n", "")[:40])
        context["rows"] = form06_cells(rows[1:], drill)
        return render(request, "reports/_form06_rows.html", context)
    whole_tree = by not in ("agency", "competent") or request.GET.get("tree") == "all"
    context["rows"] = form06_cells(fold(context["rows"], show_depth=None if whole_tree else 1), drill)
    context.update({"agencies": selectors.agency_choices(request.user), "by_choices": BY_CHOICES,
                    "query": request.GET.urlencode(), "whole_tree": whole_tree,
                    "folded": by in ("agency", "competent") and not whole_tree})
    return render(request, "reports/form06.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        date_from, date_to = _period(request)
        dim = request.GET.get("dim") if request.GET.get("dim") in (RECEIVED, COMPETENT) else None
        board = selectors.dashboard_for(request.user, date_from=date_from, date_to=date_to,
                                        agency_id=query_id(request.GET, "agency"), dim=dim)
    except DomainError as exc:
        return _error(request, exc, "reports/dashboard.html")
    agency_id = board.root.pk if board.root else ""
    board_by = "competent" if board.dim == COMPETENT else "agency"
    by_board, by_level, by_procedure = (Drill(board.date_from, board.date_to, agency_id, by)
                                        for by in (board_by, "level", "procedure"))
    # An agency's name opens its own board, same period and count.
    board_link = f"?from={board.date_from:%Y-%m-%d}&to={board.date_to:%Y-%m-%d}&agency={{ref}}&dim={board.dim}"
    return render(request, "reports/dashboard.html", {
        "board": board, "agencies": selectors.agency_choices(request.user),
        "agency_id": agency_id, "due_soon": selectors.due_soon(request.user, root=board.root),
        "dims": True, "dim": board.dim, "board_by": board_by,
        "by_level": mini_rows(board.by_level, by_level),
        "children": mini_rows(board.children, by_board, board_link=board_link),
        "late_procedures": mini_rows(board.late_procedures, by_procedure),
        "late_agencies": mini_rows(board.late_agencies, by_board, board_link=board_link),
    })


@login_required
def drilldown(request: HttpRequest) -> HttpResponse:
    """The list of dossiers behind one figure of a report (paginated, searchable)."""
    figure = request.GET.get("figure", "received")
    context = {"figure": figure, "figure_label": FIGURES.get(figure, figure), "page": None}
    try:
        date_from, date_to = _period(request)
        root = selectors.root_for(request.user, query_id(request.GET, "agency"))
        qs = selectors.figure_dossiers(
            request.user, figure=figure, date_from=date_from, date_to=date_to, root=root,
            procedure=query_id(request.GET, "procedure"), field=query_id(request.GET, "field"),
            level=query_choice(request.GET, "level", Level.values),
            query=request.GET.get("q", ""), dim=COMPETENT if request.GET.get("dim") == COMPETENT else RECEIVED)
    except DomainError as exc:
        return _error(request, exc, "reports/drilldown.html")
    # The search box keeps the other filters (read here: a template asking `request.GET.items` would get a
    # parameter named "items" instead).
    kept = [(key, value) for key, value in request.GET.items() if key not in ("q", "page")]
    context.update({"page": paginate(request, qs), "date_from": date_from, "date_to": date_to, "root": root,
                    "kept": kept, "q": request.GET.get("q", "")})
    return render(request, "reports/drilldown.html", context)


@login_required
def index766(request: HttpRequest) -> HttpResponse:
    try:
        date_from, date_to = _period(request)
        data = selectors.index766_for(request.user, date_from=date_from, date_to=date_to,
                                      agency_id=query_id(request.GET, "agency"))
    except DomainError as exc:
        return _error(request, exc, "reports/index766.html")
    data.update({"agencies": selectors.agency_choices(request.user), "date_from": date_from, "date_to": date_to})
    return render(request, "reports/index766.html", data)


def _public_month(request: HttpRequest) -> dt.date:
    return query_month(request.GET, "month") or selectors.default_public_month()


def public(request: HttpRequest) -> HttpResponse:
    """No login: per agency, received, resolved and on-time rate for the month and the year."""
    month = _public_month(request)
    query = request.GET.get("q", "")
    rows = shared(f"public-rows|{month}|{query}", lambda: selectors.public_rows(month=month, query=query))
    return render(request, "reports/public.html", {
        "month": month, "page": paginate(request, rows, per_page=50), "q": request.GET.get("q", ""),
        "total": rows[0] if rows and rows[0]["depth"] == 0 and not request.GET.get("q") else None,
    })


def public_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as open data (CSV, UTF-8)."""
    month = _public_month(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ma_don_vi", "ten_don_vi", "thang", "thang_tiep_nhan", "thang_da_giai_quyet",
                     "thang_ty_le_dung_han", "nam", "nam_tiep_nhan", "nam_da_giai_quyet", "nam_ty_le_dung_han"])
    for r in shared(f"public-rows|{month}|", lambda: selectors.public_rows(month=month)):
        writer.writerow([r["key"], r["name"], f"{month:%Y-%m}", r["month"]["received"], r["month"]["resolved"],
                         "" if r["month"]["on_time_rate"] is None else r["month"]["on_time_rate"], month.year,
                         r["year"]["received"], r["year"]["resolved"],
                         "" if r["year"]["on_time_rate"] is None else r["year"]["on_time_rate"]])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cong-khai-{month:%Y-%m}.csv"'
    return response


__all__ = ["form06", "dashboard", "drilldown", "index766", "public", "public_csv"]


def landing_section(request: HttpRequest) -> tuple[int, str]:
    """The public numbers' teaser on the landing page."""
    return 50, render_section("reports/_landing.html", {}, request)
