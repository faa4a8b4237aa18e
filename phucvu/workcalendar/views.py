"""The calendar page: a year with days off and make-up days, what changed, working hours, the rows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phucvu.core.exceptions import DomainError
from phucvu.core.localtime import today
from phucvu.core.pagination import paginate
from phucvu.core.web import FIRST_YEAR, LAST_YEAR, query_id, query_year
from phucvu.organization.models import Agency
from phucvu.organization.selectors import ensure_visible, staff_of
from phucvu.workcalendar import selectors, services
from phucvu.workcalendar.forms import CalendarDayForm
from phucvu.workcalendar.models import Kind

WEEKDAYS = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]


def _agency(request: HttpRequest) -> Agency | None:
    """The agency whose calendar is shown: ?agency= if visible, else the user's own (None: national)."""
    agency_id = query_id(request.GET, "agency") or query_id(request.POST, "agency")
    if agency_id:
        ensure_visible(request.user, agency_id)
        return Agency.objects.get(pk=agency_id)
    staff = staff_of(request.user)
    return staff.agency if staff else None


def _year(request: HttpRequest) -> int:
    # The page compares a year with the one before and after: both must lie in the calendar's range.
    this_year = today().year
    params = request.GET if "year" in request.GET else request.POST
    return query_year(params, default=this_year, minimum=FIRST_YEAR + 1, maximum=LAST_YEAR - 1)


@login_required
def calendar_year(request: HttpRequest) -> HttpResponse:
    try:
        agency = _agency(request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workcalendar:year")
    year = _year(request)
    query = request.GET.get("q", "").strip()
    page = paginate(request, selectors.calendar_days(year=year, query=query))
    can_edit = services.can_edit(request.user, agency) or services.can_edit(request.user, None)
    if request.htmx:  # the search box swaps in the rows alone: skip the grid, summary and hours
        return render(request, "workcalendar/_rows.html", {"page": page, "can_edit": can_edit})
    hours, inherited_from = selectors.working_hours_for(agency)
    year_rows = selectors.rows_for_year(year, agency)  # one query for the grid, the summary and the changes
    context = {
        "year": year, "agency": agency, "months": selectors.year_grid(year, agency, year_rows),
        "summary": selectors.year_summary(year, agency, year_rows),
        "changes": selectors.year_differences(year, agency, year_rows),
        "day_hours": f"{selectors.calendar_for(agency.pk if agency else None).minutes_per_day / 60:g}",
        "hours": hours, "inherited_from": inherited_from, "weekdays": WEEKDAYS,
        "rest_names": [WEEKDAYS[d] for d in hours.rest_weekdays],
        "page": page, "q": query, "kinds": Kind, "can_edit": can_edit,
        "form": CalendarDayForm(initial={"day": f"{year}-01-01"}),
        "local_rows": list(selectors.calendar_days(year=year, jurisdiction=agency)) if agency else [],
    }
    return render(request, "workcalendar/year.html", context)


@login_required
@require_POST
def calendar_day_add(request: HttpRequest) -> HttpResponse:
    form = CalendarDayForm(request.POST)
    year = _year(request)
    back = f"{reverse('workcalendar:year')}?year={year}"
    if not form.is_valid():
        messages.error(request, _("Dữ liệu chưa hợp lệ: ") + "; ".join(
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
        return redirect(back)
    try:
        agency = _agency(request) if form.cleaned_data["local"] else None
        row = services.calendar_day_save(actor=request.user, day=form.cleaned_data["day"],
                                         kind=form.cleaned_data["kind"], name=form.cleaned_data["name"],
                                         basis=form.cleaned_data["basis"], jurisdiction=agency)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("Đã lưu ngày %(day)s: %(name)s.") % {"day": f"{row.day:%d/%m/%Y}", "name": row.name})
    return redirect(f"{reverse('workcalendar:year')}?year={row.day.year}")


@login_required
@require_POST
def calendar_day_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        row = services.calendar_day_deactivate(actor=request.user, day_id=pk)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workcalendar:year")
    messages.success(request, _("Đã bỏ áp dụng ngày %(day)s.") % {"day": f"{row.day:%d/%m/%Y}"})
    return redirect(f"{reverse('workcalendar:year')}?year={row.day.year}")
