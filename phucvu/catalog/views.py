"""The procedure catalogue pages, and the as-you-type procedure search the intake form uses."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from phucvu.catalog import selectors
from phucvu.core.pagination import paginate
from phucvu.core.web import query_choice, query_id
from phucvu.organization.models import Level
from phucvu.organization.selectors import ensure_visible


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    field_id = query_id(request.GET, "field")
    level = query_choice(request.GET, "level", Level.values)
    procedures = selectors.procedure_search(query=query, field_id=field_id, level=level)
    context = {"page": paginate(request, procedures), "q": query, "field": field_id, "level": level,
               "fields": selectors.field_list(), "levels": Level.choices}
    template = "catalog/_procedure_rows.html" if request.htmx else "catalog/procedure_list.html"
    return render(request, template, context)


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = selectors.procedure_get(pk)  # NotFound: the 404 page says so
    versions = list(selectors.procedure_versions(pk))
    return render(request, "catalog/procedure_detail.html", {"procedure": procedure, "versions": versions,
                                                             "current": procedure.current_version})


@login_required
def procedure_picker(request: HttpRequest) -> HttpResponse:
    """htmx: the procedures an agency receives matching what the clerk typed (accent-insensitive)."""
    query = request.GET.get("procedure_q", "").strip()
    agency_id = query_id(request.GET, "agency")
    if agency_id:
        ensure_visible(request.user, agency_id)  # NotAllowed: the 403 page gives the rule's reason
    found = []
    if query:
        found = list(selectors.procedure_search(query=query, agency_id=agency_id)[:12])
    return render(request, "catalog/_procedure_picker.html", {"procedures": found, "q": query})
