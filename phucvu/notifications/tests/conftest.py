"""Notification tests reuse the dossier tests' procedure and staff, and point the channels at real local
servers (SMTP and the providers' HTTP APIs)."""

from __future__ import annotations

import pytest

from phucvu.dossiers.tests.conftest import local, procedure, staff  # noqa: F401  (fixtures)
from phucvu.notifications.texts import TEMPLATES

from .providers import ProviderServer, SmtpServer


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def providers():
    with ProviderServer() as server:
        yield server


@pytest.fixture
def live_channels(settings, smtp, providers):
    """Every channel on, at the local servers; no quiet hours and no back-off (retries due at once)."""
    for name, value in providers.settings().items():
        setattr(settings, name, value)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.NOTIFY_CHANNELS = ["zalo", "sms", "email"]
    settings.NOTIFY_QUIET_HOURS = ""
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    settings.NOTIFY_SATISFACTION_DELAY_MINUTES = 0
    # A ZNS template for every citizen event but the satisfaction request (which then goes by SMS/e-mail).
    settings.ZALO_ZNS_TEMPLATES = {event: str(300000 + i) for i, event in enumerate(TEMPLATES)
                                   if event not in {"satisfaction_request", "staff_digest"}}
    return {"smtp": smtp, "providers": providers}
