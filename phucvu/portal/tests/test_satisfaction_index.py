"""The 9-indicator satisfaction index per receiving agency and period, votes per desk and per clerk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from phucvu.catalog.services import procedure_revise
from phucvu.dossiers import services as ds
from phucvu.portal import selectors, services

from .conftest import local, resolve

pytestmark = pytest.mark.django_db

SINCE, UNTIL = local(2026, 3, 1), local(2026, 4, 1)


def index_of(user):
    rows = selectors.satisfaction_index(user=user, since=SINCE, until=UNTIL)
    return {r.agency_id: r for r in rows}


def test_an_on_time_dossier_with_a_good_vote_scores_full_where_data_exists(returned, staff, province):
    services.satisfaction_vote_cast(dossier_id=returned.pk, level="very_satisfied", clerk_level="satisfied",
                                    at=local(2026, 3, 10, 11, 0))
    row = index_of(staff["leader"].user)[province["commune_desk"].pk]
    scores = {key: ind.score for key, _label, ind in row.rows()}
    assert scores["total_time"] == 2 and scores["contacts"] == 2
    assert scores["agency_time"] == 1  # the desk's step was handed on a day late, the dossier still on time
    assert scores["agencies"] == 2 and scores["one_stop"] == 2
    assert scores["attitude"] == 1  # the vote on the clerk: satisfied
    assert scores["online"] == 2 - 1  # taken at the counter, though the procedure is offered online
    assert scores["disclosure"] == 1  # papers published, no legal basis yet
    assert scores["feedback"] is None and row.total is None and row.computed == 8  # no feedback: said so
    assert row.votes.total == 1 and row.votes.satisfied_rate == 1


def test_supplements_and_lateness_lower_their_indicators(received, staff, province, online_procedure):
    procedure_revise(procedure_id=online_procedure.pk, legal_basis="Luật Hộ tịch 2014", applicants="Cha, mẹ")
    d = ds.dossier_request_supplement(actor=staff["clerk"], dossier_id=received.pk, version=received.version,
                                      missing=["Giấy chứng sinh"], at=local(2026, 3, 9, 10, 0))
    d = ds.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 11, 0))
    resolve(d, staff, result="granted", at=d.due_at + dt.timedelta(days=3))  # late, no apology
    row = index_of(staff["leader"].user)[province["commune_desk"].pk]
    scores = {key: ind.score for key, _label, ind in row.rows()}
    assert scores["total_time"] == 0 and scores["agency_time"] == 0 and scores["contacts"] == 1
    assert scores["disclosure"] == 1  # the dossier keeps the version it was received under


def test_feedback_answered_late_counts_one_and_open_overdue_zero(received, staff, province):
    late = services.feedback_submit(name="Bình", phone="0912", subject="Chậm", content="Hồ sơ chậm quá lâu rồi",
                                    dossier_id=received.pk, at=local(2026, 3, 2, 9, 0))
    services.feedback_answer(actor=staff["clerk"], feedback_id=late.pk, version=late.version,
                             answer="Đã kiểm tra và xin lỗi ông/bà.", at=local(2026, 3, 30, 9, 0))
    services.feedback_submit(name="An", phone="0913", subject="Chưa trả lời", content="Chưa ai trả lời tôi cả",
                             dossier_id=received.pk, at=local(2026, 3, 3, 9, 0))
    row = index_of(staff["leader"].user)[province["commune_desk"].pk]
    assert row.indicators["feedback"].score == 0.5


def test_index_is_read_through_the_visibility_rule(returned, staff, province):
    services.satisfaction_vote_cast(dossier_id=returned.pk, level="satisfied", at=local(2026, 3, 10, 11, 0))
    assert province["commune_desk"].pk not in index_of(staff["outsider"].user)


def test_page_shows_agencies_clerks_and_exports(client, returned, staff):
    services.satisfaction_vote_cast(dossier_id=returned.pk, level="satisfied", clerk_level="very_satisfied",
                                    at=local(2026, 3, 10, 11, 0))
    client.force_login(staff["leader"].user)
    page = client.get(reverse("portal:satisfaction"), {"from": "2026-03-01", "to": "2026-03-31"})
    text = page.content.decode()
    assert page.status_code == 200 and "Bộ phận Một cửa phường Hồng Gai" in text
    assert "Trần Thị Một Cửa" in text and 'id="satisfaction-total"' in text
    assert "không tính được" in text  # feedback: no data in the period, said plainly
    csv = client.get(reverse("portal:satisfaction"), {"from": "2026-03-01", "to": "2026-03-31", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "Bộ phận Một cửa phường Hồng Gai" in csv.content.decode()
    bad = client.get(reverse("portal:satisfaction"), {"from": "2026-13-01"})
    assert bad.status_code == 400  # a clear message, not a 500


def test_the_766_page_shows_the_satisfaction_group_or_what_is_missing(client, returned, staff):
    services.satisfaction_vote_cast(dossier_id=returned.pk, level="satisfied", at=local(2026, 3, 10, 11, 0))
    client.force_login(staff["leader"].user)
    text = client.get(reverse("reports:index766"), {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    part = text[text.index('id="satisfaction766"'):][:600]
    assert "8/9" in part and "Tiếp nhận, xử lý phản ánh, kiến nghị đúng hạn" in part  # said plainly what is missing
