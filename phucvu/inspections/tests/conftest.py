"""The people of the declared-relations tests (docs/inspections.md §20): Home Affairs' personnel office and
inspector, a member from the district, the inspected ward's chairman and a clerk. A test file that needs other
people defines its own `world`."""

from __future__ import annotations

import pytest


@pytest.fixture
def world(province, make_staff):
    return {
        "hr": make_staff(province["dept"], "hr_officer", full_name="Phòng Tổ Chức"),
        "inspector": make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng"),
        "member": make_staff(province["district"], "specialist", full_name="Trần Văn Thành Viên"),
        "chair": make_staff(province["commune"], "unit_leader", full_name="Lê Văn Chủ Tịch"),
        "clerk": make_staff(province["commune"], "specialist", full_name="Ngô Thị Một Cửa"),
        "province": province,
    }
