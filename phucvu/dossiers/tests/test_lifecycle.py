"""Every transition of docs/domain.md §6, and every refusal of one."""

from __future__ import annotations

import datetime as dt

import pytest

from phucvu.catalog.services import (
    StepSpec,
    field_ensure,
    procedure_create,
    procedure_offer,
    procedure_revise,
)
from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed, StaleAction
from phucvu.dossiers import facts
from phucvu.dossiers import services as s
from phucvu.dossiers.models import Dossier, DossierEvent, EventKind, Status
from phucvu.dossiers.tests.results import result_record
from phucvu.organization.services import agency_succeed

from .conftest import local

pytestmark = pytest.mark.django_db


def fresh(dossier):
    return Dossier.objects.select_related("current_step").get(pk=dossier.pk)


def kinds(dossier):
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id").values_list("kind", flat=True))


def to_processing(receive, staff, at=None):
    d = receive(at=at)
    return s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                             at=(at or local(2026, 3, 9, 9, 0)) + dt.timedelta(minutes=30))


def to_signing(d, staff, at=None):
    """The specialist hands the examined dossier to the leader's signing step."""
    return s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                             at=at - dt.timedelta(minutes=5) if at else None)


def approved(d, staff, at=None):
    d = to_signing(d, staff, at)
    return s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version, at=at)


# --- intake -------------------------------------------------------------------------------------


def test_receive_gives_code_start_and_appointment(receive):
    d = receive(at=local(2026, 3, 9, 9, 0))  # Monday
    assert d.code == "000.21.01.H41-260309-0001"
    assert d.status == Status.RECEIVED and d.portal_code == 2
    assert d.start_at == local(2026, 3, 9, 9, 0)
    assert d.due_at == local(2026, 3, 16, 9, 0)  # 5 working days → next Monday 09:00
    assert d.legal_minutes == 5 * 480
    assert len(d.secret) == 8
    assert d.rule_set == "nd118_2025"  # received after 1/7/2025
    assert kinds(d) == [EventKind.RECEIVED]


def test_receive_starts_the_first_step_clock_from_its_share(receive):
    d = fresh(receive(at=local(2026, 3, 9, 9, 0)))
    step = d.current_step
    assert step.order == 1 and step.minutes == 240  # 10% of 5 days
    assert step.due_at == local(2026, 3, 9, 15, 0)
    assert step.agency.code == "X06652-MC"  # reception stays at the desk
    assert [st.agency.code for st in d.steps.order_by("order")][1:] == ["X06652", "X06652"]


def test_codes_count_per_agency_and_day_and_restart_next_day(receive, province):
    a = receive(at=local(2026, 3, 9, 9, 0))
    b = receive(at=local(2026, 3, 9, 10, 0))
    c = receive(at=local(2026, 3, 10, 8, 0))
    assert [a.code[-4:], b.code[-4:], c.code[-4:]] == ["0001", "0002", "0001"]
    assert c.code.split("-")[1] == "260310"


def test_a_failed_intake_gives_its_number_back(receive):
    receive(at=local(2026, 3, 9, 9, 0))
    with pytest.raises(InvalidInput):
        receive(at=local(2026, 3, 9, 9, 5), applicant_name="  ")
    assert receive(at=local(2026, 3, 9, 9, 10)).code.endswith("-0002")


def test_receive_refuses_an_agency_outside_the_clerks_scope(receive, province):
    with pytest.raises(NotAllowed):
        receive(agency_id=province["commune3"].pk)


def test_receive_refuses_a_procedure_not_offered_at_the_agency(receive, procedure, province):
    procedure_offer(procedure_id=procedure.pk, agency_id=province["commune_desk"].pk, active=False)
    with pytest.raises(InvalidInput):
        receive()


def test_receive_after_the_cutoff_counts_from_the_next_working_day(receive, procedure):
    procedure_revise(procedure_id=procedure.pk, cutoff=dt.time(15, 0))
    late = receive(at=local(2026, 3, 9, 15, 30))
    on_cutoff = receive(at=local(2026, 3, 9, 15, 0))
    assert late.start_at == local(2026, 3, 10, 7, 0)
    assert on_cutoff.start_at == local(2026, 3, 9, 15, 0)


