"""Discipline cases: opening, pauses, each step with its legal deadline, the council's conflict check, the
decision (docs/discipline.md §4.3). One transaction each; steps are appended, never edited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput
from phucvu.discipline.authority import ensure_may
from phucvu.discipline.clocks import (
    FORMS,
    POST_FORMS,
    Clocks,
    Period,
    compute_clocks,
    period_end,
    rule_set_for,
)
from phucvu.discipline.models import (
    FORM_KINDS,
    CaseBasis,
    CaseRead,
    CaseStatus,
    CaseStep,
    DisciplineCase,
    Sanction,
    StepKind,
    Violation,
)
from phucvu.discipline.selectors.staff import holds_post
from phucvu.discipline.services.common import check_visible
from phucvu.organization.models import Staff
from phucvu.workcalendar.selectors import calendar_for

# Working days each step has after the one it follows (docs/discipline.md §4.3).
REVIEW_REPORT_DAYS = 3  # the review meeting's report
COUNCIL_DAYS = 5  # council formed after the report
SUMMONS_DAYS = 5  # the summons at least this many working days before the meeting
RECOMMENDATION_DAYS = 5  # after the council's meeting
DECISION_DAYS = 5  # after the recommendation
JUDGMENT_DAYS = 15  # working days from receiving a final criminal judgment to the decision
PARTY_DAYS = 30  # days from the Party's discipline to the matching administrative one
def add_working_days(start: dt.date, days: int, is_working_day: Callable[[dt.date], bool]) -> dt.date:
    """The day `days` working days after `start` (the first day not counted)."""
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def case_clocks(case: DisciplineCase) -> Clocks:
    """Both clocks of the case, with its recorded pauses and extension, on its agency's calendar."""
    pauses = [(s.on, s.until or s.on) for s in case.steps.all() if s.kind == StepKind.PAUSE]
    return compute_clocks(category=case.category, form=case.proposed_form, violation_ended=case.violation_ended,
                          discovered=case.discovered, complex_case=case.complex_case, pauses=pauses,
                          is_working_day=calendar_for(case.staff.agency_id).is_working_day)


def next_steps(case: DisciplineCase) -> list[tuple[str, dt.date | None]]:
    """What may come next and by when (None: no deadline of its own, the decision's time limit applies)."""
    if case.status != CaseStatus.OPEN:
        return []
    working = calendar_for(case.staff.agency_id).is_working_day
    done = {s.kind: s for s in case.steps.all()}
    if case.straight_through and case.basis == CaseBasis.JUDGMENT:
        return [(StepKind.DECISION, add_working_days(case.discovered, JUDGMENT_DAYS, working))]
    if case.straight_through and case.basis == CaseBasis.PARTY:
        return [(StepKind.DECISION, period_end(case.discovered, Period(PARTY_DAYS, "days"), is_working_day=working))]
    if case.straight_through:
        if StepKind.RECOMMENDATION not in done:
            return [(StepKind.RECOMMENDATION, add_working_days(case.discovered, RECOMMENDATION_DAYS, working))]
        return [(StepKind.DECISION, add_working_days(done[StepKind.RECOMMENDATION].on, DECISION_DAYS, working))]
    if StepKind.REVIEW_MEETING not in done:
        return [(StepKind.REVIEW_MEETING, None)]
    if StepKind.COUNCIL_FORMED not in done:
        report = add_working_days(done[StepKind.REVIEW_MEETING].on, REVIEW_REPORT_DAYS, working)
        return [(StepKind.COUNCIL_FORMED, add_working_days(report, COUNCIL_DAYS, working))]
    if StepKind.SUMMONS not in done:
        return [(StepKind.SUMMONS, None)]
    if StepKind.COUNCIL_MEETING not in done:
        return [(StepKind.COUNCIL_MEETING, add_working_days(done[StepKind.SUMMONS].on, SUMMONS_DAYS, working))]
    if StepKind.RECOMMENDATION not in done:
        return [(StepKind.RECOMMENDATION,
                 add_working_days(done[StepKind.COUNCIL_MEETING].on, RECOMMENDATION_DAYS, working))]
    return [(StepKind.DECISION, add_working_days(done[StepKind.RECOMMENDATION].on, DECISION_DAYS, working))]


def _check_office(actor: Staff | None, staff: Staff) -> None:
    """Cases are run by the personnel office (or a system administrator) of an agency that sees the cadre."""
    check_visible(actor, staff)
    ensure_may(actor, "case_run", agency_id=staff.agency_id)


