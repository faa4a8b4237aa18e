from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the signed-in role: what this person does today."""
    from phucvu.core.home import sections
    from phucvu.organization.roles import duties_for
    from phucvu.organization.selectors import scope_root, staff_of

    staff = staff_of(request.user)
    role = staff.role if staff else ("system_admin" if request.user.is_superuser else None)
    return render(request, "core/home.html", {
        "staff": staff, "scope": scope_root(staff) if staff else None, "duties": duties_for(role),
        "sections": sections(request, staff),
    })


def landing(request: HttpRequest) -> HttpResponse:
    """The public front page. Apps add sections through `phucvu.core.landing` hooks."""
    from phucvu.core.landing import sections

    return render(request, "core/landing.html", {"sections": sections(request)})
