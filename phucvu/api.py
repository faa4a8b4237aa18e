"""The JSON API: one NinjaAPI, one router per app, errors as {code, message, details}."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyCookie, APIKeyHeader, HttpBearer

from phucvu.catalog.api import router as catalog_router
from phucvu.core.exceptions import DomainError
from phucvu.dossiers.api import router as dossiers_router
from phucvu.inspections.api import router as inspections_router
from phucvu.organization.api import router as organization_router
from phucvu.organization.models import ApiToken
from phucvu.portal.api import router as portal_router
from phucvu.workcalendar.api import router as workcalendar_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        found = ApiToken.objects.select_related("user").filter(digest=digest, revoked_at__isnull=True).first()
        if found is None or not found.user.is_active:
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


api = NinjaAPI(
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
    return _error(request, exc.http_status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return _error(request, 422, "invalid_input", "Dữ liệu gửi lên không hợp lệ.", exc.errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, "unauthenticated", "Cần đăng nhập hoặc khóa API hợp lệ.")


# One router per app that has an API, mounted at /api/<app>/.
for prefix, router in [
    ("organization", organization_router), ("workcalendar", workcalendar_router), ("catalog", catalog_router),
    ("dossiers", dossiers_router), ("portal", portal_router), ("inspections", inspections_router),
]:
    api.add_router(f"/{prefix}/", router)
