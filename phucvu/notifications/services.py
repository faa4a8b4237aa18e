"""Every write of notifications: notices into the outbox (idempotent), claims, sends, retries, fallbacks,
cancellations, and the citizens' channel choices. See docs/notifications.md.

A notice is one thing to tell one person. It becomes an outbox row on the first channel of its route (the
channels the person accepted, this installation has, and that can reach them, in the order Zalo → SMS →
e-mail); a channel that fails for good hands the notice to the next channel as a new row. The row's key
(`<notice key>:<channel>`) is unique, so enqueuing the same notice twice inserts nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from phucvu.core.exceptions import InvalidInput
from phucvu.core.localtime import at_or_now
from phucvu.notifications.channels import CHANNELS, ChannelError, Sent, enabled
from phucvu.notifications.models import (
    FALLBACK_ORDER,
    Audience,
    ChannelName,
    ContactPreference,
    Message,
    MessageStatus,
)
from phucvu.notifications.texts import render

logger = logging.getLogger("phucvu.notifications")

# Events sent whatever the hour: the reminder exists to reach the citizen before an early appointment.
NIGHT_ALLOWED = {"appointment_reminder"}
LEASE = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=6)

# Checks made just before a send: False cancels the message (a reminder or digest that is no longer true).
# The sweeps register theirs; a check may also refresh the message's payload (a digest's items).
Validator = Callable[[Message, dt.datetime], bool]
VALIDATORS: dict[str, Validator] = {}


@dataclass
class Notice:
    key: str  # unique per thing told: e.g. "ev123:received", "rem:d5:2026-03-10T09:00", "dg:s7:2026-03-10"
    event: str
    data: dict
    audience: str = Audience.CITIZEN
    dossier_id: int | None = None
    staff_id: int | None = None
    phone: str = ""
    email: str = ""
    accepted: Sequence[str] | None = None  # the person's channels; None: NOTIFY_DEFAULT_CHANNELS
    not_before: dt.datetime | None = None
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------
# Time rules


def _clock(text: str) -> dt.time:
    hours, minutes = text.strip().split(":")
    return dt.time(int(hours), int(minutes))


def quiet_end(moment: dt.datetime) -> dt.datetime:
    """`moment`, or the end of the quiet hours (`NOTIFY_QUIET_HOURS`, local time) if it falls inside them."""
    spec = (settings.NOTIFY_QUIET_HOURS or "").strip()
    if not spec:
        return moment
    start, end = (_clock(part) for part in spec.split("-"))
    local = timezone.localtime(moment)
    t = local.time()
    inside = (start <= t or t < end) if start > end else (start <= t < end)
    if not inside:
        return moment
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end), local.tzinfo)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt `attempts + 1`: the base doubled at each failure (60 s, 2, 4, 8 min…), capped."""
    seconds = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return min(dt.timedelta(seconds=seconds), MAX_BACKOFF)


# ---------------------------------------------------------------------------------------------------
# Routes and rows


def route(notice: Notice) -> list[tuple[str, str]]:
    """(channel, address) in the order to try: accepted ∩ enabled ∩ reachable. The log channel stands in
    only when this installation has no real channel (the embedded default)."""
    on = enabled()
    candidates: list[str]
    accepted: set[str]
    if notice.audience == Audience.STAFF:
        candidates = [ChannelName.EMAIL]
        accepted = set(candidates)
    else:
        candidates = list(FALLBACK_ORDER)
        accepted = set(settings.NOTIFY_DEFAULT_CHANNELS if notice.accepted is None else notice.accepted)
    out: list[tuple[str, str]] = []
    for name in candidates:
        if name in on and name in accepted and CHANNELS[name].can_send(notice.event):
            address = CHANNELS[name].address(phone=notice.phone, email=notice.email)
            if address:
                out.append((name, address))
    real = [name for name in on if name != ChannelName.LOG]
    if not out and not real and ChannelName.LOG in on:
        out.append((ChannelName.LOG, CHANNELS[ChannelName.LOG].address(phone=notice.phone, email=notice.email) or "—"))
    return out


