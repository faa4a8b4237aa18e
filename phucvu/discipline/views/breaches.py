"""Pages of breaches and signals (docs/discipline.md §3.2 and docs/discipline.md §3.3): the list, a new breach, one breach with its
evidence, the cadre's explanation and the decision; the month's signals with the dossiers behind them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phucvu.core.exceptions import DomainError, InvalidInput, NotAllowed
from phucvu.core.pagination import paginate
from phucvu.core.web import download_response, query_choice, query_date, query_int, query_month
from phucvu.discipline.authority import may, user_may_any
from phucvu.discipline.models import BreachDecision, SourceKind, ViolationKind
from phucvu.discipline.selectors import breaches as selectors
from phucvu.discipline.selectors import signals as signal_selectors
from phucvu.discipline.services import breaches as services
from phucvu.discipline.views.evaluation import _csv
from phucvu.organization.models import Staff
from phucvu.organization.selectors import staff_of, visible_agencies

EVENT_LABELS = {"recorded": gettext_lazy("Đã ghi nhận vi phạm"), "evidence": gettext_lazy("Thêm bằng chứng"),
                "explained": gettext_lazy("Cán bộ giải trình"), "decided": gettext_lazy("Kết luận")}


def _recorder(request: HttpRequest) -> bool:
    return user_may_any(request.user, "breach_record")


@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = query_choice(request.GET, "kind", ViolationKind.values, default="") or ""
    decision = request.GET.get("decision")
    decision = decision if decision in BreachDecision.values else None
    violations = selectors.violation_list(user=request.user, query=query, kind=kind, decision=decision)
    if request.GET.get("format") == "csv":
        return _csv("vi-pham", ["id", "occurred_on", "username", "full_name", "agency", "kind", "source_kind",
                                "source", "decision", "description"],
                    [[v.pk, v.occurred_on.isoformat(), v.staff.user.username,
                      v.staff.full_name, v.staff.agency.code, v.kind, v.source_kind, v.source, v.decision,
                      v.description] for v in violations.select_related("staff__user")])
    page = paginate(request, violations)
    context = {"page": page, "q": query, "kind": kind, "kinds": ViolationKind.choices, "decision": decision,
               "decisions": BreachDecision.choices, "can_record": _recorder(request)}
    template = "discipline/_rows.html" if request.htmx else "discipline/violation_list.html"
    return render(request, template, context)


def _staff_in_scope(request: HttpRequest, username: str) -> Staff:
    staff = (Staff.objects.filter(user__username=username.strip(), agency__in=visible_agencies(request.user))
             .select_related("agency").first())
    if staff is None:
        raise InvalidInput(_("Không có cán bộ tên đăng nhập “%(u)s” trong phạm vi bạn được xem.")
                           % {"u": username.strip()[:40]})
    return staff


@login_required
def violation_new(request: HttpRequest) -> HttpResponse:
    if not _recorder(request):
        raise NotAllowed(_("Chỉ lãnh đạo, thanh tra và bộ phận tổ chức cán bộ mới ghi nhận vi phạm."))
    error = None
    if request.method == "POST":
        try:
            violation = services.violation_record(
                actor=staff_of(request.user), staff=_staff_in_scope(request, request.POST.get("username", "")),
                kind=request.POST.get("kind", ""),
                occurred_on=query_date(request.POST, "occurred_on") or timezone.localdate(),
                description=request.POST.get("description", ""), source=request.POST.get("source", ""),
                source_kind=request.POST.get("source_kind", SourceKind.LEADER))
            for upload in request.FILES.getlist("evidence")[:services.EVIDENCE_PER_BREACH]:
                services.violation_add_evidence(actor=staff_of(request.user), violation_id=violation.pk,
                                                name=upload.name, content=upload.read())
            messages.success(request, _("Đã ghi nhận vi phạm."))
            return redirect("discipline:violation_detail", violation.pk)
        except DomainError as exc:
            error = exc.message
    return render(request, "discipline/violation_new.html", {
        "kinds": ViolationKind.choices, "source_kinds": SourceKind.choices, "error": error, "posted": request.POST,
        "today": timezone.localdate()})


@login_required
def violation_detail(request: HttpRequest, violation_id: int) -> HttpResponse:
    violation = selectors.violation_get(user=request.user, violation_id=violation_id)
    me = staff_of(request.user)
    error = None
    if request.method == "POST" and me is not None:
        action = request.POST.get("action", "")
        version = query_int(request.POST, "version", minimum=1)
        try:
            if action == "evidence":
                uploads = request.FILES.getlist("evidence")
                if not uploads:
                    raise InvalidInput(_("Chọn tệp bằng chứng (PDF, JPG hoặc PNG)."))
                for upload in uploads[:services.EVIDENCE_PER_BREACH]:
                    services.violation_add_evidence(actor=me, violation_id=violation.pk, name=upload.name,
                                                    content=upload.read())
                messages.success(request, _("Đã thêm bằng chứng."))
            elif action == "explain":
                services.violation_explain(actor=me, violation_id=violation.pk, version=version,
                                           explanation=request.POST.get("explanation", ""))
                messages.success(request, _("Đã gửi giải trình."))
            elif action == "decide":
                services.violation_decide(actor=me, violation_id=violation.pk, version=version,
                                          decision=request.POST.get("decision", ""),
                                          note=request.POST.get("decision_note", ""))
                messages.success(request, _("Đã kết luận."))
            return redirect("discipline:violation_detail", violation.pk)
        except DomainError as exc:
            error = exc.message
            violation = selectors.violation_get(user=request.user, violation_id=violation_id)
    is_self = me is not None and me.pk == violation.staff_id
    return render(request, "discipline/violation_detail.html", {
        "v": violation, "error": error, "posted": request.POST, "is_self": is_self,
        "events": [(e, EVENT_LABELS.get(e.kind, e.kind)) for e in violation.events.all()],
        "can_add_evidence": not violation.decision and me is not None and may(
            me, "breach_evidence", agency_id=violation.staff.agency_id, assignee_id=violation.staff_id),
        "can_explain": is_self and not violation.decision,
        "can_decide": (not violation.decision and not is_self and me is not None
                       and may(me, "breach_decide", agency_id=violation.staff.agency_id)),
        "can_open_case": (violation.decision == BreachDecision.DISCIPLINE and me is not None
                          and may(me, "case_run", agency_id=violation.staff.agency_id)),
        "decisions": [c for c in BreachDecision.choices if c[0]]})


@login_required
def evidence_file(request: HttpRequest, violation_id: int, evidence_id: int) -> FileResponse:
    evidence = selectors.evidence_get(user=request.user, violation_id=violation_id, evidence_id=evidence_id)
    return download_response(evidence.file.open("rb"), filename=evidence.name, content_type=evidence.content_type)


@login_required
def signal_list(request: HttpRequest) -> HttpResponse:
    if not signal_selectors.may_see_signals(request.user):
        raise NotAllowed(_("Chỉ lãnh đạo, thanh tra và bộ phận tổ chức cán bộ mới xem dấu hiệu."))
    today = timezone.localdate()
    params = request.POST if (request.POST.get("month") or "").strip() else request.GET
    month = f"{query_month(params, 'month', default=today.replace(day=1)):%Y-%m}"
    me = staff_of(request.user)
    error = None
    if request.method == "POST" and me is not None:
        try:
            signal = signal_selectors.signal_get(user=request.user, month=month, key=request.POST.get("key", ""))
            if signal is None:
                raise InvalidInput(_("Không còn dấu hiệu này."))
            if request.POST.get("action") == "breach":
                violation = services.signal_to_breach(
                    actor=me, key=signal.key, kind=signal.kind, staff=signal.staff, month=month,
                    breach_kind=signal.breach_kind, occurred_on=min(today, signal_selectors.month_last_day(month)),
                    description=request.POST.get("description", "").strip() or f"{signal.label}: {signal.detail}")
                messages.success(request, _("Đã ghi nhận vi phạm từ dấu hiệu."))
                return redirect("discipline:violation_detail", violation.pk)
            services.signal_dismiss(actor=me, key=signal.key, kind=signal.kind, staff=signal.staff, month=month,
                                    reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã bỏ qua dấu hiệu, lý do được ghi lại."))
            return redirect(f"{request.path}?month={month}")
        except DomainError as exc:
            error = exc.message
    kind = query_choice(request.GET, "kind", list(signal_selectors.SIGNAL_KINDS), default="") or ""
    query = request.GET.get("q", "").strip()
    reviewed = request.GET.get("reviewed") == "1"
    signals = signal_selectors.signal_list(user=request.user, month=month, kind=kind, query=query, reviewed=reviewed)
    if request.GET.get("format") == "csv":
        return _csv(f"dau-hieu-{month}", ["key", "kind", "username", "full_name", "agency", "count", "detail",
                                          "dossiers", "review"],
                    [[s.key, s.kind, s.staff.user.username, s.staff.full_name, s.staff.agency.code, s.count, s.detail,
                      " ".join(code for _pk, code in s.dossiers), s.review.outcome if s.review else ""]
                     for s in signals])
    return render(request, "discipline/signal_list.html", {
        "page": paginate(request, signals), "month": month, "kind": kind, "kinds": signal_selectors.SIGNAL_KINDS,
        "q": query, "reviewed": reviewed, "error": error})
