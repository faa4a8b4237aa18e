"""The citizen in a browser, on a phone: the receipt's QR address → the status page → a vote; and an
online submission from procedure search to code and secret."""

import datetime as dt

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ as TZ
from phucvu.dossiers import services
from phucvu.dossiers.pdf import lookup_url
from phucvu.dossiers.tests.results import result_record
from phucvu.portal.selectors import current_vote

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



@pytest.fixture
def procedure(db):
    field = field_ensure(name="Hộ tịch", code="HT")
    return procedure_create(
        code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"], amount=3,
        time_unit="working_days", papers=["Tờ khai đăng ký khai sinh"], online_level="full",
        steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"), StepSpec("Giải quyết", 80, role="specialist")])


def test_scan_the_receipt_see_the_status_and_vote(page, live_server, province, make_staff, procedure):
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Trần Thị Một Cửa")
    officer = make_staff(province["commune"], "specialist", full_name="Lê Văn Hộ Tịch")
    d = services.dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                 applicant_name="Nguyễn Văn Ánh", at=dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ))
    d = services.dossier_forward(actor=clerk, dossier_id=d.pk, version=d.version,
                                 at=dt.datetime(2026, 3, 9, 9, 30, tzinfo=TZ))
    d = services.dossier_resolve(**result_record(), actor=officer, dossier_id=d.pk, version=d.version, result="granted",
                                 at=dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ))
    d = services.dossier_return_result(actor=clerk, dossier_id=d.pk, version=d.version,
                                       at=dt.datetime(2026, 3, 10, 10, 0, tzinfo=TZ))

    page.set_viewport_size({"width": 390, "height": 844})
    # What the phone opens after scanning: the receipt's URL on this server.
    qr = lookup_url(d.code, d.secret)
    page.goto(live_server.url + "/" + qr.split("://", 1)[1].split("/", 1)[1])
    assert page.locator("#status-label").inner_text() == "Đã trả kết quả"
    assert "Trả kết quả" in page.locator("#timeline").inner_text()
    # The hand-overs name who handed the dossier over, as the control slip does (issue 11.4); nothing else of
    # the staff's (notes, assignments) reaches the public page.
    assert "Trần Thị Một Cửa (Bộ phận Một cửa phường Hồng Gai) bàn giao cho" in page.locator("#timeline").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.check("#id_level_0")  # Rất hài lòng
    page.check("#id_clerk_level_1")
    page.fill("#id_comment", "Cán bộ hướng dẫn tận tình")
    page.click("#danh-gia button[type=submit]")
    page.wait_for_load_state()
    assert "Cảm ơn ông/bà đã đánh giá" in page.content()
    assert "Rất hài lòng" in page.locator("#vote-current").inner_text()
    page.screenshot(path="/tmp/portal_lookup_phone.png", full_page=True)
    vote = current_vote(d.pk)
    assert (vote.level, vote.clerk_id) == ("very_satisfied", clerk.pk)


def test_wrong_secret_on_the_page_gives_the_generic_message(page, live_server, province, make_staff, procedure):
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    d = services.dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                 applicant_name="Nguyễn Văn Ánh")
    page.goto(f"{live_server.url}/portal/lookup/")
    page.fill("#id_code", d.code)
    page.fill("#id_secret", "ZZZZZZZZ")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu" in page.locator("#lookup-error").inner_text()


def test_submit_online_from_search_to_code_and_secret(page, live_server, province, procedure, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    paper = tmp_path / "to-khai.pdf"
    paper.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/portal/submit/")
    page.fill("#q", "khai sinh")
    page.wait_for_selector("#procedure-rows >> text=Đăng ký khai sinh")
    page.click("#procedure-rows >> text=Đăng ký khai sinh")
    page.wait_for_load_state()
    page.select_option("#id_agency", str(province["commune_desk"].pk))
    page.fill("#id_applicant_name", "Phạm Thị Bình")
    page.fill("#id_phone", "0912000111")
    page.set_input_files("#id_paper_0", str(paper))
    page.click("#submission-form button[type=submit]")
    page.wait_for_load_state()
    code = page.locator("#done-code").inner_text()
    assert code.startswith(province["commune"].electronic_id)
    page.click("text=Xem tình trạng hồ sơ")
    page.wait_for_load_state()
    assert page.locator("#status-label").inner_text() == "Mới đăng ký"
