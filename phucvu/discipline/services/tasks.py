"""Writes of tasks (giao việc): the catalogue of work items, assigning, progress and the leader's assessments
(docs/discipline.md §7). One transaction each; every change appends a `TaskEvent`; who may act is the
discipline authority table (`discipline/authority.py`); a refused request writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from phucvu.core.exceptions import InvalidInput, StaleAction
from phucvu.core.localtime import at_or_now, local_day
from phucvu.discipline.authority import ensure_may
from phucvu.discipline.models import (
    ItemSource,
    JobPosition,
    PeriodKind,
    Task,
    TaskEvent,
    TaskEventKind,
    WorkItem,
)
from phucvu.discipline.tasking import TaskPeriod, completed_on, default_deadline, due_day, on_time_amount
from phucvu.organization.models import Agency, Staff
from phucvu.workcalendar.selectors import calendar_for

MAX_QUANTITY = Decimal(100000)


def _decimal(value: Decimal | int | str, what: str, *, minimum: Decimal = Decimal(0),
             maximum: Decimal = MAX_QUANTITY, positive: bool = False) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{what} phải là một số, không phải “{str(value)[:20]}”.") from None
    if not number.is_finite() or number < minimum or number > maximum or (positive and number <= 0):
        raise InvalidInput(f"{what} phải {'lớn hơn' if positive else 'từ'} {minimum}"
                           f"{'' if positive else f' đến {maximum}'}.")
    return number.quantize(Decimal("0.01"))


# -- the catalogue -----------------------------------------------------------------------------------------------

@transaction.atomic
def work_item_create(*, actor: Staff | None, agency: Agency, name: str, coefficient: Decimal | str = Decimal(1),
                     measure: str = "sản phẩm", source: str = ItemSource.MANUAL,
                     job_position: JobPosition | None = None) -> WorkItem:
    """A product or work item of the unit's catalogue, with its conversion coefficient to a standard product."""
    ensure_may(actor, "item_edit", agency_id=agency.pk)
    name = " ".join(name.split())[:200]
    if not name:
        raise InvalidInput("Cần tên sản phẩm, công việc.")
    if source not in ItemSource.values:
        raise InvalidInput("Cách đo kết quả không hợp lệ.")
    value = _decimal(coefficient, "Hệ số quy đổi", maximum=Decimal(100), positive=True)
    if WorkItem.objects.filter(agency=agency, name=name).exists():
        raise InvalidInput(f"Danh mục của đơn vị đã có “{name}”.")
    return WorkItem.objects.create(agency=agency, name=name, coefficient=value, measure=(measure or "sản phẩm")[:40],
                                   source=source, job_position=job_position, created_by=actor)


@transaction.atomic
def work_item_set_active(*, actor: Staff | None, item_id: int, active: bool) -> WorkItem:
    """Stop (or resume) offering an item for new tasks; tasks already given keep it."""
    item = WorkItem.objects.select_for_update().get(pk=item_id)
    ensure_may(actor, "item_edit", agency_id=item.agency_id)
    item.active = active
    item.save(update_fields=["active"])
    return item


# -- assigning ---------------------------------------------------------------------------------------------------

