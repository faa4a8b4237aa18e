"""The values every citizen message is filled with (code, applicant, procedure, agency, appointment, link)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from phucvu.core.numbers import grouped
from phucvu.dossiers.models import Dossier
from phucvu.dossiers.pdf import lookup_url


def moment(value: dt.datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def money(amount) -> str:
    # Messages are Vietnamese texts: the project's number format in Vietnamese; "đồng" spelled out, as an SMS
    # without accents or a no-break space still reads it.
    with translation.override("vi"):
        return grouped(int(amount)) + " đồng"


def dossier_values(dossier: Dossier) -> dict:
    """The template values every citizen message has."""
    return {"code": dossier.code, "name": dossier.applicant_name, "procedure": dossier.procedure.name,
            "agency": dossier.agency.name, "secret": dossier.secret,
            "due": moment(dossier.reappointed_at or dossier.due_at), "link": lookup_url(dossier.code, dossier.secret)}
