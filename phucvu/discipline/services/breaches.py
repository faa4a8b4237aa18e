"""Writes of breaches and of the answers to signals (docs/discipline.md §3.2 and docs/discipline.md §3.3). One transaction each;
nothing is deleted; every change of a breach appends a `ViolationEvent`."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput, NotAllowed, StaleAction
from phucvu.core.localtime import at_or_now
from phucvu.discipline.authority import ensure_may
from phucvu.discipline.models import (
    BreachDecision,
    SignalOutcome,
    SignalReview,
    SourceKind,
    Violation,
    ViolationEvent,
    ViolationEvidence,
    ViolationKind,
)
from phucvu.discipline.services.common import check_visible
from phucvu.organization.models import Staff
from phucvu.portal.services import FILE_SIGNATURES, upload_problem

# Who records a breach, answers a signal, explains or decides: the authority table (docs/discipline.md §7.6).
EVIDENCE_PER_BREACH = 10


def _event(violation: Violation, kind: str, actor: Staff | None, note: str = "",
           at: dt.datetime | None = None) -> ViolationEvent:
    return ViolationEvent.objects.create(violation=violation, kind=kind, actor=actor, at=at_or_now(at), note=note)


@transaction.atomic
def violation_record(*, actor: Staff | None, staff: Staff, kind: str, occurred_on: dt.date, description: str,
                     source: str = "", source_kind: str = SourceKind.LEADER,
                     at: dt.datetime | None = None) -> Violation:
    check_visible(actor, staff)
    ensure_may(actor, "breach_record", agency_id=staff.agency_id)
    if actor is not None and actor.pk == staff.pk:
        raise NotAllowed("Không tự ghi nhận vi phạm của chính mình.")
    if kind not in ViolationKind.values:
        raise InvalidInput("Loại vi phạm không hợp lệ.")
    if source_kind not in SourceKind.values:
        raise InvalidInput("Nguồn phát hiện không hợp lệ.")
    if not description.strip():
        raise InvalidInput("Cần mô tả vi phạm.")
    if occurred_on > timezone.localdate():
        raise InvalidInput("Ngày vi phạm không được sau hôm nay.")
    violation = Violation.objects.create(staff=staff, kind=kind, occurred_on=occurred_on,
                                         description=description.strip(), source=source.strip()[:120],
                                         source_kind=source_kind, recorded_by=actor, recorded_at=at_or_now(at))
    _event(violation, "recorded", actor, at=at)
    return violation


def _locked(violation_id: int, version: int | None) -> Violation:
    violation = Violation.objects.select_for_update().select_related("staff").filter(pk=violation_id).first()
    if violation is None:
        raise InvalidInput("Không có vi phạm này.")
    if version is not None and violation.version != version:
        raise StaleAction("Vi phạm vừa được người khác cập nhật: tải lại trang rồi thử lại.")
    return violation


def _bump(violation: Violation, fields: list[str]) -> None:
    violation.version += 1
    violation.save(update_fields=[*fields, "version"])


@transaction.atomic
def violation_add_evidence(*, actor: Staff | None, violation_id: int, name: str, content: bytes) -> ViolationEvidence:
    """A file of evidence: PDF, JPG or PNG by its first bytes, at most the portal's size per file; stored
    under a random name. Added by those who record breaches, or by the cadre with the explanation."""
    violation = _locked(violation_id, None)
    check_visible(actor, violation.staff)
    ensure_may(actor, "breach_evidence", agency_id=violation.staff.agency_id, assignee_id=violation.staff_id)
    if violation.decision:
        raise InvalidInput("Vi phạm đã có kết luận: không bổ sung bằng chứng.")
    problem = upload_problem(name, content)
    if problem:
        raise InvalidInput(f"Tệp “{name[:80]}”: {problem[0].lower()}{problem[1:]}")
    if violation.evidence.count() >= EVIDENCE_PER_BREACH:
        raise InvalidInput(f"Tối đa {EVIDENCE_PER_BREACH} tệp bằng chứng cho một vi phạm.")
    ext = name.rsplit(".", 1)[-1].lower()
    evidence = ViolationEvidence(violation=violation, name=name.strip()[:255], content_type=FILE_SIGNATURES[ext][1],
                                 size=len(content), uploaded_by=actor, uploaded_at=timezone.now())
    evidence.file.save(f"{secrets.token_hex(16)}.{ext}", ContentFile(content), save=False)
    evidence.save()
    _event(violation, "evidence", actor, evidence.name)
    return evidence


@transaction.atomic
def violation_explain(*, actor: Staff, violation_id: int, explanation: str, version: int | None = None) -> Violation:
    """The cadre's own explanation (giải trình), before the decision; a second one replaces the first on the
    page, both stay in the events."""
    violation = _locked(violation_id, version)
    ensure_may(actor, "breach_explain", agency_id=violation.staff.agency_id, assignee_id=violation.staff_id)
    if violation.decision:
        raise InvalidInput("Vi phạm đã có kết luận.")
    if not explanation.strip():
        raise InvalidInput("Cần nội dung giải trình.")
    violation.explanation, violation.explained_at = explanation.strip(), timezone.now()
    _bump(violation, ["explanation", "explained_at"])
    _event(violation, "explained", actor, violation.explanation)
    return violation


@transaction.atomic
def violation_decide(*, actor: Staff | None, violation_id: int, decision: str, note: str,
                     version: int | None = None) -> Violation:
    """The conclusion on a breach, once: not a breach, a reminder, or a proposal to open a discipline case."""
    violation = _locked(violation_id, version)
    check_visible(actor, violation.staff)
    ensure_may(actor, "breach_decide", agency_id=violation.staff.agency_id)
    if actor is not None and actor.pk == violation.staff_id:
        raise NotAllowed("Không tự kết luận vi phạm của chính mình.")
    if violation.decision:
        raise InvalidInput("Vi phạm đã có kết luận.")
    if decision not in BreachDecision.values or not decision:
        raise InvalidInput("Kết luận không hợp lệ.")
    if not note.strip():
        raise InvalidInput("Cần nội dung kết luận.")
    violation.decision, violation.decision_note = decision, note.strip()
    violation.decided_by, violation.decided_at = actor, timezone.now()
    _bump(violation, ["decision", "decision_note", "decided_by", "decided_at"])
    _event(violation, "decided", actor, f"{decision}: {violation.decision_note}")
    return violation


# -- signals -----------------------------------------------------------------------------------------------

def _review(*, actor: Staff | None, key: str, kind: str, staff: Staff, month: str, outcome: str, reason: str,
            violation: Violation | None = None) -> SignalReview:
    try:
        with transaction.atomic():
            return SignalReview.objects.create(key=key, kind=kind, staff=staff, month=month, outcome=outcome,
                                               reason=reason, violation=violation, actor=actor, at=timezone.now())
    except IntegrityError:
        raise StaleAction("Dấu hiệu này đã được người khác xử lý.") from None


@transaction.atomic
def signal_dismiss(*, actor: Staff | None, key: str, kind: str, staff: Staff, month: str,
                   reason: str) -> SignalReview:
    """A leader or inspector looked and found nothing to pursue: recorded with the reason."""
    check_visible(actor, staff)
    ensure_may(actor, "breach_record", agency_id=staff.agency_id)
    if not reason.strip():
        raise InvalidInput("Cần nêu lý do bỏ qua dấu hiệu.")
    return _review(actor=actor, key=key, kind=kind, staff=staff, month=month, outcome=SignalOutcome.DISMISSED,
                   reason=reason.strip())


@transaction.atomic
def signal_to_breach(*, actor: Staff | None, key: str, kind: str, staff: Staff, month: str, breach_kind: str,
                     occurred_on: dt.date, description: str) -> Violation:
    """One step: the breach is recorded with the signal as its source, and the signal is marked answered."""
    violation = violation_record(actor=actor, staff=staff, kind=breach_kind, occurred_on=occurred_on,
                                 description=description, source=f"Dấu hiệu {key}"[:120],
                                 source_kind=SourceKind.SIGNAL)
    _review(actor=actor, key=key, kind=kind, staff=staff, month=month, outcome=SignalOutcome.BREACH,
            reason=description.strip(), violation=violation)
    return violation
