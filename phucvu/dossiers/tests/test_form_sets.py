"""Each dossier prints the forms of the rule set in force when it was received: Circular 01/2018/TT-VPCP
until 30/6/2025, Circular 03/2025/TT-VPCP from 1/7/2025 (04 apology and extension, 05 stop notice, 06 control
slip, 07 register)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from phucvu.dossiers import services as s
from phucvu.dossiers.printing import printable_forms

from .conftest import local

pytestmark = pytest.mark.django_db

LAST_DAY_2018_SET = local(2025, 6, 30, 9, 0)  # Monday
FIRST_DAY_2025_SET = local(2025, 7, 1, 9, 0)  # Tuesday


def text(response) -> str:
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())


def pdf_of(client, staff, dossier, kind):
    client.force_login(staff["clerk"].user)
    return client.get(reverse("dossiers:form_pdf", args=[dossier.pk, kind]))


def test_rule_set_follows_the_day_of_receipt(receive):
    assert receive(at=LAST_DAY_2018_SET).rule_set == "nd61_2018"
    assert receive(at=FIRST_DAY_2025_SET).rule_set == "nd118_2025"


def test_online_submission_takes_the_rule_set_of_the_day_it_is_accepted(province, procedure, staff):
    d = s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                applicant_name="Đỗ Thị Mai", at=local(2025, 6, 30, 16, 0))
    d = s.dossier_accept(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=FIRST_DAY_2025_SET)
    assert d.rule_set == "nd118_2025"


def test_dossier_received_until_june_2025_prints_circular_01_2018(client, receive, staff):
    d = receive(at=LAST_DAY_2018_SET)
    titles = dict(printable_forms(d))
    assert titles["control"] == "Phiếu kiểm soát quá trình giải quyết hồ sơ"
    body = text(pdf_of(client, staff, d, "control"))
    assert "Mẫu số 05 — Thông tư số 01/2018/TT-VPCP" in body
    assert "Mẫu số 01 — Thông tư số 01/2018/TT-VPCP" in text(pdf_of(client, staff, d, "receipt"))


def test_dossier_received_from_july_2025_prints_circular_03_2025(client, receive, staff):
    d = receive(at=FIRST_DAY_2025_SET)
    assert "Mẫu số 06 — Thông tư số 03/2025/TT-VPCP" in text(pdf_of(client, staff, d, "control"))
    assert "Mẫu số 01 — Thông tư số 03/2025/TT-VPCP" in text(pdf_of(client, staff, d, "receipt"))


def _apologized(receive, staff, at):
    d = receive(at=at)
    return s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                               new_due_at=d.due_at.replace(day=d.due_at.day + 2), reason="Cần xác minh thực địa",
                               at=at.replace(hour=10))


def test_2018_apology_is_form_04_apology_and_reappointment(client, receive, staff):
    d = _apologized(receive, staff, LAST_DAY_2018_SET)
    body = text(pdf_of(client, staff, d, "apology"))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in body and "Mẫu số 04 — Thông tư số 01/2018" in body


def test_2025_apology_is_form_04_apology_and_request_to_extend(client, receive, staff):
    d = _apologized(receive, staff, FIRST_DAY_2025_SET)
    assert dict(printable_forms(d))["apology"] == "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    body = text(pdf_of(client, staff, d, "apology"))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in body
    assert "Mẫu số 04 — Thông tư số 03/2025/TT-VPCP" in body and "đề nghị ông/bà đồng ý gia hạn" in body


def test_stopped_2025_dossier_prints_the_stop_notice_form_05(client, receive, staff):
    d = receive(at=FIRST_DAY_2025_SET)
    assert "stop" not in dict(printable_forms(d))  # only once stopped
    d = s.dossier_stop(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                       reason="Có tranh chấp về quyền sử dụng đất", at=local(2025, 7, 2, 9, 0))
    assert dict(printable_forms(d))["stop"] == "Thông báo dừng giải quyết hồ sơ"
    body = text(pdf_of(client, staff, d, "stop"))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in body and "Mẫu số 05 — Thông tư số 03/2025/TT-VPCP" in body
    assert "Có tranh chấp về quyền sử dụng đất" in body and d.code in body


def test_stopped_2018_dossier_has_no_stop_notice_form(client, receive, staff):
    d = receive(at=LAST_DAY_2018_SET)
    d = s.dossier_stop(actor=staff["leader"], dossier_id=d.pk, version=d.version, reason="Có tranh chấp",
                       at=local(2025, 6, 30, 10, 0))
    assert "stop" not in dict(printable_forms(d))  # Circular 01/2018 has no such form
    assert pdf_of(client, staff, d, "stop").status_code == 404


@pytest.mark.parametrize(("day", "expected"), [("2025-06-30", "Mẫu số 06 — Thông tư số 01/2018/TT-VPCP"),
                                                ("2025-07-01", "Mẫu số 07 — Thông tư số 03/2025/TT-VPCP")])
def test_register_is_printed_in_the_form_in_force_at_the_end_of_its_period(client, receive, staff, day, expected):
    receive(at=LAST_DAY_2018_SET if day == "2025-06-30" else FIRST_DAY_2025_SET)
    client.force_login(staff["clerk"].user)
    body = text(client.get(reverse("dossiers:register_pdf"), {"from": day, "to": day}))
    assert expected in body and "SỔ THEO DÕI HỒ SƠ" in body


def test_dossier_page_names_the_rule_set_of_the_dossier_not_of_the_procedure_version(client, receive, staff):
    d = receive(at=FIRST_DAY_2025_SET)
    assert d.procedure_version.rule_set == "nd61_2018"  # the version predates the reform
    client.force_login(staff["clerk"].user)
    html = client.get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert "Nghị định 118/2025/NĐ-CP" in html