@transaction.atomic
def case_open(*, actor: Staff | None, staff: Staff, proposed_form: str, violation_ended: dt.date,
              discovered: dt.date, complex_case: bool = False, straight_through: bool = False, source: str = "",
              decision_maker: Staff | None = None, violation: Violation | None = None,
              basis: str = "") -> DisciplineCase:
    _check_office(actor, staff)
    if basis and basis not in CaseBasis.values:
        raise InvalidInput("Loại căn cứ không hợp lệ.")
    if straight_through and not basis:
        basis = CaseBasis.INSPECTION
    if not straight_through:
        basis = ""
    if staff.category not in ("CB", "CC", "VC"):
        raise InvalidInput("Chỉ xem xét kỷ luật cán bộ, công chức, viên chức (ngạch CB, CC, VC).")
    if violation is not None and violation.staff_id != staff.pk:
        raise InvalidInput("Vi phạm không phải của cán bộ này.")
    if decision_maker is not None and decision_maker.pk == staff.pk:
        raise InvalidInput("Người bị xem xét không thể là người quyết định kỷ luật.")
    if proposed_form not in FORMS:
        raise InvalidInput("Hình thức kỷ luật không hợp lệ.")
    case = DisciplineCase(staff=staff, violation=violation, category=staff.category, proposed_form=proposed_form,
                          violation_ended=violation_ended, discovered=discovered, complex_case=complex_case,
                          straight_through=straight_through, basis=basis, source=source.strip()[:255],
                          decision_maker=decision_maker, opened_by=actor, opened_at=timezone.now(),
                          rule_set=rule_set_for(staff.category, discovered).code)
    compute_clocks(category=case.category, form=proposed_form, violation_ended=violation_ended,
                   discovered=discovered, complex_case=complex_case, is_working_day=lambda d: True)
    _check_post(staff, proposed_form)
    case.save()
    return case


def _locked(case_id: int) -> DisciplineCase:
    return DisciplineCase.objects.select_for_update().select_related("staff").get(pk=case_id)


def _append(case: DisciplineCase, actor: Staff | None, kind: str, on: dt.date, note: str = "",
            until: dt.date | None = None, data: dict[str, Any] | None = None) -> CaseStep:
    return CaseStep.objects.create(case=case, kind=kind, on=on, until=until, note=note.strip(), data=data or {},
                                   actor=actor, at=timezone.now())


@transaction.atomic
def case_pause(*, actor: Staff | None, case_id: int, first: dt.date, last: dt.date, reason: str) -> CaseStep:
    """Time that counts in neither clock (illness, pregnancy, prosecution, a complaint), both days included."""
    case = _locked(case_id)
    _check_office(actor, case.staff)
    if last < first:
        raise InvalidInput("Ngày kết thúc tạm dừng trước ngày bắt đầu.")
    if not reason.strip():
        raise InvalidInput("Cần nêu lý do không tính thời gian (ốm nặng, thai sản, bị khởi tố…).")
    return _append(case, actor, StepKind.PAUSE, first, reason, until=last)


