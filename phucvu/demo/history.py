"""The demo's history in bulk: every dossier of the replay's plan but the last ones, its life computed with the
replay's own odds and moments (`replay.Replayer`) and written through the bulk path (`dossiers.bulkrows` rows,
`core.bulk` ids, COPY and reference checks), so that `phucvu demo --scale 1` builds the province's 485,590
dossiers in minutes; the last dossiers before the demo's "now" still go through the services (`replay`).

A dossier gets what the services would have written: its row (code from the day counters, search key, secret,
clock, pause history, status), every workflow step (assignee, start, due, finish, outcome), one event per
transition (with its actor, step and data), the result record (decision number of the signing agency's book,
signer, fee and receipt) and the citizen's vote; the reports' rollups from the dossiers' facts, as an import
publishes them. What it leaves out: the signed PDF of each decision (the services store one; bulk dossiers
show the number and the signer), the notifications (history: nothing is sent for it) and the online
submissions refused at intake (counted in the summary, as the replay counts them, but not written).

Chunks of whole days, each in its own transaction with the build's progress saved in it: an interrupted build
resumes after the last chunk written (`phucvu demo --resume`). Each chunk draws from its own random stream
(the seed and its first day), so a resumed build writes what an uninterrupted one would have.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from phucvu.catalog.models import PauseRule, Procedure, WorkflowStep
from phucvu.core.bulk import JSONB_VERSION, References, defer_references, insert_rows, jsonb, take_ids
from phucvu.core.localtime import local_day
from phucvu.demo.models import DemoRun
from phucvu.demo.names import full_name, id_number, phone
from phucvu.demo.profiles import (
    END,
    P_APOLOGY,
    P_LATE,
    P_POSTAL,
    P_STOP,
    P_SUPPLEMENT,
    P_VOTE,
    P_VOTE_ON_CLERK,
    P_WITHDRAW,
    VOTE_CHANNELS,
    VOTE_COMMENTS,
    VOTE_LEVELS,
    VOTE_LEVELS_LATE,
)
from phucvu.demo.replay import Cast, Plan, Planned, ReplayStats, arrival
from phucvu.demo.results import DecisionBook
from phucvu.dossiers import facts
from phucvu.dossiers.bulkrows import (
    DOSSIER_COLUMNS,
    STEP_COLUMNS,
    CodeNumbers,
    DossierLine,
    dossier_rows,
    line_facts,
)
from phucvu.dossiers.chain import GENESIS, Micros, canonical_data, plain_event_hash
from phucvu.dossiers.clock import calendar_for, calendars_for, outcome
from phucvu.dossiers.codes import code_prefix
from phucvu.dossiers.models import (
    Channel,
    Collector,
    Dossier,
    DossierEvent,
    DossierStep,
    EventKind,
    ResultRecord,
    Status,
)
from phucvu.dossiers.routing import Routes, competent_of, step_plans
from phucvu.organization.models import Agency, Role, Staff
from phucvu.portal.models import SatisfactionVote

CHUNK = 25_000  # dossiers a transaction (whole days): bounded memory, and the unit of resumption
SQLITE_CACHE_KIB = 256 * 1024  # SQLite's page cache while the history is written

# The columns a bulk-written dossier has beyond the import's (`bulkrows.DOSSIER_COLUMNS`).
LIFE_COLUMNS = ("applicant_phone", "received_by_id", "approved_at", "reappointed_at", "version", "papers")
LIFE_STEP_COLUMNS = (*STEP_COLUMNS, "assignee_id", "finished_at", "outcome")
EVENT_COLUMNS = ("id", "dossier_id", "kind", "actor_id", "at", "from_status", "to_status", "step_id", "note",
                 "due_at_then", "data", "prev_hash", "chain_hash")
RECORD_COLUMNS = ("dossier_id", "number", "signed_on", "signer_name", "signer_id", "recorded_at", "recorded_by_id",
                  "fee_amount", "fee_receipt_number", "collector", "collector_name", "returned_by_id")
VOTE_COLUMNS = ("id", "dossier_id", "agency_id", "level", "clerk_id", "clerk_level", "comment", "channel", "at",
                "current")
MISSING = ["Bản sao giấy tờ chứng minh còn thiếu"]
NO_DATA = canonical_data({})
# The votes' odds as cumulative weights, once (`choices` draws from them as from the weights).
_VOTE, _VOTE_LATE, _CHANNELS = ((values, list(itertools.accumulate(weights)))
                                for values, weights in (VOTE_LEVELS, VOTE_LEVELS_LATE, VOTE_CHANNELS))


class _Unfinished(Exception):
    """The next move falls after the demo's "now": the dossier stays as it was that evening."""


