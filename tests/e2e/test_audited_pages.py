"""Every page the audit fixes touched, in a browser at 1366 and 390 px, in Vietnamese and in English: the house
layout (top bar, icon), no sideways scrolling, and numbers, amounts and dates in the page's language."""

from __future__ import annotations

import os
import re

import pytest
from django.core.management import call_command

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import TIME_ZONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("AUDIT_SHOTS", "")  # a folder: also save a screenshot of each page
PERIOD = "from=2017-03-01&to=2017-03-31"


@pytest.fixture
def site(province, make_staff):
    procedure = procedure_create(
        code="1.009994", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", field=field_ensure(name="Xây dựng", code="XD"),
        levels=["district", "commune"], amount=15, fee=75000, papers=["Đơn đề nghị"], online_level="full",
        steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"), StepSpec("Thẩm định", 80, role="specialist")])
    call_command("seed", "--dossiers", "12", "--seed", "4", "--from", "2017-03-01", "--to", "2017-03-31")
    return {"procedure": procedure, "leader": make_staff(province["province"], "unit_leader",
                                                          full_name="Nguyễn Thị Phương Thảo")}


# name → (signed in?, url, {language: [what the page must show]})
def pages(site) -> dict[str, tuple[bool, str, dict[str, list[str]]]]:
    return {
        "dashboard": (True, f"/reports/?{PERIOD}", {"vi": ["Xu hướng theo tháng"], "en": ["Monthly trend"]}),
        "form06": (True, f"/reports/06/?{PERIOD}", {"vi": ["Tổng cộng"], "en": ["Total"]}),
        "public": (False, "/reports/cong-khai/?month=2017-03", {"vi": [], "en": []}),
        "procedure": (True, f"/catalog/procedures/{site['procedure'].pk}/", {"vi": ["75.000\u00a0đ"],
                                                                            "en": ["75,000\u00a0VND"]}),
        "submit": (False, f"/portal/submit/{site['procedure'].pk}/", {"vi": ["75.000\u00a0đ"], "en": ["75,000\u00a0VND"]}),
        "queue": (True, "/dossiers/", {"vi": [], "en": []}),
        "not_found": (True, "/khong-co-trang-nay/", {"vi": ["Không tìm thấy trang"], "en": ["Page not found"]}),
    }


NAMES = ["dashboard", "form06", "public", "procedure", "submit", "queue", "not_found"]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("name", NAMES)
def test_audited_page_fits_and_speaks_the_language(browser, live_server, login, site, name, width, lang):
    signed_in, url, expected = pages(site)[name]
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE,
                                  viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        if signed_in:
            login(page, site["leader"].user.username)
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{lang}-{width}.png"))
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.locator('link[rel="icon"]').count() >= 2 and page.locator("nav.pv-navbar").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0, "sideways scroll"
        text = page.locator("body").inner_text()
        for piece in expected[lang]:
            assert piece in text, piece
        if page.locator("#f-from").count():  # the report filters: day first in both languages
            assert page.locator("#f-from").input_value() == "01/03/2017"
        # No count or rate in the other language's format: 1.234 / 99,5% on an English page, or the reverse.
        main = page.locator("main").inner_text()
        wrong = r"\b\d{1,3}(,\d{3})+\b|\d+\.\d+%" if lang == "vi" else r"\b\d{1,3}(\.\d{3})+\b(?!\.)|\d+,\d+%"
        assert not re.search(wrong, main.replace("/", " ")), re.search(wrong, main.replace("/", " "))
    finally:
        context.close()
