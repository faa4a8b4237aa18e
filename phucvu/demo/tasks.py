"""The demo's tasks (giao việc) and emulation, through the discipline services (docs/discipline.md §7 and
docs/discipline.md §5).

- For the one-stop units of the demo's logins (the provincial centre, Hạ Long's centre, Hồng Gai's desk): a
  catalogue of work items; every month of 2017 (January–July) and of 2026 (January to this month) each clerk
  is given the reception of one-stop dossiers — measured from the steps they handled, never typed — and the
  posting of procedures; one clerk per unit the monthly report (form 06), recorded done early, on time, late
  or not at all; Hồng Gai ward gets a quarterly task from Hạ Long city.
- The 2026 dossiers those tasks count: a year of reception at the three desks, replayed through the services
  like 2017's (`replay`), ending a few days before the build so nothing is announced.
- 2017's emulation as the province's report tells it: the year's movement, two contests with their results
  and awards, and the 10,000 and 3,000 handbooks of Cẩm Phả and Quảng Yên.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from tqdm import tqdm

from phucvu.core.exceptions import DomainError
from phucvu.core.localtime import LOCAL_TZ, today
from phucvu.demo.history import write_days
from phucvu.demo.profiles import ONLINE_SHARE
from phucvu.demo.replay import Cast, Replayer, ReplayStats, make_plan, play, procedure_mix, split_plan
from phucvu.demo.results import DecisionBook
from phucvu.discipline.models import ItemSource, WorkItem
from phucvu.discipline.services.emulation import (
    award_record,
    campaign_create,
    campaign_result_record,
    material_record,
)
from phucvu.discipline.services.tasks import task_assign, task_progress, work_item_create
from phucvu.discipline.tasking import TaskPeriod, default_deadline
from phucvu.organization.models import Agency, Role, Staff
from phucvu.workcalendar.selectors import calendar_for

ANCHORS = ("motcua.tinh", "motcua.halong", "motcua.honggai")
RECEPTION = "Tiếp nhận, hướng dẫn và trả kết quả hồ sơ TTHC"
POSTING = "Cập nhật, niêm yết công khai thủ tục hành chính"
REPORT = "Báo cáo tình hình, kết quả giải quyết TTHC (mẫu 06)"
CATALOGUE = [(RECEPTION, "bước hồ sơ", "1", ItemSource.ONE_STOP), (POSTING, "lượt", "0.5", ItemSource.MANUAL),
             (REPORT, "báo cáo", "2", ItemSource.MANUAL)]
PROPAGANDA = "Tuyên truyền chủ đề công tác năm tại khu phố"
YEAR_LIVE = 45  # the 2026 dossiers a desk played through the services (the last ones); the rest in bulk


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), LOCAL_TZ)


def _units() -> list[tuple[Staff, Agency, list[Staff]]]:
    """(the leader who assigns, the unit, its clerks) for the demo's one-stop logins."""
    units = []
    for username in ANCHORS:
        anchor = Staff.objects.select_related("agency").filter(user__username=username, active=True).first()
        if anchor is None:
            continue
        agency = anchor.agency
        leader = (Staff.objects.filter(agency=agency, role=Role.UNIT_LEADER, active=True).first()
                  or Staff.objects.filter(agency_id=agency.parent_id, role=Role.UNIT_LEADER, active=True).first())
        people = list(Staff.objects.filter(agency=agency, active=True, role=Role.DESK_CLERK,
                                           category__in=("CB", "CC", "VC")).order_by("pk"))
        if leader is not None and people:
            units.append((leader, agency, people))
    return units


def _catalogue(leader: Staff, agency: Agency) -> dict[str, WorkItem]:
    home = agency.parent if agency.kind == "desk" and agency.parent_id else agency
    items = {}
    for name, measure, coefficient, source in CATALOGUE:
        found = WorkItem.objects.filter(agency=home, name=name).first()
        items[name] = found or work_item_create(actor=leader, agency=home, name=name, coefficient=coefficient,
                                                measure=measure, source=source)
    return items


