"""The citizen side over JSON.

Public endpoints (no login) take the code and the secret in the body — never in the address, so they
stay out of logs — and share the per-address throttle of the pages (429 `throttled`). A wrong pair
answers 404 with one message whatever was wrong. Staff endpoints list and answer feedback in scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, fields
from typing import get_type_hints

from django.http import HttpRequest
from ninja import Router, Schema
from ninja import Status as HttpStatus
from pydantic import create_model

from phucvu.core.apischema import ERRORS, PUBLIC_ERRORS, Error
from phucvu.core.exceptions import NotAllowed
from phucvu.core.throttle import client_address
from phucvu.core.web import PageNumber
from phucvu.organization.selectors import staff_of
from phucvu.portal import access, selectors, services
from phucvu.portal.models import Feedback, FeedbackKind, Satisfaction

router = Router(tags=["portal"])


class KeyIn(Schema):
    code: str
    secret: str


class VoteOut(Schema):
    level: str
    level_label: str
    clerk_level: str
    comment: str
    at: dt.datetime


def _schema_of(source: type, name: str, **replaced: object) -> type[Schema]:
    """The API's schema of a selector's dataclass: its fields in its order (each required), one source for
    the page and the API; `replaced` gives the API's own type of a field (a model the page reads)."""
    hints = get_type_hints(source)
    return create_model(name, __base__=Schema, **{  # type: ignore[call-overload]
        f.name: (replaced.get(f.name, hints[f.name]), ...) for f in fields(source)})


PublicEventOut = _schema_of(selectors.PublicEvent, "PublicEventOut")
StatusOut = _schema_of(selectors.PublicStatus, "StatusOut", timeline=list[PublicEventOut], vote=VoteOut | None)


def _vote_out(vote) -> dict | None:
    if vote is None:
        return None
    return {"level": vote.level, "level_label": str(vote.get_level_display()), "clerk_level": vote.clerk_level,
            "comment": vote.comment, "at": vote.at}


def _status_out(dossier) -> dict:
    status = selectors.public_status(dossier)
    out = asdict(status)
    out["timeline"] = [asdict(e) for e in status.timeline]
    out["vote"] = _vote_out(status.vote)
    return out


@router.post("/lookup", auth=None, response={200: StatusOut, **PUBLIC_ERRORS},
             summary="Tra cứu hồ sơ bằng mã hồ sơ và mã tra cứu (công khai)")
def lookup(request: HttpRequest, payload: KeyIn):
    dossier = access.open_dossier(code=payload.code, secret=payload.secret, address=client_address(request))
    return _status_out(dossier)


class VoteIn(KeyIn):
    level: Satisfaction
    clerk_level: Satisfaction | None = None
    comment: str = ""


@router.post("/vote", auth=None, response={200: VoteOut, 403: Error, **PUBLIC_ERRORS},
             summary="Đánh giá mức độ hài lòng về hồ sơ đã trả kết quả (lần sau thay lần trước)")
def vote(request: HttpRequest, payload: VoteIn):
    channel = access.vote_channel(request)  # 403 to a signed-in cadre
    dossier = access.open_dossier(code=payload.code, secret=payload.secret, address=client_address(request))
    cast = services.satisfaction_vote_cast(dossier_id=dossier.pk, level=payload.level,
                                           clerk_level=payload.clerk_level or "", comment=payload.comment,
                                           channel=channel)
    return _vote_out(cast)


class FeedbackIn(Schema):
    kind: FeedbackKind = FeedbackKind.FEEDBACK
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    subject: str
    content: str
    agency_id: int | None = None
    # About a dossier: its code and secret (the feedback then goes to its receiving agency).
    dossier_code: str = ""
    dossier_secret: str = ""


class FeedbackOut(Schema):
    code: str
    kind: str
    kind_label: str
    agency: str
    dossier_code: str
    subject: str
    content: str
    status: str
    status_label: str
    received_at: dt.datetime
    due_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class FeedbackCreated(FeedbackOut):
    secret: str


