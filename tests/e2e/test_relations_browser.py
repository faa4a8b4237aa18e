"""An inspector records a cadre's declared relation on the relations page, then the team refuses that cadre
with a message linking back to the relations (docs/inspections.md §20)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from phucvu.inspections.services import inspection_open

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("INSPECTION_SHOTS", "")


def test_an_inspector_declares_a_relation_and_the_team_refuses_the_member(page, live_server, login, province,
                                                                         make_staff):
    inspector = make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng")
    member = make_staff(province["district"], "specialist", full_name="Trần Văn Thành Viên")
    chair = make_staff(province["commune"], "unit_leader", full_name="Lê Văn Chủ Tịch")
    i = inspection_open(actor=inspector, organizer=province["dept"], target=province["commune"],
                        topic="Kiểm tra việc giải quyết thủ tục hành chính", kind="scheduled",
                        decision_number="31/QĐ-SNV", decision_date=dt.date(2026, 11, 2),
                        started_on=dt.date(2026, 11, 3), head=inspector)
    login(page, inspector.user.username)
    page.goto(f"{live_server.url}/inspections/")
    page.click("#relations-button")
    page.wait_for_load_state()
    page.locator("#relation-new summary").click()
    page.select_option("#rel-staff", str(member.pk))
    page.select_option("#rel-kind", "sibling")
    page.select_option("#rel-relative", str(chair.pk))
    page.fill("#rel-date", "15/01/2026")
    page.fill("#rel-note", "Bản kê khai quan hệ gia đình năm 2026")
    page.click("#relation-form button[type=submit]")
    page.wait_for_load_state()
    assert "Lê Văn Chủ Tịch" in page.locator("#rel-other").inner_text()
    assert "Đang có hiệu lực" in page.locator("#rel-status").inner_text()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "relation-recorded.png"), full_page=True)
    page.goto(f"{live_server.url}/inspections/{i.pk}/")
    page.locator("#team summary").click()
    page.select_option("#t-members", [str(member.pk)])
    page.click("#team form button[type=submit]")
    page.wait_for_load_state()
    alert = page.locator(".alert-danger").inner_text()
    assert "Trần Văn Thành Viên có quan hệ “Anh, chị, em ruột” với Lê Văn Chủ Tịch" in alert
    assert "Trần Văn Thành Viên" not in page.locator("#team ul").inner_text()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "relation-team-refused.png"), full_page=True)
    page.click("#relations-link")
    page.wait_for_load_state()
    assert "Trần Văn Thành Viên" in page.locator("#relations").inner_text()
