"""Writes of staff profiles, score sheets and the yearly grading (docs/discipline.md §6). One transaction each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.discipline.authority import ensure_may
from phucvu.discipline.grading import (
    GENERAL_MAX,
    ResultItem,
    check_scores,
    evaluation_rule_set,
    leader_results_points,
    results_points,
    round2,
)
from phucvu.discipline.models import (
    Grade,
    JobPosition,
    PeriodKind,
    QuotaChoice,
    ScoreSheet,
    SheetSource,
    SheetStatus,
    StaffProfile,
    UnitGrade,
)
from phucvu.discipline.selectors.leader import leader_measures
from phucvu.discipline.selectors.tasks import sheet_result_items
from phucvu.discipline.services.common import check_visible
from phucvu.organization.models import Agency, Role, Staff
from phucvu.organization.selectors import ensure_visible
from phucvu.organization.services import staff_create, staff_save

# The general criteria of the period score sheet and their maximum points (docs/discipline.md §6.3).
# The labels are marked for translation and translated where a page shows them.
GENERAL_CRITERIA: list[tuple[str, str, Decimal]] = [
    ("politics", gettext_noop("Phẩm chất chính trị, đạo đức, lối sống"), Decimal(5)),
    ("discipline", gettext_noop("Ý thức tổ chức kỷ luật"), Decimal(5)),
    ("competence", gettext_noop("Năng lực chuyên môn, nghiệp vụ"), Decimal("2.5")),
    ("meeting_tasks", gettext_noop("Khả năng đáp ứng yêu cầu nhiệm vụ"), Decimal("2.5")),
    ("responsibility", gettext_noop("Tinh thần trách nhiệm"), Decimal("2.5")),
    ("attitude", gettext_noop("Thái độ phục vụ nhân dân, phối hợp"), Decimal("2.5")),
    ("innovation", gettext_noop("Đổi mới, sáng tạo, dám nghĩ, dám làm"), Decimal(10)),
]
assert sum(c[2] for c in GENERAL_CRITERIA) == GENERAL_MAX


# -- staff ------------------------------------------------------------------------------------------------------

def staff_import_save(*, staff: Staff | None, line: Any, dry_run: bool = False) -> str:
    """Create or update one cadre from a line of the staff file: 'created', 'updated' or 'skipped'."""
    fields = {"full_name": line.full_name, "agency": line.agency, "role": line.role, "position": line.position,
              "category": line.category, "active": line.active}
    if staff is None:
        if not dry_run:
            staff = staff_create(username=line.username, password="!", full_name=line.full_name, agency=line.agency,
                                 role=line.role, position=line.position, category=line.category, email=line.email)
            staff.user.set_unusable_password()
            staff.user.save(update_fields=["password"])
            if not line.active:
                staff_save(staff=staff, active=False)
            staff_profile_save(staff, line.job_position, line.phone, line.holds_post)
        return "created"
    profile = getattr(staff, "profile", None) if hasattr(staff, "profile") else None
    changed = any(getattr(staff, k) != v for k, v in fields.items()) or staff.user.email != line.email or (
        (profile.job_position.name if profile and profile.job_position else "") != line.job_position
        or (profile.phone if profile else "") != line.phone
        or (line.holds_post is not None and bool(profile and profile.holds_post) != line.holds_post))
    if not changed:
        return "skipped"
    if not dry_run:
        staff_save(staff=staff, **fields)
        if staff.user.email != line.email:
            staff.user.email = line.email
            staff.user.save(update_fields=["email"])
        staff_profile_save(staff, line.job_position, line.phone, line.holds_post)
    return "updated"


def staff_profile_save(staff: Staff, job_position: str, phone: str, holds_post: bool | None = None) -> StaffProfile:
    """The staff file's part of a cadre. `holds_post` None keeps what was recorded (a unit leader holds a post
    whatever was recorded, docs/discipline.md §6.1)."""
    position = JobPosition.objects.get_or_create(name=job_position)[0] if job_position else None
    defaults: dict[str, Any] = {"job_position": position, "phone": phone}
    if holds_post is not None:
        defaults["holds_post"] = holds_post
    elif not StaffProfile.objects.filter(staff=staff).exists():
        defaults["holds_post"] = staff.role == Role.UNIT_LEADER
    profile, _created = StaffProfile.objects.update_or_create(staff=staff, defaults=defaults)
    return profile


# -- period score sheets ----------------------------------------------------------------------------------------

def score_import_save(*, staff: Staff, year: int, kind: str, number: int, general: Decimal,
                      results: Decimal) -> str:
    """One imported period score: 'created' or 'updated' (an earlier import of the same period)."""
    check_scores(general, results)
    rule_set = evaluation_rule_set(staff.category, year).code
    sheet = ScoreSheet.objects.filter(staff=staff, year=year, period_kind=kind, number=number).first()
    if sheet is not None and sheet.source != SheetSource.IMPORT:
        raise InvalidInput("kỳ này đã có phiếu chấm trên hệ thống; không ghi đè bằng tệp.")
    values = {"general": general, "results": results, "status": SheetStatus.FINAL, "source": SheetSource.IMPORT,
              "rule_set": rule_set}
    ScoreSheet.objects.update_or_create(staff=staff, year=year, period_kind=kind, number=number, defaults=values)
    return "created" if sheet is None else "updated"


def _items(items: dict[str, Any]) -> dict[str, str]:
    """Criterion → points, each within its maximum."""
    clean: dict[str, str] = {}
    for key, _label, maximum in GENERAL_CRITERIA:
        raw = str(items.get(key, "")).strip().replace(",", ".")
        try:
            value = Decimal(raw)
        except ArithmeticError:
            raise InvalidInput(f"Điểm “{_label}” phải là một số từ 0 đến {maximum}.") from None
        if not value.is_finite() or not Decimal(0) <= value <= maximum:
            raise InvalidInput(f"Điểm “{_label}” phải từ 0 đến {maximum}.")
        clean[key] = str(round2(value))
    return clean


def items_total(items: dict[str, str]) -> Decimal:
    return round2(sum((Decimal(v) for v in items.values()), Decimal(0)))


@transaction.atomic
def score_sheet_open(*, actor: Staff | None, staff: Staff, year: int, kind: str, number: int) -> ScoreSheet:
    """The cadre's sheet for a period, created when first opened."""
    check_visible(actor, staff)
    if kind not in PeriodKind.values or not (1 <= number <= (4 if kind == PeriodKind.QUARTER else 12)):
        raise InvalidInput("Kỳ chấm điểm không hợp lệ.")
    rule_set = evaluation_rule_set(staff.category, year)
    sheet, _created = ScoreSheet.objects.get_or_create(staff=staff, year=year, period_kind=kind, number=number,
                                                       defaults={"rule_set": rule_set.code})
    return sheet


