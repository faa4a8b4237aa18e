"""Every change to a dossier: one function per transition, one transaction each (docs/domain.md §6).

Each transition locks the dossier row, checks the version the user saw (`StaleAction` if someone else
acted first) and the state it starts from, writes the new state, appends an immutable `DossierEvent`,
and publishes the dossier's facts to reports in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from phucvu.catalog.models import PauseRule, Procedure, ProcedureVersion, WorkflowStep, rule_set_on
from phucvu.catalog.selectors import procedure_offered_at, procedure_offered_online_at
from phucvu.core import txmemo
from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed, NotFound, StaleAction
from phucvu.core.localtime import at_or_now, local_day
from phucvu.core.text import fold
from phucvu.core.web import check_date_range
from phucvu.dossiers import authority, chain, facts, hooks
from phucvu.dossiers.clock import calendar_for, outcome
from phucvu.dossiers.codes import new_secret, next_code
from phucvu.dossiers.facts import facts_of
from phucvu.dossiers.models import (
    PAUSED_STATUSES,
    AccessAction,
    Channel,
    Collector,
    Dossier,
    DossierEvent,
    DossierStep,
    EventKind,
    PersonalDataAccess,
    Result,
    ResultRecord,
    Status,
)
from phucvu.dossiers.routing import WorkflowTemplate, competent_of, step_plans
from phucvu.organization.models import Agency, Staff, Succession

# The law sets no limit on how far an apology may move the appointment (docs/dossiers.md): we refuse more
# than a year past the original one, which catches a typing slip (the year 9199) without binding a real delay.
APOLOGY_MAX_DELAY = dt.timedelta(days=365)

# ---------------------------------------------------------------------------------------------------
# Facts for reports


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


# ---------------------------------------------------------------------------------------------------
# Shared steps of every transition


def _lock(dossier_id: int, version: int, actor: Staff | None, action: str,
          related: tuple[str, ...] = ()) -> Dossier:
    """Lock the row, check the version the actor saw, the state it is in, and the table of who may act
    (`authority`: whose staff the actor must be, which also keeps everyone else out).

    One query: the current step, the agencies the table compares, the signing step's id (and `related`, what
    the caller reads next) come with the row; only the dossier row is locked (`of`), since PostgreSQL cannot
    lock the nullable side of an outer join.
    """
    if actor is not None and not actor.active:
        raise NotAllowed("Tài khoản cán bộ không còn hoạt động.")
    # The chain's head comes with the row too. On PostgreSQL a statement that waited for the lock reads the
    # events as they were when it began — but then the transition it waited for has moved `version` on, and
    # the check below refuses: a head is only ever used by the transition that saw the latest version.
    head = DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-id").values("chain_hash")[:1]
    qs = (Dossier.objects.select_for_update(of=("self",))
          .select_related("agency", "current_step", "current_step__agency", *related)
          .annotate(signing_step_pk=Subquery(authority.signing_steps(OuterRef("pk")).values("pk")[:1]),
                    chain_head=Subquery(head)))
    found = list(qs.filter(pk=dossier_id).order_by()[:1])
    if not found:
        raise NotFound("Không tìm thấy hồ sơ.")
    dossier = found[0]
    if dossier.version != version:
        raise StaleAction("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và thao tác lại.",
                          details={"expected": version, "current": dossier.version})
    if dossier.status not in authority.RULE[action].statuses:
        raise InvalidTransition(
            f"Không thể thực hiện khi hồ sơ đang ở trạng thái “{Status(dossier.status).label}”.",
            details={"status": dossier.status})
    authority.check(actor, action, dossier)
    return dossier


def _event(dossier: Dossier, *, kind: str, actor: Staff | None, at: dt.datetime, from_status: str,
           note: str = "", step: DossierStep | None = None, data: dict | None = None,
           first: bool = False) -> DossierEvent:
    """Append the event, chained to the dossier's last one (read by `_lock` with the row; `first`: a dossier
    just created has none). The row lock and the version check keep two transitions from chaining to the same
    head (docs/audit.md)."""
    step = step if step is not None else dossier.current_step
    data = data or {}
    prev = chain.GENESIS if first else (dossier.chain_head or chain.GENESIS)  # type: ignore[attr-defined]
    digest = chain.event_hash(prev=prev, dossier_id=dossier.pk, kind=kind, at=at,
                              actor_id=actor.pk if actor else None, from_status=from_status,
                              to_status=dossier.status, step_id=step.pk if step else None, note=note,
                              due_at_then=dossier.due_at, data=chain.canonical_data(data))
    event = DossierEvent.objects.create(
        dossier=dossier, kind=kind, actor=actor, at=at, from_status=from_status, to_status=dossier.status,
        step=step, note=note, due_at_then=dossier.due_at, data=data, prev_hash=prev, chain_hash=digest)
    dossier.chain_head = digest  # type: ignore[attr-defined]
    hooks.emit(event)  # notifications listen (and defer their work to the commit)
    return event


def _save(dossier: Dossier, before: facts.DossierFacts | None, fields: list[str]) -> Dossier:
    dossier.version += 1
    dossier.save(update_fields=[*fields, "version", "updated_at"])
    facts.publish([(before, facts_of(dossier))])
    return dossier


def _finish_step(dossier: Dossier, at: dt.datetime) -> DossierStep | None:
    step = dossier.current_step
    if step is None or step.finished_at is not None:
        return step
    step.finished_at = at
    step.outcome = outcome(at, step.due_at) if step.due_at else ""
    step.save(update_fields=["finished_at", "outcome"])
    return step


def _start_step(step: DossierStep, at: dt.datetime) -> None:
    step.started_at = at
    step.due_at = calendar_for(step.agency_id).add_working_minutes(at, step.minutes)
    step.save(update_fields=["started_at", "due_at", "agency", "assignee"])


def _active_staff(staff_id: int) -> Staff | None:
    """An active cadre with what the visibility rule reads about them, in one query."""
    return (Staff.objects.select_related("user", "agency__parent", "scope")
            .filter(pk=staff_id, active=True).first())


def _check_applicant(applicant_name: str) -> str:
    name = " ".join((applicant_name or "").split())
    if not name:
        raise InvalidInput("Cần ghi họ tên người nộp hồ sơ.")
    return name


def _version_of(procedure_id: int) -> tuple[Procedure, ProcedureVersion]:
    procedure = Procedure.objects.select_related("current_version").filter(pk=procedure_id).first()
    if procedure is None or procedure.current_version is None:
        raise InvalidInput("Không tìm thấy thủ tục.")
    if not procedure.active:
        raise InvalidInput(f"Thủ tục {procedure.code} không còn áp dụng.")
    return procedure, procedure.current_version


def _workflow(version_id: int) -> list[WorkflowTemplate]:
    """(order, name, agency, role, share, unit) of a version's steps. A version's workflow never changes (a
    change makes a new version), so a transaction reads it once however many dossiers it receives."""
    return txmemo.remembered(("dossiers.workflow", version_id), lambda: list(
        WorkflowStep.objects.filter(version_id=version_id).order_by("order")
        .values_list("order", "name", "agency_id", "role", "share", "unit")))


def _set_clock(dossier: Dossier, at: dt.datetime) -> None:
    """Accepted now: the appointment from the version's legal time, on the receiving agency's calendar."""
    version = dossier.procedure_version
    cal = calendar_for(dossier.agency_id)
    start, due, legal = cal.timed(at, version.amount, version.time_unit, cutoff=version.cutoff)
    dossier.received_at, dossier.start_at, dossier.due_at = at, start, due
    dossier.legal_minutes = legal
    dossier.rule_set = rule_set_on(local_day(at))


def _create_steps(dossier: Dossier) -> None:
    """The dossier's steps from its version's workflow, each with its share of the legal time; the first
    one starts with the clock. Written in one INSERT."""
    plans = step_plans(_workflow(dossier.procedure_version_id), dossier.agency, dossier.legal_minutes,
                       dossier.procedure_id)
    dossier.competent_agency_id = competent_of(plans)
    steps = [DossierStep(dossier=dossier, **plan) for plan in plans]
    first = steps[0]
    assert dossier.start_at is not None  # set with the clock (_set_clock), before the steps
    first.started_at = dossier.start_at
    first.due_at = calendar_for(first.agency_id).add_working_minutes(dossier.start_at, first.minutes)
    DossierStep.objects.bulk_create(steps)
    if first.pk is None:  # pragma: no cover - a backend that returns no ids from a bulk insert
        first = DossierStep.objects.get(dossier=dossier, order=first.order)
    dossier.current_step = first


def _start_clock(dossier: Dossier, at: dt.datetime) -> None:
    _set_clock(dossier, at)
    _create_steps(dossier)


# ---------------------------------------------------------------------------------------------------
# Intake


@transaction.atomic
def dossier_receive(*, actor: Staff | None, agency_id: int, procedure_id: int, applicant_name: str,
                    channel: str = Channel.COUNTER, applicant_id_number: str = "", applicant_phone: str = "",
                    applicant_email: str = "", applicant_address: str = "", papers: list[str] | None = None,
                    note: str = "", at: dt.datetime | None = None) -> Dossier:
    """Counter or postal intake: the dossier gets its code, start moment and appointment at once."""
    now = at_or_now(at)
    if channel not in (Channel.COUNTER, Channel.POSTAL):
        raise InvalidInput("Hồ sơ trực tuyến được nộp qua cổng dịch vụ công rồi tiếp nhận.")
    # With its parent: a desk's code prefix and processing agency are its authority's.
    agency = Agency.objects.select_related("parent").filter(pk=agency_id).first()
    if agency is None:
        raise InvalidInput("Không tìm thấy đơn vị tiếp nhận.")
    authority.check(actor, "receive", agency=agency)
    procedure, version = _version_of(procedure_id)
    if not procedure_offered_at(procedure, agency):
        raise InvalidInput(f"Đơn vị {agency.name} không tiếp nhận thủ tục {procedure.code}.")
    dossier = Dossier(code=next_code(agency, now), agency=agency, procedure=procedure, procedure_version=version,
                      field_id=procedure.field_id, channel=channel, status=Status.RECEIVED,
                      applicant_name=_check_applicant(applicant_name), applicant_id_number=applicant_id_number.strip(),
                      applicant_phone=applicant_phone.strip(), applicant_email=applicant_email.strip(),
                      applicant_address=applicant_address.strip(), papers=list(papers or []), secret=new_secret(),
                      received_by=actor)
    _set_clock(dossier, now)
    dossier.save()
    _create_steps(dossier)
    dossier.save(update_fields=["current_step", "competent_agency"])
    _event(dossier, kind=EventKind.RECEIVED, actor=actor, at=now, from_status="", note=note,
           data={"channel": channel, "papers": dossier.papers}, first=True)
    facts.publish([(None, facts_of(dossier))])
    return dossier


@transaction.atomic
def dossier_submit_online(*, actor: Staff | None = None, agency_id: int, procedure_id: int, applicant_name: str,
                          applicant_id_number: str = "", applicant_phone: str = "", applicant_email: str = "",
                          applicant_address: str = "", papers: list[str] | None = None,
                          contact_channels: list[str] | None = None, at: dt.datetime | None = None) -> Dossier:
    """An online submission: it has a code and a secret, but no clock until the desk accepts it.

    `contact_channels` is the applicant's choice of how to be told about the dossier (recorded in the
    event, where the notifications app reads it; an empty list means no messages)."""
    now = at_or_now(at)
    agency = Agency.objects.select_related("parent").filter(pk=agency_id).first()
    if agency is None:
        raise InvalidInput("Không tìm thấy đơn vị tiếp nhận.")
    # A cadre recording a submission for the citizen does it for their own desk, like intake at the counter.
    authority.check(actor, "submit_online", agency=agency)
    procedure, version = _version_of(procedure_id)
    if version.online_level == "none":
        raise InvalidInput(f"Thủ tục {procedure.code} không nhận hồ sơ trực tuyến.")
    if not procedure_offered_online_at(procedure, agency):
        raise InvalidInput(f"Đơn vị {agency.name} không nhận trực tuyến thủ tục {procedure.code}.")
    dossier = Dossier.objects.create(
        code=next_code(agency, now), agency=agency, procedure=procedure, procedure_version=version,
        field_id=procedure.field_id, channel=Channel.ONLINE, status=Status.SUBMITTED, submitted_at=now,
        applicant_name=_check_applicant(applicant_name), applicant_id_number=applicant_id_number.strip(),
        applicant_phone=applicant_phone.strip(), applicant_email=applicant_email.strip(),
        applicant_address=applicant_address.strip(), papers=list(papers or []), secret=new_secret(),
        rule_set=rule_set_on(local_day(now)),
        # Known before the steps exist (they are made when the desk accepts): reports count it from now.
        competent_agency_id=competent_of(step_plans(_workflow(version.pk), agency, 0, procedure.pk)))
    _event(dossier, kind=EventKind.SUBMITTED, actor=actor, at=now, from_status="",
           data={} if contact_channels is None else {"contact_channels": list(contact_channels)}, first=True)
    facts.publish([(None, facts_of(dossier))])
    return dossier


@transaction.atomic
def dossier_accept(*, actor: Staff | None, dossier_id: int, version: int, note: str = "",
                   at: dt.datetime | None = None) -> Dossier:
    """The desk accepts an online submission: the clock starts now (status 2)."""
    now = at_or_now(at)
    dossier = _lock(dossier_id, version, actor, "accept", ("procedure_version", "agency__parent"))
    before = facts_of(dossier)
    dossier.status = Status.RECEIVED
    dossier.received_by = actor
    _start_clock(dossier, now)
    _event(dossier, kind=EventKind.ACCEPTED, actor=actor, at=now, from_status=Status.SUBMITTED, note=note)
    return _save(dossier, before, ["status", "received_by", "received_at", "start_at", "due_at", "legal_minutes",
                                   "rule_set", "current_step", "competent_agency"])


@transaction.atomic
def dossier_refuse(*, actor: Staff | None, dossier_id: int, version: int, reason: str,
                   at: dt.datetime | None = None) -> Dossier:
    """Refuse at reception (status 3): only a submission not yet accepted; the reason goes on form 03."""
    now = at_or_now(at)
    if not reason.strip():
        raise InvalidInput("Cần nêu lý do từ chối tiếp nhận.")
    dossier = _lock(dossier_id, version, actor, "refuse")
    before = facts_of(dossier)
    dossier.status, dossier.refused_at, dossier.result_note = Status.REFUSED, now, reason.strip()
    _event(dossier, kind=EventKind.REFUSED, actor=actor, at=now, from_status=Status.SUBMITTED, note=reason.strip())
    return _save(dossier, before, ["status", "refused_at", "result_note"])


# ---------------------------------------------------------------------------------------------------
# Processing


@transaction.atomic
def dossier_assign(*, actor: Staff | None, dossier_id: int, version: int, assignee_id: int, note: str = "",
                   at: dt.datetime | None = None) -> Dossier:
    """Give the current step to a cadre of the agency holding it."""
    now = at_or_now(at)
    dossier = _lock(dossier_id, version, actor, "assign")
    step = dossier.current_step
    if step is None:
        raise InvalidTransition("Hồ sơ nhập từ hệ thống cũ không có quy trình bước để phân công.")
    assignee = _active_staff(assignee_id)
    if assignee is None:
        raise InvalidInput("Không tìm thấy cán bộ được phân công.")
    if not authority.works_at(assignee, step.agency):
        raise InvalidInput(f"{assignee.full_name} không thuộc đơn vị đang xử lý bước này.")
    before = facts_of(dossier)
    from_status = dossier.status
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    dossier.status = Status.PROCESSING
    _event(dossier, kind=EventKind.ASSIGNED, actor=actor, at=now, from_status=from_status, note=note,
           data={"assignee_id": assignee.pk, "assignee": assignee.full_name})
    return _save(dossier, before, ["status"])


@transaction.atomic
def dossier_forward(*, actor: Staff | None, dossier_id: int, version: int, to_agency_id: int | None = None,
                    assignee_id: int | None = None, note: str = "", at: dt.datetime | None = None) -> Dossier:
    """Finish the current step (its lateness recorded) and start the next one.

    `to_agency_id` sends the next step to another agency (inter-connected processing).
    """
    now = at_or_now(at)
    dossier = _lock(dossier_id, version, actor, "forward")
    current = dossier.current_step
    if current is None:
        raise InvalidTransition("Hồ sơ nhập từ hệ thống cũ không có quy trình bước để chuyển.")
    following = (DossierStep.objects.select_related("agency").filter(dossier=dossier, order__gt=current.order)
                 .order_by("order").first())
    if following is None:
        raise InvalidTransition("Đây là bước cuối cùng: hãy ghi kết quả giải quyết.")
    if to_agency_id is not None and to_agency_id != following.agency_id:
        target = Agency.objects.filter(pk=to_agency_id).first()
        if target is None:
            raise InvalidInput("Không tìm thấy đơn vị nhận.")
        following.agency = target
    if assignee_id is not None:
        assignee = _active_staff(assignee_id)
        if assignee is None or not authority.works_at(assignee, following.agency):
            raise InvalidInput("Cán bộ nhận không thuộc đơn vị xử lý bước tiếp theo.")
        following.assignee = assignee
    before = facts_of(dossier)
    from_status = dossier.status
    finished = _finish_step(dossier, now)
    assert finished is not None  # the current step, checked above
    _start_step(following, now)
    dossier.current_step = following
    dossier.status = Status.PROCESSING
    _event(dossier, kind=EventKind.FORWARDED, actor=actor, at=now, from_status=from_status, note=note,
           step=following,
           data={"from_step": finished.order, "from_outcome": finished.outcome, "to_step": following.order,
                 "to_agency_id": following.agency_id, "step_due_at": _iso(following.due_at),
                 # The hand-over as it was (names then), for the control slip and the citizen's timeline.
                 "from_agency": finished.agency.name, "to_agency": following.agency.name,
                 "to_assignee_id": following.assignee_id,
                 "to_assignee": following.assignee.full_name if following.assignee else ""})
    fields = ["status", "current_step"]
    if following.pk == getattr(dossier, "signing_step_pk", None) and following.agency_id != dossier.competent_agency_id:
        dossier.competent_agency_id = following.agency_id  # the signing step went elsewhere: so did the decision
        fields.append("competent_agency")
    return _save(dossier, before, fields)


def _pause(dossier: Dossier, at: dt.datetime, status: str) -> None:
    dossier.paused_from = dossier.status
    dossier.status = status
    dossier.paused_at = at
    dossier.pauses = [*dossier.pauses, [_iso(at), None]]


@transaction.atomic
def dossier_request_supplement(*, actor: Staff | None, dossier_id: int, version: int, missing: list[str],
                               reason: str = "", at: dt.datetime | None = None) -> Dossier:
    """Ask for missing papers, all at once: the clock stops until they arrive.

    The law allows one request; a second one needs a reason and is recorded as a breach signal.
    """
    now = at_or_now(at)
    missing = [m.strip() for m in missing if m and m.strip()]
    if not missing:
        raise InvalidInput("Cần liệt kê đầy đủ các giấy tờ phải bổ sung.")
    dossier = _lock(dossier_id, version, actor, "request_supplement")
    assert dossier.due_at is not None  # every state that allows this action has an appointment
    if now >= dossier.due_at:
        raise InvalidTransition("Đã quá hạn giải quyết: không được yêu cầu bổ sung để kéo dài thời hạn.")
    breach = dossier.supplement_count >= 1
    if breach and not reason.strip():
        raise NotAllowed("Hồ sơ đã được yêu cầu bổ sung một lần; lần tiếp theo phải nêu rõ lý do.",
                         code="second_supplement_needs_reason")
    before = facts_of(dossier)
    from_status = dossier.status
    _pause(dossier, now, Status.AWAITING_SUPPLEMENT)
    dossier.supplement_count += 1
    _event(dossier, kind=EventKind.SUPPLEMENT_REQUESTED, actor=actor, at=now, from_status=from_status,
           note=reason.strip(), data={"missing": missing, "count": dossier.supplement_count, "breach": breach})
    return _save(dossier, before, ["status", "paused_from", "paused_at", "pauses", "supplement_count"])


@transaction.atomic
def dossier_request_payment(*, actor: Staff | None, dossier_id: int, version: int, amount: int | None = None,
                            note: str = "", at: dt.datetime | None = None) -> Dossier:
    """Wait for the applicant's financial obligation (tax, fee): the clock stops."""
    now = at_or_now(at)
    dossier = _lock(dossier_id, version, actor, "request_payment")
    if amount is not None and amount < 0:
        raise InvalidInput("Số tiền không được âm.")
    before = facts_of(dossier)
    from_status = dossier.status
    _pause(dossier, now, Status.AWAITING_PAYMENT)
    _event(dossier, kind=EventKind.PAYMENT_REQUESTED, actor=actor, at=now, from_status=from_status, note=note,
           data={"amount": amount})
    return _save(dossier, before, ["status", "paused_from", "paused_at", "pauses"])


