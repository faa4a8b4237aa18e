"""Every write to the procedure catalogue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from phucvu.catalog.models import (
    LEVELS,
    UNIT_ROLE,
    Field,
    OnlineLevel,
    PaperKind,
    PauseRule,
    Procedure,
    ProcedureOffering,
    ProcedureVersion,
    RuleSet,
    StepUnit,
    TimeUnit,
    WorkflowStep,
    unit_of,
)
from phucvu.core.exceptions import InvalidInput, NotFound
from phucvu.core.text import fold


@dataclass(frozen=True)
class StepSpec:
    name: str
    share: int
    agency_id: int | None = None
    role: str = ""
    unit: str = ""  # StepUnit; empty: from the role and the fixed agency (`unit_of`)

    def normalized(self) -> StepSpec:
        """With its kind of unit and its role both named (either one tells the other)."""
        unit = self.unit or unit_of(self.role, self.agency_id)
        return StepSpec(self.name.strip(), self.share, self.agency_id, self.role or UNIT_ROLE[StepUnit(unit)], unit)


# The fields of a version; `procedure_revise` makes a new version when any of them changes.
VERSION_FIELDS = ("amount", "time_unit", "cutoff", "pause_rule", "fee", "fee_note", "papers", "result_type",
                  "online_level", "rule_set", "paper_specs", "conditions", "applicants", "result_delivery",
                  "legal_basis")
# The public catalogue's texts: optional, empty when the published procedure says nothing.
TEXT_FIELDS = ("conditions", "applicants", "result_delivery", "legal_basis")


def check_paper_specs(papers: list[str], specs: list[dict] | None) -> list[dict]:
    """Details of the papers: each names a paper of the version, copies ≥ 1, a known kind."""
    out = []
    for spec in specs or []:
        name = str(spec.get("name", "")).strip()
        if name not in papers:
            raise InvalidInput(f"Chi tiết giấy tờ '{name}' không thuộc thành phần hồ sơ.")
        try:
            copies = int(spec.get("copies") or 1)
        except (TypeError, ValueError):
            raise InvalidInput(f"Số bản của '{name}' không hợp lệ.") from None
        if copies < 1 or copies > 20:
            raise InvalidInput(f"Số bản của '{name}' phải từ 1 đến 20.")
        kind = str(spec.get("kind") or "")
        if kind and kind not in PaperKind.values:
            raise InvalidInput(f"Loại bản của '{name}' không hợp lệ: '{kind}' (dùng {', '.join(PaperKind.values)}).")
        out.append({"name": name, "copies": copies, "kind": kind, "form": str(spec.get("form") or "").strip()[:500]})
    return out


def check_version_terms(*, amount: Decimal | int | str, time_unit: str, pause_rule: str, online_level: str,
                        rule_set: str, levels: list[str] | None = None) -> Decimal:
    """Validate what the law says about a version; returns the amount as a Decimal."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"Thời hạn không hợp lệ: '{amount}'.") from None
    if time_unit not in TimeUnit.values:
        raise InvalidInput(f"Đơn vị thời hạn không hợp lệ: '{time_unit}' (dùng {', '.join(TimeUnit.values)}).")
    if time_unit == TimeUnit.SAME_DAY:
        value = Decimal(0)
    elif value <= 0:
        raise InvalidInput("Thời hạn giải quyết phải lớn hơn 0.")
    if pause_rule not in PauseRule.values:
        raise InvalidInput(f"Quy tắc tạm dừng không hợp lệ: '{pause_rule}' (dùng pause hoặc restart).")
    if online_level not in OnlineLevel.values:
        raise InvalidInput(f"Mức trực tuyến không hợp lệ: '{online_level}' (dùng full, partial hoặc none).")
    if rule_set not in RuleSet.values:
        raise InvalidInput(f"Bộ quy định không hợp lệ: '{rule_set}'.")
    if levels is not None:
        if not levels:
            raise InvalidInput("Cần ít nhất một cấp thực hiện (province, district, commune).")
        bad = [lv for lv in levels if lv not in LEVELS]
        if bad:
            raise InvalidInput(f"Cấp thực hiện không hợp lệ: {', '.join(bad)} (dùng province, district, commune).")
    return value


