"""`phucvu import dossiers`: history in, all or nothing, every bad line reported with its number."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from phucvu.catalog.services import field_ensure, procedure_create, procedure_revise
from phucvu.core import bulk
from phucvu.core.localtime import VN_TZ
from phucvu.core.tables import ImportRejected
from phucvu.dossiers import facts, importers
from phucvu.dossiers.bulkrows import EVENT_COLUMNS
from phucvu.dossiers.clock import calendar_for
from phucvu.dossiers.codes import SECRET_ALPHABET
from phucvu.dossiers.importers import import_dossiers
from phucvu.dossiers.models import (
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierStep,
    Status,
    dossier_search_key,
)
from phucvu.dossiers.services import dossier_assign, dossier_forward
from phucvu.organization.models import Agency
from phucvu.workcalendar.selectors import clear_cache

from .conftest import local

pytestmark = pytest.mark.django_db

HEADER = ("code,agency,procedure,channel,applicant_name,applicant_id,received_at,due_at,resolved_at,result,"
          "returned_at,withdrawn_at,stopped_at\n")


def write(tmp_path, body):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


GOOD = (
    "OLD-1,X06652,1.009994,counter,Nguyễn Văn A,0220,2017-03-06T08:00:00,2017-03-13T08:00:00,"
    "2017-03-10T09:00:00,granted,2017-03-11T09:00:00,,\n"
    ",X06652,1.009994,online,Trần Thị B,,2017-03-06T09:00:00,,,,,,\n"
    ",000.21.01.H41,1.009994,postal,Lê Văn C,,2017-03-06 10:00,,,,,2017-03-07T10:00:00,\n"
    "OLD-4,X06652,1.009994,counter,Phạm D,,2017-03-07T10:00:00+07:00,,,,,,2017-03-08T10:00:00\n"
    "OLD-5,X06652,1.009994,counter,Võ E,,2017-03-07T10:00:00Z,,2017-03-09T10:00:00,refused,,,\n"
)


def test_import_writes_dossiers_with_status_from_the_instants(tmp_path, province, procedure):
    result = import_dossiers(write(tmp_path, GOOD))
    assert result.created == 5
    by_name = {d.applicant_name: d for d in Dossier.objects.all()}
    assert by_name["Nguyễn Văn A"].status == Status.RETURNED
    assert by_name["Trần Thị B"].status == Status.RECEIVED
    assert by_name["Lê Văn C"].status == Status.WITHDRAWN
    assert by_name["Phạm D"].status == Status.STOPPED
    assert by_name["Võ E"].status == Status.RESOLVED and by_name["Võ E"].result == "refused"
    assert by_name["Võ E"].received_at == local(2017, 3, 7, 17, 0)  # Z is UTC
    assert by_name["Lê Văn C"].received_at == local(2017, 3, 6, 10, 0)  # naive is local time
    assert by_name["Lê Văn C"].rule_set == "nd61_2018"
    assert DossierEvent.objects.count() == 5


def test_import_generates_gap_free_codes_and_computes_due(tmp_path, province, procedure):
    import_dossiers(write(tmp_path, GOOD))
    b = Dossier.objects.get(applicant_name="Trần Thị B")
    c = Dossier.objects.get(applicant_name="Lê Văn C")
    assert [b.code, c.code] == ["000.21.01.H41-170306-0001", "000.21.01.H41-170306-0002"]
    assert b.due_at == local(2017, 3, 13, 9, 0)  # 5 working days
    assert DossierCounter.objects.get(agency=province["commune"]).last == 2


def test_import_numbers_after_codes_already_in_our_format(tmp_path, province, procedure):
    body = ("000.21.01.H41-170306-0007,X06652,1.009994,counter,A,,2017-03-06T08:00:00,,,,,,\n"
            ",X06652,1.009994,counter,B,,2017-03-06T09:00:00,,,,,,\n")
    import_dossiers(write(tmp_path, body))
    assert Dossier.objects.get(applicant_name="B").code.endswith("-0008")


def test_import_publishes_facts_in_one_batch(tmp_path, province, procedure):
    calls = []
    facts.register(calls.append)
    try:
        import_dossiers(write(tmp_path, GOOD))
    finally:
        facts._LISTENERS.remove(calls.append)
    assert len(calls) == 1 and len(calls[0]) == 5
    assert all(before is None for before, _ in calls[0])


def test_import_rejects_the_whole_file_and_names_every_bad_line(tmp_path, province, procedure):
    body = (GOOD
            + "X1,NOPE,1.009994,counter,A,,2017-03-06T08:00:00,,,,,,\n"
            + "X2,X06652,9.999,counter,A,,2017-03-06T08:00:00,,,,,,\n"
            + "X3,X06652,1.009994,counter,A,,2017-03-06T08:00:00,,2017-03-05T08:00:00,granted,,,\n"
            + "OLD-1,X06652,1.009994,counter,A,,2017-03-06T08:00:00,,,,,,\n"
            + "X5,X06652,1.009994,fax,A,,2017-03-06T08:00:00,,,,,,\n"
            + "X6,X06652,1.009994,counter,A,,06/03/2017,,,,,,\n"
            + "X7,X06652,1.009994,counter,A,,2017-03-06T08:00:00,,2017-03-07T08:00:00,,,,\n"
            + "X8,X06652,1.009994,counter,A,,2017-03-06T08:00:00,,,,2017-03-07T08:00:00,,\n"
            + "X9,X06652,1.009994,counter,A,,2017-03-06T08:00:00,,2017-03-07T08:00:00,granted,,"
              "2017-03-07T09:00:00,\n")
    with pytest.raises(ImportRejected) as rejected:
        import_dossiers(write(tmp_path, body))
    lines = [e.split(":")[0] for e in rejected.value.errors]
    assert lines == [f"Dòng {n}" for n in range(7, 16)]
    assert "trùng với dòng 2" in rejected.value.errors[3]
    assert not Dossier.objects.exists() and not DossierCounter.objects.exists()


def test_import_rejects_a_code_already_in_the_database(tmp_path, province, procedure):
    import_dossiers(write(tmp_path, GOOD))
    with pytest.raises(ImportRejected) as rejected:
        import_dossiers(write(tmp_path, "OLD-1,X06652,1.009994,counter,A,,2017-03-06T08:00:00,,,,,,\n"))
    assert rejected.value.errors == ["Dòng 2: mã hồ sơ 'OLD-1' đã có trong hệ thống"]


def test_import_dry_run_writes_nothing(tmp_path, province, procedure, capsys):
    call_command("import", "dossiers", str(write(tmp_path, GOOD)), "--dry-run")
    assert "5 tạo mới" in capsys.readouterr().out
    assert not Dossier.objects.exists() and not DossierCounter.objects.exists()


def test_imported_dossiers_use_the_version_in_force_that_day(tmp_path, province, procedure):
    procedure_revise(procedure_id=procedure.pk, amount=10, valid_from=dt.date(2020, 1, 1))
    import_dossiers(write(tmp_path, GOOD))
    assert Dossier.objects.get(applicant_name="Trần Thị B").procedure_version.number == 1


def test_dossiers_imported_in_progress_get_their_workflow_and_the_desk_carries_on(tmp_path, province, procedure,
                                                                                  staff):

    import_dossiers(write(tmp_path, GOOD))
    b = Dossier.objects.get(applicant_name="Trần Thị B")  # received 06/03/2017 09:00, nothing after
    steps = list(b.steps.order_by("order"))
    assert [(s.order, s.role, s.share, s.agency) for s in steps] == [
        (1, "desk_clerk", 10, province["commune"]), (2, "specialist", 70, province["commune"]),
        (3, "unit_leader", 20, province["commune"])]
    assert b.legal_minutes == 2400 and [s.minutes for s in steps] == [240, 1680, 480]
    assert b.current_step == steps[0] and steps[0].started_at == b.start_at == local(2017, 3, 6, 9, 0)
    assert steps[0].due_at == local(2017, 3, 6, 15, 0)  # 4 working hours, lunch excluded
    assert steps[1].started_at is None and steps[1].due_at is None
    # Finished, withdrawn or stopped dossiers get no steps.
    assert not DossierStep.objects.exclude(dossier=b).exists()

    b = dossier_assign(actor=staff["leader"], dossier_id=b.pk, version=b.version, assignee_id=staff["specialist"].pk)
    b = dossier_forward(actor=staff["specialist"], dossier_id=b.pk, version=b.version,
                        at=local(2017, 3, 6, 14, 0))
    b.refresh_from_db()
    assert b.status == Status.PROCESSING and b.current_step.order == 2
    assert b.steps.get(order=1).outcome == "on_time"


def test_import_search_keys_match_the_model_and_odd_characters_survive(tmp_path, province, procedure):
    body = (',X06652,1.009994,counter,"Đỗ  Thị\\tÁnh \\\\ ""Bé""",CMND\\1,2017-03-06T08:00:00,,,,,,\n'
            ",X06652,1.009994,counter,ĐẶNG VĂN ĐỨC,abc,2017-03-06T08:05:00,,,,,,\n")
    import_dossiers(write(tmp_path, body))
    odd = Dossier.objects.get(applicant_id_number="CMND\\1")
    assert odd.applicant_name == 'Đỗ Thị\\tÁnh \\\\ "Bé"'  # backslashes kept, double space folded
    for d in Dossier.objects.all():
        assert d.search_key == dossier_search_key(d.code, d.applicant_name, d.applicant_id_number)
    assert "dang van duc" in Dossier.objects.get(applicant_id_number="abc").search_key


