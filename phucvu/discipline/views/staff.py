"""The page of one cadre (docs/discipline.md §6.1)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from phucvu.core.web import query_year
from phucvu.discipline.models import Grade
from phucvu.discipline.selectors.staff import staff_page


@login_required
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    year = query_year(request.GET, "year", default=timezone.localdate().year)
    context = staff_page(user=request.user, staff_id=staff_id, year=year)
    context["today"] = timezone.localdate()
    context["grade_label"] = dict(Grade.choices).get(context["grade"].grade) if context["grade"] else None
    return render(request, "discipline/staff_detail.html", context)
