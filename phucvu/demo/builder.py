"""The demo province, built and replayed through the project's own services.

Phases (each with a progress bar): the 2017 agency tree from the shipped CSV, cadres with generated
Vietnamese names, the procedure catalogue from the shipped CSV, the replay of 1/1–31/7/2017 (every
dossier received, forwarded, approved, resolved and returned by the same service functions a clerk's
click calls, with `at=` the simulated moment), then the inspections and discipline records of the period.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from tqdm import tqdm

from phucvu.demo.names import full_name, id_number, phone
from phucvu.notifications.events import announce_history
from phucvu.organization.models import Agency, Category, Staff
from phucvu.organization.services import agency_create, agency_succeed, staff_create

PROFILES = ["quangninh-2017", "quangninh-2025"]
# quangninh-2025 is built from the same 2017 province (then reformed): it reads the 2017 data files.
DATA_OF = {"quangninh-2017": "quangninh-2017", "quangninh-2025": "quangninh-2017"}
DEMO_PASSWORD = "phucvu2017"
DATA = Path(__file__).parent / "data"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD_FROM = dt.date(2017, 1, 1)
PERIOD_TO = dt.date(2017, 7, 31)
# The replay stops here: what is planned later stays open, as it was on that evening.
END = dt.datetime(2017, 7, 31, 17, 0, tzinfo=TZ)

# The seed (docs/domain.md §16): dossiers received in the first seven months of 2017, per level.
SEED_VOLUMES = {"province": 30_783, "district": 159_000, "commune": 295_807}
# The seed's inspection counts over six months, by organizing agency code.
SEED_INSPECTIONS = {"P22-HQ": 20, "P22-PCCC": 40, "P22-VKS": 31, "P22-SGDDT": 25, "P22-SGTVT": 36,
                    ("P22-BTG", "P22-SNV", "P22-SVHTT"): 56}

ADMIN_LOGIN = "quantri"
DEMO_LOGINS = [
    # username, full name, agency code, role, position
    ("motcua.tinh", "Trần Thị Thu Hà", "P22-TTHCC", "desk_clerk", "Công chức tiếp nhận"),
    ("chuyenvien.skhdt", "Lê Văn Minh", "P22-SKHDT", "specialist", "Chuyên viên Phòng Đăng ký kinh doanh"),
    ("lanhdao.skhdt", "Nguyễn Quốc Bảo", "P22-SKHDT", "unit_leader", "Phó Giám đốc Sở"),
    ("motcua.halong", "Vũ Thị Hồng Nhung", "D193-TTHCC", "desk_clerk", "Công chức tiếp nhận"),
    ("lanhdao.halong", "Phạm Quốc Hùng", "D193", "unit_leader", "Phó Chủ tịch UBND thành phố"),
    ("motcua.honggai", "Nguyễn Thị Lan", "W06691-MC", "desk_clerk", "Công chức Văn phòng - Thống kê"),
    ("lanhdao.honggai", "Đỗ Văn Thành", "W06691", "unit_leader", "Chủ tịch UBND phường"),
    ("thanhtra.tinh", "Vũ Đức Thắng", "P22-TTT", "inspector", "Thanh tra viên chính"),
    ("noivu.tinh", "Hoàng Thị Mai", "P22-SNV", "hr_officer", "Chuyên viên tổ chức cán bộ"),
    ("lanhdao.tinh", "Đặng Văn Hải", "P22", "unit_leader", "Phó Chủ tịch UBND tỉnh"),
    ("quantri", "Đỗ Mạnh Cường", "P22", "system_admin", "Quản trị hệ thống"),
]

# Province procedures: the department that examines and signs, by field.
FIELD_DEPARTMENT = {
    "Thành lập và hoạt động doanh nghiệp": "SKHDT", "Đầu tư tại Việt Nam": "SKHDT", "Đường bộ": "SGTVT",
    "Hoạt động xây dựng": "SXD", "Lý lịch tư pháp": "STP", "Công chứng": "STP", "Việc làm": "SLDTBXH",
    "Khám bệnh, chữa bệnh": "SYT", "Dược phẩm": "SYT", "An toàn thực phẩm": "SYT", "Đất đai": "STNMT",
    "Tài nguyên nước": "STNMT", "Môi trường": "STNMT", "Lữ hành": "SDL", "Du lịch": "SDL",
    "Nghệ thuật biểu diễn": "SVHTT", "Quảng cáo": "SVHTT", "Giáo dục và Đào tạo": "SGDDT",
    "Văn bằng, chứng chỉ": "SGDDT", "Lưu thông hàng hóa trong nước": "SCT", "Kinh doanh khí, xăng dầu": "SCT",
    "Vật liệu nổ công nghiệp": "SCT", "In, phát hành": "STTTT", "Báo chí": "STTTT", "Thú y": "SNNPTNT",
    "Quản lý chất lượng nông lâm thủy sản": "SNNPTNT", "Tổ chức phi chính phủ": "SNV",
    "Công chức, viên chức": "SNV",
}
# District procedures: the district office (phòng) the center forwards to, by field.
FIELD_OFFICE = {
    "Đất đai": "TNMT", "Đăng ký biện pháp bảo đảm": "TNMT", "Hoạt động xây dựng": "QLDT",
    "Hộ tịch": "TP", "Chứng thực": "TP", "Thành lập và hoạt động của hộ kinh doanh": "TCKH",
    "Thành lập và hoạt động của hợp tác xã": "TCKH", "Lưu thông hàng hóa trong nước": "TCKH",
    "Bảo trợ xã hội": "LDTBXH", "Giáo dục và Đào tạo": "GDDT", "Văn hóa": "VHTT", "Tổ chức phi chính phủ": "NV",
}
# District-level localities: share of the district-level volume (population and business activity).
DISTRICT_WEIGHT = {"D193": 24, "D195": 14, "D194": 10, "D196": 9, "D205": 10, "D206": 9, "D203": 5, "D204": 4,
                   "D199": 4, "D201": 4, "D200": 3, "D198": 2, "D202": 2, "D207": 1}
# Share of dossiers that came online, per level, in 2017 (level 3–4 online services were young).
ONLINE_SHARE = {"province": 0.12, "district": 0.05, "commune": 0.02}
P_LATE = 0.003  # resolved after the appointment (plus the few the calendar makes late): just above 99%
P_APOLOGY = 0.6  # of the late ones, an apology went out in time
P_SUPPLEMENT = 0.04
P_WITHDRAW = 0.003
P_STOP = 0.001
P_POSTAL = 0.02
# Satisfaction (docs/domain.md §13): a third of citizens rate at the counter's device, the kiosk or online when
# they take their result; most are very satisfied or satisfied, a late dossier makes discontent likelier.
P_VOTE = 0.35
VOTE_LEVELS = (["very_satisfied", "satisfied", "not_satisfied"], [62, 36, 2])
VOTE_LEVELS_LATE = (["very_satisfied", "satisfied", "not_satisfied"], [15, 45, 40])
VOTE_CHANNELS = (["counter", "kiosk", "online"], [55, 30, 15])
P_VOTE_ON_CLERK = 0.3


@dataclass
class Cast:
    """Who does what where: staff by agency and role, agencies by code."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    by_role: dict[tuple[int, str], list[Staff]] = field(default_factory=lambda: defaultdict(list))


