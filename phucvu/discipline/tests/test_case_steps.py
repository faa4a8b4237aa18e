"""A discipline case: both clocks, each step's deadline, the council's conflict check, the ballot, the
straight-through path, the decision; who may read it (docs/discipline.md §4.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.discipline.models import CaseRead, CaseStatus, DisciplineCase, Sanction, StepKind
from phucvu.discipline.services.breaches import violation_record
from phucvu.discipline.services.case_steps import (
    add_working_days,
    case_clocks,
    case_open,
    case_pause,
    case_step,
    next_steps,
)
from phucvu.workcalendar.services import calendar_seed

D = dt.date


@pytest.fixture
def office(province, make_staff):
    calendar_seed(first_year=2025, last_year=2027)
    people = {"hr": make_staff(province["dept"], "hr_officer", full_name="Phan Thị Nội Vụ"),
              "clerk": make_staff(province["commune"], "desk_clerk", full_name="Đào Thị Hạnh", category="CC"),
              "chair": make_staff(province["district"], "unit_leader", full_name="Chủ Tịch"),
              "m1": make_staff(province["district"], "specialist", full_name="Thành Viên Một"),
              "m2": make_staff(province["district"], "specialist", full_name="Thành Viên Hai"),
              "leader": make_staff(province["commune"], "unit_leader", full_name="Lãnh Đạo Phường")}
    return people


def open_case(office, **extra):
    values = {"actor": office["hr"], "staff": office["clerk"], "proposed_form": "canh_cao",
              "violation_ended": D(2026, 2, 10), "discovered": D(2026, 3, 2), "decision_maker": office["chair"]}
    return case_open(**{**values, **extra})


def test_the_clocks_of_a_case_with_a_pause_and_an_extension(office):
    case = open_case(office)
    assert case.rule_set == "172/2025/NĐ-CP"
    clocks = case_clocks(case)
    # 90 days from 2/3/2026 → 31/5/2026, a Sunday → Monday 1/6; limitation 10 years → 10/2/2036, a Sunday → 11/2.
    assert (clocks.decision_due, clocks.limitation_ends) == (D(2026, 6, 1), D(2036, 2, 11))
    case_pause(actor=office["hr"], case_id=case.pk, first=D(2026, 3, 10), last=D(2026, 3, 19), reason="Ốm nặng")
    assert case_clocks(case).decision_due == D(2026, 6, 10)
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.EXTENSION, on=D(2026, 4, 1),
              note="Nhiều tình tiết phức tạp")
    case.refresh_from_db()
    assert case_clocks(case).decision_due == D(2026, 8, 10)  # 150 + 10 days → 9/8, a Sunday → 10/8
    with pytest.raises(InvalidInput, match="đã được gia hạn"):
        case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.EXTENSION, on=D(2026, 4, 2), note="lại")


def test_a_form_the_category_lacks_cannot_open_a_case(office):
    with pytest.raises(InvalidInput, match="hạ bậc lương không áp dụng cho công chức"):
        open_case(office, proposed_form="ha_bac_luong")
    assert not DisciplineCase.objects.exists()


def test_only_the_personnel_office_opens_a_case(office):
    with pytest.raises(NotAllowed):
        open_case(office, actor=office["leader"])


def test_the_full_path_with_each_step_deadline(office):
    case = open_case(office)
    hr = office["hr"]
    assert next_steps(case) == [(StepKind.REVIEW_MEETING, None)]
    case_step(actor=hr, case_id=case.pk, kind=StepKind.REVIEW_MEETING, on=D(2026, 3, 5), note="Biên bản kiểm điểm")
    # Report within 3 working days (Mon 9/3… Tue 10/3), then the council within 5 more: Tue 17/3.
    assert next_steps(case) == [(StepKind.COUNCIL_FORMED, D(2026, 3, 17))]
    with pytest.raises(InvalidInput, match="số lẻ thành viên, ít nhất 3"):
        case_step(actor=hr, case_id=case.pk, kind=StepKind.COUNCIL_FORMED, on=D(2026, 3, 12),
                  council=[office["chair"], office["m1"]])
    with pytest.raises(InvalidInput, match="người bị xem xét"):
        case_step(actor=hr, case_id=case.pk, kind=StepKind.COUNCIL_FORMED, on=D(2026, 3, 12),
                  council=[office["chair"], office["m1"], office["clerk"]])
    case_step(actor=hr, case_id=case.pk, kind=StepKind.COUNCIL_FORMED, on=D(2026, 3, 12),
              council=[office["chair"], office["m1"], office["m2"]])
    case_step(actor=hr, case_id=case.pk, kind=StepKind.SUMMONS, on=D(2026, 3, 13))
    assert next_steps(case) == [(StepKind.COUNCIL_MEETING, D(2026, 3, 20))]  # at least 5 working days later
    with pytest.raises(InvalidInput, match="ít nhất 5 ngày làm việc: họp từ 20/03/2026"):
        case_step(actor=hr, case_id=case.pk, kind=StepKind.COUNCIL_MEETING, on=D(2026, 3, 19), votes_for=3,
                  votes_against=0)
    with pytest.raises(InvalidInput, match="nhiều hơn số thành viên"):
        case_step(actor=hr, case_id=case.pk, kind=StepKind.COUNCIL_MEETING, on=D(2026, 3, 20), votes_for=3,
                  votes_against=1)
    case_step(actor=hr, case_id=case.pk, kind=StepKind.COUNCIL_MEETING, on=D(2026, 3, 20), votes_for=2,
              votes_against=1, form="khien_trach")
    assert next_steps(case) == [(StepKind.RECOMMENDATION, D(2026, 3, 27))]
    case_step(actor=hr, case_id=case.pk, kind=StepKind.RECOMMENDATION, on=D(2026, 3, 25), form="khien_trach")
    assert next_steps(case) == [(StepKind.DECISION, D(2026, 4, 1))]
    with pytest.raises(InvalidInput, match="số quyết định"):
        case_step(actor=hr, case_id=case.pk, kind=StepKind.DECISION, on=D(2026, 3, 30), form="khien_trach")
    case_step(actor=hr, case_id=case.pk, kind=StepKind.DECISION, on=D(2026, 3, 30), form="khien_trach",
              decision_number="15/QĐ-UBND", effective_from=D(2026, 4, 1))
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert (case.sanction.kind, case.sanction.decision_number, case.sanction.effective_from) == (
        "reprimand", "15/QĐ-UBND", D(2026, 4, 1))
    assert next_steps(case) == []
    with pytest.raises(InvalidInput, match="chưa đến lượt"):
        case_step(actor=hr, case_id=case.pk, kind=StepKind.DECISION, on=D(2026, 3, 31), decision_number="16")


def test_a_council_vote_against_discipline_ends_the_case(office):
    case = open_case(office)
    hr = office["hr"]
    case_step(actor=hr, case_id=case.pk, kind=StepKind.REVIEW_MEETING, on=D(2026, 3, 5))
    case_step(actor=hr, case_id=case.pk, kind=StepKind.COUNCIL_FORMED, on=D(2026, 3, 12),
              council=[office["chair"], office["m1"], office["m2"]])
    case_step(actor=hr, case_id=case.pk, kind=StepKind.SUMMONS, on=D(2026, 3, 13))
    case_step(actor=hr, case_id=case.pk, kind=StepKind.COUNCIL_MEETING, on=D(2026, 3, 20), votes_for=1,
              votes_against=2)
    case.refresh_from_db()
    assert case.status == CaseStatus.NO_DISCIPLINE and not Sanction.objects.exists()


def test_the_one_who_reported_the_violation_cannot_sit_on_the_council(office):
    violation = violation_record(actor=office["chair"], staff=office["clerk"], kind="harassment",
                                 occurred_on=D(2026, 2, 10), description="Gây phiền hà")
    case = open_case(office, violation=violation)
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.REVIEW_MEETING, on=D(2026, 3, 5))
    with pytest.raises(InvalidInput, match="xung đột lợi ích"):
        case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.COUNCIL_FORMED, on=D(2026, 3, 12),
                  council=[office["chair"], office["m1"], office["m2"]])


def test_the_straight_through_path_skips_the_review_and_the_council(office):
    case = open_case(office, straight_through=True, source="Kết luận thanh tra số 12/KL-TTr")
    assert next_steps(case) == [(StepKind.RECOMMENDATION, D(2026, 3, 9))]
    with pytest.raises(InvalidInput, match="chưa đến lượt"):
        case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.REVIEW_MEETING, on=D(2026, 3, 3))
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.RECOMMENDATION, on=D(2026, 3, 4))
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.DECISION, on=D(2026, 3, 6),
              decision_number="9/QĐ")
    assert Sanction.objects.get().kind == "warning"


def test_a_decision_after_the_time_limit_is_refused(office):
    case = open_case(office, straight_through=True)
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.RECOMMENDATION, on=D(2026, 5, 29))
    with pytest.raises(InvalidInput, match="quá thời hạn xử lý kỷ luật \\(01/06/2026\\)"):
        case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.DECISION, on=D(2026, 6, 2),
                  decision_number="9/QĐ")


def test_working_days():
    weekdays = lambda d: d.weekday() < 5  # noqa: E731
    assert add_working_days(D(2026, 3, 6), 1, weekdays) == D(2026, 3, 9)  # Friday + 1 → Monday
    assert add_working_days(D(2026, 3, 9), 5, weekdays) == D(2026, 3, 16)


def test_who_reads_a_case_and_every_read_is_logged(client, office, province, make_staff):
    case = open_case(office)
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.REVIEW_MEETING, on=D(2026, 3, 5))
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.COUNCIL_FORMED, on=D(2026, 3, 12),
              council=[office["chair"], office["m1"], office["m2"]])
    url = reverse("discipline:case_detail", args=[case.pk])
    for key in ("hr", "chair", "m1"):
        client.force_login(office[key].user)
        assert client.get(url).status_code == 200
    for key in ("leader", "clerk"):  # the cadre's own leader is not the decision-maker here; nor the cadre
        client.force_login(office[key].user)
        assert client.get(url).status_code == 404
    assert CaseRead.objects.count() == 3
    client.force_login(office["hr"].user)
    page = client.get(reverse("discipline:case_list")).content.decode()
    assert "Đào Thị Hạnh" in page and "01/06/2026" in page
    csv = client.get(reverse("discipline:case_list"), {"format": "csv"}).content.decode()
    assert "canh_cao,2026-03-02,open,172/2025/NĐ-CP" in csv
    client.cookies["django_language"] = "en"  # the form's name in the page's language, list and case alike
    for target in (reverse("discipline:case_list"), url):
        page = client.get(target).content.decode()
        assert "Warning" in page and "cảnh cáo" not in page.lower()


def test_the_office_runs_a_case_through_the_pages(client, office):
    client.force_login(office["hr"].user)
    response = client.post(reverse("discipline:case_new"), {
        "username": office["clerk"].user.username, "form": "ha_bac_luong", "violation_ended": "2026-02-10",
        "discovered": "2026-03-02"})
    assert "hạ bậc lương không áp dụng" in response.content.decode()
    response = client.post(reverse("discipline:case_new"), {
        "username": office["clerk"].user.username, "form": "canh_cao", "violation_ended": "2026-02-10",
        "discovered": "2026-03-02", "straight_through": "1"})
    case = DisciplineCase.objects.get()
    assert response.url == reverse("discipline:case_detail", args=[case.pk])
    url = reverse("discipline:case_detail", args=[case.pk])
    client.post(url, {"action": "pause", "on": "2026-03-10", "until": "2026-03-19", "note": "Thai sản"})
    page = client.get(url).content.decode()
    assert "10/06/2026" in page  # the time limit moved by the 10 paused days
    client.post(url, {"action": "recommendation", "on": "2026-03-20", "form": "canh_cao"})
    client.post(url, {"action": "decision", "on": "2026-03-23", "form": "canh_cao", "decision_number": "7/QĐ",
                      "effective_from": "2026-03-23"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.sanction.decision_number == "7/QĐ"
    page = client.get(url).content.decode()
    assert "7/QĐ · hiệu lực từ 23/03/2026" in page and "2026-03-23" not in page  # dates as the pages write them
    bad = client.post(url, {"action": "decision", "on": "bad"})
    assert bad.status_code == 200 and "ngày không hợp lệ" in bad.content.decode()
