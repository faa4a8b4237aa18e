"""A cross-inspection rotation's round becomes inspections in one step from the rotation page, and not twice
(docs/inspections.md §19)."""

from __future__ import annotations

import os

import pytest

from phucvu.inspections.services import rotation_generate
from phucvu.organization.services import agency_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("INSPECTION_SHOTS", "")


def test_an_inspector_turns_a_round_into_inspections(page, live_server, login, province, make_staff):
    district = province["district"]
    for n, name in enumerate(["Hà Khẩu", "Cao Xanh"]):
        agency_create(code=f"X0699{n}", name=f"UBND phường {name}", kind="commune", parent=district)
    inspector = make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng")
    made = rotation_generate(actor=inspector, parent=district, kind="commune", year=2026, rounds=1, seed=2)
    login(page, inspector.user.username)
    page.goto(f"{live_server.url}/inspections/rotations/")
    page.locator(f"#open-{made.pk}").locator("xpath=..").locator("summary").click()
    page.fill(f"#o-number-{made.pk}", "30/QĐ-UBND")
    page.fill(f"#o-date-{made.pk}", "02/03/2026")
    page.click(f"#open-{made.pk} button[type=submit]")
    page.wait_for_load_state()
    pairs = made.pairs.count()
    assert page.locator(".pair-inspection").count() == pairs
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "rotation-turned.png"), full_page=True)
    page.locator(".pair-inspection").first.click()
    page.wait_for_load_state()
    assert "Kiểm tra chéo năm 2026, đợt 1" in page.content() and "30/QĐ-UBND" in page.content()
