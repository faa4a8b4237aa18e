"""Tasks (giao việc): deadlines on the working calendar, the computed status, who may act, the one-stop feed,
the result points of a score sheet and the reminders (docs/discipline.md §7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.exceptions import InvalidInput, NotAllowed, StaleAction
from phucvu.core.localtime import LOCAL_TZ, today
from phucvu.discipline.authority import authority_markdown
from phucvu.discipline.models import ItemSource, Task, TaskEvent, WorkItem
from phucvu.discipline.selectors.tasks import items_for, measure, results_of, sheet_result_items
from phucvu.discipline.services.evaluation import (
    GENERAL_CRITERIA,
    score_sheet_manager_score,
    score_sheet_open,
    score_sheet_self_score,
)
from phucvu.discipline.services.tasks import (
    task_assign,
    task_cancel,
    task_check_failed,
    task_extend,
    task_progress,
    task_waive,
    work_item_create,
)
from phucvu.discipline.task_reminders import milestone_on, task_items
from phucvu.discipline.tasking import (
    EARLY,
    LATE,
    MISSED,
    ON_TIME,
    OPEN,
    TaskPeriod,
    default_deadline,
    due_day,
    task_status,
)
from phucvu.dossiers.services import dossier_forward, dossier_receive
from phucvu.notifications.digest import items_by_staff
from phucvu.notifications.sweeps import digests
from phucvu.workcalendar.seed import vietnam_calendar

CAL = vietnam_calendar(2024, 2030)
FULL = {key: str(maximum) for key, _label, maximum in GENERAL_CRITERIA}


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)


# -- the pure rules ------------------------------------------------------------------------------------------------

days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 11, 30))


@given(days)
def test_a_deadline_falls_due_on_the_first_working_day_from_it(deadline):
    due = due_day(CAL, deadline)
    assert CAL.is_working_day(due) and due >= deadline
    assert all(not CAL.is_working_day(deadline + dt.timedelta(days=n)) for n in range((due - deadline).days))
    assert due_day(CAL, due) == due


@given(st.integers(2024, 2030), st.sampled_from(["month", "quarter"]), st.integers(1, 12))
def test_the_default_deadline_is_the_periods_last_working_day(year, kind, number):
    period = TaskPeriod(year, kind, min(number, 4) if kind == "quarter" else number)
    day = default_deadline(CAL, period)
    assert period.contains(day) and CAL.is_working_day(day)
    assert not any(CAL.is_working_day(day + dt.timedelta(days=n)) for n in range(1, (period.last_day - day).days + 1))


def test_a_deadline_on_the_april_holidays_moves_to_the_monday_after():
    # 30/4 and 1/5/2026 are public holidays (Thursday, Friday), then a weekend.
    assert due_day(CAL, dt.date(2026, 4, 30)) == dt.date(2026, 5, 4)


@given(quantity=st.integers(1, 50), done=st.integers(0, 60), finished=st.one_of(st.none(), days), due=days,
       today=days)
@settings(max_examples=300)
def test_the_status_follows_the_dates(quantity, done, finished, due, today):
    status = task_status(quantity=Decimal(quantity), done=Decimal(done), completed_on=finished, due_on=due,
                         today=today)
    if done >= quantity and finished is not None:
        assert status == (EARLY if finished < due else ON_TIME if finished == due else LATE)
    else:
        assert status == (MISSED if today > due else OPEN)


def test_reminder_milestones_are_assigned_due_overdue():
    assigned, due = dt.date(2026, 3, 2), dt.date(2026, 3, 31)
    assert milestone_on(assigned, due, dt.date(2026, 3, 1)) is None
    assert milestone_on(assigned, due, dt.date(2026, 3, 2)) == "assigned"
    assert milestone_on(assigned, due, dt.date(2026, 3, 30)) == "due"
    assert milestone_on(assigned, due, dt.date(2026, 4, 1)) == "overdue"


# -- services ------------------------------------------------------------------------------------------------------

@pytest.fixture
def people(province, make_staff):
    return {"clerk": make_staff(province["commune_desk"], "desk_clerk", full_name="Đào Thị Hạnh"),
            "other": make_staff(province["commune"], "specialist", full_name="Vũ Văn Khác"),
            "leader": make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh"),
            "city": make_staff(province["district"], "unit_leader", full_name="Phạm Quốc Hùng"),
            "far": make_staff(province["commune2"], "unit_leader", full_name="Lê Văn Xa"),
            "hr": make_staff(province["dept"], "hr_officer", full_name="Phan Thị Nội Vụ")}


@pytest.fixture
def item(province, people):
    return work_item_create(actor=people["leader"], agency=province["commune"], name="Báo cáo tổng hợp tháng",
                            coefficient="2")


def give(people, item, *, who="clerk", by="leader", quantity=10, deadline=dt.date(2026, 3, 20), **kw):
    return task_assign(actor=people[by], item=item, staff=people[who], year=2026, kind="month", number=3,
                       quantity=quantity, criterion="Đúng mẫu, số liệu khớp", deadline=deadline,
                       at=at(2026, 3, 2, 8, 0), **kw)


@pytest.mark.django_db
def test_progress_decides_early_on_time_late_or_missed(people, item):
    early, on_time, late, missed = (give(people, item, quantity=4) for _ in range(4))
    task_progress(actor=people["clerk"], task_id=early.pk, on=dt.date(2026, 3, 19), quantity=4, at=at(2026, 3, 19, 9))
    task_progress(actor=people["clerk"], task_id=on_time.pk, on=dt.date(2026, 3, 10), quantity=1,
                  at=at(2026, 3, 10, 9))
    task_progress(actor=people["clerk"], task_id=on_time.pk, on=dt.date(2026, 3, 20), quantity=3,
                  at=at(2026, 3, 20, 9))
    task_progress(actor=people["clerk"], task_id=late.pk, on=dt.date(2026, 3, 24), quantity=4, at=at(2026, 3, 24, 9))
    task_progress(actor=people["clerk"], task_id=missed.pk, on=dt.date(2026, 3, 18), quantity=3, at=at(2026, 3, 18, 9))
    statuses = {m.task.pk: m.status for m in measure(list(Task.objects.all()), now=at(2026, 3, 25, 9))}
    assert statuses == {early.pk: EARLY, on_time.pk: ON_TIME, late.pk: LATE, missed.pk: MISSED}
    assert Task.objects.get(pk=late.pk).on_time == 0
    assert TaskEvent.objects.filter(task=on_time).count() == 3  # assigned, two progress records


@pytest.mark.django_db
def test_a_deadline_on_a_day_off_is_due_the_next_working_day(people, item):
    task = task_assign(actor=people["leader"], item=item, staff=people["clerk"], year=2026, kind="month", number=4,
                       quantity=1, deadline=dt.date(2026, 4, 30), at=at(2026, 4, 1, 8))
    assert task.due_on == dt.date(2026, 5, 4)
    task_progress(actor=people["clerk"], task_id=task.pk, on=dt.date(2026, 5, 4), quantity=1, at=at(2026, 5, 4, 9))
    assert measure([Task.objects.get(pk=task.pk)], now=at(2026, 5, 5, 9))[0].status == ON_TIME
    default = task_assign(actor=people["leader"], item=item, staff=people["clerk"], year=2026, kind="quarter",
                          number=1, quantity=1, at=at(2026, 1, 5, 8))
    assert default.due_on == dt.date(2026, 3, 31)


@pytest.mark.django_db
def test_only_the_units_leaders_assign(people, item):
    assert give(people, item, by="city").assigned_by == people["city"]  # the city's leader is above the commune
    for by in ("far", "clerk", "hr"):
        with pytest.raises(NotAllowed):
            give(people, item, by=by)
    with pytest.raises(NotAllowed, match="chính mình"):
        give(people, item, who="leader", by="leader")
    assert Task.objects.count() == 1 and TaskEvent.objects.count() == 1


@pytest.mark.django_db
def test_progress_by_the_assignee_or_a_leader_only(people, item):
    task = give(people, item)
    with pytest.raises(NotAllowed):
        task_progress(actor=people["other"], task_id=task.pk, on=dt.date(2026, 3, 5), quantity=1, at=at(2026, 3, 5))
    task_progress(actor=people["leader"], task_id=task.pk, on=dt.date(2026, 3, 5), quantity=1, at=at(2026, 3, 5))
    with pytest.raises(NotAllowed):
        task_extend(actor=people["clerk"], task_id=task.pk, deadline=dt.date(2026, 3, 27), reason="Xin thêm")


@pytest.mark.django_db
def test_bad_progress_is_refused_and_writes_nothing(people, item):
    task = give(people, item, quantity=2)
    for kw in ({"on": dt.date(2026, 3, 30), "quantity": 1},  # a day still to come
               {"on": dt.date(2026, 3, 1), "quantity": 1},  # before the task was given
               {"on": dt.date(2026, 3, 5), "quantity": 3},  # more than given
               {"on": dt.date(2026, 3, 5), "quantity": "abc"},
               {"on": dt.date(2026, 3, 5), "quantity": 1, "to_standard": 2}):
        with pytest.raises(InvalidInput):
            task_progress(actor=people["clerk"], task_id=task.pk, at=at(2026, 3, 10, 9), **kw)
    assert TaskEvent.objects.filter(task=task).count() == 1 and Task.objects.get(pk=task.pk).done == 0
    with pytest.raises(StaleAction):
        task_progress(actor=people["clerk"], task_id=task.pk, on=dt.date(2026, 3, 5), quantity=1, version=7,
                      at=at(2026, 3, 10, 9))
    with pytest.raises(InvalidInput):
        give(people, item, deadline=dt.date(2026, 4, 2))  # outside March


@pytest.mark.django_db
def test_deductions_of_a_quarter_per_failed_check_and_delay_and_their_waiver(people, item):
    task = give(people, item, quantity=4)
    task_check_failed(actor=people["leader"], task_id=task.pk, note="Sai mẫu biểu", at=at(2026, 3, 12, 9))
    task_extend(actor=people["leader"], task_id=task.pk, deadline=dt.date(2026, 3, 27), reason="Chờ số liệu",
                at=at(2026, 3, 20, 9))
    task_extend(actor=people["leader"], task_id=task.pk, deadline=dt.date(2026, 3, 31), reason="Chờ số liệu",
                at=at(2026, 3, 27, 9))
    task_progress(actor=people["clerk"], task_id=task.pk, on=dt.date(2026, 3, 30), quantity=4, at=at(2026, 3, 30, 9))
    m = measure([Task.objects.get(pk=task.pk)], now=at(2026, 4, 2))
    assert m[0].status == EARLY and m[0].on_time == 4
    # quantity 1, quality (4 − ¼) ÷ 4, progress (4 − 2 × ¼) ÷ 4 → (1 + 0.9375 + 0.875) ÷ 3 × 70
    assert results_of(m) == Decimal("65.63")
    task_waive(actor=people["leader"], task_id=task.pk, reason="Sở Tài chính gửi số liệu chậm", at=at(2026, 4, 1))
    assert results_of(measure([Task.objects.get(pk=task.pk)], now=at(2026, 4, 2))) == Decimal("70.00")
    with pytest.raises(InvalidInput):
        task_extend(actor=people["leader"], task_id=task.pk, deadline=dt.date(2026, 3, 31), reason="Lùi")


@pytest.mark.django_db
def test_the_score_sheet_takes_its_70_points_from_the_tasks(people, item):
    task = give(people, item, quantity=10)
    task_progress(actor=people["clerk"], task_id=task.pk, on=dt.date(2026, 3, 18), quantity=8, to_standard=6,
                  at=at(2026, 3, 18, 9))
    cancelled = give(people, item, quantity=5)
    task_cancel(actor=people["leader"], task_id=cancelled.pk, reason="Giao trùng")
    sheet = score_sheet_open(actor=people["clerk"], staff=people["clerk"], year=2026, kind="month", number=3)
    typed = [{"name": "Tự khai", "assigned": "1", "done": "1", "to_standard": "1", "on_time": "1"}]
    sheet = score_sheet_self_score(actor=people["clerk"], sheet_id=sheet.pk, items=FULL, result_items=typed)
    # 10 given, 8 done (all by the 20th), 6 to standard: (0.8 + 0.6 + 0.8) ÷ 3 × 70 — the typed row is ignored
    assert sheet.results == Decimal("51.33")
    assert [i["task"] for i in sheet.result_items] == [task.pk]
    task_waive(actor=people["leader"], task_id=task.pk, reason="Nghỉ ốm có xác nhận")
    sheet = score_sheet_manager_score(actor=people["leader"], sheet_id=sheet.pk, items=FULL)
    assert sheet.result_items[0]["waiver"] == "Nghỉ ốm có xác nhận" and sheet.results == Decimal("51.33")
    assert sheet_result_items(people["clerk"], 2026, "quarter", 1)[0]["task"] == task.pk


# -- the one-stop feed -----------------------------------------------------------------------------------------------

@pytest.fixture
def procedure(db):
    field = field_ensure(name="Hoạt động xây dựng", code="XD")
    return procedure_create(
        code="1.009994", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", field=field,
        levels=["district", "commune"], amount=5, time_unit="working_days",
        papers=["Đơn đề nghị"], online_level="full",
        steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"), StepSpec("Thẩm định", 70, role="specialist"),
               StepSpec("Phê duyệt", 20, role="unit_leader")])


@pytest.mark.django_db
def test_one_stop_steps_feed_the_clerks_task(province, people, procedure):
    fed_item = work_item_create(actor=people["leader"], agency=province["commune"], name="Tiếp nhận hồ sơ một cửa",
                                source=ItemSource.ONE_STOP)
    task = task_assign(actor=people["leader"], item=fed_item, staff=people["clerk"], year=2026, kind="month",
                       number=3, quantity=100, at=at(2026, 3, 1, 8))
    for day, hour in ((9, 9), (10, 9), (11, 16)):
        dossier = dossier_receive(actor=people["clerk"], agency_id=province["commune_desk"].pk,
                                  procedure_id=procedure.pk, applicant_name="Nguyễn Văn Ánh",
                                  papers=["Đơn đề nghị"], at=at(2026, 3, day, hour))
        # the reception step: forwarded at once, or (the third) two working days later — after its due moment
        when = at(2026, 3, day, hour, 30) if day != 11 else at(2026, 3, 13, 16)
        dossier_forward(actor=people["clerk"], dossier_id=dossier.pk, version=dossier.version, at=when)
    m = measure([task], now=at(2026, 3, 20, 9))[0]
    assert (m.done, m.on_time, m.assigned, m.status) == (3, 2, 3, OPEN)
    assert measure([task], now=at(2026, 4, 1, 9))[0].status == LATE
    with pytest.raises(InvalidInput, match="tự động"):
        task_progress(actor=people["clerk"], task_id=task.pk, on=dt.date(2026, 3, 12), quantity=1,
                      at=at(2026, 3, 12, 9))
    with pytest.raises(InvalidInput):
        task_assign(actor=people["leader"], item=fed_item, unit=province["commune"], year=2026, kind="month",
                    number=3, quantity=1)


# -- reminders -------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_each_reminder_goes_out_once(people, item, settings):
    settings.NOTIFY_MAX_AGE_HOURS = 10_000
    task = give(people, item, quantity=2)
    clerk = people["clerk"].pk

    def keys(now):
        return [i.key for i in task_items(now, now, [clerk])]

    assert keys(at(2026, 3, 2, 7, 30)) == [f"task:{task.pk}:assigned:2026-03-20"]
    digests(at(2026, 3, 2, 7, 30))
    assert keys(at(2026, 3, 3, 7, 30)) == []  # carried yesterday
    assert keys(at(2026, 3, 19, 7, 30)) == [f"task:{task.pk}:due:2026-03-20"]
    digests(at(2026, 3, 19, 7, 30))
    assert keys(at(2026, 3, 19, 9)) == [f"task:{task.pk}:due:2026-03-20"]  # today's digest is the one being sent
    assert keys(at(2026, 3, 20, 7, 30)) == []
    assert keys(at(2026, 3, 21, 7, 30)) == [f"task:{task.pk}:overdue:2026-03-20"]
    task_progress(actor=people["clerk"], task_id=task.pk, on=dt.date(2026, 3, 20), quantity=2, at=at(2026, 3, 20, 16))
    assert keys(at(2026, 3, 21, 7, 30)) == []  # done: nothing more
    assert clerk not in items_by_staff(at(2026, 3, 21, 7, 30), [clerk])


@pytest.mark.django_db
def test_a_unit_task_reminds_the_units_leaders(province, people, item):
    task = task_assign(actor=people["city"], item=item, unit=province["commune"], year=2026, kind="month", number=3,
                       quantity=1, at=at(2026, 3, 2, 8))
    found = {i.staff_id for i in task_items(at(2026, 3, 2, 9), at(2026, 3, 2, 9), None)}
    assert found == {people["leader"].pk}
    task_progress(actor=people["leader"], task_id=task.pk, on=dt.date(2026, 3, 3), quantity=1, at=at(2026, 3, 3, 9))
    with pytest.raises(NotAllowed):
        task_progress(actor=people["far"], task_id=task.pk, on=dt.date(2026, 3, 3), quantity=1, at=at(2026, 3, 3))


def test_the_docs_show_the_authority_table():
    text = (Path(__file__).resolve().parents[3] / "docs" / "discipline.md").read_text(encoding="utf-8")
    assert authority_markdown() in text


# -- pages -----------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_leader_assigns_and_the_clerk_records_through_the_pages(client, people, item):
    now = today()
    period = {"kind": "month", "number": str(now.month), "year": str(now.year)}
    client.force_login(people["leader"].user)
    page = client.get(reverse("discipline:task_new"))
    assert page.status_code == 200 and "Báo cáo tổng hợp tháng" in page.content.decode()
    response = client.post(reverse("discipline:task_new"), {
        "item": item.pk, "staff": [people["clerk"].pk, people["other"].pk], **period, "quantity": "5",
        "criterion": "Đúng mẫu"})
    assert response.status_code == 302 and Task.objects.count() == 2
    refused = client.post(reverse("discipline:task_new"), {
        "item": item.pk, "staff": [people["clerk"].pk], **period, "quantity": "0"})
    assert refused.status_code == 200 and "Số lượng giao" in refused.content.decode() and Task.objects.count() == 2
    overview = client.get(reverse("discipline:task_overview"), period)
    assert "Đào Thị Hạnh" in overview.content.decode() and "Vũ Văn Khác" in overview.content.decode()
    csv = client.get(reverse("discipline:task_overview"), {**period, "format": "csv"})
    assert csv.content.decode("utf-8-sig").count("\n") == 3
    task = Task.objects.get(staff=people["clerk"])
    client.force_login(people["clerk"].user)
    mine = client.get(reverse("discipline:task_mine"), period)
    assert "Báo cáo tổng hợp tháng" in mine.content.decode()
    # "my tasks" is searched (accents optional), paginated and exported like every list
    assert "Báo cáo tổng hợp tháng" in client.get(reverse("discipline:task_mine"),
                                                  {**period, "q": "bao cao tong"}).content.decode()
    assert "Báo cáo tổng hợp tháng" not in client.get(reverse("discipline:task_mine"),
                                                      {**period, "q": "tiep dan"}).content.decode()
    lines = client.get(reverse("discipline:task_mine"), {**period, "format": "csv"}).content.decode(
        "utf-8-sig").strip().splitlines()
    assert lines[0].startswith("task,item,assignee") and len(lines) == 2 and "Đào Thị Hạnh" in lines[1]
    assert client.get(reverse("discipline:task_mine"), {**period, "page": "9"}).status_code in (200, 400)
    refused = client.get(reverse("discipline:task_new"))  # the authority table's `assign`, named in the refusal
    assert refused.status_code == 403 and "Bạn không được giao nhiệm vụ" in refused.content.decode()
    client.post(reverse("discipline:task_detail", args=[task.pk]),
                {"action": "progress", "on": now.isoformat(), "quantity": "2", "version": task.version})
    assert Task.objects.get(pk=task.pk).done == 2
    stale = client.post(reverse("discipline:task_detail", args=[task.pk]),
                        {"action": "progress", "on": now.isoformat(), "quantity": "1", "version": task.version})
    assert "người khác cập nhật" in stale.content.decode() and Task.objects.get(pk=task.pk).done == 2
    client.force_login(people["far"].user)
    assert client.get(reverse("discipline:task_detail", args=[task.pk])).status_code == 404


@pytest.mark.django_db
def test_the_catalogue_page_adds_and_retires_items(client, province, people):
    client.force_login(people["leader"].user)
    client.post(reverse("discipline:item_list"), {"action": "create", "agency": province["commune"].pk,
                                                   "name": "Thẩm định hồ sơ đất đai", "coefficient": "1,5",
                                                   "measure": "hồ sơ", "source": "manual"})
    made = WorkItem.objects.get(name="Thẩm định hồ sơ đất đai")
    assert made.coefficient == Decimal("1.5")
    client.post(reverse("discipline:item_list"), {"action": "toggle", "item": made.pk})
    assert not WorkItem.objects.get(pk=made.pk).active
    client.force_login(people["clerk"].user)
    client.post(reverse("discipline:item_list"), {"action": "create", "agency": province["commune"].pk,
                                                   "name": "Việc tự đặt"})
    assert not WorkItem.objects.filter(name="Việc tự đặt").exists()


@pytest.mark.django_db
def test_the_score_sheet_page_shows_the_tasks_not_typing_rows(client, people, item):
    task = give(people, item, quantity=4)
    sheet = score_sheet_open(actor=people["clerk"], staff=people["clerk"], year=2026, kind="month", number=3)
    client.force_login(people["clerk"].user)
    page = client.get(reverse("discipline:sheet_detail", args=[sheet.pk])).content.decode()
    assert 'id="items-from-tasks"' in page and f"/discipline/tasks/{task.pk}/" in page
    assert 'name="item-0-name"' not in page


@pytest.mark.django_db
def test_the_cadres_page_counts_their_tasks_by_status(client, people, item):
    task = give(people, item, quantity=1)
    task_progress(actor=people["clerk"], task_id=task.pk, on=dt.date(2026, 3, 10), quantity=1, at=at(2026, 3, 10))
    give(people, item, quantity=1)
    client.force_login(people["leader"].user)
    page = client.get(reverse("discipline:staff_detail", args=[people["clerk"].pk]), {"year": 2026})
    text = page.content.decode()
    assert "Hoàn thành sớm: 1" in text and "Quá hạn, chưa hoàn thành: 1" in text


@pytest.mark.django_db
def test_the_lists_do_not_query_per_task(client, province, people, item, make_staff):
    fed = work_item_create(actor=people["leader"], agency=province["commune"], name="Tiếp nhận hồ sơ",
                           source=ItemSource.ONE_STOP)
    now = today()

    def queries(n: int) -> tuple[int, int]:
        for _ in range(n):
            clerk = make_staff(province["commune_desk"], "desk_clerk")
            for it in (item, fed):
                task_assign(actor=people["leader"], item=it, staff=clerk, year=now.year, kind="month",
                            number=now.month, quantity=3)
        counts = []
        for user, url in ((people["leader"], "discipline:task_overview"), (people["clerk"], "discipline:task_mine")):
            client.force_login(user.user)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(url)).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts[0], counts[1]

    assert queries(2) == queries(8)


@pytest.mark.django_db
def test_a_leader_is_offered_the_items_of_the_units_below_and_above(province, people, item):
    """A city's leader gives a ward's own item to the ward's cadre; a ward is not offered its neighbour's items."""
    city = work_item_create(actor=people["city"], agency=province["district"], name="Báo cáo của thành phố")
    other = work_item_create(actor=people["far"], agency=province["commune2"], name="Báo cáo của phường bên")
    offered = set(items_for(people["city"].agency).values_list("name", flat=True))
    assert offered == {item.name, city.name, other.name}
    assert set(items_for(people["leader"].agency).values_list("name", flat=True)) == {item.name, city.name}
