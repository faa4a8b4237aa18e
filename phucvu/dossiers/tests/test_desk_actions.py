"""The desk's remaining actions and marks: online submissions to accept or refuse, the transfer to a
successor agency, approval before the result, and "due soon" in working time."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from phucvu.dossiers import selectors
from phucvu.dossiers import services as s
from phucvu.dossiers.models import Dossier, Status
from phucvu.organization.services import agency_succeed

from .conftest import local
from .test_views_detail import act, offered, page

pytestmark = pytest.mark.django_db

MONDAY = local(2026, 3, 9, 9, 0)


def submit(province, procedure, **kw):
    return s.dossier_submit_online(agency_id=province["commune"].pk, procedure_id=procedure.pk,
                                   applicant_name="Đỗ Thị Mai", at=kw.pop("at", MONDAY), **kw)


# --- online submissions ----------------------------------------------------------------------------


def test_clerk_queue_lists_online_submissions_to_the_commune_it_serves(client, province, procedure, staff):
    d = submit(province, procedure)
    client.force_login(staff["clerk"].user)
    html = client.get(reverse("dossiers:queue")).content.decode()
    assert f'data-code="{d.code}"' in html
    client.force_login(staff["outsider"].user)
    assert d.code not in client.get(reverse("dossiers:queue")).content.decode()


def test_clerk_accepts_an_online_submission_from_its_page(client, province, procedure, staff):
    d = submit(province, procedure)
    assert {"accept", "refuse"} <= offered(page(client, staff["clerk"], d))
    response = act(client, d, "accept", note="Hồ sơ đầy đủ")
    assert response.status_code == 302
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == Status.RECEIVED and d.received_by == staff["clerk"] and d.due_at is not None


def test_clerk_refuses_an_online_submission_with_a_reason(client, province, procedure, staff):
    d = submit(province, procedure)
    page(client, staff["clerk"], d)
    act(client, d, "refuse", reason="")  # no reason: the form refuses, nothing changes
    assert Dossier.objects.get(pk=d.pk).status == Status.SUBMITTED
    act(client, d, "refuse", reason="Thủ tục không thuộc thẩm quyền của xã")
    assert Dossier.objects.get(pk=d.pk).status == Status.REFUSED


# --- transfer to a successor -----------------------------------------------------------------------


def _processing(receive, staff):
    d = receive(at=MONDAY)
    return s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                             at=MONDAY + dt.timedelta(minutes=30))


def test_transfer_is_offered_to_a_leader_only_when_the_holder_has_a_successor(client, receive, staff, province):
    d = _processing(receive, staff)
    assert "transfer" not in offered(page(client, staff["leader"], d))
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 3, 9))
    html = page(client, staff["leader"], d).content.decode()
    assert "transfer" in offered_from(html)
    assert province["commune2"].name in html  # the successor is listed
    assert "transfer" not in offered(page(client, staff["specialist"], d))


def offered_from(html: str) -> set[str]:
    return set(re.findall(r'data-submit="([a-z_]+)"', html))


def test_leader_transfers_from_the_page_and_the_clock_goes_on(client, receive, staff, province):
    d = _processing(receive, staff)
    due = d.due_at
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 3, 9))
    page(client, staff["leader"], d)
    response = act(client, d, "transfer", to_agency=province["commune2"].pk, note="Sáp nhập xã")
    assert response.status_code == 302
    d = Dossier.objects.select_related("current_step").get(pk=d.pk)
    assert d.current_step.agency_id == province["commune2"].pk and d.due_at == due


def test_transfer_to_an_agency_that_is_not_a_successor_is_refused(client, receive, staff, province):
    d = _processing(receive, staff)
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 3, 9))
    page(client, staff["leader"], d)
    act(client, d, "transfer", to_agency=province["commune3"].pk)  # not among the choices
    assert Dossier.objects.get(pk=d.pk).version == d.version


# --- approval before the result --------------------------------------------------------------------


def test_result_is_offered_only_after_the_leader_approved(client, receive, staff):
    d = _processing(receive, staff)
    d = s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                          at=MONDAY + dt.timedelta(hours=2))  # now at the leader's step
    first = offered(page(client, staff["leader"], d))
    assert "approve" in first and "resolve" not in first
    d = s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version)
    then = offered(page(client, staff["leader"], d))
    assert "resolve" in then and "approve" not in then


# --- due soon: less than one working day left -------------------------------------------------------


def test_due_soon_counts_working_time_over_a_weekend(receive, staff):
    d = receive(at=MONDAY)  # 5 working days: due next Monday 09:00
    assert d.due_at == local(2026, 3, 16, 9, 0)
    # Friday 15:00: 66 hours on the wall, but only 4 working hours left.
    assert selectors.due_state(d, local(2026, 3, 13, 15, 0)) == "soon"
    # Thursday 16:00: 11 working hours left — not yet.
    assert selectors.due_state(d, local(2026, 3, 12, 16, 0)) == "ok"


def test_due_soon_filter_of_the_queue_uses_the_working_calendar(receive, staff):
    d = receive(at=MONDAY)
    user = staff["clerk"].user
    friday = local(2026, 3, 13, 15, 0)
    assert list(selectors.dossier_queue(user, due="soon", now=friday)) == [d]
    assert list(selectors.dossier_queue(user, due="soon", now=local(2026, 3, 12, 16, 0))) == []
    assert list(selectors.dossier_queue(user, due="overdue", now=local(2026, 3, 16, 9, 1))) == [d]


def test_queue_marks_due_soon_on_friday_for_monday_morning(client, receive, staff):
    receive(at=MONDAY)
    client.force_login(staff["clerk"].user)
    with time_machine.travel(local(2026, 3, 13, 15, 0), tick=False):
        html = client.get(reverse("dossiers:queue")).content.decode()
    assert html.count('data-urgency="soon"') == 1
