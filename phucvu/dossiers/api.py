"""Dossiers over JSON: every read and every transition, scoped by the visibility rule.

Transitions take the `version` the client last saw; a mismatch answers 409 `stale_action` and changes
nothing. Errors are `{code, message, details}` with a Vietnamese message (see phucvu/api.py).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema
from ninja import Status as HttpStatus
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticValidationError

from phucvu.core.apischema import ERRORS, page_bounds
from phucvu.core.exceptions import InvalidInput, NotAllowed, NotFound
from phucvu.core.throttle import client_address
from phucvu.core.web import PageNumber, RecordId, SaneDate, SaneDateTime, download_response
from phucvu.dossiers import authority, selectors, services
from phucvu.dossiers.models import AccessAction, Dossier
from phucvu.organization.models import Staff
from phucvu.organization.selectors import staff_of

router = Router(tags=["dossiers"])



class StepOut(Schema):
    id: int
    order: int
    name: str
    agency_id: int
    agency_name: str
    assignee_id: int | None
    assignee_name: str
    share: int
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str


class DossierOut(Schema):
    id: int
    code: str
    status: str
    status_label: str
    portal_code: int
    channel: str
    agency_id: int
    agency_name: str
    # The agency that decides (holds the signing step): set at intake, null only for rows not yet filled.
    competent_agency_id: int | None
    competent_agency_name: str
    procedure_id: int
    procedure_code: str
    procedure_name: str
    procedure_version: int
    applicant_name: str
    applicant_id_number: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    start_at: dt.datetime | None
    due_at: dt.datetime | None
    reappointed_at: dt.datetime | None
    resolved_at: dt.datetime | None
    result: str
    result_note: str
    approved_at: dt.datetime | None
    returned_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    stopped_at: dt.datetime | None
    paused_at: dt.datetime | None
    supplement_count: int
    due_state: str
    current_step_id: int | None
    version: int


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    from_status: str
    to_status: str
    step_order: int | None
    note: str
    due_at_then: dt.datetime | None
    data: dict


class ResultRecordOut(Schema):
    number: str
    signed_on: dt.date | None
    signer_name: str
    document_name: str
    document_size: int
    document_sha256: str
    document_url: str | None
    recorded_at: dt.datetime | None
    collector: str
    collector_name: str
    collector_id_number: str
    authorisation: str
    tracking_number: str
    fee_amount: int | None
    fee_receipt_number: str


class DossierDetail(DossierOut):
    result_record: ResultRecordOut | None
    applicant_phone: str
    applicant_email: str
    applicant_address: str
    papers: list[str]
    steps: list[StepOut]
    events: list[EventOut]
    actions: list[str]


class DossierPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[DossierOut]


def dossier_out(d: Dossier, due_state: str | None = None) -> dict:
    """`due_state`: already computed (a page computes them at once), else computed here."""
    return {
        "id": d.pk, "code": d.code, "status": d.status, "status_label": str(d.get_status_display()),
        "portal_code": d.portal_code, "channel": d.channel, "agency_id": d.agency_id, "agency_name": d.agency.name,
        "competent_agency_id": d.competent_agency_id,
        "competent_agency_name": d.competent_agency.name if d.competent_agency else "",
        "procedure_id": d.procedure_id, "procedure_code": d.procedure.code, "procedure_name": d.procedure.name,
        "procedure_version": d.procedure_version.number, "applicant_name": d.applicant_name,
        "applicant_id_number": d.applicant_id_number, "submitted_at": d.submitted_at, "received_at": d.received_at,
        "start_at": d.start_at, "due_at": d.due_at, "reappointed_at": d.reappointed_at,
        "resolved_at": d.resolved_at, "result": d.result, "result_note": d.result_note,
        "approved_at": d.approved_at, "returned_at": d.returned_at, "withdrawn_at": d.withdrawn_at,
        "stopped_at": d.stopped_at, "paused_at": d.paused_at, "supplement_count": d.supplement_count,
        "due_state": selectors.due_state(d) if due_state is None else due_state,
        "current_step_id": d.current_step_id, "version": d.version,
    }


def detail_out(request: HttpRequest, d: Dossier) -> dict:
    steps = list(selectors.dossier_steps(d))
    out = dossier_out(d)
    out.update(applicant_phone=d.applicant_phone, applicant_email=d.applicant_email,
               applicant_address=d.applicant_address, papers=list(d.papers),
               actions=selectors.dossier_actions(request.user, d, steps=steps))
    record = selectors.result_record(d) if d.resolved_at or d.returned_at else None
    out["result_record"] = None if record is None else {
        "number": record.number, "signed_on": record.signed_on, "signer_name": record.signer_name,
        "document_name": record.document_name, "document_size": record.document_size,
        "document_sha256": record.document_sha256,
        "document_url": reverse("api:dossier_result_document", kwargs={"dossier_id": d.pk}) if record.document else None,
        "recorded_at": record.recorded_at, "collector": record.collector, "collector_name": record.collector_name,
        "collector_id_number": record.collector_id_number, "authorisation": record.authorisation,
        "tracking_number": record.tracking_number, "fee_amount": record.fee_amount,
        "fee_receipt_number": record.fee_receipt_number}
    if not authority.sees_full_id(request.user, in_list=False):  # docs/security.md §4
        out["applicant_id_number"] = authority.mask_id_number(d.applicant_id_number)
        if out["result_record"]:
            out["result_record"]["collector_id_number"] = authority.mask_id_number(record.collector_id_number)
    out["steps"] = [{
        "id": s.pk, "order": s.order, "name": s.name, "agency_id": s.agency_id, "agency_name": s.agency.name,
        "assignee_id": s.assignee_id, "assignee_name": s.assignee.full_name if s.assignee else "",
        "share": s.share, "started_at": s.started_at, "due_at": s.due_at, "finished_at": s.finished_at,
        "outcome": s.outcome} for s in steps]
    out["events"] = [{
        "id": e.pk, "kind": e.kind, "kind_label": str(e.get_kind_display()), "at": e.at, "actor_id": e.actor_id,
        "actor_name": e.actor.full_name if e.actor else "", "from_status": e.from_status,
        "to_status": e.to_status, "step_order": e.step.order if e.step else None, "note": e.note,
        "due_at_then": e.due_at_then, "data": e.data} for e in selectors.dossier_events(d)]
    return out


def _actor(request: HttpRequest) -> Staff:
    """Every write is a cadre's, checked against the table of who may act (a superuser without a staff row
    administers the system and takes no dossier action)."""
    staff = staff_of(request.user)
    if staff is None:
        raise NotAllowed("Tài khoản này không gắn với cán bộ nào nên không xử lý được hồ sơ.")
    return staff


def _write(request: HttpRequest, service, **kwargs) -> dict:
    """One transaction around the service AND the answer: if the answer cannot be given (an error), the write
    is rolled back with it, so an API call that answers an error has written nothing.

    The answer is the dossier the service returns (read under its lock and just written), not a second read
    of it (that was about half of an intake's time): only its steps and events are read, and the visibility
    rule is checked as for any read."""
    with transaction.atomic():
        dossier = service(actor=_actor(request), **kwargs)
        selectors.ensure_dossier_visible(request.user, dossier.pk)
        return detail_out(request, dossier)


def _page(qs, page: int, per_page: int) -> dict:
    page, per_page = page_bounds(page, per_page)
    items = list(qs.select_related("procedure_version")[(page - 1) * per_page: page * per_page])
    states = selectors.page_due_states(items, timezone.now())
    return {"count": qs.count(), "page": page, "per_page": per_page,
            "items": [dossier_out(d, state) for d, state in zip(items, states, strict=True)]}


def _listed(request: HttpRequest, out: dict) -> dict:
    """A page of a list: ID numbers masked for the roles that do not need them (docs/security.md §4)."""
    if not authority.sees_full_id(request.user, in_list=True):
        for item in out["items"]:
            item["applicant_id_number"] = authority.mask_id_number(item["applicant_id_number"])
    return out


def _read(request: HttpRequest, dossier: Dossier, action: str = AccessAction.VIEW, detail: str = "") -> Dossier:
    """Log the reading of a dossier's personal data through the API (docs/security.md §3)."""
    services.personal_data_accessed(user=request.user, dossiers=[dossier], action=action, detail=detail,
                                    via_api=True, address=client_address(request))
    return dossier


# --- reads -------------------------------------------------------------------------------------------


@router.get("/", response=DossierPage, summary="Danh sách hồ sơ được xem")
def list_dossiers(request: HttpRequest, q: str = "", status: str = "", agency_id: RecordId | None = None,
                  procedure_id: RecordId | None = None, received_from: SaneDate | None = None,
                  received_to: SaneDate | None = None, overdue: bool | None = None, page: PageNumber = 1,
                  per_page: int = 50):
    qs = selectors.dossier_list(request.user, query=q, status=status, agency_id=agency_id,
                                procedure_id=procedure_id, received_from=received_from, received_to=received_to,
                                overdue=overdue)
    return _listed(request, _page(qs, page, per_page))


@router.get("/queue", response=DossierPage, summary="Việc cần xử lý của tôi, hạn gần nhất trước")
def work_queue(request: HttpRequest, q: str = "", status: str = "", due: str = "", page: PageNumber = 1,
               per_page: int = 50):
    return _listed(request, _page(selectors.dossier_queue(request.user, query=q, status=status, due=due), page,
                                  per_page))


@router.get("/by-code/{code}", response={200: DossierDetail, **ERRORS}, summary="Hồ sơ theo mã")
def get_by_code(request: HttpRequest, code: str):
    return detail_out(request, _read(request, selectors.dossier_by_code(request.user, code)))


# --- intake ------------------------------------------------------------------------------------------


class ReceiveIn(Schema):
    agency_id: int
    procedure_id: int
    applicant_name: str
    channel: str = "counter"
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    papers: list[str] = []
    note: str = ""


class SubmitIn(Schema):
    agency_id: int
    procedure_id: int
    applicant_name: str
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    papers: list[str] = []


@router.post("/", response={201: DossierDetail, **ERRORS}, summary="Tiếp nhận hồ sơ (trực tiếp, bưu chính)")
def receive(request: HttpRequest, body: ReceiveIn):
    return HttpStatus(201, _write(request, services.dossier_receive, **body.dict()))


@router.post("/online", response={201: DossierDetail, **ERRORS}, summary="Ghi nhận hồ sơ nộp trực tuyến")
def submit_online(request: HttpRequest, body: SubmitIn):
    return HttpStatus(201, _write(request, services.dossier_submit_online, **body.dict()))


@router.get("/{dossier_id}", response={200: DossierDetail, **ERRORS}, summary="Một hồ sơ: bước, nhật ký, thao tác")
def get_dossier(request: HttpRequest, dossier_id: int):
    return detail_out(request, _read(request, selectors.dossier_get(request.user, dossier_id)))


# --- transitions -------------------------------------------------------------------------------------


class VersionIn(Schema):
    version: int
    note: str = ""


class ReasonIn(Schema):
    version: int
    reason: str


class AssignIn(Schema):
    version: int
    assignee_id: int
    note: str = ""


class ForwardIn(Schema):
    version: int
    to_agency_id: int | None = None
    assignee_id: int | None = None
    note: str = ""


class SupplementIn(Schema):
    version: int
    missing: list[str]
    reason: str = ""


class PaymentIn(Schema):
    version: int
    amount: int | None = None
    note: str = ""


class ResumeIn(Schema):
    version: int
    note: str = ""
    papers: list[str] = []


class ApologyIn(Schema):
    version: int
    new_due_at: SaneDateTime
    reason: str


class ResolveIn(Schema):
    version: int
    result: str
    reason: str = ""
    decision_number: str = ""
    decision_date: SaneDate | None = None
    signer_name: str = ""


class ReturnIn(Schema):
    version: int
    note: str = ""
    collector: str = "applicant"
    collector_name: str = ""
    collector_id_number: str = ""
    authorisation: str = ""
    tracking_number: str = ""
    fee_amount: int | None = None
    fee_receipt_number: str = ""


class WithdrawIn(Schema):
    version: int
    reason: str = ""


class TransferIn(Schema):
    version: int
    to_agency_id: int
    note: str = ""


def _act(request: HttpRequest, service, dossier_id: int, body: Schema) -> dict:
    return _write(request, service, dossier_id=dossier_id, **body.dict())


R = {200: DossierDetail, **ERRORS}


@router.post("/{dossier_id}/accept", response=R, summary="Tiếp nhận hồ sơ trực tuyến")
def accept(request: HttpRequest, dossier_id: int, body: VersionIn):
    return _act(request, services.dossier_accept, dossier_id, body)


@router.post("/{dossier_id}/refuse", response=R, summary="Từ chối tiếp nhận")
def refuse(request: HttpRequest, dossier_id: int, body: ReasonIn):
    return _act(request, services.dossier_refuse, dossier_id, body)


@router.post("/{dossier_id}/assign", response=R, summary="Phân công xử lý bước hiện tại")
def assign(request: HttpRequest, dossier_id: int, body: AssignIn):
    return _act(request, services.dossier_assign, dossier_id, body)


@router.post("/{dossier_id}/forward", response=R, summary="Chuyển bước tiếp theo (hoặc đơn vị liên thông)")
def forward(request: HttpRequest, dossier_id: int, body: ForwardIn):
    return _act(request, services.dossier_forward, dossier_id, body)


@router.post("/{dossier_id}/supplement", response=R, summary="Yêu cầu bổ sung hồ sơ (tạm dừng thời hạn)")
def request_supplement(request: HttpRequest, dossier_id: int, body: SupplementIn):
    return _act(request, services.dossier_request_supplement, dossier_id, body)


@router.post("/{dossier_id}/payment", response=R, summary="Yêu cầu thực hiện nghĩa vụ tài chính")
def request_payment(request: HttpRequest, dossier_id: int, body: PaymentIn):
    return _act(request, services.dossier_request_payment, dossier_id, body)


@router.post("/{dossier_id}/resume", response=R, summary="Tiếp tục xử lý (thời hạn lùi theo thời gian tạm dừng)")
def resume(request: HttpRequest, dossier_id: int, body: ResumeIn):
    return _act(request, services.dossier_resume, dossier_id, body)


@router.post("/{dossier_id}/apologize", response=R, summary="Xin lỗi và hẹn lại (một lần, trước hạn)")
def apologize(request: HttpRequest, dossier_id: int, body: ApologyIn):
    return _act(request, services.dossier_apologize, dossier_id, body)


@router.post("/{dossier_id}/approve", response=R, summary="Lãnh đạo phê duyệt")
def approve(request: HttpRequest, dossier_id: int, body: VersionIn):
    return _act(request, services.dossier_approve, dossier_id, body)


RESOLVE_BODY = {
    "content": {
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["version", "result"],
            "properties": {**{name: {"type": "string"} for name in
                              ("result", "reason", "decision_number", "signer_name")},
                           "version": {"type": "integer"}, "decision_date": {"type": "string", "format": "date"},
                           "document": {"type": "string", "format": "binary",
                                        "description": "Văn bản kết quả đã ký (PDF)"}}}},
        "application/json": {"schema": {
            "type": "object", "required": ["version", "result"],
            "properties": {**{name: {"type": "string"} for name in
                              ("result", "reason", "decision_number", "signer_name", "document_name")},
                           "version": {"type": "integer"}, "decision_date": {"type": "string", "format": "date"},
                           "document_base64": {"type": "string", "format": "byte",
                                               "description": "Văn bản kết quả (PDF), mã hóa base64"}}}},
    },
    "required": True,
}