@transaction.atomic
def case_step(*, actor: Staff | None, case_id: int, kind: str, on: dt.date, note: str = "",
              council: list[Staff] | None = None, votes_for: int | None = None, votes_against: int | None = None,
              form: str = "", decision_number: str = "", effective_from: dt.date | None = None) -> CaseStep:
    """Record the next step; the order of the steps and each one's conditions are checked."""
    case = _locked(case_id)
    _check_office(actor, case.staff)
    expected = [k for k, _due in next_steps(case)]
    if kind == StepKind.EXTENSION:
        return _extend(case, actor, on, note)
    if kind not in expected and not (kind == StepKind.NO_DISCIPLINE and case.status == CaseStatus.OPEN):
        raise InvalidInput("Bước này chưa đến lượt hoặc vụ việc đã kết thúc.")
    last = case.steps.exclude(kind=StepKind.PAUSE).order_by("-on").first()
    if on < case.discovered or (last is not None and on < last.on):
        raise InvalidInput("Ngày của bước không được trước ngày phát hiện hoặc bước trước.")
    clocks = case_clocks(case)
    data: dict[str, Any] = {}
    if kind == StepKind.COUNCIL_FORMED:
        data["members"] = _council(case, council or [])
    elif kind == StepKind.COUNCIL_MEETING:
        summons = case.steps.get(kind=StepKind.SUMMONS).on
        working = calendar_for(case.staff.agency_id).is_working_day
        earliest = add_working_days(summons, SUMMONS_DAYS, working)
        if on < earliest:
            raise InvalidInput(f"Giấy triệu tập phải gửi trước ít nhất {SUMMONS_DAYS} ngày làm việc: họp từ "
                               f"{earliest:%d/%m/%Y}.")
        if votes_for is None or votes_against is None or votes_for < 0 or votes_against < 0:
            raise InvalidInput("Cần kết quả bỏ phiếu kín vòng 1 (có / không kỷ luật).")
        if votes_for + votes_against > case.council.count():
            raise InvalidInput("Số phiếu nhiều hơn số thành viên Hội đồng.")
        data["round1"] = {"for": votes_for, "against": votes_against}
        if votes_for <= votes_against:
            case.status = CaseStatus.NO_DISCIPLINE
            case.save(update_fields=["status"])
            return _append(case, actor, StepKind.COUNCIL_MEETING, on, note, data={**data, "result": "no"})
        data["round2"] = {"form": _form(case, form, on)}
    elif kind == StepKind.RECOMMENDATION:
        data["form"] = _form(case, form, on)
    elif kind == StepKind.DECISION:
        if on > clocks.limitation_ends:
            raise InvalidInput(f"Đã hết thời hiệu xử lý kỷ luật ({clocks.limitation_ends:%d/%m/%Y}).")
        if on > clocks.decision_due:
            raise InvalidInput(f"Đã quá thời hạn xử lý kỷ luật ({clocks.decision_due:%d/%m/%Y}); "
                               "gia hạn nếu vụ việc phức tạp.")
        if not decision_number.strip():
            raise InvalidInput("Cần số quyết định kỷ luật.")
        chosen = _form(case, form, on)
        effective = effective_from or on
        if effective < on:
            raise InvalidInput("Ngày có hiệu lực không được trước ngày quyết định.")
        case.sanction = Sanction.objects.create(staff=case.staff, kind=FORM_KINDS[chosen], violation=case.violation,
                                                decision_number=decision_number.strip()[:60], decided_on=on,
                                                effective_from=effective, reason=note.strip())
        case.status = CaseStatus.DECIDED
        case.save(update_fields=["sanction", "status"])
        data = {"form": chosen, "decision_number": decision_number.strip(), "effective_from": effective.isoformat()}
    elif kind == StepKind.NO_DISCIPLINE:
        case.status = CaseStatus.NO_DISCIPLINE
        case.save(update_fields=["status"])
    return _append(case, actor, kind, on, note, data=data)


def _form(case: DisciplineCase, form: str, on: dt.date) -> str:
    chosen = form or case.proposed_form
    allowed = rule_set_for(case.category, case.discovered).forms
    if chosen not in allowed:
        raise InvalidInput(f"Hình thức {FORMS.get(chosen, chosen)} không áp dụng cho vụ việc này "
                           f"(theo {case.rule_set}).")
    _check_post(case.staff, chosen)
    return chosen


def _check_post(staff: Staff, form: str) -> None:
    """Giáng chức and cách chức take away a post: a công chức or viên chức without one cannot receive them."""
    if form in POST_FORMS and staff.category in ("CC", "VC") and not holds_post(staff):
        raise InvalidInput(f"Hình thức {FORMS[form]} chỉ áp dụng với người giữ chức vụ lãnh đạo, quản lý; "
                           f"{staff.full_name} không giữ chức vụ.")


def _council(case: DisciplineCase, members: list[Staff]) -> list[int]:
    """The council: at least 3 members (an odd number), not the person under review and
    nobody who reported the violation (a conflict of interest)."""
    if len(members) < 3 or len(members) % 2 == 0:
        raise InvalidInput("Hội đồng kỷ luật cần số lẻ thành viên, ít nhất 3 người.")
    for member in members:
        if member.pk == case.staff_id:
            raise InvalidInput(f"{member.full_name} là người bị xem xét kỷ luật: không được ở trong Hội đồng.")
        if case.violation is not None and case.violation.recorded_by_id == member.pk:
            raise InvalidInput(f"{member.full_name} là người phát hiện, báo cáo vi phạm: có xung đột lợi ích, "
                               "không được ở trong Hội đồng.")
    case.council.set(members)
    return [m.pk for m in members]


def _extend(case: DisciplineCase, actor: Staff | None, on: dt.date, note: str) -> CaseStep:
    if case.complex_case:
        raise InvalidInput("Vụ việc đã được gia hạn.")
    if not note.strip():
        raise InvalidInput("Cần nêu lý do gia hạn (tình tiết phức tạp).")
    if case.status != CaseStatus.OPEN:
        raise InvalidInput("Vụ việc đã kết thúc.")
    case.complex_case = True
    case.save(update_fields=["complex_case"])
    return _append(case, actor, StepKind.EXTENSION, on, note)


def case_read_log(*, case: DisciplineCase, reader: Staff) -> CaseRead:
    """Every read of a case file is logged (docs/discipline.md §4.3)."""
    return CaseRead.objects.create(case=case, reader=reader, at=timezone.now())
