"""The result record (issue 11 point 7): resolving records the decision's number, date, signer and the signed
PDF; returning records who took the result and the fees collected. Refusals write nothing."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput
from phucvu.dossiers import services as s
from phucvu.dossiers.models import Dossier, DossierEvent, EventKind, ResultRecord, Status
from phucvu.dossiers.services import ResultDocument
from phucvu.dossiers.tests.results import PDF, result_record
from phucvu.organization.services import api_token_issue

from .conftest import local

pytestmark = pytest.mark.django_db


def signed(receive, staff):
    """Received, examined, at the leader's step and approved: ready for the result."""
    d = receive()
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 9, 30))
    d = s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version)
    return s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version)


def written(d) -> tuple:
    return (Dossier.objects.filter(pk=d.pk).values("status", "version").get(), ResultRecord.objects.count(),
            DossierEvent.objects.filter(dossier=d).count())


def resolve(d, staff, **kw):
    args = {"actor": staff["leader"], "dossier_id": d.pk, "version": d.version, "result": "granted",
            **result_record(signer=staff["leader"].full_name)}
    args.update(kw)
    return s.dossier_resolve(**args)


@pytest.mark.parametrize("change, message", [
    ({"decision_number": "  "}, "số quyết định"),
    ({"signer_name": ""}, "người ký"),
    ({"document": None}, "đính kèm"),
    ({"document": ResultDocument("qd.pdf", b"MZ\x90\x00 an executable")}, "PDF"),
    ({"document": ResultDocument("qd.pdf", b"")}, "đính kèm"),
    ({"decision_date": timezone.localdate() + dt.timedelta(days=1)}, "sau hôm nay"),
    ({"decision_date": dt.date(2026, 3, 1)}, "trước ngày tiếp nhận"),
])
def test_a_result_without_its_record_is_refused_and_writes_nothing(receive, staff, settings, tmp_path, change,
                                                                   message):
    settings.MEDIA_ROOT = tmp_path
    d = signed(receive, staff)
    before = written(d)
    with pytest.raises(InvalidInput, match=message):
        resolve(d, staff, **change)
    assert written(d) == before
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))  # no file left behind either


def test_a_document_over_the_limit_is_refused(receive, staff, settings):
    settings.RESULT_DOCUMENT_MAX_BYTES = 40
    d = signed(receive, staff)
    with pytest.raises(InvalidInput, match="vượt quá"):
        resolve(d, staff, document=ResultDocument("qd.pdf", PDF + b" " * 100))


def test_the_result_is_recorded_with_number_date_signer_and_the_pdf(receive, staff, settings):
    d = signed(receive, staff)
    d = resolve(d, staff, decision_number="125/GPXD", decision_date=timezone.localdate())
    record = ResultRecord.objects.get(pk=d.pk)
    assert (record.number, record.signed_on, record.signer_name) == ("125/GPXD", timezone.localdate(),
                                                                     staff["leader"].full_name)
    assert record.signer == staff["leader"] and record.recorded_by == staff["leader"]
    path = Path(record.document.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "results") and path.read_bytes() == PDF
    assert "quyet-dinh" not in path.name  # a random stored name
    assert record.document_name == "quyet-dinh.pdf" and record.document_sha256 == hashlib.sha256(PDF).hexdigest()
    event = DossierEvent.objects.get(dossier=d, kind=EventKind.RESOLVED)
    assert event.data["decision_number"] == "125/GPXD" and event.data["signer"] == staff["leader"].full_name


def test_the_system_may_record_a_result_without_a_record(receive, staff):
    d = signed(receive, staff)
    d = s.dossier_resolve(actor=None, dossier_id=d.pk, version=d.version, result="granted")
    assert d.status == Status.RESOLVED and not ResultRecord.objects.get(pk=d.pk).number


@pytest.mark.parametrize("change, message", [
    ({"collector": "authorised", "collector_name": "Lê Văn Bình"}, "giấy ủy quyền"),
    ({"collector": "authorised", "authorisation": "Giấy ủy quyền số 12 ngày 10/3/2026"}, "họ tên"),
    ({"collector": "post"}, "mã bưu gửi"),
    ({"collector": "neighbour"}, "bưu chính"),
    ({"fee_amount": 75_000}, "biên lai"),
    ({"fee_amount": -1, "fee_receipt_number": "BL-1"}, "âm"),
])
def test_returning_without_who_took_it_or_the_receipt_is_refused(receive, staff, change, message):
    d = resolve(signed(receive, staff), staff)
    before = written(d)
    with pytest.raises(InvalidInput, match=message):
        s.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version, **change)
    assert written(d) == before
    assert ResultRecord.objects.get(pk=d.pk).collector == ""


