"""Local time, defined once: the zone, an instant's local time and day, a day's first instant, and "now".

Pure Python (no Django): the legal clock (`workcalendar.clock`) uses it too. The settings take their
`TIME_ZONE` from here, so `django.utils.timezone.localtime` and these functions agree.

Viet Nam has kept UTC+07:00 without daylight saving since 1975 (docs/domain.md §4.1): for instants from 1976
on, the fixed offset `VN_TZ` is exact and faster than the zone; before that the zone's history decides.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from phucvu.core.exceptions import InvalidInput

TIME_ZONE = "Asia/Ho_Chi_Minh"
LOCAL_TZ = ZoneInfo(TIME_ZONE)
VN_TZ = dt.timezone(dt.timedelta(hours=7))  # LOCAL_TZ from 1976 on, as a fixed offset


def local_time(moment: dt.datetime) -> dt.datetime:
    """The instant in local time: as it is when already at +07:00 (an import's), Viet Nam's offset since 1975."""
    return moment if moment.tzinfo is VN_TZ and moment.year >= 1976 else moment.astimezone(LOCAL_TZ)


def local_day(moment: dt.datetime) -> dt.date:
    """The local date of an instant; an instant at local midnight belongs to the new day."""
    return local_time(moment).date()


def start_of_day(day: dt.date) -> dt.datetime:
    """The instant a local day begins (its local midnight)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL_TZ)


def at_or_now(at: dt.datetime | None = None) -> dt.datetime:
    """The moment of an action: `at` when given (a replay, an import, a test), which must carry its zone, else
    the current instant (in UTC, as `django.utils.timezone.now()` gives it with USE_TZ)."""
    if at is None:
        return dt.datetime.now(dt.UTC)
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInput("Thời điểm phải có múi giờ.")
    return at


def today() -> dt.date:
    """The local date now."""
    return local_day(at_or_now())
