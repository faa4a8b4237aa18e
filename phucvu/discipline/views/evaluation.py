"""Pages of the evaluation: score sheets, a unit's ranking, Home Affairs' view of the grades."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phucvu.core.exceptions import DomainError, NotAllowed
from phucvu.core.pagination import paginate
from phucvu.core.web import query_choice, query_id, query_year
from phucvu.discipline.authority import may
from phucvu.discipline.grading import grading_deadline
from phucvu.discipline.models import Grade, ScoreSheet, SheetStatus
from phucvu.discipline.selectors import evaluation as selectors
from phucvu.discipline.selectors.leader import leader_measures
from phucvu.discipline.selectors.tasks import sheet_result_items
from phucvu.discipline.services import evaluation as services
from phucvu.organization.models import Staff
from phucvu.organization.selectors import staff_of


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


@login_required
def sheet_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = query_year(request.GET, "year", default=today.year)
    query = request.GET.get("q", "").strip()
    status = query_choice(request.GET, "status", SheetStatus.values, default="") or ""
    sheets = selectors.sheet_list(user=request.user, year=year, query=query, status=status)
    if request.GET.get("format") == "csv":
        return _csv(f"phieu-cham-diem-{year}", ["username", "full_name", "agency", "period", "general", "results",
                                                 "total", "status", "rule_set"],
                    [[s.staff.user.username, s.staff.full_name, s.staff.agency.code, s.period_label, s.general,
                      s.results, s.total, s.status, s.rule_set] for s in sheets])
    context = {"page": paginate(request, sheets), "year": year, "q": query, "status": status,
               "statuses": SheetStatus.choices, "me": staff_of(request.user), "month": today.month,
               "this_year": today.year}
    template = "discipline/_sheet_rows.html" if request.htmx else "discipline/sheet_list.html"
    return render(request, template, context)


@login_required
@require_POST
def sheet_open(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    sheet = services.score_sheet_open(actor=_actor(request), staff=_actor(request), year=today.year,
                                      kind="month", number=today.month)
    return redirect("discipline:sheet_detail", sheet.pk)


def _posted_items(request: HttpRequest, prefix: str) -> dict[str, str]:
    return {key: request.POST.get(f"{prefix}-{key}", "") for key, _label, _max in services.GENERAL_CRITERIA}


def _posted_result_items(request: HttpRequest) -> list[dict[str, str]]:
    count = min(int(request.POST.get("item-count", "0") or 0), 50)
    fields = ("name", *services.ITEM_NUMBERS)
    return [{f: request.POST.get(f"item-{i}-{f}", "") for f in fields} for i in range(count)]


@login_required
def sheet_detail(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = selectors.sheet_detail(user=request.user, sheet_id=sheet_id)
    me = staff_of(request.user)
    error = None
    if request.method == "POST" and me is not None:
        try:
            if request.POST.get("action") == "self":
                services.score_sheet_self_score(actor=me, sheet_id=sheet.pk, items=_posted_items(request, "self"),
                                                result_items=_posted_result_items(request))
                messages.success(request, _("Đã gửi phiếu tự chấm cho lãnh đạo."))
            elif request.POST.get("action") == "manager":
                waivers = {i: request.POST.get(f"waiver-{i}", "") for i in range(len(sheet.result_items))
                           if request.POST.get(f"waive-{i}")}
                services.score_sheet_manager_score(actor=me, sheet_id=sheet.pk,
                                                   items=_posted_items(request, "manager"), waivers=waivers)
                messages.success(request, _("Đã chấm xong phiếu."))
            return redirect("discipline:sheet_detail", sheet.pk)
        except DomainError as exc:
            error = exc.message
    can_self = me is not None and me.pk == sheet.staff_id and sheet.status != SheetStatus.FINAL
    can_manage = (me is not None and me.pk != sheet.staff_id and sheet.status == SheetStatus.SELF_SCORED
                  and may(me, "sheet_score", agency_id=sheet.staff.agency_id))
    rows = [{"key": key, "label": label, "max": maximum, "self": sheet.self_items.get(key, ""),
             "manager": sheet.manager_items.get(key, ""),
             "self_posted": request.POST.get(f"self-{key}"), "manager_posted": request.POST.get(f"manager-{key}")}
            for key, label, maximum in services.GENERAL_CRITERIA]
    items = list(sheet.result_items)
    # With tasks in the period, the items are the tasks, measured (docs/discipline.md §7.5): nothing to type.
    from_tasks = sheet.status != SheetStatus.FINAL and sheet_result_items(sheet.staff, sheet.year,
                                                                          sheet.period_kind, sheet.number)
    if from_tasks:
        items = list(from_tasks)
    typing = can_self and not from_tasks
    if typing:
        items += [{} for _ in range(max(3 - len(items), 1))]
    # A leader's unit results and organising capacity: kept on a final sheet, else as they stand
    # (docs/discipline.md §6.3).
    leader = sheet.leader_results if sheet.status == SheetStatus.FINAL else leader_measures(
        sheet.staff, sheet.year, sheet.period_kind, sheet.number)
    return render(request, "discipline/sheet_detail.html", {
        "sheet": sheet, "rows": rows, "items": items, "item_count": len(items), "can_self": can_self,
        "can_manage": can_manage, "error": error, "typing": typing, "from_tasks": bool(from_tasks), "self_total": services.items_total(sheet.self_items)
        if sheet.self_items else None, "leader": leader})


@login_required
def grades(request: HttpRequest) -> HttpResponse:
    """Home Affairs' view: per unit, the distribution of grades, the quota, "everyone is tốt", late sheets."""
    today = timezone.localdate()
    year = query_year(request.GET, "year", default=today.year)
    query = request.GET.get("q", "").strip()
    agencies = selectors.grade_overview(user=request.user, year=year, query=query)
    if request.GET.get("format") == "csv":
        rows = [selectors.grade_row(a, year, today) for a in agencies]
        return _csv(f"xep-loai-{year}", ["agency", "name", "excellent", "good", "completed", "not_completed",
                                         "not_graded", "excellent_max", "all_good", "late_sheets"],
                    [[r["agency"].code, r["agency"].name, *r["counts"].values(), r["excellent_max"],
                      int(r["all_good"]), r["late"]] for r in rows])
    page = paginate(request, agencies)
    rows = [selectors.grade_row(a, year, today) for a in page]
    # The yearly procedure's deadline is a dated setting of the rule sets (docs/discipline.md §6.8).
    rule = grading_deadline(year)
    deadline = rule.day
    context = {"page": page, "rows": rows, "year": year, "q": query, "grades": Grade.choices, "deadline": deadline,
               "deadline_rule": rule,
               "days_left": (deadline - today).days if year >= today.year else None}
    template = "discipline/_grade_rows.html" if request.htmx else "discipline/grades.html"
    return render(request, template, context)


