"""The dossier rows every bulk path writes — the history import (`importers.py`), `phucvu seed` and the SQL
generator of the synthetic app — built in one place, so that they follow one set of rules:

- the status follows from the instants (`status_of`; `status_sql` is the same rule for SQL);
- codes are numbered after the agency's day counter and after any number the given codes already took,
  and the counters move on so live intake continues each day's sequence (`CodeNumbers`);
- the search key is the folded code, name and identity number (`SearchKeys`, `search_key_sql`);
- look-up secrets come from the receipt alphabet (`new_secrets`, `secret_sql`);
- a dossier still in progress gets its version's workflow steps, the first one running (`step_rows`); every
  dossier the competent agency those steps give (`competent_agencies`);
- one `imported` event a dossier, the head of its hash chain (`event_row`), and its facts for the reports (`line_facts`).

The rows go in through `phucvu.core.bulk` (ids, COPY, deferred reference checks).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from phucvu.catalog.models import ProcedureVersion, WorkflowStep, rule_set_on
from phucvu.core.bulk import JSONB_VERSION, jsonb
from phucvu.core.text import fold
from phucvu.dossiers.chain import first_event_hash
from phucvu.dossiers.codes import SECRET_ALPHABET, format_code, parse_code
from phucvu.dossiers.facts import DossierFacts
from phucvu.dossiers.models import Channel, DossierCounter, EventKind, Status
from phucvu.dossiers.routing import Routes, competent_of, step_plans
from phucvu.organization.models import Agency

BATCH = 2000

DOSSIER_COLUMNS = (
    "id", "code", "agency_id", "procedure_id", "procedure_version_id", "field_id", "channel", "status",
    "applicant_name", "applicant_id_number", "search_key", "submitted_at", "received_at", "start_at", "due_at",
    "legal_minutes", "resolved_at", "result", "returned_at", "withdrawn_at", "stopped_at", "paused_at",
    "paused_from", "pauses", "supplement_count", "current_step_id", "secret", "rule_set", "competent_agency_id",
)
STEP_COLUMNS = ("id", "dossier_id", "order", "name", "agency_id", "role", "share", "minutes", "started_at", "due_at")
EVENT_COLUMNS = ("id", "dossier_id", "kind", "at", "to_status", "due_at_then", "data", "chain_hash")


class DossierLine(NamedTuple):
    """One dossier to write in bulk, as its source states it (a tuple: cheap to make by the hundred thousand).

    The rest of the row (search key, secret, rule set, steps, pause columns) is derived from it here."""

    line: int  # the line of the imported file (0 for generated history)
    code: str  # "" until numbered
    agency_id: int
    procedure_id: int
    version_id: int
    field_id: int | None
    channel: str
    name: str
    id_number: str
    received: dt.datetime
    start: dt.datetime  # the clock's start (the cut-off may move it to the next working day)
    due: dt.datetime
    legal: int  # working minutes from start to due (Dossier.legal_minutes)
    resolved: dt.datetime | None
    result: str
    returned: dt.datetime | None
    withdrawn: dt.datetime | None
    stopped: dt.datetime | None
    day: dt.date  # local day of receipt: the code's day, the version's and the rule set's
    status: str  # `status_of` the instants
    pauses: tuple[tuple[dt.datetime, dt.datetime | None], ...] = ()  # supplement waits (start, end or None)
    submitted: dt.datetime | None = None  # an online one's submission, when before its receipt (else received)


# -- status ---------------------------------------------------------------------------------------------------
# The end of a dossier's story decides its status, the latest kind of end first: a returned result, a result,
# a withdrawal, a stop. Without one it is waiting for papers (an open pause) or still in progress.

def status_of(resolved: dt.datetime | None, returned: dt.datetime | None, withdrawn: dt.datetime | None,
              stopped: dt.datetime | None, *, waiting: bool = False, running: str = Status.RECEIVED.value) -> str:
    """The status the instants give; `running` is the status of one in progress (an import says "received":
    its first step runs; generated history says "processing"). Plain values, not the enum's members: they
    are formatted into every event's hash, and an enum member formats slower."""
    if returned:
        return _RETURNED
    if resolved:
        return _RESOLVED
    if withdrawn:
        return _WITHDRAWN
    if stopped:
        return _STOPPED
    if waiting:
        return _AWAITING
    return running