def test_import_rejects_values_longer_than_their_columns(tmp_path, province, procedure):
    body = f",X06652,1.009994,counter,A,{'9' * 41},2017-03-06T08:00:00,,,,,,\n"
    with pytest.raises(ImportRejected) as rejected:
        import_dossiers(write(tmp_path, body))
    assert rejected.value.errors[0].startswith("Dòng 2: ")
    assert not Dossier.objects.exists()


def test_import_secrets_use_the_receipt_alphabet(tmp_path, province, procedure):
    import_dossiers(write(tmp_path, GOOD))
    secrets = list(Dossier.objects.values_list("secret", flat=True))
    assert len(set(secrets)) == 5
    assert all(len(s) == 8 and set(s) <= set(SECRET_ALPHABET) for s in secrets)


def test_import_writes_the_same_when_row_triggers_cannot_be_skipped(tmp_path, province, procedure, monkeypatch):
    monkeypatch.setattr(importers, "defer_references", lambda: bulk.References(False))
    assert import_dossiers(write(tmp_path, GOOD)).created == 5
    assert Dossier.objects.count() == 5 and DossierEvent.objects.count() == 5


def test_references_are_checked_when_row_triggers_are_skipped(province):
    if connection.vendor != "postgresql":
        pytest.skip("row triggers are skipped on PostgreSQL only")
    with pytest.raises(IntegrityError), transaction.atomic():
        references = bulk.defer_references()
        assert references.deferred
        ids = bulk.take_ids(DossierEvent, 1)
        bulk.insert_rows(DossierEvent, EVENT_COLUMNS,
                         [(ids[0], 987654321, "imported", local(2017, 3, 6, 8, 0), "received", None, bulk.jsonb({}),
                           "")])
        references.written(DossierEvent, EVENT_COLUMNS, ids)
        references.check()