ITEM_NUMBERS = ("coefficient", "assigned", "done", "to_standard", "on_time", "failed_checks", "delays")


def _result_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The work items as typed: blank rows dropped, numbers checked (done ≤ assigned, …)."""
    clean: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        name = " ".join(str(row.get("name", "")).split())
        if not name and not any(str(row.get(k, "")).strip() for k in ITEM_NUMBERS if k != "coefficient"):
            continue
        if not name:
            raise InvalidInput(f"Nhiệm vụ dòng {number}: cần tên nhiệm vụ.")
        values: dict[str, Any] = {"name": name[:200]}
        for key in ITEM_NUMBERS:
            raw = str(row.get(key, "")).strip().replace(",", ".") or ("1" if key == "coefficient" else "0")
            try:
                value = Decimal(raw)
            except ArithmeticError:
                raise InvalidInput(f"Nhiệm vụ “{name}”: “{raw}” không phải là số.") from None
            if not value.is_finite() or value < 0 or value > 100000:
                raise InvalidInput(f"Nhiệm vụ “{name}”: số phải từ 0 đến 100000.")
            values[key] = str(value)
        if Decimal(values["coefficient"]) <= 0:
            raise InvalidInput(f"Nhiệm vụ “{name}”: hệ số quy đổi phải lớn hơn 0.")
        if Decimal(values["done"]) > Decimal(values["assigned"]):
            raise InvalidInput(f"Nhiệm vụ “{name}”: số hoàn thành vượt số được giao.")
        if max(Decimal(values["to_standard"]), Decimal(values["on_time"])) > Decimal(values["done"]):
            raise InvalidInput(f"Nhiệm vụ “{name}”: số đạt chất lượng hoặc đúng hạn vượt số hoàn thành.")
        for key in ("waiver", "waived_by"):
            if row.get(key):
                values[key] = str(row[key])
        clean.append(values)
    return clean


def sheet_results(items: list[dict[str, Any]]) -> Decimal:
    """The 70 result points of a sheet's work items (docs/discipline.md §6.3)."""
    return results_points(ResultItem(
        assigned=Decimal(i["assigned"]), done=Decimal(i["done"]), to_standard=Decimal(i["to_standard"]),
        on_time=Decimal(i["on_time"]), failed_checks=int(Decimal(i["failed_checks"])),
        delays=int(Decimal(i["delays"])), waived=bool(i.get("waiver")), coefficient=Decimal(i["coefficient"]))
        for i in items)


def _task_items(sheet: ScoreSheet) -> list[dict[str, Any]]:
    return sheet_result_items(sheet.staff, sheet.year, sheet.period_kind, sheet.number)


