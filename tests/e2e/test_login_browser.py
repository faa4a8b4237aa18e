import re

import pytest

from phucvu.core.localtime import TIME_ZONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_and_sees_role_home(page, login, province, make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Nguyễn Thị Lan")
    login(page, clerk.user.username)
    assert page.locator("h1").inner_text().startswith("Xin chào")
    assert "Công chức Một cửa" in page.locator("[data-testid=role-line]").inner_text()
    assert "Tiếp nhận hồ sơ mới" in page.locator("[data-testid=role-duties]").inner_text()
    page.click("nav >> text=Tổ chức")  # the menu group
    page.click("nav >> text=Cơ quan, đơn vị")
    assert "Bộ phận Một cửa phường Hồng Gai" in page.content()
    assert "Móng Cái" not in page.content()  # outside the clerk's commune


def test_password_change_then_logout_then_login_with_the_new_password(page, login, live_server, province,
                                                                      make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Nguyễn Thị Lan")
    login(page, clerk.user.username)
    page.click("nav >> text=Nguyễn Thị Lan")
    page.click("text=Đổi mật khẩu")
    page.fill("#id_old_password", "MatKhau!2026")
    page.fill("#id_new_password1", "MatKhauMoi!2027")
    page.fill("#id_new_password2", "MatKhauMoi!2027")
    page.click("main button[type=submit]")  # not the menu's sign-out button, which is a submit too
    page.wait_for_load_state()
    assert "Đã đổi mật khẩu" in page.content()
    page.click("nav >> text=Nguyễn Thị Lan")
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_url(re.compile(r"/login/"))
    page.goto(f"{live_server.url}/home/")
    assert "/login/" in page.url  # signed out: the workspace asks to sign in again
    login(page, clerk.user.username, "MatKhau!2026")
    assert "không đúng" in page.content()  # the old password no longer works
    login(page, clerk.user.username, "MatKhauMoi!2027")
    assert page.locator("h1").inner_text().startswith("Xin chào")


def test_agency_tree_is_usable_on_a_phone(browser, live_server, province, make_staff):
    leader = make_staff(province["district"], "unit_leader", full_name="Phạm Quốc Hùng")
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE,
                                  viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", leader.user.username)
        page.fill("#id_password", "MatKhau!2026")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.click(".navbar-toggler")  # the menu folds behind the toggler on a phone
        page.wait_for_selector("#pv-nav.show")  # opened (a click during Bootstrap's collapse is lost)
        page.click("#pv-nav >> text=Tổ chức")
        page.wait_for_selector("#pv-nav .dropdown-menu.show")
        page.click("#pv-nav >> text=Cơ quan, đơn vị")
        page.wait_for_url(re.compile(r"/organization/agencies/"))
        # No sideways scrolling of the page itself.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.fill("#q", "bach dang")
        # htmx swaps the rows as one types, without a page load
        page.wait_for_function("!document.querySelector('#agency-rows').innerText.includes('Hồng Gai')")
        assert "Bạch Đằng" in page.locator("#agency-rows").inner_text()
        page.click("#agency-rows >> text=UBND phường Bạch Đằng")
        assert page.locator("h1").inner_text() == "UBND phường Bạch Đằng"
    finally:
        context.close()


def test_language_switch_to_english_on_the_login_page(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.click("#pv-lang")
    with page.expect_navigation():
        page.click("[data-pv-language][value=en]")
    assert page.locator("h1").inner_text() == "Sign in"
