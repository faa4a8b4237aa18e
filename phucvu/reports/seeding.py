"""Bulk synthetic history: a province tree when there is none, then N dossiers' facts into the rollups."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.apps import apps
from django.db import transaction

from phucvu.organization.models import Agency, AgencyKind, Level
from phucvu.organization.services import agency_create
from phucvu.reports.rollups import upsert
from phucvu.reports.services import accumulate
from phucvu.reports.synthetic import Procedure, synthetic_facts

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


def catalog_procedures(seed: int, synthetic: int = 120) -> list[Procedure]:
    """The catalog's procedures when it has some; otherwise synthetic ids grouped into 12 fields."""
    rnd = random.Random(seed)
    try:
        model = apps.get_model("catalog", "Procedure")
        rows = list(model.objects.values_list("pk", "field_id")[:5000])
    except LookupError:
        rows = []
    if not rows:
        rows = [(1_000_000 + i, 1_000_000 + i % 12) for i in range(synthetic)]
    rnd.shuffle(rows)  # the skew must not follow ids
    return [Procedure(id=pk, field_id=field or 0, days=rnd.choice((1, 2, 3, 5, 7, 10, 15, 20))) for pk, field in rows]


def seed_history(*, dossiers: int, seed: int, start: dt.date, end: dt.date, first_id: int = 1,
                 sink: Callable | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Generate and apply `dossiers` dossiers' facts in batches. `sink(batch)` also receives each batch."""
    if not Agency.objects.exists():
        build_synthetic_province(seed=seed)
    agencies = receiving_agencies(seed)
    procedures = catalog_procedures(seed)
    stream = synthetic_facts(n=dossiers, seed=seed, agencies=agencies, procedures=procedures, start=start,
                             end=end, first_id=first_id)
    done = 0
    pending: dict = {}
    batch: list = []
    for facts in stream:
        batch.append(facts)
        if len(batch) >= 50_000:
            done += _flush(batch, pending, sink)
            batch = []
            if len(pending) > 300_000:
                _write(pending)
                pending = {}
            if progress:
                progress(done)
    done += _flush(batch, pending, sink)
    _write(pending)
    if progress:
        progress(done)
    return done


def _flush(batch, pending, sink) -> int:
    if sink is not None and batch:
        sink(batch)
    return accumulate(batch, pending)


@transaction.atomic
def _write(pending) -> None:
    upsert(pending)
