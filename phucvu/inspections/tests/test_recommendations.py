"""Recommendations followed to the end: deadline on the working calendar, states, evidence, verification,
and reminders 30, 7, 1 days before and when overdue — exactly once each, in one digest, cancelled on closing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed, StaleAction
from phucvu.core.localtime import LOCAL_TZ
from phucvu.inspections.models import Recommendation
from phucvu.inspections.reminders import milestone_on
from phucvu.inspections.services import (
    deadline_after,
    directive_record,
    inspection_open,
    recommendation_add,
    recommendation_extend,
    recommendation_report_done,
    recommendation_start,
    recommendation_verify,
)
from phucvu.inspections.tests.helpers import sign
from phucvu.notifications import services as notify
from phucvu.notifications import sweeps
from phucvu.notifications.models import Message, MessageStatus

TZ = LOCAL_TZ
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def case(province, make_staff):
    inspector = make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng")
    owner = make_staff(province["commune"], "specialist", full_name="Nguyễn Thị Chủ Trì")
    leader = make_staff(province["commune"], "unit_leader", full_name="Đỗ Văn Lãnh Đạo")
    i = inspection_open(actor=inspector, organizer=province["dept"], target=province["commune"],
                        topic="Kiểm tra công vụ", kind="civil_service", decision_number="3/QĐ-SNV",
                        decision_date=dt.date(2026, 1, 5), started_on=dt.date(2026, 1, 6), head=inspector)
    sign(actor=inspector, inspection_id=i.pk, ended_on=dt.date(2026, 2, 2))
    # The implementing directive is issued: only the recommendations are reminded here.
    directive_record(actor=leader, inspection_id=i.pk, number="1/CĐ-UBND", issued_on=dt.date(2026, 2, 5))
    return {"inspector": inspector, "owner": owner, "leader": leader, "inspection": i, "province": province}


def _rec(case, due=dt.date(2026, 3, 31), person=True, **kw):
    return recommendation_add(actor=case["inspector"], inspection_id=case["inspection"].pk,
                              text="Cập nhật niêm yết thủ tục hành chính", owner=case["province"]["commune"],
                              owner_person=case["owner"] if person else None, due_on=due, **kw)


def test_deadline_lands_on_a_working_day_of_the_owners_calendar(case):
    assert _rec(case, due=dt.date(2026, 3, 28)).due_on == dt.date(2026, 3, 30)  # Saturday → Monday
    # 10 working days after the conclusion (Mon 2/2/2026), across Tết 2026 (14–22/2 off).
    assert deadline_after(case["province"]["commune"], dt.date(2026, 2, 2), 10) > dt.date(2026, 2, 16)
    by_days = _rec(case, due=None, working_days=5)
    assert by_days.due_on == dt.date(2026, 2, 9)


def test_the_owner_must_belong_to_the_owner_agency(case, make_staff):
    stranger = make_staff(case["province"]["commune3"], "specialist")
    with pytest.raises(InvalidInput, match="không thuộc đơn vị thực hiện"):
        recommendation_add(actor=case["inspector"], inspection_id=case["inspection"].pk, text="x",
                           owner=case["province"]["commune"], owner_person=stranger, due_on=dt.date(2026, 3, 31))


def test_states_open_in_progress_done_verified_only_the_inspector_closes(case, make_staff):
    rec = _rec(case)
    outsider = make_staff(case["province"]["commune2"], "specialist")
    with pytest.raises(NotAllowed):
        recommendation_start(actor=outsider, recommendation_id=rec.pk)
    rec = recommendation_start(actor=case["owner"], recommendation_id=rec.pk, version=rec.version)
    assert rec.state == Recommendation.State.IN_PROGRESS
    with pytest.raises(StaleAction):
        recommendation_start(actor=case["owner"], recommendation_id=rec.pk, version=1)
    with pytest.raises(InvalidInput, match="bằng chứng"):
        recommendation_report_done(actor=case["owner"], recommendation_id=rec.pk, done_on=dt.date(2026, 3, 20),
                                   evidence=" ")
    with pytest.raises(InvalidInput, match="PDF, JPG hoặc PNG"):
        recommendation_report_done(actor=case["owner"], recommendation_id=rec.pk, done_on=dt.date(2026, 3, 20),
                                   evidence="Đã niêm yết", file_name="a.exe", file_content=b"MZ\x90")
    rec = recommendation_report_done(actor=case["owner"], recommendation_id=rec.pk, done_on=dt.date(2026, 3, 20),
                                     evidence="Đã niêm yết lại 45 thủ tục", file_name="bien-ban.pdf",
                                     file_content=PDF)
    assert rec.state == Recommendation.State.DONE and rec.evidence_type == "application/pdf"
    with pytest.raises(NotAllowed):  # the owner cannot close it
        recommendation_verify(actor=case["owner"], recommendation_id=rec.pk, verified_on=dt.date(2026, 3, 21))
    with pytest.raises(InvalidInput, match="lý do"):
        recommendation_verify(actor=case["inspector"], recommendation_id=rec.pk, verified_on=dt.date(2026, 3, 21),
                              accept=False)
    rec = recommendation_verify(actor=case["inspector"], recommendation_id=rec.pk, verified_on=dt.date(2026, 3, 21),
                                accept=False, note="Thiếu ảnh chụp bảng niêm yết")
    assert rec.state == Recommendation.State.IN_PROGRESS and rec.done_on is None
    rec = recommendation_report_done(actor=case["leader"], recommendation_id=rec.pk, done_on=dt.date(2026, 3, 23),
                                     evidence="Bổ sung ảnh")
    rec = recommendation_verify(actor=case["inspector"], recommendation_id=rec.pk, verified_on=dt.date(2026, 3, 24))
    assert rec.state == Recommendation.State.VERIFIED and rec.verified_by == case["inspector"]
    with pytest.raises(InvalidTransition):
        recommendation_report_done(actor=case["owner"], recommendation_id=rec.pk, done_on=dt.date(2026, 3, 25),
                                   evidence="x")
    assert [e.kind for e in rec.events.all()] == [
        "recommendation", "recommendation_started", "recommendation_done", "recommendation_returned",
        "recommendation_done", "recommendation_verified"]


def test_overdue_is_computed_not_stored(case):
    rec = _rec(case)
    assert not rec.overdue_on(dt.date(2026, 3, 31)) and rec.overdue_on(dt.date(2026, 4, 1))
    rec = recommendation_report_done(actor=case["owner"], recommendation_id=rec.pk, done_on=dt.date(2026, 4, 2),
                                     evidence="Xong muộn")
    assert not rec.overdue_on(dt.date(2026, 4, 3))


def test_milestones():
    due = dt.date(2026, 3, 31)
    assert milestone_on(due, dt.date(2026, 2, 28)) is None
    assert milestone_on(due, dt.date(2026, 3, 1)) == ("d30", dt.date(2026, 3, 1))
    assert milestone_on(due, dt.date(2026, 3, 24))[0] == "d7"
    assert milestone_on(due, dt.date(2026, 3, 31))[0] == "d1"
    assert milestone_on(due, dt.date(2026, 4, 1))[0] == "overdue"


def _day(settings, day: dt.date) -> None:
    """One day of the worker: the digest at its hour, then every due message sent (the log channel)."""
    at = dt.datetime.combine(day, dt.time(7, 30), TZ)
    with time_machine.travel(at, tick=False):
        sweeps.digests(at)
        for message in notify.claim_due(now=at):
            notify.deliver(message)


def _carried(staff_id: int, kind: str = "rec") -> list[tuple[str, str]]:
    """(local day, reminder key) of each reminder a sent digest carried to the cadre."""
    out = []
    for m in Message.objects.filter(event="staff_digest", staff_id=staff_id,
                                    status__in=[MessageStatus.SENT, MessageStatus.DELIVERED]).order_by("created_at"):
        out += [(m.group[-8:], k) for k in m.payload["items"] if k.startswith(f"{kind}:")]
    return out


def test_reminders_30_7_1_days_before_and_overdue_exactly_once_each(case, settings):
    settings.NOTIFY_QUIET_HOURS = ""
    rec = _rec(case)  # due Tue 31/3/2026
    day = dt.date(2026, 2, 20)
    while day <= dt.date(2026, 4, 10):
        _day(settings, day)
        day += dt.timedelta(days=1)
    assert _carried(case["owner"].pk) == [
        ("20260301", f"rec:{rec.pk}:d30:2026-03-31"), ("20260324", f"rec:{rec.pk}:d7:2026-03-31"),
        ("20260330", f"rec:{rec.pk}:d1:2026-03-31"), ("20260401", f"rec:{rec.pk}:overdue:2026-03-31")]
    text = Message.objects.filter(event="staff_digest", staff_id=case["owner"].pk).first().text
    assert case["inspection"].code in text and "hạn 31/03/2026" in text
    # A named owner: her leaders are not reminded, only told once when it is overdue (the escalation).
    assert _carried(case["leader"].pk) == [("20260401", f"rec:{rec.pk}:escalated:2026-03-31")]


def test_a_missed_digest_day_still_reminds_once_and_without_an_owner_the_leaders_are(case, settings):
    settings.NOTIFY_QUIET_HOURS = ""
    rec = _rec(case, person=False)
    for day in [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]:  # the worker was down on 1/3
        _day(settings, day)
    assert _carried(case["leader"].pk) == [("20260302", f"rec:{rec.pk}:d30:2026-03-31")]


def test_closing_or_a_new_deadline_cancels_what_no_longer_applies(case, settings):
    settings.NOTIFY_QUIET_HOURS = ""
    rec = _rec(case)
    at = dt.datetime.combine(dt.date(2026, 3, 24), dt.time(7, 30), TZ)
    with time_machine.travel(at, tick=False):
        sweeps.digests(at)  # the 7-day reminder is queued…
    recommendation_report_done(actor=case["owner"], recommendation_id=rec.pk, done_on=dt.date(2026, 3, 24),
                               evidence="Đã làm")
    with time_machine.travel(at + dt.timedelta(minutes=1), tick=False):
        for message in notify.claim_due(now=at + dt.timedelta(minutes=1)):
            notify.deliver(message)
    assert Message.objects.get(event="staff_digest").status == MessageStatus.CANCELLED  # …and not sent
    for day in [dt.date(2026, 3, 30), dt.date(2026, 4, 1)]:
        _day(settings, day)
    assert _carried(case["owner"].pk) == []
    # A new deadline: the reminders of the old one no longer apply, the new ones will.
    other = _rec(case)
    _day(settings, dt.date(2026, 3, 2))
    recommendation_extend(actor=case["inspector"], recommendation_id=other.pk, due_on=dt.date(2026, 5, 12),
                          reason="Chờ kinh phí")
    for day in [dt.date(2026, 3, 24), dt.date(2026, 3, 30), dt.date(2026, 4, 1)]:  # the old dates: nothing
        _day(settings, day)
    _day(settings, dt.date(2026, 4, 12))  # the new 30-day date: due, first time
    assert _carried(case["owner"].pk) == [("20260302", f"rec:{other.pk}:d30:2026-03-31"),
                                          ("20260412", f"rec:{other.pk}:d30:2026-05-12")]


def test_owner_answers_and_inspector_verifies_on_the_pages(case, client):
    rec = _rec(case)
    client.force_login(case["owner"].user)
    page = client.get(reverse("inspections:recommendation", args=[rec.pk])).content.decode()
    assert "Báo cáo thực hiện" in page and "Xác nhận đã thực hiện" not in page
    r = client.post(reverse("inspections:recommendation_act", args=[rec.pk, "done"]),
                    {"version": rec.version, "done_on": "2026-03-20", "evidence": "Đã niêm yết"}, follow=True)
    assert "chờ thanh tra xác nhận" in r.content.decode()
    r = client.post(reverse("inspections:recommendation_act", args=[rec.pk, "verify"]),
                    {"version": 3, "verified_on": "2026-03-21"}, follow=True)
    assert "Bạn không được xác nhận" in r.content.decode()
    client.force_login(case["inspector"].user)
    rec.refresh_from_db()
    r = client.post(reverse("inspections:recommendation_act", args=[rec.pk, "verify"]),
                    {"version": rec.version, "verified_on": "2026-03-21"}, follow=True)
    assert "kiến nghị kết thúc" in r.content.decode()
    rec.refresh_from_db()
    assert rec.state == "verified"
    listing = client.get(reverse("inspections:recommendations"), {"state": "verified"}).content.decode()
    assert rec.get_absolute_url() in listing



def test_an_overdue_recommendation_is_escalated_once_to_the_owners_superior(case, settings, make_staff):
    settings.NOTIFY_QUIET_HOURS = ""
    district_leader = make_staff(case["province"]["district"], "unit_leader", full_name="Chủ Tịch Thành Phố")
    named = _rec(case)  # a cadre named: her leaders are her superiors
    unnamed = _rec(case, person=False)  # the commune's leaders own it: the district's leaders are above them
    done = _rec(case, person=False)
    recommendation_report_done(actor=case["leader"], recommendation_id=done.pk, done_on=dt.date(2026, 3, 30),
                               evidence="Đã làm")
    for day in [dt.date(2026, 3, 31), dt.date(2026, 4, 1), dt.date(2026, 4, 2), dt.date(2026, 4, 8)]:
        _day(settings, day)
    assert ("20260401", f"rec:{named.pk}:escalated:2026-03-31") in _carried(case["leader"].pk)
    assert [k for d, k in _carried(district_leader.pk)] == [f"rec:{unnamed.pk}:escalated:2026-03-31"]
    assert not [k for d, k in _carried(case["leader"].pk) if k.startswith(f"rec:{done.pk}:")]  # closed: none
    text = Message.objects.filter(event="staff_digest", staff_id=district_leader.pk).get().text
    assert "QUÁ HẠN" in text and "cần đôn đốc" in text


@pytest.fixture
def directive_case(province, make_staff):
    """Two conclusions signed on Monday 1/6/2026: their directives are due Tuesday 16/6/2026 (docs/inspections.md §14)."""
    inspector = make_staff(province["dept"], "inspector")
    leader = make_staff(province["commune"], "unit_leader", full_name="Đỗ Văn Lãnh Đạo")
    above = make_staff(province["district"], "unit_leader", full_name="Chủ Tịch Thành Phố")
    made = []
    for n in (1, 2):
        i = inspection_open(actor=inspector, organizer=province["dept"], target=province["commune"],
                            topic=f"Kiểm tra {n}", kind="scheduled", decision_number=f"{n}/QĐ",
                            decision_date=dt.date(2026, 5, 4), started_on=dt.date(2026, 5, 5), head=inspector)
        made.append(sign(actor=inspector, inspection_id=i.pk, ended_on=dt.date(2026, 6, 1)))
    assert made[0].directive_due_on == dt.date(2026, 6, 16)
    return {"leader": leader, "above": above, "inspections": made}


def test_the_directive_is_reminded_at_each_milestone_exactly_once_and_escalated(directive_case, settings):
    settings.NOTIFY_QUIET_HOURS = ""
    i, done = directive_case["inspections"]
    leader = directive_case["leader"]
    _day(settings, dt.date(2026, 6, 2))
    directive_record(actor=leader, inspection_id=done.pk, number="5/CĐ-UBND", issued_on=dt.date(2026, 6, 3))
    for day in [dt.date(2026, 6, 3), dt.date(2026, 6, 9), dt.date(2026, 6, 10), dt.date(2026, 6, 15),
                dt.date(2026, 6, 17), dt.date(2026, 6, 18), dt.date(2026, 6, 19)]:
        _day(settings, day)
    assert sorted(_carried(leader.pk, "dir")) == sorted([
        ("20260602", f"dir:{done.pk}:d30:2026-06-16"), ("20260602", f"dir:{i.pk}:d30:2026-06-16"),
        ("20260609", f"dir:{i.pk}:d7:2026-06-16"), ("20260615", f"dir:{i.pk}:d1:2026-06-16"),
        ("20260617", f"dir:{i.pk}:overdue:2026-06-16")])  # the recorded one: nothing after it was recorded
    assert _carried(directive_case["above"].pk, "dir") == [("20260617", f"dir:{i.pk}:escalated:2026-06-16")]
    first = Message.objects.filter(event="staff_digest", staff_id=leader.pk).order_by("created_at").first().text
    assert "văn bản chỉ đạo thực hiện kết luận thanh tra" in first and "còn 14 ngày, hạn 16/06/2026" in first


def test_recording_the_directive_cancels_a_queued_reminder(directive_case, settings):
    settings.NOTIFY_QUIET_HOURS = ""
    i, other = directive_case["inspections"]
    leader = directive_case["leader"]
    directive_record(actor=leader, inspection_id=other.pk, number="4/CĐ-UBND", issued_on=dt.date(2026, 6, 2))
    at = dt.datetime.combine(dt.date(2026, 6, 15), dt.time(7, 30), TZ)
    with time_machine.travel(at, tick=False):
        sweeps.digests(at)  # the 1-day reminder is queued…
    directive_record(actor=leader, inspection_id=i.pk, number="6/CĐ-UBND", issued_on=dt.date(2026, 6, 15))
    with time_machine.travel(at + dt.timedelta(minutes=1), tick=False):
        for message in notify.claim_due(now=at + dt.timedelta(minutes=1)):
            notify.deliver(message)
    assert Message.objects.get(event="staff_digest", staff_id=leader.pk).status == MessageStatus.CANCELLED
    _day(settings, dt.date(2026, 6, 17))
    assert _carried(leader.pk, "dir") == [] and _carried(directive_case["above"].pk, "dir") == []

