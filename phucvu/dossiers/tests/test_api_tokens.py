"""The API as an integration uses it: an API token, through a client that enforces CSRF like a browser's
server would. Token requests are not subject to the session's CSRF check; session requests still are. A
call that answers an error has written nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.test import Client

from phucvu.catalog.services import procedure_offer
from phucvu.core.exceptions import NotAllowed
from phucvu.dossiers import api
from phucvu.dossiers.models import Dossier, DossierCounter, DossierEvent, DossierStep, Status
from phucvu.dossiers.tests.results import api_result_record
from phucvu.organization.services import agency_succeed, api_token_issue

pytestmark = pytest.mark.django_db


class Integration:
    """A client that enforces CSRF and sends a token, by Bearer or by X-API-Key."""

    def __init__(self, staff, header: str = "bearer") -> None:
        self.client = Client(enforce_csrf_checks=True)
        token = api_token_issue(user=staff.user, name="tích hợp")
        self.headers = ({"HTTP_AUTHORIZATION": f"Bearer {token}"} if header == "bearer"
                        else {"HTTP_X_API_KEY": token})

    def post(self, path: str, body: dict):
        return self.client.post(f"/api/dossiers{path}", body, content_type="application/json", **self.headers)

    def get(self, path: str):
        return self.client.get(f"/api/dossiers{path}", **self.headers)


def written() -> tuple:
    rollups = apps.get_model("reports", "DayRollup").objects  # dossiers do not import reports
    return (list(Dossier.objects.order_by("pk").values()), list(DossierStep.objects.order_by("pk").values()),
            DossierEvent.objects.count(), list(DossierCounter.objects.values()), list(rollups.values()))


@pytest.fixture
def apis(staff):
    return {"clerk": Integration(staff["clerk"]), "specialist": Integration(staff["specialist"], "x-api-key"),
            "leader": Integration(staff["leader"]), "outsider": Integration(staff["outsider"], "x-api-key")}


def _new(apis, province, procedure) -> dict:
    r = apis["clerk"].post("/", {"agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk,
                                 "applicant_name": "Phạm Thị Dung", "papers": ["Đơn đề nghị"]})
    assert r.status_code == 201, r.content
    return r.json()


def _do(api, d: dict, action: str, **body) -> dict:
    r = api.post(f"/{d['id']}/{action}", {"version": d["version"], **body})
    assert r.status_code == 200, (action, r.content)
    return r.json()


def test_every_transition_with_a_token_through_a_csrf_enforcing_client(apis, province, procedure, staff):
    clerk, specialist, leader = apis["clerk"], apis["specialist"], apis["leader"]
    # receive, forward, assign, supplement, resume, payment, resume, apologize, forward, approve, resolve, return
    d = _new(apis, province, procedure)
    d = _do(clerk, d, "forward")
    d = _do(leader, d, "assign", assignee_id=staff["specialist"].pk)
    d = _do(specialist, d, "supplement", missing=["Bản vẽ mặt bằng"])
    d = _do(clerk, d, "resume", papers=["Bản vẽ mặt bằng"])
    d = _do(specialist, d, "payment", amount=75_000)
    d = _do(specialist, d, "resume")
    new_due = (dt.datetime.fromisoformat(d["due_at"]) + dt.timedelta(days=5)).isoformat()
    d = _do(leader, d, "apologize", new_due_at=new_due, reason="Cần xác minh thực địa")
    d = _do(specialist, d, "forward")
    d = _do(leader, d, "approve")
    d = _do(leader, d, "resolve", result="granted", **api_result_record())
    d = _do(clerk, d, "return")
    assert d["status"] == Status.RETURNED
    # online: submit, accept; submit, refuse
    body = {"agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk, "applicant_name": "Đỗ Thị Mai"}
    for finish in ("accept", "refuse"):
        r = clerk.post("/online", body)
        assert r.status_code == 201, r.content
        o = _do(clerk, r.json(), finish, **({"reason": "Sai thủ tục"} if finish == "refuse" else {}))
        assert o["status"] == (Status.RECEIVED if finish == "accept" else Status.REFUSED)
    # withdraw, stop, transfer
    assert _do(clerk, _new(apis, province, procedure), "withdraw", reason="Xin rút")["status"] == Status.WITHDRAWN
    assert _do(leader, _do(clerk, _new(apis, province, procedure), "forward"), "stop",
               reason="Đất đang tranh chấp")["status"] == Status.STOPPED
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 6, 1))
    moved = _do(leader, _do(clerk, _new(apis, province, procedure), "forward"), "transfer",
                to_agency_id=province["commune2"].pk)
    assert moved["steps"][1]["agency_id"] == province["commune2"].pk


def test_a_session_write_still_needs_the_csrf_token(staff, province, procedure):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff["clerk"].user)
    before = written()
    r = browser.post("/api/dossiers/", {"agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk,
                                        "applicant_name": "Phạm Thị Dung"}, content_type="application/json")
    assert r.status_code == 403
    assert written() == before
    assert browser.get("/api/dossiers/").status_code == 200  # reads need no token


def test_a_bad_token_is_401_not_a_csrf_failure():
    api = Client(enforce_csrf_checks=True)
    r = api.post("/api/dossiers/", {}, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_clerk_cannot_stop_resolve_the_signing_step_or_transfer(apis, province, procedure):
    clerk, specialist = apis["clerk"], apis["specialist"]
    d = _do(specialist, _do(clerk, _new(apis, province, procedure), "forward"), "forward")  # at the signing step
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 6, 1))
    for action, body in [("stop", {"reason": "Thích thì dừng"}), ("resolve", {"result": "granted"}),
                         ("transfer", {"to_agency_id": province["commune2"].pk})]:
        before = written()
        r = clerk.post(f"/{d['id']}/{action}", {"version": d["version"], **body})
        assert r.status_code == 403, (action, r.content)
        assert r.json()["code"] == "not_allowed" and r.json()["message"]
        assert written() == before, f"{action} refused but wrote"


def test_online_submission_outside_the_callers_scope_is_403_and_creates_nothing(apis, province, procedure):
    before = written()
    r = apis["outsider"].post("/online", {"agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk,
                                          "applicant_name": "Đỗ Thị Mai"})
    assert r.status_code == 403, r.content
    assert written() == before


def test_online_submission_needs_the_agency_to_offer_the_procedure(apis, province, procedure):
    procedure_offer(procedure_id=procedure.pk, agency_id=province["commune_desk"].pk, active=True, online=False)
    before = written()
    r = apis["clerk"].post("/online", {"agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk,
                                       "applicant_name": "Đỗ Thị Mai"})
    assert r.status_code == 422 and "trực tuyến" in r.json()["message"]
    assert written() == before


def test_an_error_after_the_write_rolls_the_write_back(apis, province, procedure, monkeypatch):
    """The answer is built inside the write's transaction: if it fails, the dossier goes with it."""
    def refuse(request, dossier):
        raise NotAllowed("Không xem được hồ sơ vừa ghi.")

    monkeypatch.setattr(api, "detail_out", refuse)
    before = written()
    r = apis["clerk"].post("/", {"agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk,
                                 "applicant_name": "Phạm Thị Dung"})
    assert r.status_code == 403
    assert written() == before