@pytest.mark.parametrize("handed, expected", [
    ({}, {"collector": "applicant", "collector_name": "Nguyễn Văn Ánh", "fee_amount": 0}),
    ({"collector": "authorised", "collector_name": "Lê Văn Bình", "collector_id_number": "022090009999",
      "authorisation": "Giấy ủy quyền số 12/UQ ngày 10/3/2026", "fee_amount": 75_000, "fee_receipt_number": "BL-0012"},
     {"collector": "authorised", "collector_name": "Lê Văn Bình", "authorisation": "Giấy ủy quyền số 12/UQ ngày 10/3/2026",
      "fee_amount": 75_000, "fee_receipt_number": "BL-0012"}),
    ({"collector": "post", "tracking_number": "EMS123456789VN", "authorisation": "ignored"},
     {"collector": "post", "tracking_number": "EMS123456789VN", "authorisation": ""}),
])
def test_returning_records_who_took_the_result_and_the_fees(receive, staff, handed, expected):
    d = resolve(signed(receive, staff), staff)
    d = s.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version, **handed)
    record = ResultRecord.objects.get(pk=d.pk)
    assert d.status == Status.RETURNED and record.returned_by == staff["clerk"]
    assert {k: getattr(record, k) for k in expected} == expected
    assert record.number == "125/QĐ-UBND"  # the decision stays
    event = DossierEvent.objects.get(dossier=d, kind=EventKind.RETURNED)
    assert {k: event.data[k] for k in expected} == expected


def test_returning_a_dossier_resolved_before_results_were_recorded(receive, staff):
    d = signed(receive, staff)
    d = s.dossier_resolve(actor=None, dossier_id=d.pk, version=d.version, result="granted")
    ResultRecord.objects.filter(pk=d.pk).delete()  # as a dossier resolved before this table existed
    d = s.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version, fee_amount=0)
    assert ResultRecord.objects.get(pk=d.pk).collector == "applicant"


# --- pages -----------------------------------------------------------------------------------------


def test_the_leader_records_the_result_on_the_page_and_staff_download_it(client, receive, staff):
    d = signed(receive, staff)
    client.force_login(staff["leader"].user)
    page = client.get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'value="{staff["leader"].full_name}"' in page  # the signer: the leader who approved
    r = client.post(reverse("dossiers:act", args=[d.pk, "resolve"]), {
        "version": d.version, "resolve-result": "granted", "resolve-decision_number": "77/GPXD",
        "resolve-decision_date": timezone.localdate().isoformat(), "resolve-signer_name": staff["leader"].full_name,
        "resolve-document": SimpleUploadedFile("giay-phep.pdf", PDF, "application/pdf")})
    assert r.status_code == 302
    assert ResultRecord.objects.get(pk=d.pk).number == "77/GPXD"
    page = client.get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert "77/GPXD" in page and reverse("dossiers:result_document", args=[d.pk]) in page
    for who in ("leader", "clerk"):
        client.force_login(staff[who].user)
        r = client.get(reverse("dossiers:result_document", args=[d.pk]))
        assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
        assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("attachment;")
    client.force_login(staff["outsider"].user)
    assert client.get(reverse("dossiers:result_document", args=[d.pk])).status_code == 404


def test_a_page_upload_that_is_not_a_pdf_is_refused_with_a_message(client, receive, staff):
    d = signed(receive, staff)
    client.force_login(staff["leader"].user)
    r = client.post(reverse("dossiers:act", args=[d.pk, "resolve"]), {
        "version": d.version, "resolve-result": "granted", "resolve-decision_number": "77/GPXD",
        "resolve-decision_date": timezone.localdate().isoformat(), "resolve-signer_name": "Phạm Văn Chủ Tịch",
        "resolve-document": SimpleUploadedFile("giay-phep.pdf", b"<html>not a pdf</html>", "application/pdf")},
        follow=True)
    assert "phải là tệp PDF" in r.content.decode()
    assert Dossier.objects.get(pk=d.pk).status == Status.PROCESSING


