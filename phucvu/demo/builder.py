"""The demo province, built through the project's own services, phase by phase (each with a progress bar).

The 2017 agency tree from the shipped CSV, cadres with generated Vietnamese names, the procedure catalogue
from the shipped CSV, the replay of 1/1–31/7/2017 (`replay`), then the citizens' feedback, the inspections
and the discipline records of the period; the `quangninh-2025` profile goes on with the reform of 1/7/2025
(`reform`). The profiles' figures are in `profiles`.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from tqdm import tqdm

from phucvu.catalog.importers import paper_specs
from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.bulk import refresh_statistics
from phucvu.core.exceptions import DomainError
from phucvu.demo.evaluation import build_evaluation
from phucvu.demo.history import database_size, write_history
from phucvu.demo.inspection_work import build_inspection_work
from phucvu.demo.models import DemoRun
from phucvu.demo.names import full_name, phone
from phucvu.demo.profiles import (
    ANSWERS,
    DATA,
    DATA_OF,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    END,
    FEEDBACK_ABOUT_AGENCY,
    FEEDBACK_ABOUT_DOSSIER,
    INSPECTION_FOLLOW_UP,
    INSPECTION_TOPICS,
    ONLINE_SHARE,
    P_FEEDBACK_ANSWERED,
    PERIOD_TO,
    SEED_INSPECTIONS,
    TZ,
)
from phucvu.demo.reform import build_reform
from phucvu.demo.replay import Cast, Replayer, ReplayStats, make_plan, play, split_plan
from phucvu.demo.results import DecisionBook
from phucvu.demo.tasks import build_emulation, build_tasks, build_year_dossiers
from phucvu.discipline.services import commitment_sign, sanction_decide, violation_record
from phucvu.discipline.services.breaches import violation_decide, violation_explain
from phucvu.discipline.services.commitments import commitment_text_publish
from phucvu.dossiers.models import Dossier, Status
from phucvu.inspections.services import (
    inspection_conclude,
    inspection_open,
    recommendation_report_done,
    recommendation_verify,
    rotation_generate,
)
from phucvu.notifications.events import announce_history
from phucvu.organization.models import Agency, Category, Staff
from phucvu.organization.services import agency_create, agency_succeed, staff_create
from phucvu.portal.services import feedback_answer, feedback_publish, feedback_submit
from phucvu.workcalendar.selectors import calendar_for
from phucvu.workcalendar.services import calendar_seed


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
                valid_to=dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                field_codes=row.get("field_codes", ""))
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
    plan = _staff_plan(agencies)
    # One real password hash for every demo login, computed once and given to each account: hashing a thousand
    # passwords with the production hasher would take minutes.
    hashed = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        for username, name, code, role, position in DEMO_LOGINS:
            staff_create(username=username, password_hash=hashed, full_name=name, agency=agencies[code],
                         role=role, position=position,
                         category=Category.CB if code in ("P22", "D193", "W06691") else Category.CC)
        for n, (agency, role, position, category) in enumerate(tqdm(plan, desc="Cán bộ", unit="người",
                                                                     disable=quiet), start=1):
            staff_create(username=f"cb{n:05d}", password_hash=hashed, full_name=full_name(rng), agency=agency,
                         role=role, position=position, category=category)
    return load_cast(agencies)


# ---------------------------------------------------------------------------------------------------
# Phase 3: the catalogue


def _steps_for(row: dict, agencies: dict[str, Agency]) -> list[StepSpec]:
    """The receiving desk, the competent agency's specialist office, its leader (`dossiers.routing` finds
    them from where a dossier is received and the procedure's field); the provincial office and the
    provincial People's Committee are other agencies' steps (inter-connected) where a step names them."""
    parts = [p.rsplit(":", 1) for p in row["steps"].split("|")]
    steps = []
    for i, (name, share) in enumerate(parts):
        first, last = i == 0, i == len(parts) - 1
        unit = "desk" if first else ("leader" if last else "office")
        agency_id = None
        if row["levels"] == "province" and not first and "UBND tỉnh" in name:
            agency_id = agencies["P22-VP" if "Văn phòng UBND tỉnh" in name else "P22"].pk
            unit = "agency"
        role = "desk_clerk" if first else ("unit_leader" if last else "specialist")
        steps.append(StepSpec(name=name, share=int(share), agency_id=agency_id, role=role, unit=unit))
    return steps


def paper_specs_of(row: dict) -> list[dict]:
    """The public catalogue's details of each paper, from the same columns `phucvu import procedures` reads."""
    return paper_specs(row, [p for p in row["papers"].split("|") if p])


