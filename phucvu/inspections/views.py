from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from phucvu.core.exceptions import DomainError, InvalidInput, InvalidTransition, NotAllowed, NotFound
from phucvu.core.landing import render_section
from phucvu.core.pagination import paginate
from phucvu.core.throttle import client_address
from phucvu.core.web import form_date, query_choice, query_date, query_id, query_int
from phucvu.discipline.models import FORM_KINDS, ViolationKind
from phucvu.inspections import exports, selectors, services
from phucvu.inspections.authority import RULE, may, may_somewhere
from phucvu.inspections.models import (
    CheckItem,
    CheckResult,
    Kind,
    Method,
    Reason,
    Recommendation,
    RecordKind,
    RelationAccess,
    RelationKind,
    StaffRelation,
    Status,
)
from phucvu.organization.models import Role
from phucvu.organization.selectors import staff_of


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _without_page(request: HttpRequest) -> str:
    """The list's query string (search, filters) for its export links: every row, not a page of them."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = query_choice(request.GET, "kind", Kind.values)
    status = query_choice(request.GET, "status", Status.values)
    rows = selectors.inspection_list(user=request.user, query=query, kind=kind, status=status)
    fmt = query_choice(request.GET, "format", exports.LIST_FORMATS)
    if fmt:
        return exports.list_response(
            f"thanh-tra-kiem-tra-{timezone.localdate():%Y%m%d}",
            [gettext("Số hiệu"), gettext("Nội dung"), gettext("Cơ quan tiến hành"), gettext("Đơn vị được kiểm tra"),
             gettext("Hình thức"), gettext("Căn cứ"), gettext("Số quyết định"), gettext("Ngày quyết định"),
             gettext("Ngày bắt đầu"), gettext("Trạng thái"), gettext("Ngày ký kết luận")],
            ([i.code, i.topic, i.organizer.name, i.target.name, i.get_kind_display(), i.get_reason_display(),
              i.decision_number, _iso(i.decision_date), _iso(i.started_on), i.get_status_display(),
              _iso(i.concluded_on)] for i in rows[:exports.LIST_EXPORT_LIMIT]), fmt)
    page = paginate(request, rows)
    actor = staff_of(request.user)
    context = {"page": page, "q": query, "kind": kind, "kinds": Kind.choices, "status": status,
               "statuses": Status.choices, "export_query": _without_page(request),
               "can_open": actor is not None and may(actor, "open", organizer_id=actor.agency_id),
               "can_relations": may_somewhere(actor, "relation")}
    template = "inspections/_rows.html" if request.htmx else "inspections/inspection_list.html"
    return render(request, template, context)


@login_required
def inspection_counts(request: HttpRequest) -> HttpResponse:
    """Inspections per organising or inspected agency and kind, in a period; `format=xlsx|csv|json` exports."""
    year = selectors.latest_year(user=request.user) or timezone.localdate().year
    date_from = query_date(request.GET, "from", default=dt.date(year, 1, 1))
    date_to = query_date(request.GET, "to", default=dt.date(year, 12, 31))
    by = query_choice(request.GET, "by", selectors.COUNT_BY, default="organizer")
    kind = query_choice(request.GET, "kind", Kind.values)
    fmt = query_choice(request.GET, "format", exports.FORMATS)
    assert date_from is not None and date_to is not None
    table = selectors.counts_table(date_from=date_from, date_to=date_to, by=by, kind=kind, user=request.user)
    if fmt:
        payload = exports.render(table, fmt, date_from=date_from, date_to=date_to, by=by)
        response = HttpResponse(payload, content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="thanh-tra-{by}-{date_from}-{date_to}.{fmt}"'
        return response
    rows = [{**r, "kind_list": [r["by_kind"][k] for k in Kind.values]} for r in table["rows"]]
    context = {"table": table, "rows": rows, "date_from": date_from, "date_to": date_to, "by": by, "kind": kind,
               "kinds": Kind.choices, "query": request.GET.urlencode()}
    return render(request, "inspections/counts.html", context)


T = TypeVar("T")


def _attempt(request: HttpRequest, run: Callable[[], T]) -> T | None:
    """Run one action of a page's form: what it returns, or None with the refusal as a message (a record that
    does not exist, or is out of reach, stays a 404)."""
    try:
        return run()
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        _refused(request, exc)
        return None


def _act(request: HttpRequest, run: Callable[[], str]) -> None:
    """Run one action of a page's form: its success message, or the refusal as a message."""
    done = _attempt(request, run)
    if done is not None:
        messages.success(request, done)


def _refused(request: HttpRequest, exc: DomainError) -> None:
    """A refusal as a message; a team refused for a declared relation links to the relations page."""
    if isinstance(exc.details, dict) and exc.details.get("relations"):
        messages.error(request, format_html('{} <a href="{}" id="relations-link">{}</a>', exc.message,
                                            reverse("inspections:relations"),
                                            gettext("Xem các quan hệ đã kê khai")))
    else:
        messages.error(request, exc.message)


def _staff(request: HttpRequest):
    return staff_of(request.user)


def _date_field(request: HttpRequest, name: str, label: str) -> dt.date | None:
    return form_date(request.POST, name, label)


def _posted_ids(post, name: str) -> list[int]:
    """The ids a multiple select sent, in their order; what is not an id is left out."""
    return [int(v) for v in post.getlist(name) if v.isascii() and v.isdigit() and len(v) < 19]


