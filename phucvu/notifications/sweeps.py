"""Periodic sweeps the worker runs when due: appointment reminders, the staff's daily digest, lost claims,
keeping the Zalo OA token fresh, and sealing the days of the dossier event chain. Each sweep's next run is a row (`SweepRun`): a worker takes a due
sweep with a conditional update, so two workers never run the same sweep twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from phucvu.dossiers.audit import seal_days
from phucvu.dossiers.models import Dossier, Status
from phucvu.notifications import digest, services, tokens
from phucvu.notifications.channels import enabled
from phucvu.notifications.models import Audience, ChannelName, Message, SweepRun
from phucvu.notifications.services import Notice, notices_enqueue
from phucvu.notifications.texts import render
from phucvu.notifications.values import dossier_values
from phucvu.organization.models import Staff

# A reminder is for a dossier the citizen will come for: result ready, or still running towards its date.
REMINDED = (Status.RESOLVED, Status.RECEIVED, Status.PROCESSING)


def _appointment(dossier: Dossier) -> dt.datetime | None:
    return dossier.reappointed_at or dossier.due_at


def reminders(now: dt.datetime) -> str:
    """A reminder for each appointment in the next `NOTIFY_REMINDER_HOURS` (one per dossier and date)."""
    until = now + dt.timedelta(hours=settings.NOTIFY_REMINDER_HOURS)
    window = (Q(reappointed_at__isnull=True, due_at__gt=now, due_at__lte=until)
              | Q(reappointed_at__gt=now, reappointed_at__lte=until))
    dossiers = Dossier.objects.filter(window, status__in=REMINDED).select_related("procedure", "agency")
    notices = []
    for d in dossiers.iterator(chunk_size=500):
        when = _appointment(d)
        notices.append(Notice(
            key=f"rem:d{d.pk}:{when:%Y%m%d%H%M}", event="appointment_reminder", data=dossier_values(d),
            dossier_id=d.pk, phone=d.applicant_phone, email=d.applicant_email,
            extra={"appointment": when.isoformat()}))
    return f"{notices_enqueue(notices, now=now)} lời nhắc"


def reminder_still_true(message: Message, now: dt.datetime) -> bool:
    dossier = Dossier.objects.filter(pk=message.dossier_id).only("status", "due_at", "reappointed_at").first()
    if dossier is None or dossier.status not in REMINDED:
        return False
    when = _appointment(dossier)
    return when is not None and when.isoformat() == message.payload.get("appointment") and when > now


def digests(now: dt.datetime) -> str:
    """One digest per cadre with something due tomorrow or overdue; none for an empty list."""
    found = digest.items_by_staff(now)
    staff = Staff.objects.select_related("user").in_bulk(list(found))
    day = timezone.localtime(now).date()
    notices = []
    for staff_id, items in found.items():
        person = staff.get(staff_id)
        if person is None or not person.active:
            continue
        notices.append(Notice(
            key=f"dg:s{staff_id}:{day:%Y%m%d}", event="staff_digest", audience=Audience.STAFF, staff_id=staff_id,
            email=person.user.email or "", data=_digest_data(person.full_name, items, now),
            extra={"items": [item.key for item in items]}))
    return f"{notices_enqueue(notices, now=now)} bản tổng hợp"


def _digest_data(name: str, items, now: dt.datetime) -> dict:
    return {"name": name, "count": len(items), "date": f"{timezone.localtime(now):%d/%m/%Y}",
            "items": digest.render_items(items, now)}


def digest_still_true(message: Message, now: dt.datetime) -> bool:
    """Rebuild the digest from today's facts: drop what is no longer true; nothing left, nothing sent."""
    items = digest.items_by_staff(now, [message.staff_id]).get(message.staff_id, [])
    if not items:
        return False
    keys = [item.key for item in items]
    if keys != message.payload.get("items"):
        name = message.payload.get("data", {}).get("name", "")
        data = _digest_data(name, items, now)
        _, subject, text = render("staff_digest", data)
        message.payload = {**message.payload, "data": data, "subject": subject, "text": text, "items": keys}
    return True


def release(now: dt.datetime) -> str:
    return f"{services.release_lost(now=now)} tin nhận lại"


def zalo_token(now: dt.datetime) -> str:
    """Use the refresh token before it lapses even when nothing is sent (Zalo's refresh token expires
    unused after three months)."""
    if ChannelName.ZALO not in enabled():
        return "Zalo không bật"
    try:
        tokens.access_token()
    except tokens.TokenError as exc:
        return str(exc)[:200]
    return "token còn hạn"


def audit_days(now: dt.datetime) -> str:
    """Seal the days of the dossier event chain that are over (docs/audit.md); nothing to do most hours."""
    return f"{len(seal_days(now))} ngày niêm phong chuỗi sự kiện"


def _every(minutes: int) -> Callable[[dt.datetime], dt.datetime]:
    return lambda now: now + dt.timedelta(minutes=minutes)


def _daily_at(now: dt.datetime) -> dt.datetime:
    """The next `NOTIFY_DIGEST_AT`, local time, after `now`."""
    local = timezone.localtime(now)
    hours, minutes = (int(x) for x in settings.NOTIFY_DIGEST_AT.split(":"))
    target = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    if target <= local:
        target += dt.timedelta(days=1)
    return target


@dataclass(frozen=True)
class Sweep:
    name: str
    run: Callable[[dt.datetime], str]
    next_after: Callable[[dt.datetime], dt.datetime]
    first_now: bool = True  # due at once on a new installation (the digest waits for its hour)


SWEEPS: dict[str, Sweep] = {s.name: s for s in [
    Sweep("reminders", reminders, _every(5)),
    Sweep("digests", digests, _daily_at, first_now=False),
    Sweep("release", release, _every(5)),
    Sweep("zalo_token", zalo_token, _every(60)),
    Sweep("audit_days", audit_days, _every(60)),
]}

services.VALIDATORS["appointment_reminder"] = reminder_still_true
services.VALIDATORS["staff_digest"] = digest_still_true


def run_due(now: dt.datetime | None = None, *, only: str | None = None) -> list[tuple[str, str]]:
    """Run each sweep that is due (or `only` that one, now). Returns (name, result) of those run."""
    now = now or timezone.now()
    done = []
    for sweep in SWEEPS.values():
        if only is not None and sweep.name != only:
            continue
        row, _ = SweepRun.objects.get_or_create(
            name=sweep.name, defaults={"next_run_at": now if sweep.first_now else sweep.next_after(now)})
        due = SweepRun.objects.filter(pk=row.pk) if only else SweepRun.objects.filter(pk=row.pk, next_run_at__lte=now)
        if not due.update(next_run_at=sweep.next_after(now), last_run_at=now):
            continue
        result = sweep.run(now)
        SweepRun.objects.filter(pk=row.pk).update(last_result=result[:200])
        done.append((sweep.name, result))
    return done
