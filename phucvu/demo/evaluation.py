"""The demo's 2026: monthly score sheets of a few units, a unit's grade, a sanction and three discipline cases
at different steps — through the discipline services (docs/discipline.md §4, docs/discipline.md §6), so every page of the
evaluation and the cases opens populated for its roles."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from tqdm import tqdm

from phucvu.core.exceptions import DomainError
from phucvu.demo.names import phone
from phucvu.discipline.models import StepKind
from phucvu.discipline.services.case_steps import case_open, case_pause, case_step
from phucvu.discipline.services.evaluation import (
    GENERAL_CRITERIA,
    score_sheet_manager_score,
    score_sheet_open,
    score_sheet_self_score,
    staff_profile_save,
    unit_grade_set,
)
from phucvu.organization.models import Role, Staff

YEAR = 2026
FINAL_MONTHS = range(1, 11)  # January–October scored; November waits for the manager; December is open
JOB_POSITIONS = {Role.DESK_CLERK: "Tiếp nhận và trả kết quả hồ sơ TTHC", Role.SPECIALIST: "Thẩm định hồ sơ TTHC",
                 Role.UNIT_LEADER: "Lãnh đạo, quản lý đơn vị"}


def _general(rng: random.Random, strength: float) -> dict[str, str]:
    """Points per criterion: near the maximum for a strong cadre."""
    return {key: str((maximum * Decimal(str(min(1.0, strength + rng.uniform(-0.1, 0.05))))).quantize(Decimal("0.5")))
            for key, _label, maximum in GENERAL_CRITERIA}


SCORED_UNITS = ("motcua.tinh", "motcua.halong", "motcua.honggai", "chuyenvien.halong", "chuyenvien.skhdt")


def _items(rng: random.Random, role: str, strength: float) -> list[dict[str, str]]:
    assigned = rng.randint(20, 40)
    done = min(assigned, round(assigned * min(1.0, strength + rng.uniform(-0.05, 0.08))))
    on_time = max(0, done - rng.randint(0, 3 if strength > 0.9 else 6))
    standard = max(0, done - rng.randint(0, 2))
    name = "Hồ sơ một cửa tiếp nhận, trả kết quả" if role == Role.DESK_CLERK else "Hồ sơ thẩm định, giải quyết"
    items = [{"name": name, "coefficient": "1", "assigned": str(assigned), "done": str(done),
              "to_standard": str(standard), "on_time": str(on_time), "failed_checks": "0",
              "delays": str(rng.randint(0, 1) if strength < 0.9 else 0)}]
    if rng.random() < 0.5:
        items.append({"name": "Báo cáo định kỳ", "coefficient": "2", "assigned": "1", "done": "1", "to_standard": "1",
                      "on_time": "1", "failed_checks": "0", "delays": "0"})
    return items


def _units() -> list[tuple[Staff, list[Staff]]]:
    """(the one who scores, the cadres scored) for the units the demo's logins work in: the three one-stop
    desks and the two specialists' offices, so that every cadre login opens their own sheets."""
    units = []
    for username in SCORED_UNITS:
        anchor = Staff.objects.select_related("agency").filter(user__username=username, active=True).first()
        if anchor is None:
            continue
        agency = anchor.agency
        people = list(Staff.objects.filter(agency=agency, active=True, category__in=("CB", "CC", "VC"))
                      .select_related("user", "agency"))
        leader = (Staff.objects.filter(agency=agency, role=Role.UNIT_LEADER, active=True).first()
                  or Staff.objects.filter(agency_id=agency.parent_id, role=Role.UNIT_LEADER, active=True).first())
        units.append((leader, people))
    return units


def build_evaluation(rng: random.Random, *, quiet: bool = False) -> dict[str, int]:
    """Score sheets of 2026 for five units, a unit's grade and the cases; returns the counts."""
    hr = Staff.objects.filter(user__username="noivu.tinh").first()
    counts = {"sheets": 0, "cases": 0}
    if hr is None:
        return counts
    with transaction.atomic():
        for leader, people in _units():
            for staff in tqdm(people, desc="Phiếu chấm điểm 2026", unit="người", disable=quiet):
                _profile(staff, rng)
                strength = rng.choice([0.97, 0.95, 0.9, 0.85, 0.8, 0.75])
                scorer = hr if leader is None or leader.pk == staff.pk else leader
                for month in FINAL_MONTHS:
                    _sheet(staff, scorer, month, strength, rng, finish=True)
                    counts["sheets"] += 1
                if staff.user.username != "motcua.honggai":  # one late sheet: Nguyễn Thị Lan has not sent hers
                    _sheet(staff, scorer, 11, strength, rng, finish=False)
                else:
                    score_sheet_open(actor=None, staff=staff, year=YEAR, kind="month", number=11)
        center = Staff.objects.select_related("agency").filter(user__username="motcua.tinh").first()
        if center is not None:  # the provincial centre was graded excellent: its quota is 25 %
            unit_grade_set(actor=None, agency=center.agency, year=YEAR, grade="excellent",
                           decided_on=dt.date(2026, 12, 1))
        counts["cases"] = _cases(hr, rng)
    return counts


