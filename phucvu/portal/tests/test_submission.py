"""Online submission: an online procedure, checked papers stored under MEDIA_ROOT, then the desk decides."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phucvu.catalog.models import ProcedureOffering
from phucvu.catalog.services import procedure_create
from phucvu.core.exceptions import InvalidInput
from phucvu.dossiers import services as dossier_services
from phucvu.dossiers.models import Dossier, DossierEvent, Status
from phucvu.dossiers.selectors import dossier_queue
from phucvu.notifications.models import Message
from phucvu.portal import receipt, selectors
from phucvu.portal.models import SubmissionPaper
from phucvu.portal.services import Upload, submission_create

from .conftest import PDF, PNG, local

pytestmark = pytest.mark.django_db

PAPERS = ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def create(province, procedure, uploads=None, **kw):
    args = {"procedure_id": procedure.pk, "agency_id": province["commune_desk"].pk,
            "applicant_name": "Phạm Thị Bình", "applicant_phone": "0912000111",
            "uploads": uploads if uploads is not None else [Upload(PAPERS[0], "to-khai.pdf", PDF),
                                                            Upload(PAPERS[1], "chung-sinh.png", PNG)],
            "at": local(2026, 3, 9, 20, 0)}
    args.update(kw)
    return submission_create(**args)


def test_submission_creates_a_dossier_waiting_for_the_desk_with_papers_stored(province, online_procedure, settings):
    dossier = create(province, online_procedure)
    assert dossier.status == Status.SUBMITTED and dossier.channel == "online" and dossier.due_at is None
    assert dossier.papers == PAPERS
    stored = list(selectors.submission_papers(dossier.pk))
    assert [(p.label, p.content_type) for p in stored] == [(PAPERS[0], "application/pdf"), (PAPERS[1], "image/png")]
    path = Path(stored[0].file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT)) and path.read_bytes() == PDF
    assert "to-khai" not in path.name  # stored under a random name


def test_desk_queue_shows_the_submission_and_accepting_starts_the_clock(province, online_procedure, staff):
    dossier = create(province, online_procedure)
    assert dossier in dossier_queue(staff["clerk"].user)
    accepted = dossier_services.dossier_accept(actor=staff["clerk"], dossier_id=dossier.pk,
                                               version=dossier.version, at=local(2026, 3, 10, 8, 0))
    assert accepted.status == Status.RECEIVED and accepted.due_at is not None


def test_fully_online_procedure_needs_every_paper(province, online_procedure):
    with pytest.raises(InvalidInput) as err:
        create(province, online_procedure, uploads=[Upload(PAPERS[0], "a.pdf", PDF)])
    assert "Giấy chứng sinh" in err.value.message
    assert not SubmissionPaper.objects.exists()


def test_files_must_be_pdf_jpg_or_png_by_content(province, online_procedure):
    with pytest.raises(InvalidInput) as err:
        create(province, online_procedure, uploads=[Upload(PAPERS[0], "a.pdf", b"MZ\x90\x00 not a pdf"),
                                                    Upload(PAPERS[1], "b.exe", PDF)])
    assert len(err.value.details) == 2


def test_files_over_the_size_limit_are_refused(province, online_procedure, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 100
    with pytest.raises(InvalidInput, match="vượt quá"):
        create(province, online_procedure, uploads=[Upload(PAPERS[0], "a.pdf", PDF + b"x" * 200),
                                                    Upload(PAPERS[1], "b.png", PNG)])


def test_procedure_not_taken_online_is_refused(province, online_procedure):
    counter_only = procedure_create(code="1.000001", name="Chứng thực bản sao", field=online_procedure.field,
                                    levels=["commune"], amount=1, time_unit="working_days", online_level="none")
    with pytest.raises(Exception, match="không nhận hồ sơ trực tuyến"):
        create(province, counter_only, uploads=[])


def test_agency_that_does_not_take_the_procedure_is_refused(province, online_procedure):
    with pytest.raises(InvalidInput, match="Nơi nộp"):
        create(province, online_procedure, agency_id=province["center"].pk)


def test_online_agencies_follow_offerings(province, online_procedure):
    assert selectors.online_agencies_for(online_procedure) == [(province["commune_desk"].pk,
                                                                province["commune_desk"].name)]
    ProcedureOffering.objects.create(procedure=online_procedure, agency=province["commune_desk"], online=False)
    assert selectors.online_agencies_for(online_procedure) == []


def test_procedure_search_is_accent_insensitive(client, online_procedure):
    text = client.get(reverse("portal:submit"), {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in text
    assert "Đăng ký khai sinh" not in client.get(reverse("portal:submit"), {"q": "xay dung"}).content.decode()


def test_submission_page_gives_code_and_secret(client, province, online_procedure):
    response = client.post(reverse("portal:submit_procedure", args=[online_procedure.pk]), {
        "agency": province["commune_desk"].pk, "applicant_name": "Phạm Thị Bình", "phone": "0912000111",
        "paper_0": SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"),
        "paper_1": SimpleUploadedFile("giay.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg")})
    assert response.status_code == 302, response.content.decode()[:2000]
    done = client.get(response["Location"]).content.decode()

    dossier = Dossier.objects.get()
    assert dossier.code in done and dossier.secret in done


def test_submissions_are_throttled_per_address(client, province, online_procedure, settings):
    settings.PORTAL_SUBMISSION_LIMIT = 1
    form = {"agency": province["commune_desk"].pk, "applicant_name": "Phạm Thị Bình", "phone": "0912000111"}

    def post():
        return client.post(reverse("portal:submit_procedure", args=[online_procedure.pk]), {
            **form, "paper_0": SimpleUploadedFile("a.pdf", PDF), "paper_1": SimpleUploadedFile("b.png", PNG)})

    assert post().status_code == 302
    assert "quá nhiều lần" in post().content.decode()


def test_uploaded_papers_open_only_for_staff_who_see_the_dossier(client, province, online_procedure, staff):
    dossier = create(province, online_procedure)
    paper = selectors.submission_papers(dossier.pk).first()
    target = reverse("portal:paper_file", args=[dossier.pk, paper.pk])
    assert client.get(target).status_code == 302  # to the login page
    client.force_login(staff["outsider"].user)
    assert client.get(target).status_code == 404
    client.force_login(staff["clerk"].user)
    response = client.get(target)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "to-khai.pdf" in client.get(reverse("portal:papers", args=[dossier.pk])).content.decode()
    # A download, of the type sniffed at upload, that the browser neither sniffs nor runs as a page.
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and "to-khai.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]


def test_a_paper_of_unknown_type_is_served_as_bytes(client, province, online_procedure, staff):
    dossier = create(province, online_procedure)
    paper = selectors.submission_papers(dossier.pk).first()
    SubmissionPaper.objects.filter(pk=paper.pk).update(content_type="text/html")  # a row written by hand
    client.force_login(staff["clerk"].user)
    response = client.get(reverse("portal:paper_file", args=[dossier.pk, paper.pk]))
    assert response["Content-Type"] == "application/octet-stream"


def test_the_dossier_page_lists_the_uploaded_papers_and_the_accept_form_shows_them(client, province,
                                                                                   online_procedure, staff):
    dossier = create(province, online_procedure)
    papers = list(selectors.submission_papers(dossier.pk))
    client.force_login(staff["clerk"].user)
    html = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    links = [reverse("portal:paper_file", args=[dossier.pk, p.pk]) for p in papers]
    panel = html[html.index('data-testid="online-papers"'):]
    assert all(link in panel for link in links) and "chung-sinh.png" in panel
    # The accept form itself lists them: the clerk opens them before pressing "accept".
    form = html[html.index('data-testid="accept-papers"'):html.index('data-submit="accept"')]
    assert all(link in form for link in links)
    # Someone outside the visibility rule sees neither the page nor the files.
    client.force_login(staff["outsider"].user)
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 404
    assert client.get(links[0]).status_code == 404


def test_a_counter_dossier_has_no_uploaded_papers_panel(client, received, staff):
    client.force_login(staff["clerk"].user)
    html = client.get(reverse("dossiers:detail", args=[received.pk])).content.decode()
    assert 'data-testid="online-papers"' not in html


def test_the_applicant_chooses_how_to_be_told(client, province, online_procedure):
    def post(**choice):
        return client.post(reverse("portal:submit_procedure", args=[online_procedure.pk]), {
            "agency": province["commune_desk"].pk, "applicant_name": "Phạm Thị Bình", "phone": "0912000111",
            "paper_0": SimpleUploadedFile("a.pdf", PDF), "paper_1": SimpleUploadedFile("b.png", PNG), **choice})

    page = client.get(reverse("portal:submit_procedure", args=[online_procedure.pk])).content.decode()
    assert 'name="notify_channels" value="zalo"' in page and 'name="notify_none"' in page
    assert post(notify_channels=["sms", "email"]).status_code == 302
    assert post(notify_none="on").status_code == 302
    assert post().status_code == 302
    chosen = [e.data.get("contact_channels") for e in DossierEvent.objects.filter(kind="submitted").order_by("pk")]
    assert chosen == [["sms", "email"], [], None]  # none ticked: the defaults apply


def test_every_problem_is_shown_at_its_field_in_one_pass_and_good_files_are_kept(client, province, online_procedure):
    target = reverse("portal:submit_procedure", args=[online_procedure.pk])
    page = client.post(target, {
        "agency": province["commune_desk"].pk, "applicant_name": "", "phone": "", "email": "",
        "paper_0": SimpleUploadedFile("to-khai.pdf", PDF), "paper_1": SimpleUploadedFile("virus.pdf", b"MZ\x90")})
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert set(errors) == {"applicant_name", "phone", "paper_1"}  # all at once, each at its field
    text = page.content.decode()
    assert 'id="form-errors"' in text and 'href="#id_paper_1"' in text
    assert 'id="kept-paper_0"' in text and "to-khai.pdf" in text  # the good file is kept
    assert not Dossier.objects.exists()
    # Second try: only the bad fields are given again; the kept file goes with the dossier.
    response = client.post(target, {"agency": province["commune_desk"].pk, "applicant_name": "Phạm Thị Bình",
                                    "phone": "0912000111", "paper_1": SimpleUploadedFile("b.png", PNG)})
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get()
    stored = list(selectors.submission_papers(dossier.pk))
    assert [(p.label, p.original_name) for p in stored] == [(PAPERS[0], "to-khai.pdf"), (PAPERS[1], "b.png")]
    assert Path(stored[0].file.path).read_bytes() == PDF
    assert client.session.get("portal_pending_files", {}).get(str(online_procedure.pk)) is None


def test_chosen_channel_needs_its_contact(client, province, online_procedure):
    page = client.post(reverse("portal:submit_procedure", args=[online_procedure.pk]), {
        "agency": province["commune_desk"].pk, "applicant_name": "Phạm Thị Bình", "phone": "0912000111",
        "notify_channels": ["email"], "paper_0": SimpleUploadedFile("a.pdf", PDF),
        "paper_1": SimpleUploadedFile("b.png", PNG)})
    assert list(page.context["form"].errors) == ["email"]


def test_done_page_sums_up_and_gives_a_pdf_receipt(client, province, online_procedure):
    response = client.post(reverse("portal:submit_procedure", args=[online_procedure.pk]), {
        "agency": province["commune_desk"].pk, "applicant_name": "Phạm Thị Bình", "phone": "0912000111",
        "notify_channels": ["sms"], "paper_0": SimpleUploadedFile("to-khai.pdf", PDF),
        "paper_1": SimpleUploadedFile("b.png", PNG)})
    done = client.get(response["Location"]).content.decode()
    assert 'id="done-summary"' in done and "Đăng ký khai sinh" in done and "to-khai.pdf" in done
    assert "Tin nhắn SMS" in done
    pdf = client.get(reverse("portal:submit_receipt"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_receipt_names_the_code_the_secret_and_the_papers(province, online_procedure):
    dossier = create(province, online_procedure)
    html = receipt.submitted_html(dossier, papers=PAPERS)
    assert dossier.code in html and dossier.secret in html and PAPERS[1] in html
    assert "/portal/lookup/?code=" in html


def test_receipt_needs_the_session_of_the_submission(client):
    assert client.get(reverse("portal:submit_receipt")).status_code == 302


def test_code_and_secret_go_out_by_the_chosen_channel(client, province, online_procedure, settings,
                                                      django_capture_on_commit_callbacks):
    settings.NOTIFY_CHANNELS = ["sms", "email"]
    settings.NOTIFY_QUIET_HOURS = ""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:submit_procedure", args=[online_procedure.pk]), {
            "agency": province["commune_desk"].pk, "applicant_name": "Phạm Thị Bình", "phone": "0912000111",
            "email": "binh@example.vn", "notify_channels": ["email"], "paper_0": SimpleUploadedFile("a.pdf", PDF),
            "paper_1": SimpleUploadedFile("b.png", PNG)})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    message = Message.objects.get(event="submitted")
    assert message.channel == "email" and message.recipient == "binh@example.vn"  # not SMS: she chose e-mail
    assert dossier.code in message.text and dossier.secret in message.text
