"""Synthetic dossiers as real rows: `phucvu seed` writes them the way the history import does.

Each dossier gets a code from its agency's day sequence (the counters move on, so live intake continues
after it), an applicant, a status that follows from its instants, its pause history, and one `imported`
event; the rows go in with COPY (PostgreSQL) or executemany (SQLite).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.utils import timezone

from phucvu.catalog.models import rule_set_on
from phucvu.core.bulk import insert_rows, take_ids
from phucvu.core.text import fold
from phucvu.dossiers.codes import code_prefix, format_code, new_secret
from phucvu.dossiers.facts import DossierFacts
from phucvu.dossiers.models import (
    Dossier,
    DossierCounter,
    DossierEvent,
    EventKind,
    Status,
)
from phucvu.organization.models import Agency
from phucvu.reports.rollups import local_day
from phucvu.reports.synthetic import Procedure

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Thu", "Xuân", "Hồng", "Bảo"]
GIVEN = ["An", "Anh", "Ánh", "Bình", "Châu", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm",
         "Thảo", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến"]

COLUMNS = ("id", "code", "agency_id", "procedure_id", "procedure_version_id", "field_id", "channel", "status",
           "applicant_name", "applicant_id_number", "search_key", "submitted_at", "received_at", "start_at",
           "due_at", "legal_minutes", "resolved_at", "result", "returned_at", "withdrawn_at", "stopped_at",
           "paused_at", "paused_from", "pauses", "supplement_count", "secret", "rule_set")
EVENT_COLUMNS = ("id", "dossier_id", "kind", "at", "to_status", "due_at_then", "data")


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def status_of(f: DossierFacts, returned: dt.datetime | None) -> str:
    """As the import decides it (returned > resolved > withdrawn > stopped), then paused or processing."""
    if returned:
        return Status.RETURNED
    if f.resolved_at:
        return Status.RESOLVED
    if f.withdrawn_at:
        return Status.WITHDRAWN
    if f.stopped_at:
        return Status.STOPPED
    if f.pauses and f.pauses[-1][1] is None:
        return Status.AWAITING_SUPPLEMENT
    return Status.PROCESSING


class DossierWriter:
    """Turns batches of synthetic facts into Dossier and DossierEvent rows (inside the caller's transaction)."""

    def __init__(self, *, seed: int, now: dt.datetime, procedures: Sequence[Procedure]) -> None:
        self.rnd = random.Random(seed * 7919 + 1)
        self.seed = seed
        self.now = now
        self.wall = timezone.now()
        self.prefix = {a.pk: code_prefix(a) for a in Agency.objects.select_related("parent")}
        self.version = {p.id: p.version_id for p in procedures}
        self.minutes = {p.id: p.days * 480 for p in procedures}
        self.counters = {(a, d): last for a, d, last in DossierCounter.objects.values_list("agency_id", "day", "last")}
        self.touched: set[tuple[int, dt.date]] = set()
        self.folded: dict[str, str] = {}

    def _applicant(self) -> tuple[str, str, str]:
        """(name, folded name, id number); the folded names are cached (fold is the costly part)."""
        r = self.rnd
        name = f"{r.choice(SURNAMES)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"
        folded = self.folded.get(name)
        if folded is None:
            folded = self.folded[name] = fold(name)
        return name, folded, f"0{r.randint(1, 96):02d}{r.randint(0, 999_999_999):09d}"

    def write(self, chunk: Sequence[DossierFacts]) -> Sequence[DossierFacts]:
        """Write the rows; returns the chunk (rollups do not depend on the synthetic ids)."""
        n = len(chunk)
        first, first_event = take_ids(Dossier, n), take_ids(DossierEvent, n)
        rows, events = [], []
        r = self.rnd
        for i, f in enumerate(chunk):
            pk = first + i
            day = local_day(f.received_at)
            key = (f.agency_id, day)
            number = self.counters.get(key, 0) + 1
            self.counters[key] = number
            self.touched.add(key)
            code = format_code(self.prefix[f.agency_id], day, number)
            name, folded, id_number = self._applicant()
            returned = None
            if f.resolved_at is not None and r.random() < 0.93:
                returned = f.resolved_at + dt.timedelta(hours=r.randint(1, 72))
                returned = returned if returned < self.now else None
            status = status_of(f, returned)
            open_pause = f.pauses[-1][0] if f.pauses and f.pauses[-1][1] is None else None
            rows.append((
                pk, code, f.agency_id, f.procedure_id, self.version[f.procedure_id], f.field_id or None, f.channel,
                status, name, id_number, f"{code.lower()} {folded} {id_number}",  # = dossier_search_key(…), word by word
                f.received_at if f.channel == "online" else None, f.received_at, f.received_at, f.due_at,
                self.minutes[f.procedure_id], f.resolved_at,
                ("refused" if r.random() < 0.03 else "granted") if f.resolved_at else "", returned,
                f.withdrawn_at, f.stopped_at, open_pause, Status.PROCESSING if open_pause else "",
                [[_iso(a), _iso(b)] for a, b in f.pauses], len(f.pauses), new_secret(), rule_set_on(day),
            ))
            events.append((first_event + i, pk, EventKind.IMPORTED, f.received_at, status, f.due_at,
                           {"seed": self.seed}))
        insert_rows(Dossier, COLUMNS, rows, {"imported": True, "created_at": self.wall, "updated_at": self.wall})
        insert_rows(DossierEvent, EVENT_COLUMNS, events)
        return chunk

    def save_counters(self) -> None:
        """Move the code counters on, so that live intake continues each day's sequence."""
        rows = [DossierCounter(agency_id=a, day=d, last=self.counters[(a, d)]) for a, d in self.touched]
        DossierCounter.objects.bulk_create(rows, batch_size=2000, update_conflicts=True,
                                           unique_fields=["agency", "day"], update_fields=["last"])
        self.touched.clear()
