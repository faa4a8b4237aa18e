"""Satisfaction votes: once the result is returned, one current vote per dossier, history kept."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from phucvu.core.exceptions import InvalidTransition
from phucvu.organization.services import api_token_issue
from phucvu.portal import selectors
from phucvu.portal.models import SatisfactionVote
from phucvu.portal.services import satisfaction_vote_cast

from .conftest import local

pytestmark = pytest.mark.django_db


def test_vote_needs_the_result_returned(received):
    with pytest.raises(InvalidTransition):
        satisfaction_vote_cast(dossier_id=received.pk, level="satisfied")


def test_later_vote_replaces_the_earlier_and_keeps_history(returned):
    satisfaction_vote_cast(dossier_id=returned.pk, level="not_satisfied", at=local(2026, 3, 10, 11, 0))
    satisfaction_vote_cast(dossier_id=returned.pk, level="very_satisfied", at=local(2026, 3, 11, 8, 0))
    assert SatisfactionVote.objects.filter(dossier=returned).count() == 2
    assert selectors.current_vote(returned.pk).level == "very_satisfied"
    assert [v.current for v in selectors.vote_history(returned.pk)] == [False, True]


def test_vote_on_the_clerk_names_who_handed_the_result_back(returned, staff):
    vote = satisfaction_vote_cast(dossier_id=returned.pk, level="satisfied", clerk_level="very_satisfied")
    assert vote.clerk == staff["clerk"]
    assert satisfaction_vote_cast(dossier_id=returned.pk, level="satisfied").clerk is None


def test_counts_per_agency_read_current_votes_in_the_users_scope(returned, staff, province):
    satisfaction_vote_cast(dossier_id=returned.pk, level="not_satisfied")
    satisfaction_vote_cast(dossier_id=returned.pk, level="satisfied", clerk_level="satisfied")
    counts = selectors.satisfaction_counts(user=staff["clerk"].user)
    row = counts[province["commune_desk"].pk]
    assert (row.very_satisfied, row.satisfied, row.not_satisfied, row.total) == (0, 1, 0, 1)
    assert row.satisfied_rate == 1.0
    assert selectors.clerk_satisfaction_counts(user=staff["clerk"].user)[staff["clerk"].pk].satisfied == 1
    assert selectors.satisfaction_counts(user=staff["outsider"].user) == {}


def test_vote_from_the_status_page(client, returned):
    response = client.post(reverse("portal:vote"), {"code": returned.code, "secret": returned.secret,
                                                    "level": "very_satisfied", "clerk_level": "",
                                                    "comment": "Nhanh, chu đáo"})
    assert response.status_code == 302
    vote = selectors.current_vote(returned.pk)
    assert (vote.level, vote.comment, vote.channel) == ("very_satisfied", "Nhanh, chu đáo", "online")
    page = client.get(f"{reverse('portal:lookup')}?{urlencode({'code': returned.code, 'secret': returned.secret})}")
    assert 'id="vote-current"' in page.content.decode()


def test_vote_with_a_wrong_secret_writes_nothing(client, returned):
    client.post(reverse("portal:vote"), {"code": returned.code, "secret": "WRONGWRG", "level": "satisfied"})
    assert not SatisfactionVote.objects.exists()


def test_vote_form_is_not_offered_before_the_result_is_returned(client, received):
    page = client.get(f"{reverse('portal:lookup')}?{urlencode({'code': received.code, 'secret': received.secret})}")
    assert 'id="danh-gia"' not in page.content.decode()


def _vote(client, dossier, **extra):
    return client.post(reverse("portal:vote"), {"code": dossier.code, "secret": dossier.secret,
                                                "level": "very_satisfied", "clerk_level": "very_satisfied"}, **extra)


def test_a_signed_in_cadre_cannot_cast_the_citizens_vote(client, returned, staff):
    client.force_login(staff["clerk"].user)
    page = client.get(f"{reverse('portal:lookup')}?{urlencode({'code': returned.code, 'secret': returned.secret})}")
    assert 'id="vote-staff"' in page.content.decode() and 'action="/portal/lookup/vote/"' not in page.content.decode()
    _vote(client, returned)
    assert not SatisfactionVote.objects.exists()


def test_the_api_refuses_a_vote_with_a_cadres_token_or_session(client, returned, staff):
    body = {"code": returned.code, "secret": returned.secret, "level": "satisfied"}
    token = api_token_issue(user=staff["clerk"].user)
    answer = client.post("/api/portal/vote", body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 403 and answer.json()["code"] == "not_allowed"
    client.force_login(staff["clerk"].user)
    assert client.post("/api/portal/vote", body, content_type="application/json").status_code == 403
    assert not SatisfactionVote.objects.exists()


def test_a_vote_from_the_counters_kiosk_is_recorded_as_such(client, returned, settings):
    settings.PORTAL_KIOSK_NETWORKS = ["10.50.0.0/24"]
    _vote(client, returned, REMOTE_ADDR="10.50.0.7")
    assert selectors.current_vote(returned.pk).channel == "kiosk"
    _vote(client, returned, REMOTE_ADDR="203.0.113.5")
    assert selectors.current_vote(returned.pk).channel == "online"
