"""Writes of breaches (docs/domain.md §14). One transaction each; nothing is deleted."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from phucvu.core.exceptions import InvalidInput
from phucvu.core.localtime import at_or_now
from phucvu.discipline.models import Violation, ViolationKind
from phucvu.discipline.services.common import check_visible
from phucvu.organization.models import Staff


@transaction.atomic
def violation_record(*, actor: Staff | None, staff: Staff, kind: str, occurred_on: dt.date, description: str,
                     source: str = "", at: dt.datetime | None = None) -> Violation:
    check_visible(actor, staff)
    if kind not in ViolationKind.values:
        raise InvalidInput("Loại vi phạm không hợp lệ.")
    if not description.strip():
        raise InvalidInput("Cần mô tả vi phạm.")
    return Violation.objects.create(staff=staff, kind=kind, occurred_on=occurred_on, description=description,
                                    source=source, recorded_by=actor, recorded_at=at_or_now(at))
