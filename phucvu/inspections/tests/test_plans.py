"""Yearly plans: drafting, approval by the head, amendments with every version kept and shown as a
difference, decisions only from approved items, and risk-based proposals added in one step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed, StaleAction
from phucvu.discipline.services.breaches import violation_record
from phucvu.inspections.models import Plan, PlanEvent, PlanItem, PlanVersion
from phucvu.inspections.selectors import plan_diff, plan_versions, risk_proposals
from phucvu.inspections.services import (
    finding_add,
    inspection_open,
    plan_amend,
    plan_approve,
    plan_create,
    plan_item_add,
    plan_item_change,
    plan_item_open,
    plan_item_withdraw,
    plan_propose_add,
)
from phucvu.portal.services import feedback_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(province, make_staff):
    return {"inspector": make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng"),
            "head": make_staff(province["dept"], "unit_leader", full_name="Giám Đốc Sở"),
            "stranger": make_staff(province["commune"], "unit_leader")}


@pytest.fixture
def plan(province, people):
    p = plan_create(actor=people["inspector"], agency=province["dept"], year=2026)
    plan_item_add(actor=people["inspector"], plan_id=p.pk, topic="Kiểm tra công vụ tại Bộ phận Một cửa",
                  target=province["commune"], quarter=1, kind="civil_service")
    plan_item_add(actor=people["inspector"], plan_id=p.pk, topic="Thanh tra việc giải quyết thủ tục đất đai",
                  target=province["district"], month=5)
    return p


def test_a_plan_is_one_per_agency_and_year_and_drafted_by_the_inspecting_side(province, people, plan):
    with pytest.raises(InvalidInput, match="đã có kế hoạch năm 2026"):
        plan_create(actor=people["inspector"], agency=province["dept"], year=2026)
    with pytest.raises(NotAllowed):
        plan_create(actor=people["stranger"], agency=province["dept"], year=2027)
    assert plan.state == Plan.State.DRAFT and plan.items.count() == 2


def test_an_item_has_month_or_quarter_and_never_the_agency_itself(province, people, plan):
    for bad in ({"month": 5, "quarter": 2}, {}, {"month": 13}, {"quarter": 5}):
        with pytest.raises(InvalidInput):
            plan_item_add(actor=people["inspector"], plan_id=plan.pk, topic="X", target=province["commune2"], **bad)
    with pytest.raises(InvalidInput, match="tự kiểm tra"):
        plan_item_add(actor=people["inspector"], plan_id=plan.pk, topic="X", target=province["dept"], month=1)
    assert plan.items.count() == 2


def test_only_the_head_approves_and_a_version_freezes_the_items(province, people, plan):
    with pytest.raises(NotAllowed, match="lãnh đạo cơ quan tiến hành"):
        plan_approve(actor=people["inspector"], plan_id=plan.pk, approved_on=dt.date(2025, 12, 20),
                     decision_number="150/QĐ-SNV")
    v1 = plan_approve(actor=people["head"], plan_id=plan.pk, approved_on=dt.date(2025, 12, 20),
                      decision_number="150/QĐ-SNV")
    plan.refresh_from_db()
    assert v1.number == 1 and plan.state == Plan.State.APPROVED and plan.approved_version == 1
    assert [row["target"] for row in v1.items] == ["X06652", "H193"]
    with pytest.raises(InvalidTransition, match="bắt đầu điều chỉnh"):
        plan_item_add(actor=people["inspector"], plan_id=plan.pk, topic="Y", target=province["commune2"], month=3)


def test_an_amendment_is_approved_again_and_every_version_is_kept_with_its_difference(province, people, plan):
    plan_approve(actor=people["head"], plan_id=plan.pk, approved_on=dt.date(2025, 12, 20),
                 decision_number="150/QĐ-SNV")
    with pytest.raises(InvalidInput, match="lý do"):
        plan_amend(actor=people["inspector"], plan_id=plan.pk, reason=" ")
    plan_amend(actor=people["inspector"], plan_id=plan.pk, reason="Bổ sung theo chỉ đạo của UBND tỉnh")
    land, civil = PlanItem.objects.get(month=5), PlanItem.objects.get(quarter=1)
    plan_item_change(actor=people["inspector"], item_id=land.pk, topic=land.topic, target=land.target, month=7)
    plan_item_withdraw(actor=people["inspector"], item_id=civil.pk, reason="Đã kiểm tra đột xuất tháng 1")
    plan_item_add(actor=people["inspector"], plan_id=plan.pk, topic="Kiểm tra chéo", target=province["commune2"],
                  quarter=3, kind="cross")
    v2 = plan_approve(actor=people["head"], plan_id=plan.pk, approved_on=dt.date(2026, 3, 2),
                      decision_number="40/QĐ-SNV")
    assert v2.number == 2 and v2.reason == "Bổ sung theo chỉ đạo của UBND tỉnh"
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    v1 = PlanVersion.objects.get(plan=plan, number=1)
    assert len(v1.items) == 2  # the first version is untouched
    diff = {d["change"]: d for d in plan_diff(v1.items, v2.items)}
    assert diff["added"]["target"] == "UBND phường Bạch Đằng"
    assert diff["removed"]["topic"] == "Kiểm tra công vụ tại Bộ phận Một cửa"
    assert diff["changed"]["fields"] == [("tháng", "5", "7")]
    assert plan_versions(plan)[0]["v"].number == 2 and plan_versions(plan)[-1]["diff"] is None
    assert PlanItem.objects.filter(plan=plan).count() == 3  # withdrawn, not deleted


def test_a_decision_comes_only_from_an_approved_item_and_only_once(province, people, plan):
    item = PlanItem.objects.get(month=5)
    args = {"actor": people["inspector"], "item_id": item.pk, "decision_number": "51/QĐ-SNV",
            "decision_date": dt.date(2026, 5, 4), "started_on": dt.date(2026, 5, 6), "head": people["inspector"]}
    with pytest.raises(InvalidTransition, match="chưa được phê duyệt"):
        plan_item_open(**args)
    plan_approve(actor=people["head"], plan_id=plan.pk, approved_on=dt.date(2025, 12, 20),
                 decision_number="150/QĐ-SNV")
    plan_amend(actor=people["inspector"], plan_id=plan.pk, reason="Bổ sung")
    added = plan_item_add(actor=people["inspector"], plan_id=plan.pk, topic="Mới", target=province["commune2"],
                          month=6)
    with pytest.raises(InvalidTransition, match="chưa được phê duyệt"):
        plan_item_open(**{**args, "item_id": added.pk})
    inspection = plan_item_open(**args)
    assert inspection.target == province["district"] and inspection.kind == "scheduled"
    assert PlanItem.objects.get(pk=item.pk).inspection == inspection
    with pytest.raises(InvalidTransition, match="đã có quyết định"):
        plan_item_open(**args)


def test_a_stale_page_is_refused_and_writes_nothing(province, people, plan):
    before = PlanEvent.objects.count()
    with pytest.raises(StaleAction):
        plan_item_add(actor=people["inspector"], plan_id=plan.pk, version=plan.version - 1, topic="Z",
                      target=province["commune2"], month=1)
    assert PlanEvent.objects.count() == before and plan.items.count() == 2


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_risk_proposals_read_the_systems_own_data_and_one_step_adds_them(province, people, plan, make_staff):
    for n in range(3):
        feedback_submit(name="Trần Văn Dân", subject=f"Chậm trả kết quả {n}", content="Hồ sơ trễ hẹn",
                        agency_id=province["commune2"].pk, phone="0912345678", at=_at(dt.date(2026, 3, 2 + n)))
    for n, day in enumerate([dt.date(2024, 5, 6), dt.date(2025, 9, 8)]):
        i = inspection_open(actor=people["inspector"], organizer=province["dept"], target=province["commune3"],
                            topic="Kiểm tra", kind="scheduled", decision_number=f"{n}/QĐ", started_on=day)
        finding_add(actor=people["inspector"], inspection_id=i.pk, text="Thu phí sai quy định", is_violation=True)
    clerk = make_staff(province["center"], "desk_clerk")
    for day in (dt.date(2026, 1, 5), dt.date(2026, 2, 9)):
        violation_record(actor=None, staff=clerk, kind="working_hours", occurred_on=day, description="Đi muộn")
    proposals = {p["target"].code: p for p in risk_proposals(plan=plan, as_of=dt.date(2026, 4, 1))}
    assert set(proposals) == {"X06655", "X06700", "TTHCC"}
    assert "3 phản ánh" in proposals["X06655"]["signals"][0]
    assert "lặp lại qua 2 cuộc" in proposals["X06700"]["signals"][0]
    assert "2 vi phạm kỷ luật" in proposals["TTHCC"]["signals"][0]
    item = plan_propose_add(actor=people["inspector"], plan_id=plan.pk, target=province["commune3"],
                            as_of=dt.date(2026, 4, 1))
    assert item.reason == "risk" and "lặp lại" in item.basis and item.quarter == 3
    assert "X06700" not in {p["target"].code for p in risk_proposals(plan=plan, as_of=dt.date(2026, 4, 1))}
    with pytest.raises(InvalidInput, match="Không có đề xuất"):
        plan_propose_add(actor=people["inspector"], plan_id=plan.pk, target=province["commune"],
                         as_of=dt.date(2026, 4, 1))


def test_the_plan_pages_list_approve_and_show_versions(client, province, people, plan):
    plan.refresh_from_db()
    client.force_login(people["head"].user)
    listing = client.get(reverse("inspections:plans"))
    assert listing.status_code == 200 and "Sở Nội vụ" in listing.content.decode()
    response = client.post(reverse("inspections:plan_act", args=[plan.pk, "approve"]),
                           {"decision_number": "150/QĐ-SNV", "approved_on": "2025-12-20", "version": plan.version},
                           follow=True)
    page = response.content.decode()
    assert "Đã phê duyệt kế hoạch, phiên bản 1" in page and 'id="version-1"' in page
    client.force_login(people["stranger"].user)
    assert client.get(reverse("inspections:plan", args=[plan.pk])).status_code == 404


def test_a_bad_item_on_the_page_is_a_message_not_a_500(client, province, people, plan):
    plan.refresh_from_db()
    client.force_login(people["inspector"].user)
    response = client.post(reverse("inspections:plan_act", args=[plan.pk, "item"]),
                           {"topic": "X", "target": province["commune2"].pk, "when": "", "version": plan.version},
                           follow=True)
    assert response.status_code == 200 and "Chọn tháng hoặc quý" in response.content.decode()


@pytest.mark.parametrize(("when", "says"), [("m13", "từ 1 đến 12"), ("q5", "từ 1 đến 4"), ("q0", "từ 1 đến 4"),
                                            ("mx", "số nguyên")])
def test_a_month_or_quarter_out_of_range_is_refused_and_writes_nothing(client, province, people, plan, when, says):
    plan.refresh_from_db()
    client.force_login(people["inspector"].user)
    before = plan.items.count()
    response = client.post(reverse("inspections:plan_act", args=[plan.pk, "item"]),
                           {"topic": "X", "target": province["commune2"].pk, "when": when, "version": plan.version},
                           follow=True)
    assert response.status_code == 200 and says in response.content.decode()
    assert plan.items.count() == before
