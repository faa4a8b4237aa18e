"""In a browser: the personnel office runs a discipline case to its decision (1366 and 390 px)."""

from __future__ import annotations

import pytest

from phucvu.core.localtime import TIME_ZONE
from phucvu.discipline.models import CaseStatus, DisciplineCase
from phucvu.workcalendar.services import calendar_seed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_personnel_office_runs_a_case_to_its_decision(browser, live_server, login, province, make_staff, width):
    calendar_seed(first_year=2025, last_year=2027)
    hr = make_staff(province["dept"], "hr_officer", full_name="Phan Thị Nội Vụ")
    clerk = make_staff(province["commune"], "desk_clerk", full_name="Đào Thị Hạnh", category="CC")
    members = [make_staff(province["district"], "specialist", full_name=f"Thành Viên {n}") for n in range(3)]
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE,
                                  viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15_000)

    def step(action: str, on: str, **fields: str) -> None:
        page.select_option("#action", action)
        page.fill("#on", on)
        for name, value in fields.items():
            page.fill(f"#{name}", value)
        page.click("#record-step")
        page.wait_for_load_state()
        assert page.locator("#case-error").count() == 0, page.locator("#case-error").inner_text()

    try:
        login(page, hr.user.username)
        page.goto(f"{live_server.url}/discipline/cases/")
        page.click("#new-case")
        page.fill("#username", clerk.user.username)
        page.select_option("#form", "canh_cao")
        page.fill("#violation_ended", "2026-02-10")
        page.fill("#discovered", "2026-03-02")
        page.click("#open-case")
        page.wait_for_load_state()
        assert page.locator("#decision-due").inner_text() == "01/06/2026"
        assert page.locator("#limitation-ends").inner_text() == "11/02/2036"
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0, "sideways scroll"
        page.fill("#pause-on", "2026-03-10")
        page.fill("#pause-until", "2026-03-19")
        page.fill("#pause-note", "Ốm nặng, điều trị nội trú")
        page.click("#record-pause")
        page.wait_for_load_state()
        assert page.locator("#decision-due").inner_text() == "10/06/2026"
        step("review_meeting", "2026-03-05", note="Biên bản họp kiểm điểm")
        assert "17/03/2026" in page.locator("#next-step").inner_text()
        step("council_formed", "2026-03-12", council=",".join(m.user.username for m in members))
        step("summons", "2026-03-13")
        step("council_meeting", "2026-03-20", votes_for="3", votes_against="0")
        step("recommendation", "2026-03-25")
        step("decision", "2026-03-30", decision_number="15/QĐ-UBND", effective_from="2026-04-01")
        assert page.locator("#case-status").inner_text() == "Đã quyết định kỷ luật"
        assert page.locator("#steps li").count() == 7
        assert DisciplineCase.objects.get().status == CaseStatus.DECIDED
        page.goto(f"{live_server.url}/discipline/cases/")
        assert "Đào Thị Hạnh" in page.locator("#case-table").inner_text()
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page.click("text=Đào Thị Hạnh")
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("#case-status").inner_text() == "Sanction decided"
        assert "Time limit (to the decision)" in page.locator("#clocks").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0, "sideways scroll"
    finally:
        context.close()
