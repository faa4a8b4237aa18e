"""Pages of tasks (docs/discipline.md §7): my tasks, a leader's overview, assigning, one task, the catalogue."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from phucvu.core.exceptions import DomainError, InvalidInput, NotAllowed
from phucvu.core.localtime import today
from phucvu.core.pagination import paginate
from phucvu.core.web import query_choice, query_date, query_id, query_int, query_year
from phucvu.discipline.authority import may, refusal, roles_for
from phucvu.discipline.models import ItemSource, JobPosition, PeriodKind, WorkItem
from phucvu.discipline.selectors import tasks as selectors
from phucvu.discipline.services import tasks as services
from phucvu.discipline.tasking import STATUSES
from phucvu.organization.models import Agency, Staff
from phucvu.organization.selectors import staff_of, visible_agencies


def _csv(name: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _actor(request: HttpRequest) -> Staff:
    staff = staff_of(request.user)
    if staff is None:
        raise NotAllowed(_("Chỉ cán bộ có tài khoản trong hệ thống mới dùng được trang này."))
    return staff


def _period(request: HttpRequest) -> tuple[int, str, int]:
    now = today()
    year = query_year(request.GET, "year", default=now.year)
    kind = query_choice(request.GET, "kind", PeriodKind.values, default=PeriodKind.MONTH)
    top = 4 if kind == PeriodKind.QUARTER else 12
    default = (now.month - 1) // 3 + 1 if kind == PeriodKind.QUARTER else now.month
    number = query_int(request.GET, "number", default=default, minimum=1, maximum=top)
    return year, kind, number or default


def _periods(kind: str) -> list[tuple[int, str]]:
    if kind == PeriodKind.QUARTER:
        return [(n, _("Quý %(n)s") % {"n": n}) for n in range(1, 5)]
    return [(n, _("Tháng %(n)s") % {"n": n}) for n in range(1, 13)]


def _task_csv(name: str, measured: list) -> HttpResponse:
    """One row per task, measured (the overview's and "my tasks"' export)."""
    return _csv(name, [
        "task", "item", "assignee", "agency", "period", "quantity", "coefficient", "done", "to_standard",
        "on_time", "due_on", "completed_on", "failed_checks", "delays", "waived", "status"],
        [[m.task.pk, m.task.item.name, m.task.staff.full_name if m.task.staff else m.task.unit.name,
          (m.task.staff.agency.code if m.task.staff else m.task.unit.code), m.task.period_label, m.assigned,
          m.task.coefficient, m.done, m.to_standard, m.on_time, m.task.due_on.isoformat(),
          m.task.completed_on.isoformat() if m.task.completed_on else "", m.task.failed_checks,
          m.task.delays, int(bool(m.task.waiver)), m.status] for m in measured])


@login_required
def task_mine(request: HttpRequest) -> HttpResponse:
    """My tasks: every cadre's own, and for a leader those given to their unit."""
    year, kind, number = _period(request)
    query = request.GET.get("q", "").strip()
    me = staff_of(request.user)
    tasks = selectors.measure(list(selectors.my_tasks(user=request.user, year=year, number=number, kind=kind,
                                                      query=query)))
    if request.GET.get("format") == "csv":
        return _task_csv(f"nhiem-vu-cua-toi-{year}-{kind}-{number}", tasks)
    mine = [m for m in tasks if m.task.staff_id is not None and me is not None and m.task.staff_id == me.pk]
    return render(request, "discipline/task_mine.html", {
        "page": paginate(request, tasks), "q": query, "year": year, "kind": kind, "number": number,
        "periods": _periods(kind),
        "kinds": PeriodKind.choices, "me": me, "results": selectors.results_of(mine) if mine else None,
        "leader": me is not None and me.role in roles_for("assign")})