def is_built() -> bool:
    return Agency.objects.exists()


def _read(name: str, profile: str) -> list[dict]:
    with (DATA / DATA_OF[profile] / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------------------------------------------
# Phase 1: the agency tree


def build_agencies(profile: str, *, quiet: bool = False) -> dict[str, Agency]:
    rows = _read("agencies.csv", profile)
    made: dict[str, Agency] = {}
    with transaction.atomic():
        for row in tqdm(rows, desc="Cơ quan, đơn vị", unit="đv", disable=quiet):
            made[row["code"]] = agency_create(
                code=row["code"], name=row["name"], kind=row["kind"], parent=made.get(row["parent"]),
                electronic_id=row["electronic_id"], unit_code=row["unit_code"], address=row["address"],
                valid_from=dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
                valid_to=dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None)
        # Resolution 837/NQ-UBTVQH14: Hoành Bồ merged into Hạ Long on 1/1/2020.
        agency_succeed(predecessors=[made["D204"]], successor=made["D193"], effective=dt.date(2020, 1, 1),
                       legal_basis="Nghị quyết 837/NQ-UBTVQH14 ngày 17/12/2019")
    return made


# ---------------------------------------------------------------------------------------------------
# Phase 2: cadres


def _staff_plan(agencies: dict[str, Agency]) -> list[tuple[Agency, str, str, str]]:
    """(agency, role, position, category) for every generated cadre."""
    plan = []
    for code, agency in agencies.items():
        if agency.kind == "desk":
            plan += [(agency, "desk_clerk", "Công chức Bộ phận Một cửa", Category.CC)] * 2
        elif agency.kind == "commune":
            plan += [(agency, "specialist", "Công chức Tư pháp - Hộ tịch", Category.CC),
                     (agency, "specialist", "Công chức Địa chính - Xây dựng", Category.CC),
                     (agency, "unit_leader", "Chủ tịch UBND", Category.CB)]
        elif agency.kind == "center":
            clerks = 10 if code == "P22-TTHCC" else 4
            plan += [(agency, "desk_clerk", "Công chức tiếp nhận và trả kết quả", Category.CC)] * clerks
            plan += [(agency, "unit_leader", "Giám đốc Trung tâm", Category.CC)]
        elif agency.kind == "district":
            plan += [(agency, "unit_leader", "Phó Chủ tịch UBND", Category.CB),
                     (agency, "hr_officer", "Chuyên viên Phòng Nội vụ", Category.CC)]
        elif agency.kind == "department" and agency.level == "district":
            role = "inspector" if code.endswith("-TTr") else "specialist"
            plan += [(agency, role, "Chuyên viên", Category.CC)] * 2
            plan += [(agency, "unit_leader", "Trưởng phòng", Category.CC)]
        elif agency.kind in ("department", "vertical", "other") and agency.level == "province":
            if code.startswith("P22-HQ-"):
                continue
            plan += [(agency, "specialist", "Chuyên viên", Category.CC)] * 2
            plan += [(agency, "unit_leader", "Phó Giám đốc", Category.CC),
                     (agency, "inspector", "Thanh tra viên", Category.CC)]
            if code == "P22-TTT":
                plan += [(agency, "inspector", "Thanh tra viên chính", Category.CC)] * 4
        elif agency.kind == "province":
            plan += [(agency, "unit_leader", "Phó Chủ tịch UBND tỉnh", Category.CB)]
    return plan


def build_staff(agencies: dict[str, Agency], rng: random.Random, *, quiet: bool = False) -> Cast:
    cast = Cast(agencies=agencies)
    plan = _staff_plan(agencies)
    # One real password hash for every demo login, computed once: hashing a thousand passwords with the
    # production hasher would take minutes.
    hashed = make_password(DEMO_PASSWORD)
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with transaction.atomic(), override_settings(PASSWORD_HASHERS=fast):
        for username, name, code, role, position in DEMO_LOGINS:
            staff_create(username=username, password=DEMO_PASSWORD, full_name=name, agency=agencies[code],
                         role=role, position=position,
                         category=Category.CB if code in ("P22", "D193", "W06691") else Category.CC)
        for n, (agency, role, position, category) in enumerate(tqdm(plan, desc="Cán bộ", unit="người",
                                                                     disable=quiet), start=1):
            staff_create(username=f"cb{n:05d}", password=DEMO_PASSWORD, full_name=full_name(rng), agency=agency,
                         role=role, position=position, category=category)
        get_user_model().objects.update(password=hashed)
    for staff in Staff.objects.select_related("user", "agency", "agency__parent", "scope"):
        cast.by_role[(staff.agency_id, staff.role)].append(staff)
    return cast


# ---------------------------------------------------------------------------------------------------
# Phase 3: the catalogue


def _steps_for(row: dict, agencies: dict[str, Agency]):
    from phucvu.catalog.services import StepSpec

    parts = [p.rsplit(":", 1) for p in row["steps"].split("|")]
    department = FIELD_DEPARTMENT.get(row["field"]) if row["levels"] == "province" else None
    steps = []
    for i, (name, share) in enumerate(parts):
        first, last = i == 0, i == len(parts) - 1
        role = "desk_clerk" if first else ("unit_leader" if last else "specialist")
        agency_id = None
        if department and not first:
            # Inter-connected at province level: the department examines; the provincial office and the
            # provincial PC sign what only they may sign.
            if "Văn phòng UBND tỉnh" in name:
                agency_id = agencies["P22-VP"].pk
            elif "UBND tỉnh" in name:
                agency_id = agencies["P22"].pk
            else:
                agency_id = agencies[f"P22-{department}"].pk
        steps.append(StepSpec(name=name, share=int(share), agency_id=agency_id, role=role))
    return steps


def build_procedures(profile: str, agencies: dict[str, Agency], *, quiet: bool = False) -> dict[str, float]:
    """Create the catalogue; returns each procedure code's share of its level's volume."""
    from phucvu.catalog.services import field_ensure, procedure_create

    rows = _read("procedures.csv", profile)
    weights = {r["code"]: float(r["weight"]) for r in _read("procedure_mix.csv", profile)}
    with transaction.atomic():
        for row in tqdm(rows, desc="Thủ tục hành chính", unit="tt", disable=quiet):
            procedure_create(
                code=row["code"], name=row["name"], field=field_ensure(name=row["field"]),
                levels=row["levels"].split("|"), amount=row["time"], time_unit=row["time_unit"],
                cutoff=dt.time.fromisoformat(row["cutoff"]) if row["cutoff"] else None,
                pause_rule=row["pause_rule"], fee=int(row["fee"] or 0), online_level=row["online_level"],
                papers=[p for p in row["papers"].split("|") if p], steps=_steps_for(row, agencies),
                valid_from=dt.date(2017, 1, 1))
    return weights


# ---------------------------------------------------------------------------------------------------
# Phase 4: the replay


@dataclass
class ReplayStats:
    dossiers: int = 0
    transitions: int = 0
    refused_online: int = 0
    votes: int = 0
    failures: list[str] = field(default_factory=list)
    by_level: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def day_weights(days: list[dt.date], tet: dt.date = dt.date(2017, 1, 28)) -> list[float]:
    """Daily shape: Mondays busier, month-end peaks, a rush before Tết and a dip after it."""
    last_of_month: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for d in days:
        last_of_month[(d.year, d.month)].append(d)
    month_end = {d for ds in last_of_month.values() for d in ds[-4:]}
    weights = []
    for d in days:
        w = {0: 1.15, 4: 0.92}.get(d.weekday(), 1.0)
        if d in month_end:
            w *= 1.3
        gap = (d - tet).days
        if -6 <= gap < 0:
            w *= 1.35  # papers wanted before the holiday
        elif 0 < gap <= 10:
            w *= 0.55  # the first days back: offices open, citizens still celebrating
        elif 10 < gap <= 20:
            w *= 0.85
        weights.append(w)
    return weights


def receiving_points(cast: Cast, rng: random.Random) -> dict[str, tuple[list[Agency], list[float]]]:
    """Where each level's dossiers are received, with each place's share."""
    agencies = cast.agencies
    points: dict[str, tuple[list[Agency], list[float]]] = {"province": ([agencies["P22-TTHCC"]], [1.0])}
    centers = [(agencies[f"{d}-TTHCC"], w) for d, w in DISTRICT_WEIGHT.items()]
    points["district"] = ([a for a, _ in centers], [w for _, w in centers])
    desks, weights = [], []
    communes_of: dict[int, list[Agency]] = defaultdict(list)
    for a in agencies.values():
        if a.kind == "desk" and a.level == "commune":
            communes_of[a.parent.parent_id].append(a)
    for code, w in DISTRICT_WEIGHT.items():
        mine = communes_of[agencies[code].pk]
        for desk in mine:
            desks.append(desk)
            weights.append(w / len(mine) * rng.lognormvariate(0, 0.35))
    points["commune"] = (desks, weights)
    return points


def procedure_mix(weights: dict[str, float]) -> dict[str, tuple[list, list[float]]]:
    from phucvu.catalog.models import Procedure

    mix: dict[str, tuple[list, list[float]]] = {}
    procedures = list(Procedure.objects.select_related("current_version", "field"))
    for level in SEED_VOLUMES:
        chosen = [p for p in procedures if level in p.level_list]
        mix[level] = (chosen, [weights.get(p.code, 1.0) for p in chosen])
    return mix


class Replayer:
    """Plays one dossier's life through the services, at simulated moments, up to END."""

    def __init__(self, cast: Cast, rng: random.Random, stats: ReplayStats, *, end: dt.datetime = END,
                 online_share: dict[str, float] | None = None) -> None:
        from phucvu.dossiers.clock import calendar_for

        self.cast, self.rng, self.stats, self.end = cast, rng, stats, end
        self.online_share = online_share or ONLINE_SHARE
        self.by_id = {a.pk: a for a in cast.agencies.values()}
        self.cal = calendar_for(None)

    def staff(self, agency_id: int, role: str) -> Staff:
        pool = self.cast.by_role.get((agency_id, role)) or self.cast.by_role.get((agency_id, "unit_leader"))
        return self.rng.choice(pool)

    def arrival(self, day: dt.date) -> dt.datetime:
        """A moment in office hours: mornings busier than afternoons."""
        rng = self.rng
        if rng.random() < 0.6:
            minutes = 7 * 60 + 10 + int(rng.triangular(0, 245, 90))
        else:
            minutes = 13 * 60 + 30 + int(rng.triangular(0, 205, 60))
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), TZ)

    def run(self, level: str, desk: Agency, procedure, day: dt.date) -> None:
        from phucvu.core.exceptions import DomainError
        from phucvu.dossiers import services as sv

        rng, cal = self.rng, self.cal
        clerk = self.staff(desk.pk, "desk_clerk")
        version = procedure.current_version
        online = version.online_level != "none" and rng.random() < self.online_share[level]
        arrived = self.arrival(day)
        applicant = {"applicant_name": full_name(rng), "applicant_id_number": id_number(rng),
                     "applicant_phone": phone(rng)}
        try:
            if online:
                submitted = arrived - dt.timedelta(hours=rng.choice([0, 0, 2, 14]))
                d = sv.dossier_submit_online(agency_id=desk.pk, procedure_id=procedure.pk, at=submitted,
                                             papers=list(version.papers), **applicant)
                accept_at = cal.add_working_minutes(max(submitted, arrived), rng.randint(5, 90))
                if accept_at > self.end:
                    return
                if rng.random() < 0.015:
                    sv.dossier_refuse(actor=clerk, dossier_id=d.pk, version=d.version, at=accept_at,
                                      reason="Thành phần hồ sơ không đúng quy định")
                    self.stats.refused_online += 1
                    return
                d = sv.dossier_accept(actor=clerk, dossier_id=d.pk, version=d.version, at=accept_at)
                self.stats.transitions += 2
            else:
                channel = "postal" if level != "commune" and rng.random() < P_POSTAL else "counter"
                d = sv.dossier_receive(actor=clerk, agency_id=desk.pk, procedure_id=procedure.pk, channel=channel,
                                       papers=list(version.papers), at=arrived, **applicant)
                self.stats.transitions += 1
            self.stats.dossiers += 1
            self.stats.by_level[level] += 1
            self.process(d, level, desk, clerk, procedure)
        except DomainError as exc:
            if len(self.stats.failures) < 20:
                self.stats.failures.append(f"{procedure.code} @ {desk.code} {day}: {exc.message}")

    def process(self, d, level: str, desk: Agency, clerk: Staff, procedure) -> None:
        from phucvu.dossiers import services as sv
        from phucvu.dossiers.models import DossierStep

        rng, cal = self.rng, self.cal
        steps = list(DossierStep.objects.filter(dossier=d).order_by("order").values_list("agency_id", "role"))
        n = len(steps)
        total = max(d.legal_minutes, 30)
        late = rng.random() < P_LATE
        a_res = total + rng.randint(30, 960) if late else max(8.0, total * min(0.97, rng.betavariate(2.2, 3)))
        a_first = min(a_res * 0.15, 30.0)
        marks = [a_first + (a_res - a_first) * k / max(n - 1, 1) * 0.9 for k in range(n - 1)]
        pause = {"at": None, "minutes": 0}

        def moment(a: float) -> dt.datetime:
            shift = pause["minutes"] if pause["at"] is not None and a > pause["at"] else 0
            return cal.add_working_minutes(d.start_at, int(a) + shift)

        def step(call, **kw):
            nonlocal d
            at = kw.pop("at")
            if at > self.end:
                raise _Unfinished
            d = call(dossier_id=d.pk, version=d.version, at=at, **kw)
            self.stats.transitions += 1

        try:
            holder = clerk
            withdraw = rng.random() < P_WITHDRAW
            stop = not withdraw and rng.random() < P_STOP
            supplement = n >= 3 and not late and version_is_long(d) and rng.random() < P_SUPPLEMENT
            for k, a in enumerate(marks, start=1):
                agency_id, role = steps[k]
                if level == "district":
                    office = FIELD_OFFICE.get(procedure.field.name, "TCKH")
                    district = desk.parent
                    agency_id = district.pk if k == n - 1 else self.cast.agencies[f"{district.code}-{office}"].pk
                nxt = self.staff(agency_id, role or "specialist")
                step(sv.dossier_forward, actor=holder, at=moment(a), to_agency_id=agency_id, assignee_id=nxt.pk)
                holder = nxt
                if k == 1 and (withdraw or stop):
                    at = moment(a + 5)
                    if withdraw:
                        step(sv.dossier_withdraw, actor=clerk, at=at, reason="Công dân xin rút hồ sơ")
                    else:
                        # Stopping is a leader's decision (the table of who may act).
                        step(sv.dossier_stop, actor=self.staff(agency_id, "unit_leader"), at=at,
                             reason="Dự án tạm dừng theo đề nghị của chủ đầu tư")
                    return
                if k == 1 and supplement:
                    a_sup = a + (a_res - a) * 0.3
                    asked = moment(a_sup)
                    step(sv.dossier_request_supplement, actor=holder, at=asked,
                         missing=["Bản sao giấy tờ chứng minh còn thiếu"])
                    pause["minutes"] = rng.randint(120, 2400)
                    pause["at"] = a_sup
                    step(sv.dossier_resume, actor=clerk, at=cal.add_working_minutes(asked, pause["minutes"]),
                         papers=["Giấy tờ bổ sung"])
            if late and rng.random() < P_APOLOGY and total > 120:
                a_apo = max(marks[-1] + 1 if marks else 1, total - 60)
                if a_apo < total:
                    step(sv.dossier_apologize, actor=holder, at=moment(a_apo),
                         new_due_at=cal.add_working_minutes(d.due_at, 960),
                         reason="Hồ sơ cần xác minh thêm tại thực địa")
            if any(role == "unit_leader" for _, role in steps):  # the leader signs first
                step(sv.dossier_approve, actor=holder, at=moment(a_res - 0.5))
            step(sv.dossier_resolve, actor=holder, at=moment(a_res), result="granted")
            wait = rng.randint(1, 60) if d.legal_minutes <= 480 else rng.randint(30, 1440)
            step(sv.dossier_return_result, actor=clerk, at=cal.add_working_minutes(d.resolved_at, wait))
            if rng.random() < P_VOTE:
                self.vote(d, late)
        except _Unfinished:
            pass

    def vote(self, d, late: bool) -> None:
        """The citizen rates the service when taking the result, through the portal's own service."""
        from phucvu.portal.services import satisfaction_vote_cast

        rng = self.rng
        at = d.returned_at + dt.timedelta(minutes=rng.randint(1, 20))
        if at > self.end:
            return
        levels, weights = VOTE_LEVELS_LATE if late else VOTE_LEVELS
        level = rng.choices(levels, weights)[0]
        on_clerk = rng.random() < P_VOTE_ON_CLERK
        satisfaction_vote_cast(
            dossier_id=d.pk, level=level, at=at, channel=rng.choices(*VOTE_CHANNELS)[0],
            clerk_level=(level if rng.random() < 0.8 else rng.choices(*VOTE_LEVELS)[0]) if on_clerk else "",
            comment=rng.choice(VOTE_COMMENTS[level]) if rng.random() < 0.1 else "")
        self.stats.votes += 1


