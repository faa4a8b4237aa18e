"""In a browser: a leader sends their own score sheet and reads where the unit's part of their result points came
from; a cadre goes from their page to their awards; Home Affairs reads the awards of a unit — at 1366 and 390 px.
Screenshots go to the test's temporary folder (look at them when changing these pages)."""

from __future__ import annotations

import datetime as dt

import pytest

from phucvu.core.localtime import TIME_ZONE
from phucvu.discipline.services.emulation import award_record, campaign_create
from phucvu.discipline.services.evaluation import GENERAL_CRITERIA, score_sheet_open

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0, "sideways scroll"


def _page(browser, width):
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE, viewport={"width": width, "height": 900},
                                  is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize("width", [1366, 390])
def test_a_leader_reads_where_the_unit_part_of_their_points_came_from(browser, live_server, login, led_unit,
                                                                      tmp_path, width):
    leader = led_unit["leader"]
    sheet = score_sheet_open(actor=leader, staff=leader, year=2026, kind="month", number=3)
    context, page = _page(browser, width)
    try:
        login(page, leader.user.username)
        page.goto(f"{live_server.url}/discipline/evaluation/sheets/{sheet.pk}/")
        block = page.locator("#leader-results").inner_text()
        assert "Bùi Văn Yếu" in block and "2/2" in block and "1/2" in block
        for key, _label, maximum in GENERAL_CRITERIA:
            page.fill(f"#self-{key}", str(maximum))
        page.click("#send-self")
        page.wait_for_load_state()
        # No items of his own: (unit 50 % + organising 50 %) ÷ 2 × 70 = 35.
        assert page.locator("#results").inner_text() == "35,00"
        assert page.locator("#unit-share").inner_text().count("50") >= 1
        page.click("#leader-results >> text=Bùi Văn Yếu")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Bùi Văn Yếu"
        page.go_back()
        page.wait_for_load_state()
        no_sideways_scroll(page)
        page.screenshot(path=str(tmp_path / f"leader-sheet-{width}.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_cadre_finds_their_awards_and_home_affairs_those_of_a_unit(browser, live_server, login, province,
                                                                    make_staff, tmp_path, width):
    city = make_staff(province["district"], "unit_leader", full_name="Phạm Quốc Hùng")
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Đào Thị Hạnh")
    hr = make_staff(province["province"], "hr_officer", full_name="Phan Thị Nội Vụ")
    contest = campaign_create(actor=city, agency=province["district"], kind="contest",
                              name="Hội thi CB,CC,VC chung tay cải cách hành chính", launched_on=dt.date(2017, 3, 1))
    award_record(actor=city, campaign=contest, staff=clerk, form="giay_khen", decision_number="1520/QĐ-UBND",
                 decided_on=dt.date(2017, 6, 25), reason="Giải Nhất hội thi")
    award_record(actor=city, campaign=None, on_behalf_of=province["district"], agency=province["commune"],
                 form="tap_the_lao_dong_tien_tien", decision_number="88/QĐ-UBND", decided_on=dt.date(2018, 1, 10))
    context, page = _page(browser, width)
    try:
        login(page, clerk.user.username)
        page.goto(f"{live_server.url}/discipline/staff/{clerk.pk}/")
        page.click("#staff-awards a")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Khen thưởng của Đào Thị Hạnh"
        table = page.locator("#awards").inner_text()
        assert "1520/QĐ-UBND" in table or width < 500 and "Giấy khen" in table
        assert "88/QĐ-UBND" not in table
        no_sideways_scroll(page)
        page.screenshot(path=str(tmp_path / f"awards-cadre-{width}.png"), full_page=True)
        context.clear_cookies()
        login(page, hr.user.username)
        page.goto(f"{live_server.url}/discipline/emulation/awards/")
        page.select_option("#agency", str(province["commune"].pk))
        page.fill("#q", "lao dong tien tien")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_load_state()
        assert "UBND phường Hồng Gai" in page.locator("h1").inner_text()
        table = page.locator("#awards").inner_text()
        assert "Tập thể lao động tiên tiến" in table and "Giấy khen" not in table
        with page.expect_download() as download:
            page.click("#awards-csv")
        assert download.value.suggested_filename == "khen-thuong.csv"
        no_sideways_scroll(page)
        page.screenshot(path=str(tmp_path / f"awards-unit-{width}.png"), full_page=True)
    finally:
        context.close()