def test_online_submission_has_no_clock_until_accepted(province, procedure, staff):
    d = s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                applicant_name="Trần Thị Bình", at=local(2026, 3, 7, 20, 0))
    assert d.status == Status.SUBMITTED and d.portal_code == 1 and d.due_at is None
    d = s.dossier_accept(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 8, 0))
    assert d.status == Status.RECEIVED and d.received_at == local(2026, 3, 9, 8, 0)
    assert d.due_at == local(2026, 3, 16, 8, 0)
    assert kinds(d) == [EventKind.SUBMITTED, EventKind.ACCEPTED]


def test_online_submission_refused_for_an_offline_procedure(province, procedure):
    procedure_revise(procedure_id=procedure.pk, online_level="none")
    with pytest.raises(InvalidInput):
        s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                applicant_name="Trần Thị Bình")


def test_refuse_at_reception_needs_a_reason_and_a_submission(province, procedure, staff, receive):
    d = s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                applicant_name="Trần Thị Bình")
    with pytest.raises(InvalidInput):
        s.dossier_refuse(actor=staff["clerk"], dossier_id=d.pk, version=d.version, reason=" ")
    d = s.dossier_refuse(actor=staff["clerk"], dossier_id=d.pk, version=d.version, reason="Sai thẩm quyền")
    assert d.status == Status.REFUSED and d.portal_code == 3 and d.received_at is None
    counter = receive()
    with pytest.raises(InvalidTransition):
        s.dossier_refuse(actor=staff["clerk"], dossier_id=counter.pk, version=counter.version, reason="x")


# --- concurrency and scope -------------------------------------------------------------------------


def test_a_stale_version_is_refused_and_changes_nothing(receive, staff):
    d = receive()
    s.dossier_assign(actor=staff["leader"], dossier_id=d.pk, version=d.version, assignee_id=staff["clerk"].pk)
    with pytest.raises(StaleAction):
        s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
    after = fresh(d)
    assert after.current_step.order == 1 and after.version == d.version + 1
    assert kinds(d) == [EventKind.RECEIVED, EventKind.ASSIGNED]


def test_staff_of_another_commune_cannot_act(receive, staff):
    d = receive()
    with pytest.raises(NotAllowed):
        s.dossier_forward(actor=staff["outsider"], dossier_id=d.pk, version=d.version)


def test_events_are_append_only(receive):
    event = DossierEvent.objects.filter(dossier=receive()).first()
    event.note = "sửa"
    with pytest.raises(RuntimeError):
        event.save()


# --- steps -------------------------------------------------------------------------------------------


def test_assign_puts_the_dossier_in_processing(receive, staff):
    d = receive()
    d = s.dossier_assign(actor=staff["leader"], dossier_id=d.pk, version=d.version, assignee_id=staff["clerk"].pk)
    assert d.status == Status.PROCESSING and d.portal_code == 4
    assert fresh(d).current_step.assignee == staff["clerk"]


def test_assignee_must_work_where_the_step_is(receive, staff):
    d = receive()
    with pytest.raises(InvalidInput):
        s.dossier_assign(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                         assignee_id=staff["outsider"].pk)


def test_forward_records_step_lateness_and_starts_the_next_step_clock(receive, staff):
    d = receive(at=local(2026, 3, 9, 9, 0))  # step 1 due Mon 15:00
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 16, 0),
                          assignee_id=staff["specialist"].pk)
    d = fresh(d)
    first = d.steps.get(order=1)
    assert first.finished_at == local(2026, 3, 9, 16, 0) and first.outcome == "late"
    step = d.current_step
    assert step.order == 2 and step.assignee == staff["specialist"]
    assert step.started_at == local(2026, 3, 9, 16, 0)
    assert step.minutes == 1680  # 70% of 5 days
    assert step.due_at == local(2026, 3, 13, 10, 0)  # Mon 16:00 + 3.5 working days
    assert d.status == Status.PROCESSING


