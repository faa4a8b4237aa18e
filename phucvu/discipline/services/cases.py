"""Writes of sanctions (docs/domain.md §14). One transaction each; a sanction stays on the cadre's file."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.discipline.authority import ensure_may
from phucvu.discipline.clocks import CATEGORIES, check_form
from phucvu.discipline.models import (
    ALLOWED_SANCTIONS,
    KIND_FORMS,
    CaseStatus,
    DisciplineCase,
    Sanction,
    SanctionRevocation,
    Violation,
)
from phucvu.discipline.services.case_steps import add_working_days
from phucvu.discipline.services.common import check_visible
from phucvu.organization.models import Role, Staff
from phucvu.workcalendar.selectors import calendar_for


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


# Who revokes a sanction: the personnel office, acting on the competent person's new decision.
PUBLISH_DAYS = 10  # working days to publish a revocation


@transaction.atomic
def sanction_revoke(*, actor: Staff | None, sanction_id: int, decision_number: str, decided_on: dt.date,
                    reason: str) -> SanctionRevocation:
    """A wrongful sanction is revoked by a new decision (docs/discipline.md §4.5): the sanction stays on file,
    marked revoked; it no longer caps the year's grade nor delays the salary step."""
    sanction = Sanction.objects.select_for_update().select_related("staff").filter(pk=sanction_id).first()
    if sanction is None:
        raise InvalidInput("Không có quyết định kỷ luật này.")
    check_visible(actor, sanction.staff)
    ensure_may(actor, "sanction_revoke", agency_id=sanction.staff.agency_id)
    if SanctionRevocation.objects.filter(sanction=sanction).exists():
        raise InvalidInput("Quyết định kỷ luật này đã bị hủy.")
    if not decision_number.strip() or not reason.strip():
        raise InvalidInput("Cần số quyết định hủy và lý do.")
    if decided_on < sanction.decided_on:
        raise InvalidInput("Ngày quyết định hủy không được trước ngày quyết định kỷ luật.")
    working = calendar_for(sanction.staff.agency_id).is_working_day
    return SanctionRevocation.objects.create(
        sanction=sanction, decision_number=decision_number.strip()[:60], decided_on=decided_on,
        reason=reason.strip(), publish_by=add_working_days(decided_on, PUBLISH_DAYS, working), actor=actor,
        at=timezone.now())


@transaction.atomic
def revocation_publish(*, actor: Staff | None, revocation_id: int, published_on: dt.date) -> SanctionRevocation:
    revocation = (SanctionRevocation.objects.select_for_update().select_related("sanction__staff")
                  .filter(pk=revocation_id).first())
    if revocation is None:
        raise InvalidInput("Không có quyết định hủy này.")
    check_visible(actor, revocation.sanction.staff)
    ensure_may(actor, "sanction_revoke", agency_id=revocation.sanction.staff.agency_id)
    if revocation.published_on is not None:
        raise InvalidInput("Đã ghi nhận việc công bố.")
    if published_on < revocation.decided_on:
        raise InvalidInput("Ngày công bố không được trước ngày quyết định hủy.")
    revocation.published_on = published_on
    revocation.save(update_fields=["published_on"])
    return revocation


def staff_change_check(staff: Staff, changes: dict[str, tuple[object, object]]) -> None:
    """While a discipline case is open the cadre is not appointed, transferred, nor let go (resignation or
    retirement) (docs/discipline.md §4.5). Registered with the organisation's staff changes."""
    case = DisciplineCase.objects.filter(staff_id=staff.pk, status=CaseStatus.OPEN).order_by("opened_at").first()
    if case is None:
        return
    blocked = []
    if "agency_id" in changes:
        blocked.append("điều động, chuyển công tác")
    if ("role" in changes and changes["role"][1] == Role.UNIT_LEADER or "position" in changes
            or changes.get("holds_post", (None, False))[1] is True):
        blocked.append("bổ nhiệm, thay đổi chức vụ")
    if "active" in changes and changes["active"][1] is False:
        blocked.append("cho thôi việc, nghỉ hưu")
    if blocked:
        raise NotAllowed(f"{staff.full_name} đang bị xem xét kỷ luật (vụ việc phát hiện ngày "
                         f"{case.discovered:%d/%m/%Y}): không được {', '.join(blocked)} cho đến khi vụ việc kết thúc.")