def _profile(staff: Staff, rng: random.Random) -> None:
    staff_profile_save(staff, JOB_POSITIONS.get(staff.role, "Chuyên viên"), phone(rng))


def _sheet(staff: Staff, scorer: Staff, month: int, strength: float, rng: random.Random, *, finish: bool) -> None:
    sheet = score_sheet_open(actor=None, staff=staff, year=YEAR, kind="month", number=month)
    score_sheet_self_score(actor=staff, sheet_id=sheet.pk, items=_general(rng, strength),
                           result_items=_items(rng, staff.role, strength))
    if finish:
        score_sheet_manager_score(actor=scorer, sheet_id=sheet.pk, items=_general(rng, strength - 0.02))


def _cases(hr: Staff, rng: random.Random) -> int:
    """A decided case from an inspection conclusion, one at the council and one just opened."""
    maker = Staff.objects.filter(user__username="lanhdao.tinh").first()
    council = list(Staff.objects.filter(role__in=(Role.INSPECTOR, Role.SPECIALIST), agency__code__startswith="P22-",
                                        active=True).exclude(user__username="motcua.tinh").order_by("pk")[:3])
    made = 0
    candidates = []
    for username in ("motcua.tinh", "motcua.halong", "motcua.honggai"):
        anchor = Staff.objects.filter(user__username=username, active=True).first()
        if anchor is not None:
            others = list(Staff.objects.filter(agency=anchor.agency, role=Role.DESK_CLERK, active=True)
                          .exclude(pk=anchor.pk).order_by("pk")[:1])
            candidates.append(others[0] if others else None)
    plans = [
        # (form, ended, discovered, straight through, how far)
        ("khien_trach", dt.date(2026, 3, 20), dt.date(2026, 4, 6), True, "decided"),
        ("canh_cao", dt.date(2026, 8, 14), dt.date(2026, 9, 7), False, "council"),
        ("khien_trach", dt.date(2026, 11, 2), dt.date(2026, 11, 23), False, "opened"),
    ]
    for person, (form, ended, discovered, straight, stage) in zip(candidates, plans):
        if person is None:
            continue
        try:
            case = case_open(actor=hr, staff=person, proposed_form=form, violation_ended=ended, discovered=discovered,
                             straight_through=straight, decision_maker=maker,
                             source="Kết luận kiểm tra công vụ số 45/KL-SNV" if straight else
                             "Phản ánh của công dân qua đường dây nóng")
            made += 1
            if stage == "decided":
                case_step(actor=hr, case_id=case.pk, kind=StepKind.RECOMMENDATION, on=dt.date(2026, 4, 9))
                case_step(actor=hr, case_id=case.pk, kind=StepKind.DECISION, on=dt.date(2026, 4, 14),
                          decision_number="112/QĐ-UBND", effective_from=dt.date(2026, 4, 15),
                          note="Nhiều lần yêu cầu bổ sung hồ sơ không đúng quy định")
            elif stage == "council" and len(council) == 3:
                case_pause(actor=hr, case_id=case.pk, first=dt.date(2026, 9, 14), last=dt.date(2026, 9, 25),
                           reason="Điều trị nội trú (ốm nặng)")
                case_step(actor=hr, case_id=case.pk, kind=StepKind.REVIEW_MEETING, on=dt.date(2026, 10, 1),
                          note="Biên bản họp kiểm điểm")
                case_step(actor=hr, case_id=case.pk, kind=StepKind.COUNCIL_FORMED, on=dt.date(2026, 10, 8),
                          council=council)
                case_step(actor=hr, case_id=case.pk, kind=StepKind.SUMMONS, on=dt.date(2026, 10, 9))
        except DomainError:
            continue
    return made
