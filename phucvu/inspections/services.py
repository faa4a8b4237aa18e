"""Every write to inspections: the decision and the team, the draft conclusion and its clock, the
conclusion, publication, findings and recommendations (docs/inspections.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotFound, StaleAction
from phucvu.core.localtime import at_or_now, local_day
from phucvu.core.web import check_date_range
from phucvu.discipline.models import SourceKind
from phucvu.discipline.services.breaches import EVIDENCE_PER_BREACH, violation_add_evidence, violation_record
from phucvu.discipline.services.case_steps import case_open
from phucvu.inspections.authority import ensure_may
from phucvu.inspections.models import (
    CheckEntry,
    CheckItem,
    CheckResult,
    Finding,
    Inspection,
    InspectionEvent,
    InspectionRecord,
    Kind,
    Law,
    Method,
    Plan,
    PlanEvent,
    PlanItem,
    PlanVersion,
    Reason,
    Recommendation,
    RecordKind,
    RelationAccess,
    RelationEvent,
    RelationKind,
    Rotation,
    RotationChange,
    RotationPair,
    StaffRelation,
    Status,
)
from phucvu.inspections.rotation import rotation
from phucvu.inspections.selectors import in_force, risk_proposals
from phucvu.organization.models import Agency, Role, Staff
from phucvu.organization.selectors import agency_subtree
from phucvu.workcalendar.selectors import calendar_for

# Law 84/2025/QH15 in force (docs/inspections.md §1).
LAW_2022_FROM = dt.date(2023, 7, 1)
LAW_2025_FROM = dt.date(2025, 7, 1)
# Law 84/2025/QH15 art. 36(1): the conclusion is signed within 15 days of receiving the draft
# (docs/inspections.md §5).
CONCLUSION_DAYS = 15
# Publication stays up at least this many days (docs/inspections.md §5).
PUBLICATION_DAYS = 15
# Law 84/2025/QH15 art. 53: the implementing directive within 15 days of the conclusion (docs/inspections.md §14).
DIRECTIVE_DAYS = 15


def law_on(day: dt.date) -> str:
    """The Law on Inspection in force on the decision's day (docs/inspections.md §1)."""
    if day >= LAW_2025_FROM:
        return Law.LAW_2025
    return Law.LAW_2022 if day >= LAW_2022_FROM else Law.LAW_2010


def _locked(inspection_id: int) -> Inspection:
    found = Inspection.objects.select_for_update().filter(pk=inspection_id).first()
    if found is None:
        raise NotFound("Không có cuộc thanh tra, kiểm tra này.")
    return found


def _event(inspection: Inspection, kind: str, actor: Staff | None, at: dt.datetime | None, note: str = "") -> None:
    InspectionEvent.objects.create(inspection=inspection, kind=kind, actor=actor, at=at_or_now(at), note=note[:2000])


def team_conflicts(target: Agency, team: list[Staff]) -> list[Staff]:
    """Team members who belong to the inspected agency or a unit under it (docs/inspections.md §4)."""
    inspected = set(agency_subtree(target).values_list("pk", flat=True))
    return [s for s in team if s.agency_id in inspected]


def related_pairs(relations: Iterable[tuple[int, int, str]], team: Iterable[int], watched: Iterable[int]
                  ) -> list[tuple[int, int, str]]:
    """(team member, watched cadre, relation kind) for each declared relation between a member of the team and
    a cadre watched (the inspected agency's leaders, the person inspected), whichever of the two declared it."""
    team_ids, watched_ids = set(team), set(watched)
    found = []
    for a, b, kind in relations:
        if a in team_ids and b in watched_ids:
            found.append((a, b, kind))
        if b in team_ids and a in watched_ids:
            found.append((b, a, kind))
    return sorted(set(found))


def active_relations(on: dt.date) -> QuerySet[StaffRelation]:
    """Relations in force on `on` (docs/inspections.md §20)."""
    return StaffRelation.objects.filter(in_force(on))


def relation_conflicts(target: Agency, team: list[Staff], person: Staff | None = None,
                       on: dt.date | None = None) -> list[str]:
    """Each team member related (family or interest, as declared and in force on `on`) to a leader of the
    inspected agency, to the person inspected, or — an interest tie — to the inspected agency or a unit under
    it, in words (docs/inspections.md §20)."""
    on = on or local_day(at_or_now(None))
    watched = {s.pk: (s, f"lãnh đạo {target.name}") for s in
               Staff.objects.filter(agency=target, role=Role.UNIT_LEADER, active=True)}
    if person is not None:
        watched[person.pk] = (person, "người được kiểm tra")
    members = {s.pk: s for s in team}
    if not members:
        return []
    found = []
    if watched:
        rows = active_relations(on).filter(
            Q(staff_id__in=list(members), relative_id__in=list(watched))
            | Q(staff_id__in=list(watched), relative_id__in=list(members))).values_list("staff_id", "relative_id",
                                                                                      "kind")
        found = [f"{members[m].full_name} có quan hệ “{RelationKind(kind).label}” với {watched[w][0].full_name} "
                 f"({watched[w][1]})" for m, w, kind in related_pairs(rows, members, watched)]
    tied = (active_relations(on).filter(staff_id__in=list(members), agency__path__startswith=target.path)
            .select_related("agency").order_by("staff_id", "agency__path"))
    found += [f"{members[r.staff_id].full_name} có quan hệ “{RelationKind(r.kind).label}” với {r.other_name} "
              f"(đơn vị được kiểm tra hoặc đơn vị thuộc đơn vị được kiểm tra)" for r in tied]
    return found


def _check_team(target: Agency, head: Staff | None, members: list[Staff], person: Staff | None = None,
                on: dt.date | None = None) -> None:
    if head is not None and head in members:
        members = [m for m in members if m != head]
    team = [s for s in [head, *members] if s is not None]
    conflicts = team_conflicts(target, team)
    if conflicts:
        names = ", ".join(f"{s.full_name} ({s.agency.name})" for s in conflicts)
        raise InvalidInput(f"Không được cử vào đoàn người thuộc đơn vị được kiểm tra “{target.name}”: {names}.",
                           details={"conflicts": [s.pk for s in conflicts]})
    related = relation_conflicts(target, team, person, on)
    if related:
        raise InvalidInput("Không được cử vào đoàn người có quan hệ gia đình hoặc lợi ích với lãnh đạo đơn vị được "
                           "kiểm tra, người được kiểm tra hoặc đơn vị được kiểm tra: " + "; ".join(related) + ".",
                           details={"relations": related})


@transaction.atomic
def relation_declare(*, actor: Staff | None, staff: Staff, kind: str, declared_on: dt.date,
                     relative: Staff | None = None, agency: Agency | None = None, note: str = "",
                     at: dt.datetime | None = None) -> StaffRelation:
    """Record a relation a cadre declared with another cadre or, an interest tie, with an agency
    (docs/inspections.md §20): by the personnel office or the inspecting side seeing the declaring cadre's
    agency. Never deleted; the same relation in force is recorded once, whichever of the two declared it."""
    ensure_may(actor, "relation", organizer_id=staff.agency_id)
    if kind not in RelationKind.values:
        raise InvalidInput("Loại quan hệ không hợp lệ.")
    if (relative is None) == (agency is None):
        raise InvalidInput("Chọn một người có quan hệ, hoặc một cơ quan, đơn vị có quan hệ lợi ích.")
    if agency is not None and kind != RelationKind.INTEREST:
        raise InvalidInput("Với một cơ quan, đơn vị chỉ kê khai quan hệ lợi ích; quan hệ gia đình là với một người.")
    if relative is not None and staff.pk == relative.pk:
        raise InvalidInput("Cán bộ không kê khai quan hệ với chính mình.")
    now = at_or_now(at)
    check_date_range(declared_on, "Ngày kê khai")
    if declared_on > local_day(now):
        raise InvalidInput("Ngày kê khai sau hôm nay.")
    same = active_relations(local_day(now)).filter(kind=kind)
    if relative is not None:
        same = same.filter(Q(staff=staff, relative=relative) | Q(staff=relative, relative=staff))
        other = relative.full_name
    else:
        same = same.filter(staff=staff, agency=agency)
        other = agency.name if agency is not None else ""
    if same.exists():
        raise InvalidTransition(f"Quan hệ “{RelationKind(kind).label}” giữa {staff.full_name} và {other} "
                                "đã được ghi.")
    relation = StaffRelation.objects.create(staff=staff, relative=relative, agency=agency, kind=kind,
                                            note=note.strip(), declared_on=declared_on, recorded_by=actor, at=now)
    RelationEvent.objects.create(relation=relation, kind="declared", actor=actor, at=now,
                                 note=f"{RelationKind(kind).label}: {other}, kê khai ngày {declared_on:%d/%m/%Y}")
    return relation


