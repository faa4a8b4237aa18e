"""The replay: each dossier's life played through the dossier services (the same functions a clerk's click
calls, with `at=` the simulated moment), over a period, up to an evening where what is planned later stays
open.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from tqdm import tqdm

from phucvu.catalog.models import Procedure
from phucvu.core.exceptions import DomainError
from phucvu.demo.names import full_name, id_number, phone
from phucvu.demo.profiles import (
    DISTRICT_WEIGHT,
    END,
    ONLINE_SHARE,
    P_APOLOGY,
    P_LATE,
    P_POSTAL,
    P_STOP,
    P_SUPPLEMENT,
    P_VOTE,
    P_VOTE_ON_CLERK,
    P_WITHDRAW,
    PERIOD_FROM,
    PERIOD_TO,
    SEED_VOLUMES,
    TET,
    TZ,
    VOTE_CHANNELS,
    VOTE_COMMENTS,
    VOTE_LEVELS,
    VOTE_LEVELS_LATE,
)
from phucvu.demo.results import DecisionBook
from phucvu.dossiers import services as sv
from phucvu.dossiers.clock import calendar_for
from phucvu.dossiers.models import DossierStep
from phucvu.organization.models import Agency, Staff
from phucvu.portal.services import satisfaction_vote_cast


@dataclass
class Cast:
    """Who does what where: staff by agency and role, agencies by code."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    by_role: dict[tuple[int, str], list[Staff]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class ReplayStats:
    dossiers: int = 0
    transitions: int = 0
    refused_online: int = 0
    votes: int = 0
    failures: list[str] = field(default_factory=list)
    by_level: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def as_json(self) -> dict:
        return {"dossiers": self.dossiers, "transitions": self.transitions, "refused_online": self.refused_online,
                "votes": self.votes, "failures": list(self.failures), "by_level": dict(self.by_level)}

    @classmethod
    def from_json(cls, data: dict | None) -> ReplayStats:
        data = data or {}
        return cls(dossiers=data.get("dossiers", 0), transitions=data.get("transitions", 0),
                   refused_online=data.get("refused_online", 0), votes=data.get("votes", 0),
                   failures=list(data.get("failures", [])),
                   by_level=defaultdict(int, data.get("by_level", {})))


# One planned dossier: (level, receiving place, procedure); a plan is the days with their planned dossiers.
Planned = tuple[str, Agency, Procedure]
Plan = list[tuple[dt.date, list[Planned]]]


