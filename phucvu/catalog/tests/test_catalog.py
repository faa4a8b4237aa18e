from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from phucvu.catalog import selectors
from phucvu.catalog.importers import import_procedures
from phucvu.catalog.models import Procedure
from phucvu.catalog.services import (
    StepSpec,
    field_ensure,
    procedure_create,
    procedure_offer,
    procedure_revise,
)
from phucvu.core.exceptions import InvalidInput
from phucvu.core.tables import ImportRejected
from phucvu.dossiers.services import dossier_receive

pytestmark = pytest.mark.django_db

HEADER = "code,name,field,levels,time,time_unit,cutoff,pause_rule,fee,online_level,papers,steps\n"


def make(code="1.009994", name="Cấp giấy phép xây dựng nhà ở riêng lẻ", **kw):
    args = {"field": field_ensure(name="Hoạt động xây dựng"), "levels": ["district"], "amount": 15}
    args.update(kw)
    return procedure_create(code=code, name=name, **args)


def write(tmp_path, body, name="p.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_accentless_search_finds_the_procedure():
    make()
    make(code="1.001612", name="Đăng ký khai sinh", levels=["commune"])
    found = selectors.procedure_search(query="cap giay phep xay dung")
    assert [p.code for p in found] == ["1.009994"]
    assert [p.code for p in selectors.procedure_search(query="1.001612")] == ["1.001612"]
    assert [p.code for p in selectors.procedure_search(query="khai SINH")] == ["1.001612"]


def test_a_new_procedure_gets_default_steps_that_add_up():
    procedure = make()
    version = procedure.current_version
    assert version.number == 1
    assert sum(s.share for s in version.steps.all()) == 100


def test_step_shares_must_add_up_to_100():
    with pytest.raises(InvalidInput):
        make(steps=[StepSpec("A", 50), StepSpec("B", 40)])


def test_changing_a_procedure_makes_a_new_version_and_keeps_the_old():
    procedure = make()
    old = procedure.current_version
    procedure_revise(procedure_id=procedure.pk, amount=10, valid_from=dt.date(2026, 1, 1))
    procedure.refresh_from_db()
    assert procedure.current_version.number == 2 and procedure.current_version.amount == 10
    old.refresh_from_db()
    assert old.amount == 15


def test_an_unchanged_revision_makes_no_version():
    procedure = make()
    procedure_revise(procedure_id=procedure.pk, amount=15)
    procedure.refresh_from_db()
    assert procedure.current_version.number == 1


def test_a_running_dossier_keeps_its_version(province, make_staff):
    procedure = make(levels=["commune"])
    clerk = make_staff(province["commune_desk"])
    dossier = dossier_receive(actor=clerk, agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                              applicant_name="Lê Văn C")
    procedure_revise(procedure_id=procedure.pk, amount=3)
    dossier.refresh_from_db()
    assert dossier.procedure_version.number == 1 and dossier.procedure_version.amount == 15


def test_offering_limits_procedures_per_agency(province):
    procedure = make(levels=["commune"])
    assert procedure in selectors.procedure_search(agency_id=province["commune"].pk)
    assert procedure not in selectors.procedure_search(agency_id=province["district"].pk)
    procedure_offer(procedure_id=procedure.pk, agency_id=province["commune"].pk, active=False)
    procedure_offer(procedure_id=procedure.pk, agency_id=province["district"].pk)
    assert procedure not in selectors.procedure_search(agency_id=province["commune"].pk)
    assert procedure in selectors.procedure_search(agency_id=province["district"].pk)


def test_import_procedures_creates_versions_steps_and_papers(tmp_path):
    path = write(tmp_path, '1.009994,Cấp giấy phép xây dựng,Hoạt động xây dựng,district|commune,15,working_days,'
                           '15:00,pause,"1.000.000",full,Đơn|Bản vẽ,Tiếp nhận:10|Thẩm định:70|Ký:20\n'
                           '1.001612,Đăng ký khai sinh,Hộ tịch,commune,0,same_day,,restart,0,partial,,\n')
    result = import_procedures(path)
    assert (result.created, result.updated) == (2, 0)
    procedure = Procedure.objects.get(code="1.009994")
    version = procedure.current_version
    assert version.cutoff == dt.time(15, 0) and version.fee == 1000000 and version.papers == ["Đơn", "Bản vẽ"]
    assert [(s.name, s.share) for s in version.steps.all()] == [("Tiếp nhận", 10), ("Thẩm định", 70), ("Ký", 20)]
    assert procedure.level_list == ["district", "commune"]
    again = import_procedures(write(tmp_path, '1.009994,Cấp giấy phép xây dựng,Hoạt động xây dựng,district|commune,'
                                              '12,working_days,15:00,pause,1000000,full,Đơn|Bản vẽ,'
                                              'Tiếp nhận:10|Thẩm định:70|Ký:20\n', "q.csv"))
    assert (again.created, again.updated) == (0, 1)
    assert Procedure.objects.get(code="1.009994").current_version.number == 2


def test_import_procedures_rejects_the_whole_file_with_line_numbers(tmp_path):
    path = write(tmp_path, '1.1,Tốt,Hộ tịch,commune,5,working_days,,pause,0,none,,\n'
                           '1.2,Sai đơn vị,Hộ tịch,commune,5,weeks,,pause,0,none,,\n'
                           '1.3,Sai cấp,Hộ tịch,village,5,working_days,,pause,0,none,,\n'
                           '1.4,Sai bước,Hộ tịch,commune,5,working_days,,pause,0,none,,A:50|B:40\n'
                           '1.1,Trùng,Hộ tịch,commune,5,working_days,,pause,0,none,,\n')
    with pytest.raises(ImportRejected) as rejected:
        import_procedures(path)
    assert [e.split(":")[0] for e in rejected.value.errors] == ["Dòng 3", "Dòng 4", "Dòng 5", "Dòng 6"]
    assert not Procedure.objects.exists()


def test_import_procedures_dry_run_writes_nothing(tmp_path):
    path = write(tmp_path, '1.1,Tốt,Hộ tịch,commune,5,working_days,,pause,0,none,,\n')
    assert import_procedures(path, dry_run=True).created == 1
    assert not Procedure.objects.exists()


def test_import_command_reports_errors(tmp_path):
    path = write(tmp_path, '1.2,Sai,Hộ tịch,commune,abc,working_days,,pause,0,none,,\n')
    with pytest.raises(CommandError):
        call_command("import", "procedures", str(path))


def test_import_reads_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["1.001612", "Đăng ký khai sinh", "Hộ tịch", "commune", 3, "working_days", "", "pause", 0,
                  "full", "", ""])
    path = tmp_path / "p.xlsx"
    book.save(path)
    assert import_procedures(path).created == 1
