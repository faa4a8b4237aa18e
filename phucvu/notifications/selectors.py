"""Reads of notifications. The dossier panel is shown only on a dossier page the visibility rule already
let the user open, so it reads that dossier's messages by id."""

from __future__ import annotations

from django.db.models import QuerySet

from phucvu.notifications.models import ContactPreference, Message


def dossier_messages(dossier_id: int, *, limit: int = 50) -> QuerySet[Message]:
    return Message.objects.filter(dossier_id=dossier_id).order_by("-created_at", "-id")[:limit]


def preference_of(dossier_id: int) -> ContactPreference | None:
    return ContactPreference.objects.filter(dossier_id=dossier_id).first()