def _feedback_out(f: Feedback) -> dict:
    return {"code": f.code, "kind": f.kind, "kind_label": str(f.get_kind_display()), "agency": f.agency.name,
            "dossier_code": f.dossier.code if f.dossier_id else "", "subject": f.subject, "content": f.content,
            "status": f.status, "status_label": str(f.get_status_display()), "received_at": f.received_at,
            "due_at": f.due_at, "answer": f.answer, "answered_at": f.answered_at}


@router.post("/feedback", auth=None, response={201: FeedbackCreated, **PUBLIC_ERRORS},
             summary="Gửi phản ánh, kiến nghị (công khai); trả về mã và mã tra cứu")
def feedback_create(request: HttpRequest, payload: FeedbackIn):
    address = client_address(request)
    dossier_id = None
    if payload.dossier_code or payload.dossier_secret:
        dossier_id = access.open_dossier(code=payload.dossier_code, secret=payload.dossier_secret,
                                         address=address).pk
    access.submission_allowed(address)
    created = services.feedback_submit(
        kind=payload.kind, name=payload.name, phone=payload.phone, email=payload.email, address=payload.address,
        subject=payload.subject, content=payload.content, agency_id=payload.agency_id, dossier_id=dossier_id)
    created = selectors.feedback_for_citizen(code=created.code, secret=created.secret)
    return HttpStatus(201, {**_feedback_out(created), "secret": created.secret})


@router.post("/feedback/lookup", auth=None, response={200: FeedbackOut, **PUBLIC_ERRORS},
             summary="Xem phản ánh, kiến nghị và câu trả lời bằng mã và mã tra cứu (công khai)")
def feedback_lookup(request: HttpRequest, payload: KeyIn):
    return _feedback_out(access.open_feedback(code=payload.code, secret=payload.secret,
                                              address=client_address(request)))


# --- staff -----------------------------------------------------------------------------------------

class StaffFeedbackOut(FeedbackOut):
    id: int
    agency_id: int
    name: str
    phone: str
    email: str
    address: str
    version: int


class FeedbackPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[StaffFeedbackOut]


def _staff_out(f: Feedback) -> dict:
    return {**_feedback_out(f), "id": f.pk, "agency_id": f.agency_id, "name": f.name, "phone": f.phone,
            "email": f.email, "address": f.address, "version": f.version}


@router.get("/inbox", response=FeedbackPage, summary="Phản ánh, kiến nghị gửi đến các đơn vị được xem")
def inbox(request: HttpRequest, q: str = "", status: str = "", overdue: bool = False, page: PageNumber = 1,
          per_page: int = 50):
    per_page, page = max(1, min(per_page, 200)), max(1, page)
    qs = selectors.feedback_list(request.user, query=q, status=status, overdue=overdue)
    items = qs[(page - 1) * per_page: page * per_page]
    return {"count": qs.count(), "page": page, "per_page": per_page, "items": [_staff_out(f) for f in items]}


class AnswerIn(Schema):
    version: int
    answer: str = ""
    decline_reason: str = ""


@router.post("/inbox/{feedback_id}/answer", response={200: StaffFeedbackOut, **ERRORS},
             summary="Trả lời (hoặc từ chối xử lý, nêu lý do) một phản ánh, kiến nghị")
def answer(request: HttpRequest, feedback_id: int, payload: AnswerIn):
    staff = staff_of(request.user)
    if staff is None:
        raise NotAllowed("Tài khoản này không gắn với cán bộ nào.")
    selectors.feedback_get(request.user, feedback_id)  # not visible reads as not found
    if payload.decline_reason.strip():
        services.feedback_decline(actor=staff, feedback_id=feedback_id, version=payload.version,
                                  reason=payload.decline_reason)
    else:
        services.feedback_answer(actor=staff, feedback_id=feedback_id, version=payload.version,
                                 answer=payload.answer)
    return _staff_out(selectors.feedback_get(request.user, feedback_id))
