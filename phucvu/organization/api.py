"""`/api/organization/`: the agency tree and who the caller is, always through the visibility rule."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from phucvu.core.exceptions import NotAllowed
from phucvu.core.web import PageNumber
from phucvu.organization import selectors

router = Router(tags=["organization"])


class BoundedPages(PageNumberPagination):
    """django-ninja's page numbers, with the last page a list answers (a bigger one overflows the OFFSET)."""

    class Input(Schema):
        page: PageNumber = 1
        page_size: int | None = Field(None, ge=1, le=200)


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    level: str
    parent_id: int | None
    depth: int
    electronic_id: str
    unit_code: str
    address: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class SuccessionOut(Schema):
    agency_id: int
    code: str
    name: str
    kind: str
    effective: dt.date


class AgencyDetailOut(AgencyOut):
    ancestors: list[AgencyOut]
    children: list[AgencyOut]
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


class StaffOut(Schema):
    id: int
    username: str = Field(..., alias="user.username")
    full_name: str
    role: str
    position: str
    category: str
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")


class MeOut(Schema):
    username: str
    full_name: str
    role: str | None
    role_label: str | None
    position: str
    category: str | None
    superuser: bool
    agency: AgencyOut | None
    scope: AgencyOut | None
    visible_agencies: int


@router.get("/agencies", response=list[AgencyOut], summary="Cơ quan, đơn vị trong phạm vi được xem")
@paginate(BoundedPages, page_size=50)
def agencies(request, q: str = "", kind: str = "", level: str = "", include_closed: bool = True):
    return selectors.agency_search(user=request.user, query=q, kind=kind, level=level,
                                   include_closed=include_closed)


@router.get("/agencies/{agency_id}", response=AgencyDetailOut, summary="Một đơn vị, cấp trên, cấp dưới, kế thừa")
def agency(request, agency_id: int):
    card = selectors.agency_card(selectors.agency_visible(user=request.user, agency_id=agency_id))
    visible = set(selectors.visible_agencies(request.user).filter(
        pk__in=[a.pk for a in card["ancestors"]]).values_list("pk", flat=True))
    return {
        **AgencyOut.from_orm(card["agency"]).dict(),
        "ancestors": [a for a in card["ancestors"] if a.pk in visible],
        "children": card["children"],
        "predecessors": [_link(s.predecessor, s) for s in card["predecessors"]],
        "successors": [_link(s.successor, s) for s in card["successors"]],
    }


def _link(agency, succession) -> dict:
    return {"agency_id": agency.pk, "code": agency.code, "name": agency.name, "kind": succession.kind,
            "effective": succession.effective}


@router.get("/staff", response=list[StaffOut], summary="Cán bộ của các đơn vị trong phạm vi được xem")
@paginate(BoundedPages, page_size=50)
def staff(request, q: str = "", role: str = "", category: str = ""):
    return selectors.staff_search(user=request.user, query=q, role=role, category=category)


@router.get("/me", response=MeOut, summary="Người gọi: vai trò và phạm vi dữ liệu")
def me(request):
    user = request.user
    member = selectors.staff_of(user)
    if member is None and not user.is_superuser:
        raise NotAllowed("Tài khoản này không gắn với cán bộ nào.")
    return {
        "username": user.get_username(),
        "full_name": member.full_name if member else user.get_full_name(),
        "role": member.role if member else None,
        "role_label": str(member.get_role_display()) if member else None,
        "position": member.position if member else "",
        "category": member.category if member else None,
        "superuser": user.is_superuser,
        "agency": member.agency if member else None,
        "scope": selectors.scope_root(member) if member else None,
        "visible_agencies": selectors.visible_agencies(user).count(),
    }
