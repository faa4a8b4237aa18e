"""In a browser (1366 and 390 px): the personnel office publishes the year's commitment and a cadre signs it;
a leader records a breach with evidence, the cadre explains, the leader decides, and the personnel office
opens the discipline case from it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone

from phucvu.core.localtime import TIME_ZONE
from phucvu.discipline.models import Commitment, DisciplineCase, Violation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SHOTS = Path(os.environ.get("PHUCVU_SCREENSHOTS", "var/screenshots"))


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0, "sideways scroll"


@pytest.mark.parametrize("width", [1366, 390])
def test_commitment_breach_and_case_from_it(browser, live_server, login, province, make_staff, tmp_path, width):
    hr = make_staff(province["district"], "hr_officer", full_name="Phan Thị Nội Vụ")
    leader = make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh")
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Đào Thị Hạnh", category="CC")
    make_staff(province["commune_desk"], "desk_clerk", full_name="Vũ Văn Chưa Ký")
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(PDF)
    SHOTS.mkdir(parents=True, exist_ok=True)
    year = timezone.localdate().year

    def new_page():
        context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE,
                                      viewport={"width": width, "height": 900}, is_mobile=width < 500)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return context, page

    context, page = new_page()
    try:  # the personnel office publishes the commitment
        login(page, hr.user.username)
        page.goto(f"{live_server.url}/discipline/commitments/")
        page.click("summary:has-text('Ban hành bản cam kết')")
        page.fill("#agency", "H193")
        page.fill("#title", f"Cam kết kỷ luật, kỷ cương năm {year}")
        page.fill("#body", "1. Chấp hành giờ giấc.\n2. Không gây phiền hà cho công dân.")
        page.click("#publish")
        page.wait_for_load_state()
        assert "phiên bản 1" in page.locator("#text-version").inner_text()
        assert "Vũ Văn Chưa Ký" in page.locator("#people").inner_text()
        no_sideways_scroll(page)
        page.screenshot(path=str(SHOTS / f"commitment-{width}.png"), full_page=True)
    finally:
        context.close()

    context, page = new_page()
    try:  # the cadre signs it
        login(page, clerk.user.username)
        page.goto(f"{live_server.url}/discipline/commitments/")
        assert "Không gây phiền hà" in page.locator("#my-commitment").inner_text()
        page.click("#sign")
        page.wait_for_load_state()
        assert "Đã ký ngày" in page.locator("#my-signature").inner_text()
        no_sideways_scroll(page)
        assert Commitment.objects.filter(staff=clerk).count() == 1
    finally:
        context.close()

    context, page = new_page()
    try:  # a leader records a breach with evidence
        login(page, leader.user.username)
        page.goto(f"{live_server.url}/discipline/")
        page.click("#new-violation")
        page.fill("#username", clerk.user.username)
        page.select_option("#kind", "behaviour")
        page.fill("#occurred_on", timezone.localdate().isoformat())
        page.select_option("#source_kind", "complaint")
        page.fill("#description", "Lớn tiếng với công dân tại quầy")
        page.set_input_files("#evidence", str(evidence))
        page.click("#record-violation")
        page.wait_for_load_state()
        assert "bien-ban.pdf" in page.locator("#evidence-list").inner_text()
        no_sideways_scroll(page)
    finally:
        context.close()
    violation = Violation.objects.get()

    context, page = new_page()
    try:  # the cadre explains
        login(page, clerk.user.username)
        page.goto(f"{live_server.url}/discipline/breaches/{violation.pk}/")
        page.fill("#explanation-text", "Công dân chen ngang, tôi đã xin lỗi ngay.")
        page.click("#send-explanation")
        page.wait_for_load_state()
        assert "chen ngang" in page.locator("#explanation").inner_text()
    finally:
        context.close()

    context, page = new_page()
    try:  # the personnel office concludes and opens the case from the breach
        login(page, hr.user.username)
        page.goto(f"{live_server.url}/discipline/breaches/{violation.pk}/")
        page.select_option("#decision-choice", "discipline")
        page.fill("#decision_note", "Đề nghị xem xét kỷ luật khiển trách")
        page.click("#decide")
        page.wait_for_load_state()
        no_sideways_scroll(page)
        page.screenshot(path=str(SHOTS / f"breach-{width}.png"), full_page=True)
        page.click("#open-case")
        page.wait_for_load_state()
        assert page.locator("#username").input_value() == clerk.user.username
        page.select_option("#form", "khien_trach")
        page.click("#open-case")
        page.wait_for_load_state()
        case = DisciplineCase.objects.get()
        assert case.violation == violation and page.locator("#decision-due").is_visible()
    finally:
        context.close()
