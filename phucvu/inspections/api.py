"""Inspections API: inspections and their recommendations, under the visibility rule, every write through
the one table of who may act (docs/inspections.md §4). Mounted at /api/inspections/."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from phucvu.core.apischema import ERRORS, page_bounds
from phucvu.core.exceptions import NotFound
from phucvu.core.web import PageNumber, Year
from phucvu.inspections import selectors, services
from phucvu.inspections.authority import RULE, may
from phucvu.inspections.models import Inspection, Plan, Recommendation
from phucvu.organization.models import Agency, Staff
from phucvu.organization.selectors import acting_staff, staff_of, visible_agencies

router = Router(tags=["inspections"])


class InspectionOut(Schema):
    id: int
    code: str
    topic: str
    kind: str
    reason: str
    status: str
    status_label: str
    organizer_code: str
    organizer_name: str
    target_code: str
    target_name: str
    decision_number: str
    decision_date: dt.date | None
    decision_signer: str
    started_on: dt.date
    ended_on: dt.date | None
    law: str


class PersonOut(Schema):
    id: int
    name: str
    agency: str


class FindingOut(Schema):
    id: int
    text: str
    is_violation: bool


class RecommendationOut(Schema):
    id: int
    inspection_id: int
    inspection_code: str
    text: str
    owner_code: str
    owner_name: str
    owner_person_id: int | None
    owner_person_name: str
    due_on: dt.date
    state: str
    state_label: str
    overdue: bool
    done_on: dt.date | None
    evidence: str
    verified_on: dt.date | None
    version: int


class ClockOut(Schema):
    due_on: dt.date
    days_left: int
    signed_on: dt.date | None
    late: bool


class InspectionDetail(InspectionOut):
    scope: str
    period_from: dt.date | None
    period_to: dt.date | None
    head: PersonOut | None
    members: list[PersonOut]
    draft_received_on: dt.date | None
    conclusion_due_on: dt.date | None
    concluded_on: dt.date | None
    conclusion: str
    published_on: dt.date | None
    published_until: dt.date | None
    public_summary: str
    clock: ClockOut | None
    findings: list[FindingOut]
    recommendations: list[RecommendationOut]
    actions: list[str]


class InspectionPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[InspectionOut]


class RecommendationPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[RecommendationOut]


class CountRow(Schema):
    agency: str
    name: str
    count: int
    by_kind: dict[str, int]


class CountsOut(Schema):
    rows: list[CountRow]
    total: int


def _person(s: Staff | None) -> dict | None:
    return None if s is None else {"id": s.pk, "name": s.full_name, "agency": s.agency.name}


def inspection_out(i: Inspection) -> dict:
    return {"id": i.pk, "code": i.code, "topic": i.topic, "kind": i.kind, "reason": i.reason, "status": i.status,
            "status_label": str(i.get_status_display()), "organizer_code": i.organizer.code,
            "organizer_name": i.organizer.name, "target_code": i.target.code, "target_name": i.target.name,
            "decision_number": i.decision_number, "decision_date": i.decision_date,
            "decision_signer": i.decision_signer, "started_on": i.started_on, "ended_on": i.ended_on, "law": i.law}


def recommendation_out(r: Recommendation, today: dt.date) -> dict:
    return {"id": r.pk, "inspection_id": r.inspection_id, "inspection_code": r.inspection.code, "text": r.text,
            "owner_code": r.owner.code, "owner_name": r.owner.name, "owner_person_id": r.owner_person_id,
            "owner_person_name": r.owner_person.full_name if r.owner_person else "", "due_on": r.due_on,
            "state": r.state, "state_label": str(r.get_state_display()), "overdue": r.overdue_on(today),
            "done_on": r.done_on, "evidence": r.evidence, "verified_on": r.verified_on, "version": r.version}


def _detail(request: HttpRequest, inspection_id: int) -> dict:
    i = selectors.inspection_detail(user=request.user, inspection_id=inspection_id)
    today = timezone.localdate()
    clock = selectors.conclusion_clock(i, today)
    actor = staff_of(request.user)
    out = inspection_out(i)
    out.update(
        scope=i.scope, period_from=i.period_from, period_to=i.period_to, head=_person(i.head),
        members=[_person(m) for m in i.members.all()], draft_received_on=i.draft_received_on,
        conclusion_due_on=i.conclusion_due_on, concluded_on=i.concluded_on, conclusion=i.conclusion,
        published_on=i.published_on, published_until=i.published_until, public_summary=i.public_summary,
        clock=None if clock is None else {"due_on": clock.due_on, "days_left": clock.days_left,
                                          "signed_on": clock.signed_on, "late": clock.late},
        findings=[{"id": f.pk, "text": f.text, "is_violation": f.is_violation} for f in i.findings.order_by("id")],
        recommendations=[recommendation_out(r, today) for r in selectors.recommendations_of(i, today=today)],
        actions=[a for a, rule in RULE.items() if rule.side == "inspecting"
                 and may(actor, a, organizer_id=i.organizer_id)] if actor else [])
    return out


# --- recommendations ----------------------------------------------------------------------------------


@router.get("/recommendations", response=RecommendationPage, summary="Kiến nghị sau thanh tra được xem")
def list_recommendations(request: HttpRequest, state: str = "", overdue: bool = False, mine: bool = False,
                         page: PageNumber = 1, per_page: int = 50):
    today = timezone.localdate()
    page, per_page = page_bounds(page, per_page)
    state = state if state in Recommendation.State.values else ""
    qs = selectors.recommendation_list(user=request.user, state=state, overdue=overdue, mine=mine, today=today)
    items = qs[(page - 1) * per_page: page * per_page]
    return {"count": qs.count(), "page": page, "per_page": per_page,
            "items": [recommendation_out(r, today) for r in items]}


@router.get("/recommendations/{recommendation_id}", response={200: RecommendationOut, **ERRORS},
            summary="Một kiến nghị")
def get_recommendation(request: HttpRequest, recommendation_id: int):
    return recommendation_out(selectors.recommendation_detail(user=request.user, recommendation_id=recommendation_id),
                              timezone.localdate())


class RecommendationVersionIn(Schema):
    version: int


class DoneIn(Schema):
    version: int
    done_on: dt.date
    evidence: str


class VerifyIn(Schema):
    version: int
    verified_on: dt.date
    accept: bool = True
    note: str = ""


def _rec_write(request: HttpRequest, service, recommendation_id: int, **kwargs) -> dict:
    selectors.recommendation_detail(user=request.user, recommendation_id=recommendation_id)
    with transaction.atomic():
        rec = service(actor=acting_staff(request.user), recommendation_id=recommendation_id, **kwargs)
        return recommendation_out(selectors.recommendation_detail(user=request.user, recommendation_id=rec.pk),
                                  timezone.localdate())


@router.post("/recommendations/{recommendation_id}/start", response={200: RecommendationOut, **ERRORS},
             summary="Người thực hiện bắt đầu thực hiện kiến nghị")
def start_recommendation(request: HttpRequest, recommendation_id: int, body: RecommendationVersionIn):
    return _rec_write(request, services.recommendation_start, recommendation_id, version=body.version)


@router.post("/recommendations/{recommendation_id}/done", response={200: RecommendationOut, **ERRORS},
             summary="Người thực hiện báo cáo đã thực hiện, kèm bằng chứng")
def report_done(request: HttpRequest, recommendation_id: int, body: DoneIn):
    return _rec_write(request, services.recommendation_report_done, recommendation_id, version=body.version,
                      done_on=body.done_on, evidence=body.evidence)


@router.post("/recommendations/{recommendation_id}/verify", response={200: RecommendationOut, **ERRORS},
             summary="Thanh tra xác nhận (kết thúc) hoặc trả lại báo cáo thực hiện")
def verify(request: HttpRequest, recommendation_id: int, body: VerifyIn):
    return _rec_write(request, services.recommendation_verify, recommendation_id, version=body.version,
                      verified_on=body.verified_on, accept=body.accept, note=body.note)


# --- inspections --------------------------------------------------------------------------------------


@router.get("/", response=InspectionPage, summary="Danh sách cuộc thanh tra, kiểm tra được xem")
def list_inspections(request: HttpRequest, q: str = "", kind: str = "", status: str = "", page: PageNumber = 1,
                     per_page: int = 50):
    page, per_page = page_bounds(page, per_page)
    qs = selectors.inspection_list(user=request.user, query=q, kind=kind, status=status)
    return {"count": qs.count(), "page": page, "per_page": per_page,
            "items": [inspection_out(i) for i in qs[(page - 1) * per_page: page * per_page]]}


@router.get("/counts", response={200: CountsOut, **ERRORS},
            summary="Số cuộc theo cơ quan tiến hành hoặc đơn vị được kiểm tra, theo hình thức")
def counts(request: HttpRequest, date_from: dt.date, date_to: dt.date, by: str = "organizer", kind: str = ""):
    return selectors.counts_table(date_from=date_from, date_to=date_to, by=by, kind=kind, user=request.user)


# --- yearly plans (docs/inspections.md §10–11) ----------------------------------------------------------


class PlanOut(Schema):
    id: int
    agency_code: str
    agency_name: str
    year: int
    state: str
    state_label: str
    approved_version: int
    version: int


class PlanItemOut(Schema):
    id: int
    topic: str
    target_code: str
    target_name: str
    month: int | None
    quarter: int | None
    kind: str
    method: str
    reason: str
    basis: str
    withdrawn: bool
    inspection_id: int | None


class DiffOut(Schema):
    change: str
    topic: str
    target: str
    fields: list[list[str]]


class PlanVersionOut(Schema):
    number: int
    approved_on: dt.date
    decision_number: str
    reason: str
    items: list[dict]
    diff: list[DiffOut] | None


class ProposalOut(Schema):
    target_code: str
    target_name: str
    signals: list[str]
    score: int
    topic: str


class PlanDetail(PlanOut):
    items: list[PlanItemOut]
    versions: list[PlanVersionOut]
    proposals: list[ProposalOut]
    actions: list[str]


class PlanPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[PlanOut]


class PlanIn(Schema):
    agency_code: str
    year: int


class PlanItemIn(Schema):
    version: int
    topic: str
    target_code: str
    month: int | None = None
    quarter: int | None = None
    kind: str = "scheduled"
    method: str = "on_site"
    reason: str = "periodic"


class ApproveIn(Schema):
    version: int
    approved_on: dt.date
    decision_number: str


class AmendIn(Schema):
    version: int
    reason: str


class ProposeIn(Schema):
    version: int
    target_code: str
    as_of: dt.date | None = None


def plan_out(p: Plan) -> dict:
    return {"id": p.pk, "agency_code": p.agency.code, "agency_name": p.agency.name, "year": p.year,
            "state": p.state, "state_label": str(p.get_state_display()), "approved_version": p.approved_version,
            "version": p.version}


def _plan_detail(request: HttpRequest, plan_id: int) -> dict:
    plan = selectors.plan_detail(user=request.user, plan_id=plan_id)
    actor = staff_of(request.user)
    out = plan_out(plan)
    proposals = []
    if plan.editable and may(actor, "plan", organizer_id=plan.agency_id):
        as_of = selectors.proposals_as_of(timezone.localdate())
        proposals = [{"target_code": p["target"].code, "target_name": p["target"].name, "signals": p["signals"],
                      "score": p["score"], "topic": p["topic"]} for p in selectors.risk_proposals(plan=plan, as_of=as_of)]
    out.update(
        items=[{"id": i.pk, "topic": i.topic, "target_code": i.target.code, "target_name": i.target.name,
                "month": i.month, "quarter": i.quarter, "kind": i.kind, "method": i.method, "reason": i.reason,
                "basis": i.basis, "withdrawn": i.withdrawn, "inspection_id": i.inspection_id}
               for i in selectors.plan_items(plan)],
        versions=[{"number": row["v"].number, "approved_on": row["v"].approved_on,
                   "decision_number": row["v"].decision_number, "reason": row["v"].reason, "items": row["v"].items,
                   "diff": None if row["diff"] is None else [
                       {**d, "fields": [list(f) for f in d["fields"]]} for d in row["diff"]]}
                  for row in selectors.plan_versions(plan)],
        proposals=proposals,
        actions=[a for a in ("plan", "plan_approve", "open") if may(actor, a, organizer_id=plan.agency_id)]
        if actor else [])
    return out


def _agency(request: HttpRequest, code: str) -> Agency:
    found = visible_agencies(request.user).filter(code=code).first()
    if found is None:
        raise NotFound(f"Không có đơn vị mã “{code}”, hoặc nó nằm ngoài phạm vi của bạn.")
    return found


@router.get("/plans", response=PlanPage, summary="Kế hoạch thanh tra, kiểm tra hằng năm được xem")
def list_plans(request: HttpRequest, year: Year | None = None, page: PageNumber = 1, per_page: int = 50):
    page, per_page = page_bounds(page, per_page)
    qs = selectors.plan_list(user=request.user, year=year)
    return {"count": qs.count(), "page": page, "per_page": per_page,
            "items": [plan_out(p) for p in qs[(page - 1) * per_page: page * per_page]]}


@router.post("/plans", response={200: PlanDetail, **ERRORS}, summary="Lập dự thảo kế hoạch năm")
def create_plan(request: HttpRequest, body: PlanIn):
    with transaction.atomic():
        plan = services.plan_create(actor=acting_staff(request.user), agency=_agency(request, body.agency_code), year=body.year)
        return _plan_detail(request, plan.pk)


@router.get("/plans/{plan_id}", response={200: PlanDetail, **ERRORS},
            summary="Một kế hoạch: nội dung, các phiên bản và khác biệt, đề xuất theo rủi ro")
def get_plan(request: HttpRequest, plan_id: int):
    return _plan_detail(request, plan_id)


def _plan_write(request: HttpRequest, service, plan_id: int, **kwargs) -> dict:
    selectors.plan_detail(user=request.user, plan_id=plan_id)
    with transaction.atomic():
        service(actor=acting_staff(request.user), plan_id=plan_id, **kwargs)
        return _plan_detail(request, plan_id)


@router.post("/plans/{plan_id}/items", response={200: PlanDetail, **ERRORS}, summary="Thêm nội dung vào kế hoạch")
def add_plan_item(request: HttpRequest, plan_id: int, body: PlanItemIn):
    return _plan_write(request, services.plan_item_add, plan_id, version=body.version, topic=body.topic,
                       target=_agency(request, body.target_code), month=body.month, quarter=body.quarter,
                       kind=body.kind, method=body.method, reason=body.reason)


@router.post("/plans/{plan_id}/propose", response={200: PlanDetail, **ERRORS},
             summary="Thêm một đề xuất theo rủi ro vào kế hoạch")
def propose(request: HttpRequest, plan_id: int, body: ProposeIn):
    return _plan_write(request, services.plan_propose_add, plan_id, version=body.version,
                       target=_agency(request, body.target_code),
                       as_of=body.as_of or selectors.proposals_as_of(timezone.localdate()))


@router.post("/plans/{plan_id}/approve", response={200: PlanDetail, **ERRORS},
             summary="Lãnh đạo cơ quan tiến hành phê duyệt kế hoạch (một phiên bản mới)")
def approve_plan(request: HttpRequest, plan_id: int, body: ApproveIn):
    return _plan_write(request, services.plan_approve, plan_id, version=body.version,
                       approved_on=body.approved_on, decision_number=body.decision_number)


@router.post("/plans/{plan_id}/amend", response={200: PlanDetail, **ERRORS},
             summary="Bắt đầu điều chỉnh kế hoạch đã phê duyệt")
def amend_plan(request: HttpRequest, plan_id: int, body: AmendIn):
    return _plan_write(request, services.plan_amend, plan_id, version=body.version, reason=body.reason)


@router.get("/{inspection_id}", response={200: InspectionDetail, **ERRORS},
            summary="Một cuộc: quyết định, đoàn, kết luận và hạn, phát hiện, kiến nghị, thao tác được làm")
def get_inspection(request: HttpRequest, inspection_id: int):
    return _detail(request, inspection_id)


class DraftIn(Schema):
    received_on: dt.date


class ConcludeIn(Schema):
    concluded_on: dt.date
    conclusion: str


def _write(request: HttpRequest, service, inspection_id: int, **kwargs) -> dict:
    selectors.inspection_detail(user=request.user, inspection_id=inspection_id)
    with transaction.atomic():
        service(actor=acting_staff(request.user), inspection_id=inspection_id, **kwargs)
        return _detail(request, inspection_id)


@router.post("/{inspection_id}/draft", response={200: InspectionDetail, **ERRORS},
             summary="Ghi nhận dự thảo kết luận (bắt đầu hạn 15 ngày ký kết luận)")
def draft(request: HttpRequest, inspection_id: int, body: DraftIn):
    return _write(request, services.inspection_draft_received, inspection_id, received_on=body.received_on)


@router.post("/{inspection_id}/conclude", response={200: InspectionDetail, **ERRORS}, summary="Ký kết luận")
def conclude(request: HttpRequest, inspection_id: int, body: ConcludeIn):
    return _write(request, services.inspection_conclude, inspection_id, ended_on=body.concluded_on,
                  conclusion=body.conclusion)
