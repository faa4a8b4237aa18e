"""Write the 2017 Quảng Ninh agency tree (`data/quangninh-2017/agencies.csv`) from the unit data.

Run by a developer when the source data changes (`python -m phucvu.demo.units`); the demo reads the CSV
the project ships, in the `phucvu import agencies` format (code, name, kind, parent, electronic_id,
valid_from, valid_to, unit_code, address).

Sources: communes, wards and towns from `vietnamadminunits` (table `admin_units_legacy`, the three-level
structure in force until 30/6/2025). That data already has Hoành Bồ inside Hạ Long (Resolution
837/NQ-UBTVQH14, effective 1/1/2020); the 2017 district is rebuilt here from that resolution: the town
of Trới (now Hoành Bồ ward) and 12 communes.
"""

from __future__ import annotations

import csv
import sqlite3
from importlib import resources
from pathlib import Path

from phucvu.core.text import fold
from phucvu.demo.profiles import FIELD_DEPARTMENT, FIELD_OFFICE

OUT = Path(__file__).parent / "data" / "quangninh-2017" / "agencies.csv"
PROVINCE_ID = "H41"  # QCVN 102 level-4 code used for Quảng Ninh throughout the project
HEADER = ["code", "name", "kind", "parent", "electronic_id", "valid_from", "valid_to", "unit_code", "address",
          "field_codes"]

def field_code(name: str) -> str:
    """The catalogue's code of a field the demo creates by name (`catalog.services.field_ensure`)."""
    return fold(name).replace(" ", "-")[:40]


def fields_of(suffix: str, mapping: dict[str, str]) -> str:
    return "|".join(field_code(f) for f, unit in mapping.items() if unit == suffix)


# Level-3 units directly under the provincial People's Committee: (code suffix, name, kind, e-ID level 3).
PROVINCIAL = [
    ("VP", "Văn phòng UBND tỉnh", "department", "01"),
    ("SNV", "Sở Nội vụ", "department", "02"),
    ("STP", "Sở Tư pháp", "department", "03"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "department", "04"),
    ("STC", "Sở Tài chính", "department", "05"),
    ("SCT", "Sở Công Thương", "department", "06"),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "department", "07"),
    ("SGTVT", "Sở Giao thông vận tải", "department", "08"),
    ("SXD", "Sở Xây dựng", "department", "09"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "department", "10"),
    ("STTTT", "Sở Thông tin và Truyền thông", "department", "11"),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "department", "12"),
    ("SVHTT", "Sở Văn hóa và Thể thao", "department", "13"),
    ("SDL", "Sở Du lịch", "department", "14"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "department", "15"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "department", "16"),
    ("SYT", "Sở Y tế", "department", "17"),
    ("TTT", "Thanh tra tỉnh", "department", "18"),
    ("SNGV", "Sở Ngoại vụ", "department", "19"),
    ("BDT", "Ban Dân tộc", "department", "20"),
    ("BQLKKT", "Ban Quản lý Khu kinh tế", "department", "21"),
    ("TTHCC", "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh", "center", "50"),
    ("HQ", "Cục Hải quan tỉnh Quảng Ninh", "vertical", "60"),
    ("PCCC", "Cảnh sát Phòng cháy và chữa cháy tỉnh Quảng Ninh", "vertical", "61"),
    ("VKS", "Viện Kiểm sát nhân dân tỉnh Quảng Ninh", "vertical", "62"),
    ("CT", "Cục Thuế tỉnh Quảng Ninh", "vertical", "63"),
    ("BTG", "Ban Tuyên giáo Tỉnh ủy Quảng Ninh", "other", "70"),
]

# Branches of the provincial Customs Department (the units its inspections look at).
CUSTOMS_BRANCHES = ["Chi cục Hải quan cửa khẩu Móng Cái", "Chi cục Hải quan cửa khẩu cảng Hòn Gai",
                    "Chi cục Hải quan cửa khẩu cảng Cẩm Phả", "Chi cục Hải quan cửa khẩu cảng Cái Lân",
                    "Chi cục Hải quan cửa khẩu Hoành Mô", "Chi cục Hải quan cửa khẩu Bắc Phong Sinh",
                    "Chi cục Hải quan Vạn Gia", "Chi cục Hải quan Bắc Luân"]

# The 14 district-level localities of 2017, with the GSO code and the name they bore then.
DISTRICTS = [
    ("193", "thành phố Hạ Long", "Thành phố Hạ Long"),
    ("194", "thành phố Móng Cái", "Thành phố Móng Cái"),
    ("195", "thành phố Cẩm Phả", "Thành phố Cẩm Phả"),
    ("196", "thành phố Uông Bí", "Thành phố Uông Bí"),
    ("198", "huyện Bình Liêu", "Huyện Bình Liêu"),
    ("199", "huyện Tiên Yên", "Huyện Tiên Yên"),
    ("200", "huyện Đầm Hà", "Huyện Đầm Hà"),
    ("201", "huyện Hải Hà", "Huyện Hải Hà"),
    ("202", "huyện Ba Chẽ", "Huyện Ba Chẽ"),
    ("203", "huyện Vân Đồn", "Huyện Vân Đồn"),
    ("204", "huyện Hoành Bồ", None),
    ("205", "thị xã Đông Triều", "Thành phố Đông Triều"),  # a city only from 2019
    ("206", "thị xã Quảng Yên", "Thị xã Quảng Yên"),
    ("207", "huyện Cô Tô", "Huyện Cô Tô"),
]

