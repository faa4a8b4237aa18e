"""One inspection's file: the team's papers and who sees them, the extension, the appraisal, the redaction
and the publication window, the implementing directive's clock, the civil-service checklist, and findings
about people going to discipline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed
from phucvu.discipline.models import DisciplineCase, Violation
from phucvu.inspections.models import INTERNAL_FIELDS, PUBLIC_FIELDS, Finding, Inspection, InspectionRecord
from phucvu.inspections.selectors import inspection_records, public_view, published
from phucvu.inspections.services import (
    check_findings,
    check_mark,
    current_checks,
    directive_record,
    finding_add,
    finding_refer,
    inspection_draft_received,
    inspection_open,
    inspection_publish,
    inspection_redact,
    record_add,
)
from phucvu.inspections.tests.helpers import sign

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0" + b"0" * 64


@pytest.fixture
def people(province, make_staff):
    return {"inspector": make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng"),
            "member": make_staff(province["district"], "specialist", full_name="Trần Thành Viên"),
            "other": make_staff(province["dept"], "specialist", full_name="Người Ngoài Đoàn"),
            "leader": make_staff(province["commune"], "unit_leader", full_name="Chủ Tịch Phường"),
            "clerk": make_staff(province["commune_desk"], "desk_clerk", full_name="Lê Thị Một Cửa"),
            "hr": make_staff(province["dept"], "hr_officer", full_name="Tổ Chức Cán Bộ")}


@pytest.fixture
def inspection(province, people):
    return inspection_open(actor=people["inspector"], organizer=province["dept"], target=province["commune"],
                           topic="Kiểm tra công vụ tại Bộ phận Một cửa", kind="civil_service",
                           decision_number="25/QĐ-SNV", decision_date=dt.date(2025, 11, 3),
                           started_on=dt.date(2025, 11, 4), head=people["inspector"], members=[people["member"]])


def test_a_team_member_writes_the_diary_and_someone_outside_the_team_cannot(people, inspection):
    record_add(actor=people["member"], inspection_id=inspection.pk, kind="diary", on=dt.date(2025, 11, 4),
               text="Làm việc tại Bộ phận Một cửa từ 7h30")
    with pytest.raises(NotAllowed, match="thành viên đoàn"):
        record_add(actor=people["other"], inspection_id=inspection.pk, kind="diary", on=dt.date(2025, 11, 4),
                   text="x")
    with pytest.raises(InvalidInput, match="trước ngày ra quyết định"):
        record_add(actor=people["member"], inspection_id=inspection.pk, kind="minutes", on=dt.date(2025, 11, 1),
                   text="x")
    with pytest.raises(InvalidInput, match="chỉ nhận PDF"):
        record_add(actor=people["member"], inspection_id=inspection.pk, kind="evidence", on=dt.date(2025, 11, 4),
                   text="Ảnh", file_name="a.exe", file_content=b"MZ\x90\x00")
    assert InspectionRecord.objects.count() == 1


def test_the_inspected_side_sees_only_the_papers_it_receives_and_files_come_as_attachments(
        client, people, inspection):
    diary = record_add(actor=people["member"], inspection_id=inspection.pk, kind="diary", on=dt.date(2025, 11, 4),
                       text="Nhật ký nội bộ", file_name="nk.pdf", file_content=PDF)
    minutes = record_add(actor=people["inspector"], inspection_id=inspection.pk, kind="minutes",
                         on=dt.date(2025, 11, 5), text="Biên bản làm việc", file_name="bb.pdf", file_content=PDF)
    assert list(inspection_records(actor=people["leader"], inspection=inspection)) == [minutes]
    assert len(inspection_records(actor=people["member"], inspection=inspection)) == 2
    client.force_login(people["leader"].user)
    assert client.get(reverse("inspections:record_file", args=[diary.pk])).status_code == 404
    response = client.get(reverse("inspections:record_file", args=[minutes.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    client.force_login(people["member"].user)
    assert client.get(reverse("inspections:record_file", args=[diary.pk])).status_code == 200


def test_an_extension_moves_the_time_limit_forward_only(people, inspection):
    record_add(actor=people["inspector"], inspection_id=inspection.pk, kind="extension", on=dt.date(2025, 11, 10),
               text="Cần xác minh thêm sổ theo dõi", extends_to=dt.date(2025, 11, 20))
    inspection.refresh_from_db()
    assert inspection.ends_by == dt.date(2025, 11, 20)
    with pytest.raises(InvalidInput, match="sau 20/11/2025"):
        record_add(actor=people["inspector"], inspection_id=inspection.pk, kind="extension",
                   on=dt.date(2025, 11, 12), text="x", extends_to=dt.date(2025, 11, 18))
    with pytest.raises(NotAllowed):  # a team member records, but extending is the inspecting side's
        record_add(actor=people["member"], inspection_id=inspection.pk, kind="extension", on=dt.date(2025, 11, 12),
                   text="x", extends_to=dt.date(2025, 11, 30))


def test_the_appraisal_follows_the_draft(people, inspection):
    with pytest.raises(InvalidTransition, match="sau khi đã nhận dự thảo"):
        record_add(actor=people["inspector"], inspection_id=inspection.pk, kind="appraisal",
                   on=dt.date(2025, 11, 20), text="Đồng ý")
    inspection_draft_received(actor=people["inspector"], inspection_id=inspection.pk, received_on=dt.date(2025, 11, 20))
    record_add(actor=people["inspector"], inspection_id=inspection.pk, kind="appraisal", on=dt.date(2025, 11, 24),
               text="Thống nhất với dự thảo; bổ sung căn cứ")
    assert inspection.records.get().kind == "appraisal"


def _concluded(people, inspection, on=dt.date(2025, 11, 28)):
    return sign(actor=people["inspector"], inspection_id=inspection.pk, ended_on=on, received_on=dt.date(2025, 11, 20),
                conclusion="Nội bộ: bà Lê Thị Một Cửa đi muộn 3 lần. Công khai: chấp hành cơ bản tốt.")


def test_publication_needs_the_redaction_step_and_at_least_15_days(people, inspection):
    _concluded(people, inspection)
    with pytest.raises(InvalidTransition, match="Chưa lược bỏ"):
        inspection_publish(actor=people["inspector"], inspection_id=inspection.pk, published_on=dt.date(2025, 12, 1))
    inspection_redact(actor=people["inspector"], inspection_id=inspection.pk, summary="Chấp hành cơ bản tốt.")
    with pytest.raises(InvalidInput, match="ít nhất 15 ngày"):
        inspection_publish(actor=people["inspector"], inspection_id=inspection.pk, published_on=dt.date(2025, 12, 1),
                           until=dt.date(2025, 12, 15))
    inspection_publish(actor=people["inspector"], inspection_id=inspection.pk, published_on=dt.date(2025, 12, 1))
    inspection.refresh_from_db()
    assert inspection.published_until == dt.date(2025, 12, 16) and inspection.redacted_by == people["inspector"]
    with pytest.raises(InvalidTransition, match="không sửa được"):
        inspection_redact(actor=people["inspector"], inspection_id=inspection.pk, summary="khác")


@pytest.mark.parametrize(("day", "shown"), [(dt.date(2025, 11, 30), False), (dt.date(2025, 12, 1), True),
                                            (dt.date(2025, 12, 16), True), (dt.date(2025, 12, 17), False)])
def test_the_portal_shows_a_conclusion_within_its_window_only(client, people, inspection, day, shown):
    _concluded(people, inspection)
    inspection_publish(actor=people["inspector"], inspection_id=inspection.pk, published_on=dt.date(2025, 12, 1),
                       summary="Chấp hành cơ bản tốt.")
    assert published(today=day).filter(pk=inspection.pk).exists() is shown


def test_the_public_page_shows_only_public_fields_without_signing_in(client, people, inspection):
    _concluded(people, inspection)
    inspection_publish(actor=people["inspector"], inspection_id=inspection.pk, published_on=timezone.localdate(),
                       summary="Chấp hành cơ bản tốt.")
    page = client.get(reverse("inspections:public_detail", args=[inspection.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Chấp hành cơ bản tốt." in text
    assert "đi muộn" not in text and "Vũ Đức Thắng" not in text
    assert "Kiểm tra công vụ tại Bộ phận Một cửa" in client.get(reverse("inspections:public_list")).content.decode()
    assert set(public_view(inspection)) == set(PUBLIC_FIELDS)


def test_the_public_page_is_searched_and_exported_with_public_fields_only(client, people, inspection):
    _concluded(people, inspection)
    inspection_publish(actor=people["inspector"], inspection_id=inspection.pk, published_on=timezone.localdate(),
                       summary="Chấp hành cơ bản tốt.")
    url = reverse("inspections:public_list")
    assert "Kiểm tra công vụ" in client.get(url, {"q": "kiem tra cong vu"}).content.decode()
    assert "Kiểm tra công vụ" in client.get(url, {"q": inspection.target.name}).content.decode()
    assert "Kiểm tra công vụ" not in client.get(url, {"q": "phòng cháy"}).content.decode()
    exported = client.get(url, {"q": "cong vu", "format": "csv"})
    text = exported.content.decode("utf-8-sig")
    assert exported.status_code == 200 and "Chấp hành cơ bản tốt." in text and inspection.code in text
    assert "đi muộn" not in text and "Vũ Đức Thắng" not in text  # the conclusion and the team stay internal
    assert client.get(url, {"q": "x" * 5000, "page": "abc"}).status_code == 200


def test_every_field_of_an_inspection_is_marked_public_or_internal():
    names = {f.name for f in Inspection._meta.get_fields() if f.concrete}
    assert names == set(PUBLIC_FIELDS) | set(INTERNAL_FIELDS)
    assert not set(PUBLIC_FIELDS) & set(INTERNAL_FIELDS)


def test_the_implementing_directive_is_due_15_days_after_the_conclusion(people, inspection):
    _concluded(people, inspection, on=dt.date(2025, 11, 28))  # + 15 = Sat 13/12 → Mon 15/12
    inspection.refresh_from_db()
    assert inspection.directive_due_on == dt.date(2025, 12, 15)
    with pytest.raises(NotAllowed):
        directive_record(actor=people["inspector"], inspection_id=inspection.pk, number="12/CT-UBND",
                         issued_on=dt.date(2025, 12, 10))
    directive_record(actor=people["leader"], inspection_id=inspection.pk, number="12/CT-UBND",
                     issued_on=dt.date(2025, 12, 17))
    assert "quá hạn 2 ngày" in inspection.events.get(kind="directive").note


def test_the_checklist_marks_items_with_photos_and_turns_failures_into_findings(people, inspection):
    with pytest.raises(InvalidInput, match="ghi rõ"):
        check_mark(actor=people["member"], inspection_id=inspection.pk, item="uniform_badge", result="fail")
    with pytest.raises(InvalidInput, match="chỉ nhận ảnh"):
        check_mark(actor=people["member"], inspection_id=inspection.pk, item="uniform_badge", result="pass",
                   photo_name="a.pdf", photo_content=PDF)
    check_mark(actor=people["member"], inspection_id=inspection.pk, item="uniform_badge", result="fail",
               note="Không đeo thẻ công chức", cadre=people["clerk"], photo_name="the.jpg", photo_content=JPG)
    check_mark(actor=people["member"], inspection_id=inspection.pk, item="working_hours", result="fail",
               note="Đến muộn 20 phút")
    check_mark(actor=people["member"], inspection_id=inspection.pk, item="working_hours", result="pass")
    checks = current_checks(inspection)
    assert checks["working_hours"].result == "pass" and checks["uniform_badge"].photo_type == "image/jpeg"
    assert inspection.checks.count() == 3  # the superseded mark is kept
    made = check_findings(actor=people["inspector"], inspection_id=inspection.pk)
    assert [(f.cadre, f.is_violation) for f in made] == [(people["clerk"], True)]
    with pytest.raises(InvalidInput):
        check_findings(actor=people["inspector"], inspection_id=inspection.pk)


def test_the_checklist_is_for_civil_service_checks_only(province, people):
    other = inspection_open(actor=people["inspector"], organizer=province["dept"], target=province["commune2"],
                            topic="Thanh tra", kind="scheduled", decision_number="1/QĐ", started_on=dt.date(2025, 11, 4))
    with pytest.raises(InvalidTransition):
        check_mark(actor=people["inspector"], inspection_id=other.pk, item="working_hours", result="pass")


def test_a_finding_about_a_person_opens_a_breach_carrying_the_evidence(people, inspection):
    record_add(actor=people["member"], inspection_id=inspection.pk, kind="minutes", on=dt.date(2025, 11, 4),
               text="Biên bản", file_name="bien-ban.pdf", file_content=PDF)
    finding = finding_add(actor=people["inspector"], inspection_id=inspection.pk, text="Không đeo thẻ công chức",
                          is_violation=True, cadre=people["clerk"])
    finding_refer(actor=people["inspector"], finding_id=finding.pk, kind="working_hours",
                  occurred_on=dt.date(2025, 11, 4))
    violation = Violation.objects.get()
    assert violation.staff == people["clerk"] and violation.source == f"Thanh tra, kiểm tra {inspection.code}"
    assert violation.source_kind == "inspection"
    assert "bien-ban.pdf" in violation.description and "25/QĐ-SNV" in violation.description
    files = list(violation.evidence.all())
    assert len(files) == 1 and files[0].name.startswith("Biên bản làm việc 04-11-2025")
    with files[0].file.open("rb") as handle:
        assert handle.read() == PDF
    with pytest.raises(InvalidTransition, match="đã được chuyển"):
        finding_refer(actor=people["inspector"], finding_id=finding.pk, kind="working_hours",
                      occurred_on=dt.date(2025, 11, 4))


def test_a_case_is_opened_by_the_personnel_office_and_a_refusal_writes_nothing(people, inspection):
    finding = finding_add(actor=people["inspector"], inspection_id=inspection.pk, text="Nhũng nhiễu người dân",
                          is_violation=True, cadre=people["clerk"])
    with pytest.raises(NotAllowed):  # the inspector is not the personnel office: discipline's rule
        finding_refer(actor=people["inspector"], finding_id=finding.pk, kind="harassment",
                      occurred_on=dt.date(2025, 11, 4), open_case=True)
    assert not Violation.objects.exists() and Finding.objects.get().violation is None
    finding_refer(actor=people["hr"], finding_id=finding.pk, kind="harassment", occurred_on=dt.date(2025, 11, 4),
                  open_case=True)
    case = DisciplineCase.objects.get()
    assert case.staff == people["clerk"] and case.violation == Violation.objects.get()
    assert Finding.objects.get().case == case
