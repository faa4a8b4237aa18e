"""The staff top bar fits a 1366 px laptop on one line in both languages, and a 390 px phone (collapsed)."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("TOP_BAR_SHOTS", "")  # a folder: also save a screenshot of each case


@pytest.fixture
def admin(province, make_staff):
    """The widest menu (every group) and a long name."""
    return make_staff(province["province"], "system_admin", full_name="Nguyễn Thị Phương Thảo Quỳnh")


def bar(page) -> dict:
    return page.evaluate("""() => {
        const nav = document.querySelector('nav.pv-navbar');
        const items = [...nav.querySelectorAll('.nav-link, .navbar-brand')].filter(a => a.offsetParent);
        return {height: nav.getBoundingClientRect().height,
                overflow: Math.max(document.documentElement.scrollWidth - innerWidth, nav.scrollWidth - nav.clientWidth),
                wrapped: items.filter(a => a.getClientRects().length > 1 || a.getBoundingClientRect().height > 48)
                              .map(a => a.textContent.trim()),
                right: Math.max(...items.map(a => a.getBoundingClientRect().right))};
    }""")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("width", [1366, 1200])
def test_the_top_bar_fits_a_laptop_on_one_line(browser, live_server, login, admin, lang, width):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        login(page, admin.user.username)
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page.goto(f"{live_server.url}/home/")
        assert page.locator("#pv-nav").is_visible()  # expanded, not behind the toggler
        state = bar(page)
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"top-bar-{lang}-{width}.png"))
        assert state["overflow"] <= 0 and state["wrapped"] == [] and state["right"] <= width
        assert state["height"] < 64  # one line
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_top_bar_folds_on_a_phone_and_switches_language(browser, live_server, login, admin, lang):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        login(page, admin.user.username)
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page.goto(f"{live_server.url}/home/")
        assert not page.locator("#pv-nav").is_visible()
        page.click(".navbar-toggler")
        page.wait_for_selector("#pv-nav.show")
        page.click("#pv-lang")
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"top-bar-{lang}-390.png"))
        assert bar(page)["overflow"] <= 0
        other = "en" if lang == "vi" else "vi"
        with page.expect_navigation():
            page.click(f"[data-pv-language][value={other}]")
        assert page.evaluate("document.documentElement.lang") == other
    finally:
        context.close()