def _members(post, candidates) -> list:
    """The team members chosen among `candidates`, in the order sent, read in one query."""
    ids = _posted_ids(post, "members")
    found = candidates.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _staff_pick(request: HttpRequest, candidates, name: str):
    pk = query_id(request.POST, name)
    if pk is None:
        return None
    found = candidates.filter(pk=pk).first()
    if found is None:
        raise InvalidInput(gettext("Cán bộ được chọn không có trong danh sách được phép."))
    return found


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_detail(user=request.user, inspection_id=pk)
    actor = _staff(request)
    today = timezone.localdate()
    team = services.team_ids(inspection)
    context = {
        "i": inspection, "members": list(inspection.members.all()),
        "findings": inspection.findings.select_related("cadre").order_by("id"),
        "recommendations": selectors.recommendations_of(inspection, today=today),
        "events": (inspection.events.select_related("actor") if selectors.sees_team_papers(actor, inspection)
                   else inspection.events.select_related("actor").exclude(kind="breach")),
        "clock": selectors.conclusion_clock(inspection, today), "today": today,
        "can": {a: may(actor, a, organizer_id=inspection.organizer_id, owner_agency_id=inspection.target_id,
                       team_ids=team) for a in RULE if a not in ("answer",)},
        "records": selectors.inspection_records(actor=actor, inspection=inspection),
        "record_kinds": [(k, label) for k, label in RecordKind.choices
                         if k not in (RecordKind.EXTENSION, RecordKind.APPRAISAL)],
        "violation_kinds": ViolationKind.choices, "forms": list(FORM_KINDS),
        "min_until": (today + dt.timedelta(days=services.PUBLICATION_DAYS)),
        "directive_late": (inspection.directive_due_on is not None and inspection.directive_on is None
                           and today > inspection.directive_due_on),
        "appraisal_missing": (inspection.status == Status.DRAFT and services.needs_appraisal(inspection)
                              and not services.appraised(inspection, dt.date.max)),
    }
    if inspection.kind == Kind.CIVIL_SERVICE:
        context["checks"] = services.current_checks(inspection)
    if context["can"]["team"] and inspection.status == Status.ONGOING:
        context["candidates"] = selectors.inspection_team_candidates(user=request.user, inspection=inspection)
    if context["can"]["finding"]:
        context["owner_staff"] = selectors.owner_candidates(inspection)
    return render(request, "inspections/detail.html", context)


