"""Pages of commitments: my commitment and the agencies' texts; one text with its versions, the difference
from the previous one, who signed and who has not (docs/discipline.md §3.1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from phucvu.core.exceptions import DomainError, InvalidInput
from phucvu.core.pagination import paginate
from phucvu.core.web import query_choice, query_date, query_year
from phucvu.discipline.authority import may, user_may_any
from phucvu.discipline.selectors import commitments as selectors
from phucvu.discipline.services import commitments as services
from phucvu.discipline.views.evaluation import _csv
from phucvu.organization.models import Agency
from phucvu.organization.selectors import staff_of, visible_agencies


def _agency(request: HttpRequest, code: str) -> Agency:
    agency = visible_agencies(request.user).filter(code=code.strip()).first()
    if agency is None:
        raise InvalidInput(_("Không có đơn vị mã “%(c)s” trong phạm vi bạn được xem.") % {"c": code.strip()[:40]})
    return agency


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = query_year(request.GET, "year", default=today.year)
    query = request.GET.get("q", "").strip()
    me = staff_of(request.user)
    error = None
    if request.method == "POST" and me is not None:
        try:
            if request.POST.get("action") == "sign":
                mine = selectors.text_for(me, year)
                if mine is None:
                    raise InvalidInput(_("Đơn vị chưa ban hành bản cam kết năm này."))
                services.commitment_sign(actor=me, staff=me, text=mine, signed_on=today)
                messages.success(request, _("Đã ký bản cam kết."))
                return redirect(f"{request.path}?year={year}")
            text = services.commitment_text_publish(
                actor=me, agency=_agency(request, request.POST.get("agency", "")),
                year=query_year(request.POST, "year", default=year) or year,
                title=request.POST.get("title", ""), body=request.POST.get("body", ""),
                published_on=query_date(request.POST, "published_on", default=today))
            messages.success(request, _("Đã ban hành bản cam kết."))
            return redirect("discipline:commitment_detail", text.pk)
        except DomainError as exc:
            error = exc.message
    manager = selectors.manages(request.user)
    if manager and request.GET.get("format") == "csv":
        out = []
        for text in selectors.current_texts(user=request.user, year=year, query=query):
            overview = selectors.signature_overview(text)
            out.append([text.agency.code, text.agency.name, text.year, text.title, text.version,
                        text.published_on.isoformat(), len(overview["signed"]), len(overview["older"]),
                        len(overview["missing"]), overview["total"]])
        return _csv(f"cam-ket-{year}", ["agency", "agency_name", "year", "title", "version", "published_on",
                                        "signed", "signed_earlier_version", "not_signed", "total"], out)
    page = paginate(request, selectors.current_texts(user=request.user, year=year, query=query)) if manager else None
    rows = []
    for text in page or []:
        overview = selectors.signature_overview(text)
        rows.append({"text": text, "signed": len(overview["signed"]), "total": overview["total"],
                     "missing": len(overview["missing"]) + len(overview["older"])})
    context = {"year": year, "q": query, "page": page, "rows": rows, "manager": manager,
               "can_publish": user_may_any(request.user, "commitment_text"), "error": error,
               "posted": request.POST, "mine": selectors.my_commitment(me, year) if me is not None else None}
    template = "discipline/_commitment_rows.html" if request.htmx else "discipline/commitment_list.html"
    return render(request, template, context)


@login_required
def commitment_detail(request: HttpRequest, text_id: int) -> HttpResponse:
    text = selectors.text_get(user=request.user, text_id=text_id)
    me = staff_of(request.user)
    error = None
    if request.method == "POST" and me is not None:
        try:
            if request.POST.get("action") == "record":
                username = request.POST.get("username", "").strip()
                staff = selectors.bound_staff(text).filter(user__username=username).first()
                if staff is None:
                    raise InvalidInput(_("“%(u)s” không thuộc diện ký bản cam kết này.") % {"u": username[:40]})
                services.commitment_sign(actor=me, staff=staff, text=text,
                                         signed_on=query_date(request.POST, "signed_on") or timezone.localdate())
                messages.success(request, _("Đã ghi nhận bản ký."))
            else:
                text = services.commitment_text_publish(
                    actor=me, agency=text.agency, year=text.year, title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""), change_note=request.POST.get("change_note", ""),
                    published_on=query_date(request.POST, "published_on", default=timezone.localdate()))
                messages.success(request, _("Đã ban hành phiên bản mới."))
            return redirect("discipline:commitment_detail", text.pk)
        except DomainError as exc:
            error = exc.message
    versions = selectors.versions(text)
    older = next((v for v in versions if v.version == text.version - 1), None)
    manager = selectors.manages(request.user) and visible_agencies(request.user).filter(pk=text.agency_id).exists()
    context = {"text": text, "versions": versions, "diff": selectors.text_diff(older, text), "older": older,
               "latest": versions[0], "manager": manager, "error": error, "posted": request.POST,
               "can_publish": manager and me is not None and may(me, "commitment_text", agency_id=text.agency_id),
               "can_record": manager and me is not None and may(me, "commitment_sign", agency_id=text.agency_id)}
    if manager:
        query = request.GET.get("q", "").strip()
        shown = query_choice(request.GET, "list", ["missing", "signed"], default="missing")
        overview = selectors.signature_overview(versions[0], query)
        people = overview["missing"] + overview["older"] if shown == "missing" else overview["signed"]
        missing_ids = {s.pk for s in overview["missing"]}
        if request.GET.get("format") == "csv":
            return _csv(f"cam-ket-{text.agency.code}-{text.year}-{shown}",
                        ["username", "full_name", "agency", "signed_version"],
                        [[s.user.username, s.full_name, s.agency.code,
                          "" if s.pk in missing_ids else ("current" if shown == "signed" else "earlier")]
                         for s in people])
        page = paginate(request, people)
        signatures = {c.staff_id: c for c in selectors.signatures_of(versions[0]).filter(staff__in=list(page))}
        older_ids = {s.pk for s in overview["older"]}
        context.update({"overview": overview, "shown": shown, "q": query, "page": page,
                        "people": [{"staff": s, "signature": signatures.get(s.pk), "older": s.pk in older_ids}
                                   for s in page]})
    return render(request, "discipline/commitment_detail.html", context)
