"""The citizen's page to choose channels or stop messages about one dossier, behind a signed token."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "phucvu.notifications.choice"


def choice_url(dossier_id: int) -> str:
    token = signing.dumps(dossier_id, salt=SALT)
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("notifications:choice", args=[token])


def dossier_of(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