def _row(notice: Notice, channel: str, address: str, rest: list[tuple[str, str]], now: dt.datetime,
         not_before: dt.datetime, fallback_of: Message | None = None) -> Message:
    template, subject, text = render(notice.event, notice.data)
    return Message(
        key=f"{notice.key}:{channel}", group=notice.key, event=notice.event, audience=notice.audience,
        channel=channel, template=template.event, template_version=template.version, dossier_id=notice.dossier_id,
        staff_id=notice.staff_id, recipient=address[:254],
        payload={"data": notice.data, "subject": subject, "text": text, "route": [list(r) for r in rest],
                 **notice.extra},
        status=MessageStatus.QUEUED, next_attempt_at=not_before, created_at=now, fallback_of=fallback_of)


def _not_before(event: str, wanted: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    moment = max(wanted or now, now)
    return moment if event in NIGHT_ALLOWED else quiet_end(moment)


def notices_enqueue(notices: Iterable[Notice], *, now: dt.datetime | None = None) -> int:
    """Outbox rows for `notices` (one INSERT; a notice already in the outbox is skipped). Call it after the
    business transaction committed. Returns the number of notices that had a route."""
    now = now or timezone.now()
    notices = list(notices)
    choices = _choices({n.dossier_id for n in notices if n.dossier_id and n.audience == Audience.CITIZEN})
    rows = []
    for notice in notices:
        if notice.audience == Audience.CITIZEN and notice.dossier_id in choices:
            opted_out, channels = choices[notice.dossier_id]
            if opted_out:
                continue
            notice.accepted = channels
        path = route(notice)
        if not path:
            continue
        (channel, address), rest = path[0], path[1:]
        rows.append(_row(notice, channel, address, rest, now, _not_before(notice.event, notice.not_before, now)))
    if rows:
        Message.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _choices(dossier_ids: set[int]) -> dict[int, tuple[bool, list[str]]]:
    if not dossier_ids:
        return {}
    return {d: (o, c) for d, o, c in ContactPreference.objects.filter(dossier_id__in=dossier_ids)
            .values_list("dossier_id", "opted_out", "channels")}


def preference_set(*, dossier_id: int, channels: Sequence[str], opted_out: bool = False,
                   at: dt.datetime | None = None) -> ContactPreference:
    """The applicant's choice for one dossier: the channels they accept, or no messages at all."""
    unknown = [c for c in channels if c not in FALLBACK_ORDER]
    if unknown:
        raise InvalidInput("Kênh nhận thông báo không hợp lệ: " + ", ".join(unknown))
    chosen = [c for c in FALLBACK_ORDER if c in channels]
    now = at_or_now(at)
    with transaction.atomic():
        preference, _ = ContactPreference.objects.select_for_update().get_or_create(
            dossier_id=dossier_id, defaults={"channels": chosen, "opted_out": opted_out or not chosen,
                                             "updated_at": now})
        preference.channels, preference.opted_out, preference.updated_at = chosen, opted_out or not chosen, now
        preference.save()
        if preference.opted_out:
            # Stop what is still waiting to be sent (nothing already sent is touched).
            Message.objects.filter(dossier_id=dossier_id, audience=Audience.CITIZEN,
                                   status=MessageStatus.QUEUED).update(status=MessageStatus.CANCELLED,
                                                                       error="Công dân từ chối nhận thông báo.")
    return preference


def messages_cancel(*, dossier_id: int, events: Sequence[str], reason: str) -> int:
    """Cancel a dossier's messages of these events still waiting in the outbox (no longer true)."""
    return Message.objects.filter(dossier_id=dossier_id, event__in=list(events), status=MessageStatus.QUEUED
                                  ).update(status=MessageStatus.CANCELLED, error=reason[:500])


# ---------------------------------------------------------------------------------------------------
# Sending


def claim_due(*, limit: int = 100, now: dt.datetime | None = None) -> list[Message]:
    """Claim up to `limit` due messages for this worker. The conditional UPDATE (status still queued) makes
    the claim exclusive on SQLite and PostgreSQL alike: two workers never send the same row."""
    now = now or timezone.now()
    ids = list(Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    token = uuid.uuid4().hex
    Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING, claim=token, lease_until=now + LEASE)
    return list(Message.objects.filter(claim=token, status=MessageStatus.SENDING).order_by("next_attempt_at", "id"))


def deliver_claimed(message_id: int, claim: str) -> str:
    """Send one claimed message (what a worker, or an RQ job, runs). Returns the new status."""
    message = Message.objects.filter(pk=message_id, claim=claim, status=MessageStatus.SENDING).first()
    if message is None:
        return "gone"  # sent, cancelled or re-claimed meanwhile
    return deliver(message)


def deliver(message: Message) -> str:
    now = timezone.now()
    validator = VALIDATORS.get(message.event)
    if validator is not None and not validator(message, now):
        _finish(message, status=MessageStatus.CANCELLED, error="Không còn đúng khi đến lượt gửi.")
        return MessageStatus.CANCELLED
    try:
        sent = CHANNELS[message.channel].send(message)
    except ChannelError as exc:
        return _failed(message, str(exc), permanent=exc.permanent)
    except Exception as exc:  # a bug or an unexpected library error: retried, and logged with its trace
        logger.exception("notify: message %s failed", message.pk)
        return _failed(message, f"{type(exc).__name__}: {exc}", permanent=False)
    return _succeeded(message, sent)


def _finish(message: Message, **fields) -> int:
    fields.setdefault("claim", "")
    fields.setdefault("lease_until", None)
    fields["updated_at"] = timezone.now()
    return Message.objects.filter(pk=message.pk, claim=message.claim).update(**fields)


def _succeeded(message: Message, sent: Sent) -> str:
    now = timezone.now()
    status = MessageStatus.DELIVERED if sent.delivered else MessageStatus.SENT
    _finish(message, status=status, attempts=message.attempts + 1, provider_id=sent.provider_id[:100],
            cost=sent.cost, sent_at=now, delivered_at=now if sent.delivered else None, error="",
            payload=message.payload)
    return status


@transaction.atomic
def _failed(message: Message, error: str, *, permanent: bool) -> str:
    now = timezone.now()
    attempts = message.attempts + 1
    if not permanent and attempts < settings.NOTIFY_MAX_ATTEMPTS:
        _finish(message, status=MessageStatus.QUEUED, attempts=attempts, error=error[:2000],
                next_attempt_at=now + backoff(attempts))
        return MessageStatus.QUEUED
    _finish(message, status=MessageStatus.FAILED, attempts=attempts, error=error[:2000])
    rest = [tuple(r) for r in message.payload.get("route", [])]
    if rest:
        (channel, address), remaining = rest[0], list(rest[1:])
        notice = Notice(key=message.group, event=message.event, data=message.payload.get("data", {}),
                        audience=message.audience, dossier_id=message.dossier_id, staff_id=message.staff_id,
                        extra={k: v for k, v in message.payload.items()
                               if k not in {"data", "subject", "text", "route"}})
        row = _row(notice, channel, address, remaining, now, _not_before(message.event, None, now),
                   fallback_of=message)
        Message.objects.bulk_create([row], ignore_conflicts=True)
    return MessageStatus.FAILED


def release_lost(*, now: dt.datetime | None = None) -> int:
    """Messages whose worker vanished (lease over, still `sending`) go back to the queue."""
    now = now or timezone.now()
    return Message.objects.filter(status=MessageStatus.SENDING, lease_until__lt=now).update(
        status=MessageStatus.QUEUED, claim="", lease_until=None, error="Tiến trình gửi bị gián đoạn; gửi lại.")


def delivery_report(*, channel: str, provider_id: str, delivered: bool, cost: int | None = None,
                    error: str = "", at: dt.datetime | None = None) -> int:
    """A provider's delivery report (eSMS callback): sent → delivered, or failed with the reason."""
    now = at_or_now(at)
    qs = Message.objects.filter(channel=channel, provider_id=provider_id,
                                status__in=[MessageStatus.SENT, MessageStatus.DELIVERED])
    fields: dict = {"updated_at": now}
    if delivered:
        fields.update(status=MessageStatus.DELIVERED, delivered_at=now)
    else:
        fields.update(status=MessageStatus.FAILED, error=error[:2000] or "Nhà mạng báo không đến được.")
    if cost is not None:
        fields["cost"] = cost
    return qs.update(**fields)
