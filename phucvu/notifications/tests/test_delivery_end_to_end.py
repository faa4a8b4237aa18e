"""The issue's acceptance test: real SMTP and HTTP provider servers, two dossiers from online submission to
return through the services, `phucvu worker --burst`, every expected message delivered exactly once — also
after forced retries (an SMTP 451, an eSMS 503, an expired Zalo token, the events announced again, the
worker run again) — and a failing Zalo call falling back to SMS."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from phucvu.dossiers import services as s
from phucvu.dossiers.models import DossierEvent
from phucvu.dossiers.tests.results import result_record
from phucvu.notifications.events import Seen, announce
from phucvu.notifications.models import Message, MessageStatus, ProviderToken

pytestmark = pytest.mark.django_db(transaction=True)

ZALO_PHONE, NO_ZALO_PHONE = "0912 345 678", "0987654321"
CITIZEN_EVENTS = ["submitted", "received", "supplement_requested", "result_ready", "returned", "satisfaction_request"]


def _life(province, procedure, staff, *, phone, email="", contact_channels=None):
    """Online submission → accepted → forwarded → supplement asked and given → approved → resolved → returned."""
    d = s.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                applicant_name="Trần Thị Bình", applicant_phone=phone, applicant_email=email,
                                papers=["Đơn đề nghị"], contact_channels=contact_channels)
    d = s.dossier_accept(actor=staff["clerk"], dossier_id=d.pk, version=d.version)
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, assignee_id=staff["specialist"].pk)
    d = s.dossier_request_supplement(actor=staff["specialist"], dossier_id=d.pk, version=d.version,
                                     missing=["Bản vẽ thiết kế (bản chính)"])
    d = s.dossier_resume(actor=staff["clerk"], dossier_id=d.pk, version=d.version, papers=["Bản vẽ thiết kế"])
    d = s.dossier_forward(actor=staff["specialist"], dossier_id=d.pk, version=d.version, assignee_id=staff["leader"].pk)
    d = s.dossier_approve(actor=staff["leader"], dossier_id=d.pk, version=d.version)
    d = s.dossier_resolve(**result_record(), actor=staff["leader"], dossier_id=d.pk, version=d.version, result="granted")
    return s.dossier_return_result(actor=staff["clerk"], dossier_id=d.pk, version=d.version)


def _zns_code(body: dict) -> str:
    return body["template_data"]["code"]


def test_a_dossiers_messages_reach_each_channel_once(province, procedure, staff, live_channels):
    smtp, providers = live_channels["smtp"], live_channels["providers"]
    state = providers.state
    state.no_zalo.add("84987654321")
    state.uses_per_token = 3  # the first access token expires after three messages: a refresh mid-way
    smtp.handler.fail_next = 1  # the first e-mail gets "451 try later": retried
    state.fail_next_sms = 1  # the first SMS call gets HTTP 503: retried

    # A: Zalo and e-mail accepted. B: nothing chosen (Zalo → SMS → e-mail), no Zalo account, no e-mail.
    a = _life(province, procedure, staff, phone=ZALO_PHONE, email="binh@example.vn", contact_channels=["zalo", "email"])
    b = _life(province, procedure, staff, phone=NO_ZALO_PHONE)

    # Queued on commit, nothing sent before the worker runs.
    assert Message.objects.filter(status=MessageStatus.QUEUED).count() == 2 * len(CITIZEN_EVENTS)
    assert not state.zns and not state.sms and not smtp.mails

    call_command("worker", burst=True, verbosity=0)

    # A: everything by Zalo, except the satisfaction request (no ZNS template for it) by e-mail.
    zns = Counter((b_["phone"], _zns_code(b_)) for b_ in state.zns)
    assert zns == {("84912345678", a.code): len(CITIZEN_EVENTS) - 1}
    assert [m.to for m in smtp.mails] == [["binh@example.vn"]]
    assert a.code in smtp.mails[0].body and "#danh-gia" in smtp.mails[0].body
    assert "/notifications/choice/" in smtp.mails[0].body  # how to change channels or stop
    # B: Zalo refused (-118 no account) → SMS, each event once, unaccented, with the status link.
    sms = [m for m in state.sms if m["Phone"] == "84987654321"]
    assert len(sms) == len(CITIZEN_EVENTS)
    assert all(b.code in m["Content"] and "/portal/lookup/?code=" in m["Content"] for m in sms)
    assert all(m["Content"].isascii() and m["Brandname"] == "UBND-QNINH" for m in sms)
    assert Counter(m.event for m in Message.objects.filter(dossier=b, channel="zalo", status="failed")) == \
        Counter(CITIZEN_EVENTS[:-1])

    # The expired access token was refreshed with the stored refresh token, and the pair rotated.
    token = ProviderToken.objects.get(provider="zalo")
    assert state.refreshes[0] == "refresh-0" and token.refresh_token == state.refresh_token
    assert token.rotations == len(state.refreshes) >= 2 and not state.refused_refresh

    # Every notice ended in one sent message; the forced retries show as second attempts.
    sent = Message.objects.filter(status__in=[MessageStatus.SENT, MessageStatus.DELIVERED])
    assert Counter(m.group for m in sent).most_common(1)[0][1] == 1
    assert sent.count() == 2 * len(CITIZEN_EVENTS)
    assert Message.objects.filter(status=MessageStatus.QUEUED).count() == 0
    assert sent.filter(channel="email", attempts=2).count() == 1
    assert sent.filter(channel="sms", attempts=2).count() == 1

    # Retried events and a second worker run send nothing more.
    again = [Seen(event_id=e.pk, kind=e.kind, at=e.at, note=e.note, data=e.data, dossier_id=e.dossier_id)
             for e in DossierEvent.objects.filter(dossier__in=[a, b])]
    announce(again)
    call_command("worker", burst=True, verbosity=0)
    assert len(state.zns) == len(CITIZEN_EVENTS) - 1 and len(smtp.mails) == 1
    assert len([m for m in state.sms if m["Phone"] == "84987654321"]) == len(CITIZEN_EVENTS)
    assert Message.objects.count() == 2 * len(CITIZEN_EVENTS) + len(CITIZEN_EVENTS) - 1  # + B's failed Zalo rows
