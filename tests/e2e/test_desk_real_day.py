"""A real day at the desk on the demo data, in a browser: the Hạ Long clerk receives a building permit, it
reaches the city's office for construction and a named specialist, then the city's leader who approves and
records the permit; the clerk returns it and records the fee; the province's leader finds no ward's signing
step in his queue. `DESK_DAY_SHOTS=DIR` keeps the screenshots."""

from __future__ import annotations

import pytest

from phucvu.catalog.models import Procedure
from phucvu.dossiers import services as sv
from phucvu.dossiers.models import OPEN_STATUSES, Dossier
from phucvu.dossiers.tests.results import PDF
from phucvu.organization.models import Staff

from .demo_day import as_user, build_demo, shooter
from .test_desk_walkthrough import do, status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OFFICE = "Phòng Quản lý đô thị - Kinh tế hạ tầng thành phố Hạ Long"
CITY = "UBND thành phố Hạ Long"


shot = shooter("DESK_DAY_SHOTS")


def test_a_building_permit_goes_from_the_city_desk_to_its_office_and_its_leader(page, login, live_server):
    build_demo()
    base = live_server.url

    # The Hạ Long center's clerk receives a building permit for a house.
    as_user(page, login, "motcua.halong")
    page.goto(f"{base}/dossiers/intake/")
    with page.expect_response(lambda r: "/catalog/procedures/picker/" in r.url):
        page.fill("#procedure-q", "cap giay phep xay dung nha o rieng le")
    with page.expect_response(lambda r: "/dossiers/intake/procedure/" in r.url):
        page.locator("[data-procedure]", has_text="1.009979").first.click()
    page.wait_for_selector("[data-testid=appointment]")
    page.fill("#id_applicant_name", "Nguyễn Văn Ánh")
    page.fill("#id_applicant_id_number", "022090001234")
    with page.expect_navigation():
        page.click("#intake-save")
    code = page.inner_text("[data-testid=dossier-code]").strip()
    dossier = Dossier.objects.get(code=code)
    assert dossier.competent_agency.name == CITY
    page.click("text=Xem hồ sơ")
    url = page.url
    # The forward form names the next step's agency and offers its specialists: the named one is there.
    page.locator("[data-action=forward]").click()
    page.wait_for_selector("#act-forward.show:not(.collapsing)")
    assert OFFICE in page.inner_text("#act-forward")
    page.select_option("#id_forward-assignee", label="Trần Văn Kiên — Chuyên viên xử lý")
    shot(page, "1-clerk-forwards-to-the-office")
    with page.expect_navigation():
        page.click("[data-submit=forward]")
    assert status(page) == "Đang xử lý"
    steps = page.inner_text("[data-testid=steps]")
    assert OFFICE in steps and "Trần Văn Kiên" in steps

    # The named specialist of the city's office finds it in their queue and passes it to the city's leader.
    as_user(page, login, "chuyenvien.halong")
    page.goto(f"{base}/dossiers/")
    assert code in page.inner_text("#queue-rows")
    shot(page, "2-specialist-queue")
    page.goto(url)
    do(page, "forward", note="Đủ điều kiện cấp phép")

    # The city's leader has it in his own queue, approves and records the result.
    as_user(page, login, "lanhdao.halong")
    page.goto(f"{base}/dossiers/")
    assert code in page.inner_text("#queue-rows")
    shot(page, "3-city-leader-queue")
    page.goto(url)
    do(page, "approve", note="Đồng ý cấp phép")
    # The result is recorded with its permit number and the signed document.
    do(page, "resolve", decision_number="215/GPXD", files={"document": ("giay-phep.pdf", PDF)})
    assert status(page) == "Đã xử lý xong"
    assert "215/GPXD" in page.inner_text("[data-testid=decision-number]")
    shot(page, "4-city-leader-approved")

    # The clerk hands the result back; the citizen's page tells who handed the dossier to whom.
    as_user(page, login, "motcua.halong")
    page.goto(url)
    do(page, "return_result", fee_amount="75000", fee_receipt_number="BL-0215")
    assert status(page) == "Đã trả kết quả"
    assert "BL-0215" in page.inner_text("[data-testid=fee]")
    dossier.refresh_from_db()
    page.goto(f"{base}/portal/lookup/?code={code}&secret={dossier.secret}")
    timeline = page.inner_text("body")
    assert f"Vũ Thị Hồng Nhung (Trung tâm Hành chính công thành phố Hạ Long) bàn giao cho Trần Văn Kiên ({OFFICE})" \
        in timeline
    assert f"Trần Văn Kiên ({OFFICE}) bàn giao cho" in timeline
    shot(page, "5-citizen-timeline")

    # The province's vice-chairman sees every ward but signs none of their steps.
    # A ward's dossier waits at its leader's signing step today (Hồng Gai's desk received it this morning).
    ward_clerk = Staff.objects.get(user__username="motcua.honggai")
    ward_specialist = Staff.objects.filter(agency__code="W06691", role="specialist").first()
    contract = Procedure.objects.get(code="2.001035")
    d = sv.dossier_receive(actor=ward_clerk, agency_id=ward_clerk.agency_id, procedure_id=contract.pk,
                           applicant_name="Lê Thị Hoa")
    d = sv.dossier_forward(actor=ward_clerk, dossier_id=d.pk, version=d.version, assignee_id=ward_specialist.pk)
    sv.dossier_forward(actor=ward_specialist, dossier_id=d.pk, version=d.version)
    ward_signing = list(Dossier.objects.filter(
        status__in=OPEN_STATUSES, current_step__role="unit_leader", current_step__agency__kind="commune")
        .values_list("code", "pk")[:50])
    assert d.code in [c for c, _ in ward_signing]
    as_user(page, login, "lanhdao.tinh")
    page.goto(f"{base}/dossiers/")
    mine = page.inner_text("#queue-rows")
    assert not [c for c, _ in ward_signing if c in mine]
    shot(page, "6-province-leader-queue")
    page.goto(f"{base}/dossiers/{d.pk}/")
    assert page.locator("[data-action=approve]").count() == 0
    # His own list is the province's signatures; what is late below him is a list apart.
    page.goto(f"{base}/dossiers/?scope=below")
    shot(page, "7-province-leader-overdue-below")
