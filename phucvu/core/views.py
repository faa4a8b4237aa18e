from __future__ import annotations

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from phucvu.core.caching import shared
from phucvu.core.landing import sections


def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers (a load balancer's liveness check): no query, so it is the server's ceiling."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request: HttpRequest) -> HttpResponse:
    """The process can serve: the database answers a query on our schema (a readiness check, and
    monitoring's) — a bare SELECT 1 would pass on an empty SQLite file created in place of the real one."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
    except (OperationalError, InterfaceError):
        return HttpResponse("database unavailable", content_type="text/plain", status=503,
                            headers={"Retry-After": "30", "Cache-Control": "no-store"})
    return HttpResponse("ok", content_type="text/plain", headers={"Cache-Control": "no-store"})


def landing(request: HttpRequest) -> HttpResponse:
    """The public front page. Apps add sections through `phucvu.core.landing` hooks; the sections show
    province-wide figures, the same for every visitor, so they are shared (core/caching.py)."""
    return render(request, "core/landing.html", {"sections": shared("landing", lambda: sections(request))})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (a PDF, a JSON answer): the static one."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