_RETURNED, _RESOLVED, _WITHDRAWN, _STOPPED, _AWAITING = (
    s.value for s in (Status.RETURNED, Status.RESOLVED, Status.WITHDRAWN, Status.STOPPED, Status.AWAITING_SUPPLEMENT))


def status_sql(*, returned: str, resolved: str, withdrawn: str, stopped: str, waiting: str,
               running: str = Status.PROCESSING) -> str:
    """`status_of` as an SQL expression over the given column expressions (`waiting` a boolean one)."""
    order = ((returned, Status.RETURNED), (resolved, Status.RESOLVED), (withdrawn, Status.WITHDRAWN),
             (stopped, Status.STOPPED))
    whens = " ".join(f"WHEN {expr} IS NOT NULL THEN '{status.value}'" for expr, status in order)
    return f"CASE {whens} WHEN {waiting} THEN '{Status.AWAITING_SUPPLEMENT.value}' ELSE '{Status(running).value}' END"


# -- search keys and secrets ----------------------------------------------------------------------------------

class SearchKeys:
    """`models.dossier_search_key` for many rows: `fold` once per distinct word (names share their words)."""

    def __init__(self) -> None:
        self.words: dict[str, str] = {}

    def key(self, code: str, name: str, id_number: str) -> str:
        text = f"{code} {name} {id_number}"
        if text.isascii():
            return " ".join(text.lower().split())[:400]
        words = self.words
        out = []
        for word in text.split():
            if word.isascii():  # codes, numbers, unaccented words: unique ones would only fill the cache
                out.append(word.lower())
                continue
            folded = words.get(word)
            if folded is None:
                folded = words[word] = fold(word)
            if folded:
                out.append(folded)
        return " ".join(out)[:400]


def search_key_sql(code: str, folded_name: str, id_number: str) -> str:
    """`SearchKeys.key` in SQL, for ASCII codes and identity numbers and a name folded beforehand (`fold`)."""
    return f"substr(lower({code}) || ' ' || {folded_name} || ' ' || {id_number}, 1, 400)"


_SECRET_BYTES = bytes(ord(SECRET_ALPHABET[b % 32]) for b in range(256))  # as codes.new_secret: byte mod 32


def new_secrets(count: int) -> list[str]:
    """`count` look-up secrets like `codes.new_secret`, from one call to the system's random source."""
    text = secrets.token_bytes(8 * count).translate(_SECRET_BYTES).decode("ascii")
    return [text[i:i + 8] for i in range(0, 8 * count, 8)]


def secret_sql(bits: str) -> str:
    """A secret of 8 letters of the receipt alphabet from an SQL bigint expression of 40 random bits."""
    return " || ".join(f"substr('{SECRET_ALPHABET}', 1 + CAST((({bits}) >> {5 * i}) & 31 AS integer), 1)"
                       for i in range(8))


# -- codes ----------------------------------------------------------------------------------------------------

class CodeNumbers:
    """Numbers the codes of lines without one: in order of receipt, after every number already used that day
    (in the agency's counter, or by a given code in our format with the same prefix), gap-free. The counters
    are locked when first read (the caller's transaction) and written by `save`. Chunks may follow each other."""

    def __init__(self, prefixes: dict[int, str]) -> None:
        self.prefix = prefixes
        self.counters: dict[tuple[int, dt.date], DossierCounter] = {}
        self.new: set[tuple[int, dt.date]] = set()
        self.changed: set[tuple[int, dt.date]] = set()

    def assign(self, lines: Sequence[DossierLine]) -> list[str]:
        """Every line's code (its own, or a new number)."""
        used: dict[tuple[str, dt.date], int] = defaultdict(int)
        wanted: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
        for index, r in enumerate(lines):
            if r.code:
                parsed = parse_code(r.code)
                if parsed:
                    used[parsed[:2]] = max(used[parsed[:2]], parsed[2])
            else:
                wanted[(r.agency_id, r.day)].append(index)
        # Counters to move on: days we number, and days whose numbers the given codes already took.
        keys = set(wanted) | {(r.agency_id, r.day) for r in lines
                              if r.code and used.get((self.prefix[r.agency_id], r.day))}
        codes = [r.code for r in lines]
        if not keys:
            return codes
        self._load(keys)
        for key in keys:
            counter = self.counters[key]
            prefix = self.prefix[key[0]]
            number = max(counter.last, used.get((prefix, key[1]), 0))
            head = format_code(prefix, key[1], 0)[:-4]  # "prefix-yymmdd-": the date formatted once per day
            for index in sorted(wanted.get(key, ()), key=lambda i: lines[i].received):
                number += 1
                codes[index] = f"{head}{number:04d}"  # = format_code(prefix, day, number)
            if number != counter.last:
                counter.last = number
                if key not in self.new:
                    self.changed.add(key)
        return codes

    def _load(self, keys: set[tuple[int, dt.date]]) -> None:
        missing = keys - self.counters.keys()
        if not missing:
            return
        days = [k[1] for k in missing]
        for c in DossierCounter.objects.select_for_update().filter(
                agency_id__in={k[0] for k in missing}, day__gte=min(days), day__lte=max(days)):
            self.counters.setdefault((c.agency_id, c.day), c)
        for key in missing - self.counters.keys():
            self.counters[key] = DossierCounter(agency_id=key[0], day=key[1], last=0)
            self.new.add(key)

    def save(self) -> None:
        """Write the counters moved on since the last save."""
        DossierCounter.objects.bulk_create([self.counters[k] for k in self.new], batch_size=BATCH)
        DossierCounter.objects.bulk_update([self.counters[k] for k in self.changed], ["last"], batch_size=BATCH)
        self.new.clear()
        self.changed.clear()


