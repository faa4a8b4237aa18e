"""Risk proposals read discipline's signals from the dossiers, with the dossiers behind them
(docs/inspections.md §11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ
from phucvu.dossiers.services import dossier_receive
from phucvu.inspections.selectors import SIGNALS_MIN, risk_proposals
from phucvu.inspections.services import plan_create
from phucvu.portal.models import SatisfactionVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(province, make_staff):
    field = field_ensure(name="Hộ tịch", code="HT")
    procedure = procedure_create(code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"],
                                 amount=3, papers=["Tờ khai"], steps=[StepSpec("Tiếp nhận", 30, role="desk_clerk"),
                                                                      StepSpec("Xử lý", 70, role="specialist")])
    inspector = make_staff(province["dept"], "inspector")
    return {"procedure": procedure, "province": province, "inspector": inspector,
            "clerks": [make_staff(province["commune_desk"], full_name=f"Cán Bộ {n}") for n in range(SIGNALS_MIN)],
            "plan": plan_create(actor=inspector, agency=province["dept"], year=2026)}


def _unhappy(world, clerk, month: int):
    """A citizen not satisfied with the clerk: one discipline signal about the clerk for that month."""
    at = dt.datetime(2026, month, 5, 9, 0, tzinfo=LOCAL_TZ)
    dossier = dossier_receive(actor=clerk, agency_id=world["province"]["commune_desk"].pk,
                              procedure_id=world["procedure"].pk, applicant_name="Nguyễn Văn Ánh",
                              papers=["Tờ khai"], at=at)
    SatisfactionVote.objects.create(dossier=dossier, agency=dossier.agency, level="not_satisfied", clerk=clerk,
                                    clerk_level="not_satisfied", at=at)
    return dossier


def _proposal(world, as_of=dt.date(2026, 3, 31)):
    desk = world["province"]["commune_desk"]
    return next((p for p in risk_proposals(plan=world["plan"], as_of=as_of) if p["target"].pk == desk.pk), None)


def test_the_signals_of_the_last_three_months_make_a_reason_with_their_dossiers(world):
    made = [_unhappy(world, clerk, month) for clerk, month in zip(world["clerks"], (1, 2, 3), strict=False)]
    proposal = _proposal(world)
    assert proposal is not None
    # Each clerk: a citizen not satisfied, and the dossier late without an apology — two signals a month.
    assert any("6 dấu hiệu về kỷ luật, kỷ cương" in s and "không hài lòng" in s and "không có văn bản xin lỗi" in s
               for s in proposal["signals"])
    assert {pk for pk, _code in proposal["dossiers"]} == {d.pk for d in made}
    assert _proposal(world, as_of=dt.date(2026, 5, 31)) is None  # January is no longer in the window


def test_fewer_signals_than_the_threshold_propose_nothing(world):
    _unhappy(world, world["clerks"][0], 3)  # two signals: the vote, the late dossier without an apology
    assert SIGNALS_MIN > 2 and _proposal(world) is None


def test_the_plan_page_links_the_dossiers_behind_the_signals(world, client):
    made = [_unhappy(world, clerk, 3) for clerk in world["clerks"]]
    client.force_login(world["inspector"].user)
    page = client.get(reverse("inspections:plan", args=[world["plan"].pk]), {"as_of": "2026-03-31"}).content.decode()
    for dossier in made:
        assert reverse("dossiers:detail", args=[dossier.pk]) in page and dossier.code in page


def _queries(world) -> int:
    with CaptureQueriesContext(connection) as queries:
        risk_proposals(plan=world["plan"], as_of=dt.date(2026, 3, 31))
    return len(queries)


def test_the_proposals_read_the_signals_in_a_fixed_number_of_queries(world, make_staff):
    """The three months' signals are read together and their dossiers' codes in one query: the count of
    queries does not grow with the months or the signals (docs/performance.md §6)."""
    for clerk, month in zip(world["clerks"], (1, 2, 3), strict=False):
        _unhappy(world, clerk, month)
    few = _queries(world)
    for n in range(4):  # four more clerks, a signal each month: twelve more signals, each with its dossiers
        clerk = make_staff(world["province"]["commune_desk"], full_name=f"Cán Bộ Thêm {n}")
        for month in (1, 2, 3):
            _unhappy(world, clerk, month)
    assert _queries(world) == few <= 20
