"""The same messages over the real Redis at 127.0.0.1:6379 with RQ workers (NOTIFY_QUEUE=redis): handed to
RQ on commit, sent by an RQ worker once, and not lost when Redis loses the job. Skipped when Redis is not
reachable, except in CI, where it must run."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
import redis
from django.core.management import call_command
from django.utils import timezone

from phucvu.dossiers import services as s
from phucvu.notifications import queue, services
from phucvu.notifications.models import Message, MessageStatus

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def rq_settings(settings, smtp):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis must be reachable at 127.0.0.1:6379 in CI: {exc}")
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379: {exc}")
    settings.NOTIFY_QUEUE = "redis"
    settings.NOTIFY_REDIS_URL = REDIS_URL
    settings.NOTIFY_RQ_QUEUE = f"phucvu-notify-test-{uuid.uuid4().hex[:8]}"  # other runs share this Redis
    settings.NOTIFY_CHANNELS = ["email"]
    settings.NOTIFY_QUIET_HOURS = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    yield
    queue.rq_queue().delete(delete_jobs=True)


def test_messages_travel_through_redis_and_are_sent_once(province, procedure, staff, smtp, rq_settings):
    d = s.dossier_receive(actor=staff["clerk"], agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                          applicant_name="Đỗ Văn Hải", applicant_email="hai@example.vn")
    # Handed to RQ right after the commit: claimed in the database, one job in Redis.
    message = Message.objects.get()
    assert message.status == MessageStatus.SENDING and queue.rq_queue().count == 1

    call_command("worker", burst=True, verbosity=0)
    assert [m.to for m in smtp.mails] == [["hai@example.vn"]] and d.code in smtp.mails[0].body
    assert Message.objects.get().status == MessageStatus.SENT

    call_command("worker", burst=True, verbosity=0)
    assert len(smtp.mails) == 1


def test_a_job_redis_lost_is_sent_after_the_claim_expires(province, procedure, staff, smtp, rq_settings):
    s.dossier_receive(actor=staff["clerk"], agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                      applicant_name="Đỗ Văn Hải", applicant_email="hai@example.vn")
    queue.rq_queue().empty()  # Redis restarted without persistence: the job is gone
    assert services.release_lost(now=timezone.now() + dt.timedelta(minutes=11)) == 1
    call_command("worker", burst=True, verbosity=0)
    assert len(smtp.mails) == 1 and Message.objects.get().status == MessageStatus.SENT