VOTE_COMMENTS = {
    "very_satisfied": ["Cán bộ hướng dẫn tận tình, trả kết quả trước hẹn.", "Thủ tục nhanh gọn, rất hài lòng."],
    "satisfied": ["Đúng hẹn, thái độ phục vụ tốt.", "Chờ hơi lâu ở quầy nhưng giải quyết đúng hẹn."],
    "not_satisfied": ["Trả kết quả chậm so với giấy hẹn.", "Phải đi lại nhiều lần mới đủ giấy tờ."],
}


class _Unfinished(Exception):
    """The next move falls after the end of the replay: the dossier stays as it was that evening."""


def version_is_long(d) -> bool:
    return d.legal_minutes >= 480 * 3


def replay(cast: Cast, weights: dict[str, float], *, scale: float, rng: random.Random, quiet: bool = False,
           period: tuple[dt.date, dt.date] = (PERIOD_FROM, PERIOD_TO), end: dt.datetime = END,
           volumes: dict[str, float] | None = None, points: dict | None = None, mix: dict | None = None,
           online_share: dict[str, float] | None = None) -> ReplayStats:
    """Play the dossiers of `period` (the seed's volumes × scale unless `volumes` is given) up to `end`."""
    stats = ReplayStats()
    player = Replayer(cast, rng, stats, end=end, online_share=online_share)
    first, last = period
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    days = [d for d in days if player.cal.is_working_day(d)]
    shape = day_weights(days, tet=TET.get(first.year, dt.date(first.year, 1, 28)))
    points = points or receiving_points(cast, rng)
    mix = mix or procedure_mix(weights)
    plan: dict[dt.date, list[tuple[str, Agency, object]]] = defaultdict(list)
    for level, seed_count in (volumes or SEED_VOLUMES).items():
        count = round(seed_count * scale)
        places, place_w = points[level]
        procs, proc_w = mix[level]
        for day, place, proc in zip(rng.choices(days, shape, k=count), rng.choices(places, place_w, k=count),
                                    rng.choices(procs, proc_w, k=count)):
            plan[day].append((level, place, proc))
    bar = tqdm(total=sum(len(v) for v in plan.values()), desc=f"Phát lại {first:%d/%m}–{last:%d/%m/%Y}",
               unit="hs", disable=quiet)
    for day in days:
        todays = plan.get(day, [])
        todays.sort(key=lambda t: t[1].pk)
        # One transaction per simulated day: each service call is a savepoint inside it.
        with transaction.atomic():
            for level, place, proc in todays:
                player.run(level, place, proc, day)
        bar.update(len(todays))
    bar.close()
    return stats