def test_the_clerk_returns_the_result_on_the_page_with_the_fee(client, receive, staff):
    d = resolve(signed(receive, staff), staff)
    client.force_login(staff["clerk"].user)
    r = client.post(reverse("dossiers:act", args=[d.pk, "return_result"]), {
        "version": d.version, "return_result-collector": "authorised", "return_result-collector_name": "Lê Văn Bình",
        "return_result-authorisation": "Giấy ủy quyền số 12/UQ", "return_result-fee_amount": "75000",
        "return_result-fee_receipt_number": "BL-0012"})
    assert r.status_code == 302
    page = client.get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert "Lê Văn Bình" in page and "BL-0012" in page and "75.000" in page


# --- the citizen's electronic copy -----------------------------------------------------------------


def test_the_citizen_downloads_the_electronic_copy_with_code_and_secret(receive, staff):
    d = signed(receive, staff)
    citizen = Client(enforce_csrf_checks=False)
    lookup = f"{reverse('portal:lookup')}?code={d.code}&secret={d.secret}"
    assert 'id="result-copy"' not in citizen.get(lookup).content.decode()  # no result yet
    assert citizen.post(reverse("portal:result_copy"), {"code": d.code, "secret": d.secret}).status_code == 404
    d = resolve(d, staff)
    page = citizen.get(lookup).content.decode()
    assert 'id="result-copy"' in page and "125/QĐ-UBND" in page
    r = citizen.post(reverse("portal:result_copy"), {"code": d.code, "secret": d.secret})
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Disposition"].startswith("attachment;")
    wrong = citizen.post(reverse("portal:result_copy"), {"code": d.code, "secret": "SAI"})
    assert wrong.status_code == 302 and not hasattr(wrong, "streaming_content")


# --- the API ---------------------------------------------------------------------------------------


def api(staff_member) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=staff_member.user, name='kq')}"}


def test_the_api_records_the_result_from_a_multipart_upload_and_serves_it(receive, staff):
    d = signed(receive, staff)
    client = Client(enforce_csrf_checks=True)
    r = client.post(f"/api/dossiers/{d.pk}/resolve", {
        "version": d.version, "result": "granted", "decision_number": "9/GPXD", "signer_name": "Phạm Văn Chủ Tịch",
        "decision_date": timezone.localdate().isoformat(),
        "document": SimpleUploadedFile("gp.pdf", PDF, "application/pdf")}, **api(staff["leader"]))
    assert r.status_code == 200, r.content
    out = r.json()["result_record"]
    assert out["number"] == "9/GPXD" and out["document_sha256"] == hashlib.sha256(PDF).hexdigest()
    got = client.get(out["document_url"], **api(staff["clerk"]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert client.get(out["document_url"], **api(staff["outsider"])).status_code == 403


def test_the_api_takes_the_pdf_in_base64_and_refuses_a_bad_one(receive, staff):
    d = signed(receive, staff)
    client = Client(enforce_csrf_checks=True)
    body = {"version": d.version, "result": "granted", "decision_number": "9/GPXD", "signer_name": "Phạm Văn A"}
    bad = client.post(f"/api/dossiers/{d.pk}/resolve", {**body, "document_base64": "!!"},
                      content_type="application/json", **api(staff["leader"]))
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
    missing = client.post(f"/api/dossiers/{d.pk}/resolve", body, content_type="application/json",
                          **api(staff["leader"]))
    assert missing.status_code == 422 and "đính kèm" in missing.json()["message"]
    assert Dossier.objects.get(pk=d.pk).status == Status.PROCESSING
    good = client.post(f"/api/dossiers/{d.pk}/resolve", {**body, "document_base64": base64.b64encode(PDF).decode()},
                       content_type="application/json", **api(staff["leader"]))
    assert good.status_code == 200, good.content
    r = client.post(f"/api/dossiers/{d.pk}/return", {"version": good.json()["version"], "collector": "post",
                                                     "tracking_number": "EMS1VN"},
                    content_type="application/json", **api(staff["clerk"]))
    assert r.status_code == 200 and r.json()["result_record"]["tracking_number"] == "EMS1VN"
