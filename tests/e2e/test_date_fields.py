"""Dates read and typed as dd/mm/yyyy in a Vietnamese browser (and on English pages), whatever format the
browser draws its own date input in; forms and URLs still carry yyyy-mm-dd."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("DATE_SHOTS", "")


@pytest.fixture
def leader(province, make_staff):
    return make_staff(province["province"], "unit_leader")


def test_the_report_filter_shows_and_takes_day_month_year(page, live_server, login, leader):
    login(page, leader.user.username)
    page.goto(f"{live_server.url}/reports/06/?from=2017-03-01&to=2017-03-31")
    field = page.locator("#f-from")
    assert field.get_attribute("type") == "text" and field.input_value() == "01/03/2017"
    assert page.locator("#f-to").input_value() == "31/03/2017"
    assert field.get_attribute("placeholder") == "dd/mm/yyyy"
    assert page.get_by_role("button", name="Chọn ngày").count() == 2
    assert page.locator("label[for=f-from]").inner_text() == "Từ ngày"  # the label names the visible field
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "date-fields-vi.png"))
    field.fill("15/03/2017")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    assert "from=2017-03-15" in page.url and "to=2017-03-31" in page.url
    assert page.locator("#f-from").input_value() == "15/03/2017"


def test_an_impossible_date_is_refused_in_vietnamese_before_sending(page, live_server, login, leader):
    login(page, leader.user.username)
    page.goto(f"{live_server.url}/reports/06/?from=2017-03-01&to=2017-03-31")
    page.fill("#f-from", "31/02/2017")
    assert page.evaluate("document.querySelector('#f-from').validity.valid") is False
    assert "31/07/2017" in page.evaluate("document.querySelector('#f-from').validationMessage")
    page.click("form[role=search] button[type=submit]")
    assert "from=2017-03-01" in page.url  # the browser did not send the form


def test_english_pages_write_dates_day_first_too(page, live_server, login, leader):
    login(page, leader.user.username)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/reports/?from=2017-03-01&to=2017-03-31")
    assert page.locator("#f-from").input_value() == "01/03/2017"
    assert page.get_by_role("button", name="Choose a date").count() == 2


def test_picking_from_the_calendar_writes_the_day_back_and_htmx_filters_send_iso(page, live_server, login,
                                                                                 province, make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    login(page, clerk.user.username)
    page.goto(f"{live_server.url}/dossiers/")
    # What the browser's picker does when a day is chosen: the hidden date input changes.
    with page.expect_request(lambda r: "from=2026-03-02" in r.url):
        page.evaluate("""() => { const native = document.querySelector('#from-iso');
                                 native.value = '2026-03-02';
                                 native.dispatchEvent(new Event('change', {bubbles: true})); }""")
    assert page.locator("#from").input_value() == "02/03/2026"
    # Typing works as well, day first or ISO; the list is asked for with yyyy-mm-dd.
    with page.expect_request(lambda r: "to=2026-03-20" in r.url):
        page.fill("#to", "20/3/2026")
        page.locator("#to").blur()
    assert page.locator("#to").input_value() == "20/03/2026"