@login_required
@require_POST
def inspection_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action of the inspecting side on the detail page; a refusal comes back as a message."""
    inspection = selectors.inspection_detail(user=request.user, inspection_id=pk)
    actor = _staff(request)
    post = request.POST

    def run() -> str:
        if action == "team":
            candidates = selectors.inspection_team_candidates(user=request.user)
            head = _staff_pick(request, candidates, "head")
            members = _members(post, candidates)
            services.inspection_team_set(actor=actor, inspection_id=pk, head=head, members=members)
            return gettext("Đã cập nhật đoàn.")
        elif action == "draft":
            services.inspection_draft_received(actor=actor, inspection_id=pk,
                                               received_on=_date_field(request, "received_on", gettext("ngày nhận dự thảo")))
            return gettext("Đã ghi nhận dự thảo kết luận; hạn ký kết luận được tính trên trang.")
        elif action == "conclude":
            services.inspection_conclude(actor=actor, inspection_id=pk,
                                         ended_on=_date_field(request, "concluded_on", gettext("ngày ký kết luận")),
                                         conclusion=post.get("conclusion", ""))
            return gettext("Đã ký kết luận.")
        elif action == "redact":
            services.inspection_redact(actor=actor, inspection_id=pk, summary=post.get("summary", ""))
            return gettext("Đã ghi nội dung công khai (đã lược bỏ thông tin mật).")
        elif action == "publish":
            services.inspection_publish(actor=actor, inspection_id=pk,
                                        published_on=_date_field(request, "published_on", gettext("ngày công khai")),
                                        until=query_date(post, "until"))
            return gettext("Đã công khai kết luận.")
        elif action == "finding":
            cadre = _staff_pick(request, selectors.owner_candidates(inspection), "cadre")
            services.finding_add(actor=actor, inspection_id=pk, text=post.get("text", ""), cadre=cadre,
                                 is_violation=post.get("is_violation") == "on" or cadre is not None)
            return gettext("Đã ghi phát hiện.")
        elif action in ("record", "extend", "appraise"):
            upload = request.FILES.get("file")
            kind = {"extend": RecordKind.EXTENSION, "appraise": RecordKind.APPRAISAL}.get(
                action, query_choice(post, "kind", RecordKind.values, default=RecordKind.DIARY))
            services.record_add(actor=actor, inspection_id=pk, kind=kind,
                                on=_date_field(request, "on", gettext("ngày")), text=post.get("text", ""),
                                extends_to=query_date(post, "extends_to"), file_name=upload.name if upload else "",
                                file_content=upload.read(services.RECORD_MAX_BYTES + 1) if upload else b"")
            return gettext("Đã ghi vào hồ sơ cuộc thanh tra, kiểm tra.")
        elif action == "directive":
            services.directive_record(actor=actor, inspection_id=pk, number=post.get("number", ""),
                                      issued_on=_date_field(request, "issued_on", gettext("ngày ban hành")))
            return gettext("Đã ghi văn bản chỉ đạo thực hiện kết luận.")
        elif action == "checkfindings":
            made = services.check_findings(actor=actor, inspection_id=pk)
            return gettext("Đã ghi %(n)s phát hiện từ các mục không đạt.") % {"n": len(made)}
        elif action == "refer":
            finding = inspection.findings.filter(pk=query_id(post, "finding") or 0).first()
            if finding is None:
                raise InvalidInput(gettext("Không có phát hiện này."))
            services.finding_refer(actor=actor, finding_id=finding.pk,
                                   kind=query_choice(post, "kind", ViolationKind.values,
                                                     default=ViolationKind.TASK_MISSED),
                                   occurred_on=_date_field(request, "occurred_on", gettext("ngày vi phạm")),
                                   open_case=post.get("open_case") == "on",
                                   proposed_form=query_choice(post, "form", list(FORM_KINDS), default="khien_trach"))
            return gettext("Đã chuyển vi phạm sang xử lý kỷ luật.")
        elif action == "recommendation":
            owner_person = _staff_pick(request, selectors.owner_candidates(inspection), "owner_person")
            services.recommendation_add(actor=actor, inspection_id=pk, text=post.get("text", ""),
                                        owner=owner_person.agency if owner_person else inspection.target,
                                        owner_person=owner_person,
                                        due_on=_date_field(request, "due_on", gettext("hạn thực hiện")))
            return gettext("Đã ghi kiến nghị.")
        else:
            raise NotFound(gettext("Không có thao tác này."))

    _act(request, run)
    return redirect("inspections:detail", pk=inspection.pk)


@login_required
def inspection_new(request: HttpRequest) -> HttpResponse:
    """The decision: number, date, signer, scope, period covered, kind, and the team."""
    actor = _staff(request)
    if actor is None or not may(actor, "open", organizer_id=actor.agency_id):
        raise NotAllowed(gettext("Chỉ thanh tra viên hoặc lãnh đạo cơ quan tiến hành được ra quyết định thanh tra, "
                                 "kiểm tra."))
    agencies = selectors.agency_choices(user=request.user)
    candidates = selectors.inspection_team_candidates(user=request.user)
    people = selectors.inspection_person_candidates(user=request.user)
    post = request.POST if request.method == "POST" else None
    if post is not None:
        try:
            organizer = agencies.filter(pk=query_id(post, "organizer") or actor.agency_id).first()
            target = agencies.filter(pk=query_id(post, "target") or 0).first()
            if organizer is None or target is None:
                raise InvalidInput(gettext("Chọn cơ quan tiến hành và đơn vị được kiểm tra."))
            members = _members(post, candidates)
            inspection = services.inspection_open(
                actor=actor, organizer=organizer, target=target, topic=post.get("topic", "").strip(),
                kind=query_choice(post, "kind", Kind.values, default=Kind.SCHEDULED),
                reason=query_choice(post, "reason", Reason.values, default=Reason.PERIODIC),
                decision_number=post.get("decision_number", "").strip(),
                decision_date=_date_field(request, "decision_date", gettext("ngày quyết định")),
                decision_signer=post.get("decision_signer", "").strip(), scope=post.get("scope", "").strip(),
                period_from=form_date(post, "period_from", gettext("từ ngày"), required=False),
                period_to=form_date(post, "period_to", gettext("đến ngày"), required=False),
                started_on=_date_field(request, "started_on", gettext("ngày bắt đầu")),
                head=_staff_pick(request, candidates, "head"), members=members,
                person=_staff_pick(request, people, "person"))
        except (InvalidInput, InvalidTransition, NotAllowed) as exc:
            _refused(request, exc)
        else:
            messages.success(request, gettext("Đã ghi quyết định %(n)s.") % {"n": inspection.decision_number})
            return redirect("inspections:detail", pk=inspection.pk)
    context = {"agencies": agencies, "candidates": candidates, "people": people, "kinds": Kind.choices,
               "reasons": Reason.choices,
               "actor": actor, "today": timezone.localdate(),
               "v": post if post is not None else {"decision_date": timezone.localdate().isoformat(),
                                                   "started_on": timezone.localdate().isoformat()},
               "chosen": _posted_ids(post, "members") if post else []}
    return render(request, "inspections/new.html", context, status=422 if post is not None else 200)


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    state = query_choice(request.GET, "state", Recommendation.State.values)
    overdue = request.GET.get("overdue") == "1"
    mine = request.GET.get("mine") == "1"
    query = request.GET.get("q", "").strip()[:120]
    rows = selectors.recommendation_list(user=request.user, state=state, overdue=overdue, mine=mine, today=today,
                                         query=query)
    fmt = query_choice(request.GET, "format", exports.LIST_FORMATS)
    if fmt:
        return exports.list_response(
            f"kien-nghi-{today:%Y%m%d}",
            [pgettext("inspection", "Kiến nghị"), gettext("Cuộc thanh tra, kiểm tra"), gettext("Đơn vị thực hiện"),
             gettext("Người thực hiện"), gettext("Hạn thực hiện"), gettext("Tình trạng"), gettext("Quá hạn"),
             gettext("Ngày thực hiện xong"), gettext("Ngày xác nhận")],
            ([r.text, r.inspection.code, r.owner.name, r.owner_person.full_name if r.owner_person else "",
              _iso(r.due_on), r.get_state_display(), gettext("có") if r.overdue_on(today) else "", _iso(r.done_on),
              _iso(r.verified_on)] for r in rows[:exports.LIST_EXPORT_LIMIT]), fmt)
    page = paginate(request, rows)
    for rec in page.object_list:
        rec.late = rec.overdue_on(today)
    context = {"page": page, "state": state, "states": Recommendation.State.choices, "overdue": overdue,
               "mine": mine, "today": today, "q": query, "export_query": _without_page(request)}
    return render(request, "inspections/recommendations.html", context)


@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rec = selectors.recommendation_detail(user=request.user, recommendation_id=pk)
    actor = _staff(request)
    ids = {"organizer_id": rec.inspection.organizer_id, "owner_agency_id": rec.owner_id,
           "owner_person_id": rec.owner_person_id}
    today = timezone.localdate()
    context = {"r": rec, "i": rec.inspection, "today": today, "overdue": rec.overdue_on(today),
               "events": rec.events.select_related("actor"),
               "can_answer": may(actor, "answer", **ids), "can_verify": may(actor, "verify", **ids)}
    return render(request, "inspections/recommendation.html", context)


@login_required
@require_POST
def recommendation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    rec = selectors.recommendation_detail(user=request.user, recommendation_id=pk)
    actor = _staff(request)
    post = request.POST
    version = query_int(post, "version")

    def run() -> str:
        if action == "start":
            services.recommendation_start(actor=actor, recommendation_id=pk, version=version)
            return gettext("Đã ghi nhận bắt đầu thực hiện.")
        elif action == "done":
            upload = request.FILES.get("evidence_file")
            content = upload.read(services.EVIDENCE_MAX_BYTES + 1) if upload else b""
            services.recommendation_report_done(
                actor=actor, recommendation_id=pk, version=version,
                done_on=_date_field(request, "done_on", gettext("ngày thực hiện xong")),
                evidence=post.get("evidence", ""), file_name=upload.name if upload else "", file_content=content)
            return gettext("Đã báo cáo thực hiện; chờ thanh tra xác nhận.")
        elif action in ("verify", "return"):
            services.recommendation_verify(
                actor=actor, recommendation_id=pk, version=version, accept=action == "verify",
                verified_on=_date_field(request, "verified_on", gettext("ngày xác nhận")), note=post.get("note", ""))
            return gettext("Đã xác nhận: kiến nghị kết thúc.") if action == "verify" else gettext(
                "Đã trả lại báo cáo thực hiện.")
        elif action == "extend":
            services.recommendation_extend(actor=actor, recommendation_id=pk, version=version,
                                           due_on=_date_field(request, "due_on", gettext("hạn mới")),
                                           reason=post.get("reason", ""))
            return gettext("Đã gia hạn.")
        else:
            raise NotFound(gettext("Không có thao tác này."))

    _act(request, run)
    return redirect("inspections:recommendation", pk=rec.pk)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    rec = selectors.recommendation_detail(user=request.user, recommendation_id=pk)
    if not rec.evidence_file:
        raise NotFound(gettext("Kiến nghị này không có tệp bằng chứng."))
    return FileResponse(rec.evidence_file.open("rb"), content_type=rec.evidence_type or "application/octet-stream",
                        as_attachment=False, filename=f"bang-chung-kien-nghi-{rec.pk}")


PEER_KINDS = (("commune", gettext_lazy("UBND xã, phường, thị trấn")), ("department", gettext_lazy("Sở, ban, ngành")),
              ("center", gettext_lazy("Đơn vị sự nghiệp, trung tâm")))


@login_required
def rotations(request: HttpRequest) -> HttpResponse:
    """Cross-inspection rotations: the year's pairs among peers; an inspector generates one."""
    actor = _staff(request)
    status = 200
    post = request.POST

    def adjust() -> str:
        pair = selectors.rotation_pair(user=request.user, pair_id=query_id(post, "pair") or 0)
        target = pair.rotation.pairs.filter(round=pair.round, inspected_id=query_id(post, "inspected") or 0).first()
        if target is None:
            raise InvalidInput(gettext("Chọn đơn vị được kiểm tra trong cùng đợt."))
        services.rotation_pair_change(actor=actor, pair_id=pair.pk, inspected=target.inspected,
                                      reason=post.get("reason", ""))
        return gettext("Đã điều chỉnh lịch kiểm tra chéo.")

    def turn() -> str:
        rot = selectors.rotation_detail(user=request.user, rotation_id=query_id(post, "rotation") or 0)
        made = services.rotation_open(
            actor=actor, rotation_id=rot.pk, round_no=query_int(post, "round", minimum=1, maximum=12),
            decision_number=post.get("decision_number", ""),
            decision_date=_date_field(request, "decision_date", gettext("ngày quyết định")),
            decision_signer=post.get("decision_signer", ""))
        return gettext("Đã lập %(n)s cuộc kiểm tra chéo từ lịch.") % {"n": len(made)}

    def generate() -> str:
        parent = selectors.rotation_parents(user=request.user).filter(pk=query_id(post, "parent") or 0).first()
        if parent is None:
            raise InvalidInput(gettext("Chọn đơn vị quản lý các đơn vị ngang cấp."))
        year = query_int(post, "year", default=timezone.localdate().year, minimum=2000, maximum=2100)
        made = services.rotation_generate(
            actor=actor, parent=parent, kind=query_choice(post, "kind", [k for k, _ in PEER_KINDS], default="commune"),
            year=year or timezone.localdate().year, rounds=query_int(post, "rounds", default=1) or 1,
            seed=query_int(post, "seed", default=year, minimum=0) or 0)
        return gettext("Đã lập lịch kiểm tra chéo năm %(y)s.") % {"y": made.year}

    if request.method == "POST":
        done = _attempt(request, adjust if post.get("pair") else turn if post.get("rotation") else generate)
        if done is not None:
            messages.success(request, done)
            return redirect("inspections:rotations")
        status = 422
    query = request.GET.get("q", "").strip()[:120]
    year_shown = query_int(request.GET, "year", minimum=2000, maximum=2100)
    rows = selectors.rotation_list(user=request.user, query=query, year=year_shown)
    fmt = query_choice(request.GET, "format", exports.LIST_FORMATS)
    if fmt:
        return exports.list_response(
            f"kiem-tra-cheo-{timezone.localdate():%Y%m%d}",
            [gettext("Đơn vị quản lý"), gettext("Năm"), gettext("Đợt"), gettext("Tháng"), gettext("Đơn vị kiểm tra"),
             gettext("Đơn vị được kiểm tra"), gettext("Cuộc kiểm tra")],
            ([rot.parent.name, rot.year, pair.round, pair.month, pair.inspecting.name, pair.inspected.name,
              pair.inspection.code if pair.inspection else ""]
             for rot in rows[:1000] for pair in rot.pairs.all()), fmt)
    page = paginate(request, rows, per_page=10)
    context = {"rotations": page, "page": page, "q": query, "year_shown": year_shown,
               "export_query": _without_page(request), "peer_kinds": PEER_KINDS,
               "parents": selectors.rotation_parents(user=request.user),
               "can_generate": actor is not None and may(actor, "open", organizer_id=actor.agency_id),
               "year": timezone.localdate().year, "today": timezone.localdate()}
    return render(request, "inspections/rotations.html", context, status=status)


