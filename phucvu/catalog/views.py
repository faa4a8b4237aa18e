"""The procedure catalogue pages, and the as-you-type procedure search the intake form uses."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from phucvu.catalog import selectors
from phucvu.core.exceptions import NotAllowed, NotFound
from phucvu.core.pagination import paginate
from phucvu.organization.models import Level
from phucvu.organization.selectors import ensure_visible


def check_visible(user, agency_id: int) -> None:
    """The visibility rule, answered as a page answers: 403 with the rule's Vietnamese message."""
    try:
        ensure_visible(user, agency_id)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    field_id = _int(request.GET.get("field"))
    level = request.GET.get("level", "")
    procedures = selectors.procedure_search(query=query, field_id=field_id, level=level)
    context = {"page": paginate(request, procedures), "q": query, "field": field_id, "level": level,
               "fields": selectors.field_list(), "levels": Level.choices}
    template = "catalog/_procedure_rows.html" if request.htmx else "catalog/procedure_list.html"
    return render(request, template, context)


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        procedure = selectors.procedure_get(pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    versions = list(selectors.procedure_versions(pk))
    return render(request, "catalog/procedure_detail.html", {"procedure": procedure, "versions": versions,
                                                             "current": procedure.current_version})


@login_required
def procedure_picker(request: HttpRequest) -> HttpResponse:
    """htmx: the procedures an agency receives matching what the clerk typed (accent-insensitive)."""
    query = request.GET.get("procedure_q", "").strip()
    agency_id = _int(request.GET.get("agency"))
    if agency_id:
        check_visible(request.user, agency_id)
    found = []
    if query:
        found = list(selectors.procedure_search(query=query, agency_id=agency_id)[:12])
    return render(request, "catalog/_procedure_picker.html", {"procedures": found, "q": query})