@transaction.atomic
def dossier_resume(*, actor: Staff | None, dossier_id: int, version: int, note: str = "",
                   papers: list[str] | None = None, at: dt.datetime | None = None) -> Dossier:
    """The papers (or the payment) arrived: the appointment moves by the working time paused.

    A procedure with the "restart" rule counts its whole legal time again after a complete supplement.
    """
    now = at_or_now(at)
    dossier = _lock(dossier_id, version, actor, "resume", ("procedure_version",))
    assert dossier.paused_at is not None and dossier.due_at is not None  # a paused dossier with an appointment
    if now < dossier.paused_at:
        raise InvalidInput("Thời điểm tiếp tục không thể trước thời điểm tạm dừng.")
    before = facts_of(dossier)
    from_status = dossier.status
    cal = calendar_for(dossier.agency_id)
    paused_minutes = cal.working_minutes_between(dossier.paused_at, now)
    version_rules = dossier.procedure_version
    restart = from_status == Status.AWAITING_SUPPLEMENT and version_rules.pause_rule == PauseRule.RESTART
    old_due = dossier.due_at
    if restart:
        _, dossier.due_at = cal.due(now, version_rules.amount, version_rules.time_unit)
    else:
        dossier.due_at = cal.add_working_minutes(old_due, paused_minutes)
    step = dossier.current_step
    if step is not None and step.finished_at is None and step.due_at is not None:
        step_cal = calendar_for(step.agency_id)
        step.due_at = (step_cal.add_working_minutes(now, step.minutes) if restart
                       else step_cal.add_working_minutes(step.due_at, paused_minutes))
        step.save(update_fields=["due_at"])
    dossier.pauses = [*dossier.pauses[:-1], [dossier.pauses[-1][0], _iso(now)]]
    dossier.status = dossier.paused_from or Status.PROCESSING
    dossier.paused_at, dossier.paused_from = None, ""
    if papers:
        dossier.papers = [*dossier.papers, *papers]
    _event(dossier, kind=EventKind.RESUMED, actor=actor, at=now, from_status=from_status, note=note,
           data={"paused_minutes": paused_minutes, "restart": restart, "old_due_at": _iso(old_due),
                 "papers": papers or []})
    return _save(dossier, before, ["status", "due_at", "pauses", "paused_at", "paused_from", "papers"])


