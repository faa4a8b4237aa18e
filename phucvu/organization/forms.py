from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from phucvu.organization.auth import THROTTLED_MESSAGE


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
        "throttled": THROTTLED_MESSAGE,
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # The backend refused before checking the password (organization/auth.py): say so, not "wrong".
            if getattr(self.request, "login_throttled", False):
                raise forms.ValidationError(
                    self.error_messages["throttled"].format(minutes=settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60),
                    code="throttled") from None
            raise
