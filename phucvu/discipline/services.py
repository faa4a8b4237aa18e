"""Every write to discipline records. Nothing is deleted: a sanction stays on the cadre's file."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.discipline.models import ALLOWED_SANCTIONS, Commitment, Sanction, Violation, ViolationKind
from phucvu.organization.models import Staff
from phucvu.organization.selectors import ensure_visible


def _check(actor: Staff | None, staff: Staff) -> None:
    if actor is not None:
        ensure_visible(actor.user, staff.agency_id)


@transaction.atomic
def commitment_sign(*, actor: Staff | None, staff: Staff, year: int, text_version: str,
                    signed_on: dt.date) -> Commitment:
    _check(actor, staff)
    if Commitment.objects.filter(staff=staff, year=year, text_version=text_version).exists():
        raise InvalidInput("Cán bộ đã ký bản cam kết này trong năm.")
    return Commitment.objects.create(staff=staff, year=year, text_version=text_version, signed_on=signed_on)


@transaction.atomic
def violation_record(*, actor: Staff | None, staff: Staff, kind: str, occurred_on: dt.date, description: str,
                     source: str = "", at: dt.datetime | None = None) -> Violation:
    _check(actor, staff)
    if kind not in ViolationKind.values:
        raise InvalidInput("Loại vi phạm không hợp lệ.")
    if not description.strip():
        raise InvalidInput("Cần mô tả vi phạm.")
    return Violation.objects.create(staff=staff, kind=kind, occurred_on=occurred_on, description=description,
                                    source=source, recorded_by=actor, recorded_at=at or timezone.now())


@transaction.atomic
def sanction_decide(*, actor: Staff | None, staff: Staff, kind: str, decision_number: str, decided_on: dt.date,
                    violation: Violation | None = None) -> Sanction:
    _check(actor, staff)
    if kind not in ALLOWED_SANCTIONS.get(staff.category, set()):
        raise NotAllowed(f"Hình thức kỷ luật này không áp dụng cho ngạch {staff.get_category_display()}.")
    if violation is not None and violation.staff_id != staff.pk:
        raise InvalidInput("Vi phạm không phải của cán bộ này.")
    return Sanction.objects.create(staff=staff, kind=kind, decision_number=decision_number, decided_on=decided_on,
                                   violation=violation)
