"""What a case and its sanction do (docs/discipline.md §4.5): the forms that need a post, the straight-through
deadlines by basis, the salary-step delay per category and date, the blocks while a case is open, the
revocation by a new decision, and the grade cap lifted by it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.discipline.clocks import RULE_SETS, salary_delay_months
from phucvu.discipline.importers.staff import import_staff
from phucvu.discipline.models import CaseStatus, StepKind
from phucvu.discipline.selectors.evaluation import grading_for
from phucvu.discipline.services.case_steps import case_open, case_step, next_steps
from phucvu.discipline.services.cases import revocation_publish, sanction_revoke
from phucvu.discipline.services.evaluation import score_import_save, staff_profile_save
from phucvu.organization.services import staff_save
from phucvu.workcalendar.services import calendar_seed

D = dt.date


@pytest.fixture
def office(province, make_staff):
    calendar_seed(first_year=2025, last_year=2027)
    return {"hr": make_staff(province["dept"], "hr_officer", full_name="Phan Thị Nội Vụ"),
            "clerk": make_staff(province["commune"], "desk_clerk", full_name="Đào Thị Hạnh", category="CC"),
            "head": _holding_post(make_staff(province["commune"], "specialist", full_name="Lê Văn Trưởng",
                                             category="CC", position="Trưởng phòng Văn hóa")),
            "province": province}


def _holding_post(staff):
    staff_profile_save(staff, "", "", holds_post=True)
    return staff


def open_case(office, staff=None, **extra):
    values = {"actor": office["hr"], "staff": staff or office["clerk"], "proposed_form": "canh_cao",
              "violation_ended": D(2026, 2, 10), "discovered": D(2026, 3, 2)}
    return case_open(**{**values, **extra})


def test_removal_from_a_post_only_for_one_who_holds_a_post(office):
    with pytest.raises(InvalidInput, match="chỉ áp dụng với người giữ chức vụ"):
        open_case(office, proposed_form="cach_chuc")
    assert open_case(office, staff=office["head"], proposed_form="cach_chuc").proposed_form == "cach_chuc"


def test_the_post_is_the_recorded_one_not_a_word_of_the_title(office, make_staff):
    """A title naming a head no longer decides (docs/discipline.md §6.1): the recorded field does."""
    deputy = make_staff(office["province"]["commune"], "specialist", full_name="Vũ Văn Phó", category="VC",
                        position="Phó trưởng phòng")
    with pytest.raises(InvalidInput, match="không giữ chức vụ"):
        open_case(office, staff=deputy, proposed_form="cach_chuc")
    manager = make_staff(office["province"]["commune"], "specialist", full_name="Ngô Thị Quản", category="VC",
                         position="Chuyên viên")
    _holding_post(manager)
    assert open_case(office, staff=manager, proposed_form="cach_chuc").proposed_form == "cach_chuc"


@pytest.mark.parametrize(("basis", "due"), [
    ("judgment", D(2026, 3, 23)),  # 15 working days after Monday 2/3/2026
    ("party", D(2026, 4, 1)),  # 30 days after 2/3/2026
])
def test_the_straight_through_deadlines_by_basis(office, basis, due):
    case = open_case(office, straight_through=True, basis=basis, source="Bản án số 5/2026/HS-ST")
    assert next_steps(case) == [(StepKind.DECISION, due)]
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.DECISION, on=due, decision_number="3/QĐ")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


def test_an_inspection_conclusion_keeps_the_recommendation_step(office):
    case = open_case(office, straight_through=True, source="Kết luận thanh tra số 12/KL-TTr")
    assert case.basis == "inspection"
    assert [k for k, _d in next_steps(case)] == [StepKind.RECOMMENDATION]
    assert open_case(office, straight_through=False, basis="judgment").basis == ""


@pytest.mark.parametrize(("category", "form", "on", "months"), [
    ("CC", "khien_trach", D(2024, 5, 1), 6), ("CC", "canh_cao", D(2024, 5, 1), 6),
    ("CC", "ha_bac_luong", D(2024, 5, 1), 12), ("CC", "giang_chuc", D(2024, 5, 1), 12),
    ("CC", "cach_chuc", D(2026, 5, 1), 12), ("CC", "buoc_thoi_viec", D(2026, 5, 1), None),
    ("CB", "khien_trach", D(2026, 5, 1), 6), ("CB", "bai_nhiem", D(2026, 5, 1), None),
    ("VC", "khien_trach", D(2026, 8, 1), 3), ("VC", "canh_cao", D(2026, 8, 1), 6),
    ("VC", "cach_chuc", D(2026, 8, 1), 12), ("VC", "buoc_thoi_viec", D(2026, 8, 1), None),
    ("VC", "khien_trach", D(2019, 8, 1), 3),
])
def test_the_salary_step_delay_per_category_form_and_date(category, form, on, months):
    assert salary_delay_months(category, form, on) == months


def test_a_salary_delay_for_every_form_that_keeps_the_person_and_no_other():
    """Each dated rule set carries its delays: one for each of its forms that keeps the person in service, none
    for a form it does not have (giáng chức is no form of a viên chức) — docs/discipline.md §4.5."""
    for rule_set in RULE_SETS:
        delays = dict(rule_set.salary_delay)
        assert set(delays) == set(rule_set.forms) - {"buoc_thoi_viec", "bai_nhiem"}, rule_set
        assert set(delays.values()) <= {3, 6, 12}


def test_a_case_begun_under_the_old_text_keeps_its_delay_after_the_change():
    """Hạ bậc lương decided on 10/7/2025 for a case discovered on 30/6/2025 (112/2020): 12 months."""
    assert salary_delay_months("CC", "ha_bac_luong", D(2025, 7, 10)) == 12
    assert salary_delay_months("VC", "giang_chuc", D(2026, 8, 1)) is None


def test_no_transfer_appointment_or_leaving_while_a_case_is_open(office):
    clerk, province = office["clerk"], office["province"]
    case = open_case(office)
    for change in ({"agency": province["commune2"]}, {"role": "unit_leader"}, {"position": "Phó trưởng phòng"},
                   {"active": False}):
        with pytest.raises(NotAllowed, match="đang bị xem xét kỷ luật"):
            staff_save(staff=clerk, **change)
        clerk.refresh_from_db()
    staff_save(staff=clerk, full_name="Đào Thị Hạnh Nhân")  # other changes go through
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.NO_DISCIPLINE, on=D(2026, 3, 10))
    staff_save(staff=clerk, agency=province["commune2"])  # the case ended: free again
    clerk.refresh_from_db()
    assert clerk.agency == province["commune2"]


def _decide(office, staff=None):
    case = open_case(office, staff=staff, straight_through=True, source="Kết luận thanh tra số 12/KL-TTr")
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.RECOMMENDATION, on=D(2026, 3, 4))
    case_step(actor=office["hr"], case_id=case.pk, kind=StepKind.DECISION, on=D(2026, 3, 6), decision_number="8/QĐ")
    case.refresh_from_db()
    return case


def cap(staff):
    return {g.username: g.capped_by for g in grading_for(staff.agency, 2026).staff}[staff.user.username]


def test_a_wrongful_sanction_is_revoked_by_a_new_decision_and_no_longer_caps(office, make_staff):
    clerk = office["clerk"]
    for month in range(1, 13):
        score_import_save(staff=clerk, year=2026, kind="month", number=month, general=25, results=60)
    case = _decide(office)
    assert case.sanction.salary_delay == 6
    assert cap(clerk) == "sanction"
    with pytest.raises(NotAllowed):
        sanction_revoke(actor=make_staff(office["province"]["commune"], "unit_leader"), sanction_id=case.sanction.pk,
                        decision_number="20/QĐ", decided_on=D(2026, 5, 4), reason="Sai đối tượng")
    with pytest.raises(InvalidInput, match="trước ngày quyết định kỷ luật"):
        sanction_revoke(actor=office["hr"], sanction_id=case.sanction.pk, decision_number="20/QĐ",
                        decided_on=D(2026, 3, 1), reason="Sai đối tượng")
    revocation = sanction_revoke(actor=office["hr"], sanction_id=case.sanction.pk, decision_number="20/QĐ",
                                 decided_on=D(2026, 5, 4), reason="Kết luận thanh tra bị hủy")
    assert revocation.publish_by == D(2026, 5, 18)  # 10 working days after Monday 4/5/2026
    case.sanction.refresh_from_db()
    assert case.sanction.salary_delay is None
    assert cap(clerk) is None
    with pytest.raises(InvalidInput, match="đã bị hủy"):
        sanction_revoke(actor=office["hr"], sanction_id=case.sanction.pk, decision_number="21/QĐ",
                        decided_on=D(2026, 5, 5), reason="x")
    assert revocation_publish(actor=office["hr"], revocation_id=revocation.pk,
                              published_on=D(2026, 5, 8)).published_on == D(2026, 5, 8)


def test_the_case_page_revokes_and_publishes(client, office):
    case = _decide(office)
    client.force_login(office["hr"].user)
    url = reverse("discipline:case_detail", args=[case.pk])
    assert 'id="revoke-form"' in client.get(url).content.decode()
    client.post(url, {"action": "revoke", "on": "2026-05-04", "decision_number": "20/QĐ", "note": "Sai đối tượng"})
    page = client.get(url).content.decode()
    assert "20/QĐ" in page and "18/05/2026" in page
    client.post(url, {"action": "publish", "on": "2026-05-08"})
    assert "08/05/2026" in client.get(url).content.decode()


def test_the_staff_import_refuses_a_transfer_while_a_case_is_open(office, tmp_path):
    open_case(office)
    clerk = office["clerk"]
    path = tmp_path / "staff.csv"
    path.write_text("username,full_name,agency,role,position,category,job_position,email,phone,active\n"
                    f"{clerk.user.username},Đào Thị Hạnh,X06655,desk_clerk,,CC,,,,1\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        import_staff(path)
    assert "Dòng 2: Đào Thị Hạnh đang bị xem xét kỷ luật" in " ".join(refused.value.details)


def test_the_staff_import_refuses_recording_a_post_while_a_case_is_open(office, tmp_path):
    """Recording that the cadre now holds a post is an appointment: refused while the case is open (docs/discipline.md §4.5)."""
    open_case(office)
    clerk = office["clerk"]
    path = tmp_path / "staff.csv"
    path.write_text("username,full_name,agency,role,position,category,job_position,email,phone,active,holds_post\n"
                    f"{clerk.user.username},Đào Thị Hạnh,{clerk.agency.code},desk_clerk,,CC,,,,1,1\n",
                    encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        import_staff(path)
    assert "bổ nhiệm, thay đổi chức vụ" in " ".join(refused.value.details)
