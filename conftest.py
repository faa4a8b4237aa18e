"""Fixtures shared by every app's tests: a small province, staff of each role, and a browser."""

from __future__ import annotations

import os
import shutil

import pytest
from django.test import override_settings
from django.utils import translation
from playwright.sync_api import sync_playwright

from phucvu.organization.services import agency_create, staff_create
from phucvu.workcalendar.models import CalendarDay
from phucvu.workcalendar.services import calendar_seed

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """Files a test stores (uploaded papers, result documents, the demo's decisions) go to a temporary
    MEDIA_ROOT, not var/media — for the whole session, so module-scoped builds (the demo) use it too."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture
def province(db):
    """Province → department, center, district → 2 communes each with a desk; another district."""
    p = agency_create(code="T22", name="UBND tỉnh Quảng Ninh", kind="province", electronic_id="000.00.00.H41")
    tree = {"province": p}
    tree["dept"] = agency_create(code="SNV", name="Sở Nội vụ", kind="department", parent=p,
                                 electronic_id="000.00.12.H41")
    tree["center"] = agency_create(code="TTHCC", name="Trung tâm Phục vụ hành chính công tỉnh", kind="center",
                                   parent=p, electronic_id="000.00.50.H41")
    tree["district"] = agency_create(code="H193", name="UBND thành phố Hạ Long", kind="district", parent=p,
                                     electronic_id="000.00.21.H41")
    tree["district_center"] = agency_create(code="H193-TT", name="Trung tâm HCC thành phố Hạ Long",
                                            kind="center", parent=tree["district"], electronic_id="000.21.50.H41")
    tree["commune"] = agency_create(code="X06652", name="UBND phường Hồng Gai", kind="commune",
                                    parent=tree["district"], electronic_id="000.21.01.H41")
    tree["commune_desk"] = agency_create(code="X06652-MC", name="Bộ phận Một cửa phường Hồng Gai", kind="desk",
                                         parent=tree["commune"])
    tree["commune2"] = agency_create(code="X06655", name="UBND phường Bạch Đằng", kind="commune",
                                     parent=tree["district"], electronic_id="000.21.02.H41")
    tree["district2"] = agency_create(code="H194", name="UBND thành phố Móng Cái", kind="district", parent=p,
                                      electronic_id="000.00.22.H41")
    tree["commune3"] = agency_create(code="X06700", name="UBND phường Ka Long", kind="commune",
                                     parent=tree["district2"], electronic_id="000.22.01.H41")
    return tree


@pytest.fixture
def make_staff(db):
    counter = {"n": 0}

    def make(agency, role="desk_clerk", *, password="MatKhau!2026", full_name=None, **extra):
        counter["n"] += 1
        return staff_create(username=f"u{counter['n']}_{role}", password=password,
                            full_name=full_name or f"Nguyễn Văn Cán Bộ {counter['n']}", agency=agency, role=role,
                            **extra)

    return make


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium không có tại {CHROMIUM}: CI không được bỏ qua kiểm thử trình duyệt.")
        pytest.skip(f"Bỏ qua kiểm thử trình duyệt: không có Chromium tại {CHROMIUM} (cài gói Debian 'chromium').")
    # Playwright's sync API runs an event loop in this thread; Django's live server runs in another.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
        # Playwright's wait_for_function and evaluate of a string run eval() in the page, which our
        # Content-Security-Policy forbids: tests' contexts bypass it by default (the page's own scripts need no
        # eval; tests/e2e/test_content_security_policy.py walks the pages with the policy enforced).
        new_context = instance.new_context

        def new_context_bypassing_csp(**options):
            options.setdefault("bypass_csp", True)
            return new_context(**options)

        instance.new_context = new_context_bypassing_csp
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def login(live_server):
    def do_login(page, username: str, password: str = "MatKhau!2026"):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return do_login


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware activates, nothing resets):
    the next test calling a service directly would read its messages in English."""
    yield
    translation.deactivate()  # back to settings.LANGUAGE_CODE


@pytest.fixture(autouse=True)
def _calendar_rows_after_flush(request):
    """Transactional tests flush every table when they end, the calendar rows the migration seeded
    included; give the next transactional test its national calendar back (the seed is idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if not transactional:
        return
    request.getfixturevalue("transactional_db")

    if not CalendarDay.objects.exists():
        calendar_seed()
