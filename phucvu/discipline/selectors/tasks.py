"""Reads of tasks (docs/discipline.md §7): my tasks, a leader's overview of a unit, one task, the result items of
a score sheet. Scoped by the one visibility rule; the status is computed here, never stored."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from phucvu.core.exceptions import NotFound
from phucvu.core.localtime import LOCAL_TZ, at_or_now, local_day, start_of_day
from phucvu.core.text import fold
from phucvu.discipline.authority import TASK_ACTIONS, may
from phucvu.discipline.grading import ResultItem, results_points
from phucvu.discipline.models import PeriodKind, Task, TaskEvent, WorkItem
from phucvu.discipline.tasking import (
    CANCELLED,
    EARLY,
    LATE,
    MISSED,
    ON_TIME,
    OPEN,
    TaskPeriod,
    fed_status,
    task_status,
)
from phucvu.dossiers.models import DossierEvent, DossierStep
from phucvu.organization.models import PATH_STEP, Agency, AgencyKind, Role, Staff
from phucvu.organization.selectors import staff_of, visible_agencies

STATUS_LABELS = {OPEN: _("Đang thực hiện"), EARLY: _("Hoàn thành sớm"), ON_TIME: _("Hoàn thành đúng hạn"),
                 LATE: _("Hoàn thành trễ hạn"), MISSED: _("Quá hạn, chưa hoàn thành"), CANCELLED: _("Đã hủy giao")}
STATUS_COLORS = {OPEN: "secondary", EARLY: "success", ON_TIME: "success", LATE: "warning", MISSED: "danger",
                 CANCELLED: "light"}


@dataclass
class Measured:
    """A task as measured today: the figures the status and the score come from."""

    task: Task
    status: str
    assigned: Decimal
    done: Decimal
    to_standard: Decimal
    on_time: Decimal
    overdue: int = 0  # fed tasks: steps due in the period, unfinished and past due

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def status_color(self) -> str:
        return STATUS_COLORS[self.status]

    @property
    def percent(self) -> int | None:
        return int(self.done * 100 / self.assigned) if self.assigned else None

    def result_item(self) -> dict[str, Any]:
        """The task as a work item of a score sheet (docs/discipline.md §6.3)."""
        item = {"name": self.task.item.name, "task": self.task.pk, "coefficient": str(self.task.coefficient),
                "assigned": str(self.assigned), "done": str(min(self.done, self.assigned)),
                "to_standard": str(min(self.to_standard, self.done)), "on_time": str(min(self.on_time, self.done)),
                "failed_checks": str(self.task.failed_checks), "delays": str(self.task.delays)}
        if self.task.waiver:
            item["waiver"] = self.task.waiver
            item["waived_by"] = self.task.waived_by.full_name if self.task.waived_by else ""
        return item


def _bounds(period: TaskPeriod) -> tuple[dt.datetime, dt.datetime]:
    return start_of_day(period.first_day), start_of_day(period.last_day + dt.timedelta(days=1))


def _work_agencies(staff_ids: list[int]) -> set[int]:
    """Where the cadres' steps are held: their agencies, a commune and its one-stop desk being one seat."""
    seats = {parent if kind == AgencyKind.DESK and parent else pk for pk, kind, parent in
             Agency.objects.filter(staff__pk__in=staff_ids).values_list("pk", "kind", "parent_id")}
    desks = Agency.objects.filter(parent_id__in=seats, kind=AgencyKind.DESK).values_list("pk", flat=True)
    return seats | set(desks)


def handled_steps(staff_ids: list[int], period: TaskPeriod, now: dt.datetime) -> QuerySet[DossierStep]:
    """The one-stop steps of the period that are the cadres' (`handler`): finished in it by them — its
    assignee, or, for a step nobody was assigned (a desk's reception), whoever finished it — and those
    assigned to them, due in it, unfinished and past due."""
    first, end = _bounds(period)
    finisher = (DossierEvent.objects.filter(dossier_id=OuterRef("dossier_id"), at=OuterRef("finished_at"),
                                            actor__isnull=False).order_by("pk").values("actor_id")[:1])
    return (DossierStep.objects.filter(agency_id__in=_work_agencies(staff_ids))
            .filter(Q(finished_at__gte=first, finished_at__lt=end)
                    | Q(finished_at__isnull=True, assignee__isnull=False, due_at__gte=first,
                        due_at__lt=min(end, now)))
            .annotate(handler=Coalesce("assignee_id", Subquery(finisher), output_field=BigIntegerField()))
            .filter(handler__in=staff_ids))


