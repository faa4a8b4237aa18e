"""The address citizens reach the system at, for what leaves it: QR codes and links on printed forms,
links in messages.

It is the `PUBLIC_BASE_URL` setting: production refuses to start without a usable one
(`settings.base.public_base_url_problem`), the demo sets it from the address it serves on. Where it is not
set (development), a page being answered uses the address its request came to; with neither there is no
honest address to print, so it raises.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def public_base_url(request: HttpRequest | None = None) -> str:
    """'https://dichvucong.quangninh.gov.vn' (no trailing slash)."""
    configured = (getattr(settings, "PUBLIC_BASE_URL", "") or "").strip()
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    raise ImproperlyConfigured("Chưa đặt PUBLIC_BASE_URL: không biết địa chỉ công khai để in lên giấy tờ.")


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute address for `path` ('/portal/lookup/?…') that works outside this machine."""
    return public_base_url(request) + ("" if path.startswith("/") else "/") + path
