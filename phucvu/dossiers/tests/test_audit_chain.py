"""The event chain (docs/audit.md): every path that appends events writes a valid chain; an event edited,
removed or moved in SQL, a day's head removed, is found and named; `phucvu audit verify` fails on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from phucvu.dossiers import audit, chain
from phucvu.dossiers import services as s
from phucvu.dossiers.importers import import_dossiers
from phucvu.dossiers.models import Dossier, DossierEvent, EventDay, EventKind
from phucvu.dossiers.tests.results import result_record

from .conftest import local
from .test_import import GOOD, write

pytestmark = pytest.mark.django_db

TABLE = DossierEvent._meta.db_table


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("{t}", connection.ops.quote_name(TABLE)), params)


def full_story(receive, staff, at=None):
    """Received, forwarded, paused and resumed, apologised, signed, resolved, returned: one event of each."""
    at = at or local(2026, 3, 9, 9, 0)
    d = receive(at=at)
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=at + dt.timedelta(hours=1))
    d = s.dossier_assign(actor=staff["leader"], dossier_id=d.pk, version=d.version, assignee_id=staff["specialist"].pk,
                         at=at + dt.timedelta(hours=2))
    d = s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                                     missing=["Bản vẽ mặt bằng"], at=at + dt.timedelta(days=1))
    d = s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=at + dt.timedelta(days=2))
    d = s.dossier_apologize(actor=staff["leader"], dossier_id=d.pk, version=d.version,
                            new_due_at=d.due_at + dt.timedelta(days=5), reason="Chờ ý kiến “liên ngành”",
                            at=at + dt.timedelta(days=3))
    d = s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version, at=at + dt.timedelta(days=4))
    d = s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version, at=at + dt.timedelta(days=4, hours=1))
    d = s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version,
                          result="granted", at=at + dt.timedelta(days=4, hours=2))
    return s.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version, fee_amount=50000,
                                   fee_receipt_number="BL-01", at=at + dt.timedelta(days=5))


def events_of(d):
    return list(DossierEvent.objects.filter(dossier=d).order_by("id"))


def only_break(result):
    assert not result.intact and result.broken == 1, result.breaks
    return result.breaks[0]


# --- the hash itself ------------------------------------------------------------------------------------------

@given(pk=st.integers(1, 2**40), seconds=st.integers(0, 4_000_000_000), micro=st.integers(0, 999_999),
       due=st.none() | st.integers(0, 4_000_000_000), line=st.integers(0, 10**9),
       status=st.sampled_from(["received", "returned", "withdrawn", "awaiting_supplement"]))
def test_the_bulk_paths_fast_hash_is_the_general_one(pk, seconds, micro, due, line, status):
    at = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds, microseconds=micro)
    at = at.astimezone(dt.timezone(dt.timedelta(hours=7)))  # the zone does not change the instant's hash
    due_at = None if due is None else dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=due)
    data = chain.canonical_data({"line": line})
    assert data == f'{{"line":{line}}}'  # what the import writes without json.dumps
    assert chain.first_event_hash(pk, EventKind.IMPORTED, at, status, due_at, data) == chain.event_hash(
        prev=chain.GENESIS, dossier_id=pk, kind="imported", at=at, actor_id=None, from_status="",
        to_status=status, step_id=None, note="", due_at_then=due_at, data=data)


@given(pk=st.integers(1, 2**40), seconds=st.integers(0, 4_000_000_000), due=st.none() | st.integers(0, 4_000_000_000),
       actor=st.none() | st.integers(1, 10**6), step=st.none() | st.integers(1, 10**9),
       prev=st.sampled_from([chain.GENESIS, "ab" * 32]), kind=st.sampled_from(list(EventKind)),
       statuses=st.sampled_from([("", "received"), ("processing", "resolved"), ("resolved", "returned")]),
       data=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=8), max_size=3))
def test_the_plain_hash_is_the_general_one(pk, seconds, due, actor, step, prev, kind, statuses, data):
    at = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)
    due_at = None if due is None else at.astimezone(dt.timezone(dt.timedelta(hours=7))) + dt.timedelta(seconds=due)
    instants = chain.Micros()
    canonical = chain.canonical_data(data)
    assert chain.plain_event_hash(prev, pk, kind, instants[at], actor, *statuses, step, instants[due_at],
                                  canonical) == chain.event_hash(
        prev=prev, dossier_id=pk, kind=kind, at=at, actor_id=actor, from_status=statuses[0], to_status=statuses[1],
        step_id=step, note="", due_at_then=due_at, data=canonical)


def test_every_field_and_the_previous_hash_change_the_hash():
    base = {"prev": "a" * 64, "dossier_id": 1, "kind": "forwarded", "at": local(2026, 3, 9, 9, 0), "actor_id": 2,
            "from_status": "received", "to_status": "processing", "step_id": 3, "note": "ghi chú",
            "due_at_then": local(2026, 3, 16, 9, 0), "data": chain.canonical_data({"a": 1})}
    changed = {"prev": "b" * 64, "dossier_id": 9, "kind": "assigned", "at": local(2026, 3, 9, 9, 0, 0, 1),
               "actor_id": None, "from_status": "", "to_status": "received", "step_id": None, "note": "ghi chu",
               "due_at_then": None, "data": chain.canonical_data({"a": 2})}
    original = chain.event_hash(**base)
    for name, value in changed.items():
        assert chain.event_hash(**{**base, name: value}) != original, name


# --- every path writes a valid chain ---------------------------------------------------------------------------

def test_service_transitions_write_a_linked_chain_that_verifies(receive, staff, province, procedure):
    d = full_story(receive, staff)
    online = s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                     applicant_name="Trần Thị B", contact_channels=["email"],
                                     at=local(2026, 3, 9, 10, 0))
    online = s.dossier_accept(actor=staff["clerk"], dossier_id=online.pk, version=online.version,
                              at=local(2026, 3, 9, 11, 0))
    s.dossier_withdraw(actor=staff["clerk"], dossier_id=online.pk, version=online.version, reason="Rút",
                       at=local(2026, 3, 10, 9, 0))
    events = events_of(d)
    assert len(events) == 10 and events[0].prev_hash == chain.GENESIS
    assert all(e.chain_hash for e in events)
    assert [e.prev_hash for e in events[1:]] == [e.chain_hash for e in events[:-1]]
    result = audit.verify()
    assert result.intact and result.events == 13 and result.dossiers == 2


def test_the_history_import_writes_valid_chains(tmp_path, province, procedure, staff):
    import_dossiers(write(tmp_path, GOOD))
    assert not DossierEvent.objects.filter(chain_hash="").exists()
    # The desk carries on an imported dossier: its chain continues from the imported event.
    b = Dossier.objects.get(applicant_name="Trần Thị B")
    s.dossier_assign(actor=staff["leader"], dossier_id=b.pk, version=b.version, assignee_id=staff["specialist"].pk)
    result = audit.verify()
    assert result.intact and result.events == 6 and result.dossiers == 5


def test_seeded_history_writes_valid_chains(province):
    call_command("seed", "--dossiers", "300", "--seed", "3", "--from", "2017-05-01", "--to", "2017-06-30")
    result = audit.verify()
    assert result.intact and result.events == result.dossiers == 300


# --- broken on purpose, found and named ------------------------------------------------------------------------

def test_an_event_edited_in_sql_is_named(receive, staff):
    d = full_story(receive, staff)
    target = events_of(d)[4]
    sql("UPDATE {t} SET note = %s WHERE id = %s", ["Đã sửa", target.pk])
    found = only_break(audit.verify())
    assert (found.dossier_code, found.event_id) == (d.code, target.pk)
    assert "bị sửa" in found.reason and d.code in str(found)


def test_an_edited_instant_or_data_is_named_too(receive, staff):
    d = full_story(receive, staff)
    events = events_of(d)
    sql("UPDATE {t} SET at = %s WHERE id = %s", [local(2026, 3, 1, 8, 0), events[2].pk])
    assert only_break(audit.verify()).event_id == events[2].pk
    sql("UPDATE {t} SET at = %s WHERE id = %s", [events[2].at, events[2].pk])  # back as it was
    assert audit.verify().intact
    DossierEvent.objects.filter(pk=events[8].pk).update(data={**events[8].data, "fee_amount": 0})
    assert only_break(audit.verify()).event_id == events[8].pk


def test_a_deleted_event_is_named_at_the_next_one(receive, staff):
    d = full_story(receive, staff)
    events = events_of(d)
    sql("DELETE FROM {t} WHERE id = %s", [events[3].pk])
    found = only_break(audit.verify())
    assert found.event_id == events[4].pk and "xoá" in found.reason
    assert f"#{events[2].pk}" in found.reason  # the event it should follow


def test_a_deleted_first_event_is_named(receive, staff):
    d = receive()
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 10, 0))
    first, second = events_of(d)
    sql("DELETE FROM {t} WHERE id = %s", [first.pk])
    assert only_break(audit.verify()).event_id == second.pk


def test_reordered_events_are_named(receive, staff):
    d = full_story(receive, staff)
    events = events_of(d)
    a, b = events[5].pk, events[6].pk
    spare = DossierEvent.objects.order_by("-id").values_list("id", flat=True).first() + 1000
    sql("UPDATE {t} SET id = %s WHERE id = %s", [spare, a])
    sql("UPDATE {t} SET id = %s WHERE id = %s", [a, b])
    sql("UPDATE {t} SET id = %s WHERE id = %s", [b, spare])
    found = only_break(audit.verify())
    assert found.dossier_code == d.code and found.event_id == a  # the later event, now first


def test_a_break_in_one_dossier_leaves_the_others_intact_and_verify_by_code(receive, staff):
    one, two = receive(), receive()
    s.dossier_forward(actor=staff["clerk"], dossier_id=two.pk, version=two.version, at=local(2026, 3, 9, 10, 0))
    sql("UPDATE {t} SET kind = 'refused' WHERE dossier_id = %s", [one.pk])
    result = audit.verify()
    assert result.broken == 1 and result.breaks[0].dossier_code == one.code and result.dossiers == 2
    assert audit.verify(dossier_code=two.code).intact
    assert not audit.verify(dossier_code=one.code).intact


def test_verify_for_a_period_takes_the_dossiers_with_events_in_it(receive, staff):
    early, late = receive(at=local(2026, 3, 9, 9, 0)), receive(at=local(2026, 4, 6, 9, 0))
    sql("UPDATE {t} SET note = 'x' WHERE dossier_id = %s", [early.pk])
    april = audit.verify(day_from=dt.date(2026, 4, 1), day_to=dt.date(2026, 4, 30))
    assert april.intact and april.dossiers == 1
    march = audit.verify(day_from=dt.date(2026, 3, 1), day_to=dt.date(2026, 3, 31))
    assert march.breaks[0].dossier_code == early.code
    assert late.code not in {b.dossier_code for b in march.breaks}


# --- the day records -------------------------------------------------------------------------------------------

def test_days_are_sealed_once_and_a_removed_head_shows_in_its_day(receive, staff, capsys):
    d = receive()
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 10, 0))
    receive()
    today = timezone.localdate()
    assert audit.seal_days() == []  # today is not over
    records = audit.seal_days(now=timezone.now() + dt.timedelta(days=1))
    assert [(r.day, r.dossiers, r.events, r.prev_hash) for r in records] == [(today, 2, 3, chain.GENESIS)]
    assert audit.seal_days(now=timezone.now() + dt.timedelta(days=1)) == []  # idempotent
    assert audit.verify().intact and audit.verify().days == 1
    call_command("audit", "verify", "--no-progress")
    assert f"Bản ghi ngày cuối: {today:%d/%m/%Y} {records[0].chain_hash}" in capsys.readouterr().out
    # The last event of a dossier has no successor to break: the day's record shows it.
    sql("DELETE FROM {t} WHERE id = %s", [events_of(d)[-1].pk])
    found = only_break(audit.verify())
    assert found.what == "day" and found.day == today and "2 hồ sơ, 3 sự kiện" in found.reason
    assert str(found).startswith(f"Ngày {today:%d/%m/%Y}")


def test_day_records_chain_to_each_other(receive):
    receive()
    EventDay.objects.create(day=dt.date(2026, 1, 1), prev_hash="", chain_hash=chain.day_hash("", dt.date(2026, 1, 1), []))
    (record,) = audit.seal_days(now=timezone.now() + dt.timedelta(days=1))
    assert record.prev_hash == EventDay.objects.get(day=dt.date(2026, 1, 1)).chain_hash
    EventDay.objects.filter(pk=record.pk).update(prev_hash="0" * 64)
    found = only_break(audit.verify())
    assert found.what == "day" and found.day == record.day and "không nối tiếp" in found.reason
    EventDay.objects.filter(pk=record.pk).update(prev_hash=record.prev_hash)
    EventDay.objects.filter(day=dt.date(2026, 1, 1)).update(chain_hash="0" * 64)  # rewritten: both show
    assert [b.day for b in audit.verify().breaks] == [dt.date(2026, 1, 1), record.day]


# --- the command -----------------------------------------------------------------------------------------------

def test_audit_verify_command_passes_then_fails_with_the_first_broken_link(receive, staff, capsys):
    d = full_story(receive, staff)
    call_command("audit", "verify", "--no-progress")
    assert "Chuỗi nguyên vẹn: 10 sự kiện của 1 hồ sơ" in capsys.readouterr().out
    target = events_of(d)[1]
    sql("UPDATE {t} SET to_status = 'returned' WHERE id = %s", [target.pk])
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify", "--dossier", d.code, "--no-progress")
    assert failed.value.returncode == 1
    assert f"Hồ sơ {d.code}, sự kiện #{target.pk}" in str(failed.value)
    with pytest.raises(CommandError, match="Không có hồ sơ"):
        call_command("audit", "verify", "--dossier", "KHONG-CO")
    call_command("audit", "seal")
    assert "Đã niêm phong 0 ngày." in capsys.readouterr().out
