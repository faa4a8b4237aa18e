"""The legal clock as dossiers use it: the receiving agency's working calendar (the clock contract)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phucvu.workcalendar.selectors import calendar_for, calendars_for

__all__ = ["calendar_for", "calendars_for", "outcome"]


def outcome(finished: dt.datetime, due: dt.datetime) -> str:
    """early: on a local date before the due date; on_time: not after the due moment; else late."""

    tz = timezone.get_default_timezone()
    if finished > due:
        return "late"
    if finished.astimezone(tz).date() < due.astimezone(tz).date():
        return "early"
    return "on_time"
