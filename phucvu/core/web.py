"""What every page does the same way: read query parameters, and answer a refused request.

- `query_int`, `query_id`, `query_date`, `query_month`, `query_year`, `query_choice` read one parameter of
  a GET (or POST) with its range checked; a bad value raises `BadParameter` (400) with a Vietnamese message
  naming the parameter. `MAX_ID` is the largest id a table holds; `FIRST_YEAR`..`LAST_YEAR` the years asked.
- `InputCheckMiddleware` refuses, before any view, a request whose path, query, form or JSON body carries
  a NUL character (PostgreSQL cannot store NUL in text: the database would raise instead of answering).
- `DomainErrorMiddleware` answers a `DomainError` that a view lets through (a bad parameter, an agency
  outside the user's scope, a record that does not exist) with an error page of the right status (403,
  404, 409, 422) that says why, never a 500. So a view checks visibility by calling the organisation's
  `ensure_visible` and lets the refusal through; it catches a domain error itself only where it has a
  better answer (a form that shows the message beside the fields).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from pydantic import AfterValidator, Field

from phucvu.core.exceptions import BadParameter, DomainError, InvalidInput

# The years a calendar, a report or a register may ask for: wider than any data, narrower than nonsense.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# The largest id a table holds (a 64-bit signed integer, PostgreSQL's bigint and SQLite's INTEGER): a bigger
# number cannot name a record, and the database raises on it instead of finding nothing.
MAX_ID = 2**63 - 1
# The largest number a 32-bit column holds (a record's version counter, a cost in đồng), and a sum of money
# in đồng a 64-bit column takes (a thousand billion: past any fee).
MAX_INT32 = 2**31 - 1
MAX_MONEY = 10**12
# The last page number a list answers (a million pages of 200: past any table; a bigger one would overflow
# the database's OFFSET).
MAX_PAGE_NUMBER = 10**6


def _raw(params: QueryDict | Mapping[str, str], name: str) -> str:
    return (params.get(name) or "").strip()


def query_int(params: QueryDict | Mapping[str, str], name: str, *, default: int | None = None,
              minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A whole number, or `default` when the parameter is absent or empty."""
    raw = _raw(params, name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(gettext("Tham số “%(name)s” phải là số nguyên, không phải “%(value)s”.")
                           % {"name": name, "value": raw[:40]}) from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise BadParameter(_range_message(name, value, minimum, maximum))
    return value


def query_id(params: QueryDict | Mapping[str, str], name: str) -> int | None:
    """A record's id (a positive whole number a database column can hold), or None when absent."""
    value = query_int(params, name)
    if value is not None and not 1 <= value <= MAX_ID:
        raise BadParameter(gettext("Tham số “%(name)s” phải là mã số của một bản ghi (số nguyên dương, tối đa 19 "
                                   "chữ số), không phải %(value)s.") % {"name": name, "value": str(value)[:40]})
    return value


def query_date(params: QueryDict | Mapping[str, str], name: str, *, default: dt.date | None = None,
               minimum: dt.date | None = None, maximum: dt.date | None = None) -> dt.date | None:
    """An ISO date (YYYY-MM-DD), or `default` when the parameter is absent or empty."""
    raw = _raw(params, name)
    if not raw:
        return default
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(gettext("Tham số “%(name)s” phải là ngày dạng YYYY-MM-DD, không phải “%(value)s”.")
                           % {"name": name, "value": raw[:40]}) from None
    low = minimum or dt.date(FIRST_YEAR, 1, 1)
    high = maximum or dt.date(LAST_YEAR, 12, 31)
    if not low <= value <= high:
        raise BadParameter(_range_message(name, value, low, high))
    return value


def form_date(params: QueryDict | Mapping[str, str], name: str, label: str, *, required: bool = True,
              minimum: dt.date | None = None, maximum: dt.date | None = None) -> dt.date | None:
    """A date typed in a form (YYYY-MM-DD), named by its `label` in the message; refused (422, shown beside
    the form) when missing, unreadable or outside `minimum`..`maximum` (by default FIRST_YEAR..LAST_YEAR)."""
    raw = _raw(params, name)
    if not raw:
        if required:
            raise InvalidInput(gettext("Cần nhập %(label)s.") % {"label": label})
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(gettext("%(label)s: ngày không hợp lệ (dùng YYYY-MM-DD), không phải “%(value)s”.")
                           % {"label": label, "value": raw[:40]}) from None
    check_date_range(value, label, minimum=minimum, maximum=maximum)
    return value


def check_date_range(value: dt.date, label: str, *, minimum: dt.date | None = None,
                     maximum: dt.date | None = None) -> None:
    """Refuse (InvalidInput, 422) a date or a moment outside `minimum`..`maximum`, by default the years
    FIRST_YEAR..LAST_YEAR: what a service checks of a date it is given, whoever typed it."""
    day = value.date() if isinstance(value, dt.datetime) else value
    low = minimum or dt.date(FIRST_YEAR, 1, 1)
    high = maximum or dt.date(LAST_YEAR, 12, 31)
    if not low <= day <= high:
        raise InvalidInput(gettext("%(label)s phải từ %(low)s đến %(high)s, không phải %(value)s.")
                           % {"label": label, "low": f"{low:%d/%m/%Y}", "high": f"{high:%d/%m/%Y}",
                              "value": day.strftime("%d/%m/%Y")})


def sane_date(value: dt.date) -> None:
    """A form field's validator: a date (or a moment) within the years FIRST_YEAR..LAST_YEAR."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(gettext("Ngày phải trong các năm %(low)s–%(high)s, không phải %(value)s.")
                              % {"low": FIRST_YEAR, "high": LAST_YEAR, "value": day.strftime("%d/%m/%Y")})


def _sane_api_date(value):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"ngày phải trong các năm {FIRST_YEAR}–{LAST_YEAR}")
    return value


# A date and a moment in a JSON API's input: what pydantic reads, then the same years as the pages.
SaneDate = Annotated[dt.date, AfterValidator(_sane_api_date)]
SaneDateTime = Annotated[dt.datetime, AfterValidator(_sane_api_date)]
# A page number, a year and a record's id in an API's input, with their ranges written into the schema.
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE_NUMBER)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


def query_month(params: QueryDict | Mapping[str, str], name: str, *,
                default: dt.date | None = None) -> dt.date | None:
    """A month written YYYY-MM, as its first day; or `default` when the parameter is absent or empty."""
    raw = _raw(params, name)
    if not raw:
        return default
    try:
        value = dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        raise BadParameter(gettext("Tham số “%(name)s” phải là tháng dạng YYYY-MM, không phải “%(value)s”.")
                           % {"name": name, "value": raw[:40]}) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise BadParameter(_range_message(name, value.year, FIRST_YEAR, LAST_YEAR))
    return value


def query_year(params: QueryDict | Mapping[str, str], name: str = "year", *, default: int,
               minimum: int = FIRST_YEAR, maximum: int = LAST_YEAR) -> int:
    """A year between `minimum` and `maximum` (FIRST_YEAR and LAST_YEAR by default), or `default`."""
    value = query_int(params, name, default=default, minimum=minimum, maximum=maximum)
    return default if value is None else value


def query_choice(params: QueryDict | Mapping[str, str], name: str, choices: Iterable[str], *,
                 default: str = "") -> str:
    """One of `choices`, or `default` when absent; anything else is refused."""
    raw = _raw(params, name)
    if not raw:
        return default
    allowed = list(choices)
    if raw not in allowed:
        raise BadParameter(gettext("Tham số “%(name)s” không nhận giá trị “%(value)s” (chỉ nhận: %(allowed)s).")
                           % {"name": name, "value": raw[:40], "allowed": ", ".join(allowed)})
    return raw


def _range_message(name: str, value: object, low: object, high: object) -> str:
    def shown(v: object) -> str:
        return v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else str(v)

    if low is not None and high is not None:
        return (gettext("Tham số “%(name)s” phải từ %(low)s đến %(high)s, không phải %(value)s.")
                % {"name": name, "low": shown(low), "high": shown(high), "value": shown(value)})
    if low is not None:
        return (gettext("Tham số “%(name)s” phải từ %(low)s trở lên, không phải %(value)s.")
                % {"name": name, "low": shown(low), "value": shown(value)})
    return (gettext("Tham số “%(name)s” phải không quá %(high)s, không phải %(value)s.")
            % {"name": name, "high": shown(high), "value": shown(value)})


def _page(status: int) -> tuple[str, str, str]:
    """(title, advice, icon) of the error page for a status; 403 and 404 read as the site's own pages."""
    if status == 403:
        return (gettext("Không có quyền truy cập"), gettext(
            "Trang này nằm ngoài phạm vi hoặc vai trò của tài khoản đang đăng nhập. Nếu cần, hãy liên hệ quản trị "
            "hệ thống của đơn vị."), "shield-lock")
    if status == 404:
        return (gettext("Không tìm thấy trang"), gettext(
            "Địa chỉ có thể đã gõ sai, trang đã được chuyển đi hoặc hồ sơ này không thuộc phạm vi của bạn."),
            "signpost-split")
    if status == 409:
        return (gettext("Dữ liệu đã thay đổi"), gettext(
            "Người khác vừa thay đổi dữ liệu này; không có gì được ghi. Hãy mở lại trang và làm lại."),
            "arrow-repeat")
    return (gettext("Yêu cầu không hợp lệ"), gettext("Hãy sửa lại theo hướng dẫn trên rồi thử lại."),
            "exclamation-triangle")


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The page that says why a request was refused, with the error's HTTP status (in the layout of the
    site's 403 and 404 pages); an htmx request gets the message alone, to show where it asked."""
    if getattr(request, "htmx", False):
        return render(request, "core/_error.html", {"error": error}, status=error.http_status)
    title, advice, icon = _page(error.http_status)
    return render(request, "core/error.html", {"error": error, "title": title, "advice": advice, "icon": icon},
                  status=error.http_status)


class DomainErrorMiddleware:
    """Turns a `DomainError` a view let through into `error_page`: a clear page, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # The JSON API answers its own errors ({code, message, details}) before this is reached.
        return error_page(request, exception) if isinstance(exception, DomainError) else None


NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    """Whether the request carries NUL; a form body that cannot be parsed at all raises MultiPartParserError."""
    if NUL in request.path:
        return True
    for params in (request.GET, request.POST if request.method == "POST" else QueryDict()):
        for key, values in params.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    if request.content_type == "application/json":
        # A JSON string writes NUL as the escape \u0000 (raw control characters are not valid JSON).
        return b"\\u0000" in request.body or NUL.encode() in request.body
    return False


class InputCheckMiddleware:
    """Refuses a request carrying a NUL character anywhere a view reads text from, with a clear 400 page
    (the JSON API: its 422 `invalid_input`), before the text reaches the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = _has_nul(request)
            message = gettext("Dữ liệu gửi lên có ký tự không hợp lệ (ký tự NUL); hãy kiểm tra lại địa chỉ hoặc "
                              "nội dung đã nhập.")
        except MultiPartParserError:
            refused, message = True, gettext("Không đọc được nội dung gửi lên (biểu mẫu hỏng).")
        if refused:
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid_input", "message": message, "details": None}, status=422)
            return error_page(request, BadParameter(message))
        return self.get_response(request)

class PrivateNoStoreMiddleware:
    """Every answer to a signed-in user is `Cache-Control: private, no-store`: staff pages carry citizens'
    personal data (names, ID numbers, addresses, papers), which no shared cache, proxy or browser history may
    keep (docs/security.md §5). A request without a session cookie is nobody's: the session is not touched, so
    public pages stay cacheable and do not vary on the cookie. A view marks a public answer that carries
    personal data itself (`never_cache`: the citizen's status page, the online receipt).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_store=True)
        return response


# The types a stored file (an uploaded paper, a result document) is served as: what was sniffed from its
# first bytes when it was stored. Anything else goes out as plain bytes.
SAFE_DOWNLOAD_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def download_response(file, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download (`attachment`), of a known type only, that the browser neither sniffs nor
    runs as a page, and that no shared cache keeps."""
    response = FileResponse(file, as_attachment=True, filename=filename,
                            content_type=content_type if content_type in SAFE_DOWNLOAD_TYPES
                            else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
