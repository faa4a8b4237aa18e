"""The desk and the back office: intake, work queue, dossier page, actions, printed forms, register.

Thin views: they parse a form, call one service or selector, and render. Every action posts the version
the page was rendered with; the service refuses a stale one and nothing changes.
"""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phucvu.catalog import selectors as catalog_selectors
from phucvu.catalog.models import rule_set_on
from phucvu.core.exceptions import DomainError, NotAllowed, NotFound
from phucvu.core.pagination import paginate
from phucvu.core.public import public_base_url
from phucvu.core.throttle import client_address
from phucvu.core.web import download_response, query_choice, query_date, query_id, query_int
from phucvu.dossiers import authority, pdf, printing, selectors, services
from phucvu.dossiers import view_selectors as vs
from phucvu.dossiers.clock import calendar_for
from phucvu.dossiers.forms import ACTIONS, ACTIONS_BY_NAME, Action, IntakeForm
from phucvu.dossiers.models import AccessAction, Channel, Dossier, DossierStep, Status
from phucvu.dossiers.services import dossier_receive
from phucvu.organization.models import Agency, AgencyKind, Role, Staff
from phucvu.organization.selectors import ensure_visible, staff_of, visible_agencies

RECEIVING_KINDS = [AgencyKind.DESK, AgencyKind.CENTER, AgencyKind.COMMUNE, AgencyKind.DISTRICT,
                   AgencyKind.DEPARTMENT, AgencyKind.VERTICAL]


def _actor(request: HttpRequest) -> Staff:
    """The acting cadre: every action is a cadre's, checked against the table of who may act (a superuser
    without a staff row administers the system, and takes no dossier action)."""
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied(_("Tài khoản chưa được gắn với cán bộ nào."))
    return staff


def _accessed(request: HttpRequest, dossiers, action: str, detail: str = "") -> None:
    """Log who read these dossiers' personal data (docs/security.md §3)."""
    services.personal_data_accessed(user=request.user, dossiers=dossiers, action=action, detail=detail,
                                    address=client_address(request))


def _dossier(request: HttpRequest, pk: int) -> Dossier:
    # Not visible reads as not found: a page must not tell which codes exist elsewhere.
    try:
        return selectors.dossier_get(request.user, pk)
    except (NotFound, NotAllowed):
        raise Http404(_("Không tìm thấy hồ sơ hoặc bạn không có quyền xem.")) from None


# --- intake ---------------------------------------------------------------------------------------------

def _receiving_agencies(request: HttpRequest, staff: Staff | None) -> list[tuple[int, str]]:
    agencies = list(visible_agencies(request.user).filter(kind__in=RECEIVING_KINDS, valid_to__isnull=True)
                    .order_by("path").values_list("pk", "name")[:300])
    if staff is not None:
        # The clerk's own desk first: that is where they sit.
        own = [(pk, name) for pk, name in agencies if pk == staff.agency_id]
        agencies = own + [a for a in agencies if a[0] != staff.agency_id]
    return agencies


