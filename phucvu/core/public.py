"""The address citizens reach the system at, for what leaves it: QR codes and links on printed forms,
links in messages.

It is the `PUBLIC_BASE_URL` setting: production refuses to start without a usable one
(`settings.base.public_base_url_problem`), the demo sets it from the address it serves on. Where it is not
set (development), a page being answered uses the address its request came to; with neither (a background
worker in development) the link stays relative and a warning is logged — never a guessed address.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger(__name__)


def public_base_url(request: HttpRequest | None = None) -> str:
    """'https://dichvucong.quangninh.gov.vn' (no trailing slash)."""
    configured = (getattr(settings, "PUBLIC_BASE_URL", "") or "").strip()
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    # Development only (production refuses to start without it): no address to guess, so the link stays
    # relative — and says so in the log — rather than failing the work that wanted to send it.
    log.warning("PUBLIC_BASE_URL chưa đặt: đường dẫn gửi ra ngoài (mã QR, thư) chỉ là đường dẫn tương đối.")
    return ""


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute address for `path` ('/portal/lookup/?…') that works outside this machine."""
    return public_base_url(request) + ("" if path.startswith("/") else "/") + path
