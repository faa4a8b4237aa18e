"""Django's bare error pages are replaced by the house layout, in Vietnamese and in English; the 500 page
renders without the database or the request's context."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

import phucvu
from phucvu.core import error_pages

pytestmark = pytest.mark.urls("phucvu.core.tests.error_urls")

HOUSE = ['class="navbar navbar-expand', "pv-navbar", 'rel="icon"', "Phục Vụ", 'id="error-title"']


def get(client: Client, url: str, lang: str = "vi"):
    client.cookies["django_language"] = lang
    return client.get(url)


def assert_house_layout(html: str) -> None:
    for piece in HOUSE:
        assert piece in html, piece


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "title"), [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_an_unknown_address_gets_the_house_404(client, lang, title):
    response = get(client, "/khong-co-trang-nay/", lang)
    html = response.content.decode()
    assert response.status_code == 404
    assert_house_layout(html)
    assert title in html and f'<html lang="{lang}">' in html
    assert "Resolver404" not in html and "khong-co-trang-nay" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_the_404_and_403_pages_say_why_the_code_refused(client, make_staff, province):
    client.force_login(make_staff(province["commune_desk"], "desk_clerk").user)
    missing = get(client, "/thu/mat/")
    assert missing.status_code == 404 and "Biểu mẫu này không áp dụng cho hồ sơ." in missing.content.decode()
    refused = get(client, "/thu/cam/", "en")
    html = refused.content.decode()
    assert refused.status_code == 403 and "Access denied" in html
    assert "Hồ sơ thuộc đơn vị ngoài phạm vi của bạn." in html
    assert_house_layout(html)
    assert "Workspace" in html  # the signed-in user's menu is there


@pytest.mark.parametrize(("lang", "title"), [("vi", "Hệ thống gặp lỗi"), ("en", "Something went wrong")])
def test_a_failure_gets_the_house_500_without_touching_the_database(lang, title):
    """No `db` fixture: any query (a context processor reading the user, the menu) would fail this test."""
    client = Client(raise_request_exception=False)
    response = get(client, "/thu/loi/", lang)
    html = response.content.decode()
    assert response.status_code == 500
    assert_house_layout(html)
    assert title in html and f'<html lang="{lang}">' in html
    assert "set_language" not in html and 'id="pv-lang"' not in html  # no form needing a CSRF token


def test_the_500_page_falls_back_to_plain_words_when_the_layout_fails(monkeypatch):
    def broken(name):
        raise RuntimeError("the templates are gone")

    monkeypatch.setattr(error_pages.loader, "get_template", broken)
    response = error_pages.server_error(None)
    text = response.content.decode()
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in text and "The system failed" in text


@pytest.mark.parametrize("asset", ["img/favicon.ico", "img/favicon.svg", "img/apple-touch-icon.png"])
def test_the_icons_are_served_as_static_files(asset):
    assert finders.find(asset)


def test_favicon_ico_at_the_root_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.ico")


@pytest.mark.django_db
def test_every_page_names_the_icon(client):
    for url in ("/", "/login/", "/portal/", "/reports/cong-khai/"):
        html = client.get(url).content.decode()
        assert re.search(r'<link rel="icon" href="[^"]*img/favicon\.svg" type="image/svg\+xml">', html), url


def test_every_html_page_template_includes_the_icons():
    """Every template that starts an HTML page (not the printed forms: PDF documents) links the icons."""
    root = Path(phucvu.__file__).parent
    printed = {"dossiers/forms/_base.html", "reports/form06_pdf.html", "discipline/pdf/sheet.html",
               "discipline/pdf/year.html"}
    pages = [p for p in root.rglob("templates/**/*.html") if "<html" in p.read_text(encoding="utf-8")
             and not any(str(p).endswith(x) for x in printed)]
    assert pages and all('{% include "_icons.html" %}' in p.read_text(encoding="utf-8") for p in pages)