def _resolve_input(request: HttpRequest) -> tuple[ResolveIn, services.ResultDocument | None]:
    """The body of `resolve`: a form with the PDF as a file (multipart), or JSON with it in base64."""
    limit = services.result_document_max_bytes()
    if request.content_type == "multipart/form-data":
        data: dict = request.POST.dict()
        upload = request.FILES.get("document")
        if upload is not None and upload.size > limit:  # refused before it is read
            raise InvalidInput(f"Văn bản kết quả vượt quá {limit // (1024 * 1024)} MB.")
        document = services.ResultDocument(name=upload.name or "", content=upload.read()) if upload else None
    else:
        try:
            data = json.loads(request.body or b"{}")
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            raise InvalidInput("Nội dung gửi lên không phải JSON hợp lệ.") from None
        encoded = data.pop("document_base64", None)
        name = str(data.pop("document_name", "") or "ket-qua.pdf")
        document = None
        if encoded:
            try:
                document = services.ResultDocument(name=name, content=base64.b64decode(encoded, validate=True))
            except (binascii.Error, TypeError, ValueError):
                raise InvalidInput("document_base64 không phải dữ liệu base64 hợp lệ.") from None
    try:
        return ResolveIn.model_validate(data), document
    except PydanticValidationError as exc:
        raise ValidationError(exc.errors(include_url=False, include_context=False)) from None


