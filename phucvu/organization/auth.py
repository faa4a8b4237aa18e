"""Login with a throttle on failures, per username and per client address."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phucvu.organization.models import LoginFailure

THROTTLED_MESSAGE = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.")


def client_address(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:64]


def is_throttled(username: str, address: str) -> bool:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since, cleared=False)
    limit = settings.LOGIN_THROTTLE_LIMIT
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    # An address gets more room: an office shares one address for many clerks.
    return bool(address) and recent.filter(address=address).count() >= limit * 4


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username", "")
        address = client_address(request)
        if is_throttled(username or "", address):
            # PermissionDenied stops Django trying other backends and the form shows our message.
            raise PermissionDenied(THROTTLED_MESSAGE.format(minutes=settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            LoginFailure.objects.create(username=(username or "").lower()[:150], address=address,
                                        at=timezone.now())
        else:
            # Failures are kept as a record; a success only stops them counting.
            LoginFailure.objects.filter(username=(username or "").lower(), cleared=False).update(cleared=True)
        return user
