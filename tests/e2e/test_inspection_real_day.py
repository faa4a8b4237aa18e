"""A day of inspection on the demo data, in a browser, as its people do it: the provincial inspector reads
what needs looking at now, decides a surprise check of Hồng Gai ward with a team from the inspectorate,
records the draft conclusion, its appraisal and the conclusion with a recommendation to the ward's chairman;
the chairman answers it on his phone; the inspector verifies it; the seed's counts per organising agency.
`INSPECTION_DAY_SHOTS=DIR` keeps the screenshots."""

from __future__ import annotations

import datetime as dt

import pytest

from phucvu.core.localtime import TIME_ZONE, today
from phucvu.inspections.models import Inspection

from .demo_day import PASSWORD, as_user, build_demo, shooter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOPIC = "Kiểm tra đột xuất việc giải quyết hồ sơ trễ hạn tại UBND phường Hồng Gai"
ADVICE = "Xin lỗi bằng văn bản người dân có hồ sơ trễ hạn; báo cáo kết quả về Thanh tra tỉnh"


shot = shooter("INSPECTION_DAY_SHOTS")


def vn(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def option(page, select: str, starts: str) -> str:
    return next(t for t in page.locator(f"{select} option").all_inner_texts() if t.startswith(starts))


def test_a_day_of_inspection_on_the_demo(page, browser, login, live_server):
    build_demo()
    base = live_server.url
    now = today()

    # What needs looking at now: the demo's open recommendations, past their deadlines.
    as_user(page, login, "thanhtra.tinh")
    page.goto(f"{base}/inspections/now/")
    assert page.locator("text=Kiến nghị quá hạn").count() == 1
    shot(page, "inspector-now")

    # A surprise check of Hồng Gai ward, decided three weeks ago, with a team from the inspectorate.
    page.goto(f"{base}/inspections/new/")
    page.select_option("#n-target", label="UBND phường Hồng Gai")
    page.fill("#n-topic", TOPIC)
    page.select_option("#n-kind", "surprise")
    page.fill("#n-number", "205/QĐ-TTT")
    page.fill("#n-date", (now - dt.timedelta(days=21)).isoformat())
    page.fill("#n-signer", "Chánh Thanh tra tỉnh")
    page.fill("#n-start", (now - dt.timedelta(days=20)).isoformat())
    # The province's 1,400 cadres: typing part of a name without accents narrows the list.
    assert page.locator("#n-head option").count() > 1000
    page.fill("#n-head-filter", "vu duc thang")
    assert 2 <= page.locator("#n-head option:not([hidden])").count() <= 5  # the empty choice and the few matching
    page.select_option("#n-head", label=option(page, "#n-head", "Vũ Đức Thắng"))
    shot(page, "inspector-new")
    with page.expect_navigation():
        page.click("#new-form button[type=submit]")
    inspection = Inspection.objects.get(topic=TOPIC)
    assert page.url.rstrip("/").endswith(f"/inspections/{inspection.pk}")
    assert "Vũ Đức Thắng" in page.locator("#team").inner_text()

    # The draft came in a week ago; its appraisal; a recommendation to the ward's chairman; the conclusion.
    received = now - dt.timedelta(days=7)
    page.fill("#d-date", vn(received))
    page.click("#draft-form button[type=submit]")
    page.wait_for_load_state()
    assert f"15 ngày kể từ ngày nhận dự thảo {vn(received)}" in page.locator("#clock").inner_text()
    page.locator("#recommendations summary").click()
    page.fill("#r-text", ADVICE)
    page.select_option("#r-owner", label=option(page, "#r-owner", "Đỗ Văn Thành"))
    page.fill("#r-due", vn(now + dt.timedelta(days=30)))
    page.click("#recommend-form button[type=submit]")
    page.wait_for_load_state()
    page.fill("#ap-on", vn(now - dt.timedelta(days=2)))
    page.fill("#ap-text", "Thống nhất với dự thảo kết luận.")
    page.click("#appraise-form button[type=submit]")
    page.wait_for_load_state()
    page.fill("#c-date", vn(now))
    page.fill("#c-text", "Phường còn 4 hồ sơ trễ hạn chưa có văn bản xin lỗi người dân.")
    page.click("#conclude-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "Đã kết luận"
    assert "đúng hạn" in page.locator("#clock").inner_text()
    shot(page, "inspector-concluded")

    # The ward's chairman answers on his phone.
    phone_context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE, viewport={"width": 390, "height": 844},
                                        is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.set_default_timeout(15_000)
    try:
        login(phone, "lanhdao.honggai", PASSWORD)
        phone.goto(f"{base}/inspections/recommendations/?mine=1")
        phone.click(f"text={ADVICE}")
        phone.wait_for_load_state()
        assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        phone.fill("#a-date", vn(now))
        phone.fill("#a-evidence", "Đã gửi 4 văn bản xin lỗi người dân")
        phone.set_input_files("#a-file", files=[{"name": "van-ban-xin-loi.pdf", "mimeType": "application/pdf",
                                                 "buffer": b"%PDF-1.4\n%%EOF\n"}])
        phone.click("#answer-form button[type=submit]")
        phone.wait_for_load_state()
        assert phone.locator("#rec-state").inner_text() == "Đã thực hiện, chờ xác nhận"
        shot(phone, "owner-answered-phone")
    finally:
        phone_context.close()

    # The inspector verifies it and the recommendation is closed.
    page.goto(f"{base}/inspections/{inspection.pk}/")
    page.click(f"text={ADVICE}")
    page.wait_for_load_state()
    assert "văn bản xin lỗi" in page.locator("#rec-evidence").inner_text()
    page.fill("#v-date", vn(now))
    page.click("#verify-form button.btn-success")
    page.wait_for_load_state()
    assert page.locator("#rec-state").inner_text() == "Đã xác nhận, kết thúc"
    shot(page, "inspector-verified")

    # The seed's table: inspections per organising agency in the first half of 2017.
    page.goto(f"{base}/inspections/counts/?from=2017-01-01&to=2017-06-30&by=organizer")
    counts = page.locator("table").first.inner_text()
    assert "Sở Giao thông vận tải" in counts and "36" in counts
    shot(page, "inspector-counts")
