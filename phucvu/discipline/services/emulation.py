"""Writes of emulation and commendation (docs/discipline.md §5): campaigns and contests, results, awards and
materials distributed. One transaction each; who may record is the discipline authority table (`emulation`:
a leader of the launching agency or above it, the personnel office or an administrator whose scope covers it)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from phucvu.core.exceptions import InvalidInput
from phucvu.discipline.authority import ensure_may
from phucvu.discipline.models import (
    Award,
    AwardForm,
    Campaign,
    CampaignKind,
    CampaignResult,
    MaterialDistribution,
)
from phucvu.organization.models import Agency, Staff


def _text(value: str, what: str, length: int, *, required: bool = True) -> str:
    clean = " ".join((value or "").split())[:length]
    if required and not clean:
        raise InvalidInput(f"Cần {what}.")
    return clean


@transaction.atomic
def campaign_create(*, actor: Staff | None, agency: Agency, name: str, launched_on: dt.date,
                    kind: str = CampaignKind.CAMPAIGN, goal: str = "", ends_on: dt.date | None = None,
                    basis: str = "") -> Campaign:
    """An agency launches an emulation campaign or a contest."""
    ensure_may(actor, "emulation", agency_id=agency.pk)
    if kind not in CampaignKind.values:
        raise InvalidInput("Loại phong trào không hợp lệ.")
    if ends_on is not None and ends_on < launched_on:
        raise InvalidInput("Ngày kết thúc không được trước ngày phát động.")
    return Campaign.objects.create(agency=agency, kind=kind, name=_text(name, "tên phong trào, hội thi", 300),
                                   goal=(goal or "").strip()[:4000], launched_on=launched_on, ends_on=ends_on,
                                   basis=_text(basis, "căn cứ", 300, required=False), created_by=actor)


def _participant(staff: Staff | None, agency: Agency | None, name: str, what: str) -> str:
    if staff is not None:
        return staff.full_name
    if agency is not None:
        return agency.name
    return _text(name, what, 200)


@transaction.atomic
def campaign_result_record(*, actor: Staff | None, campaign: Campaign, result: str, on: dt.date,
                           staff: Staff | None = None, agency: Agency | None = None, participant: str = "",
                           rank: int | None = None) -> CampaignResult:
    """A participant's result (a prize, a rank) in a campaign or a contest."""
    ensure_may(actor, "emulation", agency_id=campaign.agency_id)
    if on < campaign.launched_on:
        raise InvalidInput(f"Ngày ghi nhận trước ngày phát động ({campaign.launched_on:%d/%m/%Y}).")
    if rank is not None and not 1 <= rank <= 1000:
        raise InvalidInput("Thứ hạng phải từ 1 đến 1000.")
    return CampaignResult.objects.create(
        campaign=campaign, staff=staff, agency=agency,
        participant=_participant(staff, agency, participant, "tên người hoặc tập thể tham gia"),
        result=_text(result, "kết quả", 200), rank=rank, recorded_on=on, recorded_by=actor)


@transaction.atomic
def award_record(*, actor: Staff | None, campaign: Campaign | None, form: str, decision_number: str,
                 decided_on: dt.date, staff: Staff | None = None, agency: Agency | None = None,
                 recipient: str = "", decided_by: str = "", reason: str = "",
                 on_behalf_of: Agency | None = None) -> Award:
    """A commendation or an emulation title, with the decision that gave it, and the unit it is recorded for
    (the campaign's agency, or `on_behalf_of` outside a campaign)."""
    owner = campaign.agency_id if campaign is not None else (on_behalf_of.pk if on_behalf_of else None)
    if owner is None:
        raise InvalidInput("Cần phong trào hoặc đơn vị ghi nhận khen thưởng.")
    ensure_may(actor, "emulation", agency_id=owner)
    if form not in AwardForm.values:
        raise InvalidInput("Hình thức khen thưởng không hợp lệ.")
    return Award.objects.create(
        campaign=campaign, staff=staff, agency=agency,
        recipient=_participant(staff, agency, recipient, "tên người hoặc tập thể được khen"), form=form,
        decision_number=_text(decision_number, "số quyết định", 60), decided_on=decided_on,
        decided_by=_text(decided_by, "cấp quyết định", 200, required=False),
        reason=_text(reason, "thành tích", 300, required=False), recorded_by=actor, recorded_for_id=owner)


@transaction.atomic
def material_record(*, actor: Staff | None, agency: Agency, title: str, quantity: int, distributed_on: dt.date,
                    campaign: Campaign | None = None, kind: str = "sổ tay", audience: str = "") -> MaterialDistribution:
    """Materials an agency produced and handed out (handbooks, leaflets), with the number."""
    ensure_may(actor, "emulation", agency_id=agency.pk)
    if not isinstance(quantity, int) or not 1 <= quantity <= 10_000_000:
        raise InvalidInput("Số lượng tài liệu phải là số nguyên từ 1 đến 10.000.000.")
    return MaterialDistribution.objects.create(
        campaign=campaign, agency=agency, title=_text(title, "tên tài liệu", 300),
        kind=_text(kind, "loại tài liệu", 60, required=False) or "sổ tay", quantity=quantity,
        distributed_on=distributed_on, audience=_text(audience, "đối tượng", 300, required=False), recorded_by=actor)