def _months(year: int, until: dt.date) -> list[int]:
    last = 7 if year == 2017 else (12 if until.year > year else until.month)
    return list(range(1, last + 1))


def build_tasks(rng: random.Random, *, years: tuple[int, ...] = (2017, 2026), quiet: bool = False) -> dict[str, int]:
    """Monthly tasks of the one-stop clerks and their progress; returns the counts."""
    now = today()
    counts = {"tasks": 0, "progress": 0}
    with transaction.atomic():
        for leader, agency, people in _units():
            items = _catalogue(leader, agency)
            cal = calendar_for(agency.pk)
            for year in years:
                for month in tqdm(_months(year, now), desc=f"Giao việc {agency.code} {year}", unit="tháng",
                                  disable=quiet):
                    counts["tasks"] += _month(leader, people, items, cal, TaskPeriod(year, "month", month), now, rng,
                                              counts)
        counts["tasks"] += _unit_tasks(rng, now, years)
    return counts


def _month(leader: Staff, people: list[Staff], items: dict[str, WorkItem], cal, period: TaskPeriod,
           now: dt.date, rng: random.Random, counts: dict[str, int]) -> int:
    first = period.first_day
    while not cal.is_working_day(first):
        first += dt.timedelta(days=1)
    given = _at(first)
    due = default_deadline(cal, period)
    made = 0
    for n, clerk in enumerate(people):
        task_assign(actor=leader, item=items[RECEPTION], staff=clerk, year=period.year, kind="month",
                    number=period.number, quantity=40, criterion="Đúng quy trình, đủ thành phần hồ sơ", at=given)
        posting = task_assign(actor=leader, item=items[POSTING], staff=clerk, year=period.year, kind="month",
                              number=period.number, quantity=rng.choice([2, 3, 4]),
                              criterion="Niêm yết đúng, đủ, kịp thời", at=given)
        made += 2
        _progress(clerk, posting.pk, posting.quantity, first, due, now, rng, counts, late_odds=0.08)
        if n == 0:  # the unit's monthly report, on the period's last working day
            report = task_assign(actor=leader, item=items[REPORT], staff=clerk, year=period.year, kind="month",
                                 number=period.number, quantity=1, criterion="Số liệu khớp phần mềm một cửa",
                                 at=given)
            made += 1
            _progress(clerk, report.pk, report.quantity, due - dt.timedelta(days=3), due, now, rng, counts,
                      late_odds=0.15, missed_odds=0.1)
    return made


def _progress(clerk: Staff, task_id: int, quantity: Decimal, start: dt.date, due: dt.date, now: dt.date,
              rng: random.Random, counts: dict[str, int], *, late_odds: float, missed_odds: float = 0.0) -> None:
    """Record the work done: mostly by the due day, sometimes late, now and then not at all."""
    roll = rng.random()
    if roll < missed_odds:
        return
    late = roll < missed_odds + late_odds
    day = due + dt.timedelta(days=rng.randint(1, 4)) if late else start + dt.timedelta(
        days=rng.randint(0, max(0, (due - start).days)))
    if day > now:
        return  # the month still running: what is not done yet stays to do
    try:
        task_progress(actor=clerk, task_id=task_id, on=day, quantity=quantity, at=_at(day, 16))
        counts["progress"] += 1
    except DomainError:
        pass


