"""From dossier events to citizen notices.

`on_dossier_event` is registered with `phucvu.dossiers.hooks` (from `NotificationsConfig.ready`). It runs
inside the business transaction, reads only the event in memory, and defers the rest to
`transaction.on_commit`: after the commit it reads the dossier once, writes the outbox rows, and (with the
Redis queue) hands them to the workers. A rolled-back transition leaves no message; a message never leaves
from inside the transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from phucvu.dossiers.models import Dossier, DossierEvent, EventKind, Result
from phucvu.notifications import queue
from phucvu.notifications.channels import CHANNELS
from phucvu.notifications.models import ChannelName, Message, MessageStatus
from phucvu.notifications.services import Notice, messages_cancel, notices_enqueue, preference_set
from phucvu.notifications.texts import render
from phucvu.notifications.values import dossier_values, moment, money

# Which citizen event each dossier event announces.
ANNOUNCED: dict[str, str] = {
    EventKind.SUBMITTED: "submitted",
    EventKind.RECEIVED: "received",
    EventKind.ACCEPTED: "received",
    EventKind.REFUSED: "refused",
    EventKind.SUPPLEMENT_REQUESTED: "supplement_requested",
    EventKind.PAYMENT_REQUESTED: "payment_requested",
    EventKind.STOPPED: "stopped",
    EventKind.WITHDRAWN: "withdrawn",
    EventKind.RESOLVED: "result_ready",
    EventKind.RETURNED: "returned",
    EventKind.APOLOGIZED: "apology",
}
# Events after which a queued appointment reminder may no longer be true (closed, new date, moved clock).
UNREMIND = {EventKind.RETURNED, EventKind.WITHDRAWN, EventKind.STOPPED, EventKind.APOLOGIZED,
            EventKind.RESUMED, EventKind.SUPPLEMENT_REQUESTED, EventKind.PAYMENT_REQUESTED, EventKind.TRANSFERRED}


@dataclass(frozen=True)
class Seen:
    """What the listener keeps of an event until the commit (plain values: no query inside the transaction)."""

    event_id: int
    kind: str
    at: dt.datetime
    note: str
    data: dict
    dossier_id: int


def on_dossier_event(event) -> None:
    # An event recorded long after it happened (a replay, a back-dated entry) is history: nothing to tell.
    if timezone.now() - event.at > dt.timedelta(hours=settings.NOTIFY_MAX_AGE_HOURS):
        return
    if event.kind not in ANNOUNCED and event.kind not in UNREMIND:
        return
    seen = Seen(event_id=event.pk, kind=event.kind, at=event.at, note=event.note, data=dict(event.data or {}),
                dossier_id=event.dossier_id)
    transaction.on_commit(lambda: announce([seen]))


def notices_for(seen: Seen, dossier: Dossier) -> list[Notice]:
    event = ANNOUNCED.get(seen.kind)
    if event is None:
        return []
    data = dossier_values(dossier)
    if event in {"refused", "stopped", "apology"}:
        data["reason"] = seen.note
    if event == "supplement_requested":
        data["missing"] = "; ".join(seen.data.get("missing", []))
        data["link"] += "#bo-sung"
    elif event == "payment_requested":
        amount = seen.data.get("amount")
        data["amount"] = f" ({money(amount)})" if amount else ""
    elif event == "result_ready":
        data["result"] = str(Result(dossier.result).label) if dossier.result else ""
    elif event == "returned":
        data["at"] = moment(seen.at)
    elif event == "apology":
        data["new_due"] = moment(seen.data.get("reappointed_at"))
    base = {"dossier_id": dossier.pk, "phone": dossier.applicant_phone, "email": dossier.applicant_email}
    notices = [Notice(key=f"ev{seen.event_id}:{event}", event=event, data=data, **base)]
    if event == "returned":
        later = seen.at + dt.timedelta(minutes=settings.NOTIFY_SATISFACTION_DELAY_MINUTES)
        notices.append(Notice(key=f"ev{seen.event_id}:satisfaction_request", event="satisfaction_request",
                              data={**data, "link": data["link"] + "#danh-gia"}, not_before=later, **base))
    return notices


def announce(seen_events: list[Seen]) -> int:
    """After the commit: the notices of these events into the outbox (idempotent: again is harmless)."""
    dossiers = Dossier.objects.select_related("procedure", "agency").in_bulk({s.dossier_id for s in seen_events})
    notices: list[Notice] = []
    for seen in seen_events:
        dossier = dossiers.get(seen.dossier_id)
        if dossier is None:
            continue
        channels = seen.data.get("contact_channels")
        if seen.kind == EventKind.SUBMITTED and channels is not None:
            preference_set(dossier_id=dossier.pk, channels=channels, opted_out=not channels, at=seen.at)
        if seen.kind in UNREMIND:
            messages_cancel(dossier_id=dossier.pk, events=["appointment_reminder"],
                            reason="Lịch hẹn đã thay đổi hoặc hồ sơ đã kết thúc.")
        notices.extend(notices_for(seen, dossier))
    count = notices_enqueue(notices)
    queue.wake()
    return count


def announce_history(*, dossiers: int = 300) -> int:
    """Outbox rows for the events of the latest `dossiers` dossiers, as the log channel would have sent them
    at the time. The demo replays a past province (its events are history, which `on_dossier_event` does not
    announce); this shows messages on its dossiers without sending any. Idempotent; a few queries."""
    ids = list(Dossier.objects.order_by("-pk").values_list("pk", flat=True)[:dossiers])
    found = Dossier.objects.select_related("procedure", "agency").in_bulk(ids)
    log = CHANNELS[ChannelName.LOG]
    rows = []
    for pk, kind, at, note, data, dossier_id in (DossierEvent.objects.filter(dossier_id__in=ids, kind__in=list(ANNOUNCED))
                                                 .values_list("pk", "kind", "at", "note", "data", "dossier_id")):
        seen = Seen(event_id=pk, kind=kind, at=at, note=note, data=data or {}, dossier_id=dossier_id)
        for notice in notices_for(seen, found[dossier_id]):
            template, subject, text = render(notice.event, notice.data)
            moment_ = max(notice.not_before or at, at)
            rows.append(Message(
                key=f"{notice.key}:log", group=notice.key, event=notice.event, channel=ChannelName.LOG,
                template=template.event, template_version=template.version, dossier_id=dossier_id,
                recipient=log.address(phone=notice.phone, email=notice.email),
                payload={"data": notice.data, "subject": subject, "text": text, "route": []},
                status=MessageStatus.DELIVERED, attempts=1, next_attempt_at=moment_, created_at=at, sent_at=moment_,
                delivered_at=moment_, provider_id=f"log-{notice.key}"))
    Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)
