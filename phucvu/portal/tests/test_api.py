"""The portal's JSON API: public look-up, vote and feedback by key; staff inbox and answer."""

from __future__ import annotations

import pytest

from phucvu.portal.models import SatisfactionVote
from phucvu.portal.services import feedback_submit

from .conftest import local

pytestmark = pytest.mark.django_db

API = "/api/portal"


def post(client, path, body, **extra):
    return client.post(f"{API}{path}", body, content_type="application/json", **extra)


def test_public_lookup_answers_the_status_without_login(client, received):
    response = post(client, "/lookup", {"code": received.code, "secret": received.secret})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "received" and body["portal_code"] == 2
    assert body["timeline"][0]["title"] == "Tiếp nhận hồ sơ"
    assert "actor" not in str(body)


def test_wrong_key_is_one_404_whatever_was_wrong(client, received):
    a = post(client, "/lookup", {"code": received.code, "secret": "AAAAAAAA"})
    b = post(client, "/lookup", {"code": "nope", "secret": received.secret})
    assert a.status_code == b.status_code == 404
    assert a.json() == b.json()


def test_lookup_api_is_throttled(client, received, settings):
    settings.PORTAL_LOOKUP_LIMIT = 2
    for _ in range(2):
        post(client, "/lookup", {"code": received.code, "secret": "AAAAAAAA"})
    response = post(client, "/lookup", {"code": received.code, "secret": received.secret})
    assert response.status_code == 429 and response.json()["code"] == "throttled"


def test_vote_api(client, returned, received):
    response = post(client, "/vote", {"code": returned.code, "secret": returned.secret, "level": "satisfied"})
    assert response.status_code == 200 and response.json()["level"] == "satisfied"
    assert SatisfactionVote.objects.filter(current=True).count() == 1


def test_vote_api_refuses_before_return(client, received):
    response = post(client, "/vote", {"code": received.code, "secret": received.secret, "level": "satisfied"})
    assert response.status_code == 422


def test_feedback_api_round_trip(client, province, staff, received):
    created = post(client, "/feedback", {"name": "Nguyễn Văn Ánh", "phone": "0987", "subject": "Tiến độ",
                                         "content": "Xin cho biết tiến độ giải quyết hồ sơ.",
                                         "dossier_code": received.code, "dossier_secret": received.secret})
    assert created.status_code == 201, created.json()
    key = {"code": created.json()["code"], "secret": created.json()["secret"]}
    assert created.json()["dossier_code"] == received.code
    client.force_login(staff["specialist"].user)
    inbox = client.get(f"{API}/inbox").json()
    assert inbox["count"] == 1
    item = inbox["items"][0]
    answered = post(client, f"/inbox/{item['id']}/answer", {"version": item["version"],
                                                             "answer": "Hồ sơ sẽ có kết quả ngày 12/3."})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    client.logout()
    seen = post(client, "/feedback/lookup", key).json()
    assert seen["answer"] == "Hồ sơ sẽ có kết quả ngày 12/3."


def test_inbox_api_needs_login_and_scope(client, province, staff):
    feedback_submit(agency_id=province["commune"].pk, name="A B", phone="1", subject="S",
                    content="Nội dung đủ dài để gửi.", at=local(2026, 3, 9, 9, 0))
    assert client.get(f"{API}/inbox").status_code == 401
    client.force_login(staff["outsider"].user)
    assert client.get(f"{API}/inbox").json()["count"] == 0
