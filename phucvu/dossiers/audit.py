"""Sealing the days of the event chain and verifying it (`phucvu audit seal|verify`, docs/audit.md).

Each dossier's events form a hash chain (`chain.py`), written with the rows. Once a local day is over, its
record (`EventDay`) hashes the previous day's record and the head of every dossier with an event recorded
that day, so that removing a dossier's last event, or rewriting a whole chain, also shows. `verify` walks
every chain and every day record and names the first broken link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from tqdm import tqdm

from phucvu.core.localtime import local_day, start_of_day
from phucvu.dossiers import chain
from phucvu.dossiers.models import Dossier, DossierEvent, EventDay

EVENT_COLUMNS = ("id", "dossier_id", "kind", "at", "actor_id", "from_status", "to_status", "step_id", "note",
                 "due_at_then", "data", "prev_hash", "chain_hash")
KEPT = 50  # broken links kept to name (all are counted)
_SEAL_LOCK = 0x70687663  # an advisory lock key: one sealer at a time on PostgreSQL

# -- days -----------------------------------------------------------------------------------------------------


def _window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return start_of_day(day), start_of_day(day + dt.timedelta(days=1))


def day_heads(day: dt.date) -> tuple[list[tuple[int, str]], int]:
    """(dossier id, last event's hash) of every dossier with an event recorded on `day`, in dossier order, and
    the number of those events. Per dossier, events are written one after another under its row lock, so its
    last one recorded that day is the one with the highest id."""
    start, end = _window(day)
    recorded = DossierEvent.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
    last = recorded.values("dossier_id").annotate(last=Max("id")).values("last")
    heads = list(DossierEvent.objects.filter(id__in=last).order_by("dossier_id")
                 .values_list("dossier_id", "chain_hash"))
    return heads, recorded.count()


def _settled_before(now: dt.datetime) -> dt.datetime:
    """The moment before which every event is written: the start of today — or, on PostgreSQL, of the day of
    the oldest transaction still open elsewhere (it may yet commit events recorded before midnight)."""
    cut = start_of_day(local_day(now))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")
            oldest = cursor.fetchone()[0]
        if oldest is not None and oldest < cut:
            cut = start_of_day(local_day(oldest))
    return cut


@transaction.atomic
def seal_days(now: dt.datetime | None = None) -> list[EventDay]:
    """A record for every day with events, up to yesterday, not sealed yet. Idempotent: run it as often as
    you like (the worker's `audit_days` sweep runs it hourly); returns the records written."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
    cut = _settled_before(now or timezone.now())
    last = EventDay.objects.order_by("-day").first()
    since = _window(last.day)[1] if last else None
    prev = last.chain_hash if last else chain.GENESIS
    written = []
    while True:
        pending = DossierEvent.objects.filter(recorded_at__lt=cut)
        if since is not None:
            pending = pending.filter(recorded_at__gte=since)
        first = pending.aggregate(first=Min("recorded_at"))["first"]
        if first is None:
            return written
        day = local_day(first)
        heads, events = day_heads(day)
        record = EventDay.objects.create(day=day, prev_hash=prev, chain_hash=chain.day_hash(prev, day, heads),
                                         dossiers=len(heads), events=events)
        written.append(record)
        prev, since = record.chain_hash, _window(day)[1]


# -- verification ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """One broken link: where (a dossier's event, or a day's record) and what differed."""

    what: str  # "event" or "day"
    reason: str
    dossier_id: int | None = None
    dossier_code: str = ""
    event_id: int | None = None
    day: dt.date | None = None

    def __str__(self) -> str:
        if self.what == "day":
            return f"Ngày {self.day:%d/%m/%Y}: {self.reason}"
        return f"Hồ sơ {self.dossier_code}, sự kiện #{self.event_id}: {self.reason}"


@dataclass
class Verification:
    events: int = 0
    dossiers: int = 0
    days: int = 0
    breaks: list[Break] = field(default_factory=list)  # the first KEPT, in the order found
    broken: int = 0  # dossiers and days with a broken link
    last_day: EventDay | None = None  # the latest day record checked: its hash is the one to publish

    @property
    def intact(self) -> bool:
        return not self.broken

    def add(self, found: Break) -> None:
        self.broken += 1
        if len(self.breaks) < KEPT:
            self.breaks.append(found)


def _event_break(row: dict, expected_prev: str, previous_id: int | None) -> str | None:
    if not row["chain_hash"]:
        return "không có mã băm (sự kiện ghi ngoài các đường ghi của hệ thống)"
    if chain.stored_event_hash(row["prev_hash"], row) != row["chain_hash"]:
        return ("nội dung sự kiện không còn cho ra mã băm đã lưu: sự kiện đã bị sửa sau khi ghi "
                f"(mã lưu {row['chain_hash'][:16]}…)")
    if row["prev_hash"] != expected_prev:
        if previous_id is None:
            return ("là sự kiện đầu tiên còn lại của hồ sơ nhưng nối tiếp một sự kiện trước "
                    f"({row['prev_hash'][:16]}…): sự kiện trước đã bị xoá hoặc thứ tự đã bị đổi")
        return (f"mã băm của sự kiện trước ghi trong sự kiện ({row['prev_hash'][:16]}…) khác mã băm của "
                f"sự kiện #{previous_id} đứng trước nó ({expected_prev[:16]}…): một sự kiện ở giữa đã bị xoá, "
                "thêm hoặc đổi thứ tự")
    return None


def _verify_events(events: Iterable[dict], result: Verification, tick: Callable[[int], None]) -> None:
    dossier, expected, previous_id, broken = None, chain.GENESIS, None, False
    for row in events:
        result.events += 1
        tick(1)
        if row["dossier_id"] != dossier:
            dossier, expected, previous_id, broken = row["dossier_id"], chain.GENESIS, None, False
            result.dossiers += 1
        reason = None if broken else _event_break(row, expected, previous_id)
        if reason is not None:
            broken = True  # the first broken link of a dossier is the one to name
            result.add(Break("event", reason, dossier_id=dossier, event_id=row["id"]))
        expected, previous_id = row["chain_hash"], row["id"]


def _verify_days(days: Iterable[EventDay], prev: str, result: Verification) -> None:
    for record in days:
        result.days += 1
        if record.prev_hash != prev:
            result.add(Break("day", "bản ghi ngày không nối tiếp bản ghi ngày trước nó (bị sửa, xoá "
                                              "hoặc chèn)", day=record.day))
        else:
            heads, events = day_heads(record.day)
            if chain.day_hash(record.prev_hash, record.day, heads) != record.chain_hash:
                result.add(Break(
                    "day", f"các sự kiện ghi trong ngày không còn như khi niêm phong: lúc đó {record.dossiers} hồ "
                           f"sơ, {record.events} sự kiện; nay {len(heads)} hồ sơ, {events} sự kiện (sự kiện cuối "
                           "của hồ sơ bị xoá, sửa hoặc thời điểm ghi bị đổi)", day=record.day))
        prev = record.chain_hash
        result.last_day = record


def verify(*, dossier_code: str = "", day_from: dt.date | None = None, day_to: dt.date | None = None,
           progress: bool = False) -> Verification:
    """Check the chains of every dossier (or of one, by code; or of those with an event dated in the
    period, each from its first event) and the day records (those of the period; none for one dossier)."""
    events = DossierEvent.objects.all()
    days = EventDay.objects.order_by("day")
    if dossier_code:
        events = events.filter(dossier__code=dossier_code)
        days = days.none()
    if day_from or day_to:
        dated = DossierEvent.objects.all()
        if day_from:
            dated = dated.filter(at__gte=start_of_day(day_from))
            days = days.filter(day__gte=day_from)
        if day_to:
            dated = dated.filter(at__lt=_window(day_to)[1])
            days = days.filter(day__lte=day_to)
        events = events.filter(dossier_id__in=dated.values("dossier_id"))
    result = Verification()
    with tqdm(total=events.count(), unit=" sự kiện", desc="Kiểm tra chuỗi", disable=not progress) as bar:
        _verify_events(events.order_by("dossier_id", "id").values(*EVENT_COLUMNS).iterator(chunk_size=5000),
                       result, bar.update)
    first = days.first()
    before = EventDay.objects.filter(day__lt=first.day).order_by("-day").first() if first else None
    _verify_days(days.iterator(), before.chain_hash if before else chain.GENESIS, result)
    codes = dict(Dossier.objects.filter(pk__in={b.dossier_id for b in result.breaks if b.dossier_id})
                 .values_list("pk", "code"))
    result.breaks = [Break(b.what, b.reason, b.dossier_id, codes.get(b.dossier_id, ""), b.event_id, b.day)
                     if b.dossier_id else b for b in result.breaks]
    return result