# -- steps ----------------------------------------------------------------------------------------------------

RUNNING = frozenset({Status.RECEIVED, Status.PROCESSING})


def step_rows(lines: Sequence[DossierLine], pks: Sequence[int], agencies: dict[int, Agency],
              calendar: Callable[[int], object], take_ids: Callable[[int], list[int]]) -> tuple[list[tuple], dict[int, int]]:
    """The workflow steps of the dossiers in progress (not paused), the first one running from the start moment,
    as at intake (`routing.step_plans`); returns the STEP_COLUMNS rows and each such dossier's current step.

    `calendar(agency_id)` gives an agency's working calendar; `take_ids(count)` the steps' primary keys."""
    running = [(pk, r) for pk, r in zip(pks, lines) if r.status in RUNNING]
    if not running:
        return [], {}
    templates: dict[int, list[tuple]] = defaultdict(list)
    for t in WorkflowStep.objects.filter(version_id__in={r.version_id for _, r in running}).order_by("order"):
        templates[t.version_id].append((t.order, t.name, t.agency_id, t.role, t.share, t.unit))
    plans: dict[tuple[int, int], list[dict]] = {}
    routes = Routes(agencies, {r.procedure_id for _, r in running})
    for _, r in running:
        key = (r.version_id, r.agency_id)
        if key not in plans:
            agency = agencies[r.agency_id]
            plans[key] = step_plans(templates[r.version_id], agency, 0, r.procedure_id,
                                    routes.route(r.procedure_id, agency))
    step_ids = iter(take_ids(sum(len(plans[(r.version_id, r.agency_id)]) for _, r in running)))
    rows, current = [], {}
    for pk, r in running:
        legal = r.legal
        for i, plan in enumerate(plans[(r.version_id, r.agency_id)]):
            step_pk = next(step_ids)
            minutes = legal * plan["share"] // 100
            started = due = None
            if i == 0:
                current[pk] = step_pk
                started = r.start
                due = calendar(plan["agency_id"]).add_working_minutes(r.start, minutes)  # type: ignore[attr-defined]
            rows.append((step_pk, pk, plan["order"], plan["name"], plan["agency_id"], plan["role"], plan["share"],
                         minutes, started, due))
    return rows, current


def competent_agencies(lines: Sequence[DossierLine], agencies: dict[int, Agency]) -> dict[tuple[int, int], int]:
    """The competent agency (`routing.competent_of`) of every (version, receiving agency) of `lines`, from the
    steps intake would give them: finished dossiers have no steps, but were decided there all the same."""
    return competent_of_pairs({(r.version_id, r.agency_id) for r in lines}, agencies)


def competent_of_pairs(pairs: Iterable[tuple[int, int]], agencies: dict[int, Agency]) -> dict[tuple[int, int], int]:
    """`competent_agencies` for (version id, receiving agency id) pairs (the SQL generator's pick tables)."""
    pairs = set(pairs)
    templates: dict[int, list[tuple]] = defaultdict(list)
    for t in WorkflowStep.objects.filter(version_id__in={v for v, _ in pairs}).order_by("order"):
        templates[t.version_id].append((t.order, t.name, t.agency_id, t.role, t.share, t.unit))
    procedure_of = dict(ProcedureVersion.objects.filter(pk__in={v for v, _ in pairs})
                        .values_list("pk", "procedure_id"))
    routes = Routes(agencies, procedure_of.values())
    return {key: competent_of(step_plans(templates[key[0]], agencies[key[1]], 0, procedure_of[key[0]],
                                         routes.route(procedure_of[key[0]], agencies[key[1]])))
            for key in pairs}