def build_procedures(profile: str, agencies: dict[str, Agency], *, quiet: bool = False) -> dict[str, float]:
    """Create the catalogue; returns each procedure code's share of its level's volume."""
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
                valid_from=dt.date(2017, 1, 1), paper_specs=paper_specs_of(row), fee_note=row.get("fee_note", ""),
                **{name: row.get(name, "") for name in ("conditions", "applicants", "result_delivery",
                                                        "legal_basis")})
    return weights


# ---------------------------------------------------------------------------------------------------
# Phase 4 is the replay (`replay`). Phase 5: feedback, inspections and discipline


def _targets(agencies: dict[str, Agency], kind: str) -> list[Agency]:
    if kind == "district":
        return [a for a in agencies.values() if a.kind == "district"]
    if kind == "commune":
        return [a for a in agencies.values() if a.kind == "commune"]
    return [a for c, a in agencies.items() if (c.startswith(kind) if kind.startswith("P22") else c.endswith(kind))]


def _follow_up(inspection, ended: dt.date, rng: random.Random, evidence: str) -> None:
    """Most recommendations concluded early in the period were carried out by 31/7, and most of those
    verified by the inspectors; the rest are still open (docs/inspections.md §7)."""
    for rec in inspection.recommendations.all():
        done_on = ended + dt.timedelta(days=rng.randint(5, 25))
        if done_on > PERIOD_TO or rng.random() < 0.3:
            continue
        recommendation_report_done(actor=None, recommendation_id=rec.pk, done_on=done_on, evidence=evidence,
                                   at=dt.datetime.combine(done_on, dt.time(10, 0), TZ))
        verified_on = done_on + dt.timedelta(days=rng.randint(1, 10))
        if verified_on <= PERIOD_TO and rng.random() < 0.7:
            recommendation_verify(actor=None, recommendation_id=rec.pk, verified_on=verified_on,
                                  at=dt.datetime.combine(verified_on, dt.time(15, 0), TZ))


def build_inspections(cast: Cast, rng: random.Random, *, quiet: bool = False) -> int:
    """The inspections the seed counts, spread over the first six months of 2017, at full count."""
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
    follow = random.Random(rng.getstate()[1][0])  # its own stream: the phases after this one draw as before
    with transaction.atomic():
        for organizer_code, count in tqdm(jobs, desc="Thanh tra, kiểm tra", unit="đv", disable=quiet):
            organizer = agencies[organizer_code]
            topic, target_kind = INSPECTION_TOPICS[organizer_code]
            finding, advice, evidence = INSPECTION_FOLLOW_UP[organizer_code]
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
                        findings=[{"text": finding, "is_violation": False}],
                        recommendations=[{"text": advice, "owner": inspection.target,
                                          "due_on": ended + dt.timedelta(days=30)}],
                        at=dt.datetime.combine(ended, dt.time(16, 0), TZ))
                    _follow_up(inspection, ended, follow, evidence)
                made += 1
        # The year's cross-inspection rotation among Hạ Long's communes and wards (docs/inspections.md §6).
        if "D193" in agencies:
            rotation_generate(actor=None, parent=agencies["D193"], kind="commune", year=2017, rounds=2, seed=2017)
        build_inspection_work(cast)
    return made



def build_feedback(cast: Cast, rng: random.Random, *, count: int, until: dt.datetime = END,
                   quiet: bool = False) -> int:
    """A few citizen feedback items (phản ánh, kiến nghị) through the portal's services; most answered."""
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
                    who = rng.choice(actor)
                    feedback = feedback_answer(actor=who, feedback_id=feedback.pk, version=feedback.version,
                                               answer=rng.choice(ANSWERS), at=answered)
                    if n % 3 == 2:  # answered recommendations on the public list (no extra draw of rng)
                        feedback_publish(actor=who, feedback_id=feedback.pk, version=feedback.version,
                                         at=answered + dt.timedelta(hours=1))
            except DomainError:
                continue
    return made


