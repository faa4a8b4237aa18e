import pytest
from django.urls import reverse

from phucvu.organization.models import LoginFailure


@pytest.mark.django_db
def test_login_shows_role_home(client, province, make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Nguyễn Thị Lan")
    response = client.post(reverse("login"), {"username": clerk.user.username, "password": "MatKhau!2026"},
                           follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nguyễn Thị Lan" in body and "Công chức Một cửa" in body


@pytest.mark.django_db
def test_failed_logins_are_throttled(client, province, make_staff, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    clerk = make_staff(province["commune_desk"])
    for _ in range(3):
        r = client.post(reverse("login"), {"username": clerk.user.username, "password": "sai"})
        assert "không đúng" in r.content.decode()
    # even the right password is refused while throttled
    r = client.post(reverse("login"), {"username": clerk.user.username, "password": "MatKhau!2026"})
    assert "quá nhiều lần" in r.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username=clerk.user.username).count() == 3


@pytest.mark.django_db
def test_success_clears_the_count(client, province, make_staff, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    clerk = make_staff(province["commune_desk"])
    for _ in range(2):
        client.post(reverse("login"), {"username": clerk.user.username, "password": "sai"})
    client.post(reverse("login"), {"username": clerk.user.username, "password": "MatKhau!2026"})
    client.logout()
    client.post(reverse("login"), {"username": clerk.user.username, "password": "sai"})
    r = client.post(reverse("login"), {"username": clerk.user.username, "password": "MatKhau!2026"})
    assert r.status_code == 302


def _login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_a_stranger_at_another_address_cannot_lock_an_official_out(client, province, make_staff, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    official = make_staff(province["commune"], "unit_leader")
    for _ in range(10):
        _login(client, official.user.username, "doan-mo", "203.0.113.66")
    # The stranger's own address is locked for that username ...
    r = _login(client, official.user.username, "MatKhau!2026", "203.0.113.66")
    assert "quá nhiều lần" in r.content.decode()
    # ... the official at the office signs in.
    r = _login(client, official.user.username, "MatKhau!2026", "10.20.30.40")
    assert r.status_code == 302 and "_auth_user_id" in client.session
    assert LoginFailure.objects.filter(username=official.user.username).count() == 3  # refusals write nothing


@pytest.mark.django_db
def test_one_address_trying_many_usernames_meets_the_looser_limit(client, province, make_staff, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    settings.LOGIN_THROTTLE_ADDRESS_LIMIT = 6
    clerk = make_staff(province["commune_desk"])
    for i in range(6):
        _login(client, f"nguoi-{i}", "sai", "203.0.113.70")
    r = _login(client, clerk.user.username, "MatKhau!2026", "203.0.113.70")
    assert "quá nhiều lần" in r.content.decode()
    assert _login(client, clerk.user.username, "MatKhau!2026", "203.0.113.71").status_code == 302


@pytest.mark.django_db
def test_login_behind_a_trusted_proxy_counts_the_forwarded_client(client, province, make_staff, settings):
    settings.LOGIN_THROTTLE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    clerk = make_staff(province["commune_desk"])
    for _ in range(2):
        client.post(reverse("login"), {"username": clerk.user.username, "password": "sai"},
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    r = client.post(reverse("login"), {"username": clerk.user.username, "password": "MatKhau!2026"},
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert r.status_code == 302  # another citizen behind the same proxy
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"198.51.100.9"}


@pytest.mark.django_db
def test_pages_need_login(client):
    r = client.get(reverse("home"))
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.django_db
def test_landing_page_is_public(client):
    r = client.get("/")
    assert r.status_code == 200 and "Phục Vụ" in r.content.decode()
