"""Feedback handling: attachments checked like papers, transfer to the competent agency, assignment to a
specialist, and the public list of the answers an agency chose to publish."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotFound
from phucvu.portal import selectors, services
from phucvu.portal.models import Feedback, FeedbackAttachment
from phucvu.portal.services import Upload

from .conftest import PDF, PNG, local

pytestmark = pytest.mark.django_db


def submit(province, **kw):
    args = {"name": "Nguyễn Thị Lan", "phone": "0912000222", "subject": "Thái độ tại quầy hộ tịch",
            "content": "Cán bộ quầy hộ tịch hướng dẫn chưa rõ ràng.", "agency_id": province["commune"].pk,
            "at": local(2026, 3, 9, 9, 0)}
    args.update(kw)
    return services.feedback_submit(**args)


def test_attachments_are_checked_like_papers_and_stored(province):
    f = submit(province, uploads=[Upload("Tệp 1", "anh.png", PNG), Upload("Tệp 2", "don.pdf", PDF)])
    assert [a.original_name for a in selectors.feedback_attachments(f.pk)] == ["anh.png", "don.pdf"]
    with pytest.raises(InvalidInput, match="Chỉ nhận tệp PDF, JPG hoặc PNG|chỉ nhận tệp"):
        submit(province, uploads=[Upload("Tệp 1", "x.pdf", b"MZ\x90")])
    assert Feedback.objects.count() == 1  # the refused one wrote nothing


def test_the_form_shows_a_bad_attachment_at_its_field(client, province):
    page = client.post(reverse("portal:feedback_new"), {
        "kind": "feedback", "agency": province["commune"].pk, "name": "Lan", "phone": "0912",
        "subject": "Chậm", "content": "Nội dung phản ánh đủ dài", "attachment_0": SimpleUploadedFile("a.pdf", b"MZ")})
    assert list(page.context["form"].errors) == ["attachment_0"]
    ok = client.post(reverse("portal:feedback_new"), {
        "kind": "feedback", "agency": province["commune"].pk, "name": "Lan", "phone": "0912",
        "subject": "Chậm", "content": "Nội dung phản ánh đủ dài", "attachment_0": SimpleUploadedFile("a.pdf", PDF)})
    assert ok.status_code == 302 and FeedbackAttachment.objects.count() == 1


def test_staff_who_see_the_feedback_download_its_files_others_get_404(client, province, staff):
    f = submit(province, uploads=[Upload("Tệp 1", "don.pdf", PDF)])
    attachment = selectors.feedback_attachments(f.pk).get()
    target = reverse("portal:feedback_file", args=[f.pk, attachment.pk])
    client.force_login(staff["outsider"].user)
    assert client.get(target).status_code == 404
    client.force_login(staff["leader"].user)
    response = client.get(target)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_transfer_moves_it_to_the_competent_agency_with_a_new_due_moment(province, staff, make_staff):
    f = submit(province)
    moved = services.feedback_transfer(actor=staff["leader"], feedback_id=f.pk, version=f.version,
                                       agency_id=province["dept"].pk, reason="Thuộc thẩm quyền Sở Nội vụ",
                                       at=local(2026, 3, 16, 9, 0))
    assert moved.agency_id == province["dept"].pk and moved.due_at > f.due_at
    assert moved.events.last().kind == "transferred" and "Sở Nội vụ" in moved.events.last().note
    with pytest.raises(NotFound):  # out of the commune leader's scope now
        selectors.feedback_get(staff["leader"].user, f.pk)
    dept_staff = make_staff(province["dept"], "specialist")
    assert selectors.feedback_get(dept_staff.user, f.pk) == moved


def test_transfer_needs_a_reason_and_another_agency(province, staff):
    f = submit(province)
    with pytest.raises(InvalidInput):
        services.feedback_transfer(actor=staff["leader"], feedback_id=f.pk, version=f.version,
                                   agency_id=province["dept"].pk, reason=" ")
    with pytest.raises(InvalidInput):
        services.feedback_transfer(actor=staff["leader"], feedback_id=f.pk, version=f.version,
                                   agency_id=province["commune"].pk, reason="x")


def test_assignment_to_a_specialist_of_the_agency_only(client, province, staff):
    f = submit(province)
    f = services.feedback_assign(actor=staff["leader"], feedback_id=f.pk, version=f.version,
                                 assignee_id=staff["specialist"].pk)
    assert f.assignee == staff["specialist"]
    with pytest.raises(InvalidInput, match="thuộc cơ quan"):
        services.feedback_assign(actor=staff["leader"], feedback_id=f.pk, version=f.version,
                                 assignee_id=staff["outsider"].pk)
    client.force_login(staff["leader"].user)
    page = client.get(reverse("portal:inbox_detail", args=[f.pk])).content.decode()
    assert 'id="feedback-assignee"' in page and "Lê Văn Chuyên Viên" in page


def test_assign_and_transfer_from_the_page(client, province, staff):
    f = submit(province)
    client.force_login(staff["leader"].user)
    target = reverse("portal:inbox_detail", args=[f.pk])
    assert client.post(target, {"action": "assign", "version": f.version,
                                "assignee": staff["specialist"].pk}).status_code == 302
    f.refresh_from_db()
    response = client.post(target, {"action": "transfer", "version": f.version, "agency": province["dept"].pk,
                                    "reason": "Thuộc thẩm quyền Sở"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:inbox")
    assert Feedback.objects.get(pk=f.pk).agency_id == province["dept"].pk


def test_only_an_answered_feedback_is_published_without_name_or_contact(client, province, staff):
    f = submit(province)
    with pytest.raises(InvalidTransition):
        services.feedback_publish(actor=staff["leader"], feedback_id=f.pk, version=f.version)
    f = services.feedback_answer(actor=staff["leader"], feedback_id=f.pk, version=f.version,
                                 answer="Đã nhắc nhở cán bộ và bố trí thêm người hướng dẫn.")
    assert "Thái độ tại quầy" not in client.get(reverse("portal:feedback_answers")).content.decode()
    services.feedback_publish(actor=staff["leader"], feedback_id=f.pk, version=f.version)
    text = client.get(reverse("portal:feedback_answers"), {"q": "thai do"}).content.decode()
    assert "Thái độ tại quầy hộ tịch" in text and "bố trí thêm người hướng dẫn" in text
    assert "Nguyễn Thị Lan" not in text and "0912000222" not in text and f.code not in text
    assert "Thái độ" not in client.get(reverse("portal:feedback_answers"), {"q": "nguyen thi lan"}).content.decode()


def test_publish_and_unpublish_from_the_page(client, province, staff):
    f = submit(province)
    f = services.feedback_answer(actor=staff["leader"], feedback_id=f.pk, version=f.version,
                                 answer="Đã nhắc nhở cán bộ và bố trí thêm người hướng dẫn.")
    client.force_login(staff["leader"].user)
    target = reverse("portal:inbox_detail", args=[f.pk])
    client.post(target, {"action": "publish", "version": f.version})
    f.refresh_from_db()
    assert f.published_at is not None
    client.post(target, {"action": "unpublish", "version": f.version})
    assert Feedback.objects.get(pk=f.pk).published_at is None
    assert [e.kind for e in f.events.all()][-2:] == ["published", "unpublished"]