# ---------------------------------------------------------------------------------------------------
# Yearly plans (docs/inspections.md §10–11)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    agencies = [a for a in selectors.plannable_agencies(user=request.user) if may(actor, "plan", organizer_id=a.pk)]
    status = 200
    if request.method == "POST":
        try:
            agency = next((a for a in agencies if a.pk == query_id(request.POST, "agency")), None)
            if agency is None:
                raise InvalidInput(gettext("Chọn cơ quan tiến hành."))
            year = query_int(request.POST, "year", minimum=2000, maximum=2100)
            if year is None:
                raise InvalidInput(gettext("Cần nhập năm kế hoạch."))
            plan = services.plan_create(actor=actor, agency=agency, year=year)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = 422
        else:
            messages.success(request, gettext("Đã lập dự thảo kế hoạch năm %(y)s.") % {"y": plan.year})
            return redirect(plan)
    year = query_int(request.GET, "year", minimum=2000, maximum=2100)
    query = request.GET.get("q", "").strip()[:120]
    rows = selectors.plan_list(user=request.user, year=year, query=query)
    fmt = query_choice(request.GET, "format", exports.LIST_FORMATS)
    if fmt:
        return exports.list_response(
            f"ke-hoach-thanh-tra-{timezone.localdate():%Y%m%d}",
            [gettext("Năm"), gettext("Cơ quan tiến hành"), gettext("Số nội dung"), gettext("Tình trạng"),
             gettext("Phiên bản")],
            ([p.year, p.agency.name, p.n_items, p.get_state_display(), p.approved_version or ""]
             for p in rows[:exports.LIST_EXPORT_LIMIT]), fmt)
    page = paginate(request, rows)
    context = {"page": page, "year": year, "agencies": agencies, "next_year": timezone.localdate().year + 1,
               "own": actor.agency_id if actor else None, "q": query, "export_query": _without_page(request)}
    return render(request, "inspections/plans.html", context, status=status)


