"""Throttle of public actions per client address, kept in rows (like the login throttle in
`phucvu.organization.auth`): it holds across processes and restarts, and every attempt stays on record.

A wrong code/secret pair counts against the address; at the limit every look-up from that address is
refused for the window, right pairs included, so guessing secrets cannot go on. A right pair does not
clear the count: anyone holding one receipt could otherwise reset it between guesses.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from phucvu.core.exceptions import DomainError
from phucvu.portal.models import PortalAttempt

# (limit, window in seconds) per kind; settings may override them.
DEFAULTS = {
    PortalAttempt.Kind.LOOKUP_FAILED: ("PORTAL_LOOKUP_LIMIT", 10, "PORTAL_LOOKUP_WINDOW_SECONDS", 900),
    PortalAttempt.Kind.SUBMISSION: ("PORTAL_SUBMISSION_LIMIT", 20, "PORTAL_SUBMISSION_WINDOW_SECONDS", 3600),
}


class Throttled(DomainError):
    code = "throttled"
    http_status = 429


def limits(kind: str) -> tuple[int, int]:
    limit_name, limit, window_name, window = DEFAULTS[kind]
    return int(getattr(settings, limit_name, limit)), int(getattr(settings, window_name, window))


def check(kind: str, address: str) -> None:
    """Raise `Throttled` when the address has used up its attempts of this kind in the window."""
    limit, window = limits(kind)
    since = timezone.now() - dt.timedelta(seconds=window)
    if PortalAttempt.objects.filter(kind=kind, address=address, at__gte=since).count() >= limit:
        minutes = max(1, window // 60)
        if kind == PortalAttempt.Kind.LOOKUP_FAILED:
            message = gettext("Tra cứu sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.") % {"minutes": minutes}
        else:
            message = (gettext("Đã gửi quá nhiều lần từ địa chỉ này. Vui lòng thử lại sau %(minutes)s phút.")
                       % {"minutes": minutes})
        raise Throttled(message, details={"retry_after_seconds": window})


def record(kind: str, address: str) -> None:
    PortalAttempt.objects.create(kind=kind, address=address, at=timezone.now())
