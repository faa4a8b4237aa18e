"""The legal clock as dossiers use it: the receiving agency's working calendar (the clock contract)."""

from __future__ import annotations

import datetime as dt

from phucvu.core.localtime import local_day
from phucvu.workcalendar.selectors import calendar_for, calendars_for

__all__ = ["calendar_for", "calendars_for", "outcome"]


def outcome(finished: dt.datetime, due: dt.datetime) -> str:
    """early: on a local date before the due date; on_time: not after the due moment; else late."""

    if finished > due:
        return "late"
    if local_day(finished) < local_day(due):
        return "early"
    return "on_time"