def _plan_context(request: HttpRequest, plan) -> dict:
    actor = _staff(request)
    today = timezone.localdate()
    can_plan = may(actor, "plan", organizer_id=plan.agency_id)
    as_of = query_date(request.GET, "as_of") or selectors.proposals_as_of(today)
    context = {"plan": plan, "items": selectors.plan_items(plan), "versions": selectors.plan_versions(plan),
               "events": plan.events.select_related("actor"), "can_plan": can_plan, "today": today,
               "can_approve": may(actor, "plan_approve", organizer_id=plan.agency_id),
               "can_open": may(actor, "open", organizer_id=plan.agency_id), "as_of": as_of,
               "kinds": Kind.choices, "methods": Method.choices, "reasons": Reason.choices,
               "months": range(1, 13), "quarters": range(1, 5)}
    approved = plan.versions.order_by("-number").first()
    context["approved_ids"] = {row["id"] for row in approved.items} if approved else set()
    if can_plan and plan.editable:
        context["targets"] = selectors.proposal_targets(plan.agency).order_by("path")
        context["proposals"] = selectors.risk_proposals(plan=plan, as_of=as_of)[:20]
    return context


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, plan_id=pk)
    return render(request, "inspections/plan.html", _plan_context(request, plan))


def _month_quarter(post) -> tuple[int | None, int | None]:
    """The form's "m1".."m12" (a month) or "q1".."q4" (a quarter), its number range-checked."""
    when = (post.get("when") or "").strip()
    if when[:1] not in ("m", "q"):
        raise InvalidInput(gettext("Chọn tháng hoặc quý tiến hành."))
    number = query_int({"when": when[1:]}, "when", minimum=1, maximum=12 if when[0] == "m" else 4)
    return (number, None) if when[0] == "m" else (None, number)


