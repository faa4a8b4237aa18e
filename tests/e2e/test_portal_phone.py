"""The citizen's loop on a phone (390 px): submit with two papers (a wrong field keeps the chosen files),
look the dossier up with a lower-case code."""

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def procedure(db):
    field = field_ensure(name="Hộ tịch", code="HT")
    return procedure_create(
        code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"], amount=3,
        time_unit="working_days", papers=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"], online_level="full",
        steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"), StepSpec("Giải quyết", 80, role="specialist")])


def test_submit_with_two_papers_then_look_up_with_a_lower_case_code(page, live_server, province, procedure,
                                                                      tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    first, second = tmp_path / "to-khai.pdf", tmp_path / "chung-sinh.png"
    first.write_bytes(b"%PDF-1.4\n%%EOF\n")
    second.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/portal/submit/{procedure.pk}/")
    page.select_option("#id_agency", str(province["commune_desk"].pk))
    page.fill("#id_applicant_name", "Phạm Thị Bình")
    page.set_input_files("#id_paper_0", str(first))
    page.set_input_files("#id_paper_1", str(second))
    page.click("#submission-form button[type=submit]")  # no phone, no e-mail: refused at the phone field
    page.wait_for_selector("#form-errors")
    assert "Cần ghi số điện thoại hoặc thư điện tử" in page.locator("#form-errors").inner_text()
    assert page.locator("#kept-paper_0").is_visible() and page.locator("#kept-paper_1").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/portal_submit_errors_phone.png", full_page=True)

    page.fill("#id_phone", "0912000111")
    page.click("#submission-form button[type=submit]")  # the two papers are not chosen again
    page.wait_for_selector("#done-code")
    code, secret = page.locator("#done-code").inner_text(), page.locator("#done-secret").inner_text()
    summary = page.locator("#done-papers").inner_text()
    assert "to-khai.pdf" in summary and "chung-sinh.png" in summary
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/portal_submit_done_phone.png", full_page=True)

    page.goto(f"{live_server.url}/portal/lookup/")
    page.fill("#id_code", code.lower())
    page.fill("#id_secret", f"{secret[:4].lower()} {secret[4:]}")
    page.click("button[type=submit]")
    page.wait_for_selector("#status-label")
    assert page.locator("#status-label").inner_text() == "Mới đăng ký"
