"""A channel that is down is retried, not lost: an e-mail whose SMTP server refuses connections waits in the
outbox with its error and is sent once the server is back (a real SMTP server, started late)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from phucvu.dossiers import services as s
from phucvu.notifications.models import Message, MessageStatus

from .providers import SmtpServer

pytestmark = pytest.mark.django_db


def test_an_email_whose_server_is_down_waits_and_goes_when_it_is_back(province, procedure, staff, settings,
                                                                       django_capture_on_commit_callbacks):
    server = SmtpServer()  # its port is chosen, nothing listens on it yet: connections are refused
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    settings.NOTIFY_CHANNELS = ["email"]
    settings.NOTIFY_QUIET_HOURS = ""
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        d = s.dossier_receive(actor=staff["clerk"], agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                              applicant_name="Trần Thị Bình", applicant_email="binh@example.vn")

    call_command("worker", burst=True, verbosity=0)
    message = Message.objects.get()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1 and message.error
    assert message.next_attempt_at > timezone.now()  # backs off instead of failing for good
    call_command("worker", burst=True, verbosity=0)  # not due yet: not tried again
    assert Message.objects.get().attempts == 1

    with server:
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())  # the back-off has passed
        call_command("worker", burst=True, verbosity=0)
        assert [m.to for m in server.mails] == [["binh@example.vn"]] and d.code in server.mails[0].body
    sent = Message.objects.get()
    assert sent.status in {MessageStatus.SENT, MessageStatus.DELIVERED} and sent.attempts == 2
