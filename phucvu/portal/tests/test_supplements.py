"""Online supplements: the status page offers an upload of exactly the missing papers; the clerk sees them
on the dossier page and resumes the clock through dossiers' services (the table of who may act)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, InvalidTransition
from phucvu.dossiers import services as dossier_services
from phucvu.dossiers.models import Dossier, Status
from phucvu.portal import selectors, services
from phucvu.portal.models import SubmissionPaper
from phucvu.portal.services import Upload

from .conftest import PDF, PNG, local

pytestmark = pytest.mark.django_db

MISSING = ["Giấy chứng sinh", "Bản sao giấy đăng ký kết hôn"]


@pytest.fixture
def waiting(received, staff):
    return dossier_services.dossier_request_supplement(actor=staff["clerk"], dossier_id=received.pk,
                                                       version=received.version, missing=MISSING,
                                                       at=local(2026, 3, 9, 10, 0))


def status_url(d) -> str:
    return f"{reverse('portal:lookup')}?{urlencode({'code': d.code, 'secret': d.secret})}"


def test_status_page_offers_exactly_the_missing_papers(client, waiting):
    text = client.get(status_url(waiting)).content.decode()
    assert 'id="bo-sung"' in text and 'id="supplement-form"' in text
    assert 'name="paper_0"' in text and 'name="paper_1"' in text and 'name="paper_2"' not in text
    assert "Bản sao giấy đăng ký kết hôn" in text


def test_no_upload_offered_when_not_waiting(client, received):
    assert 'id="bo-sung"' not in client.get(status_url(received)).content.decode()


def test_citizen_uploads_one_paper_then_the_other(client, waiting):
    post = {"code": waiting.code.lower(), "secret": waiting.secret,
            "paper_0": SimpleUploadedFile("chung-sinh.pdf", PDF)}
    response = client.post(reverse("portal:supplement"), post)
    assert response.status_code == 302 and response["Location"].endswith("#bo-sung")
    wanted = selectors.supplement_request(waiting)
    assert list(wanted.sent) == ["Giấy chứng sinh"] and wanted.waiting == ["Bản sao giấy đăng ký kết hôn"]
    page = client.get(status_url(waiting)).content.decode()
    assert 'id="supplement-sent"' in page and 'name="paper_1"' not in page  # only what is still missing
    client.post(reverse("portal:supplement"), {"code": waiting.code, "secret": waiting.secret,
                                               "paper_0": SimpleUploadedFile("ket-hon.png", PNG)})
    assert selectors.supplement_request(waiting).complete
    assert 'id="supplement-complete"' in client.get(status_url(waiting)).content.decode()
    assert Dossier.objects.get(pk=waiting.pk).status == Status.AWAITING_SUPPLEMENT  # the desk resumes, not the upload


def test_a_bad_file_is_refused_with_the_reason(client, waiting):
    response = client.post(reverse("portal:supplement"), {"code": waiting.code, "secret": waiting.secret,
                                                          "paper_0": SimpleUploadedFile("x.pdf", b"MZ")}, follow=True)
    assert "Chỉ nhận tệp PDF, JPG hoặc PNG" in response.content.decode()
    assert not SubmissionPaper.objects.exists()


def test_service_refuses_papers_not_asked_for(waiting):
    with pytest.raises(InvalidInput, match="Chỉ nộp các giấy tờ được yêu cầu"):
        services.supplement_upload(dossier_id=waiting.pk, uploads=[Upload("Sổ hộ khẩu", "a.pdf", PDF)])
    assert not SubmissionPaper.objects.exists()


def test_upload_after_the_desk_resumed_is_refused(waiting, staff):
    dossier_services.dossier_resume(actor=staff["clerk"], dossier_id=waiting.pk, version=waiting.version,
                                    at=local(2026, 3, 9, 11, 0))
    with pytest.raises(InvalidTransition):
        services.supplement_upload(dossier_id=waiting.pk, uploads=[Upload(MISSING[0], "a.pdf", PDF)])


def test_clerk_sees_the_papers_on_the_dossier_page_and_resumes_the_clock(client, waiting, staff):
    services.supplement_upload(dossier_id=waiting.pk, uploads=[Upload(MISSING[0], "a.pdf", PDF),
                                                               Upload(MISSING[1], "b.png", PNG)],
                               at=local(2026, 3, 10, 9, 0))
    client.force_login(staff["clerk"].user)
    page = client.get(reverse("dossiers:detail", args=[waiting.pk])).content.decode()
    assert 'id="online-supplements"' in page and "a.pdf" in page and 'id="supplement-resume"' in page
    before = Dossier.objects.get(pk=waiting.pk)
    response = client.post(reverse("portal:supplement_resume", args=[waiting.pk]), {"version": before.version})
    assert response.status_code == 302
    after = Dossier.objects.get(pk=waiting.pk)
    assert after.status != Status.AWAITING_SUPPLEMENT and after.due_at > before.due_at
    assert set(MISSING) <= set(after.papers)


def test_someone_the_table_does_not_allow_cannot_resume(client, waiting, staff):
    services.supplement_upload(dossier_id=waiting.pk, uploads=[Upload(MISSING[0], "a.pdf", PDF)])
    client.force_login(staff["outsider"].user)
    response = client.post(reverse("portal:supplement_resume", args=[waiting.pk]), {"version": waiting.version})
    assert response.status_code == 404  # not visible to them: nothing written
    assert Dossier.objects.get(pk=waiting.pk).status == Status.AWAITING_SUPPLEMENT
