"""Pages of discipline cases: the list, a new case, a case with both clocks and its steps."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from phucvu.core.exceptions import DomainError, InvalidInput
from phucvu.core.pagination import paginate
from phucvu.core.web import form_date, query_choice, query_id, query_int
from phucvu.discipline.clocks import FORMS, forms_allowed
from phucvu.discipline.models import FORM_KINDS, CaseBasis, CaseStatus, SanctionKind, StepKind
from phucvu.discipline.selectors import breaches as breach_selectors
from phucvu.discipline.selectors import cases as selectors
from phucvu.discipline.services import case_steps as services
from phucvu.discipline.services import cases as cases_services
from phucvu.discipline.views.evaluation import _csv
from phucvu.organization.models import Role, Staff
from phucvu.organization.selectors import staff_of, visible_agencies


def _iso_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def form_label(form: str) -> str:
    """A form's name in the page's language (the sanction kinds' labels are translated; `FORMS` is the
    Vietnamese of the command line and the services' messages)."""
    return str(SanctionKind(FORM_KINDS[form]).label) if form in FORM_KINDS else FORMS.get(form, form)

# A council's votes: a few dozen members at most; a bigger number is a typing slip.
MAX_VOTES = 999


def _office(request: HttpRequest) -> bool:
    me = staff_of(request.user)
    return me is not None and me.role in (Role.HR_OFFICER, Role.SYSTEM_ADMIN)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    status = query_choice(request.GET, "status", CaseStatus.values, default="")
    cases = selectors.case_list(user=request.user, query=query, status=status)
    if request.GET.get("format") == "csv":
        return _csv("vu-viec-ky-luat", ["id", "username", "full_name", "agency", "proposed_form", "discovered",
                                        "status", "rule_set"],
                    [[c.pk, c.staff.user.username, c.staff.full_name, c.staff.agency.code, c.proposed_form,
                      c.discovered.isoformat(), c.status, c.rule_set] for c in cases])
    rows = []
    page = paginate(request, cases)
    for case in page:
        clocks = services.case_clocks(case)
        rows.append({"case": case, "clocks": clocks, "form": form_label(case.proposed_form)})
    context = {"page": page, "rows": rows, "q": query, "status": status, "statuses": CaseStatus.choices,
               "office": _office(request)}
    template = "discipline/_case_rows.html" if request.htmx else "discipline/case_list.html"
    return render(request, template, context)


def _staff_by_username(request: HttpRequest, username: str) -> Staff:
    staff = (Staff.objects.filter(user__username=username.strip(), agency__in=visible_agencies(request.user))
             .select_related("agency").first())
    if staff is None:
        raise InvalidInput(_("Không có cán bộ tên đăng nhập “%(u)s” trong phạm vi bạn được xem.")
                           % {"u": username.strip()})
    return staff


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case; from a breach (`?violation=ID`) the form starts filled from it and the case names it."""
    error = None
    violation_id = query_id(request.POST if request.method == "POST" else request.GET, "violation")
    violation = breach_selectors.violation_get(user=request.user, violation_id=violation_id) if violation_id else None
    posted = request.POST
    if violation is not None and request.method != "POST":
        posted = {"username": violation.staff.user.username, "violation_ended": violation.occurred_on.isoformat(),
                  "discovered": timezone.localtime(violation.recorded_at).date().isoformat(),
                  "source": f"{violation.get_source_kind_display()}: {violation.source}"[:255]}
    if request.method == "POST":
        try:
            staff = _staff_by_username(request, request.POST.get("username", ""))
            maker = request.POST.get("decision_maker", "").strip()
            case = services.case_open(
                actor=staff_of(request.user), staff=staff, proposed_form=request.POST.get("form", ""),
                violation_ended=form_date(request.POST, "violation_ended", _("Ngày kết thúc vi phạm")),
                discovered=form_date(request.POST, "discovered", _("Ngày phát hiện")),
                complex_case=bool(request.POST.get("complex")),
                straight_through=bool(request.POST.get("straight_through")),
                basis=request.POST.get("basis", "") if request.POST.get("straight_through") else "",
                source=request.POST.get("source", ""),
                decision_maker=_staff_by_username(request, maker) if maker else None, violation=violation)
            messages.success(request, _("Đã mở vụ việc kỷ luật."))
            return redirect("discipline:case_detail", case.pk)
        except DomainError as exc:
            error = exc.message
    return render(request, "discipline/case_new.html", {"forms": [(f, form_label(f)) for f in FORMS], "error": error,
                                                         "posted": posted, "violation": violation,
                                                         "bases": CaseBasis.choices})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=case_id)
    me = staff_of(request.user)
    error = None
    if request.method == "POST" and me is not None:
        try:
            action = request.POST.get("action", "")
            on = form_date(request.POST, "on", _("Ngày"))
            note = request.POST.get("note", "")
            if action == "revoke":
                if case.sanction is None:
                    raise InvalidInput(_("Vụ việc chưa có quyết định kỷ luật."))
                cases_services.sanction_revoke(actor=me, sanction_id=case.sanction.pk,
                                               decision_number=request.POST.get("decision_number", ""),
                                               decided_on=on, reason=note)
            elif action == "publish":
                revocation = getattr(case.sanction, "revocation", None) if case.sanction else None
                if revocation is None:
                    raise InvalidInput(_("Chưa có quyết định hủy."))
                cases_services.revocation_publish(actor=me, revocation_id=revocation.pk, published_on=on)
            elif action == StepKind.PAUSE:
                services.case_pause(actor=me, case_id=case.pk, first=on,
                                    last=form_date(request.POST, "until", _("Đến ngày")), reason=note)
            else:
                council = [_staff_by_username(request, u) for u in request.POST.get("council", "").split(",")
                           if u.strip()]
                services.case_step(actor=me, case_id=case.pk, kind=action, on=on, note=note, council=council,
                                   votes_for=query_int(request.POST, "votes_for", minimum=0, maximum=MAX_VOTES),
                                   votes_against=query_int(request.POST, "votes_against", minimum=0,
                                                           maximum=MAX_VOTES),
                                   form=request.POST.get("form", ""),
                                   decision_number=request.POST.get("decision_number", ""),
                                   effective_from=form_date(request.POST, "effective_from", _("Ngày có hiệu lực"))
                                   if request.POST.get("effective_from") else None)
            messages.success(request, _("Đã ghi nhận."))
            return redirect("discipline:case_detail", case.pk)
        except DomainError as exc:
            error = exc.message
    if me is not None:
        services.case_read_log(case=case, reader=me)
    clocks = services.case_clocks(case)
    steps = list(case.steps.all())
    for step in steps:  # the decision's effective day, kept as an ISO string, shown as the pages show dates
        step.effective = _iso_date(step.data.get("effective_from"))
    return render(request, "discipline/case_detail.html", {
        "case": case, "clocks": clocks, "steps": steps,
        "next": [(kind, StepKind(kind).label, due) for kind, due in services.next_steps(case)],
        "form_name": form_label(case.proposed_form),
        "forms": [(f, form_label(f)) for f in forms_allowed(case.category, case.discovered)],
        "office": _office(request), "error": error, "council": list(case.council.all()),
        "reads": case.reads.select_related("reader")[:10], "step_kinds": dict(StepKind.choices),
        "revocation": getattr(case.sanction, "revocation", None) if case.sanction else None})
