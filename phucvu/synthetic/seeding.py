"""Bulk synthetic history: a province tree and a catalogue when there are none, then N real dossiers
(rows, events, code counters) and their rollups, written in bulk."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction

from phucvu.catalog.models import Procedure as CatalogProcedure
from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.bulk import defer_references
from phucvu.organization.models import Agency, AgencyKind, Level
from phucvu.organization.services import agency_create
from phucvu.reports.rollups import upsert
from phucvu.reports.services import accumulate
from phucvu.synthetic.history import Procedure, synthetic_facts, synthetic_now
from phucvu.synthetic.rows import DossierWriter

# Shares of dossiers per level in the seed article (Quảng Ninh, Jan–Jul 2017: 30,783 / ~159,000 / 295,807).
LEVEL_SHARE = {Level.PROVINCE: 0.063, Level.DISTRICT: 0.327, Level.COMMUNE: 0.610}
RECEIVING_KINDS = {AgencyKind.CENTER, AgencyKind.DESK, AgencyKind.DEPARTMENT, AgencyKind.VERTICAL}


@transaction.atomic
def build_synthetic_province(*, districts: int = 14, communes_per_district: int = 13, seed: int = 1) -> Agency:
    """A province shaped like Quảng Ninh 2017: departments, a center, districts with centers, communes with desks."""
    rnd = random.Random(seed)
    province = agency_create(code="SEED-T", name="UBND tỉnh (dữ liệu mẫu)", kind=AgencyKind.PROVINCE)
    for i in range(1, 19):
        agency_create(code=f"SEED-S{i:02d}", name=f"Sở mẫu số {i}", kind=AgencyKind.DEPARTMENT, parent=province)
    agency_create(code="SEED-TT", name="Trung tâm Phục vụ hành chính công tỉnh (mẫu)", kind=AgencyKind.CENTER,
                  parent=province)
    for d in range(1, districts + 1):
        district = agency_create(code=f"SEED-H{d:02d}", name=f"UBND huyện mẫu {d}", kind=AgencyKind.DISTRICT,
                                 parent=province)
        agency_create(code=f"SEED-H{d:02d}-TT", name=f"Trung tâm HCC huyện mẫu {d}", kind=AgencyKind.CENTER,
                      parent=district)
        for c in range(1, communes_per_district + rnd.randint(-3, 3) + 1):
            commune = agency_create(code=f"SEED-X{d:02d}{c:02d}", name=f"UBND xã mẫu {d}.{c}",
                                    kind=AgencyKind.COMMUNE, parent=district)
            agency_create(code=f"SEED-X{d:02d}{c:02d}-MC", name=f"Bộ phận Một cửa xã mẫu {d}.{c}",
                          kind=AgencyKind.DESK, parent=commune)
    return province


def receiving_agencies(seed: int) -> list[tuple[int, float]]:
    """(agency id, weight): the level shares of the seed article, skewed inside a level (a city ward is busy)."""
    rnd = random.Random(seed)
    out = []
    for level, share in LEVEL_SHARE.items():
        ids = list(Agency.objects.filter(level=level, kind__in=RECEIVING_KINDS).values_list("pk", flat=True))
        if not ids:
            ids = list(Agency.objects.filter(level=level).values_list("pk", flat=True))
        if not ids:
            continue
        raw = [rnd.paretovariate(1.5) for _ in ids]
        scale = share / sum(raw)
        out += [(pk, w * scale) for pk, w in zip(ids, raw)]
    return out


FIELDS = ["Hộ tịch", "Đất đai", "Xây dựng", "Kinh doanh", "Giáo dục", "Y tế", "Lao động", "Tư pháp",
          "Giao thông", "Tài nguyên môi trường", "Văn hóa", "Chứng thực"]


def ensure_catalog(seed: int, count: int = 120) -> None:
    """A synthetic catalogue (through the catalog's services) when the database has no procedure."""
    if CatalogProcedure.objects.exists():
        return
    rnd = random.Random(seed)
    fields = [field_ensure(name=name, code=f"SEED-LV{i:02d}") for i, name in enumerate(FIELDS, 1)]
    for i in range(count):
        field = fields[i % len(fields)]
        procedure_create(
            code=f"SEED.{i + 1:04d}", name=f"Thủ tục mẫu {i + 1} ({field.name.lower()})", field=field,
            levels=["province", "district", "commune"], amount=rnd.choice((1, 2, 3, 5, 7, 10, 15, 20)),
            online_level=rnd.choice(("none", "partial", "full")),
            steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"), StepSpec("Thẩm định", 70, role="specialist"),
                   StepSpec("Phê duyệt", 20, role="unit_leader")])


def catalog_procedures(seed: int) -> list[Procedure]:
    """The catalogue's procedures (current version, legal time in working days), shuffled for the skew."""
    rnd = random.Random(seed)
    rows = []
    for pk, field_id, version_id, amount, unit in (CatalogProcedure.objects.filter(current_version__isnull=False)
                                                   .values_list("pk", "field_id", "current_version_id",
                                                                "current_version__amount",
                                                                "current_version__time_unit")[:5000]):
        days = max(1, round(float(amount) / 8)) if unit == "working_hours" else max(1, round(float(amount)))
        rows.append(Procedure(id=pk, field_id=field_id or 0, days=min(days, 60), version_id=version_id))
    rnd.shuffle(rows)  # the skew must not follow ids
    return rows


def seed_history(*, dossiers: int, seed: int, start: dt.date, end: dt.date,
                 progress: Callable[[int], None] | None = None, batch: int = 50_000) -> int:
    """Write `dossiers` synthetic Dossier rows (one `imported` event each, as the import writes them) and
    their rollups, in one transaction: the rollups equal what `phucvu rollups rebuild` would compute."""
    if not Agency.objects.exists():
        build_synthetic_province(seed=seed)
    ensure_catalog(seed)
    agencies = receiving_agencies(seed)
    procedures = catalog_procedures(seed)
    stream = synthetic_facts(n=dossiers, seed=seed, agencies=agencies, procedures=procedures, start=start,
                             end=end, first_id=0)
    done = 0
    pending: dict = {}
    competent: dict = {}  # the same contributions by competent agency (reports' Competent* rollups)
    with transaction.atomic():
        # Every reference written below points at rows read in this transaction (agencies, procedures,
        # versions) or written by it; the dossiers', steps' and events' are checked once at the end.
        references = defer_references()
        writer = DossierWriter(seed=seed, now=synthetic_now(end), procedures=procedures, references=references)
        chunk: list = []
        for facts in stream:
            chunk.append(facts)
            if len(chunk) >= batch:
                done += _flush(writer, chunk, pending, competent)
                chunk = []
                if len(pending) > 1_500_000:  # bounded memory; every flush adds into the same rows
                    upsert(pending, competent)
                    pending.clear()
                    competent.clear()
                if progress:
                    progress(done)
        done += _flush(writer, chunk, pending, competent)
        references.check()
        upsert(pending, competent)
        writer.save_counters()
    if progress:
        progress(done)
    return done


def _flush(writer: DossierWriter, chunk: list, pending: dict, competent: dict) -> int:
    if not chunk:
        return 0
    return accumulate(writer.write(chunk), pending, competent)
