"""Inspections in the browser: an inspector opens an inspection from the list, records the draft conclusion
(its clock appears), concludes and verifies a recommendation; an owner answers a recommendation on a phone."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from phucvu.core.localtime import TIME_ZONE
from phucvu.inspections.services import (
    inspection_draft_received,
    inspection_open,
    recommendation_add,
    recommendation_report_done,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("INSPECTION_SHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def case(province, make_staff):
    inspector = make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng")
    owner = make_staff(province["commune"], "specialist", full_name="Nguyễn Thị Chủ Trì")
    member = make_staff(province["district"], "specialist", full_name="Trần Văn Thành Viên")
    i = inspection_open(actor=inspector, organizer=province["dept"], target=province["commune"],
                        topic="Kiểm tra công vụ tại Bộ phận Một cửa phường Hồng Gai", kind="civil_service",
                        decision_number="25/QĐ-SNV", decision_date=dt.date(2026, 11, 2),
                        decision_signer="Giám đốc Sở Nội vụ", scope="Giờ làm việc, niêm yết thủ tục, sổ theo dõi",
                        started_on=dt.date(2026, 11, 3), head=inspector, members=[member])
    return {"inspector": inspector, "owner": owner, "inspection": i, "province": province}


def test_an_inspector_opens_concludes_and_verifies(page, live_server, login, case):
    i = case["inspection"]
    login(page, case["inspector"].user.username)
    page.goto(f"{live_server.url}/inspections/")
    page.click(f"text={i.code}")
    page.wait_for_load_state()
    assert "Trần Văn Thành Viên" in page.locator("#team").inner_text()
    assert "Giám đốc Sở Nội vụ" in page.content()
    page.fill("#d-date", "20/11/2026")
    page.click("#draft-form button[type=submit]")
    page.wait_for_load_state()
    clock = page.locator("#clock").inner_text()
    assert "07/12/2026" in clock  # 20/11 + 15 = Sat 5/12 → Mon 7/12
    page.locator("#recommendations summary").click()
    page.fill("#r-text", "Niêm yết đầy đủ thủ tục hành chính tại Bộ phận Một cửa")
    page.select_option("#r-owner", str(case["owner"].pk))
    page.fill("#r-due", "31/12/2026")
    page.click("#recommend-form button[type=submit]")
    page.wait_for_load_state()
    shot(page, "inspection-draft")
    assert page.locator("#appraisal-missing").is_visible()  # Law 84/2025: appraised before signing
    page.fill("#ap-on", "27/11/2026")
    page.fill("#ap-text", "Thống nhất với dự thảo kết luận; bổ sung căn cứ pháp lý.")
    page.click("#appraise-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#appraisal-missing").count() == 0
    page.fill("#c-date", "01/12/2026")
    page.fill("#c-text", "Bộ phận Một cửa chấp hành cơ bản tốt; niêm yết chưa đầy đủ.")
    page.click("#conclude-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "Đã kết luận"
    assert "đúng hạn" in page.locator("#clock").inner_text()
    page.fill("#p-summary", "Bộ phận Một cửa chấp hành cơ bản tốt.")
    page.click("#redact-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#redacted").is_visible()
    page.click("#publish-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#publication").is_visible()
    shot(page, "inspection-concluded")
    rec = i.recommendations.get()
    recommendation_report_done(actor=case["owner"], recommendation_id=rec.pk, done_on=dt.date(2026, 12, 10),
                               evidence="Đã niêm yết 45 thủ tục; biên bản kiểm tra ngày 10/12/2026")
    page.click("text=Niêm yết đầy đủ thủ tục hành chính")
    page.wait_for_load_state()
    assert "biên bản kiểm tra" in page.locator("#rec-evidence").inner_text()
    page.fill("#v-date", "11/12/2026")
    page.click("#verify-form button.btn-success")
    page.wait_for_load_state()
    assert page.locator("#rec-state").inner_text() == "Đã xác nhận, kết thúc"
    shot(page, "recommendation-verified")


def test_an_owner_answers_a_recommendation_on_a_phone(browser, live_server, login, case):
    i = case["inspection"]
    inspection_draft_received(actor=case["inspector"], inspection_id=i.pk, received_on=dt.date(2026, 11, 20))
    rec = recommendation_add(actor=case["inspector"], inspection_id=i.pk, text="Bổ sung sổ theo dõi hồ sơ",
                             owner=case["province"]["commune"], owner_person=case["owner"],
                             due_on=dt.date(2026, 12, 31))
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE,
                                  viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    try:
        login(phone, case["owner"].user.username)
        phone.goto(f"{live_server.url}/inspections/recommendations/?mine=1")
        phone.click("text=Bổ sung sổ theo dõi hồ sơ")
        phone.wait_for_load_state()
        assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        phone.fill("#a-date", "15/12/2026")
        phone.fill("#a-evidence", "Đã lập sổ theo dõi hồ sơ từ ngày 15/12/2026")
        phone.set_input_files("#a-file", files=[{"name": "so-theo-doi.pdf", "mimeType": "application/pdf",
                                                 "buffer": b"%PDF-1.4\n%%EOF\n"}])
        phone.click("#answer-form button[type=submit]")
        phone.wait_for_load_state()
        assert phone.locator("#rec-state").inner_text() == "Đã thực hiện, chờ xác nhận"
        assert phone.locator("#rec-evidence a").count() == 1
        shot(phone, "recommendation-answered-phone")
    finally:
        context.close()
    rec.refresh_from_db()
    assert rec.state == "done" and rec.evidence_type == "application/pdf"


FITS = """() => { const w = window.innerWidth; const out = [];
  for (const e of document.querySelectorAll('main *')) { const r = e.getBoundingClientRect();
    if (r.right > w + 1 && !e.closest('.table-responsive')) out.push(e.tagName + '.' + e.className); }
  for (const t of document.querySelectorAll('.table-responsive')) if (t.scrollWidth > t.clientWidth + 1) out.push('table');
  return out; }"""


def test_the_lists_read_on_a_phone(browser, live_server, login, case):
    """At 390 px nothing sticks out of the page, no list scrolls sideways, and the text of each row keeps a
    readable width (the other columns fold under it)."""
    i = case["inspection"]
    inspection_draft_received(actor=case["inspector"], inspection_id=i.pk, received_on=dt.date(2026, 11, 20))
    recommendation_add(actor=case["inspector"], inspection_id=i.pk, text="Bổ sung sổ theo dõi hồ sơ",
                       owner=case["province"]["commune"], owner_person=case["owner"], due_on=dt.date(2026, 12, 31))
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE,
                                  viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    try:
        login(phone, case["inspector"].user.username)
        for url, cell, width in (
                ("/inspections/", "#inspections tbody tr:first-child td:nth-child(2)", 150),
                ("/inspections/recommendations/", "tbody tr:first-child td:first-child", 250),
                ("/inspections/relations/", "#relations tbody tr:first-child td:first-child", 150),
                ("/inspections/plans/", "#plans tbody tr:first-child td:first-child", 150)):
            phone.goto(f"{live_server.url}{url}")
            assert phone.evaluate(FITS) == [], url
            assert phone.locator(cell).bounding_box()["width"] >= width, url
        shot(phone, "recommendations-phone")
    finally:
        context.close()