@login_required
def ranking(request: HttpRequest, agency_id: int) -> HttpResponse:
    """A unit's ranking for a year; when the quota binds, the person deciding records who keeps "xuất sắc"."""
    year = query_year(request.GET, "year", default=timezone.localdate().year)
    me = staff_of(request.user)
    if request.method == "POST":
        # Who may record the choice is the authority table's (`quota_choice`), enforced by the service.
        chosen_ids = [i for i in (query_id({"id": v}, "id") for v in request.POST.getlist("chosen")) if i]
        chosen = list(Staff.objects.filter(pk__in=chosen_ids, agency_id=agency_id))
        agency, _grading, _staff = selectors.unit_ranking(user=request.user, agency_id=agency_id, year=year)
        services.quota_choice_record(actor=_actor(request), agency=agency, year=year, chosen=chosen,
                                     note=request.POST.get("note", ""))
        messages.success(request, _("Đã ghi nhận lựa chọn trong chỉ tiêu xuất sắc."))
        return redirect(f"{request.path}?year={year}")
    agency, grading, staff = selectors.unit_ranking(user=request.user, agency_id=agency_id, year=year)
    if request.GET.get("format") == "csv":
        return _csv(f"xep-hang-{agency.code}-{year}", ["rank", "username", "full_name", "score", "grade",
                                                       "capped_by", "rule_set"],
                    [[n, g.username, staff[g.username].full_name if g.username in staff else "", g.score, g.grade,
                      g.capped_by or "", g.rule_set] for n, g in enumerate(grading.staff, start=1)])
    rows = [{"rank": n, "g": g, "staff": staff.get(g.username), "grade_label": dict(Grade.choices)[g.grade]}
            for n, g in enumerate(grading.staff, start=1)]
    can_choose = grading.binds and me is not None and may(me, "quota_choice", agency_id=agency.pk)
    return render(request, "discipline/ranking.html", {
        "agency": agency, "grading": grading, "rows": rows, "year": year, "can_choose": can_choose,
        "sheets_open": ScoreSheet.objects.filter(staff__agency=agency, year=year).exclude(
            status=SheetStatus.FINAL).count()})
