"""Breaches: recorded with evidence, the cadre's explanation, the decision; who reads them and their files
(docs/discipline.md §3.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from phucvu.core.exceptions import InvalidInput, NotAllowed, NotFound, StaleAction
from phucvu.discipline.authority import refusal
from phucvu.discipline.models import BreachDecision, Violation, ViolationEvent, ViolationEvidence
from phucvu.discipline.selectors.breaches import evidence_get, violation_get, violation_list
from phucvu.discipline.services.breaches import (
    violation_add_evidence,
    violation_decide,
    violation_explain,
    violation_record,
)
from phucvu.discipline.services.case_steps import case_open
from phucvu.discipline.services.commitments import commitment_sign, commitment_text_publish

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_violations_are_listed_only_to_those_who_see_the_cadre(province, make_staff):
    clerk = make_staff(province["commune_desk"], full_name="Nguyễn Thị Ánh")
    violation_record(actor=None, staff=clerk, kind="working_hours", occurred_on=dt.date(2017, 2, 1),
                     description="Đến muộn 40 phút")
    assert violation_list(user=make_staff(province["district"], "unit_leader").user, query="nguyen thi anh").count() == 1
    assert violation_list(user=make_staff(province["district2"], "unit_leader").user).count() == 0
    # A colleague at the same desk does not see it; the cadre sees their own.
    assert violation_list(user=make_staff(province["commune_desk"]).user).count() == 0
    assert violation_list(user=clerk.user).count() == 1


@pytest.fixture
def breach(province, make_staff):
    leader = make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh")
    clerk = make_staff(province["commune_desk"], full_name="Đào Thị Hạnh")
    violation = violation_record(actor=leader, staff=clerk, kind="behaviour", occurred_on=dt.date(2026, 3, 2),
                                 description="Lớn tiếng với công dân tại quầy", source="Phản ánh qua đường dây nóng",
                                 source_kind="complaint")
    return {"leader": leader, "clerk": clerk, "v": violation}


def test_who_records_a_breach(province, make_staff, breach):
    with pytest.raises(NotAllowed):
        violation_record(actor=make_staff(province["commune_desk"]), staff=breach["clerk"], kind="behaviour",
                         occurred_on=dt.date(2026, 3, 2), description="x")
    with pytest.raises(NotAllowed):
        violation_record(actor=breach["leader"], staff=breach["leader"], kind="behaviour",
                         occurred_on=dt.date(2026, 3, 2), description="x")
    with pytest.raises(InvalidInput, match="Nguồn"):
        violation_record(actor=breach["leader"], staff=breach["clerk"], kind="behaviour",
                         occurred_on=dt.date(2026, 3, 2), description="x", source_kind="rumour")
    assert ViolationEvent.objects.filter(violation=breach["v"], kind="recorded").count() == 1


def test_evidence_is_checked_by_its_bytes_and_stored_under_a_random_name(breach):
    evidence = violation_add_evidence(actor=breach["leader"], violation_id=breach["v"].pk, name="bien-ban.pdf",
                                      content=PDF)
    assert evidence.content_type == "application/pdf" and "bien-ban" not in evidence.file.name
    assert evidence.file.name.startswith("discipline/evidence/")
    with pytest.raises(InvalidInput, match="PDF, JPG hoặc PNG"):
        violation_add_evidence(actor=breach["leader"], violation_id=breach["v"].pk, name="virus.pdf",
                               content=b"MZ\x90\x00 not a pdf")
    assert ViolationEvidence.objects.count() == 1


def test_the_cadre_explains_and_a_leader_decides_once(province, make_staff, breach):
    v = breach["v"]
    with pytest.raises(NotAllowed):
        violation_explain(actor=breach["leader"], violation_id=v.pk, explanation="Thay mặt")
    explained = violation_explain(actor=breach["clerk"], violation_id=v.pk, explanation="Công dân chen ngang",
                                  version=v.version)
    with pytest.raises(StaleAction):
        violation_decide(actor=breach["leader"], violation_id=v.pk, decision="reminder", note="x", version=v.version)
    with pytest.raises(NotAllowed):
        violation_decide(actor=breach["clerk"], violation_id=v.pk, decision="no_breach", note="Tôi không sai")
    with pytest.raises(NotAllowed):
        violation_decide(actor=make_staff(province["commune"], "inspector"), violation_id=v.pk,
                         decision="reminder", note="x")
    decided = violation_decide(actor=breach["leader"], violation_id=v.pk, decision=BreachDecision.REMINDER,
                               note="Nhắc nhở, rút kinh nghiệm trong cuộc họp cơ quan", version=explained.version)
    assert decided.decision == "reminder" and decided.decided_by == breach["leader"]
    with pytest.raises(InvalidInput, match="đã có kết luận"):
        violation_decide(actor=breach["leader"], violation_id=v.pk, decision="discipline", note="x")
    with pytest.raises(InvalidInput):
        violation_explain(actor=breach["clerk"], violation_id=v.pk, explanation="Bổ sung")
    assert list(ViolationEvent.objects.filter(violation=v).values_list("kind", flat=True)) == [
        "recorded", "explained", "decided"]


def test_evidence_is_served_only_to_those_who_read_the_breach_as_a_download(province, make_staff, breach):
    evidence = violation_add_evidence(actor=breach["leader"], violation_id=breach["v"].pk, name="anh-chup.pdf",
                                      content=PDF)
    url = reverse("discipline:evidence_file", args=[breach["v"].pk, evidence.pk])
    client = Client()
    for who in (breach["leader"], breach["clerk"], make_staff(province["district"], "inspector")):
        client.force_login(who.user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF
    for who in (make_staff(province["commune_desk"]), make_staff(province["district2"], "unit_leader")):
        client.force_login(who.user)
        assert client.get(url).status_code == 404
        with pytest.raises(NotFound):
            evidence_get(user=who.user, violation_id=breach["v"].pk, evidence_id=evidence.pk)


def test_the_pages_record_explain_and_decide(province, make_staff, breach):
    hr = make_staff(province["district"], "hr_officer")
    client = Client()
    client.force_login(hr.user)
    response = client.post(reverse("discipline:violation_new"), {
        "username": breach["clerk"].user.username, "kind": "working_hours", "occurred_on": "2026-03-03",
        "source_kind": "inspection", "source": "Biên bản kiểm tra công vụ 05/BB",
        "description": "Vắng mặt không lý do buổi sáng",
        "evidence": SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")})
    violation = Violation.objects.get(kind="working_hours")
    assert response.status_code == 302 and violation.evidence.count() == 1
    bad = client.post(reverse("discipline:violation_new"), {"username": "nobody", "kind": "behaviour",
                                                           "description": "x"})
    assert bad.status_code == 200 and "nobody" in bad.content.decode()
    url = reverse("discipline:violation_detail", args=[violation.pk])
    clerk = Client()
    clerk.force_login(breach["clerk"].user)
    assert 'id="send-explanation"' in clerk.get(url).content.decode()
    clerk.post(url, {"action": "explain", "version": violation.version, "explanation": "Con ốm, đã báo miệng"})
    client.post(url, {"action": "decide", "version": violation.version + 1, "decision": "discipline",
                      "decision_note": "Đề nghị xem xét kỷ luật khiển trách"})
    violation.refresh_from_db()
    assert violation.decision == "discipline" and violation.explanation == "Con ốm, đã báo miệng"
    page = client.get(url).content.decode()
    assert 'id="open-case"' in page
    form = client.get(reverse("discipline:case_new") + f"?violation={violation.pk}").content.decode()
    assert breach["clerk"].user.username in form and "2026-03-03" in form
    assert violation_get(user=hr.user, violation_id=violation.pk) == violation
    listing = client.get(reverse("discipline:violation_list"), {"format": "csv"}).content.decode()
    assert "working_hours" in listing and "inspection" in listing


def test_breaches_cases_and_commitments_refuse_through_the_one_table(province, make_staff, breach):
    """Each refusal is the authority table's (it names the action and who may take it), whatever the caller."""
    clerk, v = breach["clerk"], breach["v"]
    colleague = make_staff(province["commune_desk"], full_name="Lê Văn Bên")
    inspector = make_staff(province["commune"], "inspector")
    calls = [
        ("breach_record", lambda: violation_record(actor=colleague, staff=clerk, kind="behaviour",
                                                   occurred_on=dt.date(2026, 3, 2), description="x")),
        ("breach_evidence", lambda: violation_add_evidence(actor=colleague, violation_id=v.pk, name="a.pdf",
                                                           content=PDF)),
        ("breach_explain", lambda: violation_explain(actor=breach["leader"], violation_id=v.pk, explanation="x")),
        ("breach_decide", lambda: violation_decide(actor=inspector, violation_id=v.pk, decision="reminder",
                                                   note="x")),
        ("case_run", lambda: case_open(actor=breach["leader"], staff=clerk, proposed_form="khien_trach",
                                       violation_ended=dt.date(2026, 3, 2), discovered=dt.date(2026, 3, 5))),
        ("commitment_text", lambda: commitment_text_publish(actor=clerk, agency=province["commune"], year=2026,
                                                            title="Cam kết", body="Nội dung")),
        ("commitment_sign", lambda: commitment_sign(actor=breach["leader"], staff=clerk, year=2026,
                                                    text_version="v1", signed_on=dt.date(2026, 1, 5))),
    ]
    for action, call in calls:
        with pytest.raises(NotAllowed) as refused:
            call()
        assert refused.value.message == refusal(action).message, action
    assert ViolationEvent.objects.filter(violation=v).count() == 1 and not ViolationEvidence.objects.exists()