def arrival(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment in office hours: mornings busier than afternoons."""
    if rng.random() < 0.6:
        minutes = 7 * 60 + 10 + int(rng.triangular(0, 245, 90))
    else:
        minutes = 13 * 60 + 30 + int(rng.triangular(0, 205, 60))
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), TZ)


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
    mix: dict[str, tuple[list, list[float]]] = {}
    procedures = list(Procedure.objects.select_related("current_version", "field"))
    for level in SEED_VOLUMES:
        chosen = [p for p in procedures if level in p.level_list]
        mix[level] = (chosen, [weights.get(p.code, 1.0) for p in chosen])
    return mix


class Replayer:
    """Plays one dossier's life through the services, at simulated moments, up to END."""

    def __init__(self, cast: Cast, rng: random.Random, stats: ReplayStats, *, end: dt.datetime = END,
                 online_share: dict[str, float] | None = None, decisions: DecisionBook | None = None) -> None:
        self.cast, self.rng, self.stats, self.end = cast, rng, stats, end
        self.decisions = decisions or DecisionBook()
        self.online_share = online_share or ONLINE_SHARE
        self.by_id = {a.pk: a for a in cast.agencies.values()}
        self.cal = calendar_for(None)

    def staff(self, agency_id: int, role: str) -> Staff:
        pool = self.cast.by_role.get((agency_id, role)) or self.cast.by_role.get((agency_id, "unit_leader"))
        return self.rng.choice(pool)

    def arrival(self, day: dt.date) -> dt.datetime:
        return arrival(self.rng, day)

    def run(self, level: str, desk: Agency, procedure, day: dt.date) -> None:
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
                raise Unfinished
            d = call(dossier_id=d.pk, version=d.version, at=at, **kw)
            self.stats.transitions += 1

        try:
            holder = clerk
            withdraw = rng.random() < P_WITHDRAW
            stop = not withdraw and rng.random() < P_STOP
            supplement = n >= 3 and not late and version_is_long(d) and rng.random() < P_SUPPLEMENT
            for k, a in enumerate(marks, start=1):
                agency_id, role = steps[k]  # resolved at intake (dossiers.routing), as at a real desk
                nxt = self.staff(agency_id, role or "specialist")
                step(sv.dossier_forward, actor=holder, at=moment(a), assignee_id=nxt.pk)
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
            resolved_at = moment(a_res)
            step(sv.dossier_resolve, actor=holder, at=resolved_at, result="granted",
                 **self.decisions.record(signer=holder, dossier_code=d.code, procedure=procedure.name, at=resolved_at))
            wait = rng.randint(1, 60) if d.legal_minutes <= 480 else rng.randint(30, 1440)
            fee = int(procedure.current_version.fee or 0)
            step(sv.dossier_return_result, actor=clerk, at=cal.add_working_minutes(d.resolved_at, wait),
                 fee_amount=fee, fee_receipt_number=f"BL-{d.code}" if fee else "")
            if rng.random() < P_VOTE:
                self.vote(d, late)
        except Unfinished:
            pass

    def vote(self, d, late: bool) -> None:
        """The citizen rates the service when taking the result, through the portal's own service."""
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



class Unfinished(Exception):
    """The next move falls after the end of the replay: the dossier stays as it was that evening."""


def version_is_long(d) -> bool:
    return d.legal_minutes >= 480 * 3


def make_plan(cast: Cast, weights: dict[str, float], *, scale: float, rng: random.Random,
              period: tuple[dt.date, dt.date] = (PERIOD_FROM, PERIOD_TO), volumes: dict[str, float] | None = None,
              points: dict | None = None, mix: dict | None = None) -> Plan:
    """Every dossier of `period` (the seed's volumes × scale unless `volumes` is given): its working day
    (the daily shape), its receiving place and its procedure; the days in order, each day's dossiers by place."""
    cal = calendar_for(None)
    first, last = period
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    days = [d for d in days if cal.is_working_day(d)]
    shape = day_weights(days, tet=TET.get(first.year, dt.date(first.year, 1, 28)))
    points = points or receiving_points(cast, rng)
    mix = mix or procedure_mix(weights)
    plan: dict[dt.date, list[Planned]] = defaultdict(list)
    for level, seed_count in (volumes or SEED_VOLUMES).items():
        count = round(seed_count * scale)
        places, place_w = points[level]
        procs, proc_w = mix[level]
        for day, place, proc in zip(rng.choices(days, shape, k=count), rng.choices(places, place_w, k=count),
                                    rng.choices(procs, proc_w, k=count)):
            plan[day].append((level, place, proc))
    out = []
    for day in days:
        todays = plan.get(day, [])
        todays.sort(key=lambda t: t[1].pk)
        out.append((day, todays))
    return out


def split_plan(plan: Plan, live: int) -> tuple[Plan, Plan]:
    """(history, live): the last `live` planned dossiers go through the services, the rest in bulk. A day
    may be cut in two: its first dossiers (by place) in bulk, the rest live."""
    left = live
    cut = len(plan)
    while cut > 0 and left > 0:
        cut -= 1
        left -= len(plan[cut][1])
    if left >= 0:
        return plan[:cut], plan[cut:]
    day, todays = plan[cut]
    keep = -left  # of that day's dossiers, these stay in bulk
    return [*plan[:cut], (day, todays[:keep])], [(day, todays[keep:]), *plan[cut + 1:]]


def play(player: Replayer, plan: Plan, *, desc: str, quiet: bool = False) -> None:
    """Each planned dossier through the services, one transaction per simulated day."""
    bar = tqdm(total=sum(len(v) for _, v in plan), desc=desc, unit="hs", disable=quiet)
    for day, todays in plan:
        # One transaction per simulated day: each service call is a savepoint inside it.
        with transaction.atomic():
            for level, place, proc in todays:
                player.run(level, place, proc, day)
        bar.update(len(todays))
    bar.close()


def replay(cast: Cast, weights: dict[str, float], *, scale: float, rng: random.Random, quiet: bool = False,
           period: tuple[dt.date, dt.date] = (PERIOD_FROM, PERIOD_TO), end: dt.datetime = END,
           volumes: dict[str, float] | None = None, points: dict | None = None, mix: dict | None = None,
           online_share: dict[str, float] | None = None) -> ReplayStats:
    """Play the dossiers of `period` (the seed's volumes × scale unless `volumes` is given) up to `end`,
    every one through the services."""
    stats = ReplayStats()
    player = Replayer(cast, rng, stats, end=end, online_share=online_share)
    plan = make_plan(cast, weights, scale=scale, rng=rng, period=period, volumes=volumes, points=points, mix=mix)
    first, last = period
    play(player, plan, desc=f"Phát lại {first:%d/%m}–{last:%d/%m/%Y}", quiet=quiet)
    return stats
