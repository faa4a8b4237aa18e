"""One dossier walked through the desk in a real browser: intake, two steps, a supplement request and
resume, approval, result and return — printing the receipt on the way."""

from __future__ import annotations

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.dossiers.tests.results import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(province, make_staff):
    field = field_ensure(name="Hoạt động xây dựng", code="XD")
    procedure_create(
        code="1.009994", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", field=field, levels=["district", "commune"],
        amount=15, time_unit="working_days", papers=["Đơn đề nghị cấp giấy phép", "Bản vẽ thiết kế"],
        online_level="full",
        steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"), StepSpec("Thẩm định", 70, role="specialist"),
               StepSpec("Phê duyệt", 20, role="unit_leader")])
    return {
        "clerk": make_staff(province["commune_desk"], "desk_clerk", full_name="Trần Thị Thu"),
        "specialist": make_staff(province["commune"], "specialist", full_name="Lê Văn Hùng"),
        "leader": make_staff(province["commune"], "unit_leader", full_name="Phạm Minh Đức"),
    }


def do(page, action: str, files: dict | None = None, **fields) -> None:
    """Open an action on the dossier page, fill it, confirm, and wait for the page to come back."""
    toggle = page.locator(f"[data-action={action}]")
    # The actions are an accordion: open this one only if it is closed, and let the animation finish,
    # or a click during the transition lands on a moving button.
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.wait_for_selector(f"#act-{action}.show:not(.collapsing)")
    for name, value in fields.items():
        page.fill(f"#id_{action}-{name}", value)
    for name, (filename, content) in (files or {}).items():
        page.set_input_files(f"#id_{action}-{name}", files=[{"name": filename, "mimeType": "application/pdf",
                                                              "buffer": content}])
    with page.expect_navigation():
        page.click(f"[data-submit={action}]")
    assert "Đã thực hiện" in page.locator(".alert-success").inner_text(), page.locator(".alert").all_inner_texts()


def switch_user(page, login, staff) -> None:
    page.context.clear_cookies()
    login(page, staff.user.username)


def status(page) -> str:
    return page.locator("[data-testid=dossier-status]").inner_text().strip()


def test_one_dossier_from_intake_to_return(page, login, live_server, desk):
    switch_user(page, login, desk["clerk"])
    page.goto(f"{live_server.url}/dossiers/intake/")

    # The clerk types the procedure without accents and picks it.
    with page.expect_response(lambda r: "/catalog/procedures/picker/" in r.url):
        page.fill("#procedure-q", "cap giay phep xay dung")
    with page.expect_response(lambda r: "/dossiers/intake/procedure/" in r.url):
        page.locator("[data-procedure]").first.click()
    page.wait_for_selector("[data-testid=appointment]")
    assert "Nếu tiếp nhận ngay bây giờ, hẹn trả kết quả" in page.inner_text("[data-testid=appointment]")
    page.check("text=Đơn đề nghị cấp giấy phép")
    page.check("text=Bản vẽ thiết kế")
    page.fill("#id_applicant_name", "Nguyễn Văn Ánh")
    page.fill("#id_applicant_id_number", "022090001234")
    with page.expect_navigation():
        page.click("#intake-save")
    code = page.inner_text("[data-testid=dossier-code]").strip()
    assert code.endswith("-0001")

    # Print the receipt: a PDF comes back.
    href = page.get_attribute("#print-receipt", "href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # Step 1 → 2: the desk hands the dossier to the specialists.
    page.click("text=Xem hồ sơ")
    assert status(page) == "Được tiếp nhận"
    do(page, "forward", note="Chuyển thẩm định")
    assert status(page) == "Đang xử lý"
    url = page.url

    # The specialist finds it in the queue, asks for a missing paper.
    switch_user(page, login, desk["specialist"])
    page.goto(f"{live_server.url}/dossiers/")
    page.click(f"text={code}")
    do(page, "request_supplement", missing="Bản sao giấy chứng nhận quyền sử dụng đất")
    assert status(page) == "Yêu cầu bổ sung giấy tờ"
    assert page.locator("[data-form=supplement]").count() == 1

    # The citizen brings it to the desk; the clock resumes.
    switch_user(page, login, desk["clerk"])
    page.goto(url)
    do(page, "resume", papers="Bản sao giấy chứng nhận quyền sử dụng đất")
    assert status(page) == "Đang xử lý"

    # Step 2 → 3: the specialist passes it to the leader.
    switch_user(page, login, desk["specialist"])
    page.goto(url)
    do(page, "forward", note="Đủ điều kiện cấp phép")

    # The leader approves and records the result.
    switch_user(page, login, desk["leader"])
    page.goto(f"{live_server.url}/dossiers/")
    assert code in page.content()
    page.goto(url)
    do(page, "approve", note="Đồng ý")
    # The result is recorded with its number and the signed document (the signer and date come filled in).
    do(page, "resolve", decision_number="125/GPXD", files={"document": ("giay-phep.pdf", PDF)})
    assert status(page) == "Đã xử lý xong"
    assert "125/GPXD" in page.inner_text("[data-testid=decision-number]")
    document = page.request.get(f"{live_server.url}{page.get_attribute('[data-testid=result-document]', 'href')}")
    assert document.status == 200 and document.body() == PDF

    # The desk returns the result to the citizen.
    switch_user(page, login, desk["clerk"])
    page.goto(url)
    page.locator("[data-action=return_result]").click()
    page.wait_for_selector("#act-return_result.show:not(.collapsing)")
    page.select_option("#id_return_result-collector", "authorised")
    do(page, "return_result", collector_name="Nguyễn Thị Bình", authorisation="Giấy ủy quyền số 12/UQ ngày 10/3/2026",
       fee_amount="75000", fee_receipt_number="BL-0012")
    assert status(page) == "Đã trả kết quả"
    assert "BL-0012" in page.inner_text("[data-testid=fee]") and "Nguyễn Thị Bình" in page.inner_text("[data-testid=collector]")
    timeline = page.inner_text("[data-testid=timeline]")
    for kind in ["Tiếp nhận", "Chuyển bước", "Yêu cầu bổ sung", "Tiếp tục xử lý", "Phê duyệt", "Có kết quả",
                 "Trả kết quả"]:
        assert kind in timeline, kind
