"""The error pages in the house layout (Vietnamese and English), instead of Django's bare ones.

400, 403 and 404 are answered by a working site: they render with the request (the top bar, the menu of
the signed-in user, the language switch). 500 is answered when something failed — perhaps the database or
a context processor — so it renders the same layout from the template alone: no request context, no query,
no user; and if even that fails, a few lines of plain HTML in both languages.
"""

from __future__ import annotations

import json
import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.csrf import requires_csrf_token

SITE_NAME = "Phục Vụ"
log = logging.getLogger(__name__)

PLAIN_500 = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi hệ thống · Server error</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; margin: 2rem"><h1>Phục Vụ</h1>
<p>Hệ thống gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại. Vui lòng thử lại sau ít phút.</p>
<p lang="en">The system failed to answer this request; the error has been logged. Please try again in a few minutes.</p>
<p><a href="/">Trang chủ · Home</a></p></body></html>"""


def _message(exception: BaseException | None) -> str:
    """The reason given by the code that refused ('Biểu mẫu này không áp dụng cho hồ sơ.'), not the URL
    resolver's internals (a dict of tried patterns) or a bare class name."""
    if exception is None or not exception.args:
        return ""
    first = exception.args[0]
    return str(first) if isinstance(first, str) else ""


def _render(request: HttpRequest, template: str, status_class, exception) -> HttpResponse:
    context = {"request_path": request.path, "message": _message(exception)}
    return status_class(loader.get_template(template).render(context, request))


@requires_csrf_token
def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _render(request, "400.html", HttpResponseBadRequest, None)  # never echo what was malformed


@requires_csrf_token
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _render(request, "403.html", HttpResponseForbidden, exception)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _render(request, "404.html", HttpResponseNotFound, exception if isinstance(exception, Http404) else None)


PLAIN_503 = PLAIN_500.replace("Hệ thống gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại.",
                              "Hệ thống tạm ngừng phục vụ: không kết nối được cơ sở dữ liệu.").replace(
    "The system failed to answer this request; the error has been logged.",
    "The system is unavailable: the database cannot be reached.")
# Seconds a client is asked to wait before trying again while the database is away.
RETRY_AFTER = 30


def database_unavailable() -> bool:
    """Whether the request being answered failed because the database could not be reached."""
    return isinstance(sys.exc_info()[1], OperationalError | InterfaceError)


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    """500, or 503 with Retry-After when the database is away (a restart, a failover): a passing condition,
    said as such. The API answers in its own JSON shape."""
    unavailable = database_unavailable()
    status, template, plain = (503, "503.html", PLAIN_503) if unavailable else (500, "500.html", PLAIN_500)
    if request is not None and request.path.startswith("/api/"):
        body = {"code": "unavailable" if unavailable else "server_error",
                "message": "Không kết nối được cơ sở dữ liệu; vui lòng thử lại sau ít phút." if unavailable
                else "Hệ thống gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại.", "details": None}
        response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json",
                                status=status)
    else:
        try:
            html = loader.get_template(template).render({"SITE_NAME": SITE_NAME, "LANGUAGE_CODE": get_language()})
        except Exception:  # the layout itself failed: still answer something a person can read
            log.exception("%s could not be rendered", template)
            html = plain
        response = HttpResponseServerError(html, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
    return response
