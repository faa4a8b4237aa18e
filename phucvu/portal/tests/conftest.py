"""Fixtures for the citizen side: an online procedure, desk staff, and dossiers at each stage."""

from __future__ import annotations

import datetime as dt

import pytest

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ as TZ
from phucvu.dossiers import services
from phucvu.dossiers.services import dossier_receive
from phucvu.dossiers.tests.results import result_record

PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def online_procedure(db):
    field = field_ensure(name="Hộ tịch", code="HT")
    return procedure_create(
        code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"], amount=3,
        time_unit="working_days", papers=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"], online_level="full",
        steps=[StepSpec("Tiếp nhận", 20, role="desk_clerk"), StepSpec("Giải quyết", 80, role="specialist")])


@pytest.fixture
def staff(province, make_staff):
    return {
        "clerk": make_staff(province["commune_desk"], "desk_clerk", full_name="Trần Thị Một Cửa"),
        "specialist": make_staff(province["commune"], "specialist", full_name="Lê Văn Chuyên Viên"),
        "leader": make_staff(province["commune"], "unit_leader", full_name="Phạm Văn Chủ Tịch"),
        "outsider": make_staff(province["commune3"], "desk_clerk"),
    }


@pytest.fixture
def received(province, online_procedure, staff):
    return dossier_receive(actor=staff["clerk"], agency_id=province["commune_desk"].pk,
                           procedure_id=online_procedure.pk, applicant_name="Nguyễn Văn Ánh",
                           applicant_id_number="022090001234", papers=["Tờ khai đăng ký khai sinh"],
                           at=local(2026, 3, 9, 9, 0))


def resolve(received, staff, *, at, **result):
    """The desk hands the dossier to the commune's officer, who records the result."""
    d = services.dossier_forward(actor=staff["clerk"], dossier_id=received.pk, version=received.version,
                                 at=at - dt.timedelta(hours=1))
    return services.dossier_resolve(**result_record(), actor=staff["specialist"], dossier_id=d.pk, version=d.version, at=at,
                                    **result)


@pytest.fixture
def returned(received, staff):
    """A dossier taken through to the result handed back (at the desk, by the clerk)."""
    d = resolve(received, staff, result="granted", at=local(2026, 3, 10, 9, 0))
    return services.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                                          at=local(2026, 3, 10, 10, 0))
