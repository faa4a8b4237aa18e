"""An inspector reads the personal-data access log in the browser: a clerk opened and printed a dossier; the
province's inspector finds it from the menu, narrows it by the dossier's code, downloads the CSV, and reads
the same list on a phone (docs/security.md §3)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ, TIME_ZONE
from phucvu.dossiers.services import dossier_receive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ACCESS_LOG_SHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def dossier(province, make_staff):
    field = field_ensure(name="Hộ tịch", code="HT")
    procedure = procedure_create(code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"], amount=3,
                                 time_unit="working_days", papers=["Tờ khai"],
                                 steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"),
                                        StepSpec("Giải quyết", 80, role="specialist")])
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Trần Thị Một Cửa")
    return clerk, dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                  applicant_name="Nguyễn Văn Ánh", applicant_id_number="022090001234",
                                  at=dt.datetime(2026, 3, 9, 9, 0, tzinfo=LOCAL_TZ))


def test_an_inspector_reads_who_viewed_a_dossier(page, browser, login, live_server, province, make_staff, dossier):
    clerk, d = dossier
    login(page, clerk.user.username)
    page.goto(f"{live_server.url}/dossiers/{d.pk}/")
    assert "022090001234" in page.content()  # the desk sees the ID number in full
    page.request.get(f"{live_server.url}/dossiers/{d.pk}/forms/receipt.pdf")
    page.context.clear_cookies()

    inspector = make_staff(province["province"], "inspector", full_name="Vũ Đức Thắng")
    login(page, inspector.user.username)
    page.click("nav >> text=Kỷ cương, thanh tra")
    page.click("nav >> text=Nhật ký truy cập dữ liệu cá nhân")
    page.wait_for_selector("[data-testid=access-log]")
    rows = page.locator("[data-testid=access-log] tbody tr")
    assert rows.count() == 2
    text = page.locator("[data-testid=access-log]").inner_text()
    assert "Trần Thị Một Cửa" in text and d.code in text and "Xem" in text and "In" in text
    shot(page, "access-log-1366")

    page.fill("#q", "tran thi mot cua")  # a staff name without accents
    page.select_option("#action", "print")
    page.click("[data-testid=access-log-filters] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=access-log] tbody tr").count() == 1
    with page.expect_download() as download:
        page.click("[data-testid=access-log-csv]")
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert d.code in content and ".pdf" in content and "Trần Thị Một Cửa" in content

    page.goto(f"{live_server.url}/dossiers/{d.pk}/")  # the inspector sees the number masked
    assert "022090001234" not in page.content() and "*********234" in page.content()

    phone = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE, viewport={"width": 390, "height": 800},
                                is_mobile=True, has_touch=True)
    try:
        small = phone.new_page()
        small.set_default_timeout(15_000)
        login(small, inspector.user.username)
        small.goto(f"{live_server.url}/dossiers/access-log/")
        assert d.code in small.locator("[data-testid=access-log]").inner_text()
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        shot(small, "access-log-390")
    finally:
        phone.close()