@transaction.atomic
def relation_end(*, actor: Staff | None, relation_id: int, ended_on: dt.date, reason: str,
                 version: int | None = None, at: dt.datetime | None = None) -> StaffRelation:
    """A declared relation ends (a divorce, an interest sold, a loan repaid): it keeps its record and gets its
    end day; from that day it no longer keeps the cadre off a team. Nothing is deleted."""
    relation = (StaffRelation.objects.select_for_update(of=("self",)).select_related("staff", "relative", "agency")
                .filter(pk=relation_id).first())
    if relation is None:
        raise NotFound("Không có quan hệ đã kê khai này.")
    ensure_may(actor, "relation", organizer_id=relation.staff.agency_id)
    if version is not None and relation.version != version:
        raise StaleAction("Quan hệ vừa được người khác cập nhật; không có gì được ghi. Hãy mở lại trang.")
    if relation.ended_on is not None:
        raise InvalidTransition(f"Quan hệ đã chấm dứt từ ngày {relation.ended_on:%d/%m/%Y}.")
    if not reason.strip():
        raise InvalidInput("Cần ghi căn cứ chấm dứt quan hệ.")
    now = at_or_now(at)
    check_date_range(ended_on, "Ngày chấm dứt")
    if ended_on < relation.declared_on:
        raise InvalidInput("Ngày chấm dứt trước ngày kê khai.")
    if ended_on > local_day(now):
        raise InvalidInput("Ngày chấm dứt sau hôm nay.")
    relation.ended_on = ended_on
    relation.version += 1
    relation.save(update_fields=["ended_on", "version"])
    RelationEvent.objects.create(relation=relation, kind="ended", actor=actor, at=now,
                                 note=f"Chấm dứt từ ngày {ended_on:%d/%m/%Y}: {reason.strip()[:1000]}")
    return relation