def fed_counts(staff_ids: list[int], period: TaskPeriod, now: dt.datetime) -> dict[int, dict[str, Any]]:
    """Per cadre, the one-stop steps of the period: handled (finished in it), on time (by the step's due
    moment), overdue (due in it, unfinished, past due). One query for everyone."""
    rows = (handled_steps(staff_ids, period, now).values("handler")  # type: ignore[misc]
            .annotate(handled=Count("pk", filter=Q(finished_at__isnull=False)),
                      on_time=Count("pk", filter=Q(finished_at__isnull=False)
                                    & (Q(due_at__isnull=True) | Q(finished_at__lte=F("due_at")))),
                      overdue=Count("pk", filter=Q(finished_at__isnull=True))))
    return {r["handler"]: dict(r) for r in rows}


def measure(tasks: list[Task], *, now: dt.datetime | None = None) -> list[Measured]:
    """Status and figures of each task; the fed ones from the dossiers' steps (one query per period)."""
    now = at_or_now(now)
    today = local_day(now)
    fed: dict[tuple[int, str, int], list[Task]] = defaultdict(list)
    for task in tasks:
        if task.fed and task.staff_id:
            fed[(task.year, task.period_kind, task.number)].append(task)
    counts: dict[tuple[int, int, str, int], dict[str, Any]] = {}
    for (year, kind, number), group in fed.items():
        found = fed_counts([t.staff_id for t in group if t.staff_id], TaskPeriod(year, kind, number), now)
        for staff_id, row in found.items():
            counts[(staff_id, year, kind, number)] = row
    out = []
    for task in tasks:
        cancelled = task.cancelled_at is not None
        if task.fed:
            row = counts.get((task.staff_id or 0, task.year, task.period_kind, task.number), {})
            handled, on_time, overdue = row.get("handled", 0), row.get("on_time", 0), row.get("overdue", 0)
            status = fed_status(done=handled, on_time=on_time, overdue=overdue, due_on=task.due_on, today=today,
                                cancelled=cancelled)
            out.append(Measured(task, status, Decimal(handled + overdue), Decimal(handled), Decimal(handled),
                                Decimal(on_time), overdue))
        else:
            status = task_status(quantity=task.quantity, done=task.done, completed_on=task.completed_on,
                                 due_on=task.due_on, today=today, cancelled=cancelled)
            out.append(Measured(task, status, task.quantity, task.done, task.to_standard, task.on_time))
    return out


def _base() -> QuerySet[Task]:
    return Task.objects.select_related("item", "staff", "staff__agency", "unit", "waived_by", "assigned_by")


def visible_tasks(user) -> QuerySet[Task]:
    """Tasks of the cadres and units the user sees, and the user's own."""
    agencies = visible_agencies(user)
    me = staff_of(user)
    scope = Q(staff__agency__in=agencies) | Q(unit__in=agencies)
    if me is not None:
        scope |= Q(staff=me)
    return _base().filter(scope)


def my_tasks(*, user, year: int, number: int | None = None, kind: str = PeriodKind.MONTH,
             query: str = "") -> QuerySet[Task]:
    """The cadre's own tasks for a year (or one period), and those of the unit they lead; `query` searches the
    item's name (accents optional)."""
    me = staff_of(user)
    if me is None:
        return Task.objects.none()
    mine = Q(staff=me)
    if me.role == Role.UNIT_LEADER:
        mine |= Q(unit=me.agency)
    qs = _base().filter(mine, year=year)
    if number is not None:
        qs = qs.filter(in_period(year, kind, number))
    if query:
        qs = qs.filter(item__search_key__contains=fold(query))
    return qs.order_by("due_on", "pk")


def in_period(year: int, kind: str, number: int) -> Q:
    """The tasks of a month also include the quarter's tasks due in it; a quarter's, the months' tasks in it."""
    period = TaskPeriod(year, kind, number)
    if kind == PeriodKind.QUARTER:
        months = range(3 * number - 2, 3 * number + 1)
        return (Q(period_kind=PeriodKind.QUARTER, number=number)
                | Q(period_kind=PeriodKind.MONTH, number__in=list(months)))
    return (Q(period_kind=PeriodKind.MONTH, number=number)
            | Q(period_kind=PeriodKind.QUARTER, due_on__gte=period.first_day, due_on__lte=period.last_day))


def task_detail(*, user, task_id: int) -> Task:
    task = visible_tasks(user).filter(pk=task_id).first()
    if task is None:
        raise NotFound("Không có nhiệm vụ này, hoặc bạn không được xem.")
    return task


def task_events(task: Task) -> QuerySet[TaskEvent]:
    return task.events.select_related("actor").order_by("at", "pk")


def fed_steps(task: Task, *, limit: int = 50) -> QuerySet[DossierStep]:
    """The steps a fed task counts, latest first (the dossiers behind the figures)."""
    return (handled_steps([task.staff_id or 0], task.period, at_or_now()).select_related("dossier")
            .order_by(F("finished_at").desc(nulls_first=True))[:limit])