@login_required
@require_POST
def plan_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    plan = selectors.plan_detail(user=request.user, plan_id=pk)
    actor = _staff(request)
    post = request.POST
    version = query_int(post, "version")

    def run() -> str:
        if action == "item":
            target = selectors.proposal_targets(plan.agency).filter(pk=query_id(post, "target") or 0).first()
            if target is None:
                raise InvalidInput(gettext("Chọn đơn vị được kiểm tra."))
            month, quarter = _month_quarter(post)
            services.plan_item_add(actor=actor, plan_id=pk, version=version, topic=post.get("topic", ""),
                                   target=target, month=month, quarter=quarter,
                                   kind=query_choice(post, "kind", Kind.values, default=Kind.SCHEDULED),
                                   method=query_choice(post, "method", Method.values, default=Method.ON_SITE),
                                   reason=query_choice(post, "reason", Reason.values, default=Reason.PERIODIC))
            return gettext("Đã thêm nội dung vào kế hoạch.")
        elif action == "propose":
            target = selectors.proposal_targets(plan.agency).filter(pk=query_id(post, "target") or 0).first()
            if target is None:
                raise InvalidInput(gettext("Chọn đơn vị được kiểm tra."))
            services.plan_propose_add(actor=actor, plan_id=pk, version=version, target=target,
                                      as_of=query_date(post, "as_of") or selectors.proposals_as_of(timezone.localdate()))
            return gettext("Đã thêm đề xuất theo rủi ro vào kế hoạch.")
        elif action == "withdraw":
            item = plan.items.filter(pk=query_id(post, "item") or 0).first()
            if item is None:
                raise InvalidInput(gettext("Không có nội dung này trong kế hoạch."))
            services.plan_item_withdraw(actor=actor, item_id=item.pk, version=version, reason=post.get("reason", ""))
            return gettext("Đã rút nội dung khỏi kế hoạch.")
        elif action == "approve":
            made = services.plan_approve(actor=actor, plan_id=pk, version=version,
                                         approved_on=_date_field(request, "approved_on", gettext("ngày phê duyệt")),
                                         decision_number=post.get("decision_number", ""))
            return gettext("Đã phê duyệt kế hoạch, phiên bản %(n)s.") % {"n": made.number}
        elif action == "amend":
            services.plan_amend(actor=actor, plan_id=pk, version=version, reason=post.get("reason", ""))
            return gettext("Kế hoạch đang được điều chỉnh; phê duyệt lại để có hiệu lực.")
        else:
            raise NotFound(gettext("Không có thao tác này."))

    _act(request, run)
    return redirect(plan)


