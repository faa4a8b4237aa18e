"""The JSON API: every transition, scoped by visibility, errors as {code, message} with HTTP status."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from phucvu.dossiers import selectors
from phucvu.dossiers import services as sv
from phucvu.dossiers.models import Status
from phucvu.dossiers.tests.results import api_result_record
from phucvu.organization.services import api_token_issue
from phucvu.project.management.commands.export_openapi import openapi_text

from .conftest import local

pytestmark = pytest.mark.django_db


def client_for(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def post(client, url, body):
    return client.post(f"/api/dossiers{url}", body, content_type="application/json")


def test_a_dossier_walks_its_whole_life_over_the_api(province, procedure, staff):
    clerk, specialist, leader = (client_for(staff[k]) for k in ("clerk", "specialist", "leader"))
    r = post(clerk, "/", {"agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk,
                          "applicant_name": "Phạm Thị Dung", "papers": ["Đơn đề nghị"]})
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["status"] == "received" and d["portal_code"] == 2 and d["due_at"]
    assert "forward" in d["actions"]
    steps = [("forward", {"assignee_id": staff["specialist"].pk}, clerk),
             ("supplement", {"missing": ["Bản vẽ"]}, specialist),
             ("resume", {"papers": ["Bản vẽ"]}, clerk),
             ("forward", {}, specialist),
             ("approve", {}, leader),
             ("resolve", {"result": "granted", **api_result_record()}, leader),
             ("return", {}, clerk)]
    for action, body, who in steps:
        r = post(who, f"/{d['id']}/{action}", {"version": d["version"], **body})
        assert r.status_code == 200, (action, r.content)
        d = r.json()
    assert d["status"] == "returned" and d["portal_code"] == 10
    assert [e["kind"] for e in d["events"]] == ["received", "forwarded", "supplement_requested", "resumed",
                                                 "forwarded", "approved", "resolved", "returned"]
    assert [s["outcome"] != "" for s in d["steps"]] == [True, True, True]


def test_a_stale_action_answers_409_with_a_vietnamese_message(receive, staff):
    d = receive()
    clerk = client_for(staff["clerk"])
    assert post(clerk, f"/{d.pk}/forward", {"version": d.version}).status_code == 200
    r = post(clerk, f"/{d.pk}/forward", {"version": d.version})
    assert r.status_code == 409
    assert r.json()["code"] == "stale_action" and "người khác" in r.json()["message"]


def test_bad_input_answers_422(receive, staff):
    d = receive()
    clerk = client_for(staff["clerk"])
    r = post(clerk, f"/{d.pk}/supplement", {"version": d.version, "missing": []})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    r = post(clerk, f"/{d.pk}/return", {"version": d.version})
    assert r.status_code == 422 and r.json()["code"] == "invalid_transition"
    assert post(clerk, f"/{d.pk}/forward", {"version": "x"}).status_code == 422


def test_another_communes_clerk_gets_403_and_does_not_see_the_dossier(receive, staff):
    d = receive()
    outsider = client_for(staff["outsider"])
    assert outsider.get(f"/api/dossiers/{d.pk}").status_code == 403
    assert post(outsider, f"/{d.pk}/forward", {"version": d.version}).status_code == 403
    assert outsider.get("/api/dossiers/").json()["count"] == 0
    assert client_for(staff["leader"]).get("/api/dossiers/").json()["count"] == 1


def test_unknown_dossier_answers_404(staff):
    r = client_for(staff["clerk"]).get("/api/dossiers/999999")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_the_api_needs_a_login_or_a_token(receive, staff):
    assert Client().get("/api/dossiers/").status_code == 401
    token = api_token_issue(user=staff["clerk"].user)
    r = Client().get("/api/dossiers/", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


def test_queue_is_sorted_by_due_moment_and_filters_overdue(receive, staff):
    late = receive(at=local(2026, 1, 5, 9, 0))
    soon = receive(at=local(2030, 1, 7, 9, 0))
    queue = client_for(staff["clerk"]).get("/api/dossiers/queue").json()
    assert [i["code"] for i in queue["items"]] == [late.code, soon.code]
    assert queue["items"][0]["due_state"] == "overdue"
    overdue = client_for(staff["clerk"]).get("/api/dossiers/queue?due=overdue").json()
    assert [i["code"] for i in overdue["items"]] == [late.code]


def test_specialist_queue_holds_only_their_steps(receive, staff, make_staff, province):
    d = receive()
    other = make_staff(province["commune"], "specialist")
    sv.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, assignee_id=other.pk)
    assert client_for(staff["specialist"]).get("/api/dossiers/queue").json()["count"] == 0
    assert client_for(other).get("/api/dossiers/queue").json()["count"] == 1


def test_list_search_is_accent_insensitive(receive, staff):
    d = receive(applicant_name="Nguyễn Văn Ánh")
    found = client_for(staff["clerk"]).get("/api/dossiers/?q=nguyen van anh").json()
    assert [i["code"] for i in found["items"]] == [d.code]
    assert client_for(staff["clerk"]).get(f"/api/dossiers/by-code/{d.code}").json()["id"] == d.pk


def test_online_submission_and_refusal_over_the_api(province, procedure, staff):
    clerk = client_for(staff["clerk"])
    r = post(clerk, "/online", {"agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk,
                                "applicant_name": "Võ Văn E"})
    d = r.json()
    assert r.status_code == 201 and d["status"] == Status.SUBMITTED and set(d["actions"]) >= {"accept", "refuse"}
    r = post(clerk, f"/{d['id']}/refuse", {"version": d["version"], "reason": "Không thuộc thẩm quyền"})
    assert r.json()["status"] == "refused"


def test_catalog_search_over_the_api(procedure, staff):
    r = client_for(staff["clerk"]).get("/api/catalog/procedures?q=cap giay phep xay dung").json()
    assert [p["code"] for p in r["items"]] == ["1.009994"]
    assert r["items"][0]["current_version"]["legal_time"] == "5 ngày làm việc"
    assert len(r["items"][0]["current_version"]["steps"]) == 3


def test_committed_openapi_schema_matches_the_code():
    committed = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
    assert committed.read_text(encoding="utf-8") == openapi_text(), (
        "docs/openapi.json lệch với API: chạy `make schema` (phucvu export_openapi docs/openapi.json) rồi commit.")


# The API's answer to a write is built from the dossier the service returns: its steps, its events and the
# visibility check are read, the dossier itself is not read again, and the next and signing steps are found
# among the steps read (docs/performance.md §13). Counted (SQLite; the session, the token, the transaction
# and the notifications' outbox included) after a first intake and forward have warmed what a process reads
# once (calendars, workflows, the day's code). Before: 28 and 22.
API_WRITE_QUERIES = {"intake": 27, "forward": 22}


def test_an_api_write_answers_without_reading_the_dossier_again(province, procedure, staff,
                                                                django_assert_max_num_queries):
    clerk = client_for(staff["clerk"])
    body = {"agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk, "applicant_name": "Lê Văn Tám"}
    warm = post(clerk, "/", body).json()
    assert post(clerk, f"/{warm['id']}/forward", {"version": warm["version"]}).status_code == 200
    with django_assert_max_num_queries(API_WRITE_QUERIES["intake"]):
        d = post(clerk, "/", body).json()
    with django_assert_max_num_queries(API_WRITE_QUERIES["forward"]):
        r = post(clerk, f"/{d['id']}/forward", {"version": d["version"]})
    assert r.status_code == 200 and r.json()["status"] == "processing" and len(r.json()["events"]) == 2


def test_actions_found_among_the_steps_read_are_those_read_apart(receive, staff):
    """`dossier_actions(steps=…)` finds the next and the signing step among the steps the answer reads: the
    same actions as reading them, at every step and for everyone (the signing step is the leader's last)."""
    d = receive()
    for _ in range(3):
        fresh = selectors.dossier_get(staff["clerk"].user, d.pk)
        for who in ("clerk", "specialist", "leader"):
            user = staff[who].user
            apart = selectors.dossier_actions(user, selectors.dossier_get(user, d.pk))
            found = selectors.dossier_actions(user, fresh, steps=list(selectors.dossier_steps(fresh)))
            assert found == apart, (fresh.current_step.order, who)
        if fresh.current_step.order == 3:
            break
        d = sv.dossier_forward(actor=staff["leader"], dossier_id=d.pk, version=fresh.version)
