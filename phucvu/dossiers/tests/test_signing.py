"""Signing authority with real step agencies, and a leader's queue: their own steps, and apart from them
what is overdue below them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from phucvu.core.exceptions import NotAllowed
from phucvu.dossiers import services as s
from phucvu.dossiers import view_selectors as vs
from phucvu.dossiers.models import Dossier

from .conftest import local

pytestmark = pytest.mark.django_db


def at_signing(province, procedure, people, at=None):
    at = at or timezone.now() - dt.timedelta(hours=2)
    d = s.dossier_receive(actor=people["clerk"], agency_id=province["district_center"].pk,
                          procedure_id=procedure.pk, applicant_name="Nguyễn Văn Ánh", at=at)
    d = s.dossier_forward(actor=people["clerk"], dossier_id=d.pk, version=d.version,
                          at=at + dt.timedelta(minutes=10), assignee_id=people["specialist"].pk)
    return s.dossier_forward(actor=people["specialist"], dossier_id=d.pk, version=d.version,
                             at=at + dt.timedelta(minutes=20))


def queue(staff, **kw):
    return list(vs.work_queue(staff.user, staff, vs.QueueFilters(**kw)))


def test_only_the_leader_of_the_agency_holding_the_signing_step_approves(province, procedure, offices, people):
    d = at_signing(province, procedure, people)
    for other in ("province_leader", "head"):  # the province above, the office that examined
        with pytest.raises(NotAllowed):
            s.dossier_approve(actor=people[other], dossier_id=d.pk, version=d.version)
    assert Dossier.objects.get(pk=d.pk).approved_at is None
    d = s.dossier_approve(actor=people["city_leader"], dossier_id=d.pk, version=d.version)
    assert d.approved_at is not None


def test_a_leaders_queue_lists_only_the_steps_that_are_theirs(province, procedure, offices, people, receive,
                                                             staff):
    city = at_signing(province, procedure, people)
    ward = receive(at=timezone.now() - dt.timedelta(hours=1))
    ward = s.dossier_forward(actor=staff["clerk"], dossier_id=ward.pk, version=ward.version)
    ward = s.dossier_forward(actor=staff["specialist"], dossier_id=ward.pk, version=ward.version)
    assert [d.pk for d in queue(people["city_leader"])] == [city.pk]
    assert [d.pk for d in queue(staff["leader"])] == [ward.pk]
    assert queue(people["province_leader"]) == []  # sees both, signs neither
    assert "approve" not in s.authority.permitted(people["province_leader"], Dossier.objects.select_related(
        "agency", "current_step__agency").get(pk=ward.pk))


def test_the_office_heads_queue_has_the_steps_to_assign_in_the_office(province, procedure, offices, people):
    d = s.dossier_receive(actor=people["clerk"], agency_id=province["district_center"].pk,
                          procedure_id=procedure.pk, applicant_name="Nguyễn Văn Ánh")
    d = s.dossier_forward(actor=people["clerk"], dossier_id=d.pk, version=d.version)
    assert [x.pk for x in queue(people["head"])] == [d.pk]
    assert queue(people["city_leader"]) == []


def test_what_is_overdue_below_is_a_separate_list(province, procedure, offices, people):
    late = at_signing(province, procedure, people, at=local(2026, 1, 5, 9, 0))  # long past its appointment
    assert late.due_at < timezone.now()
    assert queue(people["province_leader"]) == []
    assert [d.pk for d in queue(people["province_leader"], below=True)] == [late.pk]
    assert queue(people["city_leader"], below=True) == []  # at their own seat: it is in their own queue
    client = Client()
    client.force_login(people["province_leader"].user)
    html = client.get("/dossiers/").content.decode()
    assert 'id="overdue-below"' in html and "scope=below" in html
    html = client.get("/dossiers/?scope=below").content.decode()
    assert late.code in html
