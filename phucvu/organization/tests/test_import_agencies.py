import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from phucvu.core.tables import ImportRejected
from phucvu.organization.importers import import_agencies
from phucvu.organization.models import Agency

HEADER = "code,name,kind,parent,electronic_id,valid_from,valid_to"

GOOD = f"""{HEADER},address
X1,UBND xã Một,commune,H1,000.21.01.H41,2017-01-01,,Thôn 1
H1,UBND huyện Một,district,T1,000.00.21.H41,01/01/2017,,
T1,UBND tỉnh Thử,province,,000.00.00.H41,,,
X1-MC,Bộ phận Một cửa xã Một,desk,X1,,,,
"""


def write(tmp_path, text: str, name: str = "agencies.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot():
    return sorted(Agency.objects.values_list("code", "name", "kind", "parent__code", "path", "valid_to"))


def rejected_lines(tmp_path, body: str) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_agencies(write(tmp_path, f"{HEADER}\n{body}"))
    return caught.value.errors


@pytest.mark.django_db
def test_good_csv_creates_the_tree_with_parents_after_children(tmp_path):
    result = import_agencies(write(tmp_path, GOOD))
    assert (result.created, result.updated, result.skipped) == (4, 0, 0)
    desk = Agency.objects.get(code="X1-MC")
    assert desk.parent.code == "X1" and desk.level == "commune" and desk.depth == 3
    commune = Agency.objects.get(code="X1")
    assert commune.valid_from == dt.date(2017, 1, 1) and commune.address == "Thôn 1"
    assert Agency.objects.get(code="H1").valid_from == dt.date(2017, 1, 1)  # dd/mm/yyyy accepted


@pytest.mark.django_db
def test_good_xlsx_is_read_like_csv(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["T1", "UBND tỉnh Thử", "province", None, "000.00.00.H41", dt.date(2017, 1, 1), None])
    sheet.append(["S1", "Sở Nội vụ", "department", "T1", "000.00.12.H41", None, None])
    path = tmp_path / "agencies.xlsx"
    book.save(path)
    result = import_agencies(path)
    assert result.created == 2
    assert Agency.objects.get(code="S1").level == "province"
    assert Agency.objects.get(code="T1").valid_from == dt.date(2017, 1, 1)


@pytest.mark.django_db
def test_existing_codes_are_updated_not_duplicated(tmp_path, province):
    body = (f"{HEADER}\nX06652,UBND phường Hồng Gai (mới),commune,H194,000.21.01.H41,,\n"
            "H193,UBND thành phố Hạ Long,district,T22,000.00.21.H41,,\n")
    result = import_agencies(write(tmp_path, body))
    assert (result.created, result.updated, result.skipped) == (0, 1, 1)
    moved = Agency.objects.get(code="X06652")
    assert moved.name.endswith("(mới)") and moved.parent.code == "H194"
    assert Agency.objects.get(code="X06652-MC").path.startswith(province["district2"].path)


@pytest.mark.django_db
def test_parent_may_be_an_agency_already_in_the_database(tmp_path, province):
    import_agencies(write(tmp_path, f"{HEADER}\nX07000,UBND xã Mới,commune,H194,,,\n"))
    assert Agency.objects.get(code="X07000").path.startswith(province["district2"].path)


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    result = import_agencies(write(tmp_path, GOOD), dry_run=True)
    assert result.dry_run and result.created == 4
    assert not Agency.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "expected"), [
    ("X1,UBND xã,hamlet,,,,", "Dòng 2: loại đơn vị 'hamlet' không hợp lệ"),
    (",UBND xã,commune,,,,", "Dòng 2: thiếu mã đơn vị"),
    ("X1,,commune,,,,", "Dòng 2: thiếu tên đơn vị"),
    ("X1,UBND xã,commune,H404,,,", "Dòng 2: đơn vị cấp trên 'H404' không có trong tệp và chưa có trong hệ thống"),
    ("X1,UBND xã,commune,,,2017-13-40,", "Dòng 2: cột valid_from: ngày không hợp lệ"),
    ("X1,UBND xã,commune,,,2020-01-01,2019-12-31", "Dòng 2: ngày hết hiệu lực 31/12/2019 trước ngày bắt đầu"),
    ("X1,UBND xã,commune,,12345,,", "Dòng 2: mã định danh điện tử '12345' không đúng dạng QCVN 102"),
    ("X 1,UBND xã,commune,,,,", "Dòng 2: mã đơn vị 'X 1' không hợp lệ"),
])
def test_each_kind_of_bad_line_is_reported_with_its_number(tmp_path, body, expected):
    errors = rejected_lines(tmp_path, body)
    assert len(errors) == 1 and errors[0].startswith(expected), errors


@pytest.mark.django_db
def test_duplicate_code_in_the_file_names_both_lines(tmp_path):
    errors = rejected_lines(tmp_path, "X1,UBND xã Một,commune,,,,\nX1,UBND xã Hai,commune,,,,")
    assert errors == ["Dòng 3: mã đơn vị 'X1' bị trùng với dòng 2."]


@pytest.mark.django_db
def test_a_cycle_in_the_file_is_rejected(tmp_path):
    errors = rejected_lines(tmp_path, "A,Đơn vị A,other,B,,,\nB,Đơn vị B,other,A,,,\nC,Đơn vị C,other,C,,,")
    assert errors[0].startswith("Dòng 2: quan hệ cấp trên tạo thành vòng lặp: A → B → A")
    assert errors[1].startswith("Dòng 3: quan hệ cấp trên tạo thành vòng lặp")
    assert errors[2] == "Dòng 4: quan hệ cấp trên tạo thành vòng lặp: C → C."


@pytest.mark.django_db
def test_a_cycle_through_the_database_is_rejected(tmp_path, province):
    # The district is put under its own commune, which the database keeps under the district.
    errors = rejected_lines(tmp_path, "H193,UBND thành phố Hạ Long,district,X06652,,,")
    assert errors == ["Dòng 2: quan hệ cấp trên tạo thành vòng lặp: H193 → X06652 → H193."]


@pytest.mark.django_db
def test_a_rejected_file_changes_nothing_and_lists_every_bad_line(tmp_path, province):
    before = snapshot()
    body = ("X06652,Đổi tên hợp lệ,commune,H193,,,\n"
            "X2,UBND xã Hai,village,,,,\n"
            "X3,,commune,H193,,,\n"
            "X4,UBND xã Bốn,commune,NOPE,,,")
    errors = rejected_lines(tmp_path, body)
    assert [e.split(":")[0] for e in errors] == ["Dòng 3", "Dòng 4", "Dòng 5"]
    assert snapshot() == before


@pytest.mark.django_db
def test_missing_required_column_is_reported_on_line_one(tmp_path):
    with pytest.raises(ImportRejected) as caught:
        import_agencies(write(tmp_path, "code,name\nX1,UBND xã\n"))
    assert caught.value.errors[0].startswith("Dòng 1: thiếu cột bắt buộc: kind, parent")


@pytest.mark.django_db
def test_phucvu_import_command_reports_lines_and_fails(tmp_path, capsys):
    path = write(tmp_path, f"{HEADER}\nX1,UBND xã,hamlet,,,,\n")
    with pytest.raises(CommandError):
        call_command("import", "agencies", str(path))
    assert "Dòng 2: loại đơn vị 'hamlet'" in capsys.readouterr().err
    call_command("import", "agencies", str(write(tmp_path, GOOD)), "--dry-run")
    assert "4 tạo mới" in capsys.readouterr().out and not Agency.objects.exists()