EXPLANATIONS = ["Hôm đó con ốm, tôi đã báo miệng với lãnh đạo bộ phận nhưng chưa có giấy xin phép.",
                "Tôi đã hướng dẫn công dân nhưng lời lẽ chưa mềm mỏng; xin rút kinh nghiệm.",
                "Hồ sơ chờ ý kiến của phòng chuyên môn nên chưa kịp gửi văn bản xin lỗi."]
COMMITMENT_TITLE = "Bản cam kết thực hiện kỷ luật, kỷ cương hành chính năm 2017 (Chỉ thị 26/CT-TTg)"
COMMITMENT_2017 = """1. Chấp hành nghiêm giờ giấc làm việc; không làm việc riêng trong giờ hành chính.
2. Mặc trang phục, đeo thẻ công chức khi tiếp công dân.
3. Không nhũng nhiễu, gây phiền hà; không yêu cầu bổ sung giấy tờ ngoài quy định.
4. Yêu cầu bổ sung hồ sơ một lần, nêu đủ các giấy tờ còn thiếu.
5. Giải quyết hồ sơ đúng hạn; không để hồ sơ tồn đọng."""
COMMITMENT_2017_MARCH = COMMITMENT_2017.replace(
    "5. Giải quyết hồ sơ đúng hạn; không để hồ sơ tồn đọng.",
    "5. Giải quyết hồ sơ đúng hạn; không để hồ sơ tồn đọng.\n"
    "6. Hồ sơ trễ hạn phải có văn bản xin lỗi công dân, hẹn lại ngày trả kết quả.")


def build_discipline(cast: Cast, rng: random.Random, *, quiet: bool = False) -> int:
    """Commitments signed in January by every cadre of the one-stop desks, a few breaches and sanctions."""
    clerks = [s for (_, role), staff in cast.by_role.items() if role == "desk_clerk" for s in staff]
    made = 0
    root = min(cast.agencies.values(), key=lambda a: (a.depth, a.pk))
    with transaction.atomic():
        # The province's 2017 text, then a second version in March; most clerks sign both, some only the first
        # and a few neither (they are who the "not signed" list shows). No extra draw of rng.
        first = commitment_text_publish(actor=None, agency=root, year=2017, title=COMMITMENT_TITLE,
                                        body=COMMITMENT_2017, published_on=dt.date(2017, 1, 3))
        for n, staff in enumerate(tqdm(clerks, desc="Kỷ luật, kỷ cương", unit="người", disable=quiet)):
            day = dt.date(2017, 1, rng.randint(3, 13))
            if n % 17 != 16:
                commitment_sign(actor=None, staff=staff, text=first, signed_on=day)
                made += 1
        second = commitment_text_publish(actor=None, agency=root, year=2017, title=COMMITMENT_TITLE,
                                         body=COMMITMENT_2017_MARCH, published_on=dt.date(2017, 3, 15),
                                         change_note="Thêm cam kết xin lỗi khi trễ hạn (Quyết định 2020/QĐ-UBND)")
        for n, staff in enumerate(clerks):
            if n % 17 < 12:
                commitment_sign(actor=None, staff=staff, text=second, signed_on=dt.date(2017, 3, 16 + n % 10))
                made += 1
        kinds = ["working_hours", "behaviour", "late_dossier", "repeated_supplement", "working_hours"]
        for n, staff in enumerate(rng.sample(clerks, min(14, len(clerks)))):
            day = dt.date(2017, rng.randint(2, 7), rng.randint(1, 28))
            violation = violation_record(
                actor=None, staff=staff, kind=kinds[n % len(kinds)], occurred_on=day,
                description="Ghi nhận qua kiểm tra công vụ đột xuất tại Bộ phận Một cửa",
                source="Kiểm tra công vụ của Sở Nội vụ", source_kind="inspection",
                at=dt.datetime.combine(day, dt.time(10, 0), TZ))
            if n < 6:  # the cadre's explanation and the leader's conclusion on a few (no extra draw of rng)
                violation_explain(actor=staff, violation_id=violation.pk, explanation=EXPLANATIONS[n % 3])
                violation_decide(actor=None, violation_id=violation.pk,
                                 decision="discipline" if n < 3 else "reminder",
                                 note="Đề nghị xem xét kỷ luật khiển trách" if n < 3
                                 else "Nhắc nhở, rút kinh nghiệm tại cuộc họp cơ quan")
            if n < 3:
                sanction_decide(actor=None, staff=staff, kind="reprimand",
                                decision_number=f"{rng.randint(100, 999)}/QĐ-UBND", decided_on=day + dt.timedelta(20),
                                violation=violation)
            made += 1
    return made