# Lunar new year's day: the daily shape's rush before it and dip after it.
TET = {2017: dt.date(2017, 1, 28), 2025: dt.date(2025, 1, 29)}


# ---------------------------------------------------------------------------------------------------
# Phase 5: inspections and discipline


INSPECTION_TOPICS = {
    "P22-HQ": ("Kiểm tra việc thực hiện thủ tục hải quan điện tử và kiểm tra sau thông quan", "P22-HQ-"),
    "P22-PCCC": ("Kiểm tra an toàn phòng cháy, chữa cháy tại trụ sở và nơi tiếp công dân", "district"),
    "P22-VKS": ("Kiểm sát việc giải quyết khiếu nại, tố cáo và thi hành án hành chính", "district"),
    "P22-SGDDT": ("Kiểm tra việc thực hiện thủ tục hành chính lĩnh vực giáo dục", "-GDDT"),
    "P22-SGTVT": ("Kiểm tra công tác cấp, đổi giấy phép lái xe và quản lý vận tải", "-QLDT"),
    "P22-BTG": ("Kiểm tra việc thực hiện Chỉ thị của Tỉnh ủy về cải cách hành chính, văn hóa công sở", "commune"),
    "P22-SNV": ("Kiểm tra công vụ: kỷ luật, kỷ cương hành chính tại Bộ phận Một cửa", "commune"),
    "P22-SVHTT": ("Kiểm tra thực hiện nếp sống văn minh, văn hóa công sở", "district"),
}


