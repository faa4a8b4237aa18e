"""The dossier's printed forms: which apply to it now, the data each is filled with, and the PDF.

The forms are those of the rule set the dossier keeps (Circular 01/2018 or 03/2025, `pdf.forms_for`); the
views only find the dossier (through the visibility rule) and send the PDF.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from phucvu.core.exceptions import NotFound
from phucvu.dossiers import pdf, selectors
from phucvu.dossiers.models import Dossier, DossierStep, EventKind, Status
from phucvu.organization.models import Staff

_NO_FORM = gettext_noop("Biểu mẫu này không áp dụng cho hồ sơ.")


def printable_forms(dossier: Dossier) -> list[tuple[str, str]]:
    """(kind, title) of the forms that apply to this dossier now, from the set of its rule set."""
    forms = pdf.forms_for(dossier.rule_set)
    kinds = []
    if dossier.received_at:
        kinds.append("receipt")
    if dossier.supplement_count:
        kinds.append("supplement")
    if dossier.status == Status.REFUSED:
        kinds.append("refusal")
    if dossier.reappointed_at:
        kinds.append("apology")
    if dossier.status == Status.STOPPED:
        kinds.append("stop")
    if dossier.received_at:
        kinds.append("control")
    return [(k, _(forms[k].title)) for k in kinds if k in forms]


def _last_event(dossier: Dossier, kind: str):
    return dossier.events.filter(kind=kind).select_related("actor").order_by("-at", "-id").first()


def _name(staff: Staff | None) -> str:
    return staff.full_name if staff else ""


def hand_overs(dossier: Dossier, steps: list[DossierStep], events: list | None = None) -> list[pdf.HandOver]:
    """The control slip's rows: desk → first step → … → desk, each with who handed over (the cadre who
    received the dossier, then the one who forwarded it) and who received (the cadre the step was given to,
    else the one who did it: forwarded from it, approved or recorded the result there), the step's due and
    how it ended."""
    if events is None:
        events = list(selectors.dossier_events(dossier))
    forwarded_by: dict[int, Staff | None] = {}  # step order -> who handed the dossier to that step
    done_by: dict[int, Staff | None] = {}  # step order -> who acted last at it
    by_pk = {s.pk: s for s in steps}
    resolver = returner = None
    for e in events:
        data = e.data or {}
        if e.kind == EventKind.FORWARDED:
            if data.get("to_step") is not None:
                forwarded_by[data["to_step"]] = e.actor
            if data.get("from_step") is not None:
                done_by[data["from_step"]] = e.actor
        elif e.kind in (EventKind.APPROVED, EventKind.RESOLVED) and e.step_id in by_pk:
            done_by[by_pk[e.step_id].order] = e.actor
        if e.kind == EventKind.RESOLVED:
            resolver = e.actor
        elif e.kind == EventKind.RETURNED:
            returner = e.actor
    rows = []
    prev_unit, prev_person = dossier.agency.name, _name(dossier.received_by)
    for step in steps:
        if step.started_at is None:
            break
        giver = forwarded_by.get(step.order, dossier.received_by if step is steps[0] else None)
        taker = step.assignee or done_by.get(step.order)
        rows.append(pdf.HandOver(prev_unit, _name(giver) or prev_person, step.agency.name, _name(taker),
                                 step.started_at, step.due_at, step.outcome, step.name))
        prev_unit, prev_person = step.agency.name, _name(taker)
    if dossier.resolved_at:
        rows.append(pdf.HandOver(prev_unit, _name(resolver) or prev_person, dossier.agency.name, _name(returner),
                                 dossier.resolved_at, dossier.due_at, "", _("Trả kết quả về Bộ phận một cửa")))
    return rows


def form_context(dossier: Dossier, kind: str, *, base_url: str | None = None) -> dict:
    if kind == "receipt":
        return pdf.receipt_context(dossier, papers=dossier.papers, clerk_name=_name(dossier.received_by),
                                   legal_time=dossier.procedure_version.legal_time_label, base_url=base_url)
    if kind == "supplement":
        event = _last_event(dossier, EventKind.SUPPLEMENT_REQUESTED)
        if event is None:
            raise NotFound(_(_NO_FORM))
        return pdf.supplement_context(dossier, missing=event.data.get("missing", []), reason=event.note,
                                      clerk_name=_name(event.actor), at=event.at)
    if kind == "refusal":
        event = _last_event(dossier, EventKind.REFUSED)
        return pdf.refusal_context(dossier, reason=dossier.result_note, clerk_name=_name(event and event.actor),
                                   at=event.at if event else None)
    if kind == "apology":
        event = _last_event(dossier, EventKind.APOLOGIZED)
        if event is None:
            raise NotFound(_(_NO_FORM))
        return pdf.apology_context(dossier, reason=event.note, new_due=dossier.reappointed_at,
                                   signer_name=_name(event.actor), at=event.at)
    if kind == "stop":
        event = _last_event(dossier, EventKind.STOPPED)
        return pdf.stop_context(dossier, reason=dossier.result_note, signer_name=_name(event and event.actor),
                                at=event.at if event else None)
    if kind == "control":
        return pdf.control_context(dossier, hand_overs=hand_overs(dossier, list(selectors.dossier_steps(dossier))))
    raise NotFound(_(_NO_FORM))


def form_pdf(dossier: Dossier, kind: str, *, base_url: str | None = None) -> tuple[bytes, str]:
    """(PDF, file name) of one printed form of the dossier; `NotFound` when the form does not apply to it."""
    if kind not in dict(printable_forms(dossier)):
        raise NotFound(_(_NO_FORM))
    with translation.override("vi"):  # legal forms are Vietnamese documents, whatever the screen's language
        data = pdf.render_pdf(kind, form_context(dossier, kind, base_url=base_url), rule_set=dossier.rule_set)
    number = pdf.forms_for(dossier.rule_set)[kind].number
    return data, f"mau-{number}-{dossier.code}.pdf"