@transaction.atomic
def task_assign(*, actor: Staff | None, item: WorkItem, year: int, kind: str, number: int,
                quantity: Decimal | str, staff: Staff | None = None, unit: Agency | None = None,
                criterion: str = "", deadline: dt.date | None = None, note: str = "",
                at: dt.datetime | None = None) -> Task:
    """A leader gives an item of the catalogue to a cadre or a unit for a month or a quarter."""
    if (staff is None) == (unit is None):
        raise InvalidInput("Giao cho một cán bộ hoặc một đơn vị.")
    work_agency = staff.agency if staff is not None else unit
    assert work_agency is not None
    ensure_may(actor, "assign", agency_id=work_agency.pk, assignee_id=staff.pk if staff else None,
               unit_id=unit.pk if unit else None)
    if staff is not None and not staff.active:
        raise InvalidInput(f"{staff.full_name} không còn công tác: không giao nhiệm vụ.")
    if not item.active:
        raise InvalidInput(f"“{item.name}” đã ngừng dùng trong danh mục.")
    item_agency = Agency.objects.only("path").get(pk=item.agency_id)
    if not work_agency.path.startswith(item_agency.path):
        raise InvalidInput(f"“{item.name}” thuộc danh mục của đơn vị khác: chọn trong danh mục của đơn vị "
                           "được giao hoặc đơn vị cấp trên.")
    if item.source == ItemSource.ONE_STOP and staff is None:
        raise InvalidInput("Sản phẩm đo từ hồ sơ một cửa chỉ giao cho từng cán bộ.")
    if kind not in PeriodKind.values:
        raise InvalidInput("Kỳ giao việc phải là tháng hoặc quý.")
    try:
        period = TaskPeriod(int(year), kind, int(number))
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    amount = _decimal(quantity, "Số lượng giao", positive=True)
    cal = calendar_for(work_agency.pk)
    if deadline is None:
        deadline = default_deadline(cal, period)
    elif not period.contains(deadline):
        raise InvalidInput(f"Hạn hoàn thành phải trong kỳ {period.label} "
                           f"({period.first_day:%d/%m/%Y}–{period.last_day:%d/%m/%Y}).")
    now = at_or_now(at)
    task = Task.objects.create(
        item=item, staff=staff, unit=unit, year=period.year, period_kind=kind, number=period.number, quantity=amount,
        coefficient=item.coefficient, criterion=" ".join(criterion.split())[:300], deadline=deadline,
        due_on=due_day(cal, deadline), fed=item.source == ItemSource.ONE_STOP, note=note[:300], assigned_by=actor,
        assigned_at=now)
    TaskEvent.objects.create(task=task, kind=TaskEventKind.ASSIGNED, at=now, on=local_day(now), actor=actor,
                             quantity=amount, note=task.criterion)
    return task


@transaction.atomic
def tasks_assign(*, actor: Staff | None, item: WorkItem, targets: list[tuple[Staff | None, Agency | None]],
                 year: int, kind: str, number: int, quantity: Decimal | str, criterion: str = "",
                 deadline: dt.date | None = None, note: str = "", at: dt.datetime | None = None) -> list[Task]:
    """The same item to several cadres at once: all of them or none."""
    return [task_assign(actor=actor, item=item, staff=staff, unit=unit, year=year, kind=kind, number=number,
                        quantity=quantity, criterion=criterion, deadline=deadline, note=note, at=at)
            for staff, unit in targets]


def _locked(task_id: int, version: int | None) -> Task:
    task = Task.objects.select_for_update(of=("self",)).select_related("item", "staff").filter(pk=task_id).first()
    if task is None:
        raise InvalidInput("Không có nhiệm vụ này.")
    if version is not None and task.version != version:
        raise StaleAction("Nhiệm vụ vừa được người khác cập nhật; hãy tải lại trang rồi làm lại.")
    if task.cancelled_at is not None:
        raise InvalidInput("Nhiệm vụ đã hủy giao.")
    return task


def _ensure(actor: Staff | None, action: str, task: Task) -> None:
    ensure_may(actor, action, agency_id=task.agency_id_of_work, assignee_id=task.staff_id, unit_id=task.unit_id)


def _event(task: Task, kind: str, actor: Staff | None, now: dt.datetime, on: dt.date, **fields) -> TaskEvent:
    task.version += 1
    return TaskEvent.objects.create(task=task, kind=kind, at=now, on=on, actor=actor, **fields)


def _recompute(task: Task) -> None:
    """The totals from the progress events (the due day may have moved)."""
    rows = [(on, quantity or Decimal(0), standard or Decimal(0)) for on, quantity, standard in
            task.events.filter(kind=TaskEventKind.PROGRESS).values_list("on", "quantity", "to_standard")]
    progress = [(on, quantity) for on, quantity, _standard in rows]
    task.done = sum((q for _on, q in progress), Decimal(0))
    task.to_standard = sum((s for _on, _q, s in rows), Decimal(0))
    task.on_time = on_time_amount(task.due_on, progress)
    task.completed_on = completed_on(task.quantity, progress)