@pytest.mark.parametrize("unit, amount", [("working_days", 5), ("working_hours", 6), ("calendar_days", 10),
                                          ("same_day", 0), ("working_days", "0.5")])
def test_imported_legal_minutes_are_the_clocks_working_minutes(tmp_path, province, unit, amount):
    """The computed due's legal minutes are taken from the amount where the clock added them: they must be
    what the clock measures between start and due, at any time of day (cut-off, lunch, period ends)."""
    procedure_create(code="9.000001", name="Thủ tục thử", field=field_ensure(name="Thử"), levels=["commune"],
                     amount=Decimal(amount), time_unit=unit, cutoff=dt.time(15, 0))
    moments = ["2017-03-06T07:00:00", "2017-03-06T11:30:00", "2017-03-06T13:00:00", "2017-03-06T15:30:00",
               "2017-03-10T17:00:00", "2017-03-11T09:00:00", "2017-03-06T12:00:00.123456", "2017-04-28T16:59:59"]
    body = "".join(f",X06652,9.000001,counter,Người {i},,{m},,,,,,\n" for i, m in enumerate(moments))
    assert import_dossiers(write(tmp_path, body)).created == len(moments)
    cal = calendar_for(province["commune"].pk)
    for d in Dossier.objects.all():
        assert d.legal_minutes == max(0, cal.working_minutes_between(d.start_at, d.due_at)), d.received_at


