"""The desk's real day in a browser, the parts of issue 11 points 6–8: the ward clerk opens the citizen's
uploaded papers before accepting an online dossier; the chairman records the result with its number and the
signed PDF; the clerk returns it and records the fee; the citizen downloads the electronic copy — each page
at 390 px and 1366 px. `RESULT_SHOTS=DIR` keeps the screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.dossiers.models import ResultRecord, Status
from phucvu.dossiers.tests.results import PDF
from phucvu.portal.services import Upload, submission_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("RESULT_SHOTS")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


def shot(page, name: str) -> None:
    width = page.viewport_size["width"]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
                              > document.documentElement.clientWidth + 1).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name}: wider than {width} px: {wide}"


@pytest.fixture
def ward(province, make_staff):
    field = field_ensure(name="Hoạt động xây dựng", code="XD")
    procedure = procedure_create(
        code="1.009994", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", field=field, levels=["commune"], amount=15,
        time_unit="working_days", papers=["Đơn đề nghị cấp giấy phép", "Bản vẽ thiết kế"], online_level="full",
        fee=75_000,
        steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"), StepSpec("Thẩm định", 70, role="specialist"),
               StepSpec("Phê duyệt", 20, role="unit_leader")])
    return {"procedure": procedure,
            "clerk": make_staff(province["commune_desk"], "desk_clerk", full_name="Trần Thị Thu"),
            "specialist": make_staff(province["commune"], "specialist", full_name="Lê Văn Hùng"),
            "leader": make_staff(province["commune"], "unit_leader", full_name="Phạm Minh Đức")}


def open_action(page, action: str) -> None:
    toggle = page.locator(f"[data-action={action}]")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.wait_for_selector(f"#act-{action}.show:not(.collapsing)")


def confirm(page, action: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-submit={action}]")
    assert "Đã thực hiện" in page.locator(".alert-success").inner_text(), page.locator(".alert").all_inner_texts()


def as_user(page, login, staff, viewport) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    login(page, staff.user.username)
    page.set_viewport_size(viewport)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_accept_after_the_papers_record_the_result_return_it_and_the_citizens_copy(page, login, live_server, ward,
                                                                                    province, viewport):
    d = submission_create(procedure_id=ward["procedure"].pk, agency_id=province["commune_desk"].pk,
                          applicant_name="Nguyễn Văn Ánh", applicant_phone="0912000111",
                          uploads=[Upload("Đơn đề nghị cấp giấy phép", "don-de-nghi.pdf", PDF),
                                   Upload("Bản vẽ thiết kế", "ban-ve.png", PNG)])
    url = f"{live_server.url}/dossiers/{d.pk}/"

    # The ward clerk opens the submission: the accept form lists the uploaded papers; she opens them first.
    as_user(page, login, ward["clerk"], viewport)
    page.goto(url)
    assert "don-de-nghi.pdf" in page.inner_text("[data-testid=online-papers]")
    open_action(page, "accept")
    papers = page.locator("[data-testid=accept-papers] a[data-paper]")
    assert papers.count() == 2
    shot(page, "1-accept-with-papers")
    with page.expect_download() as download:
        papers.first.click()
    assert download.value.suggested_filename == "don-de-nghi.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
    confirm(page, "accept")
    assert page.inner_text("[data-testid=dossier-status]").strip() == "Được tiếp nhận"
    open_action(page, "forward")
    confirm(page, "forward")

    # The officer examines and hands it to the chairman's signing step.
    as_user(page, login, ward["specialist"], viewport)
    page.goto(url)
    open_action(page, "forward")
    confirm(page, "forward")

    # The chairman signs and records the result: the number, the date and signer filled in, the signed PDF.
    as_user(page, login, ward["leader"], viewport)
    page.goto(url)
    open_action(page, "approve")
    confirm(page, "approve")
    open_action(page, "resolve")
    assert page.input_value("#id_resolve-signer_name") == "Phạm Minh Đức"
    page.fill("#id_resolve-decision_number", "125/GPXD")
    page.set_input_files("#id_resolve-document",
                        files=[{"name": "giay-phep.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    shot(page, "2-resolve-form")
    confirm(page, "resolve")
    assert "125/GPXD" in page.inner_text("[data-testid=decision-number]")
    shot(page, "3-result-recorded")

    # The clerk hands it back to the applicant and records the fee with its receipt.
    as_user(page, login, ward["clerk"], viewport)
    page.goto(url)
    open_action(page, "return_result")
    assert page.input_value("#id_return_result-fee_amount") == "75000"  # the procedure's fee, proposed
    page.fill("#id_return_result-fee_receipt_number", "BL-0012")
    shot(page, "4-return-form")
    confirm(page, "return_result")
    assert "BL-0012" in page.inner_text("[data-testid=fee]")
    shot(page, "5-returned")
    record = ResultRecord.objects.get(pk=d.pk)
    assert (record.number, record.fee_amount, record.collector) == ("125/GPXD", 75_000, "applicant")

    # The citizen, with the code and the secret, downloads the electronic copy.
    page.context.clear_cookies()
    d.refresh_from_db()
    assert d.status == Status.RETURNED
    page.goto(f"{live_server.url}/portal/lookup/?code={d.code}&secret={d.secret}")
    assert "125/GPXD" in page.inner_text("#result-copy")
    shot(page, "6-citizen-copy")
    with page.expect_download() as download:
        page.click("#result-copy button[type=submit]")
    assert Path(download.value.path()).read_bytes() == PDF