def _targets(agencies: dict[str, Agency], kind: str) -> list[Agency]:
    if kind == "district":
        return [a for a in agencies.values() if a.kind == "district"]
    if kind == "commune":
        return [a for a in agencies.values() if a.kind == "commune"]
    return [a for c, a in agencies.items() if (c.startswith(kind) if kind.startswith("P22") else c.endswith(kind))]


def build_inspections(cast: Cast, rng: random.Random, *, quiet: bool = False) -> int:
    """The inspections the seed counts, spread over the first six months of 2017, at full count."""
    from phucvu.inspections.services import inspection_conclude, inspection_open

    agencies = cast.agencies
    jobs: list[tuple[str, int]] = []
    for key, count in SEED_INSPECTIONS.items():
        if isinstance(key, tuple):  # one figure for three organizers together
            shares = [22, 20, 14]
            jobs += [(k, n) for k, n in zip(key, shares)]
        else:
            jobs.append((key, count))
    made = 0
    days = [dt.date(2017, 1, 3) + dt.timedelta(n) for n in range(178)]
    days = [d for d in days if d.weekday() < 5]
    with transaction.atomic():
        for organizer_code, count in tqdm(jobs, desc="Thanh tra, kiểm tra", unit="đv", disable=quiet):
            organizer = agencies[organizer_code]
            topic, target_kind = INSPECTION_TOPICS[organizer_code]
            targets = _targets(agencies, target_kind)
            team = cast.by_role[(organizer.pk, "inspector")] + cast.by_role[(organizer.pk, "specialist")]
            for n in range(1, count + 1):
                started = sorted(rng.sample(days, 1))[0]
                kind = rng.choices(["scheduled", "surprise", "cross"], [70, 20, 10])[0]
                inspection = inspection_open(
                    actor=None, code=f"{organizer_code.removeprefix('P22-')}-2017-{n:03d}", organizer=organizer,
                    target=rng.choice(targets), topic=topic, kind=kind,
                    reason="periodic" if kind == "scheduled" else rng.choice(["risk", "complaint"]),
                    decision_number=f"{rng.randint(10, 990)}/QĐ-{organizer_code.removeprefix('P22-')}",
                    started_on=started, head=team[0], members=team[1:3],
                    at=dt.datetime.combine(started, dt.time(8, 0), TZ))
                ended = started + dt.timedelta(days=rng.randint(1, 12))
                if ended <= PERIOD_TO:
                    inspection_conclude(
                        actor=None, inspection_id=inspection.pk, ended_on=ended,
                        conclusion="Đơn vị chấp hành cơ bản tốt các quy định; một số tồn tại cần khắc phục.",
                        findings=[{"text": "Niêm yết công khai thủ tục hành chính chưa cập nhật đầy đủ",
                                   "is_violation": False}],
                        recommendations=[{"text": "Cập nhật niêm yết thủ tục hành chính tại Bộ phận Một cửa",
                                          "owner": inspection.target, "due_on": ended + dt.timedelta(days=30)}],
                        at=dt.datetime.combine(ended, dt.time(16, 0), TZ))
                made += 1
    return made