def test_lines_are_checked_during_the_events_copy_without_a_query(tmp_path, province, procedure, monkeypatch):
    """PostgreSQL streams the events while it checks the lines: every calendar is loaded before (a query on
    the busy connection would wait for ever — the guard turns it into an error), and a bad file still
    leaves nothing behind."""
    if connection.vendor != "postgresql":
        pytest.skip("the events are streamed on PostgreSQL only")
    streamed = []
    check_all = importers._check_all
    monkeypatch.setattr(importers, "_check_all", lambda *a: streamed.append(a[-1]) or check_all(*a))
    clear_cache()  # no calendar cached: each would be read on first use
    assert import_dossiers(write(tmp_path, GOOD)).created == 5
    assert streamed[0] is not None and DossierEvent.objects.count() == 5
    with pytest.raises(ImportRejected):
        import_dossiers(write(tmp_path, GOOD.replace("OLD-1,", "OLD-9,") + GOOD.splitlines()[1] + ",x\n"))
    assert Dossier.objects.count() == 5 and DossierEvent.objects.count() == 5


def test_an_instant_at_plus_seven_takes_the_shared_zone_the_fast_paths_know():
    """"+07:00" in the file gives a zone object of its own; the import swaps in `VN_TZ` (same instant), on
    which the clock, the local days and the rollups skip their zone conversions. Other offsets are kept."""
    tz = importers._LocalTime(timezone.get_default_timezone())
    moment = importers._instant("2017-03-06T08:00:00+07:00", "received_at", tz)
    assert moment.tzinfo is VN_TZ and moment == dt.datetime(2017, 3, 6, 1, 0, tzinfo=dt.UTC)
    other = importers._instant("2017-03-06T01:00:00+00:00", "received_at", tz)
    assert other.tzinfo is not VN_TZ and other == moment


def test_a_query_during_a_copy_fails_instead_of_waiting(province):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    with pytest.raises(RuntimeError, match="COPY"), bulk.write_rows(DossierEvent, EVENT_COLUMNS):
        Agency.objects.count()


@pytest.mark.parametrize("body", ["a\nb\nc\n", "a\r\nb\r\nc", "a\rb\rc\r", '"a\nx"\nb\nc\n'])
def test_record_bound_is_never_below_the_records(tmp_path, body):
    path = tmp_path / "d.csv"
    path.write_bytes(("h\n" if "\r" not in body else "h\r").encode() + body.encode())
    with path.open(newline="") as handle:
        records = len(list(csv.reader(handle))) - 1
    assert importers._record_bound(path) >= records and importers._record_bound(tmp_path / "d.xlsx") is None


def test_dossier_text_columns_have_no_pattern_ops_twin_indexes():
    """Nothing queries code or applicant ID with LIKE 'prefix%': their `…_like` indexes only slowed imports."""
    if connection.vendor != "postgresql":
        pytest.skip("pattern-ops indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dossiers_dossier'")
        indexes = dict(cursor.fetchall())
    assert not [name for name, sql in indexes.items() if "pattern_ops" in sql]
    assert "UNIQUE" in indexes["dossier_code_unique"] and "dossier_applicant_id" in indexes


def test_json_columns_are_written_as_jsonb_binary(tmp_path, province, procedure):
    """A JSON column goes to the binary COPY as jsonb's binary form: the same JSON back through the ORM."""
    import_dossiers(write(tmp_path, GOOD))
    event = DossierEvent.objects.order_by("id").first()
    dossier = Dossier.objects.order_by("id").first()
    assert event.data == {"line": 2} and dossier.papers == [] and dossier.pauses == []


def test_prepare_splits_a_listeners_pure_work_from_its_writes():
    log = []

    class Step:
        def __init__(self, changes):
            log.append(("prepare", len(changes)))

        def ready(self):
            log.append("ready")

        def __call__(self):
            log.append("write")

    def listener(changes):
        log.append(("plain", len(changes)))

    listener.prepare = Step
    plain = log.append
    facts.register(listener)
    facts.register(plain)
    try:
        same = facts.DossierFacts(dossier_id=1, agency_id=1, procedure_id=1, field_id=None, channel="counter",
                                  received_at=None, due_at=None, resolved_at=None)
        prepared = facts.prepare([(None, same), (same, same)])  # an unchanged pair is dropped
        assert log == [("prepare", 1)]
        prepared.ready()
        prepared()
        assert log[1:] == ["ready", "write", [(None, same)]]
        assert facts.prepare([(same, same)]).steps == []
    finally:
        facts._LISTENERS.remove(listener)
        facts._LISTENERS.remove(plain)
