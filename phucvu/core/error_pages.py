"""The error pages in the house layout (Vietnamese and English), instead of Django's bare ones.

400, 403 and 404 are answered by a working site: they render with the request (the top bar, the menu of
the signed-in user, the language switch). 500 is answered when something failed — perhaps the database or
a context processor — so it renders the same layout from the template alone: no request context, no query,
no user; and if even that fails, a few lines of plain HTML in both languages.
"""

from __future__ import annotations

import logging

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


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    try:
        html = loader.get_template("500.html").render({"SITE_NAME": SITE_NAME, "LANGUAGE_CODE": get_language()})
    except Exception:  # the layout itself failed: still answer something a person can read
        log.exception("500.html could not be rendered")
        html = PLAIN_500
    return HttpResponseServerError(html)
