"""Writes of sanctions (docs/domain.md §14). One transaction each; a sanction stays on the cadre's file."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.discipline.clocks import CATEGORIES, check_form
from phucvu.discipline.models import ALLOWED_SANCTIONS, KIND_FORMS, Sanction, Violation
from phucvu.discipline.services.common import check_visible
from phucvu.organization.models import Staff


@transaction.atomic
def sanction_decide(*, actor: Staff | None, staff: Staff, kind: str, decision_number: str, decided_on: dt.date,
                    violation: Violation | None = None) -> Sanction:
    check_visible(actor, staff)
    if kind not in ALLOWED_SANCTIONS.get(staff.category, set()):
        raise NotAllowed(f"Hình thức kỷ luật này không áp dụng cho ngạch {staff.get_category_display()}.")
    if staff.category in CATEGORIES and kind in KIND_FORMS:
        # The dated rule sets (docs/discipline.md §4.1): e.g. no hạ bậc lương for a công chức from 1/7/2025.
        try:
            check_form(staff.category, KIND_FORMS[kind], decided_on)
        except InvalidInput as error:
            raise NotAllowed(error.message) from None
    if violation is not None and violation.staff_id != staff.pk:
        raise InvalidInput("Vi phạm không phải của cán bộ này.")
    return Sanction.objects.create(staff=staff, kind=kind, decision_number=decision_number, decided_on=decided_on,
                                   violation=violation)


@transaction.atomic
def sanction_import_save(*, staff: Staff, kind: str, decided_on: dt.date, effective_from: dt.date | None,
                         reason: str = "", decision_number: str = "") -> Sanction:
    """A sanction decided outside the system (`phucvu import sanctions`); the form was checked by date."""
    return Sanction.objects.create(staff=staff, kind=kind, decision_number=decision_number, decided_on=decided_on,
                                   effective_from=effective_from, reason=reason, imported=True)