def appointment_preview(agency_id: int, version, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(start, appointment) if received now: the same clock the receive service uses."""
    return calendar_for(agency_id).due(now, version.amount, version.time_unit, cutoff=version.cutoff)


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    staff = _actor(request)
    agencies = _receiving_agencies(request, staff)
    if not agencies:
        raise PermissionDenied(_("Bạn không tiếp nhận hồ sơ cho đơn vị nào."))
    procedure = None
    procedure_id = query_id(request.POST if request.POST.get("procedure") else request.GET, "procedure")
    if procedure_id:
        try:
            procedure = catalog_selectors.procedure_get(procedure_id)
        except NotFound:
            procedure = None
    papers = list(procedure.current_version.papers) if procedure and procedure.current_version else []
    if request.method == "POST":
        form = IntakeForm(request.POST, agencies=agencies, papers=papers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                dossier = dossier_receive(
                    actor=staff, agency_id=data["agency"], procedure_id=data["procedure"],
                    channel=data["channel"], applicant_name=data["applicant_name"],
                    applicant_id_number=data["applicant_id_number"], applicant_phone=data["applicant_phone"],
                    applicant_email=data["applicant_email"], applicant_address=data["applicant_address"],
                    papers=form.all_papers(), note=data["note"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
                return redirect("dossiers:receipt", pk=dossier.pk)
    else:
        form = IntakeForm(agencies=agencies, papers=papers, initial={"agency": agencies[0][0]})
    context = {"form": form, "procedure": procedure}
    if procedure is not None:
        context.update(_procedure_context(
            procedure, query_id({"agency": str(form["agency"].value() or "")}, "agency") or agencies[0][0]))
    return render(request, "dossiers/intake.html", context)


def _procedure_context(procedure, agency_id: int) -> dict:
    version = procedure.current_version
    start, due = appointment_preview(agency_id, version, timezone.now())
    return {"procedure": procedure, "version": version, "preview_start": start, "preview_due": due,
            "agency_id": agency_id}


@login_required
def intake_procedure(request: HttpRequest) -> HttpResponse:
    """htmx: the chosen procedure, its papers checklist and the appointment if received now."""
    agency_id = query_id(request.GET, "agency")
    if not agency_id:
        return HttpResponse(_("Hãy chọn đơn vị tiếp nhận trước."), status=422)
    ensure_visible(request.user, agency_id)
    try:
        procedure = catalog_selectors.procedure_get(query_id(request.GET, "procedure") or 0)
    except NotFound as exc:
        return HttpResponse(exc.message, status=404)
    form = IntakeForm(agencies=[], papers=list(procedure.current_version.papers))
    return render(request, "dossiers/_intake_procedure.html",
                  {"form": form, **_procedure_context(procedure, agency_id)})


@login_required
def intake_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the appointment recomputed now (the clerk may take a while; the clock moves on)."""
    agency_id = query_id(request.GET, "agency")
    procedure_id = query_id(request.GET, "procedure")
    if not agency_id or not procedure_id:
        return HttpResponse("")
    ensure_visible(request.user, agency_id)
    try:
        procedure = catalog_selectors.procedure_get(procedure_id)
    except NotFound as exc:
        return HttpResponse(exc.message, status=404)
    return render(request, "dossiers/_appointment.html", _procedure_context(procedure, agency_id))


# --- queue ----------------------------------------------------------------------------------------------

def _filters(request: HttpRequest) -> vs.QueueFilters:
    g = request.GET
    return vs.QueueFilters(query=g.get("q", "").strip(), status=g.get("status", ""),
                           procedure=g.get("procedure", "").strip(), channel=g.get("channel", ""),
                           received_from=query_date(g, "from"), received_to=query_date(g, "to"),
                           mine=g.get("scope", "mine") != "all", below=g.get("scope") == "below")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    filters = _filters(request)
    page = paginate(request, vs.work_queue(request.user, staff, filters))
    now = timezone.now()
    rows = list(zip(page, selectors.page_due_states(page, now), strict=True))
    scope = "below" if filters.below else "mine" if filters.mine else "all"
    context = {"page": page, "rows": rows, "f": filters, "statuses": Status.choices, "channels": Channel.choices,
               "staff": staff, "scope": scope,
               # A leader's second list, apart from their own work: what is overdue at the units below.
               "overdue_below": (vs.overdue_below(request.user, staff).count()
                                 if staff and staff.role == Role.UNIT_LEADER and scope == "mine" else None)}
    template = "dossiers/_queue_rows.html" if request.htmx else "dossiers/queue.html"
    return render(request, template, context)


# --- one dossier ----------------------------------------------------------------------------------------

def _offered(action: Action, dossier: Dossier, context: dict) -> bool:
    """`allowed` is `selectors.dossier_actions`: the one table of who may act and the state rules."""
    if action.name not in context["allowed"]:
        return False
    return action.when is None or action.when(dossier, context)


def _initial(action: Action, dossier: Dossier) -> dict:
    """What the result's forms start from: the leader who approved signs, today; the procedure's fee."""
    if action.name == "resolve":
        approver = selectors.approver_of(dossier)
        return {"signer_name": approver.full_name if approver else "", "decision_date": timezone.localdate()}
    if action.name == "return_result":
        fee = dossier.procedure_version.fee
        return {"fee_amount": int(fee) if fee else None}
    return {}


def _action_form(action: Action, request: HttpRequest, dossier: Dossier, steps: list[DossierStep], data=None,
                 successors: list | None = None, files=None):
    """`successors`: `vs.successors(dossier)` when the caller already has it (the detail page)."""
    form = action.form(data, files, prefix=action.name, initial=_initial(action, dossier))
    if "to_agency" in form.fields:
        if successors is None:
            successors = vs.successors(dossier)
        form.fields["to_agency"].choices = [(a.pk, a.name) for a in successors]
    if "assignee" in form.fields:
        step = dossier.current_step
        if action.name == "forward":
            following = [s for s in steps if step and s.order > step.order]
            step = following[0] if following else None
        choices = [(s.pk, f"{s.full_name} — {s.get_role_display()}")
                   for s in vs.assignable_staff(step.agency, step.role)] if step else []
        if action.name == "forward":
            choices = [("", _("— để đơn vị nhận tự phân công —")), *choices]
            if step is not None:  # where the next step is done: its agency, resolved at intake
                form.fields["assignee"].help_text = _("Bước tiếp theo: %(step)s — %(agency)s.") % {
                    "step": step.name, "agency": step.agency.name}
        form.fields["assignee"].choices = choices
    return form


@login_required
def detail(request: HttpRequest, pk: int, *, bound: dict | None = None) -> HttpResponse:
    dossier = _dossier(request, pk)
    steps = list(selectors.dossier_steps(dossier))
    now = timezone.now()
    current_order = dossier.current_step.order if dossier.current_step else 0
    allowed = set(selectors.dossier_actions(request.user, dossier, now=now))
    context = {"now": now, "has_next_step": any(s.order > current_order for s in steps), "allowed": allowed,
               "successors": vs.successors(dossier) if "transfer" in allowed else []}
    actions = []
    for action in ACTIONS:
        if _offered(action, dossier, context):
            form = (bound or {}).get(action.name) or _action_form(action, request, dossier, steps,
                                                                  successors=context["successors"])
            actions.append((action, form))
    record = selectors.result_record(dossier) if dossier.resolved_at or dossier.returned_at else None
    context.update({"d": dossier, "steps": steps, "events": list(selectors.dossier_events(dossier)), "actions": actions,
                    "record": record,
                    "printables": printing.printable_forms(dossier), "urgency": selectors.due_state(dossier, now),
                    "open_action": (bound and next(iter(bound))) or "",
                    "applicant_id": authority.id_number_for(request.user, dossier.applicant_id_number, in_list=False),
                    "collector_id": authority.id_number_for(request.user, record.collector_id_number,
                                                            in_list=False) if record else ""})
    _accessed(request, [dossier], AccessAction.VIEW)
    return render(request, "dossiers/detail.html", context, status=422 if bound else 200)


@login_required
def result_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed result (PDF), to staff who may see the dossier (anyone else: 404)."""
    dossier = _dossier(request, pk)
    record = selectors.result_record(dossier)
    if record is None or not record.document:
        raise Http404(_("Hồ sơ chưa có văn bản kết quả."))
    _accessed(request, [dossier], AccessAction.DOWNLOAD, record.document_name or "result.pdf")
    return download_response(record.document.open("rb"), filename=record.document_name or f"{dossier.code}.pdf",
                             content_type="application/pdf")


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """After intake: the appointment in large type and the button to print the receipt."""
    dossier = _dossier(request, pk)
    _accessed(request, [dossier], AccessAction.VIEW, "receipt")
    return render(request, "dossiers/receipt.html", {"d": dossier})


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS_BY_NAME.get(action)
    if spec is None:
        raise Http404
    staff = _actor(request)
    dossier = _dossier(request, pk)
    steps = list(selectors.dossier_steps(dossier))
    form = _action_form(spec, request, dossier, steps, data=request.POST, files=request.FILES)
    version = query_int(request.POST, "version", minimum=0)
    if version is None or not form.is_valid():
        messages.error(request, _("Thông tin chưa hợp lệ, xem lại biểu mẫu “%(a)s”.") % {"a": spec.label})
        return detail(request, pk, bound={spec.name: form})
    try:
        spec.call(base={"actor": staff, "dossier_id": dossier.pk, "version": version}, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": spec.label})
    return redirect("dossiers:detail", pk=pk)


# --- printed forms (phucvu/dossiers/printing.py) ------------------------------------------------------------

@login_required
def form_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    dossier = _dossier(request, pk)
    data, filename = printing.form_pdf(dossier, kind, base_url=public_base_url(request))
    _accessed(request, [dossier], AccessAction.PRINT, filename)
    return pdf.pdf_response(data, filename)


# --- register -------------------------------------------------------------------------------------------

def _register_params(request: HttpRequest) -> tuple[int | None, dt.date, dt.date]:
    today = timezone.localdate()
    start = query_date(request.GET, "from", default=today.replace(day=1))
    end = query_date(request.GET, "to", default=today)
    agency_id = query_id(request.GET, "agency")
    if agency_id:
        ensure_visible(request.user, agency_id)
    return agency_id, start, end


@login_required
def register(request: HttpRequest) -> HttpResponse:
    agency_id, start, end = _register_params(request)
    rows = vs.register_rows(request.user, agency_id=agency_id, received_from=start, received_to=end)
    agencies = visible_agencies(request.user).filter(kind__in=RECEIVING_KINDS).order_by("path")
    context = {"page": paginate(request, rows, per_page=50), "agency_id": agency_id, "start": start, "end": end,
               "agencies": agencies.values_list("pk", "name")[:300]}
    return render(request, "dossiers/register.html", context)


# The register is drawn straight to PDF (tablepdf), fast enough for a busy center's month (≈ 4,500 dossiers)
# in one request (docs/performance.md); beyond this many rows one request would hold a worker too long.
REGISTER_PDF_LIMIT = 20_000


@login_required
def register_pdf(request: HttpRequest) -> HttpResponse:
    agency_id, start, end = _register_params(request)
    rows = vs.register_rows(request.user, agency_id=agency_id, received_from=start, received_to=end)
    count = rows.count()
    if count > REGISTER_PDF_LIMIT:
        messages.error(request, _("Kỳ đã chọn có %(n)s hồ sơ, quá %(max)s hồ sơ cho một lần in. Hãy chọn kỳ "
                                  "ngắn hơn hoặc từng đơn vị.") % {"n": count, "max": REGISTER_PDF_LIMIT})
        return redirect(f"{reverse('dossiers:register')}?{request.GET.urlencode()}")
    staff = staff_of(request.user)
    agency = (Agency.objects.select_related("parent").get(pk=agency_id) if agency_id
              else (staff.agency if staff else None))
    if agency is None:
        raise Http404(_("Hãy chọn đơn vị."))
    # The book is kept in the form in force at the end of the period it covers.
    with translation.override("vi"):  # the register is a legal book (Form 06): Vietnamese
        data = pdf.register_pdf(agency, dossiers=rows.iterator(chunk_size=2000), period_from=start, period_to=end,
                                rule_set=rule_set_on(end))
    filename = f"so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    _accessed(request, rows.values_list("pk", "agency_id").iterator(chunk_size=2000), AccessAction.EXPORT, filename)
    return pdf.pdf_response(data, filename)


# --- who read personal data (docs/security.md §3) ---------------------------------------------------------

ACCESS_LOG_EXPORT_LIMIT = 100_000


def _access_log_query(request: HttpRequest):
    date_from = query_date(request.GET, "from")
    date_to = query_date(request.GET, "to")
    action = query_choice(request.GET, "action", AccessAction.values) or ""
    query = request.GET.get("q", "").strip()[:120]
    rows = selectors.access_log(request.user, query=query, action=action, date_from=date_from, date_to=date_to)
    return rows, {"date_from": date_from, "date_to": date_to, "action": action, "q": query}


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """The log of who viewed, printed, exported or downloaded which dossier's personal data: for inspectors,
    Home Affairs and administrators, within what they see; searchable, paginated, exportable (CSV)."""
    rows, filters = _access_log_query(request)
    if request.GET.get("format") == "csv":
        return _access_log_csv(rows)
    return render(request, "dossiers/access_log.html", {"page": paginate(request, rows, per_page=50),
                                                         "actions": AccessAction.choices, **filters})


def _access_log_csv(rows) -> HttpResponse:
    response = StreamingHttpResponse(_access_log_lines(rows[:ACCESS_LOG_EXPORT_LIMIT]),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-truy-cap-{timezone.localdate():%Y%m%d}.csv"'
    return response


def _access_log_lines(rows):
    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    yield "\ufeff"
    yield writer.writerow([_("Lúc"), _("Tài khoản"), _("Cán bộ"), _("Thao tác"), _("Qua API"), _("Chi tiết"),
                           _("Mã hồ sơ"), _("Đơn vị tiếp nhận"), _("Địa chỉ IP")])
    for r in rows.iterator(chunk_size=2000):
        staff = getattr(r.user, "staff", None)
        yield writer.writerow([timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M:%S"), r.user.username,
                               staff.full_name if staff else "", r.get_action_display(),
                               _("có") if r.via_api else "", r.detail, r.dossier.code, r.agency.name, r.address])
