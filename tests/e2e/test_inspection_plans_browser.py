"""Inspections in the browser, continued: an inspector plans the year (a risk proposal in one step), the head
approves, an amendment shows its difference, the planned inspection is decided from its item; a team member
does a civil-service check at the desk on a phone, with a photo."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from phucvu.core.localtime import TIME_ZONE
from phucvu.inspections.services import inspection_open
from phucvu.portal.services import feedback_submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("INSPECTION_SHOTS", "")
JPG = b"\xff\xd8\xff\xe0" + b"0" * 256


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_an_inspector_plans_the_head_approves_and_the_item_is_decided(browser, page, live_server, login, province,
                                                                       make_staff):
    inspector = make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng")
    head = make_staff(province["dept"], "unit_leader", full_name="Giám Đốc Sở Nội Vụ")
    now = dt.datetime.now(dt.UTC)
    for n in range(3):
        feedback_submit(name="Trần Văn Dân", subject=f"Trả kết quả chậm {n}", content="Hồ sơ trễ hẹn",
                        agency_id=province["commune2"].pk, phone="0912345678", at=now - dt.timedelta(days=10 + n))
    year = now.year + 1
    login(page, inspector.user.username)
    page.goto(f"{live_server.url}/inspections/plans/")
    page.locator("summary", has_text="Lập kế hoạch mới").click()
    page.fill("#pl-year", str(year))
    page.click("#plan-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#plan-state").inner_text() == "Dự thảo"
    page.locator("#item-add summary").click()
    page.fill("#it-topic", "Kiểm tra công vụ tại Bộ phận Một cửa phường Hồng Gai")
    page.select_option("#it-target", str(province["commune"].pk))
    page.select_option("#it-when", "q1")
    page.select_option("#it-kind", "civil_service")
    page.click("#item-form button[type=submit]")
    page.wait_for_load_state()
    proposal = page.locator("#proposals li", has_text="UBND phường Bạch Đằng")
    assert "3 phản ánh" in proposal.inner_text()
    proposal.locator("button").click()
    page.wait_for_load_state()
    assert "Theo rủi ro" in page.locator("#items").inner_text()
    shot(page, "plan-draft")

    page.context.clear_cookies()
    login(page, head.user.username)
    page.goto(f"{live_server.url}/inspections/plans/")
    shot(page, "plans-head")
    page.click("#plans a")
    page.fill("#ap-number", "150/QĐ-SNV")
    page.click("#approve-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#plan-state").inner_text() == "Đã phê duyệt"
    plan_url = page.url

    page.context.clear_cookies()
    login(page, inspector.user.username)
    page.goto(plan_url)
    page.fill("#am-reason", "Bổ sung theo chỉ đạo của UBND tỉnh")
    page.click("#amend-form button[type=submit]")
    page.wait_for_load_state()
    page.locator("#item-add summary").click()
    page.fill("#it-topic", "Thanh tra việc giải quyết thủ tục đất đai")
    page.select_option("#it-target", str(province["district"].pk))
    page.select_option("#it-when", "m5")
    page.click("#item-form button[type=submit]")
    page.wait_for_load_state()

    page.context.clear_cookies()
    login(page, head.user.username)
    page.goto(plan_url)
    page.fill("#ap-number", "40/QĐ-SNV")
    page.click("#approve-form button[type=submit]")
    page.wait_for_load_state()
    diff = page.locator("#version-2").inner_text()
    assert "Thêm" in diff and "Thanh tra việc giải quyết thủ tục đất đai" in diff
    assert "Bổ sung theo chỉ đạo" in diff
    shot(page, "plan-versions")

    page.context.clear_cookies()
    login(page, inspector.user.username)
    page.goto(plan_url)
    page.locator("#items tr", has_text="Kiểm tra công vụ tại Bộ phận").locator("text=Ra quyết định").click()
    page.wait_for_load_state()
    page.fill("#o-number", "25/QĐ-SNV")
    page.fill("#o-signer", "Giám đốc Sở Nội vụ")
    page.select_option("#o-head", str(inspector.pk))
    page.click("#open-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "Đang tiến hành"
    assert "25/QĐ-SNV" in page.locator("#decision").inner_text()
    page.goto(plan_url)
    assert "SNV-" in page.locator("#items").inner_text()


def test_a_civil_service_check_at_the_desk_on_a_phone(browser, live_server, login, province, make_staff):
    inspector = make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng")
    member = make_staff(province["district"], "specialist", full_name="Trần Thành Viên")
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Lê Thị Một Cửa")
    today = timezone.localdate()
    i = inspection_open(actor=inspector, organizer=province["dept"], target=province["commune"],
                        topic="Kiểm tra công vụ đột xuất tại Bộ phận Một cửa", kind="civil_service",
                        decision_number="31/QĐ-SNV", decision_date=today, started_on=today, head=inspector,
                        members=[member])
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    try:
        login(phone, member.user.username)
        phone.goto(f"{live_server.url}/inspections/{i.pk}/")
        phone.click("#open-checklist")
        phone.wait_for_load_state()
        assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        card = phone.locator("#item-working_hours")
        card.locator("label", has_text="Đạt").first.click()
        card.locator("button[type=submit]").click()
        phone.wait_for_load_state()
        card = phone.locator("#item-uniform_badge")
        card.locator("label", has_text="Không đạt").click()
        card.locator("textarea").fill("Một công chức không đeo thẻ")
        card.locator("select").select_option(str(clerk.pk))
        card.locator("input[type=file]").set_input_files(
            files=[{"name": "the.jpg", "mimeType": "image/jpeg", "buffer": JPG}])
        card.locator("button[type=submit]").click()
        phone.wait_for_load_state()
        card = phone.locator("#item-uniform_badge")
        assert card.locator(".result").inner_text() == "Không đạt"
        assert card.locator("a", has_text="Ảnh").count() == 1
        assert "Đã ghi 2/6" in phone.locator("#progress").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        shot(phone, "civil-service-check-phone")
    finally:
        context.close()
    assert i.checks.get(item="uniform_badge").cadre == clerk
