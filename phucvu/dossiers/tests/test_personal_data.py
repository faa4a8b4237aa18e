"""Personal data (docs/security.md §3–5): the access log, ID numbers masked by role, no-store answers."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phucvu.dossiers import authority
from phucvu.dossiers.models import AccessAction, PersonalDataAccess
from phucvu.dossiers.services import personal_data_accessed
from phucvu.organization.services import api_token_issue

pytestmark = pytest.mark.django_db

ID = "022090001234"
MASKED = "*********234"


@pytest.fixture
def overseers(province, make_staff):
    return {
        "inspector": make_staff(province["province"], "inspector", full_name="Đỗ Thanh Tra"),
        "hr": make_staff(province["dept"], "hr_officer", full_name="Vũ Nội Vụ"),
        "admin": make_staff(province["province"], "system_admin", full_name="Lý Quản Trị"),
        "far_inspector": make_staff(province["district2"], "inspector", full_name="Hà Thanh Tra Móng Cái"),
    }


def log():
    return list(PersonalDataAccess.objects.order_by("id").values_list("user__username", "dossier_id", "action",
                                                                         "via_api", "detail"))


# --- the access log ---------------------------------------------------------------------------------------

def test_the_dossier_page_logs_who_viewed_it(client, receive, staff):
    d = receive()
    client.force_login(staff["specialist"].user)
    assert client.get(reverse("dossiers:detail", args=[d.pk]), REMOTE_ADDR="10.1.2.3").status_code == 200
    row = PersonalDataAccess.objects.get()
    assert (row.user_id, row.dossier_id, row.agency_id, row.action, row.address) == (
        staff["specialist"].user.pk, d.pk, d.agency_id, AccessAction.VIEW, "10.1.2.3")


def test_a_refused_page_logs_nothing(client, receive, staff):
    d = receive()
    client.force_login(staff["outsider"].user)
    assert client.get(reverse("dossiers:detail", args=[d.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_printing_a_form_is_logged_with_its_kind(client, receive, staff):
    d = receive()
    client.force_login(staff["clerk"].user)
    assert client.get(reverse("dossiers:form_pdf", args=[d.pk, "receipt"])).status_code == 200
    assert log() == [(staff["clerk"].user.username, d.pk, "print", False, f"mau-01-{d.code}.pdf")]


def test_a_list_logs_nothing(client, receive, staff):
    receive()
    client.force_login(staff["clerk"].user)
    assert client.get(reverse("dossiers:queue")).status_code == 200
    assert client.get(reverse("dossiers:register")).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_an_export_logs_every_dossier_in_one_bulk_insert(client, receive, staff):
    dossiers = [receive(applicant_name=f"Người nộp {i}") for i in range(5)]
    client.force_login(staff["clerk"].user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dossiers:register_pdf") + "?from=2026-03-01&to=2026-03-31")
    assert response.status_code == 200
    assert sorted(PersonalDataAccess.objects.values_list("dossier_id", flat=True)) == sorted(d.pk for d in dossiers)
    assert {r[2] for r in log()} == {"export"}
    inserts = [q for q in queries.captured_queries if 'INSERT INTO "dossiers_personaldataaccess"' in q["sql"]]
    assert len(inserts) == 1


def test_the_service_writes_in_batches(receive, staff, settings):
    d = receive()
    assert personal_data_accessed(user=staff["clerk"].user, dossiers=[(d.pk, d.agency_id)] * 4500,
                                  action=AccessAction.EXPORT) == 4500
    assert PersonalDataAccess.objects.count() == 4500


def test_nobody_signed_in_writes_nothing(receive):
    d = receive()
    assert personal_data_accessed(user=None, dossiers=[d], action=AccessAction.VIEW) == 0


def test_the_api_detail_and_result_are_logged_as_api(client, receive, staff):
    d = receive()
    token = api_token_issue(user=staff["clerk"].user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"/api/dossiers/{d.pk}", **headers).status_code == 200
    assert client.get(f"/api/dossiers/by-code/{d.code}", **headers).status_code == 200
    assert client.get("/api/dossiers/", **headers).status_code == 200  # a list: not logged
    assert log() == [(staff["clerk"].user.username, d.pk, "view", True, "")] * 2


# --- reading the log --------------------------------------------------------------------------------------

def test_inspectors_read_the_log_of_what_they_see(client, receive, staff, overseers):
    d = receive()
    personal_data_accessed(user=staff["specialist"].user, dossiers=[d], action=AccessAction.VIEW)
    for who in ("inspector", "hr", "admin"):
        client.force_login(overseers[who].user)
        page = client.get(reverse("dossiers:access_log"))
        assert page.status_code == 200
        assert d.code in page.content.decode()
    client.force_login(overseers["far_inspector"].user)  # Móng Cái's inspector does not see Hạ Long's dossiers
    assert d.code not in client.get(reverse("dossiers:access_log")).content.decode()


@pytest.mark.parametrize("role", ["clerk", "specialist", "leader"])
def test_the_handling_staff_cannot_read_the_log(client, staff, role):
    client.force_login(staff[role].user)
    assert client.get(reverse("dossiers:access_log")).status_code == 403


def test_the_log_is_searched_filtered_and_exported(client, receive, staff, overseers):
    a, b = receive(), receive(applicant_name="Trần Thị Bé")
    personal_data_accessed(user=staff["specialist"].user, dossiers=[a], action=AccessAction.VIEW)
    personal_data_accessed(user=staff["clerk"].user, dossiers=[b], action=AccessAction.PRINT, detail="phieu.pdf")
    client.force_login(overseers["inspector"].user)
    url = reverse("dossiers:access_log")
    by_code = client.get(url, {"q": a.code}).content.decode()
    assert a.code in by_code and b.code not in by_code
    printed = client.get(url, {"action": "print"}).content.decode()
    assert b.code in printed and a.code not in printed
    by_name = client.get(url, {"q": staff["clerk"].full_name.lower()}).content.decode()
    assert b.code in by_name and a.code not in by_name
    assert client.get(url, {"action": "nonsense"}).status_code == 400
    export = client.get(url, {"format": "csv"})
    assert export["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3 and {rows[1][6], rows[2][6]} == {a.code, b.code}


def test_the_log_page_is_paginated(client, receive, staff, overseers):
    d = receive()
    personal_data_accessed(user=staff["clerk"].user, dossiers=[d] * 60, action=AccessAction.VIEW)
    client.force_login(overseers["inspector"].user)
    first = client.get(reverse("dossiers:access_log")).content.decode()
    assert first.count(f"{d.code}<") == 2 * 50  # each row: the phone's line and the wide column
    second = client.get(reverse("dossiers:access_log"), {"page": 2}).content.decode()
    assert second.count(f"{d.code}<") == 2 * 10


# --- ID numbers masked for roles that do not need them ----------------------------------------------------

def test_mask_keeps_the_last_three():
    assert authority.mask_id_number(ID) == MASKED
    assert authority.mask_id_number("12345") == "*****"
    assert authority.mask_id_number("") == ""


@pytest.mark.parametrize(("role", "shown"), [("clerk", ID), ("specialist", ID), ("leader", ID)])
def test_the_handling_staff_see_the_full_number_on_the_dossier(client, receive, staff, role, shown):
    d = receive()
    client.force_login(staff[role].user)
    assert shown in client.get(reverse("dossiers:detail", args=[d.pk])).content.decode()


@pytest.mark.parametrize("who", ["inspector", "hr", "admin"])
def test_oversight_roles_see_it_masked_on_the_dossier(client, receive, overseers, who):
    d = receive()
    client.force_login(overseers[who].user)
    text = client.get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert ID not in text and MASKED in text
    body = client.get(f"/api/dossiers/{d.pk}").json()
    assert body["applicant_id_number"] == MASKED


@pytest.mark.parametrize(("role", "expected"), [("clerk", ID), ("specialist", MASKED), ("leader", MASKED)])
def test_lists_and_exports_mask_it_except_for_the_desk(client, receive, staff, role, expected):
    receive()
    client.force_login(staff[role].user)
    items = client.get("/api/dossiers/").json()["items"]
    assert [i["applicant_id_number"] for i in items] == [expected]


# --- no-store ---------------------------------------------------------------------------------------------

def test_personal_data_is_never_stored_by_a_cache(client, receive, staff):
    d = receive()
    client.force_login(staff["clerk"].user)
    for url in [reverse("dossiers:detail", args=[d.pk]), reverse("dossiers:queue"), reverse("dossiers:receipt", args=[d.pk]),
                reverse("dossiers:form_pdf", args=[d.pk, "receipt"]), f"/api/dossiers/{d.pk}", "/api/dossiers/",
                reverse("dossiers:register_pdf") + "?from=2026-03-01&to=2026-03-31"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_the_api_answers_no_store_to_a_token_and_to_the_public(client, receive, staff):
    d = receive()
    token = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=staff['clerk'].user)}"}
    assert "no-store" in client.get(f"/api/dossiers/{d.pk}", **token)["Cache-Control"]
    public = client.post("/api/portal/lookup", {"code": d.code, "secret": d.secret}, content_type="application/json")
    assert public.status_code == 200 and "no-store" in public["Cache-Control"]


def test_a_public_page_for_nobody_stays_cacheable(client, db):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


# --- the secret stays with the citizen --------------------------------------------------------------------

def test_staff_pages_do_not_show_the_secret(client, receive, staff):
    d = receive()
    client.force_login(staff["clerk"].user)
    for url in [reverse("dossiers:detail", args=[d.pk]), reverse("dossiers:receipt", args=[d.pk])]:
        assert d.secret not in client.get(url).content.decode(), url
