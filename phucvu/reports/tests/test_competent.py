"""Numbers that name who did the work (issue 11 point 8): a dossier counted where it was received and where
it is decided; a department's pages default to what it decided."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.localtime import LOCAL_TZ
from phucvu.dossiers.services import dossier_receive
from phucvu.reports.engine import build_report
from phucvu.reports.selectors import dashboard_for

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 9, 9, 0, tzinfo=LOCAL_TZ)
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def decided_by_department(province, make_staff):
    """Three dossiers received at the province's center, examined and signed at the Home Affairs department."""
    dept = province["dept"]
    procedure = procedure_create(
        code="2.000001", name="Công nhận ban vận động thành lập hội", field=field_ensure(name="Tổ chức", code="TC"),
        levels=["province"], amount=10, time_unit="working_days",
        steps=[StepSpec("Tiếp nhận", 10, role="desk_clerk"), StepSpec("Thẩm định", 70, dept.pk, "specialist"),
               StepSpec("Phê duyệt", 20, dept.pk, "unit_leader")])
    clerk = make_staff(province["center"], "desk_clerk")
    for i in range(3):
        d = dossier_receive(actor=clerk, agency_id=province["center"].pk, procedure_id=procedure.pk,
                            applicant_name=f"Hội viên {i}", at=AT)
        assert d.competent_agency_id == dept.pk
    return {"dept": dept, "leader": make_staff(dept, "unit_leader"), "center": province["center"]}


def test_by_competent_counts_the_department_that_decides_and_the_totals_agree(decided_by_department):
    date_from, date_to = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    by_agency = build_report(date_from, date_to, by="agency").as_json()
    by_competent = build_report(date_from, date_to, by="competent").as_json()
    received = {r["key"]: r["received"]["total"] for r in by_agency["rows"]}
    decided = {r["key"]: r["received"]["total"] for r in by_competent["rows"]}
    assert (received["SNV"], decided["SNV"]) == (0, 3)
    assert (received["TTHCC"], decided["TTHCC"]) == (3, 0)
    assert by_competent["total"] == by_agency["total"]


def test_a_departments_pages_default_to_what_it_decided(decided_by_department, client):
    leader = decided_by_department["leader"]
    board = dashboard_for(leader.user, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    assert board.dim == "competent" and board.total["received"]["total"] == 3
    client.force_login(leader.user)
    page = client.get(reverse("reports:form06"), PERIOD).content.decode()
    assert 'value="competent" selected' in page
    # Asked for explicitly, by receiving agency: the department received nothing itself.
    assert board.total != dashboard_for(leader.user, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31),
                                        dim="received").total
    # The drill-down behind the department's figure lists the dossiers it decided.
    dashboard = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert "dim=competent" in dashboard
    listed = client.get(reverse("reports:drilldown"), {**PERIOD, "figure": "received", "dim": "competent",
                                                       "agency": decided_by_department["dept"].pk})
    assert listed.content.decode().count("Hội viên") == 3


def test_a_center_or_commune_keeps_the_receiving_agency_by_default(decided_by_department, make_staff, client):
    clerk = make_staff(decided_by_department["center"], "unit_leader")
    board = dashboard_for(clerk.user, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    assert board.dim == "received" and board.total["received"]["total"] == 3
