"""Every write to inspections: open one (the decision and the team), conclude it, follow up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from phucvu.core.exceptions import InvalidInput, InvalidTransition
from phucvu.core.localtime import at_or_now
from phucvu.inspections.models import (
    Finding,
    Inspection,
    InspectionEvent,
    Kind,
    Reason,
    Recommendation,
    Status,
)
from phucvu.organization.models import Agency, Staff
from phucvu.organization.selectors import agency_subtree, ensure_visible


@transaction.atomic
def inspection_open(*, actor: Staff | None, code: str, organizer: Agency, target: Agency, topic: str,
                    kind: str, decision_number: str, started_on: dt.date, head: Staff | None = None,
                    members: list[Staff] | None = None, reason: str = Reason.PERIODIC,
                    at: dt.datetime | None = None) -> Inspection:
    if actor is not None:
        ensure_visible(actor.user, organizer.pk)
    if kind not in Kind.values or reason not in Reason.values:
        raise InvalidInput("Hình thức hoặc căn cứ thanh tra, kiểm tra không hợp lệ.")
    team = [s for s in [head, *(members or [])] if s is not None]
    inspected = set(agency_subtree(target).values_list("pk", flat=True))
    # Nobody inspects their own unit (docs/domain.md §15).
    if any(s.agency_id in inspected for s in team):
        raise InvalidInput("Thành viên đoàn không được thuộc đơn vị được kiểm tra.")
    inspection = Inspection.objects.create(code=code, organizer=organizer, target=target, topic=topic, kind=kind,
                                           reason=reason, decision_number=decision_number,
                                           started_on=started_on, head=head)
    if members:
        inspection.members.set(members)
    InspectionEvent.objects.create(inspection=inspection, kind="opened", actor=actor, at=at_or_now(at),
                                   note=decision_number)
    return inspection


@transaction.atomic
def inspection_conclude(*, actor: Staff | None, inspection_id: int, ended_on: dt.date, conclusion: str,
                        findings: list[dict] | None = None, recommendations: list[dict] | None = None,
                        at: dt.datetime | None = None) -> Inspection:
    """findings: [{text, is_violation, cadre}]; recommendations: [{text, owner, due_on}]."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection_id)
    if actor is not None:
        ensure_visible(actor.user, inspection.organizer_id)
    if inspection.status != Status.ONGOING:
        raise InvalidTransition("Cuộc kiểm tra đã có kết luận.")
    if ended_on < inspection.started_on:
        raise InvalidInput("Ngày kết thúc trước ngày bắt đầu.")
    inspection.status = Status.CONCLUDED
    inspection.ended_on = ended_on
    inspection.conclusion = conclusion
    inspection.save(update_fields=["status", "ended_on", "conclusion", "search_key"])
    Finding.objects.bulk_create([Finding(inspection=inspection, **f) for f in findings or []])
    Recommendation.objects.bulk_create([Recommendation(inspection=inspection, **r) for r in recommendations or []])
    InspectionEvent.objects.create(inspection=inspection, kind="concluded", actor=actor, at=at_or_now(at),
                                   note=conclusion[:500])
    return inspection


@transaction.atomic
def recommendation_complete(*, actor: Staff | None, recommendation_id: int, done_on: dt.date,
                            at: dt.datetime | None = None) -> Recommendation:
    rec = Recommendation.objects.select_for_update().select_related("inspection").get(pk=recommendation_id)
    if actor is not None:
        ensure_visible(actor.user, rec.owner_id)
    if rec.state == Recommendation.State.DONE:
        raise InvalidTransition("Kiến nghị đã được thực hiện.")
    rec.state, rec.done_on = Recommendation.State.DONE, done_on
    rec.save(update_fields=["state", "done_on"])
    InspectionEvent.objects.create(inspection=rec.inspection, kind="recommendation_done", actor=actor,
                                   at=at_or_now(at), note=rec.text[:500])
    return rec