# -- rows -----------------------------------------------------------------------------------------------------

NO_PAUSES = jsonb([])


def _pauses_cell(pauses: tuple) -> bytes:
    return jsonb([[a.isoformat(), b.isoformat() if b else None] for a, b in pauses]) if pauses else NO_PAUSES


def dossier_rows(lines: Sequence[DossierLine], pks: Sequence[int], codes: Sequence[str],
                 current: dict[int, int], competent: dict[tuple[int, int], int] | None = None) -> Iterator[tuple]:
    """DOSSIER_COLUMNS rows (`core.bulk` takes them); `current` maps a dossier to its running step, `competent`
    a (version, receiving agency) to its competent agency (`competent_agencies`; without it, none)."""
    competent = competent or {}
    keys = SearchKeys()
    key = keys.key
    secret_list = new_secrets(len(lines))
    rule_sets: dict[dt.date, str] = {}
    online, processing, no_pauses = Channel.ONLINE, Status.PROCESSING, NO_PAUSES
    for pk, code, r, secret in zip(pks, codes, lines, secret_list):
        rule_set = rule_sets.get(r.day)
        if rule_set is None:
            rule_set = rule_sets[r.day] = rule_set_on(r.day)
        if r.pauses:
            open_pause = r.pauses[-1][0] if r.pauses[-1][1] is None else None
            paused_from, pauses, supplements = processing if open_pause else "", _pauses_cell(r.pauses), len(r.pauses)
        else:
            open_pause, paused_from, pauses, supplements = None, "", no_pauses, 0
        yield (pk, code, r.agency_id, r.procedure_id, r.version_id, r.field_id, r.channel, r.status,
               r.name, r.id_number, key(code, r.name, r.id_number), (r.submitted or r.received) if r.channel == online else None,
               r.received, r.start, r.due, r.legal, r.resolved, r.result, r.returned, r.withdrawn, r.stopped,
               open_pause, paused_from, pauses, supplements, current.get(pk), secret, rule_set,
               competent.get((r.version_id, r.agency_id)))


def event_row(event_pk: int, pk: int, r: DossierLine, data: bytes, canonical: str) -> tuple:
    """A dossier's `imported` event as an EVENT_COLUMNS row; `data` its JSON (`core.bulk.jsonb`), `canonical`
    the same as `chain.canonical_data` gives it (the event heads the dossier's chain: docs/audit.md)."""
    return (event_pk, pk, EventKind.IMPORTED, r.received, r.status, r.due, data,
            first_event_hash(pk, EventKind.IMPORTED, r.received, r.status, r.due, canonical))


def line_event_row(event_pk: int, pk: int, r: DossierLine) -> tuple:
    """`event_row` of an imported line, whose data is `{"line": r.line}` (formatted here without json.dumps:
    this runs once a line, while the lines are checked)."""
    line, received, status, due = r.line, r.received, r.status, r.due
    return (event_pk, pk, _IMPORTED, received, status, due, _LINE_JSONB % line,
            first_event_hash(pk, _IMPORTED, received, status, due, f'{{"line":{line}}}'))  # = chain.canonical_data


_IMPORTED = EventKind.IMPORTED.value
_LINE_JSONB = JSONB_VERSION + b'{"line": %d}'  # `jsonb({"line": n})`


def line_facts(lines: Iterable[DossierLine], pks: Iterable[int],
               competent: dict[tuple[int, int], int] | None = None) -> list[DossierFacts]:
    """What the reports need to know of the dossiers written (`facts.prepare` / `facts.publish`); `competent`
    as `dossier_rows` takes it (without it, each is counted by its receiving agency)."""
    competent = competent or {}
    return [DossierFacts(dossier_id=pk, agency_id=r.agency_id, procedure_id=r.procedure_id, field_id=r.field_id,
                         channel=r.channel, received_at=r.received, due_at=r.due, resolved_at=r.resolved,
                         withdrawn_at=r.withdrawn, stopped_at=r.stopped, pauses=r.pauses,
                         competent_agency_id=competent.get((r.version_id, r.agency_id)))
            for pk, r in zip(pks, lines)]
