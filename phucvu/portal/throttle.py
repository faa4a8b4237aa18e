"""Throttle of public actions, kept in rows (like the login throttle in `phucvu.organization.auth`): it holds
across processes and restarts, and every failed attempt stays on record.

- **Look-ups** by code and secret: a wrong pair counts against the client's address (`PORTAL_LOOKUP_LIMIT`
  in `PORTAL_LOOKUP_WINDOW_SECONDS`) AND against the code asked for (`PORTAL_LOOKUP_CODE_LIMIT` in
  `PORTAL_LOOKUP_CODE_WINDOW_SECONDS`), so guessing one dossier's secret from many addresses stops too. At a
  limit every look-up from that address, or of that code, is refused for the window, right pairs included:
  otherwise the one answer that differs would still tell a guesser he found it. A right pair does not
  clear the count: anyone holding one receipt could otherwise reset it between guesses.
- **Submissions** (dossiers and feedback) per address (`PORTAL_SUBMISSION_LIMIT` in
  `PORTAL_SUBMISSION_WINDOW_SECONDS`).

Each attempt is taken atomically (`phucvu.core.throttle.take`): its row is written before the look-up, under
a lock on the throttle's keys, so parallel requests cannot all slip through on one count. A look-up that
turns out right releases its row (it was not a miss).
"""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from phucvu.core import throttle as core_throttle
from phucvu.core.exceptions import DomainError
from phucvu.portal.models import PortalAttempt

# The defaults when the settings do not name a limit: (setting, default).
LOOKUP_LIMIT = ("PORTAL_LOOKUP_LIMIT", 10)
LOOKUP_WINDOW = ("PORTAL_LOOKUP_WINDOW_SECONDS", 900)
LOOKUP_CODE_LIMIT = ("PORTAL_LOOKUP_CODE_LIMIT", 20)
LOOKUP_CODE_WINDOW = ("PORTAL_LOOKUP_CODE_WINDOW_SECONDS", 3600)
SUBMISSION_LIMIT = ("PORTAL_SUBMISSION_LIMIT", 20)
SUBMISSION_WINDOW = ("PORTAL_SUBMISSION_WINDOW_SECONDS", 3600)


class Throttled(DomainError):
    code = "throttled"
    http_status = 429


def _setting(pair: tuple[str, int]) -> int:
    return int(getattr(settings, pair[0], pair[1]))


def limits(kind: str) -> tuple[int, int]:
    """(limit, window in seconds) of the per-address count of a kind."""
    if kind == PortalAttempt.Kind.LOOKUP_FAILED:
        return _setting(LOOKUP_LIMIT), _setting(LOOKUP_WINDOW)
    return _setting(SUBMISSION_LIMIT), _setting(SUBMISSION_WINDOW)


def _refusal(kind: str, window: int) -> Throttled:
    minutes = max(1, window // 60)
    if kind == PortalAttempt.Kind.LOOKUP_FAILED:
        message = gettext("Tra cứu sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.") % {"minutes": minutes}
    else:
        message = (gettext("Đã gửi quá nhiều lần từ địa chỉ này. Vui lòng thử lại sau %(minutes)s phút.")
                   % {"minutes": minutes})
    return Throttled(message, details={"retry_after_seconds": window})


def take(kind: str, address: str, *, code: str = "") -> PortalAttempt:
    """Take one attempt of `kind` from `address` (and for `code`, a look-up's), or raise `Throttled`."""
    limit, window = limits(kind)
    code_limit, code_window = _setting(LOOKUP_CODE_LIMIT), _setting(LOOKUP_CODE_WINDOW)
    code = code[:64] if kind == PortalAttempt.Kind.LOOKUP_FAILED else ""
    now = timezone.now()
    refused: list[Throttled] = []

    def full(row: PortalAttempt) -> bool:
        # Both windows in one query (a look-up is the busiest public request).
        windows = {"address": Q(address=address, at__gte=now - dt.timedelta(seconds=window))}
        if code:
            windows["code"] = Q(code=code, at__gte=now - dt.timedelta(seconds=code_window))
        counts = PortalAttempt.objects.filter(reduce(operator.or_, windows.values()), kind=kind).aggregate(
            **{name: Count("pk", filter=where) for name, where in windows.items()})
        if counts["address"] > limit:
            refused.append(_refusal(kind, window))
        elif code and counts["code"] > code_limit:
            refused.append(_refusal(kind, code_window))
        return bool(refused)

    keys = [f"portal:{kind}:a:{address}"] + ([f"portal:{kind}:c:{code}"] if code else [])
    try:
        return core_throttle.take(
            keys=keys, write=lambda: PortalAttempt.objects.create(kind=kind, address=address, code=code, at=now),
            full=full)
    except core_throttle.Refused:
        raise refused[0] from None


def release(attempt: PortalAttempt) -> None:
    """The attempt did not count (a right look-up): its row goes, in one statement (nothing refers to it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PortalAttempt._meta.db_table} WHERE id = %s", [attempt.pk])
