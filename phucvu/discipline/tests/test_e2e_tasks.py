"""In a browser: a leader assigns a task, the cadre records its progress from "my tasks", the leader follows it
on the unit's overview — at 1366 and 390 px (docs/discipline.md §7.8). TASK_SHOTS=folder keeps screenshots."""

from __future__ import annotations

import os

import pytest

from phucvu.core.localtime import TIME_ZONE
from phucvu.discipline.models import Task
from phucvu.discipline.services.tasks import work_item_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("TASK_SHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0, "sideways scroll"


@pytest.mark.parametrize("width", [1366, 390])
def test_a_leader_assigns_and_follows_a_task_the_cadre_records_progress(browser, live_server, login, province,
                                                                       make_staff, width):
    clerk = make_staff(province["commune_desk"], "desk_clerk", full_name="Đào Thị Hạnh")
    leader = make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh")
    make_staff(province["commune"], "specialist", full_name="Vũ Văn Khác")
    item = work_item_create(actor=leader, agency=province["commune"], name="Báo cáo kết quả cải cách hành chính",
                     coefficient="2", measure="báo cáo")
    context = browser.new_context(locale="vi-VN", timezone_id=TIME_ZONE, viewport={"width": width, "height": 900},
                                  is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, leader.user.username)
        page.goto(f"{live_server.url}/discipline/tasks/")
        page.click("#assign-task")
        page.wait_for_load_state()
        page.select_option("#item", str(item.pk))
        page.select_option("#staff", str(clerk.pk))
        page.fill("#quantity", "3")
        page.fill("#criterion", "Đúng mẫu, số liệu khớp phần mềm một cửa")
        no_sideways_scroll(page)
        shot(page, f"task-new-{width}")
        page.click("#give-task")
        page.wait_for_load_state()
        assert page.locator("#task-status").get_attribute("data-status") == "open"
        assert page.locator("#task-progress").inner_text() == "0/3"
        task = Task.objects.get()
        context.clear_cookies()

        login(page, clerk.user.username)
        page.click("text=Nhiệm vụ của tôi")  # the home page's duty
        page.wait_for_load_state()
        assert "Báo cáo kết quả cải cách hành chính" in page.locator("#my-tasks").inner_text()
        no_sideways_scroll(page)
        shot(page, f"task-mine-{width}")
        page.click("#my-tasks >> text=Báo cáo kết quả cải cách hành chính")
        page.wait_for_load_state()
        page.fill("#quantity", "5")
        page.click("#record-progress")
        page.wait_for_load_state()
        assert "Vượt số lượng giao" in page.locator("#task-error").inner_text()
        page.fill("#quantity", "3")
        page.fill("#to_standard", "2")
        page.click("#record-progress")
        page.wait_for_load_state()
        assert page.locator("#task-progress").inner_text() == "3/3"
        assert page.locator("#task-status").get_attribute("data-status") in ("early", "on_time")
        assert page.locator("#leader-form").count() == 0  # the clerk has no leader's actions
        no_sideways_scroll(page)
        shot(page, f"task-detail-clerk-{width}")
        context.clear_cookies()

        login(page, leader.user.username)
        page.goto(f"{live_server.url}/discipline/tasks/overview/")
        overview = page.locator("#overview").inner_text()
        assert "Đào Thị Hạnh" in overview and "3/3" in overview
        no_sideways_scroll(page)
        shot(page, f"task-overview-{width}")
        page.click("#overview >> text=Báo cáo kết quả cải cách hành chính")
        page.wait_for_load_state()
        page.select_option("#action", "check_failed")
        page.fill("#leader-note", "Thiếu số liệu hồ sơ trực tuyến")
        page.click("#record-leader")
        page.wait_for_load_state()
        assert "Đánh giá không đạt chất lượng" in page.locator("#events").inner_text()
        assert Task.objects.get(pk=task.pk).failed_checks == 1
        no_sideways_scroll(page)
        shot(page, f"task-detail-leader-{width}")
    finally:
        context.close()