@login_required
def plan_item_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision of a planned inspection, from the approved item (its target, topic, kind and reason)."""
    item = selectors.plan_item_detail(user=request.user, item_id=pk)
    actor = _staff(request)
    if not may(actor, "open", organizer_id=item.plan.agency_id):
        raise NotAllowed(gettext("Chỉ thanh tra viên hoặc lãnh đạo cơ quan tiến hành được ra quyết định thanh tra, "
                                 "kiểm tra."))
    candidates = selectors.inspection_team_candidates(user=request.user).exclude(
        agency__path__startswith=item.target.path)
    post = request.POST if request.method == "POST" else None
    if post is not None:
        try:
            members = _members(post, candidates)
            inspection = services.plan_item_open(
                actor=actor, item_id=item.pk, decision_number=post.get("decision_number", "").strip(),
                decision_date=_date_field(request, "decision_date", gettext("ngày quyết định")),
                decision_signer=post.get("decision_signer", "").strip(), scope=post.get("scope", "").strip(),
                period_from=query_date(post, "period_from"), period_to=query_date(post, "period_to"),
                started_on=_date_field(request, "started_on", gettext("ngày bắt đầu")),
                head=_staff_pick(request, candidates, "head"), members=members)
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, gettext("Đã ghi quyết định %(n)s.") % {"n": inspection.decision_number})
            return redirect("inspections:detail", pk=inspection.pk)
    today = timezone.localdate()
    context = {"item": item, "candidates": candidates, "today": today,
               "v": post if post is not None else {"decision_date": today.isoformat(),
                                                   "started_on": today.isoformat()},
               "chosen": _posted_ids(post, "members") if post else []}
    return render(request, "inspections/plan_item_open.html", context, status=422 if post is not None else 200)



# ---------------------------------------------------------------------------------------------------
# The inspection's papers, the civil-service checklist, the public page (docs/inspections.md §12–13)


def _attachment(file, content_type: str, filename: str) -> FileResponse:
    """A stored paper, always as a download: never rendered in the browser under our origin."""
    response = FileResponse(file.open("rb"), content_type=content_type or "application/octet-stream",
                            as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def record_file(request: HttpRequest, pk: int) -> FileResponse:
    record = selectors.record_detail(user=request.user, record_id=pk)
    if not record.file:
        raise NotFound(gettext("Tài liệu này không có tệp."))
    ext = record.file.name.rsplit(".", 1)[-1]
    return _attachment(record.file, record.file_type, f"{record.inspection.code}-{record.kind}-{record.pk}.{ext}")


@login_required
def check_photo(request: HttpRequest, pk: int) -> FileResponse:
    entry = selectors.check_photo_detail(user=request.user, entry_id=pk)
    ext = entry.photo.name.rsplit(".", 1)[-1]
    return _attachment(entry.photo, entry.photo_type, f"{entry.inspection.code}-{entry.item}-{entry.pk}.{ext}")


@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The civil-service checklist, made for a phone at the desk: one card per item, a photo each."""
    inspection = selectors.inspection_detail(user=request.user, inspection_id=pk)
    actor = _staff(request)
    if inspection.kind != Kind.CIVIL_SERVICE:
        raise NotFound(gettext("Cuộc kiểm tra này không phải kiểm tra công vụ."))
    status = 200
    if request.method == "POST":
        photo = request.FILES.get("photo")

        def mark() -> str:
            item = query_choice(request.POST, "item", CheckItem.values)
            result = query_choice(request.POST, "result", CheckResult.values)
            if not item or not result:
                raise InvalidInput(gettext("Chọn kết quả: đạt, không đạt hoặc không áp dụng."))
            services.check_mark(actor=actor, inspection_id=pk, item=item, result=result,
                                note=request.POST.get("note", ""),
                                cadre=_staff_pick(request, selectors.owner_candidates(inspection), "cadre"),
                                photo_name=photo.name if photo else "",
                                photo_content=photo.read(services.EVIDENCE_MAX_BYTES + 1) if photo else b"")
            return item

        marked = _attempt(request, mark)
        if marked is not None:
            messages.success(request, gettext("Đã ghi: %(item)s.") % {"item": CheckItem(marked).label})
            return redirect(f"{request.path}#item-{marked}")
        status = 422
    checks = services.current_checks(inspection)
    items = [{"key": k, "label": label, "entry": checks.get(k)} for k, label in CheckItem.choices]
    context = {"i": inspection, "items": items, "results": CheckResult.choices,
               "cadres": selectors.owner_candidates(inspection),
               "can_check": may(actor, "check", organizer_id=inspection.organizer_id,
                                team_ids=services.team_ids(inspection)) and inspection.status == Status.ONGOING,
               "done": sum(1 for x in items if x["entry"]), "total": len(items)}
    return render(request, "inspections/checklist.html", context, status=status)


def public_list(request: HttpRequest) -> HttpResponse:
    """The public portal's page of inspection conclusions being published (no sign-in): searchable, and
    exported with the public fields only."""
    query = request.GET.get("q", "").strip()[:200]
    rows = selectors.published(today=timezone.localdate(), query=query)
    fmt = query_choice(request.GET, "format", exports.LIST_FORMATS)
    if fmt:
        return exports.list_response(
            f"cong-khai-ket-luan-{timezone.localdate():%Y%m%d}",
            [gettext("Số hiệu"), gettext("Nội dung"), gettext("Cơ quan tiến hành"), gettext("Đơn vị được kiểm tra"),
             gettext("Hình thức"), gettext("Số quyết định"), gettext("Ngày ký kết luận"),
             gettext("Nội dung công khai"), gettext("Công khai từ"), gettext("Công khai đến")],
            ([v["code"], v["topic"], v["organizer"], v["target"], v["kind"], v["decision_number"],
              _iso(v["concluded_on"]), v["public_summary"], _iso(v["published_on"]), _iso(v["published_until"])]
             for v in map(selectors.public_view, rows[:exports.LIST_EXPORT_LIMIT])), fmt)
    page = paginate(request, rows)
    return render(request, "inspections/public_list.html",
                  {"page": page, "q": query, "export_query": _without_page(request)})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published conclusion: only the fields marked public."""
    return render(request, "inspections/public_detail.html",
                  {"p": selectors.public_detail(inspection_id=pk, today=timezone.localdate())})


def landing_section(request: HttpRequest) -> tuple[int, str] | None:
    """On the public landing page: the conclusions published now, the latest five."""
    rows = list(selectors.published(today=timezone.localdate())[:5])
    if not rows:
        return None
    return 40, render_section("inspections/_landing.html", {"rows": rows}, request)


@login_required
def watch(request: HttpRequest) -> HttpResponse:
    """What needs looking at now: plan items due, conclusions and directives late, recommendations overdue,
    agencies at risk."""
    today = timezone.localdate()
    data = selectors.watchlist(user=request.user, actor=_staff(request), today=today)
    return render(request, "inspections/watch.html", {**data, "today": today})


def home_section(request: HttpRequest, staff) -> tuple[int, str] | None:
    """On an inspector's home page: the counts of what needs looking at now, linking to the page."""
    if staff is None or staff.role != Role.INSPECTOR:
        return None
    data = selectors.watchlist(user=request.user, actor=staff, today=timezone.localdate(), limit=1)
    return 20, render_to_string("inspections/_home.html", {"c": data["counts"]}, request=request)


# ---------------------------------------------------------------------------------------------------
# Declared relations (docs/inspections.md §20): record, list, end; every reading logged

