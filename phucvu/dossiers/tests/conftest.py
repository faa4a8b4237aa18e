"""Fixtures for dossier tests: a procedure with a three-step workflow, staff, and a clock in local time."""

from __future__ import annotations

import datetime as dt

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ as TZ
from phucvu.dossiers.services import dossier_receive


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
