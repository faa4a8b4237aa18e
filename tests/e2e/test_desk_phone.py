"""The desk on a phone (375 × 740): intake, queue, dossier page and register fit the screen's width."""

from __future__ import annotations

import os

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import TIME_ZONE
from phucvu.dossiers import services as s

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
SHOTS = os.environ.get("DESK_PHONE_SHOTS", "")  # a folder: also save a screenshot of each page


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE, viewport=PHONE,
                                  device_scale_factor=1, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def desk(province, make_staff):
    field = field_ensure(name="Hoạt động xây dựng", code="XD")
    procedure = procedure_create(
        code="1.009994", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", field=field, levels=["district", "commune"],
        amount=15, time_unit="working_days", papers=["Đơn đề nghị cấp giấy phép", "Bản vẽ thiết kế"],
        online_level="full",
        steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"), StepSpec("Thẩm định", 70, role="specialist"),
               StepSpec("Phê duyệt", 20, role="unit_leader")])
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Trần Thị Thu")
    dossiers = [s.dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                  applicant_name=f"Nguyễn Văn Ánh {i}", applicant_id_number="022090001234",
                                  applicant_address="Tổ 5, khu 3, phường Hồng Gai, thành phố Hạ Long",
                                  papers=["Đơn đề nghị cấp giấy phép"]) for i in range(3)]
    d = s.dossier_forward(actor=clerk, dossier_id=dossiers[0].pk, version=dossiers[0].version,
                          note="Chuyển thẩm định")
    return {"clerk": clerk, "dossier": d}


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen (0: no horizontal scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("name", ["intake", "queue", "detail", "register"])
def test_desk_pages_have_no_horizontal_scroll_on_a_phone(phone, login, live_server, desk, name):
    login(phone, desk["clerk"].user.username)
    url = {"intake": "/dossiers/intake/", "queue": "/dossiers/", "detail": f"/dossiers/{desk['dossier'].pk}/",
           "register": "/dossiers/register/"}[name]
    phone.goto(f"{live_server.url}{url}")
    phone.wait_for_load_state("networkidle")
    if name == "intake":
        with phone.expect_response(lambda r: "/catalog/procedures/picker/" in r.url):
            phone.fill("#procedure-q", "cap giay phep xay dung")
        with phone.expect_response(lambda r: "/dossiers/intake/procedure/" in r.url):
            phone.locator("[data-procedure]").first.click()
        phone.wait_for_selector("[data-testid=appointment]")
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    assert overflow(phone) <= 0