@transaction.atomic
def dossier_apologize(*, actor: Staff | None, dossier_id: int, version: int, new_due_at: dt.datetime,
                      reason: str, at: dt.datetime | None = None) -> Dossier:
    """Send the apology with a new date (form 04): before the due moment, once. The dossier still counts
    late, so `due_at` stays; the new date goes to `reappointed_at`."""
    now = at_or_now(at)
    if not reason.strip():
        raise InvalidInput("Cần nêu lý do chậm giải quyết trong phiếu xin lỗi.")
    dossier = _lock(dossier_id, version, actor, "apologize")
    assert dossier.due_at is not None  # every state that allows this action has an appointment
    if dossier.reappointed_at is not None:
        raise InvalidTransition("Hồ sơ đã có phiếu xin lỗi và hẹn lại; chỉ được hẹn lại một lần.")
    # The apology must reach the citizen before the due moment (one-stop decree), so refuse it after.
    if now >= dossier.due_at:
        raise InvalidTransition("Đã quá thời hạn hẹn trả: phiếu xin lỗi phải gửi trước thời hạn.")
    if timezone.is_naive(new_due_at):
        raise InvalidInput("Ngày hẹn lại phải có múi giờ.")
    check_date_range(new_due_at, "Ngày hẹn lại")  # years 2000–2100, before any arithmetic on it
    if new_due_at <= dossier.due_at:
        raise InvalidInput("Ngày hẹn lại phải sau ngày hẹn trả ban đầu.")
    if new_due_at > dossier.due_at + APOLOGY_MAX_DELAY:
        raise InvalidInput("Ngày hẹn lại không được quá một năm sau ngày hẹn trả ban đầu "
                           f"({local_day(dossier.due_at):%d/%m/%Y}).")
    before = facts_of(dossier)
    dossier.reappointed_at = new_due_at
    _event(dossier, kind=EventKind.APOLOGIZED, actor=actor, at=now, from_status=dossier.status,
           note=reason.strip(), data={"reappointed_at": _iso(new_due_at)})
    return _save(dossier, before, ["reappointed_at"])


