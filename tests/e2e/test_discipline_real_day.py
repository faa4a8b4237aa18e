"""A day of administrative discipline on the demo data, in a browser, as its people do it: Hạ Long city's
leader adds a work item and gives it to a clerk, the clerk records it done from "my tasks" and the leader sees
it on the overview; the city's specialist fills his December score sheet and the leader finishes it; the
personnel office takes the opened discipline case one step further; Home Affairs reads the province's grades
and a unit's ranking. `DISCIPLINE_DAY_SHOTS=DIR` keeps the screenshots."""

from __future__ import annotations

import pytest

from phucvu.core.localtime import today
from phucvu.discipline.models import CaseStatus, DisciplineCase, ScoreSheet, SheetStatus, Task

from .demo_day import as_user, build_demo, shooter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ITEM = "Tổng hợp số liệu đánh giá chỉ số SIPAS năm 2026"


shot = shooter("DISCIPLINE_DAY_SHOTS")


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0, "sideways scroll"


def test_a_day_of_discipline_on_the_demo(page, login, live_server):
    build_demo()
    base = live_server.url
    month = today().month

    # Hạ Long's leader adds an item to the centre's catalogue and gives it to a clerk for this month.
    as_user(page, login, "lanhdao.halong")
    page.goto(f"{base}/discipline/tasks/items/")
    page.fill("#name", ITEM)
    page.fill("#coefficient", "2")
    page.fill("#measure", "báo cáo")
    page.select_option("#agency", label="Trung tâm Hành chính công thành phố Hạ Long")
    page.click("#item-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#item-error").count() == 0
    assert ITEM in page.locator("#items").inner_text()
    page.goto(f"{base}/discipline/tasks/new/")
    page.select_option("#item", label=next(t for t in page.locator("#item option").all_inner_texts() if ITEM in t))
    page.select_option("#staff", label=next(t for t in page.locator("#staff option").all_inner_texts()
                                            if t.startswith("Vũ Thị Hồng Nhung")))
    page.fill("#quantity", "1")
    page.fill("#criterion", "Số liệu khớp phần mềm một cửa")
    shot(page, "leader-task-new")
    page.click("#give-task")
    page.wait_for_load_state()
    assert page.locator("#task-error").count() == 0, page.locator("#task-error").inner_text()
    assert page.locator("#task-status").get_attribute("data-status") == "open"
    task = Task.objects.get(item__name=ITEM)
    assert (task.staff.user.username, task.number) == ("motcua.halong", month)

    # The clerk finds it among her tasks and records it done.
    as_user(page, login, "motcua.halong")
    page.click("text=Nhiệm vụ của tôi")
    page.wait_for_load_state()
    page.click(f"#my-tasks >> text={ITEM}")
    page.wait_for_load_state()
    page.fill("#quantity", "1")
    page.fill("#to_standard", "1")
    page.click("#record-progress")
    page.wait_for_load_state()
    assert page.locator("#task-progress").inner_text() == "1/1"
    assert page.locator("#task-status").get_attribute("data-status") in ("early", "on_time")
    shot(page, "clerk-task-done")

    # The leader sees it done on the unit's overview.
    as_user(page, login, "lanhdao.halong")
    page.goto(f"{base}/discipline/tasks/overview/?q=Vũ Thị Hồng Nhung")
    overview = page.locator("#overview").inner_text()
    assert ITEM in overview and "1/1" in overview
    shot(page, "leader-overview")

    # The city's specialist fills this month's score sheet; his leader scores it and it is final.
    as_user(page, login, "chuyenvien.halong")
    page.goto(f"{base}/discipline/evaluation/")
    assert page.locator("text=Trần Văn Kiên").count() >= 10  # his sheets of the year are there
    page.click("#open-sheet")
    page.wait_for_load_state()
    for field in page.locator("input[id^=self-]").all():
        field.fill(field.get_attribute("max") or "2.5")
    if page.locator("#item-0-name").count():
        page.fill("#item-0-name", "Thẩm định hồ sơ cấp giấy phép xây dựng")
        for name, value in [("assigned", "12"), ("done", "12"), ("to_standard", "12"), ("on_time", "12")]:
            page.fill(f"input[name='item-0-{name}']", value)
    no_sideways_scroll(page)
    page.click("#send-self")
    page.wait_for_load_state()
    assert page.locator("#sheet-error").count() == 0, page.locator("#sheet-error").inner_text()
    assert page.locator("#sheet-status").inner_text() == "Chờ lãnh đạo chấm"
    shot(page, "specialist-sheet-sent")
    sheet = ScoreSheet.objects.get(staff__user__username="chuyenvien.halong", year=today().year, number=month)

    as_user(page, login, "lanhdao.halong")
    page.goto(f"{base}/discipline/evaluation/sheets/{sheet.pk}/")
    for field in page.locator("input[id^=manager-]").all():
        field.fill(field.get_attribute("max") or "2")
    page.click("#send-manager")
    page.wait_for_load_state()
    assert page.locator("#sheet-error").count() == 0, page.locator("#sheet-error").inner_text()
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.FINAL and sheet.total is not None
    shot(page, "leader-sheet-final")

    # The personnel office holds the review meeting of the case just opened.
    as_user(page, login, "noivu.tinh")
    case = DisciplineCase.objects.filter(status=CaseStatus.OPEN).order_by("-discovered").first()
    page.goto(f"{base}/discipline/cases/")
    page.click(f"a[href='/discipline/cases/{case.pk}/']")
    page.wait_for_load_state()
    assert page.locator("#decision-due").inner_text()
    page.select_option("#action", "review_meeting")
    page.fill("#on", today().isoformat())
    page.fill("#note", "Biên bản họp kiểm điểm tại đơn vị")
    page.click("#record-step")
    page.wait_for_load_state()
    assert page.locator("#case-error").count() == 0, page.locator("#case-error").inner_text()
    assert case.steps.filter(kind="review_meeting").exists()
    shot(page, "personnel-case-step")

    # Home Affairs reads the province's grades, then the provincial centre's ranking.
    page.goto(f"{base}/discipline/evaluation/grades/?year=2026")
    table = page.locator("#grade-table").inner_text()
    assert "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh" in table
    no_sideways_scroll(page)
    shot(page, "home-affairs-grades")
    page.click("#grade-table >> text=Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh")
    page.wait_for_load_state()
    assert "Trần Thị Thu Hà" in page.locator("#ranking").inner_text()
    shot(page, "home-affairs-ranking")