@login_required
def task_overview(request: HttpRequest) -> HttpResponse:
    """A leader's view of the unit: per cadre the count at each status and the result points."""
    year, kind, number = _period(request)
    query = request.GET.get("q", "").strip()
    status = query_choice(request.GET, "status", STATUSES, default="")
    agency_id = query_id(request.GET, "agency")
    measured = selectors.overview(user=request.user, year=year, kind=kind, number=number, agency_id=agency_id,
                                  query=query, status=status)
    if request.GET.get("format") == "csv":
        return _task_csv(f"nhiem-vu-{year}-{kind}-{number}", measured)
    rows = selectors.overview_by_cadre(measured)
    page = paginate(request, rows)
    context = {"page": page, "year": year, "kind": kind, "number": number, "periods": _periods(kind),
               "kinds": PeriodKind.choices, "q": query, "status": status, "agency_id": agency_id,
               "statuses": list(selectors.STATUS_LABELS.items()),
               "agencies": visible_agencies(request.user).order_by("path")[:300], "total": len(measured),
               "leader": (me := staff_of(request.user)) is not None and me.role in roles_for("assign")}
    template = "discipline/_task_overview_rows.html" if request.htmx else "discipline/task_overview.html"
    return render(request, template, context)


@login_required
def task_new(request: HttpRequest) -> HttpResponse:
    """A leader assigns an item of the catalogue to a cadre (or a unit) for a month or a quarter."""
    me = _actor(request)
    if me.role not in roles_for("assign"):  # the form is for whom the authority table lets assign
        raise refusal("assign")
    error = None
    now = today()
    posted = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        try:
            item = WorkItem.objects.filter(pk=query_id(request.POST, "item") or 0).first()
            if item is None:
                raise InvalidInput(_("Chọn sản phẩm, công việc trong danh mục."))
            kind = query_choice(request.POST, "kind", PeriodKind.values, default=PeriodKind.MONTH)
            staff_ids = [v for v in request.POST.getlist("staff") if v.isdigit()]
            unit_id = query_id(request.POST, "unit")
            targets: list[tuple[Staff | None, Agency | None]] = []
            if staff_ids:
                found = list(selectors.assignable_staff(request.user).filter(pk__in=staff_ids))
                if len(found) != len(set(staff_ids)):
                    raise NotAllowed(_("Có cán bộ được chọn ngoài đơn vị bạn phụ trách."))
                targets = [(s, None) for s in found]
            elif unit_id:
                unit = selectors.assignable_units(request.user).filter(pk=unit_id).first()
                if unit is None:
                    raise NotAllowed(_("Đơn vị được chọn ngoài phạm vi bạn phụ trách."))
                targets = [(None, unit)]
            else:
                raise InvalidInput(_("Chọn cán bộ hoặc đơn vị được giao."))
            year = query_year(request.POST, "year", default=now.year)
            number = query_int(request.POST, "number", minimum=1, maximum=12)
            if number is None:
                raise InvalidInput(_("Chọn tháng hoặc quý."))
            deadline = query_date(request.POST, "deadline")
            made = services.tasks_assign(actor=me, item=item, targets=targets, year=year, kind=kind, number=number,
                                         quantity=request.POST.get("quantity", ""),
                                         criterion=request.POST.get("criterion", ""), deadline=deadline,
                                         note=request.POST.get("note", ""))
            messages.success(request, _("Đã giao %(n)s nhiệm vụ.") % {"n": len(made)})
            if len(made) == 1:
                return redirect("discipline:task_detail", made[0].pk)
            return redirect(f"{reverse('discipline:task_overview')}?year={year}&kind={kind}&number={number}")
        except DomainError as exc:
            error = exc.message
    return render(request, "discipline/task_new.html", {
        "error": error, "posted": posted, "items": selectors.items_for(me.agency),
        "staff": selectors.assignable_staff(request.user), "units": selectors.assignable_units(request.user),
        "kinds": PeriodKind.choices, "year": now.year, "month": now.month,
        "chosen": set(posted.getlist("staff")) if hasattr(posted, "getlist") else set()})


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_detail(user=request.user, task_id=task_id)
    me = staff_of(request.user)
    error = None
    if request.method == "POST" and me is not None:
        action = request.POST.get("action", "")
        version = query_int(request.POST, "version", minimum=1)
        try:
            if action == "progress":
                services.task_progress(actor=me, task_id=task.pk, on=query_date(request.POST, "on") or today(),
                                       quantity=request.POST.get("quantity", ""),
                                       to_standard=request.POST.get("to_standard") or None,
                                       note=request.POST.get("note", ""), version=version)
                messages.success(request, _("Đã ghi tiến độ."))
            elif action == "check_failed":
                services.task_check_failed(actor=me, task_id=task.pk, note=request.POST.get("note", ""),
                                           version=version)
                messages.success(request, _("Đã ghi đánh giá không đạt chất lượng."))
            elif action == "extend":
                deadline = query_date(request.POST, "deadline")
                if deadline is None:
                    raise InvalidInput(_("Chọn hạn mới."))
                services.task_extend(actor=me, task_id=task.pk, deadline=deadline,
                                     reason=request.POST.get("note", ""), version=version)
                messages.success(request, _("Đã gia hạn nhiệm vụ."))
            elif action == "waive":
                services.task_waive(actor=me, task_id=task.pk, reason=request.POST.get("note", ""), version=version)
                messages.success(request, _("Đã ghi miễn trừ."))
            elif action == "cancel":
                services.task_cancel(actor=me, task_id=task.pk, reason=request.POST.get("note", ""), version=version)
                messages.success(request, _("Đã hủy giao nhiệm vụ."))
            else:
                raise InvalidInput(_("Thao tác không hợp lệ."))
            return redirect("discipline:task_detail", task.pk)
        except DomainError as exc:
            error = exc.message
            task = selectors.task_detail(user=request.user, task_id=task_id)
    measured = selectors.measure([task])[0]
    return render(request, "discipline/task_detail.html", {
        "m": measured, "task": task, "events": selectors.task_events(task), "error": error,
        "actions": selectors.allowed_actions(request.user, task), "today": today(),
        "steps": selectors.fed_steps(task) if task.fed else None, "posted": request.POST})


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    """The catalogue of work items of the units the user sees; a leader or the personnel office adds to it."""
    me = staff_of(request.user)
    error = None
    if request.method == "POST" and me is not None:
        try:
            if request.POST.get("action") == "toggle":
                item = selectors.catalogue(user=request.user).filter(pk=query_id(request.POST, "item") or 0).first()
                if item is None:
                    raise InvalidInput(_("Không có sản phẩm, công việc này."))
                services.work_item_set_active(actor=me, item_id=item.pk, active=not item.active)
            else:
                agency = visible_agencies(request.user).filter(pk=query_id(request.POST, "agency") or 0).first()
                if agency is None:
                    raise InvalidInput(_("Chọn đơn vị của danh mục."))
                position = JobPosition.objects.filter(pk=query_id(request.POST, "job_position") or 0).first()
                services.work_item_create(actor=me, agency=agency, name=request.POST.get("name", ""),
                                          coefficient=request.POST.get("coefficient", "1") or "1",
                                          measure=request.POST.get("measure", ""),
                                          source=request.POST.get("source", ItemSource.MANUAL),
                                          job_position=position)
                messages.success(request, _("Đã thêm vào danh mục."))
            return redirect("discipline:item_list")
        except DomainError as exc:
            error = exc.message
    query = request.GET.get("q", "").strip()
    items = selectors.catalogue(user=request.user, query=query)
    if request.GET.get("format") == "csv":
        return _csv("danh-muc-san-pham", ["agency", "name", "measure", "coefficient", "source", "job_position",
                                          "active"],
                    [[i.agency.code, i.name, i.measure, i.coefficient, i.source,
                      i.job_position.name if i.job_position else "", int(i.active)] for i in items])
    can_edit = me is not None and me.role in roles_for("item_edit")
    page = paginate(request, items)
    return render(request, "discipline/item_list.html", {
        "page": page, "q": query, "error": error, "can_edit": can_edit, "posted": request.POST,
        "editable": {i.pk for i in page if me is not None and may(me, "item_edit", agency_id=i.agency_id)},
        "agencies": visible_agencies(request.user).order_by("path")[:300] if can_edit else [],
        "positions": JobPosition.objects.all()[:300], "sources": ItemSource.choices})
