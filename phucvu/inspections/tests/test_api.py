"""The inspections API: lists and details under the visibility rule, writes through the table of who may act."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from phucvu.inspections.services import inspection_open, recommendation_add
from phucvu.inspections.tests.helpers import sign
from phucvu.organization.services import api_token_issue


@pytest.fixture
def case(province, make_staff):
    inspector = make_staff(province["dept"], "inspector")
    owner = make_staff(province["commune"], "specialist")
    i = inspection_open(actor=inspector, organizer=province["dept"], target=province["commune"], topic="Kiểm tra",
                        kind="scheduled", decision_number="1/QĐ", decision_date=dt.date(2026, 1, 5),
                        started_on=dt.date(2026, 1, 6), head=inspector)
    sign(actor=inspector, inspection_id=i.pk, ended_on=dt.date(2026, 2, 2))
    rec = recommendation_add(actor=inspector, inspection_id=i.pk, text="Niêm yết", owner=province["commune"],
                             owner_person=owner, due_on=dt.date(2026, 3, 31))
    return {"inspector": inspector, "owner": owner, "inspection": i, "rec": rec, "province": province}


def _client(staff) -> Client:
    token = api_token_issue(user=staff.user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_lists_and_details_follow_the_visibility_rule(case, make_staff):
    api = _client(case["inspector"])
    listing = api.get("/api/inspections/").json()
    assert listing["count"] == 1 and listing["items"][0]["code"] == case["inspection"].code
    detail = api.get(f"/api/inspections/{case['inspection'].pk}").json()
    assert detail["recommendations"][0]["text"] == "Niêm yết" and "conclude" in detail["actions"]
    counts = api.get("/api/inspections/counts", {"date_from": "2026-01-01", "date_to": "2026-12-31"}).json()
    assert counts["total"] == 1 and counts["rows"][0]["by_kind"]["scheduled"] == 1
    stranger = _client(make_staff(case["province"]["commune3"], "unit_leader"))
    assert stranger.get("/api/inspections/").json()["count"] == 0
    assert stranger.get(f"/api/inspections/{case['inspection'].pk}").status_code == 404
    assert stranger.get(f"/api/inspections/recommendations/{case['rec'].pk}").status_code == 404
    assert stranger.get("/api/inspections/recommendations").json()["count"] == 0


def test_owner_reports_and_only_the_inspector_verifies(case):
    owner, inspector, rec = _client(case["owner"]), _client(case["inspector"]), case["rec"]
    r = owner.post(f"/api/inspections/recommendations/{rec.pk}/done", {"version": rec.version,
                   "done_on": "2026-03-20", "evidence": "Đã niêm yết"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "done"
    version = r.json()["version"]
    r = owner.post(f"/api/inspections/recommendations/{rec.pk}/verify", {"version": version,
                   "verified_on": "2026-03-21"}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "not_allowed"
    r = inspector.post(f"/api/inspections/recommendations/{rec.pk}/verify", {"version": version - 1,
                       "verified_on": "2026-03-21"}, content_type="application/json")
    assert r.status_code == 409
    r = inspector.post(f"/api/inspections/recommendations/{rec.pk}/verify", {"version": version,
                       "verified_on": "2026-03-21"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "verified"
    mine = owner.get("/api/inspections/recommendations", {"mine": "true"}).json()
    assert mine["items"][0]["state"] == "verified"


def test_draft_then_conclude_through_the_api(case, province, make_staff):
    inspector = case["inspector"]
    i = inspection_open(actor=inspector, organizer=province["dept"], target=province["commune2"], topic="Kiểm tra",
                        kind="surprise", decision_number="2/QĐ", started_on=dt.date(2026, 3, 2), head=inspector)
    api = _client(inspector)
    r = api.post(f"/api/inspections/{i.pk}/draft", {"received_on": "2026-03-20"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["clock"]["due_on"] == "2026-04-06"  # Sun 5/4 → Mon 6/4
    r = api.post(f"/api/inspections/{i.pk}/conclude", {"concluded_on": "2026-03-30", "conclusion": ""},
                 content_type="application/json")
    assert r.status_code == 422 and "kết luận" in r.json()["message"]
    clerk = _client(make_staff(province["dept"], "specialist"))
    r = clerk.post(f"/api/inspections/{i.pk}/conclude", {"concluded_on": "2026-03-30", "conclusion": "Xong"},
                   content_type="application/json")
    assert r.status_code == 403


def test_plans_through_the_api_under_the_visibility_rule(case, make_staff):
    province = case["province"]
    head = make_staff(province["dept"], "unit_leader")
    api = _client(case["inspector"])
    made = api.post("/api/inspections/plans", {"agency_code": "SNV", "year": 2027}, content_type="application/json")
    assert made.status_code == 200, made.content
    plan = made.json()
    added = api.post(f"/api/inspections/plans/{plan['id']}/items",
                     {"version": plan["version"], "topic": "Kiểm tra công vụ", "target_code": "X06652", "quarter": 1},
                     content_type="application/json")
    assert added.status_code == 200 and added.json()["items"][0]["target_code"] == "X06652"
    refused = api.post(f"/api/inspections/plans/{plan['id']}/approve",
                       {"version": added.json()["version"], "approved_on": "2026-12-20", "decision_number": "1/QĐ"},
                       content_type="application/json")
    assert refused.status_code == 403
    approved = _client(head).post(f"/api/inspections/plans/{plan['id']}/approve",
                                  {"version": added.json()["version"], "approved_on": "2026-12-20",
                                   "decision_number": "1/QĐ"}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["versions"][0]["number"] == 1
    stale = api.post(f"/api/inspections/plans/{plan['id']}/amend", {"version": 1, "reason": "x"},
                     content_type="application/json")
    assert stale.status_code == 409
    assert api.get("/api/inspections/plans?year=2027").json()["count"] == 1
    outsider = _client(make_staff(province["commune3"], "unit_leader"))
    assert outsider.get(f"/api/inspections/plans/{plan['id']}").status_code == 404
    assert outsider.get("/api/inspections/plans").json()["count"] == 0