@router.post("/{dossier_id}/resolve", response=R, openapi_extra={"requestBody": RESOLVE_BODY},
             summary="Có kết quả: số, ngày ký, người ký và văn bản kết quả PDF")
def resolve(request: HttpRequest, dossier_id: int):
    body, document = _resolve_input(request)
    return _write(request, services.dossier_resolve, dossier_id=dossier_id, document=document, **body.dict())


@router.post("/{dossier_id}/return", response=R,
             summary="Trả kết quả: người nhận (người nộp, người được ủy quyền, bưu chính), phí đã thu, biên lai")
def return_result(request: HttpRequest, dossier_id: int, body: ReturnIn):
    return _act(request, services.dossier_return_result, dossier_id, body)


@router.get("/{dossier_id}/result-document", summary="Văn bản kết quả đã ký (PDF)",
            response={200: None, **ERRORS}, url_name="dossier_result_document")
def result_document(request: HttpRequest, dossier_id: int):
    dossier = selectors.dossier_get(request.user, dossier_id)
    record = selectors.result_record(dossier)
    if record is None or not record.document:
        raise NotFound("Hồ sơ chưa có văn bản kết quả.")
    _read(request, dossier, AccessAction.DOWNLOAD, record.document_name or "result.pdf")
    return download_response(record.document.open("rb"), filename=record.document_name or f"{dossier.code}.pdf",
                             content_type="application/pdf")


@router.post("/{dossier_id}/withdraw", response=R, summary="Công dân rút hồ sơ")
def withdraw(request: HttpRequest, dossier_id: int, body: WithdrawIn):
    return _act(request, services.dossier_withdraw, dossier_id, body)


@router.post("/{dossier_id}/stop", response=R, summary="Dừng xử lý")
def stop(request: HttpRequest, dossier_id: int, body: ReasonIn):
    return _act(request, services.dossier_stop, dossier_id, body)


@router.post("/{dossier_id}/transfer", response=R, summary="Chuyển cho đơn vị kế thừa (không tính lại thời hạn)")
def transfer(request: HttpRequest, dossier_id: int, body: TransferIn):
    return _act(request, services.dossier_transfer, dossier_id, body)