def relation_read(*, user, relations: Iterable[StaffRelation | int], action: str, address: str = "",
                  at: dt.datetime | None = None) -> int:
    """Record that `user` read these declared relations (a page, an export): one row each, written in bulk
    (docs/inspections.md §20). Returns the number of rows written."""
    if action not in RelationAccess.Action.values:
        raise InvalidInput("Thao tác không hợp lệ.")
    now = at_or_now(at)
    rows = [RelationAccess(at=now, user_id=user.pk, action=action, address=address[:64],
                           relation_id=r.pk if isinstance(r, StaffRelation) else r) for r in relations]
    RelationAccess.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _next_code(organizer: Agency, year: int) -> str:
    prefix = f"{organizer.code}-{year}-"
    n = Inspection.objects.filter(code__startswith=prefix).count() + 1
    while Inspection.objects.filter(code=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def inspection_open(*, actor: Staff | None, organizer: Agency, target: Agency, topic: str, kind: str,
                    decision_number: str, started_on: dt.date, code: str = "", head: Staff | None = None,
                    members: list[Staff] | None = None, reason: str = Reason.PERIODIC,
                    decision_date: dt.date | None = None, decision_signer: str = "", scope: str = "",
                    period_from: dt.date | None = None, period_to: dt.date | None = None,
                    person: Staff | None = None, at: dt.datetime | None = None) -> Inspection:
    """The decision (number, date, signer, scope, period covered, kind) and its team; `person`: the cadre
    inspected, when the inspection is of a person."""
    ensure_may(actor, "open", organizer_id=organizer.pk)
    if kind not in Kind.values or reason not in Reason.values:
        raise InvalidInput("Hình thức hoặc căn cứ thanh tra, kiểm tra không hợp lệ.")
    if not topic.strip() or not decision_number.strip():
        raise InvalidInput("Cần ghi nội dung và số quyết định.")
    if organizer.pk == target.pk:
        raise InvalidInput("Cơ quan không tự kiểm tra chính mình: chọn đơn vị được kiểm tra khác.")
    decided = decision_date or started_on
    if started_on < decided:
        raise InvalidInput("Ngày bắt đầu trước ngày ra quyết định.")
    if period_from and period_to and period_from > period_to:
        raise InvalidInput("Thời kỳ kiểm tra: ngày đầu sau ngày cuối.")
    members = list(members or [])
    if person is not None and not agency_subtree(target).filter(pk=person.agency_id).exists():
        raise InvalidInput(f"{person.full_name} không thuộc đơn vị được kiểm tra “{target.name}”.")
    _check_team(target, head, members, person, local_day(at_or_now(at)))
    inspection = Inspection.objects.create(person=person,
        code=code or _next_code(organizer, decided.year), organizer=organizer, target=target, topic=topic,
        kind=kind, reason=reason, decision_number=decision_number, decision_date=decided,
        decision_signer=decision_signer, scope=scope, period_from=period_from, period_to=period_to,
        law=law_on(decided), started_on=started_on, head=head)
    if members:
        inspection.members.set([m for m in members if m != head])
    _event(inspection, "opened", actor, at, decision_number)
    return inspection


@transaction.atomic
def inspection_team_set(*, actor: Staff | None, inspection_id: int, head: Staff | None, members: list[Staff],
                        at: dt.datetime | None = None) -> Inspection:
    inspection = _locked(inspection_id)
    ensure_may(actor, "team", organizer_id=inspection.organizer_id)
    if inspection.status != Status.ONGOING:
        raise InvalidTransition("Đoàn chỉ thay đổi khi cuộc kiểm tra đang tiến hành.")
    _check_team(inspection.target, head, members, inspection.person, local_day(at_or_now(at)))
    inspection.head = head
    inspection.save(update_fields=["head", "search_key"])
    inspection.members.set([m for m in members if m != head])
    names = ", ".join(s.full_name for s in [head, *members] if s is not None)
    _event(inspection, "team", actor, at, names)
    return inspection


def conclusion_due(inspection: Inspection, received_on: dt.date) -> dt.date:
    """15 days after the draft is received; a last day that is not worked moves to the next working day
    (Law 84/2025/QH15 art. 36(1); Civil Code 2015 art. 148(5))."""
    calendar = calendar_for(inspection.organizer_id)
    due = received_on + dt.timedelta(days=CONCLUSION_DAYS)
    while not calendar.is_working_day(due):
        due += dt.timedelta(days=1)
    return due


@transaction.atomic
def inspection_draft_received(*, actor: Staff | None, inspection_id: int, received_on: dt.date,
                              at: dt.datetime | None = None) -> Inspection:
    """The person who decided the inspection receives the draft conclusion: the conclusion's clock starts."""
    inspection = _locked(inspection_id)
    ensure_may(actor, "draft", organizer_id=inspection.organizer_id)
    if inspection.status != Status.ONGOING:
        raise InvalidTransition("Dự thảo kết luận đã được ghi nhận, hoặc cuộc kiểm tra đã có kết luận.")
    if received_on < inspection.started_on:
        raise InvalidInput("Ngày nhận dự thảo trước ngày bắt đầu cuộc kiểm tra.")
    inspection.status = Status.DRAFT
    inspection.draft_received_on = received_on
    inspection.conclusion_due_on = conclusion_due(inspection, received_on)
    inspection.save(update_fields=["status", "draft_received_on", "conclusion_due_on", "search_key"])
    _event(inspection, "draft_received", actor, at, f"hạn ký kết luận {inspection.conclusion_due_on:%d/%m/%Y}")
    return inspection


def directive_due(inspection: Inspection, concluded_on: dt.date) -> dt.date:
    """The implementing directive is due 15 days after the conclusion, moved off a day off of the inspected
    agency's calendar (Law 84/2025/QH15 art. 53; docs/inspections.md §14)."""
    return working_deadline(inspection.target, concluded_on + dt.timedelta(days=DIRECTIVE_DAYS))


def needs_appraisal(inspection: Inspection) -> bool:
    """The draft conclusion is appraised before it is signed under Law 84/2025/QH15 (an inspection decided
    from 1/7/2025); Laws 56/2010/QH12 and 11/2022/QH15 did not require it (docs/inspections.md §17)."""
    return inspection.law == Law.LAW_2025


def appraised(inspection: Inspection, by: dt.date) -> bool:
    return inspection.records.filter(kind=RecordKind.APPRAISAL, on__lte=by).exists()


def _owner_person(owner: Agency, person: Staff | None) -> Staff | None:
    if person is not None and not agency_subtree(owner).filter(pk=person.agency_id).exists():
        raise InvalidInput(f"{person.full_name} không thuộc đơn vị thực hiện “{owner.name}”.")
    return person


@transaction.atomic
def inspection_conclude(*, actor: Staff | None, inspection_id: int, ended_on: dt.date, conclusion: str,
                        findings: list[dict] | None = None, recommendations: list[dict] | None = None,
                        at: dt.datetime | None = None) -> Inspection:
    """Sign the conclusion on `ended_on`. findings: [{text, is_violation, cadre}];
    recommendations: [{text, owner, due_on, owner_person}]."""
    inspection = _locked(inspection_id)
    ensure_may(actor, "conclude", organizer_id=inspection.organizer_id)
    if inspection.status == Status.CONCLUDED:
        raise InvalidTransition("Cuộc kiểm tra đã có kết luận.")
    if ended_on < inspection.started_on:
        raise InvalidInput("Ngày kết thúc trước ngày bắt đầu.")
    if inspection.draft_received_on and ended_on < inspection.draft_received_on:
        raise InvalidInput("Ngày ký kết luận trước ngày nhận dự thảo.")
    if not conclusion.strip():
        raise InvalidInput("Cần ghi nội dung kết luận.")
    if needs_appraisal(inspection) and not appraised(inspection, ended_on):
        raise InvalidTransition("Chưa ký được kết luận: dự thảo kết luận phải được thẩm định trước khi ký (Luật "
                                "Thanh tra 84/2025/QH15). Hãy ghi kết quả thẩm định dự thảo kết luận, ngày thẩm "
                                "định không sau ngày ký.")
    inspection.status = Status.CONCLUDED
    inspection.ended_on = inspection.ended_on or ended_on
    inspection.concluded_on = ended_on
    inspection.conclusion = conclusion
    inspection.directive_due_on = directive_due(inspection, ended_on)
    inspection.save(update_fields=["status", "ended_on", "concluded_on", "conclusion", "directive_due_on",
                                   "search_key"])
    Finding.objects.bulk_create([Finding(inspection=inspection, **f) for f in findings or []])
    for r in recommendations or []:
        _recommend(inspection, **r)
    late = ""
    if inspection.conclusion_due_on and ended_on > inspection.conclusion_due_on:
        late = f" (quá hạn {(ended_on - inspection.conclusion_due_on).days} ngày)"
    _event(inspection, "concluded", actor, at, conclusion[:480] + late)
    return inspection


def _recommend(inspection: Inspection, *, text: str, owner: Agency, due_on: dt.date | None = None,
               owner_person: Staff | None = None, working_days: int | None = None) -> Recommendation:
    """A recommendation's deadline is a date moved onto a working day of the owner's calendar, or a number
    of working days after the conclusion (or the draft) on it."""
    if not text.strip():
        raise InvalidInput("Cần ghi nội dung kiến nghị.")
    if working_days is not None:
        start = inspection.concluded_on or inspection.draft_received_on or inspection.started_on
        due_on = deadline_after(owner, start, working_days)
    if due_on is None:
        raise InvalidInput("Cần hạn thực hiện kiến nghị.")
    if due_on < inspection.started_on:
        raise InvalidInput("Hạn thực hiện trước ngày bắt đầu cuộc kiểm tra.")
    return Recommendation.objects.create(inspection=inspection, text=text, owner=owner,
                                         due_on=working_deadline(owner, due_on),
                                         owner_person=_owner_person(owner, owner_person))


@transaction.atomic
def finding_add(*, actor: Staff | None, inspection_id: int, text: str, is_violation: bool = False,
                cadre: Staff | None = None, at: dt.datetime | None = None) -> Finding:
    inspection = _locked(inspection_id)
    ensure_may(actor, "finding", organizer_id=inspection.organizer_id)
    if not text.strip():
        raise InvalidInput("Cần ghi nội dung phát hiện.")
    finding = Finding.objects.create(inspection=inspection, text=text, is_violation=is_violation, cadre=cadre)
    _event(inspection, "finding", actor, at, text)
    return finding


@transaction.atomic
def recommendation_add(*, actor: Staff | None, inspection_id: int, text: str, owner: Agency,
                       due_on: dt.date | None = None, working_days: int | None = None,
                       owner_person: Staff | None = None, at: dt.datetime | None = None) -> Recommendation:
    inspection = _locked(inspection_id)
    ensure_may(actor, "finding", organizer_id=inspection.organizer_id)
    if inspection.status == Status.ONGOING:
        raise InvalidTransition("Kiến nghị được ghi từ khi có dự thảo kết luận.")
    rec = _recommend(inspection, text=text, owner=owner, due_on=due_on, owner_person=owner_person,
                     working_days=working_days)
    InspectionEvent.objects.create(inspection=inspection, recommendation=rec, kind="recommendation", actor=actor,
                                   at=at_or_now(at), note=f"{text[:400]} (hạn {rec.due_on:%d/%m/%Y})")
    return rec


@transaction.atomic
def inspection_redact(*, actor: Staff | None, inspection_id: int, summary: str,
                      at: dt.datetime | None = None) -> Inspection:
    """The redaction step: the public text of a signed conclusion, with state, business and personal secrets
    taken out. It may be rewritten until it is published."""
    inspection = _locked(inspection_id)
    ensure_may(actor, "publish", organizer_id=inspection.organizer_id)
    if inspection.status != Status.CONCLUDED:
        raise InvalidTransition("Chỉ lược bỏ thông tin mật trên kết luận đã ký.")
    if inspection.published_on is not None:
        raise InvalidTransition("Kết luận đã được công khai: nội dung công khai không sửa được.")
    if not summary.strip():
        raise InvalidInput("Cần ghi nội dung công khai (kết luận đã lược bỏ thông tin thuộc bí mật).")
    inspection.public_summary, inspection.redacted_by = summary.strip(), actor
    inspection.save(update_fields=["public_summary", "redacted_by", "search_key"])
    _event(inspection, "redacted", actor, at, f"{len(summary.strip())} ký tự")
    return inspection


@transaction.atomic
def inspection_publish(*, actor: Staff | None, inspection_id: int, published_on: dt.date, summary: str = "",
                       until: dt.date | None = None, at: dt.datetime | None = None) -> Inspection:
    """Publish the redacted public text from `published_on` until `until` — at least PUBLICATION_DAYS days.
    A `summary` given here is the redaction step done in the same breath."""
    if summary:
        inspection_redact(actor=actor, inspection_id=inspection_id, summary=summary, at=at)
    inspection = _locked(inspection_id)
    ensure_may(actor, "publish", organizer_id=inspection.organizer_id)
    if inspection.status != Status.CONCLUDED:
        raise InvalidTransition("Chỉ công khai kết luận đã ký.")
    if inspection.published_on is not None:
        raise InvalidTransition("Kết luận đã được công khai.")
    if not inspection.public_summary.strip():
        raise InvalidTransition("Chưa lược bỏ thông tin mật: ghi nội dung công khai trước khi công khai.")
    if inspection.concluded_on and published_on < inspection.concluded_on:
        raise InvalidInput("Ngày công khai trước ngày ký kết luận.")
    shortest = published_on + dt.timedelta(days=PUBLICATION_DAYS)
    if until is not None and until < shortest:
        raise InvalidInput(f"Công khai ít nhất {PUBLICATION_DAYS} ngày: đến ngày {shortest:%d/%m/%Y} trở đi.")
    inspection.published_on = published_on
    inspection.published_until = until or shortest
    inspection.save(update_fields=["published_on", "published_until", "search_key"])
    _event(inspection, "published", actor, at, f"đến {inspection.published_until:%d/%m/%Y}")
    return inspection


def team_ids(inspection: Inspection) -> frozenset[int]:
    ids = set(inspection.members.values_list("pk", flat=True))
    if inspection.head_id:
        ids.add(inspection.head_id)
    return frozenset(ids)


RECORD_MAX_BYTES = 20 * 1024 * 1024
RECORD_TYPES = {**{b"%PDF": ("pdf", "application/pdf"), b"\xff\xd8\xff": ("jpg", "image/jpeg"),
                   b"\x89PNG": ("png", "image/png")},
                b"PK\x03\x04": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}


def sniff_file(name: str, content: bytes, types: dict[bytes, tuple[str, str]], max_bytes: int, accepted: str,
               noun: str = "Tệp") -> tuple[str, str]:
    """(extension, content type) of an uploaded file, recognised by its first bytes, not its name; refused
    when empty, larger than `max_bytes` or of another type (`accepted` names the types taken)."""
    if not content:
        raise InvalidInput(f"{noun} “{name}” rỗng.")
    if len(content) > max_bytes:
        raise InvalidInput(f"{noun} “{name}” vượt quá {max_bytes // (1024 * 1024)} MB.")
    for signature, kind in types.items():
        if content.startswith(signature):
            return kind
    raise InvalidInput(f"Tệp “{name}”: chỉ nhận {accepted}.")


def check_record_file(name: str, content: bytes) -> tuple[str, str]:
    """(extension, content type) of a record's file, by its content: PDF, JPG, PNG or DOCX, at most 20 MB."""
    return sniff_file(name, content, RECORD_TYPES, RECORD_MAX_BYTES, "PDF, JPG, PNG hoặc DOCX")


@transaction.atomic
def record_add(*, actor: Staff | None, inspection_id: int, kind: str, on: dt.date, text: str,
               file_name: str = "", file_content: bytes = b"", extends_to: dt.date | None = None,
               at: dt.datetime | None = None) -> InspectionRecord:
    """One paper of the inspection's file (docs/inspections.md §12). An extension moves the time limit of
    the inspection (`ends_by`); the appraisal is of the draft conclusion, once it is received."""
    inspection = _locked(inspection_id)
    action = {RecordKind.EXTENSION.value: "extend", RecordKind.APPRAISAL.value: "appraise"}.get(kind, "record")
    ensure_may(actor, action, organizer_id=inspection.organizer_id, team_ids=team_ids(inspection))
    if kind not in RecordKind.values:
        raise InvalidInput("Loại hồ sơ không hợp lệ.")
    if not text.strip():
        raise InvalidInput("Cần ghi nội dung.")
    if inspection.status == Status.CONCLUDED:
        raise InvalidTransition("Cuộc kiểm tra đã có kết luận: hồ sơ của đoàn đã khép lại.")
    if on < (inspection.decision_date or inspection.started_on):
        raise InvalidInput("Ngày ghi trước ngày ra quyết định.")
    if kind == RecordKind.APPRAISAL:
        if inspection.status != Status.DRAFT or (inspection.draft_received_on and on < inspection.draft_received_on):
            raise InvalidTransition("Thẩm định dự thảo kết luận sau khi đã nhận dự thảo.")
    elif kind == RecordKind.EXTENSION:
        if inspection.status != Status.ONGOING:
            raise InvalidTransition("Chỉ gia hạn khi đoàn đang tiến hành.")
        current = inspection.ends_by or inspection.started_on
        if extends_to is None or extends_to <= current:
            raise InvalidInput(f"Hạn mới phải sau {current:%d/%m/%Y}.")
    record = InspectionRecord(inspection=inspection, kind=kind, on=on, text=text.strip(), author=actor,
                              at=at_or_now(at), extends_to=extends_to if kind == RecordKind.EXTENSION else None)
    if file_content:
        ext, content_type = check_record_file(file_name, file_content)
        record.file.save(f"{inspection.code}-{kind}.{ext}", ContentFile(file_content), save=False)
        record.file_type, record.file_name = content_type, file_name[:200]
    record.save()
    if kind == RecordKind.EXTENSION:
        inspection.ends_by = extends_to
        inspection.save(update_fields=["ends_by", "search_key"])
        _event(inspection, "extended", actor, at, f"đến {extends_to:%d/%m/%Y}: {text.strip()}")
    else:
        # The history is read by both sides: a paper of the team's own is named, not quoted.
        shown = f": {text.strip()[:300]}" if record.shared else ""
        _event(inspection, "record", actor, at, f"{RecordKind(kind).label}{shown}")
    return record


@transaction.atomic
def directive_record(*, actor: Staff | None, inspection_id: int, number: str, issued_on: dt.date,
                     at: dt.datetime | None = None) -> Inspection:
    """The inspected body's head records the implementing directive (its number and date); late or not is
    read from `directive_due_on`."""
    inspection = _locked(inspection_id)
    ensure_may(actor, "directive", organizer_id=inspection.organizer_id, owner_agency_id=inspection.target_id)
    if inspection.status != Status.CONCLUDED:
        raise InvalidTransition("Văn bản chỉ đạo thực hiện được ban hành sau khi có kết luận.")
    if inspection.directive_on is not None:
        raise InvalidTransition("Đã ghi văn bản chỉ đạo thực hiện kết luận.")
    if not number.strip():
        raise InvalidInput("Cần ghi số văn bản chỉ đạo thực hiện.")
    if inspection.concluded_on and issued_on < inspection.concluded_on:
        raise InvalidInput("Ngày ban hành trước ngày ký kết luận.")
    inspection.directive_number, inspection.directive_on = number.strip(), issued_on
    inspection.save(update_fields=["directive_number", "directive_on", "search_key"])
    late = ""
    if inspection.directive_due_on and issued_on > inspection.directive_due_on:
        late = f" (quá hạn {(issued_on - inspection.directive_due_on).days} ngày)"
    _event(inspection, "directive", actor, at, f"{number.strip()} ngày {issued_on:%d/%m/%Y}{late}")
    return inspection


# ---------------------------------------------------------------------------------------------------
# Recommendations followed to the end (docs/inspections.md §7)

EVIDENCE_TYPES = {b"%PDF": ("pdf", "application/pdf"), b"\xff\xd8\xff": ("jpg", "image/jpeg"),
                  b"\x89PNG": ("png", "image/png")}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def working_deadline(owner: Agency, day: dt.date) -> dt.date:
    """A deadline falls on a working day of the owner's calendar: a day off moves it to the next working day
    (Civil Code 2015 art. 148(5))."""
    calendar = calendar_for(owner.pk)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def deadline_after(owner: Agency, start: dt.date, working_days: int) -> dt.date:
    """The day `working_days` working days after `start` on the owner's calendar."""
    if working_days < 1:
        raise InvalidInput("Số ngày làm việc phải từ 1 trở lên.")
    calendar = calendar_for(owner.pk)
    day, left = start, working_days
    while left:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def _rec_locked(recommendation_id: int) -> Recommendation:
    rec = (Recommendation.objects.select_for_update().select_related("inspection", "owner")
           .filter(pk=recommendation_id).first())
    if rec is None:
        raise NotFound("Không có kiến nghị này.")
    return rec


def _rec_check(rec: Recommendation, version: int | None) -> None:
    if version is not None and rec.version != version:
        raise StaleAction("Kiến nghị vừa được người khác cập nhật; không có gì được ghi. Hãy mở lại trang.")


def _rec_save(rec: Recommendation, fields: list[str], kind: str, actor: Staff | None, at: dt.datetime | None,
              note: str) -> Recommendation:
    rec.version += 1
    rec.save(update_fields=[*fields, "version"])
    InspectionEvent.objects.create(inspection=rec.inspection, recommendation=rec, kind=kind, actor=actor,
                                   at=at_or_now(at), note=note[:2000])
    return rec


def _answer_allowed(actor: Staff | None, rec: Recommendation) -> None:
    ensure_may(actor, "answer", organizer_id=rec.inspection.organizer_id, owner_agency_id=rec.owner_id,
               owner_person_id=rec.owner_person_id)


@transaction.atomic
def recommendation_start(*, actor: Staff | None, recommendation_id: int, version: int | None = None,
                         note: str = "", at: dt.datetime | None = None) -> Recommendation:
    """The owner starts carrying it out: open → in progress."""
    rec = _rec_locked(recommendation_id)
    _answer_allowed(actor, rec)
    _rec_check(rec, version)
    if rec.state != Recommendation.State.OPEN:
        raise InvalidTransition("Chỉ kiến nghị chưa thực hiện mới chuyển sang đang thực hiện.")
    rec.state = Recommendation.State.IN_PROGRESS
    return _rec_save(rec, ["state"], "recommendation_started", actor, at, note or rec.text[:200])


def check_evidence(name: str, content: bytes) -> tuple[str, str]:
    """(extension, content type) of an evidence file, or InvalidInput: PDF, JPG or PNG, at most 10 MB."""
    return sniff_file(name, content, EVIDENCE_TYPES, EVIDENCE_MAX_BYTES, "PDF, JPG hoặc PNG")


@transaction.atomic
def recommendation_report_done(*, actor: Staff | None, recommendation_id: int, done_on: dt.date, evidence: str,
                               file_name: str = "", file_content: bytes = b"", version: int | None = None,
                               at: dt.datetime | None = None) -> Recommendation:
    """The owner reports it carried out, with the evidence: open or in progress → done (awaiting the
    inspector's verification)."""
    rec = _rec_locked(recommendation_id)
    _answer_allowed(actor, rec)
    _rec_check(rec, version)
    if rec.state not in (Recommendation.State.OPEN, Recommendation.State.IN_PROGRESS):
        raise InvalidTransition("Kiến nghị đã được báo cáo thực hiện hoặc đã kết thúc.")
    if not evidence.strip():
        raise InvalidInput("Cần ghi kết quả thực hiện và bằng chứng (văn bản, số hiệu, nơi lưu).")
    concluded = rec.inspection.concluded_on or rec.inspection.started_on
    if done_on < concluded:
        raise InvalidInput("Ngày thực hiện xong trước ngày kết luận.")
    fields = ["state", "done_on", "evidence"]
    if file_content:
        ext, content_type = check_evidence(file_name, file_content)
        rec.evidence_file.save(f"kien-nghi-{rec.pk}.{ext}", ContentFile(file_content), save=False)
        rec.evidence_type = content_type
        fields += ["evidence_file", "evidence_type"]
    rec.state, rec.done_on, rec.evidence = Recommendation.State.DONE, done_on, evidence
    return _rec_save(rec, fields, "recommendation_done", actor, at, evidence)


@transaction.atomic
def recommendation_verify(*, actor: Staff | None, recommendation_id: int, verified_on: dt.date,
                          accept: bool = True, note: str = "", version: int | None = None,
                          at: dt.datetime | None = None) -> Recommendation:
    """The inspector checks the evidence: accepted → verified (closed); not accepted → back to in progress,
    with the reason."""
    rec = _rec_locked(recommendation_id)
    ensure_may(actor, "verify", organizer_id=rec.inspection.organizer_id)
    _rec_check(rec, version)
    if rec.state != Recommendation.State.DONE:
        raise InvalidTransition("Chỉ xác nhận kiến nghị đã được báo cáo thực hiện.")
    if rec.done_on and verified_on < rec.done_on:
        raise InvalidInput("Ngày xác nhận trước ngày thực hiện xong.")
    if accept:
        rec.state, rec.verified_on, rec.verified_by = Recommendation.State.VERIFIED, verified_on, actor
        return _rec_save(rec, ["state", "verified_on", "verified_by"], "recommendation_verified", actor, at,
                         note or "Đã thực hiện đầy đủ.")
    if not note.strip():
        raise InvalidInput("Cần ghi lý do chưa chấp nhận kết quả thực hiện.")
    rec.state, rec.done_on = Recommendation.State.IN_PROGRESS, None
    return _rec_save(rec, ["state", "done_on"], "recommendation_returned", actor, at, note)


@transaction.atomic
def recommendation_extend(*, actor: Staff | None, recommendation_id: int, due_on: dt.date, reason: str,
                          version: int | None = None, at: dt.datetime | None = None) -> Recommendation:
    """A new deadline (the reminders of the old one no longer apply, docs/inspections.md §8)."""
    rec = _rec_locked(recommendation_id)
    ensure_may(actor, "verify", organizer_id=rec.inspection.organizer_id)
    _rec_check(rec, version)
    if rec.state not in (Recommendation.State.OPEN, Recommendation.State.IN_PROGRESS):
        raise InvalidTransition("Chỉ gia hạn kiến nghị chưa thực hiện xong.")
    if not reason.strip():
        raise InvalidInput("Cần ghi lý do gia hạn.")
    new = working_deadline(rec.owner, due_on)
    if new <= rec.due_on:
        raise InvalidInput("Hạn mới phải sau hạn cũ.")
    old, rec.due_on = rec.due_on, new
    return _rec_save(rec, ["due_on"], "recommendation_extended", actor, at,
                     f"{old:%d/%m/%Y} → {new:%d/%m/%Y}: {reason}")


@transaction.atomic
def recommendation_complete(*, actor: Staff | None, recommendation_id: int, done_on: dt.date,
                            at: dt.datetime | None = None) -> Recommendation:
    """The owner's report of completion without evidence text (what older callers recorded)."""
    return recommendation_report_done(actor=actor, recommendation_id=recommendation_id, done_on=done_on,
                                      evidence="Đã thực hiện.", at=at)


# ---------------------------------------------------------------------------------------------------
# Cross-inspection rotation (docs/inspections.md §6)


def peers_of(parent: Agency, kind: str) -> list[Agency]:
    """The open agencies of one kind directly under `parent`: those that inspect each other."""
    return list(Agency.objects.filter(parent=parent, kind=kind, valid_to__isnull=True).order_by("code"))


@transaction.atomic
def rotation_generate(*, actor: Staff | None, parent: Agency, kind: str, year: int, rounds: int, seed: int = 0,
                      at: dt.datetime | None = None) -> Rotation:
    """A year's rotation among the peers under `parent`: round k in month 12·k/(rounds+1), rounded up."""
    ensure_may(actor, "open", organizer_id=parent.pk)
    peers = peers_of(parent, kind)
    plan = rotation(sorted(p.pk for p in peers), rounds, seed)
    made = Rotation.objects.create(parent=parent, peer_kind=kind, year=year, rounds=rounds, seed=seed,
                                   created_by=actor, created_at=at_or_now(at))
    RotationPair.objects.bulk_create([
        RotationPair(rotation=made, round=k, month=max(1, min(12, -(-12 * k // (rounds + 1)))),
                     inspecting_id=a, inspected_id=b)
        for k, pairs in enumerate(plan, start=1) for a, b in pairs])
    return made


@transaction.atomic
def rotation_open(*, actor: Staff | None, rotation_id: int, decision_number: str, decision_date: dt.date,
                  round_no: int | None = None, decision_signer: str = "",
                  at: dt.datetime | None = None) -> list[Inspection]:
    """A rotation's pairs (one round's, or all) become cross inspections in one step, under one decision of
    the managing agency: the inspecting peer organises, from the first day of the round's month (or the
    decision's day when later). Refused, writing nothing, when any of them was already turned
    (docs/inspections.md §19)."""
    rot = Rotation.objects.select_for_update().select_related("parent").filter(pk=rotation_id).first()
    if rot is None:
        raise NotFound("Không có lịch kiểm tra chéo này.")
    ensure_may(actor, "open", organizer_id=rot.parent_id)
    if not decision_number.strip():
        raise InvalidInput("Cần ghi số quyết định.")
    pairs = RotationPair.objects.select_for_update().filter(rotation=rot).order_by("round", "id")
    if round_no is not None:
        pairs = pairs.filter(round=round_no)
    chosen = list(pairs)
    if not chosen:
        raise InvalidInput(f"Lịch kiểm tra chéo không có đợt {round_no}.")
    turned = [p for p in chosen if p.inspection_id is not None]
    if turned:
        names = "; ".join(f"đợt {p.round}: {p.inspecting.name} → {p.inspected.name}" for p in turned)
        raise InvalidTransition(f"Các cặp sau đã có quyết định kiểm tra, không lập lại: {names}. Không có gì "
                                "được ghi.")
    made = []
    for pair in chosen:
        starts = max(dt.date(rot.year, pair.month, 1), decision_date)
        inspection = inspection_open(
            actor=actor, organizer=pair.inspecting, target=pair.inspected, kind=Kind.CROSS, reason=Reason.PERIODIC,
            topic=f"Kiểm tra chéo năm {rot.year}, đợt {pair.round}: {pair.inspecting.name} kiểm tra "
                  f"{pair.inspected.name}",
            decision_number=decision_number.strip(), decision_date=decision_date, started_on=starts,
            decision_signer=decision_signer.strip(), at=at)
        pair.inspection = inspection
        pair.save(update_fields=["inspection"])
        made.append(inspection)
    which = f"đợt {round_no}" if round_no is not None else "cả năm"
    RotationChange.objects.create(rotation=rot, round=round_no or 0, actor=actor, at=at_or_now(at),
                                  note=f"Lập quyết định {decision_number.strip()} ngày {decision_date:%d/%m/%Y} "
                                       f"cho {len(made)} cặp ({which}): " + ", ".join(i.code for i in made))
    return made


# ---------------------------------------------------------------------------------------------------
# Yearly plans (docs/inspections.md §10)


def _plan_locked(plan_id: int) -> Plan:
    found = Plan.objects.select_for_update().select_related("agency").filter(pk=plan_id).first()
    if found is None:
        raise NotFound("Không có kế hoạch này.")
    return found


def _plan_event(plan: Plan, kind: str, actor: Staff | None, at: dt.datetime | None, note: str = "") -> None:
    PlanEvent.objects.create(plan=plan, kind=kind, actor=actor, at=at_or_now(at), note=note[:2000])


def _plan_check(plan: Plan, version: int | None) -> None:
    if version is not None and plan.version != version:
        raise StaleAction("Kế hoạch vừa được người khác cập nhật; không có gì được ghi. Hãy mở lại trang.")


def _plan_touch(plan: Plan, fields: list[str]) -> None:
    plan.version += 1
    plan.save(update_fields=[*fields, "version"])


@transaction.atomic
def plan_create(*, actor: Staff | None, agency: Agency, year: int, at: dt.datetime | None = None) -> Plan:
    """A draft of the inspecting agency's plan for a year (one per agency and year)."""
    ensure_may(actor, "plan", organizer_id=agency.pk)
    if not 2000 <= year <= 2100:
        raise InvalidInput("Năm kế hoạch không hợp lệ.")
    if Plan.objects.filter(agency=agency, year=year).exists():
        raise InvalidInput(f"{agency.name} đã có kế hoạch năm {year}: mở kế hoạch đó để điều chỉnh.")
    plan = Plan.objects.create(agency=agency, year=year, created_by=actor, created_at=at_or_now(at))
    _plan_event(plan, "created", actor, at, f"Năm {year}")
    return plan


def _item_fields(plan: Plan, *, topic: str, target: Agency, month: int | None, quarter: int | None, kind: str,
                 method: str, reason: str) -> None:
    if not topic.strip():
        raise InvalidInput("Cần ghi nội dung thanh tra, kiểm tra.")
    if target.pk == plan.agency_id:
        raise InvalidInput("Cơ quan không tự kiểm tra chính mình: chọn đơn vị được kiểm tra khác.")
    if (month is None) == (quarter is None):
        raise InvalidInput("Ghi tháng hoặc quý tiến hành (một trong hai).")
    if month is not None and not 1 <= month <= 12:
        raise InvalidInput("Tháng phải từ 1 đến 12.")
    if quarter is not None and not 1 <= quarter <= 4:
        raise InvalidInput("Quý phải từ 1 đến 4.")
    if kind not in Kind.values or method not in Method.values or reason not in Reason.values:
        raise InvalidInput("Hình thức, phương thức hoặc căn cứ không hợp lệ.")


def _ensure_editable(plan: Plan) -> None:
    if not plan.editable:
        raise InvalidTransition("Kế hoạch đã phê duyệt: bắt đầu điều chỉnh (ghi lý do) trước khi sửa.")


@transaction.atomic
def plan_item_add(*, actor: Staff | None, plan_id: int, topic: str, target: Agency, month: int | None = None,
                  quarter: int | None = None, kind: str = Kind.SCHEDULED, method: str = Method.ON_SITE,
                  reason: str = Reason.PERIODIC, basis: str = "", version: int | None = None,
                  at: dt.datetime | None = None) -> PlanItem:
    plan = _plan_locked(plan_id)
    ensure_may(actor, "plan", organizer_id=plan.agency_id)
    _plan_check(plan, version)
    _ensure_editable(plan)
    _item_fields(plan, topic=topic, target=target, month=month, quarter=quarter, kind=kind, method=method,
                 reason=reason)
    item = PlanItem.objects.create(plan=plan, topic=topic.strip(), target=target, month=month, quarter=quarter,
                                   kind=kind, method=method, reason=reason, basis=basis.strip())
    _plan_touch(plan, [])
    _plan_event(plan, "item_added", actor, at, f"{item.topic} — {target.name}")
    return item


def _item_locked(item_id: int) -> tuple[Plan, PlanItem]:
    plan_id = PlanItem.objects.filter(pk=item_id).values_list("plan_id", flat=True).first()
    if plan_id is None:
        raise NotFound("Không có nội dung kế hoạch này.")
    plan = _plan_locked(plan_id)
    return plan, PlanItem.objects.select_related("target").get(pk=item_id)


def _item_to_change(actor: Staff | None, item_id: int, version: int | None, refused: str) -> tuple[Plan, PlanItem]:
    """An item locked for a change: the actor may plan, the page is not stale, the plan is open for changes,
    and the item neither withdrawn nor decided (`refused` says what cannot be done then)."""
    plan, item = _item_locked(item_id)
    ensure_may(actor, "plan", organizer_id=plan.agency_id)
    _plan_check(plan, version)
    _ensure_editable(plan)
    if item.withdrawn or item.inspection_id:
        raise InvalidTransition(f"Nội dung đã rút hoặc đã ra quyết định: {refused}.")
    return plan, item


@transaction.atomic
def plan_item_change(*, actor: Staff | None, item_id: int, topic: str, target: Agency, month: int | None = None,
                     quarter: int | None = None, kind: str = Kind.SCHEDULED, method: str = Method.ON_SITE,
                     reason: str = Reason.PERIODIC, version: int | None = None,
                     at: dt.datetime | None = None) -> PlanItem:
    plan, item = _item_to_change(actor, item_id, version, "không sửa được")
    _item_fields(plan, topic=topic, target=target, month=month, quarter=quarter, kind=kind, method=method,
                 reason=reason)
    item.topic, item.target, item.month, item.quarter = topic.strip(), target, month, quarter
    item.kind, item.method, item.reason = kind, method, reason
    item.save()
    _plan_touch(plan, [])
    _plan_event(plan, "item_changed", actor, at, f"{item.topic} — {target.name}")
    return item


@transaction.atomic
def plan_item_withdraw(*, actor: Staff | None, item_id: int, reason: str, version: int | None = None,
                       at: dt.datetime | None = None) -> PlanItem:
    """Take an item out of the plan; it stays recorded, and the next version shows it removed."""
    plan, item = _item_to_change(actor, item_id, version, "không rút được")
    if not reason.strip():
        raise InvalidInput("Cần ghi lý do rút nội dung khỏi kế hoạch.")
    item.withdrawn = True
    item.save(update_fields=["withdrawn"])
    _plan_touch(plan, [])
    _plan_event(plan, "item_withdrawn", actor, at, f"{item.topic}: {reason}")
    return item


@transaction.atomic
def plan_approve(*, actor: Staff | None, plan_id: int, approved_on: dt.date, decision_number: str,
                 version: int | None = None, at: dt.datetime | None = None) -> PlanVersion:
    """The head of the inspecting agency approves the draft or the amendment: a new version, frozen."""
    plan = _plan_locked(plan_id)
    ensure_may(actor, "plan_approve", organizer_id=plan.agency_id)
    _plan_check(plan, version)
    _ensure_editable(plan)
    if not decision_number.strip():
        raise InvalidInput("Cần ghi số quyết định phê duyệt kế hoạch.")
    items = sorted(plan.items.filter(withdrawn=False).select_related("target"), key=lambda i: (i.start_month, i.pk))
    if not items:
        raise InvalidInput("Kế hoạch chưa có nội dung nào.")
    last = plan.versions.order_by("-number").first()
    if last is not None and approved_on < last.approved_on:
        raise InvalidInput(f"Ngày phê duyệt trước ngày phê duyệt phiên bản {last.number} "
                           f"({last.approved_on:%d/%m/%Y}).")
    number = plan.approved_version + 1
    made = PlanVersion.objects.create(plan=plan, number=number, approved_on=approved_on, approved_by=actor,
                                      decision_number=decision_number.strip(),
                                      reason=plan.amendment_reason if number > 1 else "",
                                      items=[i.snapshot() for i in items], at=at_or_now(at))
    plan.state, plan.approved_version, plan.amendment_reason = Plan.State.APPROVED, number, ""
    _plan_touch(plan, ["state", "approved_version", "amendment_reason"])
    _plan_event(plan, "approved", actor, at, f"Phiên bản {number}, {decision_number.strip()}")
    return made


@transaction.atomic
def plan_amend(*, actor: Staff | None, plan_id: int, reason: str, version: int | None = None,
               at: dt.datetime | None = None) -> Plan:
    """Open an approved plan for amendment; it is in force as approved until the amendment is approved."""
    plan = _plan_locked(plan_id)
    ensure_may(actor, "plan", organizer_id=plan.agency_id)
    _plan_check(plan, version)
    if plan.state != Plan.State.APPROVED:
        raise InvalidTransition("Chỉ điều chỉnh kế hoạch đã phê duyệt.")
    if not reason.strip():
        raise InvalidInput("Cần ghi lý do điều chỉnh kế hoạch.")
    plan.state, plan.amendment_reason = Plan.State.AMENDING, reason.strip()
    _plan_touch(plan, ["state", "amendment_reason"])
    _plan_event(plan, "amending", actor, at, reason)
    return plan


def _approved_ids(plan: Plan) -> set[int]:
    last = plan.versions.order_by("-number").first()
    return {row["id"] for row in last.items} if last else set()


@transaction.atomic
def plan_item_open(*, actor: Staff | None, item_id: int, decision_number: str, decision_date: dt.date,
                   started_on: dt.date, decision_signer: str = "", scope: str = "", head: Staff | None = None,
                   members: list[Staff] | None = None, period_from: dt.date | None = None,
                   period_to: dt.date | None = None, at: dt.datetime | None = None) -> Inspection:
    """The decision of a planned inspection: only from an item of the approved plan, once."""
    plan, item = _item_locked(item_id)
    if item.withdrawn:
        raise InvalidTransition("Nội dung đã rút khỏi kế hoạch.")
    if item.inspection_id:
        raise InvalidTransition("Nội dung này đã có quyết định thanh tra, kiểm tra.")
    if item.pk not in _approved_ids(plan):
        raise InvalidTransition("Nội dung chưa được phê duyệt: phê duyệt kế hoạch (hoặc phần điều chỉnh) trước khi "
                                "ra quyết định.")
    inspection = inspection_open(actor=actor, organizer=plan.agency, target=item.target, topic=item.topic,
                                 kind=item.kind, reason=item.reason, decision_number=decision_number,
                                 decision_date=decision_date, started_on=started_on, decision_signer=decision_signer,
                                 scope=scope, head=head, members=members, period_from=period_from,
                                 period_to=period_to, at=at)
    item.inspection = inspection
    item.save(update_fields=["inspection"])
    _plan_event(plan, "item_opened", actor, at, f"{item.topic}: {inspection.code}")
    return inspection


@transaction.atomic
def plan_propose_add(*, actor: Staff | None, plan_id: int, target: Agency, as_of: dt.date,
                     version: int | None = None, at: dt.datetime | None = None) -> PlanItem:
    """Add a risk-based proposal to the plan in one step: the topic and the signals as proposed, reason
    "risk", in the first quarter still ahead (docs/inspections.md §11)."""
    plan = _plan_locked(plan_id)
    proposal = next((p for p in risk_proposals(plan=plan, as_of=as_of) if p["target"].pk == target.pk), None)
    if proposal is None:
        raise InvalidInput(f"Không có đề xuất theo rủi ro cho “{target.name}” (hoặc đơn vị đã có trong kế hoạch).")
    quarter = 1 if plan.year > as_of.year else min(4, (as_of.month - 1) // 3 + 2)
    return plan_item_add(actor=actor, plan_id=plan.pk, topic=proposal["topic"], target=target, quarter=quarter,
                         kind=Kind.SCHEDULED, method=Method.ON_SITE, reason=Reason.RISK,
                         basis="; ".join(proposal["signals"]), version=version, at=at)


# ---------------------------------------------------------------------------------------------------
# Kiểm tra công vụ: the checklist at the desk (docs/inspections.md §13)

PHOTO_TYPES = {b"\xff\xd8\xff": ("jpg", "image/jpeg"), b"\x89PNG": ("png", "image/png")}


def check_photo(name: str, content: bytes) -> tuple[str, str]:
    """(extension, content type) of a checklist photo, by its content: JPG or PNG, at most 10 MB."""
    return sniff_file(name, content, PHOTO_TYPES, EVIDENCE_MAX_BYTES, "ảnh JPG hoặc PNG", noun="Ảnh")


@transaction.atomic
def check_mark(*, actor: Staff | None, inspection_id: int, item: str, result: str, note: str = "",
               cadre: Staff | None = None, photo_name: str = "", photo_content: bytes = b"",
               at: dt.datetime | None = None) -> CheckEntry:
    """Mark one item of a civil-service check; "not met" needs a note saying what was seen."""
    inspection = _locked(inspection_id)
    ensure_may(actor, "check", organizer_id=inspection.organizer_id, team_ids=team_ids(inspection))
    if inspection.kind != Kind.CIVIL_SERVICE:
        raise InvalidTransition("Danh mục kiểm tra công vụ chỉ dùng cho cuộc kiểm tra công vụ.")
    if inspection.status != Status.ONGOING:
        raise InvalidTransition("Cuộc kiểm tra đã có dự thảo kết luận: danh mục đã khép lại.")
    if item not in CheckItem.values or result not in CheckResult.values:
        raise InvalidInput("Nội dung hoặc kết quả kiểm tra không hợp lệ.")
    if result == CheckResult.FAIL and not note.strip():
        raise InvalidInput(f"“{CheckItem(item).label}” không đạt: ghi rõ điều đã thấy.")
    if cadre is not None and not agency_subtree(inspection.target).filter(pk=cadre.agency_id).exists():
        raise InvalidInput(f"{cadre.full_name} không thuộc đơn vị được kiểm tra.")
    entry = CheckEntry(inspection=inspection, item=item, result=result, note=note.strip(), cadre=cadre,
                       checked_by=actor, at=at_or_now(at))
    if photo_content:
        ext, content_type = check_photo(photo_name, photo_content)
        entry.photo.save(f"{inspection.code}-{item}.{ext}", ContentFile(photo_content), save=False)
        entry.photo_type = content_type
    entry.save()
    _event(inspection, "check", actor, at, f"{CheckItem(item).label}: {CheckResult(result).label}"
           + (f" — {note.strip()[:200]}" if note.strip() else ""))
    return entry


def current_checks(inspection: Inspection) -> dict[str, CheckEntry]:
    """The latest mark of each item."""
    latest: dict[str, CheckEntry] = {}
    for entry in inspection.checks.select_related("cadre", "checked_by").order_by("at", "id"):
        latest[entry.item] = entry
    return latest


@transaction.atomic
def check_findings(*, actor: Staff | None, inspection_id: int, at: dt.datetime | None = None) -> list[Finding]:
    """Turn the items not met into findings (violations, with the cadre seen), once each."""
    inspection = _locked(inspection_id)
    ensure_may(actor, "finding", organizer_id=inspection.organizer_id)
    if inspection.status == Status.CONCLUDED:
        raise InvalidTransition("Cuộc kiểm tra đã có kết luận: không ghi thêm phát hiện.")
    made = []
    for item, entry in current_checks(inspection).items():
        if entry.result != CheckResult.FAIL:
            continue
        text = f"{CheckItem(item).label}: {entry.note}"
        if inspection.findings.filter(text=text).exists():
            continue
        made.append(Finding.objects.create(inspection=inspection, text=text, is_violation=True, cadre=entry.cadre))
        _event(inspection, "finding", actor, at, text)
    if not made:
        raise InvalidInput("Không có mục “không đạt” nào chưa được ghi thành phát hiện.")
    return made


# ---------------------------------------------------------------------------------------------------
# Findings about people go to discipline (docs/inspections.md §15)


def _evidence_note(inspection: Inspection, finding: Finding) -> str:
    papers = [f"{r.get_kind_display()} ngày {r.on:%d/%m/%Y}" + (f" (tệp {r.file_name})" if r.file_name else "")
              for r in inspection.records.filter(kind__in=[RecordKind.MINUTES, RecordKind.EVIDENCE]).order_by("on")]
    photos = [f"ảnh {CheckItem(c.item).label}" for c in inspection.checks.filter(cadre=finding.cadre).exclude(photo="")]
    lines = [finding.text, f"Nguồn: {inspection.get_kind_display().lower()} {inspection.code}, quyết định "
             f"{inspection.decision_number} của {inspection.organizer.name}."]
    if papers or photos:
        lines.append("Chứng cứ trong hồ sơ cuộc kiểm tra: " + "; ".join(papers + photos) + ".")
    return "\n".join(lines)


def _evidence_files(inspection: Inspection, finding: Finding) -> list[tuple[str, FieldFile]]:
    """The files that go with a breach: the minutes' and evidence papers' PDFs and pictures, and the
    checklist photos of that cadre — (a name discipline accepts, the stored file)."""
    out: list[tuple[str, FieldFile]] = []
    for r in inspection.records.filter(kind__in=[RecordKind.MINUTES, RecordKind.EVIDENCE]).exclude(file="").order_by(
            "on", "id"):
        ext = (r.file.name or "").rsplit(".", 1)[-1].lower()
        if ext in ("pdf", "jpg", "png"):
            out.append((f"{r.get_kind_display()} {r.on:%d-%m-%Y} ({inspection.code}).{ext}", r.file))
    for c in inspection.checks.filter(cadre=finding.cadre).exclude(photo="").order_by("at", "id"):
        ext = (c.photo.name or "").rsplit(".", 1)[-1].lower()
        out.append((f"Ảnh kiểm tra công vụ — {CheckItem(c.item).label} ({inspection.code}).{ext}", c.photo))
    return out


@transaction.atomic
def finding_refer(*, actor: Staff | None, finding_id: int, kind: str, occurred_on: dt.date,
                  open_case: bool = False, proposed_form: str = "khien_trach",
                  at: dt.datetime | None = None) -> Finding:
    """A finding about a cadre becomes a breach in discipline, carrying the inspection's evidence; and, when
    asked (by the personnel office), a discipline case on it. Through discipline's own services, whose
    rules (who sees the cadre, who opens a case) apply as well."""
    finding = Finding.objects.select_for_update(of=("self",)).select_related(
        "inspection__organizer", "cadre").filter(pk=finding_id).first()
    if finding is None:
        raise NotFound("Không có phát hiện này.")
    inspection = finding.inspection
    ensure_may(actor, "refer", organizer_id=inspection.organizer_id)
    if finding.cadre is None or not finding.is_violation:
        raise InvalidInput("Chỉ chuyển phát hiện là vi phạm, có ghi cán bộ liên quan.")
    if finding.violation_id is not None:
        raise InvalidTransition("Phát hiện này đã được chuyển sang xử lý kỷ luật.")
    source = f"Thanh tra, kiểm tra {inspection.code}"
    violation = violation_record(actor=actor, staff=finding.cadre, kind=kind, occurred_on=occurred_on,
                                 description=_evidence_note(inspection, finding), source=source,
                                 source_kind=SourceKind.INSPECTION, at=at)
    for name, stored in _evidence_files(inspection, finding)[:EVIDENCE_PER_BREACH]:
        with stored.open("rb") as handle:
            violation_add_evidence(actor=actor, violation_id=violation.pk, name=name, content=handle.read())
    finding.violation = violation
    fields = ["violation"]
    if open_case:
        finding.case = case_open(actor=actor, staff=finding.cadre, proposed_form=proposed_form,
                                 violation_ended=occurred_on,
                                 discovered=inspection.concluded_on or local_day(at_or_now(at)), source=source,
                                 violation=violation)
        fields.append("case")
    finding.save(update_fields=fields)
    _event(inspection, "breach", actor, at, f"{finding.cadre.full_name}: {finding.text[:200]}"
           + (" — mở vụ việc kỷ luật" if open_case else ""))
    return finding


@transaction.atomic
def rotation_pair_change(*, actor: Staff | None, pair_id: int, inspected: Agency, reason: str,
                         at: dt.datetime | None = None) -> RotationPair:
    """The inspector adjusts a round: this pair's inspecting agency now inspects `inspected`, and the pair
    that inspected it takes this pair's old target — so each peer still inspects one and is inspected by one.
    Refused if an agency would inspect itself or a pair would meet twice in the year (docs/inspections.md §6)."""
    pair = RotationPair.objects.select_for_update().select_related("rotation", "inspecting", "inspected").filter(
        pk=pair_id).first()
    if pair is None:
        raise NotFound("Không có cặp kiểm tra chéo này.")
    rot = pair.rotation
    ensure_may(actor, "open", organizer_id=rot.parent_id)
    if not reason.strip():
        raise InvalidInput("Cần ghi lý do điều chỉnh.")
    if inspected.pk == pair.inspected_id:
        raise InvalidInput("Đơn vị này đã là đơn vị được kiểm tra của cặp.")
    other = RotationPair.objects.select_for_update().filter(rotation=rot, round=pair.round,
                                                             inspected=inspected).first()
    if other is None:
        raise InvalidInput(f"“{inspected.name}” không có trong đợt {pair.round} của lịch này.")
    if pair.inspection_id is not None or other.inspection_id is not None:
        raise InvalidTransition("Cặp này (hoặc cặp hoán đổi) đã có quyết định kiểm tra: không điều chỉnh được.")
    old = pair.inspected
    pair.inspected, other.inspected_id = inspected, old.pk
    if pair.inspecting_id == pair.inspected_id or other.inspecting_id == other.inspected_id:
        raise InvalidInput("Không đơn vị nào tự kiểm tra chính mình: chọn đơn vị khác.")
    rest = RotationPair.objects.filter(rotation=rot).exclude(pk__in=[pair.pk, other.pk])
    met = {frozenset(p) for p in rest.values_list("inspecting_id", "inspected_id")}
    for a, b in ((pair.inspecting_id, pair.inspected_id), (other.inspecting_id, other.inspected_id)):
        if frozenset((a, b)) in met:
            names = dict(Agency.objects.filter(pk__in=[a, b]).values_list("pk", "name"))
            raise InvalidInput(f"“{names[a]}” và “{names[b]}” đã gặp nhau trong một đợt khác của năm: "
                               "không cặp nào lặp lại trong năm.")
    if frozenset((pair.inspecting_id, pair.inspected_id)) == frozenset((other.inspecting_id, other.inspected_id)):
        raise InvalidInput("Hai đơn vị không kiểm tra lẫn nhau trong cùng một đợt.")
    pair.save(update_fields=["inspected"])
    other.save(update_fields=["inspected"])
    RotationChange.objects.create(rotation=rot, round=pair.round, actor=actor, at=at_or_now(at),
                                  note=f"Đợt {pair.round}: {pair.inspecting.name} kiểm tra {inspected.name} "
                                       f"(thay {old.name}). Lý do: {reason.strip()}")
    return pair
