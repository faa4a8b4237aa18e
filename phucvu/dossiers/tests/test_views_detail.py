"""The dossier page: timeline, step clocks, papers, the actions this user may take, and the printed forms."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from phucvu.dossiers import services as s
from phucvu.dossiers import views
from phucvu.dossiers.models import Dossier, DossierEvent, Status

pytestmark = pytest.mark.django_db


def now():
    return timezone.now()


def page(client, staff, dossier):
    client.force_login(staff.user)
    return client.get(reverse("dossiers:detail", args=[dossier.pk]))


def act(client, dossier, action, version=None, **fields):
    data = {"version": dossier.version if version is None else version}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(reverse("dossiers:act", args=[dossier.pk, action]), data)


def offered(response) -> set[str]:
    return set(re.findall(r'data-submit="([a-z_]+)"', response.content.decode()))


def test_page_shows_header_steps_timeline_papers_and_printables(client, receive, staff):
    d = receive(at=now())
    html = page(client, staff["clerk"], d).content.decode()
    assert d.code in html and "Nguyễn Văn Ánh" in html
    assert "Được tiếp nhận" in html  # status
    assert "Thẩm định" in html and "Phê duyệt" in html  # steps
    assert "Tiếp nhận" in html  # the first event
    assert "Bản vẽ thiết kế" in html  # papers
    assert reverse("dossiers:form_pdf", args=[d.pk, "receipt"]) in html
    assert reverse("dossiers:form_pdf", args=[d.pk, "control"]) in html


def test_clerk_is_offered_the_desk_actions_and_not_the_leaders(client, receive, staff):
    d = receive(at=now())
    actions = offered(page(client, staff["clerk"], d))
    assert {"forward", "request_supplement", "withdraw"} <= actions
    assert not {"approve", "stop", "assign", "resolve", "transfer"} & actions


def test_leader_is_offered_approval_at_the_signing_step_only(client, receive, staff):
    d = receive(at=now())
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
    assert "approve" not in offered(page(client, staff["leader"], d))  # still with the specialist
    d = s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version)
    assert "approve" in offered(page(client, staff["leader"], d))


def test_forward_posts_to_the_service_with_the_rendered_version(client, receive, staff):
    d = receive(at=now())
    client.force_login(staff["clerk"].user)
    response = act(client, d, "forward", note="Chuyển thẩm định")
    assert response.status_code == 302
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == Status.PROCESSING and d.current_step.order == 2


def test_stale_action_shows_a_clear_message_and_changes_nothing(client, receive, staff):
    d = receive(at=now())
    rendered_version = d.version
    # Another clerk forwards first.
    s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
    before = DossierEvent.objects.filter(dossier=d).count()
    client.force_login(staff["clerk"].user)
    response = act(client, d, "request_supplement", version=rendered_version, missing="Bản sao sổ hộ khẩu")
    follow = client.get(response["Location"]).content.decode()
    assert "vừa được người khác cập nhật" in follow
    assert DossierEvent.objects.filter(dossier=d).count() == before
    assert Dossier.objects.get(pk=d.pk).status == Status.PROCESSING


def test_refused_action_shows_the_services_message(client, receive, staff):
    d = receive(at=now())
    client.force_login(staff["clerk"].user)
    d = s.dossier_request_supplement(actor=staff["clerk"], dossier_id=d.pk, version=d.version, missing=["A"])
    d = s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
    response = act(client, d, "request_supplement", missing="Giấy tờ khác")  # second time, no reason
    assert "lần tiếp theo phải nêu rõ lý do" in client.get(response["Location"]).content.decode()
    assert Dossier.objects.get(pk=d.pk).supplement_count == 1


def test_invalid_action_form_keeps_the_page_with_errors(client, receive, staff):
    d = receive(at=now())
    client.force_login(staff["clerk"].user)
    response = act(client, d, "request_supplement", missing="")
    assert response.status_code == 422
    assert "act-request_supplement" in response.content.decode()
    assert Dossier.objects.get(pk=d.pk).supplement_count == 0


def test_unknown_action_is_not_found(client, receive, staff):
    d = receive(at=now())
    client.force_login(staff["clerk"].user)
    assert client.post(reverse("dossiers:act", args=[d.pk, "delete"]), {"version": 1}).status_code == 404


def test_dossier_of_another_commune_is_not_found(client, receive, staff):
    d = receive(at=now())
    assert page(client, staff["outsider"], d).status_code == 404
    client.force_login(staff["outsider"].user)
    assert act(client, d, "forward").status_code == 404
    assert client.get(reverse("dossiers:form_pdf", args=[d.pk, "receipt"])).status_code == 404


def test_each_applicable_form_prints(client, receive, staff):
    d = receive(at=now())
    d = s.dossier_request_supplement(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                                     missing=["Bản sao giấy chứng nhận quyền sử dụng đất"])
    d = s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
    d = s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                            new_due_at=d.due_at + dt.timedelta(days=3), reason="Cần xác minh thực địa")
    client.force_login(staff["clerk"].user)
    for kind in ("receipt", "supplement", "apology", "control"):
        response = client.get(reverse("dossiers:form_pdf", args=[d.pk, kind]))
        assert response.status_code == 200, kind
        assert response.content.startswith(b"%PDF-")
    assert client.get(reverse("dossiers:form_pdf", args=[d.pk, "refusal"])).status_code == 404


def test_refusal_form_prints_for_a_refused_online_submission(client, province, procedure, staff):
    d = s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                applicant_name="Đỗ Thị Hoa")
    d = s.dossier_refuse(actor=staff["clerk"], dossier_id=d.pk, version=d.version, reason="Sai thẩm quyền")
    client.force_login(staff["clerk"].user)
    response = client.get(reverse("dossiers:form_pdf", args=[d.pk, "refusal"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_register_page_and_pdf_list_the_period(client, receive, staff):
    d = receive(at=now())
    client.force_login(staff["clerk"].user)
    today = timezone.localdate().isoformat()
    html = client.get(reverse("dossiers:register"), {"from": today, "to": today}).content.decode()
    assert d.code in html
    response = client.get(reverse("dossiers:register_pdf"), {"from": today, "to": today})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_register_refuses_an_agency_outside_the_scope(client, receive, staff, province):
    client.force_login(staff["clerk"].user)
    assert client.get(reverse("dossiers:register"), {"agency": province["commune3"].pk}).status_code == 403


def test_register_pdf_of_too_long_a_period_asks_for_a_shorter_one(client, receive, staff, monkeypatch):
    monkeypatch.setattr(views, "REGISTER_PDF_LIMIT", 1)
    receive(at=now())
    receive(at=now())
    client.force_login(staff["clerk"].user)
    today = timezone.localdate().isoformat()
    response = client.get(reverse("dossiers:register_pdf"), {"from": today, "to": today}, follow=True)
    assert "quá 1 hồ sơ cho một lần in" in response.content.decode()


@pytest.mark.parametrize(("page", "params", "name"), [
    ("dossiers:register", {"from": "2025-13-01"}, "from"),
    ("dossiers:register_pdf", {"agency": "abc"}, "agency"),
    ("dossiers:queue", {"to": "31/12/2025"}, "to"),
])
def test_a_bad_query_parameter_gets_a_vietnamese_error_page(client, staff, page, params, name):
    """The desk pages read their parameters with core.web's helpers: a bad value is named, never ignored."""
    client.force_login(staff["clerk"].user)
    response = client.get(reverse(page), params)
    assert response.status_code == 400
    assert f"Tham số “{name}”" in response.content.decode()


def test_a_form_that_does_not_apply_is_not_found(client, receive, staff):
    d = receive()
    client.force_login(staff["clerk"].user)
    assert client.get(reverse("dossiers:form_pdf", args=[d.pk, "stop"])).status_code == 404
    assert client.get(reverse("dossiers:form_pdf", args=[d.pk, "nonsense"])).status_code == 404
