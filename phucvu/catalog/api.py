"""Catalogue reads over JSON: fields, procedures (accent-insensitive search), versions and their steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from phucvu.catalog import selectors
from phucvu.catalog.models import Procedure, ProcedureVersion
from phucvu.core.apischema import page_bounds
from phucvu.core.web import PageNumber, RecordId

router = Router(tags=["catalog"])



class FieldOut(Schema):
    id: int
    code: str
    name: str


class WorkflowStepOut(Schema):
    order: int
    name: str
    share: int
    role: str
    agency_id: int | None


class VersionOut(Schema):
    id: int
    number: int
    amount: Decimal
    time_unit: str
    legal_time: str
    cutoff: dt.time | None
    pause_rule: str
    fee: Decimal
    papers: list[str]
    result_type: str
    online_level: str
    rule_set: str
    valid_from: dt.date | None
    steps: list[WorkflowStepOut]


class ProcedureOut(Schema):
    id: int
    code: str
    name: str
    field: FieldOut
    levels: list[str]
    active: bool
    current_version: VersionOut | None


class ProcedurePage(Schema):
    count: int
    page: int
    per_page: int
    items: list[ProcedureOut]


def version_out(version: ProcedureVersion | None) -> dict | None:
    if version is None:
        return None
    return {
        "id": version.pk, "number": version.number, "amount": version.amount, "time_unit": version.time_unit,
        "legal_time": version.legal_time_label, "cutoff": version.cutoff, "pause_rule": version.pause_rule,
        "fee": version.fee, "papers": list(version.papers), "result_type": version.result_type,
        "online_level": version.online_level, "rule_set": version.rule_set, "valid_from": version.valid_from,
        "steps": [{"order": s.order, "name": s.name, "share": s.share, "role": s.role, "agency_id": s.agency_id}
                  for s in version.steps.all()],
    }


def procedure_out(procedure: Procedure) -> dict:
    return {
        "id": procedure.pk, "code": procedure.code, "name": procedure.name,
        "field": {"id": procedure.field.pk, "code": procedure.field.code, "name": procedure.field.name},
        "levels": procedure.level_list, "active": procedure.active,
        "current_version": version_out(procedure.current_version),
    }


@router.get("/fields", response=list[FieldOut], summary="Lĩnh vực")
def list_fields(request: HttpRequest):
    return list(selectors.field_list())


@router.get("/procedures", response=ProcedurePage, summary="Tìm thủ tục (không dấu cũng được)")
def list_procedures(request: HttpRequest, q: str = "", field_id: RecordId | None = None, level: str = "",
                    agency_id: RecordId | None = None, online: bool = False, page: PageNumber = 1, per_page: int = 50):
    page, per_page = page_bounds(page, per_page)
    qs = selectors.procedure_search(query=q, field_id=field_id, level=level, agency_id=agency_id,
                                    online_only=online).prefetch_related("current_version__steps")
    items = list(qs[(page - 1) * per_page: page * per_page])
    return {"count": qs.count(), "page": page, "per_page": per_page, "items": [procedure_out(p) for p in items]}


@router.get("/procedures/{procedure_id}", response=ProcedureOut, summary="Một thủ tục")
def get_procedure(request: HttpRequest, procedure_id: int):
    return procedure_out(selectors.procedure_get(procedure_id))


@router.get("/procedures/{procedure_id}/versions", response=list[VersionOut], summary="Các phiên bản của thủ tục")
def list_versions(request: HttpRequest, procedure_id: int):
    selectors.procedure_get(procedure_id)
    return [version_out(v) for v in selectors.procedure_versions(procedure_id)]
