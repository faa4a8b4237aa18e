from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from phucvu.core.home import sections
from phucvu.core.pagination import paginate
from phucvu.organization import selectors
from phucvu.organization.models import AgencyKind, Category, Level, Role
from phucvu.organization.roles import duties_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the signed-in role: what this person does today."""
    staff = selectors.staff_of(request.user)
    role = staff.role if staff else (Role.SYSTEM_ADMIN if request.user.is_superuser else None)
    return render(request, "organization/home.html", {
        "staff": staff, "scope": selectors.scope_root(staff) if staff else None, "duties": duties_for(role),
        "sections": sections(request, staff),
    })


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    """The tree as an indented, searchable, paginated list (the subtree the user may see)."""
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    level = request.GET.get("level", "")
    agencies = selectors.agency_search(user=request.user, query=query, kind=kind, level=level)
    page = paginate(request, agencies, per_page=50)
    context = {"page": page, "q": query, "kind": kind, "level": level, "kinds": AgencyKind.choices,
               "levels": Level.choices}
    template = "organization/_agency_rows.html" if request.htmx else "organization/agency_list.html"
    return render(request, template, context)


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(selectors.visible_agencies(request.user).select_related("parent"), pk=pk)
    return render(request, "organization/agency_detail.html", selectors.agency_card(agency))


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """Cadres of the agencies the user may see: searchable without accents, filtered by role and category."""
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    category = request.GET.get("category", "")
    people = selectors.staff_search(user=request.user, query=query, role=role, category=category)
    page = paginate(request, people)
    context = {"page": page, "q": query, "role": role, "category": category, "roles": Role.choices,
               "categories": Category.choices}
    template = "organization/_staff_rows.html" if request.htmx else "organization/staff_list.html"
    return render(request, template, context)


def home_scope_section(request: HttpRequest, staff) -> tuple[int, str] | None:
    """The organization's panel on the home page: the user's scope in numbers."""
    if staff is None and not request.user.is_superuser:
        return None
    return 90, render_to_string("organization/_home_scope.html",
                                {"overview": selectors.scope_overview(request.user)}, request=request)