def check_steps(steps: list[StepSpec]) -> None:
    if not steps:
        return
    if any(s.share < 0 for s in steps):
        raise InvalidInput("Tỷ lệ thời gian của một bước không được âm.")
    total = sum(s.share for s in steps)
    if total != 100:
        raise InvalidInput(f"Tỷ lệ thời gian các bước phải cộng lại bằng 100% (đang là {total}%).")
    if any(not s.name.strip() for s in steps):
        raise InvalidInput("Mỗi bước cần có tên.")
    bad = [s.unit for s in steps if s.unit and s.unit not in StepUnit.values]
    if bad:
        raise InvalidInput(f"Loại đơn vị của bước không hợp lệ: '{bad[0]}' (dùng {', '.join(StepUnit.values)}).")
    if any(s.unit == StepUnit.AGENCY and not s.agency_id for s in steps):
        raise InvalidInput("Bước liên thông (agency) phải ghi cơ quan thực hiện.")


DEFAULT_STEPS = [
    StepSpec("Tiếp nhận hồ sơ", 10, role="desk_clerk", unit=StepUnit.DESK),
    StepSpec("Thẩm định, xử lý", 70, role="specialist", unit=StepUnit.OFFICE),
    StepSpec("Phê duyệt, ký kết quả", 20, role="unit_leader", unit=StepUnit.LEADER),
]


@transaction.atomic
def field_ensure(*, name: str, code: str = "") -> Field:
    """The field with this code (or, without one, this name); created when missing."""
    name = name.strip()
    if not name:
        raise InvalidInput("Thiếu tên lĩnh vực.")
    code = (code or fold(name).replace(" ", "-"))[:40]
    field, created = Field.objects.get_or_create(code=code, defaults={"name": name})
    if not created and field.name != name and not code:
        field.name = name
        field.save()
    return field


def _write_version(procedure: Procedure, number: int, terms: dict, steps: list[StepSpec]) -> ProcedureVersion:
    version = ProcedureVersion.objects.create(procedure=procedure, number=number, **terms)
    WorkflowStep.objects.bulk_create([
        WorkflowStep(version=version, order=i, name=s.name, share=s.share, agency_id=s.agency_id, role=s.role,
                     unit=s.unit)
        for i, s in enumerate((s.normalized() for s in steps or DEFAULT_STEPS), start=1)
    ])
    procedure.current_version = version
    procedure.save(update_fields=["current_version", "updated_at"])
    return version


@transaction.atomic
def procedure_create(*, code: str, name: str, field: Field, levels: list[str], amount: Decimal | int | str,
                     time_unit: str = TimeUnit.WORKING_DAYS, cutoff: dt.time | None = None,
                     pause_rule: str = PauseRule.PAUSE, fee: Decimal | int = 0, fee_note: str = "",
                     papers: list[str] | None = None, result_type: str = "",
                     online_level: str = OnlineLevel.NONE, rule_set: str = RuleSet.ND61_2018,
                     valid_from: dt.date | None = None, steps: list[StepSpec] | None = None,
                     paper_specs: list[dict] | None = None, conditions: str = "", applicants: str = "",
                     result_delivery: str = "", legal_basis: str = "") -> Procedure:
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InvalidInput("Thủ tục cần có mã và tên.")
    if Procedure.objects.filter(code=code).exists():
        raise InvalidInput(f"Mã thủ tục '{code}' đã có.")
    value = check_version_terms(amount=amount, time_unit=time_unit, pause_rule=pause_rule,
                                online_level=online_level, rule_set=rule_set, levels=levels)
    check_steps(steps or [])
    specs = check_paper_specs(list(papers or []), paper_specs)
    procedure = Procedure.objects.create(code=code, name=name, field=field, levels="|".join(levels))
    _write_version(procedure, 1, {
        "amount": value, "time_unit": time_unit, "cutoff": cutoff, "pause_rule": pause_rule,
        "fee": Decimal(fee), "fee_note": fee_note, "papers": list(papers or []), "result_type": result_type,
        "online_level": online_level, "rule_set": rule_set, "valid_from": valid_from,
        "paper_specs": specs, "conditions": conditions.strip(), "applicants": applicants.strip(),
        "result_delivery": result_delivery.strip(), "legal_basis": legal_basis.strip(),
    }, steps or [])
    return procedure


