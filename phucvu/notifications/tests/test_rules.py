"""The rules of notifications, each on its own: after the commit only, idempotent, quiet at night, opt-out,
reminders and digests that are cancelled when no longer true, the worker's contract."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from phucvu.dossiers import services as s
from phucvu.dossiers.tests.results import result_record
from phucvu.notifications import digest, services, sweeps, tokens
from phucvu.notifications.channels import phone_84
from phucvu.notifications.events import Seen, announce
from phucvu.notifications.links import choice_url
from phucvu.notifications.models import ContactPreference, Message, MessageStatus, ProviderToken
from phucvu.notifications.services import Notice, backoff, notices_enqueue, quiet_end

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def log_only(settings):
    settings.NOTIFY_CHANNELS = ["log"]
    settings.NOTIFY_QUIET_HOURS = ""  # the tests run at any hour; the quiet-hours test sets them


def receive(province, procedure, staff, **kw):
    return s.dossier_receive(actor=staff["clerk"], agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                             applicant_name="Nguyễn Văn Ánh", applicant_phone="0912345678", **kw)


def test_quiet_hours_push_a_message_to_the_morning_except_the_reminder(settings):
    settings.NOTIFY_QUIET_HOURS = "21:00-07:00"
    assert quiet_end(local(2026, 3, 9, 22, 15)) == local(2026, 3, 10, 7, 0)
    assert quiet_end(local(2026, 3, 10, 3, 0)) == local(2026, 3, 10, 7, 0)
    assert quiet_end(local(2026, 3, 10, 12, 0)) == local(2026, 3, 10, 12, 0)
    at_night = local(2026, 3, 9, 23, 0)
    notices_enqueue([Notice(key="k1", event="received", data={}, phone="0912345678"),
                     Notice(key="k2", event="appointment_reminder", data={}, phone="0912345678")], now=at_night)
    assert Message.objects.get(group="k1").next_attempt_at == local(2026, 3, 10, 7, 0)
    assert Message.objects.get(group="k2").next_attempt_at == at_night


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30) == dt.timedelta(hours=6)


def test_phone_numbers_in_84_form():
    assert phone_84("0912 345 678") == phone_84("+84 912.345.678") == "84912345678"
    assert phone_84("024 3825 1234") is None and phone_84("") is None


def test_messages_are_queued_on_commit_never_inside_the_transaction(province, procedure, staff,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        receive(province, procedure, staff)
        assert not Message.objects.exists()  # nothing inside the business transaction
    message = Message.objects.get()
    assert message.event == "received" and message.channel == "log" and message.status == "queued"
    assert message.dossier.code in message.text and "/portal/lookup/?code=" in message.text


def test_a_rolled_back_transition_announces_nothing(province, procedure, staff, django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        receive(province, procedure, staff)
        raise RuntimeError
    assert not callbacks and not Message.objects.exists()


def test_history_replayed_with_old_moments_sends_nothing(province, procedure, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        receive(province, procedure, staff, at=local(2017, 3, 9, 9, 0))
    assert not callbacks and not Message.objects.exists()


def test_the_same_event_announced_twice_is_queued_once(province, procedure, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(province, procedure, staff)
    event = d.events.get()
    seen = Seen(event_id=event.pk, kind=event.kind, at=event.at, note="", data=event.data, dossier_id=d.pk)
    announce([seen])
    announce([seen])
    assert Message.objects.count() == 1


def test_burst_worker_delivers_on_the_log_channel_and_exits(province, procedure, staff, settings,
                                                            django_capture_on_commit_callbacks, caplog):
    settings.NOTIFY_QUIET_HOURS = ""  # whatever the hour the suite runs at
    caplog.set_level("INFO", logger="phucvu.notifications")
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(province, procedure, staff)
    call_command("worker", burst=True, verbosity=0)
    message = Message.objects.get()
    assert message.status == MessageStatus.DELIVERED and message.attempts == 1
    assert d.code in caplog.text
    assert d.secret not in caplog.text and d.secret[:2] + "••••••" in caplog.text  # the secret is masked in the log
    call_command("worker", burst=True, verbosity=0)  # nothing due: returns at once
    assert Message.objects.get().attempts == 1


def test_an_applicant_who_opts_out_gets_nothing(province, procedure, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                    applicant_name="Lê Thị Cúc", applicant_phone="0912345678", contact_channels=[])
        s.dossier_accept(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
    assert ContactPreference.objects.get(dossier=d).opted_out
    assert not Message.objects.exists()


def test_choosing_channels_and_stopping_through_the_signed_link(client, province, procedure, staff,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(province, procedure, staff)
    full = choice_url(d.pk)
    assert full.startswith("https://dichvucong.example.vn/notifications/")  # PUBLIC_BASE_URL (test settings)
    url = full.split("dichvucong.example.vn", 1)[-1]
    page = client.get(url)
    assert page.status_code == 200 and d.code in page.content.decode()
    assert client.post(url, {"channels": ["sms", "email"]}).status_code == 302
    assert ContactPreference.objects.get(dossier=d).channels == ["sms", "email"]
    client.post(url, {"stop": "on"})
    assert ContactPreference.objects.get(dossier=d).opted_out
    assert Message.objects.get().status == MessageStatus.CANCELLED  # the queued one is stopped
    assert client.get(reverse("notifications:choice", args=["forged"])).status_code == 404


def test_staff_see_the_dossiers_messages_on_its_page(client, province, procedure, staff,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(province, procedure, staff)
    client.force_login(staff["clerk"].user)
    html = client.get(reverse("dossiers:detail", args=[d.pk])).content.decode()
    assert 'data-testid="messages-panel"' in html and "Tiếp nhận" in html and "Chờ gửi" in html


def test_appointment_reminder_three_hours_before_once_and_cancelled_when_returned(
        province, procedure, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(province, procedure, staff, at=timezone.now() - dt.timedelta(hours=1))
        d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
        d = s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version)  # the examiner's step
        d = s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version)
        d = s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted")
    before = d.due_at - dt.timedelta(hours=4)
    sweeps.reminders(before)
    assert not Message.objects.filter(event="appointment_reminder").exists()  # not yet
    at = d.due_at - dt.timedelta(hours=2, minutes=55)
    sweeps.reminders(at)
    sweeps.reminders(at + dt.timedelta(minutes=5))
    reminder = Message.objects.get(event="appointment_reminder")
    assert reminder.next_attempt_at == at  # sent at once, even at night
    with django_capture_on_commit_callbacks(execute=True):
        s.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.CANCELLED


def test_a_reminder_whose_appointment_changed_is_not_sent(province, procedure, staff,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(province, procedure, staff)
    at = d.due_at - dt.timedelta(hours=2)
    sweeps.reminders(at)
    message = Message.objects.get(event="appointment_reminder")
    assert sweeps.reminder_still_true(message, at)
    type(d).objects.filter(pk=d.pk).update(due_at=d.due_at + dt.timedelta(days=1))  # a new date
    assert not sweeps.reminder_still_true(message, at)


def test_daily_digest_one_per_cadre_none_when_empty_and_dropped_when_done(
        province, procedure, staff, django_capture_on_commit_callbacks, make_staff):
    idle = make_staff(province["commune"], "specialist")
    with django_capture_on_commit_callbacks(execute=True):
        d = receive(province, procedure, staff)
        d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version,
                              assignee_id=staff["specialist"].pk)
    step = d.current_step
    at = step.due_at - dt.timedelta(hours=20)  # due tomorrow (or sooner)
    sweeps.digests(at)
    sweeps.digests(at)
    digests = Message.objects.filter(event="staff_digest")
    assert [m.staff_id for m in digests] == [staff["specialist"].pk]  # one, and none for the idle cadre
    assert d.code in digests[0].text and idle.pk not in [m.staff_id for m in digests]
    # Reassigned before the digest left: it is no longer true, so it is cancelled at send time.
    with django_capture_on_commit_callbacks(execute=True):
        s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version, assignee_id=idle.pk)
    message = digests[0]
    assert not sweeps.digest_still_true(message, at)


def test_apps_add_items_to_the_digest_through_the_registry(make_staff, province):
    cadre = make_staff(province["commune"], "specialist")
    now = timezone.now()

    def tasks(now_, until, staff_ids):
        yield digest.DigestItem(due_at=now_ + dt.timedelta(hours=3), staff_id=cadre.pk, key="task:1",
                                text="Nhiệm vụ: báo cáo cải cách hành chính")

    digest.register(tasks)
    try:
        sweeps.digests(now)
    finally:
        digest._SOURCES.remove(tasks)
    assert "báo cáo cải cách hành chính" in Message.objects.get(staff=cadre).text


def test_sweeps_run_when_due_and_once(settings):
    # Noon in Vietnam (UTC+7), hours from the digest's hour, so the six minutes later below never reach it.
    settings.NOTIFY_DIGEST_AT = "07:00"
    now = dt.datetime(2026, 12, 4, 5, 0, tzinfo=dt.UTC)
    first = dict(sweeps.run_due(now))
    assert "reminders" in first and "digests" not in first  # the digest waits for its hour
    assert sweeps.run_due(now) == []
    assert [name for name, _ in sweeps.run_due(now + dt.timedelta(minutes=6))] == ["reminders", "release"]


def test_a_lost_worker_s_messages_go_back_to_the_queue():
    now = timezone.now()
    notices_enqueue([Notice(key="k", event="received", data={}, phone="0912345678")], now=now - dt.timedelta(hours=1))
    services.claim_due(now=now - dt.timedelta(hours=1))
    assert Message.objects.get().status == MessageStatus.SENDING
    assert services.release_lost(now=now) == 1
    assert Message.objects.get().status == MessageStatus.QUEUED


def test_esms_delivery_report_marks_the_sms_delivered(client, settings):
    settings.NOTIFY_CALLBACK_TOKEN = "t0ken"
    notices_enqueue([Notice(key="k", event="received", data={}, phone="0912345678")])
    Message.objects.update(channel="sms", status=MessageStatus.SENT, provider_id="sms-7")
    assert client.get("/notifications/hooks/esms/wrong/", {"SMSID": "sms-7", "SendStatus": "5"}).status_code == 404
    assert client.get("/notifications/hooks/esms/t0ken/", {"SMSID": "sms-7", "SendStatus": "5",
                                                           "Totalprice": "850"}).status_code == 200
    message = Message.objects.get()
    assert message.status == MessageStatus.DELIVERED and message.cost == 850


def test_a_worker_waiting_for_the_token_lock_uses_the_pair_another_rotated(settings):
    settings.ZALO_REFRESH_TOKEN = ""  # no HTTP call may happen here
    now = timezone.now()
    ProviderToken.objects.create(provider="zalo", access_token="new", refresh_token="r2",
                                 expires_at=now + dt.timedelta(hours=20), rotated_at=now, rotations=2)
    assert tokens.refresh(stale="old") == "new"
    with pytest.raises(tokens.TokenError):
        ProviderToken.objects.all().delete()
        tokens.refresh(stale="new")
