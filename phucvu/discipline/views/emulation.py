"""Pages of emulation and commendation (docs/discipline.md §5): the campaigns and contests, one campaign with
its results, awards and materials."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from phucvu.core.exceptions import DomainError, InvalidInput
from phucvu.core.localtime import today
from phucvu.core.pagination import paginate
from phucvu.core.web import query_choice, query_date, query_id, query_int, query_year
from phucvu.discipline.authority import may
from phucvu.discipline.models import AwardForm, CampaignKind
from phucvu.discipline.selectors import emulation as selectors
from phucvu.discipline.services import emulation as services
from phucvu.organization.models import Staff
from phucvu.organization.selectors import staff_of, visible_agencies


def _csv(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _required_date(params, name: str, what: str):
    day = query_date(params, name)
    if day is None:
        raise InvalidInput(_("Cần %(what)s.") % {"what": what})
    return day


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    me = staff_of(request.user)
    year = query_year(request.GET, "year", default=None)
    query = request.GET.get("q", "").strip()
    kind = query_choice(request.GET, "kind", CampaignKind.values, default="")
    error = None
    if request.method == "POST" and me is not None:
        try:
            agency = visible_agencies(request.user).filter(pk=query_id(request.POST, "agency") or 0).first()
            if agency is None:
                raise InvalidInput(_("Chọn cơ quan phát động."))
            campaign = services.campaign_create(
                actor=me, agency=agency, name=request.POST.get("name", ""),
                kind=query_choice(request.POST, "kind", CampaignKind.values, default=CampaignKind.CAMPAIGN),
                launched_on=_required_date(request.POST, "launched_on", _("ngày phát động")),
                ends_on=query_date(request.POST, "ends_on"), goal=request.POST.get("goal", ""),
                basis=request.POST.get("basis", ""))
            messages.success(request, _("Đã ghi phong trào."))
            return redirect("discipline:campaign_detail", campaign.pk)
        except DomainError as exc:
            error = exc.message
    campaigns = selectors.campaign_list(user=request.user, year=year, query=query, kind=kind)
    if request.GET.get("format") == "csv":
        return _csv("thi-dua", ["id", "kind", "name", "agency", "launched_on", "ends_on", "results", "awards",
                                "materials"],
                    [[c.pk, c.kind, c.name, c.agency.code, c.launched_on.isoformat(),
                      c.ends_on.isoformat() if c.ends_on else "", c.n_results, c.n_awards, c.n_materials or 0]
                     for c in campaigns])
    summary_year = year or today().year
    agencies = [a for a in selectors.launching_agencies(request.user)[:300]
                if me is not None and may(me, "emulation", agency_id=a.pk)] if me is not None else []
    return render(request, "discipline/campaign_list.html", {
        "page": paginate(request, campaigns), "year": year, "q": query, "kind": kind, "kinds": CampaignKind.choices,
        "summary": selectors.year_summary(user=request.user, year=summary_year), "summary_year": summary_year,
        "agencies": agencies, "error": error, "posted": request.POST})


@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_detail(user=request.user, campaign_id=campaign_id)
    me = staff_of(request.user)
    error = None
    if request.method == "POST" and me is not None:
        action = request.POST.get("action", "")
        try:
            person = None
            username = request.POST.get("username", "").strip()
            if username:
                person = Staff.objects.filter(user__username=username,
                                              agency__in=visible_agencies(request.user)).first()
                if person is None:
                    raise InvalidInput(_("Không có cán bộ “%(u)s” trong phạm vi bạn xem.") % {"u": username[:40]})
            if action == "result":
                services.campaign_result_record(
                    actor=me, campaign=campaign, result=request.POST.get("result", ""), staff=person,
                    participant=request.POST.get("participant", ""),
                    rank=query_int(request.POST, "rank", minimum=1, maximum=1000),
                    on=query_date(request.POST, "on") or today())
                messages.success(request, _("Đã ghi kết quả."))
            elif action == "award":
                services.award_record(
                    actor=me, campaign=campaign, form=query_choice(request.POST, "form", AwardForm.values,
                                                                   default=AwardForm.CERTIFICATE),
                    decision_number=request.POST.get("decision_number", ""),
                    decided_on=_required_date(request.POST, "decided_on", _("ngày quyết định")), staff=person,
                    recipient=request.POST.get("recipient", ""), decided_by=request.POST.get("decided_by", ""),
                    reason=request.POST.get("reason", ""))
                messages.success(request, _("Đã ghi khen thưởng."))
            elif action == "material":
                agency = visible_agencies(request.user).filter(pk=query_id(request.POST, "agency") or 0).first()
                if agency is None:
                    raise InvalidInput(_("Chọn đơn vị phát hành."))
                services.material_record(
                    actor=me, agency=agency, campaign=campaign, title=request.POST.get("title", ""),
                    kind=request.POST.get("material_kind", ""),
                    quantity=query_int(request.POST, "quantity", minimum=1, maximum=10_000_000) or 0,
                    distributed_on=_required_date(request.POST, "distributed_on", _("ngày phát hành")),
                    audience=request.POST.get("audience", ""))
                messages.success(request, _("Đã ghi tài liệu phát hành."))
            else:
                raise InvalidInput(_("Thao tác không hợp lệ."))
            return redirect("discipline:campaign_detail", campaign.pk)
        except DomainError as exc:
            error = exc.message
    can_record = me is not None and may(me, "emulation", agency_id=campaign.agency_id)
    parts = selectors.campaign_parts(campaign)
    openable = selectors.openable_staff(request.user, [x.staff_id for x in [*parts["results"], *parts["awards"]]])
    return render(request, "discipline/campaign_detail.html", {
        "campaign": campaign, **parts, "openable": openable, "can_record": can_record, "error": error,
        "forms": AwardForm.choices, "today": today(), "posted": request.POST,
        "agencies": visible_agencies(request.user).order_by("path")[:300] if can_record else []})


@login_required
def award_list(request: HttpRequest) -> HttpResponse:
    """Every award the user may read, outside a campaign's page: per cadre (`staff`), per unit (`agency`),
    searchable, by year and form, paginated, exported as CSV (docs/discipline.md §5)."""
    year = query_year(request.GET, "year", default=None)
    query = request.GET.get("q", "").strip()
    form = query_choice(request.GET, "form", AwardForm.values, default="")
    staff_id, agency_id = query_id(request.GET, "staff"), query_id(request.GET, "agency")
    awards = selectors.award_list(user=request.user, query=query, year=year, form=form, staff_id=staff_id,
                                  agency_id=agency_id)
    if request.GET.get("format") == "csv":
        return _csv("khen-thuong", ["id", "form", "recipient", "username", "unit", "decision_number", "decided_on",
                                    "decided_by", "reason", "campaign", "recorded_for", "recorded_for_name"],
                    [[a.pk, a.form, a.recipient, a.staff.user.username if a.staff else "",
                      (a.agency.code if a.agency else a.staff.agency.code if a.staff else ""), a.decision_number,
                      a.decided_on.isoformat(), a.decided_by, a.reason, a.campaign.name if a.campaign else "",
                      a.recorded_for.code if a.recorded_for else "", a.recorded_for.name if a.recorded_for else ""]
                     for a in awards.select_related("staff__user")])
    page = paginate(request, awards)
    return render(request, "discipline/award_list.html", {
        "page": page, "openable": selectors.openable_staff(request.user, [a.staff_id for a in page]), "year": year, "q": query, "form": form, "forms": AwardForm.choices,
        **selectors.award_filters(user=request.user, staff_id=staff_id, agency_id=agency_id)})