@dataclass
class _Life:
    """One dossier being lived: its steps (plans with the moments), its events and its result."""

    line_args: dict
    plans: list[dict]
    started: list[dt.datetime | None]
    due: list[dt.datetime | None]
    finished: list[dt.datetime | None]
    outcomes: list[str]
    assignee: list[int | None]
    events: list[tuple] = field(default_factory=list)  # (kind, actor, at, from, to, step index, note, due, data)
    current: int = 0
    status: str = Status.RECEIVED
    record: tuple | None = None
    vote: tuple | None = None
    approved: dt.datetime | None = None
    reappointed: dt.datetime | None = None


class HistoryWriter:
    """Computes the lives of a chunk of planned dossiers and writes them (inside the caller's transaction)."""

    def __init__(self, cast: Cast, stats: ReplayStats, decisions: DecisionBook, *, end: dt.datetime = END,
                 online_share: dict[str, float]) -> None:
        self.cast, self.stats, self.decisions, self.end = cast, stats, decisions, end
        self.online_share = online_share
        self.agencies = {a.id: a for a in Agency.objects.select_related("parent")}
        self.numbers = CodeNumbers({pk: code_prefix(a) for pk, a in self.agencies.items()})
        self.cal = calendar_for(None)
        self.cals = calendars_for(self.agencies.values())
        self.wall = timezone.now()
        self._plans: dict[tuple[int, int], tuple[list[dict], int]] = {}
        self._templates: dict[int, list[tuple]] | None = None
        self._routes: Routes | None = None
        self.rng = random.Random(0)
        self.quoted = _Quoted()
        self._intake: dict[tuple[int, str], str] = {}
        self._papers = {p.current_version_id: jsonb(list(p.current_version.papers))  # a dossier's papers
                        for p in Procedure.objects.select_related("current_version")}
        # The decision books name the signing agency by its code: known here, not read one agency at a time.
        decisions.codes.update({pk: a.code for pk, a in self.agencies.items()})

    # -- who and where ------------------------------------------------------------------------------------

    def staff(self, agency_id: int, role: str) -> Staff:
        by_role = self.cast.by_role
        return self.rng.choice(by_role.get((agency_id, role)) or by_role.get((agency_id, Role.UNIT_LEADER)))

    def plans(self, version_id: int, procedure_id: int, desk: Agency) -> tuple[list[dict], int]:
        """The steps intake gives (`routing.step_plans`) and the competent agency, per (version, desk)."""
        key = (version_id, desk.id)
        found = self._plans.get(key)
        if found is None:
            if self._templates is None:
                self._templates = defaultdict(list)
                for t in WorkflowStep.objects.order_by("order"):
                    self._templates[t.version_id].append((t.order, t.name, t.agency_id, t.role, t.share, t.unit))
                self._routes = Routes(self.agencies, Procedure.objects.values_list("pk", flat=True))
            assert self._routes is not None
            plans = step_plans(self._templates[version_id], desk, 0, procedure_id,
                               self._routes.route(procedure_id, desk))
            found = self._plans[key] = (plans, competent_of(plans))
        return found

    # -- one life -----------------------------------------------------------------------------------------

    def live(self, planned: Planned, day: dt.date) -> _Life | None:
        """The replay's `Replayer.run` and `process`, computed: the same odds, moments and rules."""
        level, desk, procedure = planned
        rng, cal = self.rng, self.cal
        clerk = self.staff(desk.id, Role.DESK_CLERK)
        version = procedure.current_version
        online = version.online_level != "none" and rng.random() < self.online_share[level]
        arrived = arrival(rng, day)
        name, id_no, phone_no = full_name(rng), id_number(rng), phone(rng)
        submitted = None
        if online:
            submitted = arrived - dt.timedelta(hours=rng.choice([0, 0, 2, 14]))
            received = cal.add_working_minutes(max(submitted, arrived), rng.randint(5, 90))
            if received > self.end:
                return None
            if rng.random() < 0.015:
                self.stats.refused_online += 1
                return None
            channel = Channel.ONLINE
        else:
            channel = Channel.POSTAL if level != "commune" and rng.random() < P_POSTAL else Channel.COUNTER
            received = arrived
        agency_cal = self.cals[desk.id]
        start, due, legal = agency_cal.timed(received, version.amount, version.time_unit, cutoff=version.cutoff)
        plans, competent = self.plans(version.id, procedure.id, desk)
        n = len(plans)
        life = _Life(line_args={"agency_id": desk.id, "procedure_id": procedure.id, "version_id": version.id,
                                "field_id": procedure.field_id, "channel": channel, "name": name,
                                "id_number": id_no, "received": received, "start": start, "legal": legal,
                                "submitted": submitted, "phone": phone_no, "clerk": clerk.id,
                                "competent": competent, "procedure": procedure, "level": level},
                     plans=plans, started=[None] * n, due=[None] * n, finished=[None] * n, outcomes=[""] * n,
                     assignee=[None] * n)
        life.started[0] = start
        life.due[0] = self.cals[plans[0]["agency_id"]].add_working_minutes(start, legal * plans[0]["share"] // 100)
        intake = self._intake.get((version.id, channel))
        if intake is None:  # the intake's data: the same for every dossier of a version and channel
            intake = self._intake[(version.id, channel)] = canonical_data({"channel": channel,
                                                                           "papers": list(version.papers)})
        if online:
            life.events.append((EventKind.SUBMITTED, None, submitted, "", Status.SUBMITTED, None, "", None, intake))
            life.events.append((EventKind.ACCEPTED, clerk.id, received, Status.SUBMITTED, Status.RECEIVED, 0, "",
                                due, NO_DATA))
            self.stats.transitions += 2
        else:
            life.events.append((EventKind.RECEIVED, clerk.id, received, "", Status.RECEIVED, 0, "", due, intake))
            self.stats.transitions += 1
        self.stats.dossiers += 1
        self.stats.by_level[level] += 1
        state = {"due": due, "pauses": (), "resolved": None, "returned": None, "withdrawn": None, "stopped": None,
                 "result": ""}
        with contextlib.suppress(_Unfinished):
            self._process(life, state, clerk, version, agency_cal)
        life.line_args.update(state)
        return life

    def _process(self, life: _Life, state: dict, clerk: Staff, version, agency_cal) -> None:
        rng, cal, end = self.rng, self.cal, self.end
        plans = life.plans
        n = len(plans)
        legal = life.line_args["legal"]
        start = life.line_args["start"]
        total = max(legal, 30)
        late = rng.random() < P_LATE
        a_res = total + rng.randint(30, 960) if late else max(8.0, total * min(0.97, rng.betavariate(2.2, 3)))
        a_first = min(a_res * 0.15, 30.0)
        marks = [a_first + (a_res - a_first) * k / max(n - 1, 1) * 0.9 for k in range(n - 1)]
        pause = {"at": None, "minutes": 0}

        def moment(a: float) -> dt.datetime:
            shift = pause["minutes"] if pause["at"] is not None and a > pause["at"] else 0
            at = cal.add_working_minutes(start, int(a) + shift)
            if at > end:
                raise _Unfinished
            return at

        def event(kind: str, actor: Staff | None, at: dt.datetime, to_status: str, data: str | dict = NO_DATA,
                  step: int | None = None) -> None:
            life.events.append((kind, actor.id if actor else None, at, life.status, to_status,
                                life.current if step is None else step, "", state["due"], data))
            life.status = to_status
            self.stats.transitions += 1

        def finish_current(at: dt.datetime) -> None:
            k = life.current
            if life.finished[k] is None:
                life.finished[k] = at
                life.outcomes[k] = outcome(at, life.due[k]) if life.due[k] else ""

        holder = clerk
        withdraw = rng.random() < P_WITHDRAW
        stop = not withdraw and rng.random() < P_STOP
        supplement = n >= 3 and not late and legal >= 480 * 3 and rng.random() < P_SUPPLEMENT
        for k, a in enumerate(marks, start=1):
            plan = plans[k]
            nxt = self.staff(plan["agency_id"], plan["role"] or Role.SPECIALIST)
            at = moment(a)
            previous = life.current
            finish_current(at)
            life.current = k
            life.started[k] = at
            life.due[k] = self.cals[plan["agency_id"]].add_working_minutes(at, legal * plan["share"] // 100)
            life.assignee[k] = nxt.id
            # `dossier_forward`'s data as `chain.canonical_data` gives it (keys sorted, compact; the names' JSON
            # text made once): 2–4 a dossier.
            quoted = self.quoted
            event(EventKind.FORWARDED, holder, at, Status.PROCESSING,
                  f'{{"from_agency":{quoted[self.agencies[plans[previous]["agency_id"]].name]},'
                  f'"from_outcome":"{life.outcomes[previous]}","from_step":{plans[previous]["order"]},'
                  f'"step_due_at":"{life.due[k].isoformat()}",'
                  f'"to_agency":{quoted[self.agencies[plan["agency_id"]].name]},"to_agency_id":{plan["agency_id"]},'
                  f'"to_assignee":{quoted[nxt.full_name]},"to_assignee_id":{nxt.id},"to_step":{plan["order"]}}}')
            holder = nxt
            if k == 1 and (withdraw or stop):
                at = moment(a + 5)
                finish_current(at)
                if withdraw:
                    event(EventKind.WITHDRAWN, clerk, at, Status.WITHDRAWN)
                    state["withdrawn"] = at
                else:
                    # Stopping is a leader's decision (the table of who may act).
                    leader = self.staff(plan["agency_id"], Role.UNIT_LEADER)
                    event(EventKind.STOPPED, leader, at, Status.STOPPED)
                    state["stopped"] = at
                return
            if k == 1 and supplement:
                a_sup = a + (a_res - a) * 0.3
                asked = moment(a_sup)
                if asked >= state["due"]:  # the service refuses a request after the due moment
                    continue
                event(EventKind.SUPPLEMENT_REQUESTED, holder, asked, Status.AWAITING_SUPPLEMENT,
                      {"missing": MISSING, "count": 1, "breach": False})
                state["pauses"] = ((asked, None),)
                pause["minutes"] = rng.randint(120, 2400)
                pause["at"] = a_sup
                resumed = cal.add_working_minutes(asked, pause["minutes"])
                if resumed > end:
                    raise _Unfinished
                paused = agency_cal.working_minutes_between(asked, resumed)
                old_due = state["due"]
                restart = version.pause_rule == PauseRule.RESTART
                if restart:
                    state["due"] = agency_cal.due(resumed, version.amount, version.time_unit)[1]
                else:
                    state["due"] = agency_cal.add_working_minutes(old_due, paused)
                step_cal = self.cals[plan["agency_id"]]
                minutes = legal * plan["share"] // 100
                life.due[k] = (step_cal.add_working_minutes(resumed, minutes) if restart
                               else step_cal.add_working_minutes(life.due[k], paused))
                state["pauses"] = ((asked, resumed),)
                event(EventKind.RESUMED, clerk, resumed, Status.PROCESSING,
                      {"paused_minutes": paused, "restart": restart, "old_due_at": old_due.isoformat(),
                       "papers": ["Giấy tờ bổ sung"]})
        if late and rng.random() < P_APOLOGY and total > 120:
            a_apo = max(marks[-1] + 1 if marks else 1, total - 60)
            if a_apo < total:
                at = moment(a_apo)
                if at < state["due"]:
                    life.reappointed = cal.add_working_minutes(state["due"], 960)
                    event(EventKind.APOLOGIZED, holder, at, life.status,
                          {"reappointed_at": life.reappointed.isoformat()})
        if any(p["role"] == Role.UNIT_LEADER for p in plans):  # the leader signs first
            at = moment(a_res - 0.5)
            life.approved = at
            event(EventKind.APPROVED, holder, at, life.status)
        resolved = moment(a_res)
        step = life.current
        finish_current(resolved)
        number = self.decisions.next_number(holder.agency_id, resolved.year)
        signed_on = local_day(resolved)
        # `dossier_resolve`'s data, canonical (a decision number is "<n>/QĐ-<agency code>": nothing to escape).
        event(EventKind.RESOLVED, holder, resolved, Status.RESOLVED,
              f'{{"decision_date":"{signed_on.isoformat()}","decision_number":"{number}","document_sha256":"",'
              f'"outcome":"{outcome(resolved, state["due"])}","result":"granted",'
              f'"signer":{self.quoted[holder.full_name]},"step_outcome":"{life.outcomes[step]}"}}', step=step)
        state["resolved"], state["result"] = resolved, "granted"
        life.record = (number, signed_on, holder.full_name, holder.id, resolved, holder.id)
        wait = rng.randint(1, 60) if legal <= 480 else rng.randint(30, 1440)
        returned = cal.add_working_minutes(resolved, wait)
        if returned > end:
            raise _Unfinished
        fee = int(life.line_args["procedure"].current_version.fee or 0)
        # The receipt's number is the dossier's code (known when the chunk is numbered): filled in then.
        event(EventKind.RETURNED, clerk, returned, Status.RETURNED, {"fee_amount": fee})  # formatted in `write`
        state["returned"] = returned
        life.record = (*life.record, fee, clerk.id)
        if rng.random() < P_VOTE:
            self._vote(life, returned, late, clerk)

    def _vote(self, life: _Life, returned: dt.datetime, late: bool, clerk: Staff) -> None:
        """`Replayer.vote`: the citizen rates the service when taking the result."""
        rng = self.rng
        at = returned + dt.timedelta(minutes=rng.randint(1, 20))
        if at > self.end:
            return
        levels, cumulative = _VOTE_LATE if late else _VOTE
        level = rng.choices(levels, cum_weights=cumulative)[0]
        on_clerk = rng.random() < P_VOTE_ON_CLERK
        clerk_level = ""
        if on_clerk:
            clerk_level = level if rng.random() < 0.8 else rng.choices(_VOTE[0], cum_weights=_VOTE[1])[0]
        comment = rng.choice(VOTE_COMMENTS[level]) if rng.random() < 0.1 else ""
        life.vote = (level, clerk.id if clerk_level else None, clerk_level, comment,
                     rng.choices(_CHANNELS[0], cum_weights=_CHANNELS[1])[0], at)
        self.stats.votes += 1

    # -- a chunk ------------------------------------------------------------------------------------------

    def write(self, days: Plan, *, seed: int, references: References,
              progress: Callable[[int], None]) -> int:
        """Live and write the dossiers planned on `days`; returns how many were written."""
        self.rng = random.Random(f"{seed}:{days[0][0].isoformat()}")
        self.cal = calendar_for(None)  # the calendars as of this transaction (one query: their stamp)
        self.cals = calendars_for(self.agencies.values())
        lives: list[_Life] = []
        for day, planned in days:
            for item in planned:
                life = self.live(item, day)
                if life is not None:
                    lives.append(life)
            progress(len(planned))
        if not lives:
            return 0
        lines = [_line(life) for life in lives]
        codes = self.numbers.assign(lines)
        self.numbers.save()
        pks = take_ids(Dossier, len(lives))
        step_pks = iter(take_ids(DossierStep, sum(len(life.plans) for life in lives)))
        steps, current, step_of = [], {}, []
        for pk, life in zip(pks, lives):
            mine = []
            for i, plan in enumerate(life.plans):
                step_pk = next(step_pks)
                mine.append(step_pk)
                steps.append((step_pk, pk, plan["order"], plan["name"], plan["agency_id"], plan["role"],
                              plan["share"], life.line_args["legal"] * plan["share"] // 100, life.started[i],
                              life.due[i], life.assignee[i], life.finished[i], life.outcomes[i]))
            current[pk] = mine[life.current]
            step_of.append(mine)
        competent = {(life.line_args["version_id"], life.line_args["agency_id"]): life.line_args["competent"]
                     for life in lives}
        papers = self._papers
        extras = [(life.line_args["phone"], life.line_args["clerk"], life.approved, life.reappointed,
                   len(life.events), papers[life.line_args["version_id"]]) for life in lives]
        # SQLite checks its (deferred) foreign keys row by row: while any is pending, every row written to a
        # table others point at makes it look for those pointing rows — a scan of the whole table where they
        # have no index (dossier.current_step, event.step), once a step. So on SQLite none is left pending:
        # the dossiers first without their current step, the steps, then the current steps set.
        later = connection.vendor == "sqlite"
        if not later:
            insert_rows(DossierStep, LIFE_STEP_COLUMNS, steps)
        insert_rows(Dossier, (*DOSSIER_COLUMNS, *LIFE_COLUMNS),
                    (row + extra for row, extra in zip(dossier_rows(lines, pks, codes, {} if later else current,
                                                                    competent), extras)),
                    {"created_at": self.wall, "updated_at": self.wall})
        if later:
            insert_rows(DossierStep, LIFE_STEP_COLUMNS, steps)
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {Dossier._meta.db_table} SET current_step_id = %s WHERE id = %s",
                                   [(step, pk) for pk, step in current.items()])
        events = []
        event_pks = iter(take_ids(DossierEvent, sum(len(life.events) for life in lives)))
        records, votes = [], []
        quoted = self.quoted
        instants = Micros()  # the chunk's moments repeat (whole minutes of a few days): each formatted once
        applicant = Collector.APPLICANT.value
        vote_pks = iter(take_ids(SatisfactionVote, sum(life.vote is not None for life in lives)))
        for pk, code, life, mine in zip(pks, codes, lives, step_of):
            prev = GENESIS  # each dossier's events chained as the services chain them (docs/audit.md)
            for kind, actor, at, from_status, to_status, step, note, due_then, data in life.events:
                if kind == EventKind.RETURNED:  # `dossier_return_result`'s data, now that the code is known
                    fee = data["fee_amount"]
                    data = (f'{{"authorisation":"","collector":"{applicant}",'
                            f'"collector_id_number":"","collector_name":{quoted[life.line_args["name"]]},'
                            f'"fee_amount":{fee},"fee_receipt_number":"{f"BL-{code}" if fee else ""}",'
                            f'"tracking_number":""}}')
                elif type(data) is not str:
                    data = canonical_data(data)
                # The canonical text is valid JSON: stored as it is, hashed as it is.
                step_id = None if step is None else mine[step]
                digest = plain_event_hash(prev, pk, kind, instants[at], actor, from_status, to_status, step_id,
                                          instants[due_then], data)
                events.append((next(event_pks), pk, kind, actor, at, from_status, to_status, step_id, note,
                               due_then, JSONB_VERSION + data.encode(), prev, digest))
                prev = digest
            if life.record is not None:
                number, signed_on, signer_name, signer, recorded_at, recorded_by, *returned = life.record
                fee, returned_by = returned if returned else (None, None)
                records.append((pk, number, signed_on, signer_name, signer, recorded_at, recorded_by, fee,
                                f"BL-{code}" if fee else "", Collector.APPLICANT if returned else "",
                                life.line_args["name"] if returned else "", returned_by))
            if life.vote is not None:
                level, clerk, clerk_level, comment, channel, at = life.vote
                votes.append((next(vote_pks), pk, life.line_args["agency_id"], level, clerk, clerk_level, comment,
                              channel, at, True))
        insert_rows(DossierEvent, EVENT_COLUMNS, events)
        insert_rows(ResultRecord, RECORD_COLUMNS, records)
        insert_rows(SatisfactionVote, VOTE_COLUMNS, votes)
        references.written(DossierStep, LIFE_STEP_COLUMNS, [row[0] for row in steps])
        references.written(Dossier, (*DOSSIER_COLUMNS, *LIFE_COLUMNS), pks)
        references.written(DossierEvent, EVENT_COLUMNS, [row[0] for row in events])
        references.written(SatisfactionVote, VOTE_COLUMNS, [row[0] for row in votes])
        facts.publish([(None, f) for f in line_facts(lines, pks, competent)])  # the reports' rollups
        return len(lives)


class _Quoted(dict):
    """A name's JSON text (quoted and escaped), made once."""

    def __missing__(self, text: str) -> str:
        value = self[text] = json.dumps(text, ensure_ascii=False)
        return value


def _line(life: _Life) -> DossierLine:
    a = life.line_args
    return DossierLine(0, "", a["agency_id"], a["procedure_id"], a["version_id"], a["field_id"], a["channel"],
                       a["name"], a["id_number"], a["received"], a["start"], a["due"], a["legal"], a["resolved"],
                       a["result"], a["returned"], a["withdrawn"], a["stopped"], local_day(a["received"]), life.status,
                       a["pauses"], a["submitted"])


def chunks(plan: Plan, size: int = CHUNK) -> list[Plan]:
    """Whole days, about `size` dossiers a chunk."""
    out: list[Plan] = []
    current: Plan = []
    count = 0
    for day, planned in plan:
        current.append((day, planned))
        count += len(planned)
        if count >= size:
            out.append(current)
            current, count = [], 0
    if current:
        out.append(current)
    return out


def write_history(cast: Cast, plan: Plan, *, run: DemoRun, seed: int,
                  stats: ReplayStats, decisions: DecisionBook, online_share: dict[str, float],
                  quiet: bool = False) -> None:
    """Write the planned dossiers chunk by chunk, each chunk a transaction that also records it in `run`
    (`summary["history_chunks"]`): after an interruption, the chunks already written are skipped."""
    parts = chunks(plan)
    done = int(run.summary.get("history_chunks", 0))
    total = sum(len(p) for day in parts for _, p in day)
    skipped = sum(len(p) for day in parts[:done] for _, p in day)
    writer = HistoryWriter(cast, stats, decisions, online_share=online_share)
    bar = tqdm(total=total, initial=skipped, desc="Lịch sử hồ sơ (ghi hàng loạt)", unit="hs", disable=quiet,
               smoothing=0.1)
    with _bulk_session():
        for number, part in enumerate(parts[done:], start=done + 1):
            with transaction.atomic():
                references = defer_references()
                writer.write(part, seed=seed, references=references, progress=bar.update)
                references.check()
                run.summary = {**run.summary, "history_chunks": number, "history_stats": stats.as_json(),
                               "decisions": decisions.as_json()}
                DemoRun.objects.filter(pk=run.pk).update(summary=run.summary)
    bar.close()


def write_days(cast: Cast, plan: Plan, *, seed: int, stats: ReplayStats, decisions: DecisionBook,
               online_share: dict[str, float], end: dt.datetime, desc: str, quiet: bool = False) -> None:
    """Write planned dossiers in bulk inside the caller's transaction, chunk by chunk (a phase that is one
    transaction, with no resumption of its own: the demo's year 2026)."""
    if not plan:
        return
    writer = HistoryWriter(cast, stats, decisions, end=end, online_share=online_share)
    bar = tqdm(total=sum(len(p) for _, p in plan), desc=desc, unit="hs", disable=quiet)
    with _bulk_session():
        for part in chunks(plan):
            references = defer_references()
            writer.write(part, seed=seed, references=references, progress=bar.update)
            references.check()
    bar.close()


@contextlib.contextmanager
def _bulk_session() -> Iterator[None]:
    """While the chunks are written: no cyclic garbage collection — a chunk's lives are some 10⁶ objects, all
    freed by reference counting, and every collection walked them all again (a third of the CPU time) — and
    on SQLite a page cache of 256 MiB instead of 2 MiB (the indexes grow past it from the second chunk)."""
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            before = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")


def database_size() -> int:
    """Bytes the database takes: PostgreSQL's own count, or the SQLite file with its write-ahead log."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return int(pages * cursor.fetchone()[0])
    return 0

