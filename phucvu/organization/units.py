"""Build a province's agency tree from the `vietnamadminunits` data package, old and 2025 structures.

Source: the package's SQLite `data/dataset.db` — table `admin_units_legacy` (63 provinces, province →
district → ward, as in force until 30/6/2025) and `admin_units` (34 provinces, province → ward, from
1/7/2025, Resolution 202/2025/QH15 and Decision 19/2025/QĐ-TTg codes) — and `data/converter_2025.json`,
which maps every legacy ward to the 2025 ward(s) that took it over.

Codes (stable, so re-running updates instead of duplicating; see docs/organization.md):
  legacy   P22 (province), D193 (district), W06652 (ward/commune/town)
  2025     P22 when the province kept its boundary and code, else P25-24; W25-06652 for wards,
           because the 2025 codes reuse numbers of unrelated legacy wards.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources

from django.db import transaction

from phucvu.core.exceptions import InvalidInput
from phucvu.organization.models import Agency, AgencyKind, Succession
from phucvu.organization.services import agency_create, agency_succeed, agency_update

LEGACY, NEW = "legacy", "2025"
STRUCTURES = (LEGACY, NEW)
REFORM_DAY = dt.date(2025, 7, 1)
LEGAL_BASIS = "Nghị quyết 202/2025/QH15; sắp xếp đơn vị hành chính cấp xã năm 2025"


def source_version() -> str:
    return f"vietnamadminunits {metadata.version('vietnamadminunits')}"


@dataclass
class LoadResult:
    structure: str
    province: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links: int = 0
    codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Unit:
    code: str  # our agency code
    name: str
    kind: str
    unit_code: str  # the statistics office's code
    parent: str | None  # our code of the parent unit, None for the top
    key: str  # the package's key (for the 2025 mapping)


def _data_path(name: str):
    return resources.files("vietnamadminunits") / "data" / name


def _rows(sql: str, *args) -> list[sqlite3.Row]:
    with sqlite3.connect(f"file:{_data_path('dataset.db')}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql, args).fetchall()


@cache
def _converter() -> dict:
    return json.loads(_data_path("converter_2025.json").read_text(encoding="utf-8"))


def authority_name(full_name: str, unit_type: str) -> str:
    """'Phường Hà Khánh' → 'UBND phường Hà Khánh': the people's committee, keeping the unit's type."""
    if unit_type and full_name.startswith(unit_type):
        full_name = unit_type.lower() + full_name[len(unit_type):]
    return f"UBND {full_name}"


def province_type(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def legacy_units(province: str) -> list[Unit]:
    rows = _rows("SELECT * FROM admin_units_legacy WHERE provinceCode = ? ORDER BY districtCode, wardCode",
                 province)
    if not rows:
        raise InvalidInput(f"Không có tỉnh mã '{province}' trong dữ liệu đơn vị hành chính cũ (63 tỉnh).")
    first = rows[0]
    top = legacy_province_code(province)
    units = [Unit(top, authority_name(first["province"], province_type(first["province"])), AgencyKind.PROVINCE,
                  province, None, first["provinceKey"])]
    seen_districts: set[str] = set()
    for r in rows:
        district = f"D{r['districtCode']}"
        if district not in seen_districts:
            seen_districts.add(district)
            units.append(Unit(district, authority_name(r["district"], r["districtType"]), AgencyKind.DISTRICT,
                              r["districtCode"], top, f"{r['provinceKey']}_{r['districtKey']}_"))
        if r["wardCode"]:  # island districts (Bạch Long Vĩ, Cô Tô's old peers…) have no wards
            units.append(Unit(f"W{r['wardCode']}", authority_name(r["ward"], r["wardType"]), AgencyKind.COMMUNE,
                              r["wardCode"], district, f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"))
    return units


def new_units(province: str) -> list[Unit]:
    rows = _rows("SELECT * FROM admin_units WHERE provinceCode = ? ORDER BY wardCode", province)
    if not rows:
        raise InvalidInput(f"Không có tỉnh mã '{province}' trong dữ liệu đơn vị hành chính 2025 (34 tỉnh).")
    first = rows[0]
    top = new_province_code(first["provinceKey"], province)
    units = [Unit(top, authority_name(first["province"], province_type(first["province"])), AgencyKind.PROVINCE,
                  province, None, first["provinceKey"])]
    units += [Unit(f"W25-{r['wardCode']}", authority_name(r["ward"], r["wardType"]), AgencyKind.COMMUNE,
                   r["wardCode"], top, r["wardKey"]) for r in rows]
    return units


def legacy_province_code(province: str) -> str:
    return f"P{province}"


def new_province_code(key: str, province: str) -> str:
    """A province that kept its boundary and code is one agency across the reform; a merged one is new."""
    merged_from = _converter()["DICT_PROVINCE"].get(key, [])
    if merged_from == [key]:
        legacy = _rows("SELECT provinceCode FROM admin_units_legacy WHERE provinceKey = ? LIMIT 1", key)
        if legacy and legacy[0]["provinceCode"] == province:
            return legacy_province_code(province)
    return f"P25-{province}"


@transaction.atomic
def load_units(*, province: str, structure: str, parent_code: str | None = None,
               effective: dt.date = REFORM_DAY) -> LoadResult:
    """Create or update the units of one province, then link legacy wards to their 2025 successors."""
    if structure not in STRUCTURES:
        raise InvalidInput(f"Cấu trúc không hợp lệ: '{structure}' (chỉ nhận legacy hoặc 2025).")
    province = province.zfill(2)
    units = legacy_units(province) if structure == LEGACY else new_units(province)
    parent = None
    if parent_code:
        parent = Agency.objects.filter(code=parent_code).first()
        if parent is None:
            raise InvalidInput(f"Không có đơn vị cấp trên mã '{parent_code}'.")
        units = units[1:]  # the given agency stands for the province
    result = LoadResult(structure=structure, province=province)
    placed: dict[str, Agency] = {}
    existing = {a.code: a for a in Agency.objects.filter(code__in=[u.code for u in units]).select_related("parent")}
    for unit in units:
        # 2025 units begin with the reform; a province that kept its boundary existed before it.
        valid_from = effective if structure == NEW and unit.code != legacy_province_code(province) else None
        unit_parent = placed.get(unit.parent, parent)
        agency = existing.get(unit.code)
        if agency is None:
            agency = agency_create(code=unit.code, name=unit.name, kind=unit.kind, parent=unit_parent,
                                   unit_code=unit.unit_code, valid_from=valid_from)
            result.created += 1
        else:
            wanted = {"name": unit.name, "kind": unit.kind, "unit_code": unit.unit_code, "parent": unit_parent}
            changed = {k: v for k, v in wanted.items() if getattr(agency, k) != v}
            if changed:
                agency = agency_update(agency=agency, **changed)
                result.updated += 1
            else:
                result.unchanged += 1
        placed[unit.code] = agency
        result.codes.append(unit.code)
    result.links = link_reform(province_keys=_new_province_keys(structure, province), effective=effective)
    return result


def _new_province_keys(structure: str, province: str) -> list[str]:
    """The 2025 province(s) whose wards may succeed this load's units."""
    table = "admin_units" if structure == NEW else "admin_units_legacy"
    key = _rows(f"SELECT provinceKey FROM {table} WHERE provinceCode = ? LIMIT 1", province)[0]["provinceKey"]
    if structure == NEW:
        return [key]
    return [k for k, olds in _converter()["DICT_PROVINCE"].items() if key in olds]