# Resolution 837/NQ-UBTVQH14: these units of Hạ Long (in the data) were Hoành Bồ district in 2017.
HOANH_BO_UNITS = {"Phường Hoành Bồ": "Thị trấn Trới", "Xã Kỳ Thượng": None, "Xã Đồng Sơn": None,
                  "Xã Tân Dân": None, "Xã Đồng Lâm": None, "Xã Hòa Bình": None, "Xã Vũ Oai": None,
                  "Xã Dân Chủ": None, "Xã Quảng La": None, "Xã Bằng Cả": None, "Xã Thống Nhất": None,
                  "Xã Sơn Dương": None, "Xã Lê Lợi": None}

# The district offices (phòng) that handle the district's procedures; e-ID level-1 codes under the district.
DISTRICT_OFFICES = [
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("TP", "Phòng Tư pháp"),
    ("QLDT", "Phòng Quản lý đô thị - Kinh tế hạ tầng"),
    ("TCKH", "Phòng Tài chính - Kế hoạch"),
    ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("VHTT", "Phòng Văn hóa và Thông tin"),
    ("GDDT", "Phòng Giáo dục và Đào tạo"),
    ("NV", "Phòng Nội vụ"),
    ("TTr", "Thanh tra"),
]


def _legacy_rows() -> list[tuple[str, str, str]]:
    db = resources.files("vietnamadminunits") / "data" / "dataset.db"
    with sqlite3.connect(str(db)) as conn:
        return conn.execute(
            "SELECT districtCode, wardCode, ward FROM admin_units_legacy WHERE provinceCode = '22' "
            "ORDER BY districtCode, wardCode").fetchall()


def rows() -> list[dict]:
    out: list[dict] = []

    def add(code, name, kind, parent="", eid="", unit_code="", valid_to="", field_codes=""):
        out.append({"code": code, "name": name, "kind": kind, "parent": parent, "electronic_id": eid,
                    "valid_from": "", "valid_to": valid_to, "unit_code": unit_code, "address": "",
                    "field_codes": field_codes})

    add("P22", "UBND tỉnh Quảng Ninh", "province", eid=f"000.00.00.{PROVINCE_ID}", unit_code="22")
    for suffix, name, kind, l3 in PROVINCIAL:
        add(f"P22-{suffix}", name, kind, "P22", f"000.00.{l3}.{PROVINCE_ID}",
            field_codes=fields_of(suffix, FIELD_DEPARTMENT))
    for i, name in enumerate(CUSTOMS_BRANCHES, start=1):
        add(f"P22-HQ-{i:02d}", name, "vertical", "P22-HQ", f"000.{i:02d}.60.{PROVINCE_ID}")
    by_district: dict[str, list[tuple[str, str]]] = {}
    for district_code, ward_code, ward in _legacy_rows():
        if district_code == "193" and ward in HOANH_BO_UNITS:
            by_district.setdefault("204", []).append((ward_code, HOANH_BO_UNITS[ward] or ward))
        else:
            by_district.setdefault(district_code, []).append((ward_code, ward))
    for index, (dcode, dname, _) in enumerate(DISTRICTS):
        l3 = f"{31 + index:02d}"  # district-level localities take level-3 codes 31..44
        valid_to = "2019-12-31" if dcode == "204" else ""
        code = f"D{dcode}"
        add(code, f"UBND {dname}", "district", "P22", f"000.00.{l3}.{PROVINCE_ID}", dcode, valid_to)
        add(f"{code}-TTHCC", f"Trung tâm Hành chính công {dname}", "center", code,
            f"000.50.{l3}.{PROVINCE_ID}", valid_to=valid_to)
        for j, (suffix, office) in enumerate(DISTRICT_OFFICES):
            add(f"{code}-{suffix}", f"{office} {dname}", "department", code,
                f"000.{60 + j:02d}.{l3}.{PROVINCE_ID}", valid_to=valid_to, field_codes=fields_of(suffix, FIELD_OFFICE))
        for k, (ward_code, ward) in enumerate(by_district[dcode], start=1):
            wcode = f"W{ward_code}"
            add(wcode, f"UBND {ward[0].lower()}{ward[1:]}", "commune", code, f"000.{k:02d}.{l3}.{PROVINCE_ID}",
                ward_code)  # Hoành Bồ's communes live on, under Hạ Long since 2020
            add(f"{wcode}-MC", f"Bộ phận Một cửa {ward[0].lower()}{ward[1:]}", "desk", wcode,
                f"001.{k:02d}.{l3}.{PROVINCE_ID}")
    return out


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows())
    print(f"{OUT}: {sum(1 for _ in OUT.open()) - 1} đơn vị")


if __name__ == "__main__":
    main()