def _steps_of(version: ProcedureVersion) -> list[StepSpec]:
    return [StepSpec(s.name, s.share, s.agency_id, s.role, s.unit).normalized() for s in version.steps.order_by("order")]


@transaction.atomic
def procedure_revise(*, procedure_id: int, valid_from: dt.date | None = None,
                     steps: list[StepSpec] | None = None, name: str | None = None,
                     field: Field | None = None, levels: list[str] | None = None, **terms) -> Procedure:
    """Change a procedure. A change to its terms or steps makes a new version; dossiers keep theirs."""
    procedure = Procedure.objects.select_for_update().filter(pk=procedure_id).first()
    if procedure is None:
        raise NotFound("Không tìm thấy thủ tục.")
    unknown = set(terms) - set(VERSION_FIELDS)
    if unknown:
        raise InvalidInput(f"Không sửa được: {', '.join(sorted(unknown))}.")
    if name is not None:
        procedure.name = name.strip()
    if field is not None:
        procedure.field = field
    if levels is not None:
        check_version_terms(amount=1, time_unit=TimeUnit.WORKING_DAYS, pause_rule=PauseRule.PAUSE,
                            online_level=OnlineLevel.NONE, rule_set=RuleSet.ND61_2018, levels=levels)
        procedure.levels = "|".join(levels)
    procedure.save()
    current = procedure.current_version
    if current is None:
        raise InvalidInput("Thủ tục chưa có phiên bản nào để sửa.")
    merged = {f: getattr(current, f) for f in VERSION_FIELDS}
    merged.update(terms)
    merged["amount"] = check_version_terms(amount=merged["amount"], time_unit=merged["time_unit"],
                                           pause_rule=merged["pause_rule"], online_level=merged["online_level"],
                                           rule_set=merged["rule_set"])
    merged["fee"] = Decimal(merged["fee"])
    merged["paper_specs"] = check_paper_specs(list(merged["papers"] or []),
                                              [s for s in merged["paper_specs"] or [] if s.get("name") in (merged["papers"] or [])]
                                              if "paper_specs" not in terms else merged["paper_specs"])
    for text in TEXT_FIELDS:
        merged[text] = (merged[text] or "").strip()
    new_steps = steps if steps is not None else _steps_of(current)
    check_steps(new_steps)
    same_terms = all(merged[f] == getattr(current, f) for f in VERSION_FIELDS)
    if same_terms and [s.normalized() for s in new_steps] == _steps_of(current):
        return procedure
    merged["valid_from"] = valid_from
    _write_version(procedure, current.number + 1, merged, new_steps)
    return procedure


@transaction.atomic
def procedure_offer(*, procedure_id: int, agency_id: int, active: bool = True, online: bool = True,
                    competent_agency_id: int | None = None, office_id: int | None = None) -> ProcedureOffering:
    """Say whether an agency receives dossiers for a procedure (per-agency configuration), and, when the
    tree and the field would not find them, which agency decides them and which office examines them."""
    offering, _ = ProcedureOffering.objects.update_or_create(
        procedure_id=procedure_id, agency_id=agency_id,
        defaults={"active": active, "online": online, "competent_agency_id": competent_agency_id,
                  "office_id": office_id})
    return offering
