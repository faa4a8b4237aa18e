"""The JSON API: one NinjaAPI, one router per app, errors as {code, message, details}."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from phucvu.core.exceptions import DomainError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        from phucvu.organization.models import ApiToken

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


api = NinjaAPI(
    title="Phục Vụ API",
    version="1",
    description="API JSON của Phục Vụ: mọi đọc và chuyển trạng thái, theo quy tắc phân quyền xem dữ liệu.",
    auth=[django_auth, BearerToken(), TokenHeader()],
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


def _mount() -> None:
    from importlib import import_module

    for app in ["organization", "workcalendar", "catalog", "dossiers", "reports", "portal", "discipline",
                "inspections", "notifications"]:
        module = import_module(f"phucvu.{app}.api")
        api.add_router(f"/{app}/", module.router)


_mount()
