"""The desk's intake form: find the procedure without accents, see the appointment before saving, print."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from phucvu.dossiers.models import Dossier, Status

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, staff):
    client.force_login(staff["clerk"].user)
    return client


def test_procedure_search_finds_vietnamese_name_typed_without_accents(clerk_client, procedure, province):
    response = clerk_client.get(reverse("catalog:procedure_picker"),
                                {"procedure_q": "cap giay phep xay dung", "agency": province["commune_desk"].pk})
    assert response.status_code == 200
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in response.content.decode()


def test_procedure_search_with_nothing_typed_lists_nothing(clerk_client, procedure, province):
    response = clerk_client.get(reverse("catalog:procedure_picker"),
                                {"procedure_q": "", "agency": province["commune_desk"].pk})
    assert "Cấp giấy phép" not in response.content.decode()


def test_procedure_search_refuses_an_agency_the_clerk_cannot_see(clerk_client, procedure, province):
    response = clerk_client.get(reverse("catalog:procedure_picker"),
                                {"procedure_q": "cap", "agency": province["commune3"].pk})
    assert response.status_code == 403


@time_machine.travel(local(2026, 3, 9, 9, 0), tick=False)  # a Monday
def test_choosing_a_procedure_shows_papers_and_the_appointment_before_saving(clerk_client, procedure, province):
    response = clerk_client.get(reverse("dossiers:intake_procedure"),
                                {"procedure": procedure.pk, "agency": province["commune_desk"].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đơn đề nghị" in html and "Bản vẽ thiết kế" in html  # the papers checklist
    # 5 working days from Monday 09:00: next Monday 09:00, shown before anything is saved.
    assert "09 giờ 00 phút, ngày 16 tháng 03 năm 2026" in html
    assert Dossier.objects.count() == 0


@time_machine.travel(local(2026, 3, 9, 9, 0), tick=False)
def test_appointment_preview_is_recomputed_on_request(clerk_client, procedure, province):
    response = clerk_client.get(reverse("dossiers:intake_preview"),
                                {"procedure": procedure.pk, "agency": province["commune_desk"].pk})
    assert "ngày 16 tháng 03 năm 2026" in response.content.decode()


def _post(client, province, proc, **extra):
    data = {"agency": province["commune_desk"].pk, "procedure": proc.pk, "channel": "counter",
            "applicant_name": "Nguyễn Văn Ánh", "applicant_id_number": "022090001234",
            "applicant_phone": "0912345678", "papers": ["Đơn đề nghị", "Bản vẽ thiết kế"],
            "other_papers": "Giấy ủy quyền"}
    data.update(extra)
    return client.post(reverse("dossiers:intake"), data)


@time_machine.travel(local(2026, 3, 9, 9, 0), tick=False)
def test_saving_the_intake_receives_the_dossier_and_offers_the_receipt(clerk_client, procedure, province, staff):
    response = _post(clerk_client, province, procedure)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:receipt", args=[dossier.pk])
    assert dossier.status == Status.RECEIVED
    assert dossier.received_by == staff["clerk"]
    assert dossier.papers == ["Đơn đề nghị", "Bản vẽ thiết kế", "Giấy ủy quyền"]
    page = clerk_client.get(response["Location"]).content.decode()
    assert dossier.code in page and "In phiếu tiếp nhận" in page
    assert reverse("dossiers:form_pdf", args=[dossier.pk, "receipt"]) in page


def test_intake_without_applicant_name_saves_nothing_and_says_why(clerk_client, procedure, province):
    response = _post(clerk_client, province, procedure, applicant_name="")
    assert response.status_code == 200
    assert Dossier.objects.count() == 0
    assert "is-invalid" in response.content.decode()


def test_intake_without_procedure_asks_for_one(clerk_client, procedure, province):
    response = _post(clerk_client, province, procedure, procedure="")
    assert "Hãy chọn thủ tục hành chính." in response.content.decode()
    assert Dossier.objects.count() == 0


def test_clerk_cannot_receive_for_an_agency_outside_their_scope(clerk_client, procedure, province):
    response = _post(clerk_client, province, procedure, agency=province["commune3"].pk)
    assert response.status_code == 200
    assert Dossier.objects.count() == 0


def test_receipt_pdf_is_served_for_a_received_dossier(clerk_client, receive):
    dossier = receive()
    response = clerk_client.get(reverse("dossiers:form_pdf", args=[dossier.pk, "receipt"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_intake_page_renders_for_a_clerk(clerk_client, procedure):
    response = clerk_client.get(reverse("dossiers:intake"))
    assert response.status_code == 200
    assert "Bộ phận Một cửa phường Hồng Gai" in response.content.decode()