FEEDBACK_ABOUT_DOSSIER = [
    ("Hồ sơ trả kết quả chậm so với giấy hẹn",
     "Tôi nộp hồ sơ và được hẹn trả kết quả nhưng đến ngày hẹn vẫn chưa nhận được, đề nghị kiểm tra."),
    ("Đề nghị hướng dẫn rõ thành phần hồ sơ",
     "Khi nộp hồ sơ tôi phải bổ sung giấy tờ, đề nghị niêm yết đầy đủ thành phần hồ sơ để người dân biết."),
    ("Khen cán bộ tiếp nhận",
     "Cán bộ tiếp nhận hướng dẫn tận tình, giải quyết hồ sơ trước hẹn. Tôi xin gửi lời cảm ơn."),
]
FEEDBACK_ABOUT_AGENCY = [
    ("Kiến nghị bố trí thêm quầy tiếp nhận",
     "Buổi sáng đầu tuần rất đông người chờ, đề nghị bố trí thêm quầy và máy lấy số thứ tự."),
    ("Phản ánh về phí, lệ phí niêm yết",
     "Mức lệ phí niêm yết tại quầy khác với mức thu thực tế, đề nghị cơ quan kiểm tra và trả lời."),
]
ANSWERS = ["Cơ quan đã kiểm tra, tiếp thu ý kiến và chấn chỉnh; xin cảm ơn ông/bà đã phản ánh.",
           "Hồ sơ đã được giải quyết và trả kết quả; cơ quan đã nhắc nhở bộ phận liên quan.",
           "Cơ quan đã cập nhật niêm yết công khai thủ tục tại Bộ phận Một cửa theo kiến nghị."]