def test_forward_to_another_agency_is_inter_connected(receive, staff, province):
    d = receive()
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                          to_agency_id=province["dept"].pk)
    assert fresh(d).current_step.agency == province["dept"]


def test_forward_from_the_last_step_is_refused(receive, staff):
    d = to_processing(receive, staff)
    d = s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version)
    with pytest.raises(InvalidTransition):
        s.dossier_forward(actor=staff["leader"], dossier_id=d.pk, version=d.version)


# --- pauses ------------------------------------------------------------------------------------------


def test_supplement_request_pauses_the_clock(receive, staff):
    d = to_processing(receive, staff)
    d = s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                                     missing=["Bản vẽ mặt bằng"], at=local(2026, 3, 10, 9, 0))
    assert d.status == Status.AWAITING_SUPPLEMENT and d.portal_code == 5
    assert d.paused_at == local(2026, 3, 10, 9, 0)
    assert d.due_at == local(2026, 3, 16, 9, 0)  # not moved until resumed


def test_resume_moves_the_due_moment_by_the_working_time_paused(receive, staff):
    d = to_processing(receive, staff)
    assert fresh(d).current_step.due_at == local(2026, 3, 12, 15, 30)
    d = s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                                     missing=["Bản vẽ mặt bằng"], at=local(2026, 3, 10, 9, 0))
    # Paused Tue 09:00 → Thu 09:00: two working days.
    d = s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 12, 9, 0))
    assert d.status == Status.PROCESSING
    assert d.due_at == local(2026, 3, 18, 9, 0)
    assert fresh(d).current_step.due_at == local(2026, 3, 16, 15, 30)  # the step moves too, over the weekend
    assert d.pauses == [[local(2026, 3, 10, 9, 0).isoformat(), local(2026, 3, 12, 9, 0).isoformat()]]
    resumed = DossierEvent.objects.get(dossier=d, kind=EventKind.RESUMED)
    assert resumed.data["paused_minutes"] == 960


def test_restart_rule_counts_the_whole_time_again(receive, staff, procedure):
    procedure_revise(procedure_id=procedure.pk, pause_rule="restart")
    d = to_processing(receive, staff)
    d = s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                                     missing=["Bản vẽ"], at=local(2026, 3, 10, 9, 0))
    d = s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 12, 9, 0))
    assert d.due_at == local(2026, 3, 19, 9, 0)


def test_supplement_request_must_list_the_missing_papers(receive, staff):
    d = to_processing(receive, staff)
    with pytest.raises(InvalidInput):
        s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version, missing=[])


def test_second_supplement_request_needs_a_reason(receive, staff):
    d = to_processing(receive, staff)
    d = s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                                     missing=["A"], at=local(2026, 3, 10, 9, 0))
    d = s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 10, 10, 0))
    with pytest.raises(NotAllowed):
        s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                                     missing=["B"], at=local(2026, 3, 10, 11, 0))
    d = s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                                     missing=["B"], reason="Thay đổi quy hoạch", at=local(2026, 3, 10, 11, 0))
    second = DossierEvent.objects.filter(dossier=d, kind=EventKind.SUPPLEMENT_REQUESTED).order_by("-id")[0]
    assert second.data["breach"] is True and d.supplement_count == 2


def test_payment_request_pauses_and_resume_restores_the_status(receive, staff):
    d = receive()
    d = s.dossier_request_payment(actor=staff["clerk"], dossier_id=d.pk, version=d.version, amount=500000,
                                  at=local(2026, 3, 9, 10, 0))
    assert d.status == Status.AWAITING_PAYMENT and d.portal_code == 6
    d = s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 11, 0))
    assert d.status == Status.RECEIVED and d.due_at == local(2026, 3, 16, 10, 0)


def test_resume_only_from_a_pause(receive, staff):
    d = receive()
    with pytest.raises(InvalidTransition):
        s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version)


