from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from phucvu.core.landing import sections


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def landing(request: HttpRequest) -> HttpResponse:
    """The public front page. Apps add sections through `phucvu.core.landing` hooks."""
    return render(request, "core/landing.html", {"sections": sections(request)})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (a PDF, a JSON answer): the static one."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
