"""The citizen's page to choose channels or stop messages about one dossier, behind a signed token."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from phucvu.core.public import public_url

SALT = "phucvu.notifications.choice"


def choice_url(dossier_id: int, request: HttpRequest | None = None) -> str:
    """The absolute address (PUBLIC_BASE_URL, core/public.py): it leaves the system in e-mails."""
    token = signing.dumps(dossier_id, salt=SALT)
    return public_url(reverse("notifications:choice", args=[token]), request)


def dossier_of(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
