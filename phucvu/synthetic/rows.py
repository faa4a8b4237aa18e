"""Synthetic dossiers as real rows: `phucvu seed` writes them the way the history import does.

Each dossier gets a code from its agency's day sequence (the counters move on, so live intake continues
after it), an applicant, a status that follows from its instants, its pause history, the workflow steps of
one still in progress, and one `imported` event: the rows are built by `dossiers.bulkrows` and written
through `core.bulk`, as the import's.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import replace

from django.utils import timezone

from phucvu.core.bulk import References, insert_rows, jsonb, take_ids
from phucvu.core.localtime import local_day
from phucvu.dossiers.bulkrows import (
    DOSSIER_COLUMNS,
    EVENT_COLUMNS,
    STEP_COLUMNS,
    CodeNumbers,
    DossierLine,
    competent_agencies,
    dossier_rows,
    event_row,
    status_of,
    step_rows,
)
from phucvu.dossiers.chain import canonical_data
from phucvu.dossiers.clock import calendar_for
from phucvu.dossiers.codes import code_prefix
from phucvu.dossiers.facts import DossierFacts
from phucvu.dossiers.models import Dossier, DossierEvent, DossierStep, Status
from phucvu.organization.models import Agency
from phucvu.synthetic.history import Procedure

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Thu", "Xuân", "Hồng", "Bảo"]
GIVEN = ["An", "Anh", "Ánh", "Bình", "Châu", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm",
         "Thảo", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến"]

class DossierWriter:
    """Turns batches of synthetic facts into dossier, step and event rows (inside the caller's transaction,
    whose deferred reference checks `references` collects)."""

    def __init__(self, *, seed: int, now: dt.datetime, procedures: Sequence[Procedure],
                 references: References) -> None:
        self.rnd = random.Random(seed * 7919 + 1)
        self.data = jsonb({"seed": seed})
        self.canonical = canonical_data({"seed": seed})
        self.now = now
        self.wall = timezone.now()
        self.agencies = {a.id: a for a in Agency.objects.select_related("parent")}
        self.numbers = CodeNumbers({pk: code_prefix(a) for pk, a in self.agencies.items()})
        self.version = {p.id: p.version_id for p in procedures}
        self.minutes = {p.id: p.days * 480 for p in procedures}
        self.references = references

    def _applicant(self) -> tuple[str, str]:
        r = self.rnd
        return (f"{r.choice(SURNAMES)} {r.choice(MIDDLE)} {r.choice(GIVEN)}",
                f"0{r.randint(1, 96):02d}{r.randint(0, 999_999_999):09d}")

    def write(self, chunk: Sequence[DossierFacts]) -> Sequence[DossierFacts]:
        """Write the rows; returns the chunk's facts (rollups do not depend on the synthetic ids)."""
        pks, event_pks = take_ids(Dossier, len(chunk)), take_ids(DossierEvent, len(chunk))
        lines = []
        r = self.rnd
        for f in chunk:
            name, id_number = self._applicant()
            returned = None
            if f.resolved_at is not None and r.random() < 0.93:
                returned = f.resolved_at + dt.timedelta(hours=r.randint(1, 72))
                returned = returned if returned < self.now else None
            result = ("refused" if r.random() < 0.03 else "granted") if f.resolved_at else ""
            waiting = bool(f.pauses) and f.pauses[-1][1] is None
            lines.append(DossierLine(
                0, "", f.agency_id, f.procedure_id, self.version[f.procedure_id], f.field_id or None, f.channel,
                name, id_number, f.received_at, f.received_at, f.due_at, self.minutes[f.procedure_id],
                f.resolved_at, result, returned, f.withdrawn_at, f.stopped_at, local_day(f.received_at),
                status_of(f.resolved_at, returned, f.withdrawn_at, f.stopped_at, waiting=waiting,
                          running=Status.PROCESSING), f.pauses))
        codes = self.numbers.assign(lines)
        steps, current = step_rows(lines, pks, self.agencies, calendar_for,
                                   lambda count: take_ids(DossierStep, count))
        insert_rows(DossierStep, STEP_COLUMNS, steps)
        competent = competent_agencies(lines, self.agencies)
        insert_rows(Dossier, DOSSIER_COLUMNS, dossier_rows(lines, pks, codes, current, competent),
                    {"imported": True, "created_at": self.wall, "updated_at": self.wall})
        insert_rows(DossierEvent, EVENT_COLUMNS,
                    (event_row(e, pk, line, self.data, self.canonical) for e, pk, line in zip(event_pks, pks, lines)))
        self.references.written(DossierStep, STEP_COLUMNS, [row[0] for row in steps])
        self.references.written(Dossier, DOSSIER_COLUMNS, pks)
        self.references.written(DossierEvent, EVENT_COLUMNS, event_pks)
        # With the competent agency each was given: the rollups count them there too.
        return [replace(f, competent_agency_id=competent.get((line.version_id, line.agency_id)))
                for f, line in zip(chunk, lines)]

    def save_counters(self) -> None:
        """Move the code counters on, so that live intake continues each day's sequence."""
        self.numbers.save()
