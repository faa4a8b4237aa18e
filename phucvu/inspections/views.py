from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from phucvu.core.pagination import paginate
from phucvu.core.web import query_choice, query_date
from phucvu.inspections import exports, selectors
from phucvu.inspections.models import Kind


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = query_choice(request.GET, "kind", Kind.values)
    page = paginate(request, selectors.inspection_list(user=request.user, query=query, kind=kind))
    context = {"page": page, "q": query, "kind": kind, "kinds": Kind.choices}
    template = "inspections/_rows.html" if request.htmx else "inspections/inspection_list.html"
    return render(request, template, context)


@login_required
def inspection_counts(request: HttpRequest) -> HttpResponse:
    """Inspections per organising or inspected agency and kind, in a period; `format=xlsx|csv|json` exports."""
    year = selectors.latest_year(user=request.user) or timezone.localdate().year
    date_from = query_date(request.GET, "from", default=dt.date(year, 1, 1))
    date_to = query_date(request.GET, "to", default=dt.date(year, 12, 31))
    by = query_choice(request.GET, "by", selectors.COUNT_BY, default="organizer")
    kind = query_choice(request.GET, "kind", Kind.values)
    fmt = query_choice(request.GET, "format", exports.FORMATS)
    assert date_from is not None and date_to is not None
    table = selectors.counts_table(date_from=date_from, date_to=date_to, by=by, kind=kind, user=request.user)
    if fmt:
        payload = exports.render(table, fmt, date_from=date_from, date_to=date_to, by=by)
        response = HttpResponse(payload, content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="thanh-tra-{by}-{date_from}-{date_to}.{fmt}"'
        return response
    rows = [{**r, "kind_list": [r["by_kind"][k] for k in Kind.values]} for r in table["rows"]]
    context = {"table": table, "rows": rows, "date_from": date_from, "date_to": date_to, "by": by, "kind": kind,
               "kinds": Kind.choices, "query": request.GET.urlencode()}
    return render(request, "inspections/counts.html", context)
