"""The Zalo Official Account's OAuth token pair, stored and rotated.

Zalo's access token lives about 25 hours and its refresh token is single-use: each refresh returns a new
pair and the old refresh token stops working. So the pair lives in one row (`ProviderToken`), a refresh
happens under that row's lock, and a worker that waited for the lock uses the pair the other one stored
instead of spending the old refresh token again. The first refresh token comes from `ZALO_REFRESH_TOKEN`.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from phucvu.notifications.models import ProviderToken

PROVIDER = "zalo"
# Refresh a little before the end, so no request goes out with a token about to lapse.
MARGIN = dt.timedelta(minutes=5)


class TokenError(Exception):
    """The OA token could not be obtained (no refresh token configured, or Zalo refused the refresh)."""


def access_token() -> str:
    """A valid access token, refreshed first if it is missing or about to expire."""
    row = ProviderToken.objects.filter(provider=PROVIDER).first()
    if row is not None and row.expires_at - MARGIN > timezone.now():
        return row.access_token
    return refresh(stale=row.access_token if row else None)


@transaction.atomic
def refresh(*, stale: str | None) -> str:
    """Exchange the stored refresh token for a new pair, unless another worker already replaced `stale`."""
    row = ProviderToken.objects.select_for_update().filter(provider=PROVIDER).first()
    now = timezone.now()
    if row is not None and row.access_token != stale and row.expires_at - MARGIN > now:
        return row.access_token
    refresh_token = row.refresh_token if row is not None else settings.ZALO_REFRESH_TOKEN
    if not refresh_token:
        raise TokenError("Chưa cấu hình ZALO_REFRESH_TOKEN cho Zalo OA.")
    body = urllib.parse.urlencode({"app_id": settings.ZALO_APP_ID, "grant_type": "refresh_token",
                                   "refresh_token": refresh_token}).encode()
    request = urllib.request.Request(
        settings.ZALO_OAUTH_URL.rstrip("/") + "/v4/oa/access_token", data=body, method="POST",
        headers={"secret_key": settings.ZALO_APP_SECRET, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            answer = json.loads(response.read() or b"{}")
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise TokenError(f"Không làm mới được token Zalo OA: {exc}") from exc
    if not answer.get("access_token") or not answer.get("refresh_token"):
        raise TokenError(f"Zalo từ chối làm mới token: {answer.get('error')} {answer.get('error_description', '')}")
    expires = now + dt.timedelta(seconds=int(answer.get("expires_in") or 3600))
    if row is None:
        row = ProviderToken(provider=PROVIDER, rotations=0)
    row.access_token, row.refresh_token = answer["access_token"], answer["refresh_token"]
    row.expires_at, row.rotated_at, row.rotations = expires, now, row.rotations + 1
    row.save()
    return row.access_token
