from pathlib import Path

import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


@pytest.mark.django_db
def test_switching_to_english_shows_english_on_the_login_page(client):
    vietnamese = client.get(reverse("login")).content.decode()
    assert "Tên đăng nhập" in vietnamese and 'lang="vi"' in vietnamese
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    english = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in english
    assert "Username" in english and "Password" in english and "Sign in" in english
    assert "Tên đăng nhập" not in english


@pytest.mark.django_db
def test_english_login_errors_and_role_names(client, province, make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    bad = client.post(reverse("login"), {"username": clerk.user.username, "password": "sai"}).content.decode()
    assert "Wrong username or password." in bad
    client.force_login(clerk.user)
    home = client.get(reverse("home")).content.decode()
    assert "One-stop desk clerk" in home and "First things to do" in home


def test_english_catalogue_is_complete_and_compiled():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert (LOCALE / "django.mo").stat().st_mtime >= 0  # committed: CI needs no gettext
    blocks = po.split("\n\n")[1:]
    untranslated = [b for b in blocks if 'msgstr ""' in b and "msgstr \"\"\n\"" not in b and "#~" not in b
                    and "msgid_plural" not in b]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in po.split("\n\n", 1)[1]