P_FEEDBACK_ANSWERED = 0.75


def build_feedback(cast: Cast, rng: random.Random, *, count: int, until: dt.datetime = END,
                   quiet: bool = False) -> int:
    """A few citizen feedback items (phản ánh, kiến nghị) through the portal's services; most answered."""
    from phucvu.core.exceptions import DomainError
    from phucvu.dossiers.models import Dossier, Status
    from phucvu.portal.services import feedback_answer, feedback_submit
    from phucvu.workcalendar.selectors import calendar_for

    dossiers = list(Dossier.objects.filter(status=Status.RETURNED, agency__valid_to__isnull=True)
                    .exclude(returned_at__gt=until).order_by("pk").values_list("pk", "agency_id", "returned_at"))
    if not dossiers:
        return 0
    made = 0
    with transaction.atomic():
        for n in tqdm(range(count), desc="Phản ánh, kiến nghị", unit="pa", disable=quiet):
            pk, agency_id, returned_at = rng.choice(dossiers)
            about_dossier = n % 3 != 2
            subject, content = rng.choice(FEEDBACK_ABOUT_DOSSIER if about_dossier else FEEDBACK_ABOUT_AGENCY)
            received = returned_at + dt.timedelta(hours=rng.randint(2, 72))
            if received > until:
                continue
            name = full_name(rng)
            try:
                feedback = feedback_submit(
                    name=name, subject=subject, content=content, phone=phone(rng), at=received,
                    **({"dossier_id": pk} if about_dossier else {"agency_id": agency_id}),
                    kind="recommendation" if not about_dossier else "feedback")
                made += 1
                answered = calendar_for(agency_id).add_working_minutes(received, rng.randint(240, 480 * 12))
                if rng.random() < P_FEEDBACK_ANSWERED and answered <= until:
                    actor = (cast.by_role.get((agency_id, "unit_leader"))
                             or cast.by_role.get((agency_id, "desk_clerk")))
                    feedback_answer(actor=rng.choice(actor), feedback_id=feedback.pk, version=feedback.version,
                                    answer=rng.choice(ANSWERS), at=answered)
            except DomainError:
                continue
    return made


def build_discipline(cast: Cast, rng: random.Random, *, quiet: bool = False) -> int:
    """Commitments signed in January by every cadre of the one-stop desks, a few breaches and sanctions."""
    from phucvu.discipline.services import commitment_sign, sanction_decide, violation_record

    clerks = [s for (_, role), staff in cast.by_role.items() if role == "desk_clerk" for s in staff]
    made = 0
    with transaction.atomic():
        for staff in tqdm(clerks, desc="Kỷ luật, kỷ cương", unit="người", disable=quiet):
            commitment_sign(actor=None, staff=staff, year=2017, text_version="Cam kết 2017 (Chỉ thị 26/CT-TTg)",
                            signed_on=dt.date(2017, 1, rng.randint(3, 13)))
            made += 1
        kinds = ["working_hours", "behaviour", "late_dossier", "repeated_supplement", "working_hours"]
        for n, staff in enumerate(rng.sample(clerks, min(14, len(clerks)))):
            day = dt.date(2017, rng.randint(2, 7), rng.randint(1, 28))
            violation = violation_record(
                actor=None, staff=staff, kind=kinds[n % len(kinds)], occurred_on=day,
                description="Ghi nhận qua kiểm tra công vụ đột xuất tại Bộ phận Một cửa",
                source="Kiểm tra công vụ của Sở Nội vụ", at=dt.datetime.combine(day, dt.time(10, 0), TZ))
            if n < 3:
                sanction_decide(actor=None, staff=staff, kind="reprimand",
                                decision_number=f"{rng.randint(100, 999)}/QĐ-UBND", decided_on=day + dt.timedelta(20),
                                violation=violation)
            made += 1
    return made


