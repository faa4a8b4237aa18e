"""Emulation API (docs/discipline.md §5): campaigns and contests with their results, awards and materials, the
awards outside a campaign (per cadre, per unit), and recording an award."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema

from phucvu.core.exceptions import InvalidInput
from phucvu.core.web import PageNumber, RecordId, SaneDate, Year
from phucvu.discipline.api.common import ERRORS, actor, bounds
from phucvu.discipline.authority import may
from phucvu.discipline.models import Award, AwardForm, Campaign
from phucvu.discipline.selectors import emulation as selectors
from phucvu.discipline.services.emulation import award_record
from phucvu.organization.models import Staff
from phucvu.organization.selectors import staff_of, visible_agencies

router = Router(tags=["discipline"])

FormSlug = Literal[tuple(AwardForm.values)]  # type: ignore[valid-type]


class CampaignOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    agency_code: str
    agency_name: str
    launched_on: dt.date
    ends_on: dt.date | None
    goal: str
    basis: str


class CampaignRow(CampaignOut):
    results: int
    awards: int
    materials: int


class ResultOut(Schema):
    participant: str
    staff_id: int | None
    agency_code: str
    result: str
    rank: int | None
    recorded_on: dt.date


class AwardOut(Schema):
    id: int
    form: str
    form_label: str
    recipient: str
    staff_id: int | None
    agency_code: str
    decision_number: str
    decided_on: dt.date
    decided_by: str
    reason: str
    campaign_id: int | None
    campaign_name: str
    recorded_for_code: str = Field(description="the unit the award was recorded for (the campaign's agency, or "
                                               "the unit named outside a campaign); empty when not kept")
    recorded_for_name: str


class MaterialOut(Schema):
    title: str
    kind: str
    quantity: int
    distributed_on: dt.date
    agency_code: str
    audience: str


class CampaignDetail(CampaignOut):
    results_list: list[ResultOut]
    awards_list: list[AwardOut]
    materials_list: list[MaterialOut]
    materials_total: int
    actions: list[str]


class CampaignPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[CampaignRow]


class AwardPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[AwardOut]


class AwardIn(Schema):
    form: FormSlug
    decision_number: Annotated[str, Field(min_length=1, max_length=60)]
    decided_on: SaneDate
    username: Annotated[str, Field(max_length=150)] = ""  # a cadre the caller sees; else `recipient`
    recipient: Annotated[str, Field(max_length=200)] = ""
    decided_by: Annotated[str, Field(max_length=200)] = ""
    reason: Annotated[str, Field(max_length=300)] = ""


def campaign_out(c: Campaign) -> dict:
    return {"id": c.pk, "kind": c.kind, "kind_label": str(c.get_kind_display()), "name": c.name,
            "agency_code": c.agency.code, "agency_name": c.agency.name, "launched_on": c.launched_on,
            "ends_on": c.ends_on, "goal": c.goal, "basis": c.basis}


def award_out(a: Award) -> dict:
    return {"id": a.pk, "form": a.form, "form_label": str(a.get_form_display()), "recipient": a.recipient,
            "staff_id": a.staff_id, "agency_code": a.agency.code if a.agency else "",
            "decision_number": a.decision_number, "decided_on": a.decided_on, "decided_by": a.decided_by,
            "reason": a.reason, "campaign_id": a.campaign_id, "campaign_name": a.campaign.name if a.campaign else "",
            "recorded_for_code": a.recorded_for.code if a.recorded_for else "",
            "recorded_for_name": a.recorded_for.name if a.recorded_for else ""}


def _detail(request: HttpRequest, campaign_id: int) -> dict:
    campaign = selectors.campaign_detail(user=request.user, campaign_id=campaign_id)
    parts = selectors.campaign_parts(campaign)
    me = staff_of(request.user)
    out = campaign_out(campaign)
    out.update(
        results_list=[{"participant": r.participant, "staff_id": r.staff_id,
                       "agency_code": r.agency.code if r.agency else "", "result": r.result, "rank": r.rank,
                       "recorded_on": r.recorded_on} for r in parts["results"]],
        awards_list=[award_out(a) for a in parts["awards"]],
        materials_list=[{"title": m.title, "kind": m.kind, "quantity": m.quantity,
                         "distributed_on": m.distributed_on, "agency_code": m.agency.code,
                         "audience": m.audience} for m in parts["materials"]],
        materials_total=parts["materials_total"],
        actions=["emulation"] if me is not None and may(me, "emulation", agency_id=campaign.agency_id) else [])
    return out


@router.get("/campaigns", response={200: CampaignPage, **ERRORS}, summary="Phong trào thi đua, hội thi được xem")
def list_campaigns(request: HttpRequest, q: Annotated[str, Field(max_length=100)] = "", year: Year | None = None,
                   kind: Literal["", "campaign", "contest"] = "", page: PageNumber = 1, per_page: int = 50):
    page, per_page = bounds(page, per_page)
    qs = selectors.campaign_list(user=request.user, year=year, query=q, kind=kind)
    return {"count": qs.count(), "page": page, "per_page": per_page,
            "items": [{**campaign_out(c), "results": c.n_results, "awards": c.n_awards,
                       "materials": c.n_materials or 0} for c in qs[(page - 1) * per_page: page * per_page]]}


@router.get("/campaigns/{campaign_id}", response={200: CampaignDetail, **ERRORS},
            summary="Một phong trào: kết quả, khen thưởng, tài liệu phát hành")
def get_campaign(request: HttpRequest, campaign_id: RecordId):
    return _detail(request, campaign_id)


@router.post("/campaigns/{campaign_id}/awards", response={200: AwardOut, **ERRORS},
             summary="Ghi khen thưởng của một phong trào (theo bảng thẩm quyền)")
def record_award(request: HttpRequest, campaign_id: RecordId, body: AwardIn):
    campaign = selectors.campaign_detail(user=request.user, campaign_id=campaign_id)
    person = None
    if body.username.strip():
        person = Staff.objects.filter(user__username=body.username.strip(),
                                      agency__in=visible_agencies(request.user)).first()
        if person is None:
            raise InvalidInput(f"Không có cán bộ “{body.username.strip()[:40]}” trong phạm vi bạn xem.")
    with transaction.atomic():
        award = award_record(actor=actor(request), campaign=campaign, form=body.form,
                             decision_number=body.decision_number, decided_on=body.decided_on, staff=person,
                             recipient=body.recipient, decided_by=body.decided_by, reason=body.reason)
    return award_out(selectors.visible_awards(request.user).get(pk=award.pk))


@router.get("/awards", response={200: AwardPage, **ERRORS},
            summary="Khen thưởng được xem: theo cán bộ, theo đơn vị, tìm kiếm")
def list_awards(request: HttpRequest, q: Annotated[str, Field(max_length=100)] = "", year: Year | None = None,
                form: FormSlug | None = None, staff: RecordId | None = None, agency: RecordId | None = None,
                page: PageNumber = 1, per_page: int = 50):
    page, per_page = bounds(page, per_page)
    qs = selectors.award_list(user=request.user, query=q, year=year, form=form or "", staff_id=staff,
                              agency_id=agency)
    return {"count": qs.count(), "page": page, "per_page": per_page,
            "items": [award_out(a) for a in qs[(page - 1) * per_page: page * per_page]]}
