"""The work queue: per role, sorted by due moment, due-soon and overdue marked, filtered, searched, paged."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phucvu.dossiers import services as s

from .conftest import local

pytestmark = pytest.mark.django_db

MONDAY = local(2026, 3, 9, 9, 0)


def codes(response) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', response.content.decode())


def login(client, staff):
    client.force_login(staff.user)
    return client


def test_clerk_queue_is_sorted_by_due_moment_with_overdue_and_soon_marked(client, receive, staff):
    late = receive(at=MONDAY - dt.timedelta(days=14), applicant_name="Trần Quá Hạn")
    soon = receive(at=MONDAY - dt.timedelta(days=7, hours=-5), applicant_name="Lê Sắp Hạn")  # due today 14:00
    later = receive(at=MONDAY, applicant_name="Phạm Còn Hạn")
    with time_machine.travel(MONDAY + dt.timedelta(hours=2), tick=False):
        response = login(client, staff["clerk"]).get(reverse("dossiers:queue"))
    html = response.content.decode()
    assert codes(response) == [late.code, soon.code, later.code]
    assert html.count('data-urgency="overdue"') == 1
    assert html.count('data-urgency="soon"') == 1


def test_queue_search_finds_applicant_typed_without_accents_and_by_code(client, receive, staff):
    anh = receive(applicant_name="Nguyễn Văn Ánh")
    binh = receive(applicant_name="Trần Thị Bình")
    login(client, staff["clerk"])
    assert codes(client.get(reverse("dossiers:queue"), {"q": "nguyen van anh"})) == [anh.code]
    assert codes(client.get(reverse("dossiers:queue"), {"q": binh.code})) == [binh.code]


def test_queue_filters_by_status_channel_procedure_and_period(client, receive, staff, procedure):
    first = receive(at=MONDAY)
    second = receive(at=MONDAY + dt.timedelta(days=1), channel="postal")
    s.dossier_forward(actor=staff["clerk"], dossier_id=first.pk, version=first.version,
                      at=MONDAY + dt.timedelta(hours=1))
    login(client, staff["clerk"])
    url = reverse("dossiers:queue")
    assert codes(client.get(url, {"status": "processing"})) == [first.code]
    assert codes(client.get(url, {"channel": "postal", "scope": "all"})) == [second.code]
    # The procedure is found by its name typed without accents, or by its national code.
    both = {first.code, second.code}
    assert set(codes(client.get(url, {"procedure": "giay phep xay dung", "scope": "all"}))) == both
    assert set(codes(client.get(url, {"procedure": procedure.code, "scope": "all"}))) == both
    assert codes(client.get(url, {"procedure": "khai sinh", "scope": "all"})) == []
    assert codes(client.get(url, {"from": "2026-03-10", "to": "2026-03-10", "scope": "all"})) == [second.code]


def test_specialist_queue_holds_the_steps_waiting_for_specialists(client, receive, staff):
    waiting = receive(at=MONDAY)
    untouched = receive(at=MONDAY)
    s.dossier_forward(actor=staff["clerk"], dossier_id=waiting.pk, version=waiting.version,
                      at=MONDAY + dt.timedelta(hours=1))
    response = login(client, staff["specialist"]).get(reverse("dossiers:queue"))
    assert codes(response) == [waiting.code]
    assert untouched.code not in response.content.decode()


def test_leader_queue_holds_the_dossiers_to_approve(client, receive, staff):
    d = receive(at=MONDAY)
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=MONDAY + dt.timedelta(hours=1))
    d = s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                          at=MONDAY + dt.timedelta(hours=2))
    assert codes(login(client, staff["leader"]).get(reverse("dossiers:queue"))) == [d.code]


def test_commune_clerk_does_not_see_another_communes_dossiers(client, receive, staff):
    receive(at=MONDAY)
    response = login(client, staff["outsider"]).get(reverse("dossiers:queue"), {"scope": "all"})
    assert codes(response) == []


def test_queue_is_paginated(client, receive, staff):
    for _ in range(27):
        receive(at=MONDAY)
    login(client, staff["clerk"])
    assert len(codes(client.get(reverse("dossiers:queue")))) == 25
    assert len(codes(client.get(reverse("dossiers:queue"), {"page": 2}))) == 2


# Also outside a transaction (autocommit, as in production), where no per-transaction memo hides a
# calendar read per row; at a moment when the rows are open and not overdue, so each is checked for "soon".
@pytest.mark.parametrize("autocommit", [False, pytest.param(True, marks=pytest.mark.django_db(transaction=True))])
def test_queue_does_not_query_per_row(client, receive, staff, autocommit):
    login(client, staff["clerk"])
    url = reverse("dossiers:queue")
    for _ in range(2):
        receive(at=MONDAY)
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        client.get(url)  # warm caches (calendar, session)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
    for _ in range(18):
        d = receive(at=MONDAY)
        s.dossier_assign(actor=staff["leader"], dossier_id=d.pk, version=d.version, assignee_id=staff["clerk"].pk,
                         at=MONDAY + dt.timedelta(minutes=5))
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False), CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(codes(response)) == 20
    assert "data-urgency" not in response.content.decode()  # open, neither overdue nor due soon
    assert len(many.captured_queries) == len(few.captured_queries)


def test_htmx_request_gets_only_the_rows(client, receive, staff):
    receive(at=MONDAY)
    response = login(client, staff["clerk"]).get(reverse("dossiers:queue"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "<html" not in html