# --- apology -----------------------------------------------------------------------------------------


def test_apology_reappoints_but_keeps_the_due_moment(receive, staff):
    d = to_processing(receive, staff)
    d = s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                            new_due_at=local(2026, 3, 20, 16, 0), reason="Chờ ý kiến liên ngành",
                            at=local(2026, 3, 13, 9, 0))
    assert d.reappointed_at == local(2026, 3, 20, 16, 0)
    assert d.due_at == local(2026, 3, 16, 9, 0)
    d = approved(d, staff, at=local(2026, 3, 18, 8, 0))
    d = s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted",
                          at=local(2026, 3, 18, 9, 0))
    resolved = DossierEvent.objects.get(dossier=d, kind=EventKind.RESOLVED)
    assert resolved.data["outcome"] == "late"  # an apology does not make it on time


def test_apology_only_once(receive, staff):
    d = to_processing(receive, staff)
    d = s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                            new_due_at=local(2026, 3, 20, 16, 0), reason="x", at=local(2026, 3, 13, 9, 0))
    with pytest.raises(InvalidTransition):
        s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                            new_due_at=local(2026, 3, 25, 16, 0), reason="y", at=local(2026, 3, 13, 10, 0))


def test_apology_after_the_due_moment_is_refused(receive, staff):
    d = to_processing(receive, staff)
    with pytest.raises(InvalidTransition):
        s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                            new_due_at=local(2026, 3, 20, 16, 0), reason="x", at=local(2026, 3, 16, 9, 1))


def test_apology_new_date_must_be_later(receive, staff):
    d = to_processing(receive, staff)
    with pytest.raises(InvalidInput):
        s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                            new_due_at=local(2026, 3, 12, 16, 0), reason="x", at=local(2026, 3, 10, 9, 0))


# --- result ------------------------------------------------------------------------------------------


def test_only_a_leader_approves_at_the_signing_step(receive, staff):
    d = to_processing(receive, staff)
    with pytest.raises(InvalidTransition) as early:  # still at the specialist's step
        s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version)
    assert early.value.code == "not_at_signing_step"
    d = to_signing(d, staff)
    with pytest.raises(NotAllowed):
        s.dossier_approve(actor=staff["specialist"], dossier_id=d.pk, version=d.version)
    d = s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version)
    assert d.approved_at is not None
    with pytest.raises(InvalidTransition):
        s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version)


def test_resolve_granted_then_return(receive, staff):
    d = approved(to_processing(receive, staff), staff, at=local(2026, 3, 12, 9, 0))
    d = s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted",
                          at=local(2026, 3, 12, 10, 0))
    assert d.status == Status.RESOLVED and d.portal_code == 9 and d.result == "granted"
    assert fresh(d).current_step.outcome in {"early", "on_time", "late"}
    assert DossierEvent.objects.get(dossier=d, kind=EventKind.RESOLVED).data["outcome"] == "early"
    d = s.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                                at=local(2026, 3, 13, 10, 0))
    assert d.status == Status.RETURNED and d.portal_code == 10


def test_refusal_after_processing_needs_a_reason(receive, staff):
    d = approved(to_processing(receive, staff), staff)
    with pytest.raises(InvalidInput):
        s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="refused")
    d = s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="refused",
                          reason="Không phù hợp quy hoạch")
    assert d.result == "refused" and d.result_note == "Không phù hợp quy hoạch"


def test_return_only_after_resolution(receive, staff):
    d = receive()
    with pytest.raises(InvalidTransition):
        s.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version)


def test_resolve_refused_while_paused(receive, staff):
    d = to_processing(receive, staff)
    d = s.dossier_request_payment(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
    with pytest.raises(InvalidTransition):
        s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted")


def test_result_needs_the_leaders_approval_when_the_workflow_has_a_leader_step(receive, staff):
    d = to_signing(to_processing(receive, staff), staff)
    with pytest.raises(InvalidTransition) as refused:
        s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted")
    assert refused.value.code == "approval_required"
    assert fresh(d).status == Status.PROCESSING and fresh(d).version == d.version  # nothing written
    d = s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version)
    d = s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted")
    assert d.status == Status.RESOLVED