# ---------------------------------------------------------------------------------------------------
# The whole build


def build(*, profile: str, scale: float, seed: int, out: TextIO, quiet: bool = False) -> dict:
    from phucvu.demo.models import DemoRun

    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    out.write(f"Dựng dữ liệu trình diễn '{profile}' (tỷ lệ {scale:g}, hạt giống {seed})…\n")

    def phase(name, fn, *args, **kw):
        t0 = time.perf_counter()
        result = fn(*args, **kw)
        timings[name] = round(time.perf_counter() - t0, 2)
        return result

    run = DemoRun.objects.create(profile=profile, scale=scale, seed=seed)
    agencies = phase("agencies", build_agencies, profile, quiet=quiet)
    cast = phase("staff", build_staff, agencies, rng, quiet=quiet)
    weights = phase("procedures", build_procedures, profile, agencies, quiet=quiet)
    stats = phase("replay", replay, cast, weights, scale=scale, rng=rng, quiet=quiet)
    feedback = phase("feedback", build_feedback, cast, rng, count=max(8, stats.dossiers // 120), quiet=quiet)
    inspections = phase("inspections", build_inspections, cast, rng, quiet=quiet)
    phase("discipline", build_discipline, cast, rng, quiet=quiet)
    # The replay is history (nothing is sent for it); the latest dossiers show what the log channel sent.
    phase("messages", announce_history)
    reform = {}
    if profile == "quangninh-2025":
        from phucvu.demo.reform import build_reform

        reform = phase("reform", build_reform, cast, weights, scale=scale, rng=rng, quiet=quiet)
        stats.failures += reform.pop("failures")
    timings["total"] = round(time.perf_counter() - started, 2)
    summary = {"dossiers": stats.dossiers, "transitions": stats.transitions, "by_level": dict(stats.by_level),
               "refused_online": stats.refused_online, "votes": stats.votes, "feedback": feedback,
               "inspections": inspections, "timings": timings,
               "failures": stats.failures, "reform": reform}
    DemoRun.objects.filter(pk=run.pk).update(summary=summary, finished=True)
    out.write(f"Xong: {Agency.objects.count()} đơn vị, {Staff.objects.count()} cán bộ, {stats.dossiers} hồ sơ "
              f"({stats.transitions} bước xử lý), {stats.votes} đánh giá hài lòng, {feedback} phản ánh, {inspections} cuộc thanh tra, kiểm tra "
              f"trong {timings['total']:.1f} s.\n")
    if reform:
        out.write(f"Sắp xếp 1/7/2025: {reform['communes_2025']} đơn vị cấp xã; {reform['before']} hồ sơ tháng 6/2025, "
                  f"{reform['transferred']} hồ sơ đang giải quyết chuyển cho đơn vị kế thừa, {reform['after']} hồ sơ "
                  f"tháng 7/2025 theo Nghị định 118/2025/NĐ-CP.\n")
    if stats.failures:
        out.write("Một số bước bị dịch vụ từ chối (xem lại dữ liệu):\n  " + "\n  ".join(stats.failures) + "\n")
    return summary


def logins_text(addr: str) -> str:
    lines = [f"\nPhục Vụ đang chạy tại http://{addr}/", f"Đăng nhập trình diễn (mật khẩu: {DEMO_PASSWORD}):"]
    from phucvu.demo.models import DemoRun

    run = DemoRun.objects.filter(finished=True).order_by("-id").first()
    reformed = run is not None and run.profile == "quangninh-2025"
    logins = DEMO_LOGINS
    if reformed:
        from phucvu.demo.reform import LOGINS_2025

        logins = DEMO_LOGINS + LOGINS_2025
    usernames = [u for u, *_ in logins]
    staff = {s.user.username: s for s in Staff.objects.select_related("user", "agency").filter(
        user__username__in=usernames)}
    for username in usernames:
        if username in staff:
            s = staff[username]
            lines.append(f"  {username:<18} {s.get_role_display():<24} {s.agency.name}")
    # The report pages default to the current year; the demo's history is 2017.
    from phucvu.demo.selectors import period_links

    lines.append(f"Báo cáo kỳ {PERIOD_FROM:%d/%m/%Y}–{PERIOD_TO:%d/%m/%Y}:")
    lines += [f"  {label:<34} http://{addr}{url}" for label, url in period_links()]
    if reformed:
        from phucvu.demo.reform import AFTER

        lines.append(f"Sau sắp xếp, kỳ {AFTER[0]:%d/%m/%Y}–{AFTER[1]:%d/%m/%Y} (Nghị định 118/2025/NĐ-CP):")
        lines += [f"  {label:<34} http://{addr}{url}" for label, url in period_links(*AFTER)]
    return "\n".join(lines) + "\n"