def _relation_filters(request: HttpRequest) -> dict:
    return {"q": request.GET.get("q", "").strip()[:120],
            "state": query_choice(request.GET, "state", selectors.RELATION_STATES) or "",
            "kind": query_choice(request.GET, "kind", RelationKind.values) or ""}


def _read(request: HttpRequest, relations, action: str) -> None:
    """Log who read these declared relations (docs/inspections.md §20)."""
    services.relation_read(user=request.user, relations=relations, action=action, address=client_address(request))


@login_required
def relation_list(request: HttpRequest) -> HttpResponse:
    """The declared relations the reader may record: searchable, paginated, exported as CSV; a new one
    recorded from the same page."""
    actor = _staff(request)
    declarers = selectors.relation_declarers(user=request.user)
    if actor is None or not may_somewhere(actor, "relation"):
        raise NotAllowed(gettext("Chỉ thanh tra viên, lãnh đạo cơ quan hoặc bộ phận tổ chức cán bộ được xem và ghi "
                                 "quan hệ gia đình, quan hệ lợi ích đã kê khai."))
    today = timezone.localdate()
    status = 200
    post = request.POST if request.method == "POST" else None
    if post is not None:

        def declare() -> StaffRelation:
            staff = _staff_pick(request, declarers, "staff")
            if staff is None:
                raise InvalidInput(gettext("Chọn cán bộ kê khai."))
            relative = _staff_pick(request, selectors.relation_relatives(user=request.user), "relative")
            agency = None
            if query_id(post, "agency") is not None:
                agency = selectors.agency_choices(user=request.user).filter(pk=query_id(post, "agency")).first()
                if agency is None:
                    raise InvalidInput(gettext("Cơ quan, đơn vị được chọn không có trong danh sách."))
            return services.relation_declare(
                actor=actor, staff=staff, relative=relative, agency=agency,
                kind=query_choice(post, "kind", RelationKind.values) or "",
                declared_on=_date_field(request, "declared_on", gettext("ngày kê khai")),
                note=post.get("note", ""))

        relation = _attempt(request, declare)
        if relation is not None:
            messages.success(request, gettext("Đã ghi quan hệ đã kê khai của %(n)s.") % {"n": relation.staff.full_name})
            return redirect(relation)
        status = 422
    filters = _relation_filters(request)
    rows = selectors.relation_list(user=request.user, query=filters["q"], state=filters["state"],
                                   kind=filters["kind"], today=today)
    fmt = query_choice(request.GET, "format", exports.LIST_FORMATS)
    if fmt:
        return _relation_export(request, rows[:exports.LIST_EXPORT_LIMIT], fmt)
    page = paginate(request, rows)
    _read(request, list(page.object_list), RelationAccess.Action.VIEW)
    context = {"page": page, **filters, "kinds": RelationKind.choices, "today": today,
               "states": (("active", gettext_lazy("Đang có hiệu lực")), ("ended", gettext_lazy("Đã chấm dứt"))),
               "declarers": declarers, "relatives": selectors.relation_relatives(user=request.user),
               "agencies": selectors.agency_choices(user=request.user),
               "v": post if post is not None else {"declared_on": today.isoformat(), "staff": request.GET.get("staff", "")},
               "export_query": _without_page(request)}
    return render(request, "inspections/relations.html", context, status=status)


def _relation_export(request: HttpRequest, rows, fmt: str) -> HttpResponse:
    read: list[int] = []
    lines = []
    for r in rows:
        read.append(r.pk)
        lines.append([r.staff.full_name, r.staff.agency.name, r.get_kind_display(),
                      r.relative.full_name if r.relative else "", r.agency.name if r.agency else "",
                      _iso(r.declared_on), _iso(r.ended_on), r.note, r.recorded_by.full_name if r.recorded_by else ""])
    _read(request, read, RelationAccess.Action.EXPORT)
    return exports.list_response(
        f"quan-he-da-ke-khai-{timezone.localdate():%Y%m%d}",
        [gettext("Cán bộ kê khai"), gettext("Đơn vị"), gettext("Quan hệ"), gettext("Người có quan hệ"),
         gettext("Cơ quan, đơn vị có quan hệ"), gettext("Ngày kê khai"), gettext("Ngày chấm dứt"),
         gettext("Căn cứ, ghi chú"), gettext("Người ghi")], lines, fmt)


@login_required
def relation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One declared relation: its history and its latest readings; ended from here (never deleted)."""
    relation = selectors.relation_detail(user=request.user, relation_id=pk)
    actor = _staff(request)
    status = 200
    if request.method == "POST":
        ended = _attempt(request, lambda: services.relation_end(
            actor=actor, relation_id=pk, version=query_int(request.POST, "version"),
            ended_on=_date_field(request, "ended_on", gettext("ngày chấm dứt")), reason=request.POST.get("reason", "")))
        if ended is not None:
            messages.success(request, gettext("Đã ghi chấm dứt quan hệ; hồ sơ quan hệ vẫn được lưu."))
            return redirect(relation)
        status = 422
    _read(request, [relation], RelationAccess.Action.VIEW)
    today = timezone.localdate()
    context = {"r": relation, "today": today, "events": relation.events.select_related("actor"),
               "reads": selectors.relation_reads(relation),
               "can_end": may(actor, "relation", organizer_id=relation.staff.agency_id) and relation.ended_on is None}
    return render(request, "inspections/relation.html", context, status=status)
