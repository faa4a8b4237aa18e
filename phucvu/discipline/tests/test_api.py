"""The discipline API (docs/discipline.md §7.9): tasks and emulation, reads under the visibility rule, writes
through the services and the authority table; a refused write writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from phucvu.core.localtime import LOCAL_TZ
from phucvu.discipline.models import Award, TaskEvent
from phucvu.discipline.services.emulation import campaign_create
from phucvu.discipline.services.tasks import task_assign, work_item_create
from phucvu.organization.services import api_token_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(province, make_staff):
    leader = make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh")
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Đào Thị Hạnh")
    other = make_staff(province["commune_desk"], "desk_clerk", full_name="Lý Thị Khác")
    far = make_staff(province["district2"], "unit_leader", full_name="Lê Văn Xa")
    item = work_item_create(actor=leader, agency=province["commune"], name="Báo cáo tuần")
    task = task_assign(actor=leader, item=item, staff=clerk, year=2026, kind="month", number=3, quantity=4,
                       deadline=dt.date(2026, 3, 20), at=dt.datetime(2026, 3, 2, 8, tzinfo=LOCAL_TZ))
    campaign = campaign_create(actor=leader, agency=province["commune"], name="Thi đua cải cách hành chính 2026",
                               launched_on=dt.date(2026, 1, 5))
    return {"leader": leader, "clerk": clerk, "other": other, "far": far, "task": task, "campaign": campaign}


def _client(staff) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=staff.user, name='test')}")


def test_tasks_list_and_detail_follow_the_visibility_rule(world):
    leader = _client(world["leader"])
    listing = leader.get("/api/discipline/tasks/", {"year": 2026, "kind": "month", "number": 3}).json()
    assert listing["count"] == 1 and listing["items"][0]["staff_name"] == "Đào Thị Hạnh"
    assert listing["items"][0]["status"] == "missed"  # nothing done by 20/3/2026
    detail = leader.get(f"/api/discipline/tasks/{world['task'].pk}").json()
    assert {"extend", "progress", "cancel"} <= set(detail["actions"])
    mine = _client(world["clerk"]).get("/api/discipline/tasks/", {"year": 2026, "number": 3, "mine": True}).json()
    assert mine["count"] == 1
    assert _client(world["other"]).get("/api/discipline/tasks/", {"year": 2026, "number": 3, "mine": True}).json()[
        "count"] == 0
    assert _client(world["far"]).get(f"/api/discipline/tasks/{world['task'].pk}").status_code == 404
    assert leader.get("/api/discipline/tasks/", {"year": 2026, "kind": "quarter", "number": 5}).status_code == 422


def test_progress_is_recorded_by_the_assignee_and_refused_to_others(world):
    task = world["task"]
    body = {"version": task.version, "on": "2026-03-10", "quantity": "3", "to_standard": "2"}
    answer = _client(world["clerk"]).post(f"/api/discipline/tasks/{task.pk}/progress", body,
                                          content_type="application/json")
    assert answer.status_code == 200, answer.content
    out = answer.json()
    assert Decimal(out["done"]) == 3 and out["events"][-1]["kind"] == "progress" and out["version"] == task.version + 1
    stale = _client(world["clerk"]).post(f"/api/discipline/tasks/{task.pk}/progress", body,
                                         content_type="application/json")
    assert stale.status_code == 409
    refused = _client(world["other"]).post(f"/api/discipline/tasks/{task.pk}/progress",
                                           {**body, "version": out["version"]}, content_type="application/json")
    assert refused.status_code in (403, 404)
    too_much = _client(world["clerk"]).post(f"/api/discipline/tasks/{task.pk}/progress",
                                            {**body, "version": out["version"], "quantity": "2"},
                                            content_type="application/json")
    assert too_much.status_code == 422 and "Vượt số lượng giao" in too_much.json()["message"]
    assert TaskEvent.objects.filter(task=task, kind="progress").count() == 1


def test_campaigns_and_awards(world):
    leader, clerk = _client(world["leader"]), _client(world["clerk"])
    campaign = world["campaign"]
    listing = clerk.get("/api/discipline/emulation/campaigns", {"year": 2026}).json()
    assert listing["count"] == 1 and listing["items"][0]["name"] == "Thi đua cải cách hành chính 2026"
    assert clerk.get(f"/api/discipline/emulation/campaigns/{campaign.pk}").json()["actions"] == []
    body = {"form": "giay_khen", "decision_number": "12/QĐ-UBND", "decided_on": "2026-06-01",
            "username": world["clerk"].user.username, "reason": "Không để hồ sơ trễ hạn"}
    refused = clerk.post(f"/api/discipline/emulation/campaigns/{campaign.pk}/awards", body,
                         content_type="application/json")
    assert refused.status_code == 403 and not Award.objects.exists()
    answer = leader.post(f"/api/discipline/emulation/campaigns/{campaign.pk}/awards", body,
                         content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["recipient"] == "Đào Thị Hạnh"
    detail = leader.get(f"/api/discipline/emulation/campaigns/{campaign.pk}").json()
    assert detail["actions"] == ["emulation"] and detail["awards_list"][0]["decision_number"] == "12/QĐ-UBND"
    awards = clerk.get("/api/discipline/emulation/awards", {"staff": world["clerk"].pk, "q": "tre han"}).json()
    assert awards["count"] == 1
    assert awards["items"][0]["recorded_for_code"] == campaign.agency.code  # the campaign's agency
    assert _client(world["far"]).get("/api/discipline/emulation/awards").json()["count"] == 0
    assert _client(world["far"]).get(f"/api/discipline/emulation/campaigns/{campaign.pk}").status_code == 404