# ---------------------------------------------------------------------------------------------------
# The whole build


LIVE_DOSSIERS = 600  # the last planned dossiers, played through the services; the rest written in bulk
FEEDBACK_MAX = 500  # feedback items through the services, whatever the scale (one per 120 dossiers up to it)


def feedback_count(dossiers: int) -> int:
    """About one feedback item per 120 dossiers, at least 8; at most FEEDBACK_MAX, so that the phase (through
    the portal's services, three calls an item) does not grow past seconds with `--scale`."""
    return min(FEEDBACK_MAX, max(8, dossiers // 120))


def load_cast(agencies: dict[str, Agency]) -> Cast:
    """Who does what where, read back from the database (a resumed build does not create them again)."""
    cast = Cast(agencies=agencies)
    for staff in Staff.objects.select_related("user", "agency", "agency__parent", "scope"):
        cast.by_role[(staff.agency_id, staff.role)].append(staff)
    return cast


def procedure_weights(profile: str) -> dict[str, float]:
    return {r["code"]: float(r["weight"]) for r in _read("procedure_mix.csv", profile)}


def progress_text(run: DemoRun) -> str:
    """Where an interrupted build stopped, in words."""
    if not run.summary.get("setup"):
        return "chưa xong phần đơn vị, cán bộ, thủ tục"
    chunks = run.summary.get("history_chunks", 0)
    written = run.summary.get("history_stats", {}).get("dossiers", 0)
    return f"đã ghi {chunks} phần lịch sử, {f'{written:,}'.replace(',', '.')} hồ sơ"


def wipe() -> None:
    """Empty every table (`flush`) and seed the national calendar again, as a fresh `migrate` leaves it."""
    call_command("flush", interactive=False, verbosity=0)
    calendar_seed()


def interrupted() -> DemoRun | None:
    """The latest build that started and did not finish (stopped, killed, or still running elsewhere)."""
    return DemoRun.objects.filter(finished=False).order_by("-id").first()


def build(*, profile: str, scale: float, seed: int, out: TextIO, quiet: bool = False,
          resume: DemoRun | None = None, live: int = LIVE_DOSSIERS) -> dict:
    """Build the demo: the setup phases (one transaction), the history in bulk (a transaction a chunk), then
    the last dossiers through the services and the phases after them (one transaction). `resume` carries on
    an interrupted build where it stopped, with that build's own profile, scale and seed."""
    if resume is not None:
        profile, scale, seed = resume.profile, resume.scale, resume.seed
    timings: dict[str, float] = dict(resume.summary.get("timings", {})) if resume else {}
    started = time.perf_counter()
    out.write(f"{'Dựng tiếp' if resume else 'Dựng'} dữ liệu trình diễn '{profile}' (tỷ lệ {scale:g}, hạt giống "
              f"{seed})…\n")

    def phase(name, fn, *args, **kw):
        t0 = time.perf_counter()
        result = fn(*args, **kw)
        timings[name] = round(timings.get(name, 0) + time.perf_counter() - t0, 2)
        return result

    run = resume or DemoRun.objects.create(profile=profile, scale=scale, seed=seed)
    if not run.summary.get("setup"):
        rng = random.Random(seed)
        with transaction.atomic():
            agencies = phase("agencies", build_agencies, profile, quiet=quiet)
            cast = phase("staff", build_staff, agencies, rng, quiet=quiet)
            weights = phase("procedures", build_procedures, profile, agencies, quiet=quiet)
            run.summary = {**run.summary, "setup": True, "timings": timings}
            DemoRun.objects.filter(pk=run.pk).update(summary=run.summary)
    else:
        cast = load_cast({a.code: a for a in Agency.objects.select_related("parent")})
        weights = procedure_weights(profile)
    # The plan and everything after the setup draw from their own streams: a resumed build plans the same.
    plan = make_plan(cast, weights, scale=scale, rng=random.Random(seed * 31 + 1))
    history, live_plan = split_plan(plan, live)
    stats = ReplayStats.from_json(run.summary.get("history_stats"))
    decisions = DecisionBook.from_json(run.summary.get("decisions"))
    phase("history", write_history, cast, history, run=run, seed=seed, stats=stats, decisions=decisions,
          online_share=ONLINE_SHARE, quiet=quiet)
    phase("statistics", refresh_statistics)
    rng = random.Random(seed * 31 + 2)
    with transaction.atomic():
        player = Replayer(cast, rng, stats, decisions=decisions)
        phase("replay", play, player, live_plan, desc="Phát lại những hồ sơ cuối qua nghiệp vụ", quiet=quiet)
        feedback = phase("feedback", build_feedback, cast, rng, count=feedback_count(stats.dossiers), quiet=quiet)
        inspections = phase("inspections", build_inspections, cast, rng, quiet=quiet)
        phase("discipline", build_discipline, cast, rng, quiet=quiet)
        # The replay is history (nothing is sent for it); the latest dossiers show what the log channel sent.
        phase("messages", announce_history)
        reform = {}
        if profile == "quangninh-2025":
            reform = phase("reform", build_reform, cast, weights, scale=scale, rng=rng, quiet=quiet)
            stats.failures += reform.pop("failures")
        # The year 2026 after everything else, with its own random streams: the phases above stay as they were.
        # Its dossiers first (the tasks of one-stop clerks count their steps), then the tasks of 2017 and 2026,
        # the emulation of 2017, then the score sheets, whose result points come from the tasks.
        year = phase("dossiers_2026", build_year_dossiers, cast, weights, random.Random(seed + 2027), scale=scale,
                     seed=seed + 2027, quiet=quiet)
        if year is not None:
            stats.failures += year.failures
            stats.votes += year.votes  # the summary counts every vote the demo holds
        tasks = phase("tasks", build_tasks, random.Random(seed + 2028), quiet=quiet)
        emulation = phase("emulation", build_emulation, quiet=quiet)
        evaluation = phase("evaluation", build_evaluation, random.Random(seed + 2026), quiet=quiet)
        timings["total"] = round(timings.get("total", 0) + time.perf_counter() - started, 2)
        summary = {"dossiers": stats.dossiers, "transitions": stats.transitions, "by_level": dict(stats.by_level),
                   "refused_online": stats.refused_online, "votes": stats.votes, "feedback": feedback,
                   "inspections": inspections, "evaluation": evaluation, "timings": timings,
                   "dossiers_2026": year.dossiers if year is not None else 0, "tasks": tasks,
                   "emulation": emulation, "failures": stats.failures, "reform": reform, "live": sum(len(v) for _, v in live_plan)}
        DemoRun.objects.filter(pk=run.pk).update(summary=summary, finished=True)
    # Again once the year 2026 is written (its dossiers in bulk at scale, the tasks and sheets): the first refresh
    # saw those tables empty, and the inspector's and leaders' pages would be planned for empty tables.
    refresh_statistics()
    out.write(f"Xong: {Agency.objects.count()} đơn vị, {Staff.objects.count()} cán bộ, {stats.dossiers} hồ sơ "
              f"({stats.transitions} bước xử lý), {stats.votes} đánh giá hài lòng, {feedback} phản ánh, {inspections} cuộc thanh tra, kiểm tra "
              f"trong {timings['total']:.1f} s.\n")
    if reform:
        out.write(f"Sắp xếp 1/7/2025: {reform['communes_2025']} đơn vị cấp xã; {reform['before']} hồ sơ tháng 6/2025, "
                  f"{reform['transferred']} hồ sơ đang giải quyết chuyển cho đơn vị kế thừa, {reform['after']} hồ sơ "
                  f"tháng 7/2025 theo Nghị định 118/2025/NĐ-CP.\n")
    if stats.failures:
        out.write("Một số bước bị dịch vụ từ chối (xem lại dữ liệu):\n  " + "\n  ".join(stats.failures) + "\n")
    out.write(f"Dung lượng cơ sở dữ liệu: {database_size() / 2**20:,.0f} MiB.\n")
    return summary
