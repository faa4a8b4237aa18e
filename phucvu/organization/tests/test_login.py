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


@pytest.mark.django_db
def test_pages_need_login(client):
    r = client.get(reverse("home"))
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.django_db
def test_landing_page_is_public(client):
    r = client.get("/")
    assert r.status_code == 200 and "Phục Vụ" in r.content.decode()
