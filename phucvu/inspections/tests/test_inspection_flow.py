"""One inspection end to end: decision, team, draft conclusion and its clock, conclusion, publication."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed
from phucvu.inspections.authority import authority_markdown
from phucvu.inspections.models import Inspection, Law, Status
from phucvu.inspections.selectors import conclusion_clock, inspection_detail
from phucvu.inspections.services import (
    conclusion_due,
    inspection_conclude,
    inspection_draft_received,
    inspection_open,
    inspection_publish,
    inspection_team_set,
    recommendation_add,
    record_add,
)


@pytest.fixture
def inspector(province, make_staff):
    return make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng")


def _open(province, actor, **kw):
    args = {"actor": actor, "organizer": province["dept"], "target": province["commune"],
            "topic": "Kiểm tra công vụ tại Bộ phận Một cửa", "kind": "civil_service",
            "decision_number": "12/QĐ-SNV", "decision_date": dt.date(2025, 9, 1), "decision_signer": "Giám đốc Sở",
            "scope": "Giờ làm việc, niêm yết, sổ theo dõi", "period_from": dt.date(2025, 1, 1),
            "period_to": dt.date(2025, 6, 30), "started_on": dt.date(2025, 9, 3), "head": actor}
    args.update(kw)
    return inspection_open(**args)


def test_the_decision_records_number_date_signer_scope_period_and_the_law(province, inspector):
    i = _open(province, inspector)
    assert i.code == "SNV-2025-001" and i.decision_signer == "Giám đốc Sở" and i.law == Law.LAW_2025
    assert i.period_from == dt.date(2025, 1, 1) and i.kind == "civil_service"
    old = _open(province, inspector, decision_date=dt.date(2025, 6, 30), started_on=dt.date(2025, 7, 2))
    assert old.law == Law.LAW_2022 and old.code == "SNV-2025-002"


def test_the_team_refuses_anyone_from_the_inspected_agency_with_their_name(province, inspector, make_staff):
    insider = make_staff(province["commune_desk"], "desk_clerk", full_name="Lê Thị Nội Bộ")
    with pytest.raises(InvalidInput, match="Lê Thị Nội Bộ") as refused:
        _open(province, inspector, members=[insider])
    assert "UBND phường Hồng Gai" in refused.value.message
    i = _open(province, inspector)
    with pytest.raises(InvalidInput, match="Không được cử"):
        inspection_team_set(actor=inspector, inspection_id=i.pk, head=insider, members=[])
    outsider = make_staff(province["commune2"], "specialist")
    inspection_team_set(actor=inspector, inspection_id=i.pk, head=inspector, members=[outsider])
    assert list(i.members.all()) == [outsider]


def test_only_an_inspector_or_the_organisers_leader_decides(province, inspector, make_staff):
    clerk = make_staff(province["dept"], "specialist")
    with pytest.raises(NotAllowed):
        _open(province, clerk)
    far_inspector = make_staff(province["commune3"], "inspector")  # sees Móng Cái only
    with pytest.raises(NotAllowed):
        _open(province, far_inspector)
    leader = make_staff(province["dept"], "unit_leader")
    assert _open(province, leader, head=None).pk


def test_conclusion_is_due_15_days_after_the_draft_moved_off_a_day_off(province, inspector):
    i = _open(province, inspector)
    # Received Wed 3/9/2025: +15 = Thu 18/9, a working day.
    assert conclusion_due(i, dt.date(2025, 9, 3)) == dt.date(2025, 9, 18)
    # Received Fri 5/9/2025: +15 = Sat 20/9 → Mon 22/9.
    assert conclusion_due(i, dt.date(2025, 9, 5)) == dt.date(2025, 9, 22)
    # Received Wed 18/1/2023: +15 = Thu 2/2/2023, after Tết (20–26/1): a working day, stays.
    assert conclusion_due(i, dt.date(2023, 1, 18)) == dt.date(2023, 2, 2)


def test_draft_then_conclusion_then_publication(province, inspector):
    i = _open(province, inspector)
    with pytest.raises(InvalidTransition):
        inspection_publish(actor=inspector, inspection_id=i.pk, published_on=dt.date(2025, 9, 20), summary="x")
    inspection_draft_received(actor=inspector, inspection_id=i.pk, received_on=dt.date(2025, 9, 10))
    i.refresh_from_db()
    assert i.status == Status.DRAFT and i.conclusion_due_on == dt.date(2025, 9, 25)
    clock = conclusion_clock(i, dt.date(2025, 9, 20))
    assert clock.days_left == 5 and not clock.late
    assert conclusion_clock(i, dt.date(2025, 9, 27)).days_late == 2
    recommendation_add(actor=inspector, inspection_id=i.pk, text="Cập nhật niêm yết", owner=province["commune"],
                       due_on=dt.date(2025, 10, 30))
    record_add(actor=inspector, inspection_id=i.pk, kind="appraisal", on=dt.date(2025, 9, 22), text="Thống nhất.")
    inspection_conclude(actor=inspector, inspection_id=i.pk, ended_on=dt.date(2025, 9, 24),
                        conclusion="Chấp hành cơ bản tốt.")
    i.refresh_from_db()
    assert i.status == Status.CONCLUDED and i.concluded_on == dt.date(2025, 9, 24)
    assert not conclusion_clock(i, dt.date(2025, 12, 1)).late  # the clock stopped when signed
    inspection_publish(actor=inspector, inspection_id=i.pk, published_on=dt.date(2025, 9, 26),
                       summary="Chấp hành cơ bản tốt.")
    i.refresh_from_db()
    assert i.published_until == dt.date(2025, 10, 11)
    with pytest.raises(InvalidTransition):
        inspection_publish(actor=inspector, inspection_id=i.pk, published_on=dt.date(2025, 9, 27), summary="x")
    assert [e.kind for e in i.events.all()] == ["opened", "draft_received", "recommendation", "record",
                                                 "concluded", "redacted", "published"]


def test_a_late_conclusion_says_so_in_its_event(province, inspector):
    i = _open(province, inspector)
    inspection_draft_received(actor=inspector, inspection_id=i.pk, received_on=dt.date(2025, 9, 10))
    record_add(actor=inspector, inspection_id=i.pk, kind="appraisal", on=dt.date(2025, 9, 26), text="Thống nhất.")
    inspection_conclude(actor=inspector, inspection_id=i.pk, ended_on=dt.date(2025, 9, 29), conclusion="Xong.")
    assert "quá hạn 4 ngày" in i.events.get(kind="concluded").note


def test_under_the_2025_law_the_conclusion_waits_for_the_appraisal(province, inspector):
    i = _open(province, inspector)
    assert i.law == Law.LAW_2025
    inspection_draft_received(actor=inspector, inspection_id=i.pk, received_on=dt.date(2025, 9, 10))
    with pytest.raises(InvalidTransition, match="phải được thẩm định trước khi ký"):
        inspection_conclude(actor=inspector, inspection_id=i.pk, ended_on=dt.date(2025, 9, 20), conclusion="Xong.")
    i.refresh_from_db()
    assert i.status == Status.DRAFT and i.concluded_on is None and not i.events.filter(kind="concluded").exists()
    record_add(actor=inspector, inspection_id=i.pk, kind="appraisal", on=dt.date(2025, 9, 22), text="Thống nhất.")
    with pytest.raises(InvalidTransition, match="không sau ngày ký"):  # an appraisal after the signing day
        inspection_conclude(actor=inspector, inspection_id=i.pk, ended_on=dt.date(2025, 9, 20), conclusion="Xong.")
    inspection_conclude(actor=inspector, inspection_id=i.pk, ended_on=dt.date(2025, 9, 22), conclusion="Xong.")
    assert Inspection.objects.get(pk=i.pk).status == Status.CONCLUDED


def test_under_the_2022_law_no_appraisal_is_needed(province, inspector):
    i = _open(province, inspector, decision_date=dt.date(2025, 3, 1), started_on=dt.date(2025, 3, 3),
              period_from=dt.date(2024, 1, 1), period_to=dt.date(2024, 12, 31))
    assert i.law == Law.LAW_2022
    inspection_conclude(actor=inspector, inspection_id=i.pk, ended_on=dt.date(2025, 4, 1), conclusion="Xong.")


def test_the_page_refuses_signing_before_the_appraisal_in_vietnamese(province, inspector, client):
    i = _open(province, inspector)
    inspection_draft_received(actor=inspector, inspection_id=i.pk, received_on=dt.date(2025, 9, 10))
    client.force_login(inspector.user)
    page = client.get(reverse("inspections:detail", args=[i.pk])).content.decode()
    assert 'id="appraisal-missing"' in page
    r = client.post(reverse("inspections:act", args=[i.pk, "conclude"]),
                    {"concluded_on": "2025-09-20", "conclusion": "Xong."}, follow=True)
    assert "phải được thẩm định trước khi ký" in r.content.decode()
    assert Inspection.objects.get(pk=i.pk).status == Status.DRAFT


def test_detail_is_visible_to_the_inspected_agency_and_not_to_others(province, inspector, make_staff):
    i = _open(province, inspector)
    assert inspection_detail(user=make_staff(province["commune"], "unit_leader").user, inspection_id=i.pk)
    with pytest.raises(Exception, match="phạm vi"):
        inspection_detail(user=make_staff(province["commune3"], "unit_leader").user, inspection_id=i.pk)


def test_the_detail_page_opens_from_the_list_and_acts(province, inspector, make_staff, client):
    i = _open(province, inspector, members=[make_staff(province["district"], "specialist", full_name="Trần Thành Viên")])
    client.force_login(inspector.user)
    listing = client.get(reverse("inspections:inspection_list")).content.decode()
    assert reverse("inspections:detail", args=[i.pk]) in listing
    page = client.get(reverse("inspections:detail", args=[i.pk])).content.decode()
    assert "Trần Thành Viên" in page and "Giám đốc Sở" in page and "12/QĐ-SNV" in page
    r = client.post(reverse("inspections:act", args=[i.pk, "draft"]), {"received_on": "2025-09-10"}, follow=True)
    assert "Hạn ký kết luận" in r.content.decode() and "25/09/2025" in r.content.decode()
    r = client.post(reverse("inspections:act", args=[i.pk, "draft"]), {"received_on": "2025-09-11"}, follow=True)
    assert "đã được ghi nhận" in r.content.decode()  # refused, in Vietnamese, nothing written
    r = client.post(reverse("inspections:act", args=[i.pk, "conclude"]), {"concluded_on": "sai", "conclusion": "x"},
                    follow=True)
    assert "YYYY-MM-DD" in r.content.decode()
    outsider = make_staff(province["commune3"], "unit_leader")
    client.force_login(outsider.user)
    assert client.get(reverse("inspections:detail", args=[i.pk])).status_code == 404


def test_the_decision_form_refuses_an_insider_and_records_a_good_one(province, inspector, make_staff, client):
    insider = make_staff(province["commune_desk"], "desk_clerk", full_name="Lê Thị Nội Bộ")
    client.force_login(inspector.user)
    assert client.get(reverse("inspections:new")).status_code == 200
    data = {"organizer": province["dept"].pk, "target": province["commune"].pk, "topic": "Kiểm tra niêm yết",
            "kind": "surprise", "reason": "complaint", "decision_number": "7/QĐ-SNV", "decision_date": "2025-10-01",
            "decision_signer": "Phó Giám đốc", "started_on": "2025-10-02", "head": inspector.pk,
            "members": [insider.pk]}
    refused = client.post(reverse("inspections:new"), data)
    assert refused.status_code == 422 and "Cán bộ được chọn không có trong danh sách" not in refused.content.decode()
    assert "Lê Thị Nội Bộ" in refused.content.decode()
    data["members"] = []
    done = client.post(reverse("inspections:new"), data)
    assert done.status_code == 302
    clerk = make_staff(province["dept"], "specialist")
    client.force_login(clerk.user)
    assert client.get(reverse("inspections:new")).status_code == 403


def test_docs_state_the_authority_table_as_the_code_has_it():
    docs = (Path(__file__).resolve().parents[3] / "docs" / "inspections.md").read_text(encoding="utf-8")
    assert authority_markdown() in docs
