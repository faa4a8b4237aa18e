"""Each transition stays within its number of queries (the demo replay and busy desks call them by the
hundred thousand). The numbers are those measured when the transitions were made cheap; a change that
needs more should say why here.

Measured inside one transaction, as the demo replays a day (so each service call is a savepoint: two of
the queries counted), after a first dossier has warmed what is read once per process or transaction:
the working calendar, the procedure version's workflow, the day's code counter.
"""

from __future__ import annotations

import datetime as dt

import pytest

from phucvu.dossiers import services as s
from phucvu.dossiers.tests.results import result_record
from phucvu.organization.services import agency_succeed
from phucvu.workcalendar.services import calendar_day_save

from .conftest import local

pytestmark = pytest.mark.django_db

MONDAY = local(2026, 3, 9, 8, 0)

# SAVEPOINT and RELEASE included.
# A transition that changes the reports' figures upserts the day and month rollups by receiving agency and,
# since the reports count who decided too, the competent agency's day and month rollups: 4 statements.
LIMITS = {
    "receive": 14,  # agency + visibility, procedure, offering, code, dossier, steps, current step, event, 4 rollups
    "submit_online": 8,
    "accept": 10,
    "refuse": 5,
    "assign": 8,
    "forward": 8,
    "forward_to_agency_and_cadre": 10,
    "request_supplement": 9,
    "request_payment": 9,
    "resume": 10,
    "apologize": 5,
    "approve": 5,
    "resolve": 11,  # + the result record (number, signer, document)
    "return_result": 6,  # + who took the result and the fees, on the result record
    "withdraw": 10,
    "stop": 10,
    "transfer": 10,  # the competent agency moves with the signing step: its rollups move too
}


@pytest.fixture
def warm(receive, staff):
    """One dossier received and forwarded: what is read once is read now, not in the measured call."""
    d = receive(at=MONDAY)
    s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=MONDAY + dt.timedelta(minutes=5),
                      assignee_id=staff["specialist"].pk)
    return d


@pytest.fixture
def processing(warm, receive, staff):
    d = receive(at=MONDAY + dt.timedelta(minutes=10))
    return s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                             at=MONDAY + dt.timedelta(minutes=20))


@pytest.fixture
def signing(processing, staff):
    """At the leader's signing step."""
    return s.dossier_forward(actor=staff["specialist"], dossier_id=processing.pk, version=processing.version,
                             at=MONDAY + dt.timedelta(minutes=30))


@pytest.fixture
def submitted(warm, province, procedure):
    return s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                   applicant_name="Lê Thị Hoa", at=MONDAY + dt.timedelta(minutes=10))


AT = MONDAY + dt.timedelta(hours=1)


def test_receive_stays_within_its_queries(warm, receive, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["receive"]):
        receive(at=AT)


def test_submit_online_stays_within_its_queries(warm, province, procedure, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["submit_online"]):
        s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                applicant_name="Lê Thị Hoa", at=AT)


def test_accept_stays_within_its_queries(submitted, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["accept"]):
        s.dossier_accept(actor=staff["clerk"], dossier_id=submitted.pk, version=submitted.version, at=AT)


def test_refuse_stays_within_its_queries(submitted, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["refuse"]):
        s.dossier_refuse(actor=staff["clerk"], dossier_id=submitted.pk, version=submitted.version, at=AT,
                         reason="Thiếu đơn đề nghị")


def test_assign_stays_within_its_queries(processing, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["assign"]):
        s.dossier_assign(actor=staff["leader"], dossier_id=processing.pk, version=processing.version,
                         assignee_id=staff["specialist"].pk, at=AT)


def test_forward_stays_within_its_queries(processing, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["forward"]):
        s.dossier_forward(actor=staff["specialist"], dossier_id=processing.pk, version=processing.version, at=AT)


def test_forward_to_another_agency_and_cadre_stays_within_its_queries(processing, staff, province,
                                                                      django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["forward_to_agency_and_cadre"]):
        s.dossier_forward(actor=staff["specialist"], dossier_id=processing.pk, version=processing.version, at=AT,
                          to_agency_id=province["commune"].pk, assignee_id=staff["leader"].pk)


def test_request_supplement_stays_within_its_queries(processing, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["request_supplement"]):
        s.dossier_request_supplement(actor=staff["specialist"], dossier_id=processing.pk,
                                     version=processing.version, missing=["Bản vẽ thiết kế"], at=AT)


def test_request_payment_stays_within_its_queries(processing, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["request_payment"]):
        s.dossier_request_payment(actor=staff["specialist"], dossier_id=processing.pk, version=processing.version,
                                  amount=100_000, at=AT)


def test_resume_stays_within_its_queries(processing, staff, django_assert_max_num_queries):
    d = s.dossier_request_supplement(actor=staff["specialist"], dossier_id=processing.pk,
                                     version=processing.version, missing=["Bản vẽ thiết kế"], at=AT)
    with django_assert_max_num_queries(LIMITS["resume"]):
        s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version, papers=["Bản vẽ thiết kế"],
                         at=AT + dt.timedelta(days=1))


def test_apologize_stays_within_its_queries(processing, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["apologize"]):
        s.dossier_apologize(actor=staff["leader"], dossier_id=processing.pk, version=processing.version,
                            new_due_at=processing.due_at + dt.timedelta(days=3), reason="Cần xác minh thực địa",
                            at=AT)


def test_approve_stays_within_its_queries(signing, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["approve"]):
        s.dossier_approve(actor=staff["leader"], dossier_id=signing.pk, version=signing.version, at=AT)


def test_resolve_stays_within_its_queries(signing, staff, django_assert_max_num_queries):
    d = s.dossier_approve(actor=staff["leader"], dossier_id=signing.pk, version=signing.version, at=AT)
    with django_assert_max_num_queries(LIMITS["resolve"]):
        s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted",
                          at=AT + dt.timedelta(minutes=5))


def test_return_result_stays_within_its_queries(signing, staff, django_assert_max_num_queries):
    d = s.dossier_approve(actor=staff["leader"], dossier_id=signing.pk, version=signing.version, at=AT)
    d = s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted",
                          at=AT + dt.timedelta(minutes=5))
    with django_assert_max_num_queries(LIMITS["return_result"]):
        s.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                                at=AT + dt.timedelta(minutes=10))


def test_withdraw_stays_within_its_queries(processing, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["withdraw"]):
        s.dossier_withdraw(actor=staff["clerk"], dossier_id=processing.pk, version=processing.version,
                           reason="Công dân xin rút", at=AT)


def test_stop_stays_within_its_queries(processing, staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIMITS["stop"]):
        s.dossier_stop(actor=staff["leader"], dossier_id=processing.pk, version=processing.version,
                       reason="Dự án tạm dừng", at=AT)


def test_transfer_stays_within_its_queries(processing, staff, province, django_assert_max_num_queries):
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 3, 9))
    with django_assert_max_num_queries(LIMITS["transfer"]):
        s.dossier_transfer(actor=staff["leader"], dossier_id=processing.pk, version=processing.version,
                           to_agency_id=province["commune2"].pk, at=AT)


def test_a_calendar_change_in_the_same_transaction_reaches_the_next_transition(warm, receive):
    """The stamp is read once per transaction, but a change made in it is seen at once."""

    calendar_day_save(actor=None, day=dt.date(2026, 3, 10), kind="day_off", name="Nghỉ đột xuất")
    d = receive(at=local(2026, 3, 9, 16, 0))  # 5 working days, Tuesday off: due Tuesday of the next week
    assert d.due_at == local(2026, 3, 17, 16, 0)
