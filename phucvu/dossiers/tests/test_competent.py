"""`Dossier.competent_agency`: the agency that decides a dossier, set at intake, kept with its signing step."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.test import Client

from phucvu.dossiers import services as s
from phucvu.dossiers.importers import import_dossiers
from phucvu.dossiers.models import Dossier
from phucvu.organization.services import agency_succeed

from .conftest import local

pytestmark = pytest.mark.django_db


def test_intake_sets_the_agency_holding_the_signing_step(receive, province):
    d = receive()
    assert d.competent_agency == province["commune"]  # the desk received, the commune decides
    assert Dossier.objects.get(pk=d.pk).competent_agency_id == province["commune"].pk


def test_an_online_submission_knows_its_competent_agency_before_it_has_steps(province, procedure, staff):
    d = s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                applicant_name="Lê Thị Hoa", at=local(2026, 3, 9, 8, 0))
    assert d.competent_agency_id == province["commune"].pk
    d = s.dossier_accept(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 9, 0))
    assert Dossier.objects.get(pk=d.pk).competent_agency_id == province["commune"].pk


def test_a_transfer_moves_the_competent_agency_with_the_signing_step(receive, staff, province):
    d = receive()
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 9, 30))
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 3, 11))
    s.dossier_transfer(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                       to_agency_id=province["commune2"].pk)
    assert Dossier.objects.get(pk=d.pk).competent_agency_id == province["commune2"].pk


def test_the_api_names_the_competent_agency(receive, staff, province):
    d = receive()
    client = Client()
    client.force_login(staff["leader"].user)
    body = client.get(f"/api/dossiers/{d.pk}").json()
    assert body["competent_agency_id"] == province["commune"].pk
    assert body["competent_agency_name"] == province["commune"].name
    listed = client.get("/api/dossiers/").json()["items"][0]
    assert listed["competent_agency_id"] == province["commune"].pk


def test_imported_dossiers_get_their_competent_agency(tmp_path, province, procedure):
    path = tmp_path / "d.csv"
    path.write_text(
        "code,agency,procedure,channel,applicant_name,applicant_id,received_at,due_at,resolved_at,result,"
        "returned_at,withdrawn_at,stopped_at\n"
        "OLD-1,X06652-MC,1.009994,counter,Nguyễn Văn A,0220,2017-03-06T08:00:00,,2017-03-10T09:00:00,granted,"
        "2017-03-11T09:00:00,,\n"
        "OLD-2,X06652-MC,1.009994,counter,Trần Thị B,,2017-03-06T09:00:00,,,,,,\n", encoding="utf-8")
    import_dossiers(path)
    assert set(Dossier.objects.values_list("competent_agency_id", flat=True)) == {province["commune"].pk}


def test_the_data_migration_fills_existing_rows_from_their_steps(receive, staff, province, procedure):
    """The migration's function, run on rows that lost the column: the signing step's agency; without steps
    the authority a desk or center serves; reversed, the column is empty again."""
    migration = importlib.import_module("phucvu.dossiers.migrations.0005_fill_competent_agency")
    with_steps = receive()
    # A center-received dossier whose signing step is at another agency (a forward elsewhere).
    at_center = s.dossier_receive(actor=None, agency_id=province["district_center"].pk, procedure_id=procedure.pk,
                                  applicant_name="Phạm Văn Cường", at=local(2026, 3, 9, 10, 0))
    at_center.steps.filter(role="unit_leader").update(agency=province["dept"])
    imported = Dossier.objects.create(
        code="OLD-9", agency=province["district_center"], procedure=procedure,
        procedure_version=procedure.current_version, status="returned", applicant_name="Võ Thị Em",
        secret="x", rule_set="nd61_2018", imported=True)
    Dossier.objects.update(competent_agency=None)
    migration.fill(apps, None)
    got = dict(Dossier.objects.values_list("pk", "competent_agency_id"))
    assert got == {with_steps.pk: province["commune"].pk, at_center.pk: province["dept"].pk,
                   imported.pk: province["district"].pk}
    migration.empty(apps, None)
    assert set(Dossier.objects.values_list("competent_agency_id", flat=True)) == {None}


def test_forwarding_the_signing_step_to_another_agency_moves_the_decision(receive, staff, province):
    d = receive()
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 9, 30))
    s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 10, 0),
                      to_agency_id=province["district"].pk)
    assert Dossier.objects.get(pk=d.pk).competent_agency_id == province["district"].pk
