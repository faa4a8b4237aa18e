import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput
from phucvu.organization.models import ApiToken
from phucvu.organization.services import api_token_issue


@pytest.fixture
def clerk(province, make_staff):
    return make_staff(province["commune_desk"], "desk_clerk", full_name="Nguyễn Thị Lan")


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='kiểm thử')}"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/organization/agencies", "/api/organization/agencies/1",
                                 "/api/organization/me", "/api/organization/staff"])
def test_api_needs_authentication(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_bad_or_revoked_token_is_refused(client, clerk):

    headers = bearer(clerk.user)
    assert client.get("/api/organization/me", **headers).status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/organization/me", **headers).status_code == 401
    assert client.get("/api/organization/me", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


@pytest.mark.django_db
def test_agencies_are_scoped_to_the_caller(client, province, clerk):
    body = client.get("/api/organization/agencies", **bearer(clerk.user)).json()
    assert body["count"] == 2
    assert sorted(a["code"] for a in body["items"]) == ["X06652", "X06652-MC"]


@pytest.mark.django_db
def test_agencies_search_without_accents_and_paginate(client, province, make_staff):
    inspector = make_staff(province["dept"], "inspector")
    client.force_login(inspector.user)
    found = client.get("/api/organization/agencies", {"q": "mong cai"}).json()
    assert [a["code"] for a in found["items"]] == ["H194"]
    page = client.get("/api/organization/agencies", {"page_size": 3, "page": 2}).json()
    assert page["count"] == 10 and len(page["items"]) == 3


@pytest.mark.django_db
def test_agency_detail_in_scope_and_out_of_scope(client, province, clerk):
    headers = bearer(clerk.user)
    mine = client.get(f"/api/organization/agencies/{province['commune'].pk}", **headers)
    assert mine.status_code == 200
    body = mine.json()
    assert body["code"] == "X06652" and [c["code"] for c in body["children"]] == ["X06652-MC"]
    assert body["ancestors"] == []  # the district above is outside the clerk's scope
    other = client.get(f"/api/organization/agencies/{province['commune3'].pk}", **headers)
    assert other.status_code == 403 and other.json()["code"] == "not_allowed"
    assert client.get("/api/organization/agencies/999999", **headers).status_code == 404


@pytest.mark.django_db
def test_me_says_who_role_and_scope(client, province, clerk):
    body = client.get("/api/organization/me", **bearer(clerk.user)).json()
    assert body["full_name"] == "Nguyễn Thị Lan" and body["role"] == "desk_clerk"
    assert body["agency"]["code"] == "X06652-MC" and body["scope"]["code"] == "X06652"
    assert body["visible_agencies"] == 2


@pytest.mark.django_db
def test_staff_api_is_scoped(client, province, clerk, make_staff):
    make_staff(province["commune3"], "specialist", full_name="Trần Văn Xa")
    client.force_login(clerk.user)
    names = [s["full_name"] for s in client.get("/api/organization/staff").json()["items"]]
    assert names == ["Nguyễn Thị Lan"]


@pytest.mark.django_db
def test_api_token_command_prints_a_working_token(client, clerk, capsys):
    call_command("api-token", clerk.user.username, "--name", "đồng bộ")
    token = capsys.readouterr().out.strip()
    response = client.get("/api/organization/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["username"] == clerk.user.username


@pytest.mark.django_db
def test_a_token_expires_after_its_lifetime_with_a_clear_401(client, clerk, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    clear = api_token_issue(user=clerk.user)
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at > dt.timedelta(days=29, hours=23)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get("/api/organization/me", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired" and "hết hạn" in response.json()["message"]


@pytest.mark.django_db
def test_a_token_records_when_it_was_last_used(client, clerk):
    clear = api_token_issue(user=clerk.user)
    assert ApiToken.objects.get().last_used_at is None
    client.get("/api/organization/me", HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_rotation_gives_a_new_token_and_revokes_the_old(client, clerk, capsys):
    old_clear = api_token_issue(user=clerk.user, name="đồng bộ")
    old = ApiToken.objects.get()
    call_command("api-token", clerk.user.username, "--rotate", str(old.pk))
    new_clear = capsys.readouterr().out.strip()
    assert client.get("/api/organization/me", HTTP_AUTHORIZATION=f"Bearer {old_clear}").status_code == 401
    assert client.get("/api/organization/me", HTTP_AUTHORIZATION=f"Bearer {new_clear}").status_code == 200
    old.refresh_from_db()
    assert old.revoked_at is not None and old.replaced_by.name == "đồng bộ"
    with pytest.raises(CommandError):  # a revoked token is not rotated again
        call_command("api-token", clerk.user.username, "--rotate", str(old.pk))
    call_command("api-token", clerk.user.username, "--list")
    listed = capsys.readouterr().out
    assert "thu hồi" in listed and "hiệu lực" in listed


@pytest.mark.django_db
def test_a_lifetime_out_of_range_is_refused(clerk):
    with pytest.raises(InvalidInput):
        api_token_issue(user=clerk.user, days=0)
