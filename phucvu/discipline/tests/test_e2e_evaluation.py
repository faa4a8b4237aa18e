"""In a browser: a cadre fills a score sheet and the leader finishes it; Home Affairs reads the grades — at
1366 and 390 px, in Vietnamese and in English."""

from __future__ import annotations

from decimal import Decimal

import pytest

from phucvu.core.localtime import TIME_ZONE
from phucvu.discipline.models import ScoreSheet, SheetStatus
from phucvu.discipline.services.evaluation import GENERAL_CRITERIA, score_import_save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0, "sideways scroll"


@pytest.mark.parametrize("width", [1366, 390])
def test_a_cadre_fills_a_score_sheet_and_the_leader_finishes_it(browser, live_server, login, province, make_staff,
                                                                width):
    clerk = make_staff(province["commune"], "desk_clerk", full_name="Đào Thị Hạnh")
    leader = make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh")
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE, viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, clerk.user.username)
        page.goto(f"{live_server.url}/discipline/evaluation/")
        page.click("#open-sheet")
        page.wait_for_load_state()
        for key, _label, maximum in GENERAL_CRITERIA:
            page.fill(f"#self-{key}", str(maximum if key != "innovation" else 8))
        page.fill("#item-0-name", "Tiếp nhận hồ sơ một cửa")
        for field, value in [("assigned", "10"), ("done", "8"), ("to_standard", "6"), ("on_time", "4")]:
            page.fill(f"input[name='item-0-{field}']", value)
        no_sideways_scroll(page)
        page.click("#send-self")
        page.wait_for_load_state()
        assert page.locator("#results").inner_text() == "42,00"
        assert page.locator("#sheet-status").inner_text() == "Chờ lãnh đạo chấm"
        context.clear_cookies()
        login(page, leader.user.username)
        sheet = ScoreSheet.objects.get()
        page.goto(f"{live_server.url}/discipline/evaluation/sheets/{sheet.pk}/")
        page.fill("#manager-innovation", "7")
        page.click("#send-manager")
        page.wait_for_load_state()
        assert page.locator("#total").inner_text() == "69,00"
        assert ScoreSheet.objects.get().status == SheetStatus.FINAL
        no_sideways_scroll(page)
    finally:
        context.close()


@pytest.mark.parametrize(("width", "lang"), [(1366, "vi"), (390, "vi"), (1366, "en"), (390, "en")])
def test_home_affairs_reads_the_grades(browser, live_server, login, province, make_staff, width, lang):
    hr = make_staff(province["dept"], "hr_officer", full_name="Phan Thị Nội Vụ")
    for n, (general, results) in enumerate([(28, 65), (22, 55), (22, 50)]):
        staff = make_staff(province["commune"], "specialist", full_name=f"Cán Bộ Số {n}")
        for month in range(1, 13):
            score_import_save(staff=staff, year=2026, kind="month", number=month, general=Decimal(general),
                              results=Decimal(results))
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE, viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, hr.user.username)
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page.goto(f"{live_server.url}/discipline/evaluation/grades/?year=2026")
        assert page.evaluate("document.documentElement.lang") == lang
        table = page.locator("#grade-table").inner_text()
        assert "UBND phường Hồng Gai" in table
        assert ("Ai cũng tốt" if lang == "vi" else "Everyone good") in table
        no_sideways_scroll(page)
        page.click("text=UBND phường Hồng Gai")
        page.wait_for_load_state()
        ranking = page.locator("#ranking").inner_text()
        assert "Cán Bộ Số 0" in ranking and ("93,00" if lang == "vi" else "93.00") in ranking
        assert page.locator("#quota-binds").count() == 1
        no_sideways_scroll(page)
    finally:
        context.close()