def test_result_without_a_leader_step_needs_no_approval(province, staff):
    simple = procedure_create(
        code="2.000001", name="Chứng thực bản sao từ bản chính", field=field_ensure(name="Chứng thực", code="CT"),
        levels=["commune"], amount=1, time_unit="working_days",
        steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"), StepSpec("Chứng thực", 80, role="specialist")])
    d = s.dossier_receive(actor=staff["clerk"], agency_id=province["commune_desk"].pk, procedure_id=simple.pk,
                          applicant_name="Lê Thị Hoa", at=local(2026, 3, 9, 9, 0))
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 9, 10))
    d = s.dossier_resolve(**result_record(), actor=staff["specialist"], dossier_id=d.pk, version=d.version, result="granted",
                          at=local(2026, 3, 9, 10, 0))
    assert d.status == Status.RESOLVED and d.approved_at is None


# --- ending early ------------------------------------------------------------------------------------


def test_withdraw_keeps_the_dossier_and_closes_a_pause(receive, staff):
    d = to_processing(receive, staff)
    d = s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                                     missing=["A"], at=local(2026, 3, 10, 9, 0))
    d = s.dossier_withdraw(actor=staff["clerk"], dossier_id=d.pk, version=d.version, reason="Công dân rút",
                           at=local(2026, 3, 11, 9, 0))
    assert d.status == Status.WITHDRAWN and d.portal_code == 7
    assert d.pauses[-1][1] == local(2026, 3, 11, 9, 0).isoformat()
    with pytest.raises(InvalidTransition):
        s.dossier_withdraw(actor=staff["clerk"], dossier_id=d.pk, version=d.version)


def test_stop_needs_a_reason(receive, staff):
    d = to_processing(receive, staff)
    with pytest.raises(InvalidInput):
        s.dossier_stop(actor=staff["leader"], dossier_id=d.pk, version=d.version, reason="")
    d = s.dossier_stop(actor=staff["leader"], dossier_id=d.pk, version=d.version, reason="Có tranh chấp")
    assert d.status == Status.STOPPED and d.portal_code == 8 and d.stopped_at


def test_stopped_dossier_cannot_be_resolved(receive, staff):
    d = to_processing(receive, staff)
    d = s.dossier_stop(actor=staff["leader"], dossier_id=d.pk, version=d.version, reason="Có tranh chấp")
    with pytest.raises(InvalidTransition):
        s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted")


# --- transfer ----------------------------------------------------------------------------------------


def test_transfer_to_a_successor_keeps_the_clock(receive, staff, province):
    d = to_processing(receive, staff)
    due = d.due_at
    with pytest.raises(InvalidInput):
        s.dossier_transfer(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                           to_agency_id=province["commune2"].pk)
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 3, 11))
    d = s.dossier_transfer(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                           to_agency_id=province["commune2"].pk)
    d = fresh(d)
    assert d.due_at == due and d.agency == province["commune_desk"]
    assert d.current_step.agency == province["commune2"]
    assert kinds(d)[-1] == EventKind.TRANSFERRED


# --- facts for reports -------------------------------------------------------------------------------


def test_every_transition_publishes_its_facts(receive, staff):
    seen = []

    def listener(changes):
        seen.extend(changes)

    facts.register(listener)
    try:
        d = receive(at=local(2026, 3, 9, 9, 0))
        d = s.dossier_request_payment(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                                      at=local(2026, 3, 9, 10, 0))
    finally:
        facts._LISTENERS.remove(listener)
    assert seen[0][0] is None and seen[0][1].received_at == local(2026, 3, 9, 9, 0)
    assert seen[1][1].pauses == ((local(2026, 3, 9, 10, 0), None),)
    assert seen[1][0].pauses == ()
