from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from phucvu.core.pagination import paginate
from phucvu.discipline.models import ViolationKind
from phucvu.discipline.selectors import breaches as selectors


@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    page = paginate(request, selectors.violation_list(user=request.user, query=query, kind=kind))
    context = {"page": page, "q": query, "kind": kind, "kinds": ViolationKind.choices}
    template = "discipline/_rows.html" if request.htmx else "discipline/violation_list.html"
    return render(request, template, context)