@transaction.atomic
def dossier_approve(*, actor: Staff | None, dossier_id: int, version: int, note: str = "",
                    at: dt.datetime | None = None) -> Dossier:
    """The leader of the agency holding the signing step approves and signs, when the dossier is at it."""
    now = at_or_now(at)
    dossier = _lock(dossier_id, version, actor, "approve")
    if dossier.approved_at is not None:
        raise InvalidTransition("Hồ sơ đã được phê duyệt.")
    if not authority.at_signing_step(dossier):
        raise InvalidTransition("Hồ sơ chưa đến bước lãnh đạo ký: hãy chuyển đến bước ký trước.",
                                code="not_at_signing_step")
    before = facts_of(dossier)
    dossier.approved_at = now
    _event(dossier, kind=EventKind.APPROVED, actor=actor, at=now, from_status=dossier.status, note=note)
    return _save(dossier, before, ["approved_at"])


# ---------------------------------------------------------------------------------------------------
# The result record (docs/desk.md, "The result record")


@dataclass(frozen=True)
class ResultDocument:
    """The signed result as uploaded: the file's name on the sender's device and its bytes."""

    name: str
    content: bytes


def result_document_max_bytes() -> int:
    return int(getattr(settings, "RESULT_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


def check_result_document(document: ResultDocument | None) -> ResultDocument:
    """A PDF by its first bytes (the name and the sender's content type are not trusted), within the limit."""
    if document is None or not document.content:
        raise InvalidInput("Cần đính kèm văn bản kết quả đã ký (tệp PDF).")
    limit = result_document_max_bytes()
    if len(document.content) > limit:
        raise InvalidInput(f"Văn bản kết quả vượt quá {limit // (1024 * 1024)} MB.")
    if not document.content.startswith(b"%PDF-"):
        raise InvalidInput("Văn bản kết quả phải là tệp PDF.")
    return document


def _result_fields(dossier: Dossier, now: dt.datetime, *, decision_number: str, decision_date: dt.date | None,
                   signer_name: str) -> tuple[str, dt.date, str]:
    number, signer = " ".join(decision_number.split()), " ".join(signer_name.split())
    errors = []
    if not number:
        errors.append("Cần ghi số quyết định (giấy phép, văn bản) kết quả.")
    decision_date = decision_date or local_day(now)  # signed the day the result is recorded, unless told
    if decision_date > local_day(now):
        errors.append("Ngày ký văn bản kết quả không thể sau hôm nay.")
    elif dossier.received_at is not None and decision_date < local_day(dossier.received_at):
        errors.append("Ngày ký văn bản kết quả không thể trước ngày tiếp nhận hồ sơ.")
    if not signer:
        errors.append("Cần ghi người ký văn bản kết quả.")
    if errors:
        raise InvalidInput(" ".join(errors), details=errors)
    return number, decision_date, signer


@transaction.atomic
def dossier_resolve(*, actor: Staff | None, dossier_id: int, version: int, result: str, reason: str = "",
                    decision_number: str = "", decision_date: dt.date | None = None, signer_name: str = "",
                    document: ResultDocument | None = None, at: dt.datetime | None = None) -> Dossier:
    """The result is ready (status 9): granted, or refused after processing with the reason — recorded with
    the decision's (permit's, written refusal's) number and date, its signer and the signed PDF.

    A cadre must give the number, the signer and the document (the date defaults to the day the result is
    recorded); the system (`actor=None`: a data migration, the shell) may record a result without them. The
    document is stored under a random name after every check, as the last write."""
    now = at_or_now(at)
    if result not in Result.values:
        raise InvalidInput("Kết quả phải là giải quyết (granted) hoặc từ chối (refused).")
    if result == Result.REFUSED and not reason.strip():
        raise InvalidInput("Từ chối giải quyết phải nêu rõ lý do.")
    dossier = _lock(dossier_id, version, actor, "resolve")
    assert dossier.due_at is not None  # every state that allows this action has an appointment
    # The result is an administrative decision signed by the competent leader (Decree 61/2018 art. 18,
    # Decree 118/2025): where the workflow has the leader's step, that signature must come first.
    if dossier.approved_at is None and authority.signing_step(dossier) is not None:
        raise InvalidTransition("Kết quả chưa được lãnh đạo phê duyệt, ký: hãy trình phê duyệt trước.",
                                code="approval_required")
    record = ResultRecord(dossier=dossier, recorded_at=now, recorded_by=actor)
    given = bool(decision_number.strip() or signer_name.strip() or document)
    if actor is not None or given:
        record.number, record.signed_on, record.signer_name = _result_fields(
            dossier, now, decision_number=decision_number, decision_date=decision_date, signer_name=signer_name)
        if actor is not None and fold(actor.full_name) == fold(record.signer_name):
            record.signer = actor  # the leader records the decision they signed
    if actor is not None or document is not None:
        document = check_result_document(document)
    before = facts_of(dossier)
    from_status = dossier.status
    step = _finish_step(dossier, now)
    dossier.status, dossier.resolved_at, dossier.result = Status.RESOLVED, now, result
    dossier.result_note = reason.strip()
    if document is not None:
        record.document_name = PurePath(document.name).name[:255] or "ket-qua.pdf"
        record.document_size = len(document.content)
        record.document_sha256 = hashlib.sha256(document.content).hexdigest()
        # A random stored name: nothing the sender typed reaches the file system.
        record.document.save(f"{secrets.token_hex(16)}.pdf", ContentFile(document.content), save=False)
    record.save(force_insert=True)
    _event(dossier, kind=EventKind.RESOLVED, actor=actor, at=now, from_status=from_status, note=reason.strip(),
           step=step, data={"result": result, "outcome": outcome(now, dossier.due_at),
                            "step_outcome": step.outcome if step else "", "decision_number": record.number,
                            "decision_date": record.signed_on.isoformat() if record.signed_on else None,
                            "signer": record.signer_name, "document_sha256": record.document_sha256})
    return _save(dossier, before, ["status", "resolved_at", "result", "result_note"])


def _collection(dossier: Dossier, *, collector: str, collector_name: str, collector_id_number: str,
                authorisation: str, tracking_number: str, fee_amount: int | None,
                fee_receipt_number: str) -> dict:
    """The return's fields, checked (Decree 61/2018 art. 20): who took the result and the fees collected."""
    name, authorisation = " ".join(collector_name.split()), " ".join(authorisation.split())
    tracking, receipt = tracking_number.strip(), fee_receipt_number.strip()
    errors = []
    if collector not in Collector.values:
        errors.append("Người nhận kết quả phải là người nộp hồ sơ, người được ủy quyền hoặc bưu chính.")
    elif collector == Collector.APPLICANT:
        name = name or dossier.applicant_name
    elif collector == Collector.AUTHORISED:
        if not name:
            errors.append("Cần ghi họ tên người được ủy quyền nhận kết quả.")
        if not authorisation:
            errors.append("Cần ghi giấy ủy quyền (số, ngày) của người nhận thay.")
    elif collector == Collector.POST and not tracking:
        errors.append("Trả qua bưu chính cần ghi mã bưu gửi.")
    if fee_amount is not None and fee_amount < 0:
        errors.append("Số tiền phí, lệ phí không được âm.")
    elif fee_amount and not receipt:
        errors.append("Đã thu phí, lệ phí thì cần ghi số biên lai.")
    if errors:
        raise InvalidInput(" ".join(errors), details=errors)
    return {"collector": collector, "collector_name": name[:255], "collector_id_number": collector_id_number.strip()[:40],
            "authorisation": authorisation[:255] if collector == Collector.AUTHORISED else "",
            "tracking_number": tracking[:60] if collector == Collector.POST else "",
            "fee_amount": fee_amount or 0, "fee_receipt_number": receipt[:60] if fee_amount else ""}


@transaction.atomic
def dossier_return_result(*, actor: Staff | None, dossier_id: int, version: int, note: str = "",
                          collector: str = Collector.APPLICANT, collector_name: str = "",
                          collector_id_number: str = "", authorisation: str = "", tracking_number: str = "",
                          fee_amount: int | None = None, fee_receipt_number: str = "",
                          at: dt.datetime | None = None) -> Dossier:
    """The desk hands the result back (status 10) and records to whom — the applicant, a person they
    authorised (with the authorisation paper) or the post (with the tracking number) — and the fees
    collected with the receipt's number."""
    now = at_or_now(at)
    dossier = _lock(dossier_id, version, actor, "return_result")
    handed = _collection(dossier, collector=collector, collector_name=collector_name,
                         collector_id_number=collector_id_number, authorisation=authorisation,
                         tracking_number=tracking_number, fee_amount=fee_amount,
                         fee_receipt_number=fee_receipt_number)
    before = facts_of(dossier)
    dossier.status, dossier.returned_at = Status.RETURNED, now
    # The dossier row is locked: nobody else writes its record meanwhile. One UPDATE, or an INSERT for a
    # dossier resolved before results were recorded.
    if not ResultRecord.objects.filter(pk=dossier.pk).update(returned_by=actor, **handed):
        ResultRecord.objects.create(dossier=dossier, returned_by=actor, **handed)
    _event(dossier, kind=EventKind.RETURNED, actor=actor, at=now, from_status=Status.RESOLVED, note=note,
           data=handed)
    return _save(dossier, before, ["status", "returned_at"])


def _close(dossier: Dossier, now: dt.datetime) -> None:
    _finish_step(dossier, now)
    if dossier.status in PAUSED_STATUSES:
        dossier.pauses = [*dossier.pauses[:-1], [dossier.pauses[-1][0], _iso(now)]]
        dossier.paused_at, dossier.paused_from = None, ""


@transaction.atomic
def dossier_withdraw(*, actor: Staff | None, dossier_id: int, version: int, reason: str = "",
                     at: dt.datetime | None = None) -> Dossier:
    """The applicant withdraws the dossier (status 7); it stays on record."""
    now = at_or_now(at)
    dossier = _lock(dossier_id, version, actor, "withdraw")
    before = facts_of(dossier)
    from_status = dossier.status
    _close(dossier, now)
    dossier.status, dossier.withdrawn_at = Status.WITHDRAWN, now
    _event(dossier, kind=EventKind.WITHDRAWN, actor=actor, at=now, from_status=from_status, note=reason)
    return _save(dossier, before, ["status", "withdrawn_at", "pauses", "paused_at", "paused_from"])


@transaction.atomic
def dossier_stop(*, actor: Staff | None, dossier_id: int, version: int, reason: str,
                 at: dt.datetime | None = None) -> Dossier:
    """Stop processing (status 8), with the reason for the stop notice."""
    now = at_or_now(at)
    if not reason.strip():
        raise InvalidInput("Cần nêu lý do dừng xử lý hồ sơ.")
    dossier = _lock(dossier_id, version, actor, "stop")
    before = facts_of(dossier)
    from_status = dossier.status
    _close(dossier, now)
    dossier.status, dossier.stopped_at, dossier.result_note = Status.STOPPED, now, reason.strip()
    _event(dossier, kind=EventKind.STOPPED, actor=actor, at=now, from_status=from_status, note=reason.strip())
    return _save(dossier, before, ["status", "stopped_at", "result_note", "pauses", "paused_at", "paused_from"])


@transaction.atomic
def dossier_transfer(*, actor: Staff | None, dossier_id: int, version: int, to_agency_id: int,
                     note: str = "", at: dt.datetime | None = None) -> Dossier:
    """Hand an open dossier to the successor of the agency holding it (a merge or split).

    The clock is not restarted and the receiving agency stays as it was: only the steps still to do at
    the old agency move to the successor.
    """
    now = at_or_now(at)
    dossier = _lock(dossier_id, version, actor, "transfer")
    step = dossier.current_step
    from_agency_id = step.agency_id if step else dossier.agency_id
    if not Succession.objects.filter(predecessor_id=from_agency_id, successor_id=to_agency_id).exists():
        raise InvalidInput("Đơn vị nhận không phải là đơn vị kế thừa của đơn vị đang xử lý hồ sơ.")
    before = facts_of(dossier)
    moved = DossierStep.objects.filter(dossier=dossier, agency_id=from_agency_id, finished_at__isnull=True).update(
        agency_id=to_agency_id, assignee=None)
    if step is not None:
        step.refresh_from_db()
    _event(dossier, kind=EventKind.TRANSFERRED, actor=actor, at=now, from_status=dossier.status, note=note,
           data={"from_agency_id": from_agency_id, "to_agency_id": to_agency_id, "steps_moved": moved})
    fields = []
    if dossier.competent_agency_id == from_agency_id:  # its signing step, still to do, moved with the rest
        dossier.competent_agency_id = to_agency_id
        fields.append("competent_agency")
    return _save(dossier, before, fields)


def dossier_reload(dossier: Dossier) -> Dossier:
    """A fresh copy with what the pages show alongside (for callers that keep an object across calls)."""
    return Dossier.objects.select_related("current_step", "procedure", "procedure_version", "agency").get(
        pk=dossier.pk)


# ---------------------------------------------------------------------------------------------------
# Who read personal data (docs/security.md §3)

ACCESS_BATCH = 2000


def personal_data_accessed(*, user, dossiers: Iterable[Dossier | tuple[int, int]], action: str, detail: str = "",
                           via_api: bool = False, address: str = "", at: dt.datetime | None = None) -> int:
    """Record that `user` viewed, printed, exported or downloaded these dossiers' personal data: one row per
    dossier, written in one bulk insert (an export of 20,000 dossiers is a few batched statements, not 20,000
    queries). `dossiers`: the dossiers, or (dossier id, agency id) pairs. Nobody signed in: nothing written
    (the citizen reading their own dossier with its code and secret). Returns the number of rows."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    if action not in AccessAction.values:
        raise InvalidInput("Thao tác không hợp lệ.")
    now = at_or_now(at)
    rows = (PersonalDataAccess(at=now, user_id=user.pk, dossier_id=d.pk if isinstance(d, Dossier) else d[0],
                               agency_id=d.agency_id if isinstance(d, Dossier) else d[1], action=action,
                               via_api=via_api, detail=detail[:120], address=address[:64])
            for d in dossiers)
    written = 0
    while batch := list(itertools.islice(rows, ACCESS_BATCH)):
        PersonalDataAccess.objects.bulk_create(batch)
        written += len(batch)
    return written