@transaction.atomic
def task_progress(*, actor: Staff | None, task_id: int, on: dt.date, quantity: Decimal | str,
                  to_standard: Decimal | str | None = None, note: str = "", version: int | None = None,
                  at: dt.datetime | None = None) -> Task:
    """The cadre (or the leader) records what was done on a day; the status follows from the dates."""
    task = _locked(task_id, version)
    _ensure(actor, "progress", task)
    if task.fed:
        raise InvalidInput("Nhiệm vụ này được đo tự động từ hồ sơ một cửa: không ghi tay.")
    now = at_or_now(at)
    if on > local_day(now):
        raise InvalidInput("Không ghi tiến độ cho ngày chưa tới.")
    if on < local_day(task.assigned_at):
        raise InvalidInput(f"Ngày {on:%d/%m/%Y} trước ngày giao nhiệm vụ ({local_day(task.assigned_at):%d/%m/%Y}).")
    amount = _decimal(quantity, "Số lượng hoàn thành", positive=True)
    if task.done + amount > task.quantity:
        raise InvalidInput(f"Vượt số lượng giao: đã ghi {task.done.normalize():f}/{task.quantity.normalize():f}, "
                           f"còn {(task.quantity - task.done).normalize():f}.")
    standard = amount if to_standard in (None, "") else _decimal(to_standard, "Số lượng đạt chất lượng")
    if standard > amount:
        raise InvalidInput("Số lượng đạt chất lượng không vượt số lượng hoàn thành.")
    _event(task, TaskEventKind.PROGRESS, actor, now, on, quantity=amount, to_standard=standard, note=note[:300])
    _recompute(task)
    task.save()
    return task


@transaction.atomic
def task_check_failed(*, actor: Staff | None, task_id: int, note: str, version: int | None = None,
                      at: dt.datetime | None = None) -> Task:
    """The leader's assessment: the product did not meet the quality criterion (25 % of the item's quality
    points deducted, docs/discipline.md §7.5)."""
    task = _locked(task_id, version)
    _ensure(actor, "check_failed", task)
    if not note.strip():
        raise InvalidInput("Cần ghi nội dung chưa đạt so với tiêu chí chất lượng.")
    now = at_or_now(at)
    task.failed_checks += 1
    _event(task, TaskEventKind.CHECK_FAILED, actor, now, local_day(now), note=note.strip()[:300])
    task.save()
    return task


@transaction.atomic
def task_extend(*, actor: Staff | None, task_id: int, deadline: dt.date, reason: str, version: int | None = None,
                at: dt.datetime | None = None) -> Task:
    """A new deadline: one delay (25 % of the item's progress points, unless waived)."""
    task = _locked(task_id, version)
    _ensure(actor, "extend", task)
    if not reason.strip():
        raise InvalidInput("Gia hạn cần nêu lý do.")
    new_due = due_day(calendar_for(task.agency_id_of_work), deadline)
    if new_due <= task.due_on:
        raise InvalidInput(f"Hạn mới phải sau hạn hiện tại ({task.due_on:%d/%m/%Y}).")
    now = at_or_now(at)
    task.deadline, task.due_on = deadline, new_due
    task.delays += 1
    _event(task, TaskEventKind.EXTENDED, actor, now, deadline, note=reason.strip()[:300])
    _recompute(task)
    task.save()
    return task


@transaction.atomic
def task_waive(*, actor: Staff | None, task_id: int, reason: str, version: int | None = None,
               at: dt.datetime | None = None) -> Task:
    """The competent leader confirms an objective cause: the task's 25 % deductions are waived."""
    task = _locked(task_id, version)
    _ensure(actor, "waive", task)
    if not reason.strip():
        raise InvalidInput("Miễn trừ cần nêu lý do khách quan đã được xác nhận.")
    now = at_or_now(at)
    task.waiver, task.waived_by = reason.strip()[:300], actor
    _event(task, TaskEventKind.WAIVED, actor, now, local_day(now), note=task.waiver)
    task.save()
    return task


@transaction.atomic
def task_cancel(*, actor: Staff | None, task_id: int, reason: str, version: int | None = None,
                at: dt.datetime | None = None) -> Task:
    """The task is withdrawn (it stays, marked cancelled); it no longer counts nor reminds."""
    task = _locked(task_id, version)
    _ensure(actor, "cancel", task)
    if not reason.strip():
        raise InvalidInput("Hủy giao cần nêu lý do.")
    now = at_or_now(at)
    task.cancelled_at = now
    _event(task, TaskEventKind.CANCELLED, actor, now, local_day(now), note=reason.strip()[:300])
    task.save()
    return task

