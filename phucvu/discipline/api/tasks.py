"""Tasks API (docs/discipline.md §7): the tasks of a period as a leader's overview or one's own, one task with
its events and the actions the authority table allows, and recording progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema

from phucvu.core.exceptions import InvalidInput
from phucvu.core.web import PageNumber, RecordId, SaneDate, Year
from phucvu.discipline.api.common import ERRORS, actor, bounds
from phucvu.discipline.selectors import tasks as selectors
from phucvu.discipline.selectors.tasks import Measured
from phucvu.discipline.services.tasks import task_progress

router = Router(tags=["discipline"])

Quantity = Annotated[Decimal, Field(gt=0, le=1_000_000, max_digits=10, decimal_places=2)]


class TaskOut(Schema):
    id: int
    item: str
    measure: str
    staff_id: int | None
    staff_name: str
    unit_code: str
    unit_name: str
    period: str
    quantity: Decimal
    coefficient: Decimal
    criterion: str
    deadline: dt.date
    due_on: dt.date
    fed: bool
    status: str
    status_label: str
    assigned: Decimal
    done: Decimal
    to_standard: Decimal
    on_time: Decimal
    failed_checks: int
    delays: int
    waiver: str
    cancelled: bool
    version: int


class TaskEventOut(Schema):
    kind: str
    kind_label: str
    at: dt.datetime
    on: dt.date
    actor: str
    quantity: Decimal | None
    to_standard: Decimal | None
    note: str


class TaskDetail(TaskOut):
    events: list[TaskEventOut]
    actions: list[str]


class TaskPage(Schema):
    count: int
    page: int
    per_page: int
    results: Decimal  # the 70 result points these tasks give (docs/discipline.md §7.5)
    items: list[TaskOut]


class ProgressIn(Schema):
    version: int
    on: SaneDate
    quantity: Quantity
    to_standard: Annotated[Decimal, Field(ge=0, le=1_000_000, max_digits=10, decimal_places=2)] | None = None
    note: Annotated[str, Field(max_length=300)] = ""


def task_out(m: Measured) -> dict:
    t = m.task
    return {"id": t.pk, "item": t.item.name, "measure": t.item.measure, "staff_id": t.staff_id,
            "staff_name": t.staff.full_name if t.staff else "", "unit_code": t.unit.code if t.unit else "",
            "unit_name": t.unit.name if t.unit else "", "period": t.period_label, "quantity": t.quantity,
            "coefficient": t.coefficient, "criterion": t.criterion, "deadline": t.deadline, "due_on": t.due_on,
            "fed": t.fed, "status": m.status, "status_label": m.status_label, "assigned": m.assigned,
            "done": m.done, "to_standard": m.to_standard, "on_time": m.on_time, "failed_checks": t.failed_checks,
            "delays": t.delays, "waiver": t.waiver, "cancelled": t.cancelled_at is not None, "version": t.version}


def _detail(request: HttpRequest, task_id: int) -> dict:
    task = selectors.task_detail(user=request.user, task_id=task_id)
    out = task_out(selectors.measure([task])[0])
    out["events"] = [{"kind": e.kind, "kind_label": str(e.get_kind_display()), "at": e.at, "on": e.on,
                      "actor": e.actor.full_name if e.actor else "", "quantity": e.quantity,
                      "to_standard": e.to_standard, "note": e.note} for e in selectors.task_events(task)]
    out["actions"] = sorted(selectors.allowed_actions(request.user, task))
    return out


@router.get("/", response={200: TaskPage, **ERRORS}, summary="Nhiệm vụ được giao trong một kỳ (được xem)")
def list_tasks(request: HttpRequest, year: Year, kind: Literal["month", "quarter"] = "month",
               number: Annotated[int, Field(ge=1, le=12)] = 1, q: Annotated[str, Field(max_length=100)] = "",
               status: str = "", agency: RecordId | None = None, mine: bool = False, page: PageNumber = 1,
               per_page: int = 50):
    """`mine`: the caller's own tasks (and those of the unit they lead); otherwise every task the caller sees,
    as the leader's overview, filtered by unit, name and status."""
    if kind == "quarter" and number > 4:
        raise InvalidInput("Quý phải từ 1 đến 4.")
    page, per_page = bounds(page, per_page)
    if mine:
        measured = selectors.measure(list(selectors.my_tasks(user=request.user, year=year, number=number,
                                                             kind=kind)))
        measured = [m for m in measured if not status or m.status == status]
    else:
        measured = selectors.overview(user=request.user, year=year, kind=kind, number=number, agency_id=agency,
                                      query=q, status=status)
    return {"count": len(measured), "page": page, "per_page": per_page, "results": selectors.results_of(measured),
            "items": [task_out(m) for m in measured[(page - 1) * per_page: page * per_page]]}


@router.get("/{task_id}", response={200: TaskDetail, **ERRORS}, summary="Một nhiệm vụ, diễn biến và thao tác được phép")
def get_task(request: HttpRequest, task_id: RecordId):
    return _detail(request, task_id)


@router.post("/{task_id}/progress", response={200: TaskDetail, **ERRORS},
             summary="Ghi tiến độ: số lượng hoàn thành trong một ngày (cán bộ được giao hoặc lãnh đạo)")
def record_progress(request: HttpRequest, task_id: RecordId, body: ProgressIn):
    selectors.task_detail(user=request.user, task_id=task_id)  # not seen: 404 before anything else
    with transaction.atomic():
        task_progress(actor=actor(request), task_id=task_id, on=body.on, quantity=body.quantity,
                      to_standard=body.to_standard, note=body.note, version=body.version)
    return _detail(request, task_id)
