"""Step kinds resolved to real agencies (`dossiers.routing`): intake, online acceptance, the history import
and the forms that show the hand-overs."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client

from phucvu.catalog.importers import import_procedures
from phucvu.catalog.models import StepUnit, WorkflowStep
from phucvu.catalog.services import StepSpec, field_ensure, procedure_create, procedure_offer
from phucvu.core.exceptions import InvalidInput
from phucvu.core.tables import ImportRejected
from phucvu.dossiers import routing, selectors
from phucvu.dossiers import services as s
from phucvu.dossiers.importers import import_dossiers
from phucvu.dossiers.models import Dossier, DossierStep
from phucvu.dossiers.printing import hand_overs
from phucvu.organization.importers import import_agencies
from phucvu.organization.models import Agency
from phucvu.portal.selectors import public_status

from .conftest import local
from .results import result_record

pytestmark = pytest.mark.django_db


def steps_of(d) -> list[tuple[str, int, str]]:
    return list(DossierStep.objects.filter(dossier=d).order_by("order").values_list("name", "agency_id", "role"))


def test_received_at_the_city_center_the_office_examines_and_the_city_decides(province, procedure, offices, people):
    d = s.dossier_receive(actor=people["clerk"], agency_id=province["district_center"].pk,
                          procedure_id=procedure.pk, applicant_name="Nguyễn Văn Ánh", at=local(2026, 3, 9, 9, 0))
    assert steps_of(d) == [("Tiếp nhận", province["district_center"].pk, "desk_clerk"),
                           ("Thẩm định", offices["qldt"].pk, "specialist"),
                           ("Phê duyệt", province["district"].pk, "unit_leader")]
    assert d.competent_agency_id == province["district"].pk


def test_received_at_a_commune_desk_the_commune_examines_and_decides(receive, province, offices):
    d = receive()
    assert [a for _, a, _ in steps_of(d)] == [province["commune_desk"].pk, province["commune"].pk,
                                              province["commune"].pk]


def test_at_the_province_the_department_in_charge_of_the_field_decides(province, offices, people):
    field = field_ensure(name="Hoạt động xây dựng", code="XD")
    p = procedure_create(code="1.009972", name="Cấp giấy phép xây dựng công trình cấp I", field=field,
                         levels=["province"], amount=20, online_level="full")
    d = s.dossier_receive(actor=people["province_clerk"], agency_id=province["center"].pk, procedure_id=p.pk,
                          applicant_name="Công ty TNHH Hạ Long", at=local(2026, 3, 9, 9, 0))
    assert [a for _, a, _ in steps_of(d)] == [province["center"].pk, offices["sxd"].pk, offices["sxd"].pk]
    assert d.competent_agency_id == offices["sxd"].pk


def test_the_offering_overrides_the_competent_agency_and_the_office(province, procedure, offices, people):
    procedure_offer(procedure_id=procedure.pk, agency_id=province["district_center"].pk,
                    competent_agency_id=province["province"].pk, office_id=offices["sxd"].pk)
    d = s.dossier_receive(actor=people["clerk"], agency_id=province["district_center"].pk,
                          procedure_id=procedure.pk, applicant_name="Nguyễn Văn Ánh", at=local(2026, 3, 9, 9, 0))
    assert [a for _, a, _ in steps_of(d)] == [province["district_center"].pk, offices["sxd"].pk,
                                              province["province"].pk]


def test_an_inter_connected_step_goes_to_its_agency(province, offices, people):
    field = field_ensure(name="Hoạt động xây dựng", code="XD")
    p = procedure_create(code="9.000001", name="Thủ tục liên thông", field=field, levels=["district"], amount=5,
                         steps=[StepSpec("Tiếp nhận", 10, unit="desk"), StepSpec("Thẩm định", 40, unit="office"),
                                StepSpec("Ý kiến Sở Xây dựng", 30, agency_id=offices["sxd"].pk, unit="agency"),
                                StepSpec("Phê duyệt", 20, unit="leader")])
    assert list(WorkflowStep.objects.filter(version__procedure=p).order_by("order").values_list("unit", "role")) == [
        ("desk", "desk_clerk"), ("office", "specialist"), ("agency", "specialist"), ("leader", "unit_leader")]
    d = s.dossier_receive(actor=people["clerk"], agency_id=province["district_center"].pk, procedure_id=p.pk,
                          applicant_name="Nguyễn Văn Ánh", at=local(2026, 3, 9, 9, 0))
    assert [a for _, a, _ in steps_of(d)] == [province["district_center"].pk, offices["qldt"].pk,
                                              offices["sxd"].pk, province["district"].pk]


def test_an_agency_step_without_its_agency_is_refused(province):
    field = field_ensure(name="Hoạt động xây dựng", code="XD")
    with pytest.raises(InvalidInput):
        procedure_create(code="9.000002", name="Sai", field=field, levels=["district"], amount=5,
                         steps=[StepSpec("Tiếp nhận", 50, unit="desk"), StepSpec("Liên thông", 50, unit="agency")])
    with pytest.raises(InvalidInput):
        procedure_create(code="9.000003", name="Sai", field=field, levels=["district"], amount=5,
                         steps=[StepSpec("Tiếp nhận", 50, unit="quay"), StepSpec("Ký", 50, unit="leader")])


def test_online_acceptance_and_the_history_import_resolve_the_same_way(tmp_path, province, procedure, offices,
                                                                       people):
    d = s.dossier_submit_online(agency_id=province["district_center"].pk, procedure_id=procedure.pk,
                                applicant_name="Lê Thị Hoa", at=local(2026, 3, 9, 8, 0))
    d = s.dossier_accept(actor=people["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 9, 0))
    accepted = [a for _, a, _ in steps_of(d)]
    path = tmp_path / "d.csv"
    path.write_text("code,agency,procedure,channel,applicant_name,applicant_id,received_at,due_at,resolved_at,"
                    "result,returned_at,withdrawn_at,stopped_at\n"
                    "OLD-1,H193-TT,1.009994,counter,Trần Thị B,,2026-03-06T09:00:00,,,,,,\n", encoding="utf-8")
    import_dossiers(path)
    imported = Dossier.objects.get(code="OLD-1")
    assert [a for _, a, _ in steps_of(imported)] == accepted == [
        province["district_center"].pk, offices["qldt"].pk, province["district"].pk]
    assert imported.competent_agency_id == province["district"].pk


def test_forwarding_offers_the_next_steps_agency_and_its_staff(province, procedure, offices, people):
    d = s.dossier_receive(actor=people["clerk"], agency_id=province["district_center"].pk,
                          procedure_id=procedure.pk, applicant_name="Nguyễn Văn Ánh")
    client = Client()
    client.force_login(people["clerk"].user)
    html = client.get(f"/dossiers/{d.pk}/").content.decode()
    help_at = html.index('data-testid="forward-assignee-help"')  # the next step's agency, on the form
    assert "Thẩm định — Phòng Quản lý đô thị thành phố Hạ Long" in html[help_at:help_at + 300]
    assert "Trần Văn Kiên" in html and "Lê Thị Phòng" not in html  # its specialists, for the next step
    r = client.post(f"/dossiers/{d.pk}/act/forward/", {"version": d.version,
                                                       "forward-assignee": people["specialist"].pk})
    assert r.status_code == 302
    step = Dossier.objects.select_related("current_step").get(pk=d.pk).current_step
    assert step.agency_id == offices["qldt"].pk and step.assignee_id == people["specialist"].pk


def test_the_office_head_assigns_within_the_office(province, procedure, offices, people):
    d = s.dossier_receive(actor=people["clerk"], agency_id=province["district_center"].pk,
                          procedure_id=procedure.pk, applicant_name="Nguyễn Văn Ánh", at=local(2026, 3, 9, 9, 0))
    d = s.dossier_forward(actor=people["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 9, 30))
    d = s.dossier_assign(actor=people["head"], dossier_id=d.pk, version=d.version,
                         assignee_id=people["specialist"].pk, at=local(2026, 3, 9, 10, 0))
    assert d.current_step.assignee_id == people["specialist"].pk
    with pytest.raises(InvalidInput):  # not a cadre of the office
        s.dossier_assign(actor=people["head"], dossier_id=d.pk, version=d.version,
                         assignee_id=people["sxd_specialist"].pk)


def _day(province, procedure, people):
    """Received at the center, handed to the office's specialist, to the city's leader, approved, resolved."""
    d = s.dossier_receive(actor=people["clerk"], agency_id=province["district_center"].pk,
                          procedure_id=procedure.pk, applicant_name="Nguyễn Văn Ánh", at=local(2026, 3, 9, 9, 0))
    d = s.dossier_forward(actor=people["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 9, 30),
                          assignee_id=people["specialist"].pk)
    d = s.dossier_forward(actor=people["specialist"], dossier_id=d.pk, version=d.version,
                          at=local(2026, 3, 10, 9, 0), assignee_id=people["city_leader"].pk)
    d = s.dossier_approve(actor=people["city_leader"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 10, 10, 0))
    d = s.dossier_resolve(**result_record(signer="Phạm Quốc Hùng"), actor=people["city_leader"], dossier_id=d.pk,
                          version=d.version, result="granted",
                          at=local(2026, 3, 10, 10, 5))
    return s.dossier_return_result(actor=people["clerk"], dossier_id=d.pk, version=d.version,
                                   at=local(2026, 3, 10, 14, 0))


def test_the_control_slip_names_who_handed_over_and_who_received(province, procedure, offices, people):

    d = _day(province, procedure, people)
    rows = hand_overs(d, list(selectors.dossier_steps(d)))
    got = [(r.from_unit, r.from_person, r.to_unit, r.to_person) for r in rows]
    center, office, city = (province["district_center"].name, offices["qldt"].name, province["district"].name)
    assert got == [
        (center, "Vũ Thị Hồng Nhung", center, "Vũ Thị Hồng Nhung"),
        (center, "Vũ Thị Hồng Nhung", office, "Trần Văn Kiên"),
        (office, "Trần Văn Kiên", city, "Phạm Quốc Hùng"),
        (city, "Phạm Quốc Hùng", center, "Vũ Thị Hồng Nhung"),
    ]


def test_the_citizens_timeline_shows_the_hand_overs(province, procedure, offices, people):

    d = _day(province, procedure, people)
    details = [e.detail for e in public_status(Dossier.objects.get(pk=d.pk)).timeline if "bàn giao" in e.detail]
    assert details == [
        "Vũ Thị Hồng Nhung (Trung tâm HCC thành phố Hạ Long) bàn giao cho Trần Văn Kiên "
        "(Phòng Quản lý đô thị thành phố Hạ Long)",
        "Trần Văn Kiên (Phòng Quản lý đô thị thành phố Hạ Long) bàn giao cho Phạm Quốc Hùng (UBND thành phố Hạ Long)",
    ]


def test_the_catalogue_import_carries_the_step_kinds(tmp_path, province, offices):

    head = ("code,name,field,levels,time,time_unit,cutoff,pause_rule,fee,online_level,steps,step_units,"
            "step_agencies,field_code\n")
    path = tmp_path / "p.csv"
    path.write_text(head + '9.1,Cấp phép,Hoạt động xây dựng,district,5,working_days,,pause,0,none,'
                    '"Tiếp nhận:10|Thẩm định:40|Ý kiến Sở:30|Ký:20",desk|office|agency|leader,||SXD|,XD\n',
                    encoding="utf-8")
    import_procedures(path)
    assert list(WorkflowStep.objects.order_by("order").values_list("unit", "agency_id")) == [
        ("desk", None), ("office", None), ("agency", offices["sxd"].pk), ("leader", None)]
    path.write_text(head + '9.2,Cấp phép,Hoạt động xây dựng,district,5,working_days,,pause,0,none,'
                    '"Tiếp nhận:50|Ký:50",desk,,XD\n', encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        import_procedures(path)
    assert "step_units" in str(err.value.errors)


def test_the_agency_import_reads_the_fields_an_office_is_in_charge_of(tmp_path, province):

    path = tmp_path / "a.csv"
    path.write_text("code,name,kind,parent,electronic_id,valid_from,valid_to,field_codes\n"
                    "H193-TNMT,Phòng Tài nguyên và Môi trường,department,H193,,,, dat-dai | moi-truong \n",
                    encoding="utf-8")
    import_agencies(path)
    assert Agency.objects.get(code="H193-TNMT").field_codes == "dat-dai|moi-truong"


def test_the_catalogue_migration_names_the_kind_of_existing_steps(procedure, province):
    migration = importlib.import_module("phucvu.catalog.migrations.0004_fill_step_units")
    WorkflowStep.objects.update(unit="")
    step = WorkflowStep.objects.order_by("order").first()
    WorkflowStep.objects.filter(pk=step.pk).update(agency=province["dept"], role="specialist")
    migration.fill(apps, None)
    assert list(WorkflowStep.objects.order_by("order").values_list("unit", flat=True)) == [
        StepUnit.AGENCY, StepUnit.OFFICE, StepUnit.LEADER]
    migration.empty(apps, None)
    assert set(WorkflowStep.objects.values_list("unit", flat=True)) == {""}


def test_one_resolver_reads_once_per_transaction(province, procedure, offices, django_assert_max_num_queries):

    with transaction.atomic():
        first = routing.route_for(procedure.pk, province["district_center"])
        with django_assert_max_num_queries(0):
            again = routing.route_for(procedure.pk, province["district_center"])
    assert first is again and first.office == offices["qldt"]