def allowed_actions(user, task: Task) -> set[str]:
    """The task's actions the user may take (the page's buttons read the authority table)."""
    me = staff_of(user)
    if me is None or task.cancelled_at is not None:
        return set()
    return {a for a in TASK_ACTIONS
            if may(me, a, agency_id=task.agency_id_of_work, assignee_id=task.staff_id, unit_id=task.unit_id)
            and not (a == "progress" and (task.fed or task.done >= task.quantity))}


def overview(*, user, year: int, kind: str, number: int, agency_id: int | None = None, query: str = "",
             status: str = "") -> list[Measured]:
    """A leader's view of a period: every visible task, measured, filtered by unit, name and status."""
    qs = visible_tasks(user).filter(in_period(year, kind, number), year=year)
    if agency_id:
        agency = Agency.objects.filter(pk=agency_id).only("path").first()
        if agency is not None:
            qs = qs.filter(Q(staff__agency__path__startswith=agency.path) | Q(unit__path__startswith=agency.path))
    if query:
        key = fold(query)
        qs = qs.filter(Q(staff__search_key__contains=key) | Q(item__search_key__contains=key)
                       | Q(unit__search_key__contains=key))
    measured = measure(list(qs.order_by("staff__agency__path", "staff__full_name", "due_on", "pk")))
    return [m for m in measured if not status or m.status == status]


def overview_by_cadre(measured: list[Measured]) -> list[dict[str, Any]]:
    """Per cadre (or unit): the count at each status and the result points their tasks give."""
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for m in measured:
        key = ("staff", m.task.staff_id) if m.task.staff_id else ("unit", m.task.unit_id or 0)
        row = rows.setdefault(key, {"staff": m.task.staff, "unit": m.task.unit, "tasks": [],
                                    "counts": dict.fromkeys(STATUS_LABELS, 0)})
        row["tasks"].append(m)
        row["counts"][m.status] += 1
    for row in rows.values():
        row["results"] = results_of(row["tasks"])
    return list(rows.values())


def results_of(measured: list[Measured]) -> Decimal:
    """The 70 result points of these tasks (cancelled ones do not count)."""
    items = [m.result_item() for m in measured if m.status != CANCELLED]
    return results_points(ResultItem(
        assigned=Decimal(i["assigned"]), done=Decimal(i["done"]), to_standard=Decimal(i["to_standard"]),
        on_time=Decimal(i["on_time"]), failed_checks=int(i["failed_checks"]), delays=int(i["delays"]),
        waived=bool(i.get("waiver")), coefficient=Decimal(i["coefficient"])) for i in items)


def sheet_result_items(staff: Staff, year: int, kind: str, number: int, *,
                       now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The work items of a score sheet, from the cadre's tasks of the period (cancelled ones left out)."""
    tasks = list(_base().filter(in_period(year, kind, number), staff=staff, year=year,
                                cancelled_at__isnull=True).order_by("due_on", "pk"))
    return [m.result_item() for m in measure(tasks, now=now)]


def catalogue(*, user, query: str = "", include_inactive: bool = True) -> QuerySet[WorkItem]:
    qs = WorkItem.objects.filter(agency__in=visible_agencies(user)).select_related("agency", "job_position")
    if not include_inactive:
        qs = qs.filter(active=True)
    if query:
        qs = qs.filter(search_key__contains=fold(query))
    return qs.order_by("agency__path", "name")


def items_for(agency: Agency) -> QuerySet[WorkItem]:
    """The items a leader of `agency` may give: the catalogue of the agency, of the agencies above it and of the
    units below it (a centre's or an office's own items); the service checks each against the cadre's unit."""
    prefixes = [agency.path[:i] for i in range(PATH_STEP, len(agency.path) + 1, PATH_STEP)] or [agency.path]
    return (WorkItem.objects.filter(Q(agency__path__in=prefixes) | Q(agency__path__startswith=agency.path),
                                    active=True).select_related("agency")
            .order_by("agency__path", "name"))


def assignable_staff(user) -> QuerySet[Staff]:
    """Active cadres the user may give tasks to (the leader's unit and below), not the user."""
    me = staff_of(user)
    if me is None or me.role != Role.UNIT_LEADER:
        return Staff.objects.none()
    return (Staff.objects.filter(agency__in=visible_agencies(user), active=True).exclude(pk=me.pk)
            .select_related("agency").order_by("agency__path", "full_name"))


def assignable_units(user) -> QuerySet[Agency]:
    me = staff_of(user)
    if me is None or me.role != Role.UNIT_LEADER:
        return Agency.objects.none()
    return visible_agencies(user).order_by("path")


def local_now() -> dt.datetime:
    return at_or_now().astimezone(LOCAL_TZ)
