"""The citizen's loop on a phone (390 px): submit with two papers (a wrong field keeps the chosen files),
look the dossier up with a lower-case code."""

from urllib.parse import urlencode

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.dossiers import services
from phucvu.dossiers.models import Dossier
from phucvu.dossiers.tests.results import result_record

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def lookup_path(d) -> str:
    return f"/portal/lookup/?{urlencode({'code': d.code, 'secret': d.secret})}"


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


def test_search_the_public_catalogue_on_a_phone(page, live_server, province, procedure):
    for code, name, online in [("1.004859", "Đăng ký lại khai sinh", "none"),
                               ("2.000815", "Chứng thực bản sao từ bản chính", "none"),
                               ("1.001051", "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "partial")]:
        procedure_create(code=code, name=name, field=procedure.field, levels=["commune"], amount=3,
                         online_level=online)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    page.fill("#landing-q", "làm giấy khai sinh")
    page.click("#landing-catalogue button[type=submit]")
    page.wait_for_selector("#catalogue-list")
    first = page.locator("#catalogue-list a").first
    assert first.locator(".fw-semibold").inner_text() == "Đăng ký khai sinh"
    page.fill("#q", "chứng thực")
    page.wait_for_function("document.querySelector('#catalogue-list').innerText.includes('Chứng thực bản sao')")
    assert "thực phẩm" not in page.locator("#catalogue-list").inner_text()
    page.fill("#q", "làm giấy khai sinh")
    page.wait_for_function("document.querySelector('#catalogue-list a .fw-semibold').innerText === 'Đăng ký khai sinh'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/portal_catalogue_phone.png", full_page=True)
    page.locator("#catalogue-list a").first.click()
    page.wait_for_selector("#procedure-papers")
    assert "Giấy chứng sinh" in page.locator("#procedure-papers").inner_text()
    page.select_option("#near", str(province["commune"].pk))
    page.wait_for_function("document.querySelector('#places-list').innerText.includes('Gần nhất')")
    assert "Bộ phận Một cửa phường Hồng Gai" in page.locator("#places-list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/portal_procedure_phone.png", full_page=True)


def test_upload_a_requested_supplement_then_vote_on_a_phone(page, live_server, province, make_staff, procedure,
                                                             tmp_path, settings, login):
    settings.MEDIA_ROOT = tmp_path / "media"
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Trần Thị Một Cửa")
    officer = make_staff(province["commune"], "specialist", full_name="Lê Văn Hộ Tịch")
    d = services.dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                 applicant_name="Nguyễn Văn Ánh", applicant_phone="0912345678")
    d = services.dossier_request_supplement(actor=clerk, dossier_id=d.pk, version=d.version,
                                            missing=["Giấy chứng sinh"])
    paper = tmp_path / "chung-sinh.jpg"
    paper.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 64)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{lookup_path(d)}#bo-sung")  # the link of the supplement message
    assert page.locator("#supplement-form label").first.inner_text().startswith("Giấy chứng sinh")
    page.set_input_files("#supplement-form input[type=file]", str(paper))
    page.click("#supplement-form button[type=submit]")
    page.wait_for_selector("#supplement-complete")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/portal_supplement_phone.png", full_page=True)

    # The clerk sees the paper on the dossier page and resumes the clock.
    # In a browser of its own: a signed-in cadre's browser is not offered the citizen's vote (docs/security.md §7).
    staff_page = page.context.browser.new_context().new_page()
    login(staff_page, clerk.user.username)
    staff_page.goto(f"{live_server.url}/dossiers/{d.pk}/")
    assert "chung-sinh.jpg" in staff_page.locator("#online-supplements").inner_text()
    staff_page.click("#supplement-resume button")
    staff_page.wait_for_load_state()
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == "received" and "Giấy chứng sinh" in d.papers
    staff_page.close()

    d = services.dossier_forward(actor=clerk, dossier_id=d.pk, version=d.version)
    d = services.dossier_resolve(**result_record(), actor=officer, dossier_id=d.pk, version=d.version,
                                 result="granted")
    d = services.dossier_return_result(actor=clerk, dossier_id=d.pk, version=d.version)
    page.goto(f"{live_server.url}{lookup_path(d)}")
    page.check("#id_level_1")  # Hài lòng
    page.click("#danh-gia button[type=submit]")
    page.wait_for_selector("#vote-current")
    assert "Hài lòng" in page.locator("#vote-current").inner_text()
    page.screenshot(path="/tmp/portal_vote_phone.png", full_page=True)