def _results(sheet: ScoreSheet) -> Decimal:
    """The sheet's 70 result points; a leader's add the unit's results and the organising capacity, measured
    when the sheet is sent and again when it is scored (docs/discipline.md §6.3)."""
    measures = leader_measures(sheet.staff, sheet.year, sheet.period_kind, sheet.number)
    sheet.leader_results = measures or {}
    if measures is None:
        return sheet_results(sheet.result_items)
    own = sheet_results(sheet.result_items) if sheet.result_items else None
    weights = evaluation_rule_set(sheet.staff.category, sheet.year).leader_weights
    return leader_results_points(own, _share(measures["unit_share"]), _share(measures["organising_share"]),
                                 weights)


def _share(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


@transaction.atomic
def score_sheet_self_score(*, actor: Staff, sheet_id: int, items: dict[str, Any],
                           result_items: list[dict[str, Any]]) -> ScoreSheet:
    """The cadre scores the general criteria of their own sheet and lists the period's work items; the 70
    result points are computed from the items."""
    sheet = ScoreSheet.objects.select_for_update().select_related("staff").get(pk=sheet_id)
    if sheet.staff_id != actor.pk:
        raise NotAllowed("Chỉ cán bộ có phiếu mới được tự chấm phiếu này.")
    if sheet.status == SheetStatus.FINAL:
        raise InvalidInput("Phiếu đã được lãnh đạo chấm; không tự chấm lại.")
    sheet.self_items = _items(items)
    # The cadre's tasks of the period decide the result points (measured, not typed, docs/discipline.md §7.5);
    # items are typed only for a period with no task in the system.
    sheet.result_items = _task_items(sheet) or _result_items(result_items)
    sheet.results = _results(sheet)
    sheet.status = SheetStatus.SELF_SCORED
    sheet.save()
    return sheet


@transaction.atomic
def score_sheet_manager_score(*, actor: Staff, sheet_id: int, items: dict[str, Any],
                              waivers: dict[int, str] | None = None) -> ScoreSheet:
    """The manager scores the general criteria and may waive an item's deductions (with the reason); the sheet
    is then final."""
    sheet = ScoreSheet.objects.select_for_update().select_related("staff").get(pk=sheet_id)
    if actor.pk == sheet.staff_id:
        raise NotAllowed("Không tự chấm phiếu của chính mình: lãnh đạo trực tiếp chấm phiếu này.")
    ensure_may(actor, "sheet_score", agency_id=sheet.staff.agency_id)
    if sheet.status != SheetStatus.SELF_SCORED:
        raise InvalidInput("Phiếu chưa được cán bộ tự chấm, hoặc đã chấm xong.")
    sheet.manager_items = _items(items)
    sheet.general = items_total(sheet.manager_items)
    if any("task" in i for i in sheet.result_items):
        sheet.result_items = _task_items(sheet)  # the tasks as they stand when the manager scores
    for index, reason in (waivers or {}).items():
        if not 0 <= index < len(sheet.result_items):
            raise InvalidInput("Nhiệm vụ được miễn trừ không có trong phiếu.")
        if not reason.strip():
            raise InvalidInput("Miễn trừ cần nêu lý do khách quan đã được xác nhận.")
        sheet.result_items[index] = {**sheet.result_items[index], "waiver": reason.strip()[:300],
                                     "waived_by": actor.full_name}
    sheet.results = _results(sheet)
    sheet.status = SheetStatus.FINAL
    sheet.scored_by = actor
    sheet.save()
    return sheet


# -- the year -----------------------------------------------------------------------------------------------------

@transaction.atomic
def unit_grade_set(*, actor: Staff | None, agency: Agency, year: int, grade: str,
                   decided_on: dt.date | None = None) -> UnitGrade:
    if actor is not None:
        check_visible_agency(actor, agency)
    if grade not in Grade.values or grade == Grade.NOT_GRADED:
        raise InvalidInput("Xếp loại đơn vị không hợp lệ.")
    row, _created = UnitGrade.objects.update_or_create(agency=agency, year=year,
                                                       defaults={"grade": grade, "decided_on": decided_on})
    return row


def check_visible_agency(actor: Staff, agency: Agency) -> None:
    ensure_visible(actor.user, agency.pk)


@transaction.atomic
def quota_choice_record(*, actor: Staff | None, agency: Agency, year: int, chosen: list[Staff],
                        note: str = "") -> QuotaChoice:
    """The person deciding chooses who keeps "xuất sắc" when the quota binds; a new choice is a new row. Who may:
    the authority table's `quota_choice` (a leader of the unit or above, the personnel office)."""
    ensure_may(actor, "quota_choice", agency_id=agency.pk)
    if any(s.agency_id != agency.pk for s in chosen):
        raise InvalidInput("Chỉ chọn cán bộ của chính đơn vị.")
    choice = QuotaChoice.objects.create(agency=agency, year=year, decided_by=actor, decided_at=timezone.now(),
                                        note=note)
    choice.chosen.set(chosen)
    return choice
