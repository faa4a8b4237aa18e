"""Fixtures for dossier tests: a procedure with a three-step workflow, staff, and a clock in local time."""

from __future__ import annotations

import datetime as dt

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ as TZ
from phucvu.dossiers.services import dossier_receive
from phucvu.organization.services import agency_create


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def procedure(db):
    field = field_ensure(name="Hoạt động xây dựng", code="XD")
    return procedure_create(
        code="1.009994", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", field=field,
        levels=["district", "commune"], amount=5, time_unit="working_days",
        papers=["Đơn đề nghị", "Bản vẽ thiết kế"], online_level="full",
        steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"), StepSpec("Thẩm định", 70, role="specialist"),
               StepSpec("Phê duyệt", 20, role="unit_leader")])


@pytest.fixture
def staff(province, make_staff):
    return {
        "clerk": make_staff(province["commune_desk"], "desk_clerk"),
        "specialist": make_staff(province["commune"], "specialist"),
        "leader": make_staff(province["commune"], "unit_leader"),
        "outsider": make_staff(province["commune3"], "desk_clerk"),
    }


@pytest.fixture
def receive(province, procedure, staff):
    def do(at=None, **kw):
        args = {"actor": staff["clerk"], "agency_id": province["commune_desk"].pk, "procedure_id": procedure.pk,
                "applicant_name": "Nguyễn Văn Ánh", "applicant_id_number": "022090001234",
                "papers": ["Đơn đề nghị", "Bản vẽ thiết kế"], "at": at or local(2026, 3, 9, 9, 0)}
        args.update(kw)
        return dossier_receive(**args)

    return do


@pytest.fixture
def offices(province):
    """The city's office for construction, another office, and the province's department for it."""
    return {
        "qldt": agency_create(code="H193-QLDT", name="Phòng Quản lý đô thị thành phố Hạ Long", kind="department",
                              parent=province["district"], field_codes="XD|QH"),
        "tp": agency_create(code="H193-TP", name="Phòng Tư pháp thành phố Hạ Long", kind="department",
                            parent=province["district"], field_codes="HT"),
        "sxd": agency_create(code="SXD", name="Sở Xây dựng", kind="department", parent=province["province"],
                             field_codes=["XD"]),
    }


@pytest.fixture
def people(province, offices, make_staff):
    return {
        "clerk": make_staff(province["district_center"], "desk_clerk", full_name="Vũ Thị Hồng Nhung"),
        "specialist": make_staff(offices["qldt"], "specialist", full_name="Trần Văn Kiên"),
        "head": make_staff(offices["qldt"], "unit_leader", full_name="Lê Thị Phòng"),
        "city_leader": make_staff(province["district"], "unit_leader", full_name="Phạm Quốc Hùng"),
        "province_leader": make_staff(province["province"], "unit_leader", full_name="Đặng Văn Hải"),
        "province_clerk": make_staff(province["center"], "desk_clerk"),
        "sxd_specialist": make_staff(offices["sxd"], "specialist"),
    }
