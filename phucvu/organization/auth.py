"""Login with a throttle on failures, per (username, address) and, looser, per address.

Counting per username alone would let anyone lock a named official out by typing wrong passwords for
their username; counting per pair means a stranger at another address only locks himself out, while the
looser per-address limit (an office shares one address for many clerks) stops one address trying many
usernames. The address is the client's as `phucvu.core.throttle.client_address` reads it (behind trusted
proxies only). Each attempt is taken atomically before the password is checked (`core.throttle.take`), so
parallel requests cannot overrun the limit; a success gives its attempt back and clears that pair's
failures.

Settings: `LOGIN_THROTTLE_LIMIT` (per pair), `LOGIN_THROTTLE_ADDRESS_LIMIT` (per address),
`LOGIN_THROTTLE_WINDOW_SECONDS`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phucvu.core import throttle
from phucvu.core.throttle import client_address
from phucvu.organization.models import LoginFailure

THROTTLED_MESSAGE = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.")


def _limits() -> tuple[int, int, int]:
    pair = int(settings.LOGIN_THROTTLE_LIMIT)
    per_address = int(getattr(settings, "LOGIN_THROTTLE_ADDRESS_LIMIT", pair * 4))
    return pair, per_address, int(settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def take_attempt(username: str, address: str) -> LoginFailure:
    """Write this attempt as a failure (until the password proves right), or raise `throttle.Refused`."""
    pair_limit, address_limit, window = _limits()
    now = timezone.now()

    def full(row: LoginFailure) -> bool:
        recent = LoginFailure.objects.filter(at__gte=now - dt.timedelta(seconds=window), cleared=False)
        if recent.filter(username=username, address=address).count() > pair_limit:
            return True
        return bool(address) and recent.filter(address=address).count() > address_limit

    return throttle.take(keys=[f"login:u:{username}:{address}", f"login:a:{address}"],
                         write=lambda: LoginFailure.objects.create(username=username, address=address, at=now),
                         full=full)


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username", "")
        key = (username or "").lower()[:150]
        address = client_address(request)
        try:
            attempt = take_attempt(key, address)
        except throttle.Refused:
            if request is not None:
                request.login_throttled = True  # the login form says why
            # PermissionDenied stops Django trying other backends.
            raise PermissionDenied(
                THROTTLED_MESSAGE.format(minutes=settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60)) from None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            # The attempt was not a failure; the pair's earlier failures are kept as a record but stop counting.
            LoginFailure.objects.filter(pk=attempt.pk).delete()
            LoginFailure.objects.filter(username=key, address=address, cleared=False).update(cleared=True)
        return user
