"""Feedback and recommendations: a legal due date, a staff answer in scope, the answer public by key."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed, StaleAction
from phucvu.portal import selectors
from phucvu.portal.models import Feedback, FeedbackStatus
from phucvu.portal.services import feedback_answer, feedback_decline, feedback_submit

from .conftest import local

pytestmark = pytest.mark.django_db


def submit(province, **kw):
    args = {"agency_id": province["commune"].pk, "name": "Nguyễn Thị Hoa", "phone": "0912345678",
            "subject": "Thái độ tiếp dân", "content": "Đề nghị niêm yết rõ phí lệ phí tại quầy.",
            "at": local(2026, 3, 9, 9, 0)}
    args.update(kw)
    return feedback_submit(**args)


def test_answer_is_due_in_ten_working_days_on_the_agency_calendar(province):
    feedback = submit(province)
    # Mon 9/3/2026 09:00 + 10 working days (two weekends skipped) → Mon 23/3/2026 09:00.
    assert feedback.due_at == local(2026, 3, 23, 9, 0)
    assert feedback.code.startswith("PA-260309-")


def test_due_date_skips_public_holidays(province):
    # Thu 23/4/2026 + 10 working days: Hùng Kings (10/3 lunar = Sun 26/4, so Mon 27/4 off), 30/4 and 1/5
    # are days off besides the weekends → Tue 12/5 09:00.
    feedback = submit(province, at=local(2026, 4, 23, 9, 0))
    assert feedback.due_at == local(2026, 5, 12, 9, 0)


def test_feedback_needs_a_way_to_answer(province):
    with pytest.raises(InvalidInput):
        submit(province, phone="")


def test_feedback_about_a_dossier_goes_to_its_agency(province, received):
    feedback = submit(province, agency_id=None, dossier_id=received.pk)
    assert feedback.agency_id == received.agency_id


def test_answer_is_visible_to_the_citizen_with_code_and_secret(client, province, staff):
    feedback = submit(province)
    feedback_answer(actor=staff["specialist"], feedback_id=feedback.pk, version=feedback.version,
                    answer="Ủy ban đã niêm yết bảng phí tại quầy từ ngày 12/3.", at=local(2026, 3, 12, 9, 0))
    page = client.get(f"{reverse('portal:feedback_lookup')}?{urlencode({'code': feedback.code, 'secret': feedback.secret})}")
    text = page.content.decode()
    assert "Ủy ban đã niêm yết bảng phí" in text
    assert "Đã trả lời" in text
    wrong = client.get(f"{reverse('portal:feedback_lookup')}?{urlencode({'code': feedback.code, 'secret': 'XXXXXXXX'})}")
    assert "Ủy ban đã niêm yết" not in wrong.content.decode()


def test_staff_outside_the_scope_can_neither_see_nor_answer(province, staff, client):
    feedback = submit(province)
    with pytest.raises(NotAllowed):
        feedback_answer(actor=staff["outsider"], feedback_id=feedback.pk, version=1, answer="Trả lời vượt quyền")
    client.force_login(staff["outsider"].user)
    assert client.get(reverse("portal:inbox_detail", args=[feedback.pk])).status_code == 404
    assert feedback.code not in client.get(reverse("portal:inbox")).content.decode()


def test_answer_once_and_with_the_version_seen(province, staff):
    feedback = submit(province)
    with pytest.raises(StaleAction):
        feedback_answer(actor=staff["specialist"], feedback_id=feedback.pk, version=7, answer="Nội dung trả lời.")
    done = feedback_decline(actor=staff["specialist"], feedback_id=feedback.pk, version=1,
                            reason="Không thuộc thẩm quyền của phường.")
    assert done.status == FeedbackStatus.DECLINED
    with pytest.raises(InvalidTransition):
        feedback_answer(actor=staff["specialist"], feedback_id=feedback.pk, version=done.version,
                        answer="Nội dung trả lời.")
    assert [e.kind for e in done.events.all()] == ["received", "declined"]


def test_inbox_search_is_accent_insensitive_and_paginated(client, province, staff):
    for i in range(27):
        submit(province, name=f"Người gửi {i}", subject=f"Đường ngập nước số {i}")
    submit(province, name="Đặng Văn Đức", subject="Chậm trả kết quả")
    client.force_login(staff["specialist"].user)
    text = client.get(reverse("portal:inbox"), {"q": "dang van duc"}).content.decode()
    assert "Chậm trả kết quả" in text and "Đường ngập nước" not in text
    first = client.get(reverse("portal:inbox")).content.decode()
    assert "Trang 1/2" in first


def test_staff_answer_through_the_page(client, province, staff):
    feedback = submit(province)
    client.force_login(staff["specialist"].user)
    response = client.post(reverse("portal:inbox_detail", args=[feedback.pk]),
                           {"version": feedback.version, "decision": "answer",
                            "text": "Đã chấn chỉnh công chức, xin cảm ơn ông/bà."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.answered_by == staff["specialist"] and feedback.status == FeedbackStatus.ANSWERED


def test_counts_record_answers_on_time_and_overdue(province, staff):
    on_time = submit(province)
    feedback_answer(actor=staff["specialist"], feedback_id=on_time.pk, version=1, answer="Trả lời đúng hạn.",
                    at=local(2026, 3, 20, 9, 0))
    late = submit(province)
    feedback_answer(actor=staff["specialist"], feedback_id=late.pk, version=1, answer="Trả lời quá hạn.",
                    at=local(2026, 3, 24, 9, 0))
    submit(province)  # still open
    counts = selectors.feedback_counts(user=staff["specialist"].user, now=local(2026, 4, 1, 9, 0))
    row = counts[province["commune"].pk]
    assert (row.received, row.answered, row.answered_on_time, row.open_overdue) == (3, 2, 1, 1)


def test_feedback_page_about_a_dossier(client, received):
    response = client.post(f"{reverse('portal:feedback_new')}",
                           {"code": received.code, "secret": received.secret, "kind": "feedback",
                            "name": "Nguyễn Văn Ánh", "phone": "0987654321", "subject": "Hỏi tiến độ",
                            "content": "Tôi muốn biết khi nào có kết quả hồ sơ."})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.dossier_id == received.pk
    done = client.get(reverse("portal:feedback_done")).content.decode()
    assert feedback.code in done and feedback.secret in done
