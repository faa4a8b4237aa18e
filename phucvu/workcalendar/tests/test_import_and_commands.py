"""`phucvu import calendar`, `phucvu calendar export|seed` and `phucvu deadline`."""

from __future__ import annotations

import json
from datetime import date, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from phucvu.catalog.services import field_ensure, procedure_create
from phucvu.core.tables import ImportRejected
from phucvu.workcalendar import selectors
from phucvu.workcalendar.importers import import_calendar
from phucvu.workcalendar.models import CalendarChange, CalendarDay, Kind, Source
from phucvu.workcalendar.services import working_hours_set

pytestmark = pytest.mark.django_db


def write(tmp_path, text: str, name: str = "lich.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def deadline(*args: str) -> dict:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return json.loads(out.getvalue())


def test_import_adds_and_replaces_rows_and_counts_them(tmp_path):
    path = write(tmp_path, "date,kind,name\n2025-03-03,day_off,Nghỉ bù bão\n26/04/2025,holiday,Sửa ngày làm bù\n")
    result = import_calendar(path)
    assert (result.created, result.updated) == (1, 1)
    assert CalendarDay.objects.get(day=date(2025, 3, 3), jurisdiction__isnull=True).source == Source.IMPORT
    assert CalendarDay.objects.get(day=date(2025, 4, 26), jurisdiction__isnull=True).kind == Kind.HOLIDAY
    assert CalendarChange.objects.filter(action="imported").count() == 2


def test_import_is_all_or_nothing_with_every_bad_line_numbered(tmp_path):
    path = write(tmp_path, "date,kind,name\n2025-03-03,day_off,Tốt\n2025-13-01,day_off,X\n"
                           "2025-03-04,vacation,Y\n2025-03-05,holiday,\n2025-03-03,holiday,Trùng\n")
    with pytest.raises(ImportRejected) as rejected:
        import_calendar(path)
    errors = rejected.value.errors
    assert [e.split(":")[0] for e in errors] == ["Dòng 3", "Dòng 4", "Dòng 5", "Dòng 6"]
    assert "dòng 2" in errors[3]
    assert not CalendarDay.objects.filter(day=date(2025, 3, 3)).exists()


def test_import_refuses_a_file_without_the_required_columns(tmp_path):
    with pytest.raises(ImportRejected):
        import_calendar(write(tmp_path, "day,name\n2025-03-03,X\n"))


def test_dry_run_writes_nothing(tmp_path):
    result = import_calendar(write(tmp_path, "date,kind,name\n2025-03-03,day_off,X\n"), dry_run=True)
    assert result.created == 1 and result.dry_run
    assert not CalendarDay.objects.filter(day=date(2025, 3, 3)).exists()


def test_import_reads_xlsx_and_local_jurisdiction(tmp_path, province):
    book = Workbook()
    book.active.append(["date", "kind", "name", "jurisdiction"])
    book.active.append([date(2025, 3, 6), "day_off", "Nghỉ địa phương", "H193"])
    path = tmp_path / "lich.xlsx"
    book.save(path)
    import_calendar(path)
    assert not selectors.calendar_for(province["commune"].pk).is_working_day(date(2025, 3, 6))
    assert selectors.calendar_for().is_working_day(date(2025, 3, 6))


def test_import_command_takes_effect_at_once_for_the_deadline_command(tmp_path):
    before = deadline("--received", "2025-03-07T16:30+07:00", "--days", "1")
    assert before["due"] == "2025-03-10T16:30:00+07:00"
    call_command("import", "calendar", str(write(tmp_path, "date,kind,name\n2025-03-10,day_off,Nghỉ\n")),
                 stdout=StringIO())
    after = deadline("--received", "2025-03-07T16:30+07:00", "--days", "1")
    assert after["due"] == "2025-03-11T16:30:00+07:00"


def test_deadline_command_prints_received_start_and_due_in_vietnam_time():
    assert deadline("--received", "2025-01-24T16:30+07:00", "--days", "1") == {
        "received": "2025-01-24T16:30:00+07:00",
        "start": "2025-01-24T16:30:00+07:00",
        "due": "2025-02-03T16:30:00+07:00",
    }
    utc = deadline("--received", "2025-01-24T09:30Z", "--hours", "2")
    assert utc["received"] == "2025-01-24T16:30:00+07:00" and utc["due"] == "2025-02-03T08:30:00+07:00"


def test_deadline_command_applies_the_cutoff():
    result = deadline("--received", "2025-03-03T15:30+07:00", "--hours", "8", "--cutoff", "15:00")
    assert result["start"] == "2025-03-04T07:00:00+07:00" and result["due"] == "2025-03-04T17:00:00+07:00"


def test_deadline_command_uses_the_agency_hours(province):
    working_hours_set(actor=None, agency=province["commune"], periods="07:30-11:30, 13:30-17:30")
    result = deadline("--received", "2025-03-03T07:00+07:00", "--hours", "1", "--agency", "X06652")
    assert result["due"] == "2025-03-03T08:30:00+07:00"


def test_deadline_command_reports_errors_in_vietnamese():
    with pytest.raises(CommandError, match="không hợp lệ"):
        deadline("--received", "hôm qua", "--days", "1")
    with pytest.raises(CommandError, match="Không có đơn vị"):
        deadline("--received", "2025-03-03T07:00+07:00", "--days", "1", "--agency", "KHONG")


def test_export_writes_the_import_columns_and_round_trips(tmp_path):
    out = tmp_path / "lich2025.csv"
    call_command("calendar", "export", "--year", "2025", "--output", str(out), stderr=StringIO())
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "date,kind,name,jurisdiction,source,basis"
    assert "2025-04-26,workday," in "\n".join(lines)
    assert import_calendar(out, dry_run=True).updated == len(lines) - 1


def test_export_to_xlsx(tmp_path):
    out = tmp_path / "lich.xlsx"
    call_command("calendar", "export", "--year", "2024", "--output", str(out), stderr=StringIO())
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("date", "kind", "name") and len(rows) > 10


def test_seed_command_is_idempotent():
    out = StringIO()
    call_command("calendar", "seed", stdout=out)
    assert "0 ngày" in out.getvalue()


def test_deadline_command_reads_the_procedures_legal_time_and_cutoff():

    procedure_create(code="1.001612", name="Cấp giấy phép kinh doanh", field=field_ensure(name="Kinh doanh"),
                     levels=["district"], amount=3, time_unit="working_days", cutoff=time(15))
    result = deadline("--received", "2025-01-22T15:30+07:00", "--procedure", "1.001612")
    # After the 15:00 cut-off on Wed 22/1: counts from Thu 23/1 07:00; Thu, Fri, then Tết, then Mon 3/2.
    assert result["start"] == "2025-01-23T07:00:00+07:00"
    assert result["due"] == "2025-02-03T17:00:00+07:00"
    with pytest.raises(CommandError, match="Không có thủ tục"):
        deadline("--received", "2025-01-22T15:30+07:00", "--procedure", "9.999999")
