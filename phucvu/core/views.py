from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from phucvu.core.landing import sections


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def landing(request: HttpRequest) -> HttpResponse:
    """The public front page. Apps add sections through `phucvu.core.landing` hooks."""
    return render(request, "core/landing.html", {"sections": sections(request)})
