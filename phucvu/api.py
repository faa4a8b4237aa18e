"""The JSON API: one NinjaAPI, one router per app, errors as {code, message, details}."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.cache import patch_cache_control
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, APIKeyHeader, HttpBearer

from phucvu.catalog.api import router as catalog_router
from phucvu.core.exceptions import BadParameter, DomainError
from phucvu.discipline.api import router as discipline_router
from phucvu.dossiers.api import router as dossiers_router
from phucvu.inspections.api import router as inspections_router
from phucvu.organization.api import router as organization_router
from phucvu.organization.services import api_token_authenticate
from phucvu.portal.api import router as portal_router
from phucvu.workcalendar.api import router as workcalendar_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        # An expired token raises TokenExpired: a 401 that says so and when, not the generic one.
        found = api_token_authenticate(token)
        if found is None:
            return None
        request.user = found.user
        return found.user


class TokenHeader(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None):
        return BearerToken().authenticate(request, key or "")


class SessionAuth(APIKeyCookie):
    """The signed-in staff's session cookie. A cookie goes with every request the browser makes, so a write
    through it must carry the CSRF token (checked here, as Django's middleware would); a request with a token
    (Bearer or X-API-Key) is not a browser's and is authenticated before this, without CSRF."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None  # no session: 401, not a CSRF failure
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        return request.user if request.user.is_authenticated else None


# What any operation may answer besides its own successes, in the one error shape: 403 and 404 from the
# visibility rule and the table of who may act, 422 for input the schema or a rule refuses, 401 where a
# login or token is needed. Written into the schema once here, so that it says every status a client can get.
COMMON_ERRORS = {403: "Forbidden", 404: "Not Found", 422: "Unprocessable Content"}


class PhucVuAPI(NinjaAPI):
    """The schema lists every error status; every answer is `Cache-Control: private, no-store`: dossiers
    carry personal data, and the public look-up answers with a citizen's dossier (docs/security.md §5)."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        patch_cache_control(response, private=True, no_store=True)
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                answers = {**COMMON_ERRORS, **({401: "Unauthorized"} if operation.get("security") else {})}
                for status, description in answers.items():
                    operation["responses"].setdefault(status, {"description": description, "content": error})
        return schema


api = PhucVuAPI(
    title="Phục Vụ API",
    version="1",
    description="API JSON của Phục Vụ: mọi đọc và chuyển trạng thái, theo quy tắc phân quyền xem dữ liệu.",
    # Tokens first: an integration's writes are not subject to the session's CSRF check (session ones are).
    auth=[BearerToken(), TokenHeader(), SessionAuth()],
    urls_namespace="api",
)


def _error(request, status: int, code: str, message: str, details=None):
    return api.create_response(request, {"code": code, "message": message, "details": details}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    # A bad parameter is a 400 page on the site; the API answers every refused input with its 422.
    status = 422 if isinstance(exc, BadParameter) else exc.http_status
    return _error(request, status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    # Where and why, not pydantic's copy of the input (which may be an object JSON cannot carry).
    details = [{key: error[key] for key in ("type", "loc", "msg") if key in error} for error in exc.errors]
    return _error(request, 422, "invalid_input", "Dữ liệu gửi lên không hợp lệ.", details)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """django-ninja's own refusals in the one error shape; a body it cannot parse (its 400) is refused input."""
    if exc.status_code == 400:
        return _error(request, 422, "invalid_input", "Không đọc được nội dung gửi lên: cần JSON (hoặc biểu mẫu) hợp lệ.")
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthenticated", "Cần đăng nhập hoặc khóa API hợp lệ.")


# One router per app that has an API, mounted at /api/<app>/.
for prefix, router in [
    ("organization", organization_router), ("workcalendar", workcalendar_router), ("catalog", catalog_router),
    ("dossiers", dossiers_router), ("portal", portal_router), ("inspections", inspections_router),
    ("discipline", discipline_router),
]:
    api.add_router(f"/{prefix}/", router)