def _unit_tasks(rng: random.Random, now: dt.date, years: tuple[int, ...]) -> int:
    """Hạ Long city gives Hồng Gai ward a quarterly task; the ward's leader reports it done."""
    city = Staff.objects.filter(user__username="lanhdao.halong", active=True).first()
    ward_leader = Staff.objects.select_related("agency").filter(user__username="lanhdao.honggai", active=True).first()
    if city is None or ward_leader is None:
        return 0
    item = (WorkItem.objects.filter(agency=city.agency, name=PROPAGANDA).first()
            or work_item_create(actor=city, agency=city.agency, name=PROPAGANDA, measure="buổi", coefficient="1"))
    made = 0
    for year in years:
        quarters = [1, 2] if year == 2017 else list(range(1, (now.month - 1) // 3 + 2 if now.year == year else 5))
        for quarter in quarters:
            period = TaskPeriod(year, "quarter", quarter)
            task = task_assign(actor=city, item=item, unit=ward_leader.agency, year=year, kind="quarter",
                               number=quarter, quantity=3, criterion="Có biên bản, ảnh, danh sách người dự",
                               at=_at(period.first_day + dt.timedelta(days=4)))
            made += 1
            for k in range(3):
                day = period.first_day + dt.timedelta(days=20 + 25 * k + rng.randint(0, 5))
                if day <= now:
                    task_progress(actor=ward_leader, task_id=task.pk, on=day, quantity=1, at=_at(day, 15))
    return made


# -- the 2026 dossiers the tasks count ---------------------------------------------------------------------------

def build_year_dossiers(cast: Cast, weights: dict[str, float], rng: random.Random, *, scale: float, seed: int = 0,
                        quiet: bool = False) -> ReplayStats | None:
    """A year of reception at the three desks of the demo's logins, January to the end of last month: max(45,
    15,000 × scale) a desk, all but the last 45 a desk written in bulk (`history.write_days`, streams from
    `seed`)."""
    now = today()
    last = dt.date(now.year, now.month, 1) - dt.timedelta(days=3)
    if now.year < 2026 or last < dt.date(2026, 2, 1):
        return None
    last = min(last, dt.date(2026, 12, 31))
    points: dict[str, tuple[list[Agency], list[float]]] = {}
    for username in ANCHORS:
        anchor = Staff.objects.select_related("agency").filter(user__username=username, active=True).first()
        if anchor is None or anchor.agency.valid_to is not None or anchor.agency.successions_out.exists():
            continue  # a unit closed by the 2025 reform receives nothing in 2026
        points.setdefault(anchor.agency.level, ([anchor.agency], [1.0]))
    if not points:
        return None
    count = max(YEAR_LIVE, round(15_000 * scale))
    mix = procedure_mix(weights)
    stats, decisions, end = ReplayStats(), DecisionBook(), _at(last, 17)
    player = Replayer(cast, rng, stats, end=end, decisions=decisions)
    plan = make_plan(cast, weights, scale=1.0, rng=rng, period=(dt.date(2026, 1, 5), last),
                     volumes=dict.fromkeys(points, count), points=points, mix={level: mix[level] for level in points})
    # All but the last YEAR_LIVE a desk in bulk (as 2017's history: nothing of it at the default scale), so
    # that the phase costs seconds at any scale; the last ones through the services.
    history, live = split_plan(plan, YEAR_LIVE * len(points))
    write_days(cast, history, seed=seed, stats=stats, decisions=decisions, online_share=ONLINE_SHARE, end=end,
               desc="Hồ sơ năm 2026 (ghi hàng loạt)", quiet=quiet)
    play(player, live, desc=f"Phát lại 05/01–{last:%d/%m/%Y}", quiet=quiet)
    return stats


# -- emulation, 2017 ----------------------------------------------------------------------------------------------

def build_emulation(*, quiet: bool = False) -> dict[str, int]:
    """The province's 2017 movement, Hạ Long's and Uông Bí's contests, Cẩm Phả's and Quảng Yên's handbooks."""
    by_code = {a.code: a for a in Agency.objects.filter(code__in=["P22", "D193", "D196", "D195", "D206"])}
    hr = Staff.objects.filter(user__username="noivu.tinh").first()
    city = Staff.objects.filter(user__username="lanhdao.halong").first()
    if "P22" not in by_code or hr is None:
        return {"campaigns": 0, "materials": 0}
    counts = {"campaigns": 0, "materials": 0}
    with transaction.atomic():
        movement = campaign_create(
            actor=hr, agency=by_code["P22"], launched_on=dt.date(2017, 2, 8), ends_on=dt.date(2017, 12, 15),
            name="Phong trào thi đua năm 2017 “Tăng cường kỷ luật, kỷ cương hành chính; xây dựng nếp sống văn hoá, "
                 "văn minh”",
            goal="Giữ vững kỷ luật, kỷ cương hành chính gắn với nâng cao chất lượng công tác, đẩy mạnh cải cách hành "
                 "chính, văn hoá công sở, đồng hành cùng doanh nghiệp, xây dựng cơ quan văn minh hiện đại, phấn đấu "
                 "hoàn thành xuất sắc nhiệm vụ chính trị được giao.",
            basis="Chủ đề công tác năm 2017 của tỉnh")
        counts["campaigns"] += 1
        contests = [("D193", "Hội thi “CB,CC,VC chung tay cải cách hành chính năm 2017”", dt.date(2017, 3, 6)),
                    ("D196", "Hội thi “Tự hào là công dân TP Uông Bí”", dt.date(2017, 3, 20))]
        for code, name, launched in contests:
            if code not in by_code:
                continue
            contest = campaign_create(actor=hr, agency=by_code[code], kind="contest", name=name, launched_on=launched,
                                      ends_on=launched + dt.timedelta(days=90), basis="Hưởng ứng " + movement.name[:60])
            counts["campaigns"] += 1
            _contest_results(hr, contest, by_code[code])
        for code, title, kind, quantity, day, audience in [
            ("D195", "Cẩm nang về Nghị quyết Trung ương 4 (khoá XII), Chỉ thị 05-CT/TW của Bộ Chính trị và Nghị quyết "
                     "số 06-NQ/TU của Ban Chấp hành Đảng bộ tỉnh", "cẩm nang", 10_000, dt.date(2017, 4, 12),
             "Cán bộ, đảng viên và nhân dân thành phố"),
            ("D206", "Sổ tay về chủ đề công tác năm 2017", "sổ tay", 3_000, dt.date(2017, 3, 28),
             "Toàn thể CB,CC,VC, người lao động trên địa bàn thị xã")]:
            if code in by_code:
                material_record(actor=hr, agency=by_code[code], campaign=movement, title=title, kind=kind,
                                quantity=quantity, distributed_on=day, audience=audience)
                counts["materials"] += quantity
        if city is not None:
            desk_clerks = list(Staff.objects.filter(agency__code="D193-TTHCC", role=Role.DESK_CLERK)[:1])
            for clerk in desk_clerks:
                award_record(actor=hr, campaign=movement, staff=clerk, form="giay_khen",
                             decision_number="2015/QĐ-UBND", decided_on=dt.date(2017, 12, 20),
                             decided_by="Chủ tịch UBND thành phố Hạ Long",
                             reason="Hoàn thành xuất sắc nhiệm vụ tiếp nhận hồ sơ một cửa năm 2017")
    return counts


def _contest_results(hr: Staff, contest, agency: Agency) -> None:
    teams = list(Agency.objects.filter(parent=agency, kind="commune").order_by("code")[:3])
    prizes = ["Giải Nhất", "Giải Nhì", "Giải Ba"]
    decided = contest.launched_on + dt.timedelta(days=95)
    for rank, (team, prize) in enumerate(zip(teams, prizes), start=1):
        campaign_result_record(actor=hr, campaign=contest, agency=team, result=prize, rank=rank,
                               on=contest.launched_on + dt.timedelta(days=88))
        award_record(actor=hr, campaign=contest, agency=team, form="giay_khen",
                     decision_number=f"{1800 + rank}/QĐ-UBND", decided_on=decided,
                     decided_by=f"Chủ tịch {agency.name}", reason=f"{prize} {contest.name[:80]}")
