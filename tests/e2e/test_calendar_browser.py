"""The calendar page in a browser: a clerk reads the year, an admin adds a make-up Saturday."""

import pytest

from phucvu.workcalendar.services import calendar_seed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_sees_the_year_and_adds_a_make_up_saturday(page, login, live_server, province, make_staff):
    calendar_seed()  # transactional tests flush the rows the migration seeded
    admin = make_staff(province["province"], "system_admin", full_name="Trần Văn Quản")
    login(page, admin.user.username)
    page.click("nav >> text=Tổ chức")
    page.click("nav >> text=Lịch làm việc")
    page.goto(f"{live_server.url}/workcalendar/?year=2025")
    assert page.locator('td[data-date="2025-04-26"]').get_attribute("data-kind") == "workday"
    assert page.locator('td[data-date="2025-01-29"]').get_attribute("data-kind") == "holiday"
    assert "Khác với năm 2024" in page.locator("#differences").inner_text()

    page.fill("#id_day", "2025-03-08")
    page.select_option("#id_kind", "workday")
    page.fill("#id_name", "Làm bù thử nghiệm")
    page.click("#add-day button[type=submit]")
    page.wait_for_load_state()
    assert "Đã lưu ngày 08/03/2025" in page.content()
    assert page.locator('td[data-date="2025-03-08"]').get_attribute("data-kind") == "workday"

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: months stack, nothing overflows
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path="/tmp/calendar_phone.png", full_page=False)


def test_clerk_searches_the_days_of_the_year(page, login, live_server, province, make_staff):
    calendar_seed()
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    login(page, clerk.user.username)
    page.goto(f"{live_server.url}/workcalendar/?year=2025")
    assert page.locator("#add-day").count() == 0
    page.fill("#q", "gio to")
    page.press("#q", "Enter")  # htmx swaps the rows in; without htmx the form reloads the page filtered
    page.wait_for_function("!document.querySelector('#day-rows').innerText.includes('Tết Dương lịch')")
    assert "Giỗ Tổ Hùng Vương" in page.locator("#day-rows").inner_text()
