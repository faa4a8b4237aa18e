"""Writes of commitments (docs/domain.md §14). One transaction each."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from phucvu.core.exceptions import InvalidInput
from phucvu.discipline.models import Commitment
from phucvu.discipline.services.common import check_visible
from phucvu.organization.models import Staff


@transaction.atomic
def commitment_sign(*, actor: Staff | None, staff: Staff, year: int, text_version: str,
                    signed_on: dt.date) -> Commitment:
    check_visible(actor, staff)
    if Commitment.objects.filter(staff=staff, year=year, text_version=text_version).exists():
        raise InvalidInput("Cán bộ đã ký bản cam kết này trong năm.")
    return Commitment.objects.create(staff=staff, year=year, text_version=text_version, signed_on=signed_on)
