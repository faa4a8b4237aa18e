from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from phucvu.core.pagination import paginate
from phucvu.inspections import selectors
from phucvu.inspections.models import Kind


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    page = paginate(request, selectors.inspection_list(user=request.user, query=query, kind=kind))
    context = {"page": page, "q": query, "kind": kind, "kinds": Kind.choices}
    template = "inspections/_rows.html" if request.htmx else "inspections/inspection_list.html"
    return render(request, template, context)