def link_reform(*, province_keys: list[str], effective: dt.date = REFORM_DAY) -> int:
    """Record which 2025 ward took over each legacy ward, for the units present in the database.

    A legacy ward whose area went to one 2025 ward is merged into it; one divided between several
    is split. A legacy district has no successor but the province (an island district becomes its
    special zone). Runs after either structure is loaded, so the order of loading does not matter.
    """
    conv = _converter()
    legacy_code = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": (r["districtCode"], r["wardCode"])
                   for r in _rows("SELECT provinceKey, districtKey, wardKey, districtCode, wardCode "
                                  "FROM admin_units_legacy")}
    links: list[tuple[str, str, str]] = []  # (legacy agency code, 2025 agency code, kind)
    legacy_province = {r["provinceKey"]: r["provinceCode"] for r in _rows(
        "SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy")}
    for key in province_keys:
        code = _rows("SELECT provinceCode FROM admin_units WHERE provinceKey = ? LIMIT 1", key)[0]["provinceCode"]
        top = new_province_code(key, code)
        if top.startswith("P25-"):  # a merged province: the old ones hand over to it
            links += [(legacy_province_code(legacy_province[old]), top, Succession.Kind.MERGE)
                      for old in conv["DICT_PROVINCE"][key]]
        new_code = {r["wardKey"]: r["wardCode"] for r in _rows(
            "SELECT wardKey, wardCode FROM admin_units WHERE provinceKey = ?", key)}
        for new_key, olds in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].get(key, {}).items():
            for old in olds:
                if old in legacy_code and new_key in new_code:
                    district, ward = legacy_code[old]
                    # An island district without wards becomes a special zone as a whole.
                    links.append((f"W{ward}" if ward else f"D{district}", f"W25-{new_code[new_key]}",
                                  Succession.Kind.MERGE))
        for old, parts in conv["DICT_PROVINCE_WARD_DIVIDED"].get(key, {}).items():
            for part in parts:
                if old in legacy_code and part["newWardKey"] in new_code:
                    links.append((f"W{legacy_code[old][1]}", f"W25-{new_code[part['newWardKey']]}",
                                  Succession.Kind.SPLIT))
    agencies = {a.code: a for a in Agency.objects.filter(
        code__in={c for link in links for c in link[:2]}).select_related("parent")}
    grouped: dict[tuple[str, str], list[Agency]] = defaultdict(list)
    for old, new, kind in links:
        if old in agencies and new in agencies:
            grouped[(new, kind)].append(agencies[old])
    count = 0
    for (new, kind), predecessors in grouped.items():
        count += len(agency_succeed(predecessors=predecessors, successor=agencies[new], effective=effective,
                                    kind=kind, legal_basis=LEGAL_BASIS))
    count += _close_districts(agencies, effective)
    return count


def _close_districts(agencies: dict[str, Agency], effective: dt.date) -> int:
    """Legacy districts whose wards were taken over end the day before; their work goes to the province."""
    count = 0
    districts = {a.parent for code, a in agencies.items()
                 if code.startswith("W") and not code.startswith("W25-") and a.parent
                 and a.parent.kind == AgencyKind.DISTRICT}
    for district in districts:
        if district.successions_out.exists():
            continue  # an island district already went to its special zone
        successor = _province_after(agencies, effective)
        if successor is not None:
            count += len(agency_succeed(predecessors=[district], successor=successor, effective=effective,
                                        kind=Succession.Kind.TRANSFER, legal_basis=LEGAL_BASIS))
    return count


def _province_after(agencies: dict[str, Agency], effective: dt.date) -> Agency | None:
    for code, agency in agencies.items():
        if code.startswith("W25-") and agency.parent_id:
            return agency.parent
    return None
