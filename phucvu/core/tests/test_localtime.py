"""Local time, defined once (phucvu.core.localtime): the zone, the local day, a day's start, and "now"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from phucvu.core.exceptions import InvalidInput
from phucvu.core.localtime import (
    LOCAL_TZ,
    TIME_ZONE,
    VN_TZ,
    at_or_now,
    local_day,
    local_time,
    start_of_day,
    today,
)


def test_the_settings_time_zone_is_the_one_defined_here():
    assert settings.TIME_ZONE == TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert timezone.get_default_timezone() == LOCAL_TZ


# hypothesis takes naive bounds and attaches the zone itself (timezones=)
@given(st.datetimes(min_value=dt.datetime(1976, 1, 1), max_value=dt.datetime(2100, 12, 31),  # noqa: DTZ001
                    timezones=st.just(dt.UTC)))
def test_the_fixed_offset_is_the_zone_from_1976_on(moment):
    assert moment.astimezone(VN_TZ).utcoffset() == moment.astimezone(LOCAL_TZ).utcoffset()
    assert local_day(moment.astimezone(VN_TZ)) == local_day(moment) == timezone.localtime(moment).date()


def test_before_1976_the_zone_decides():
    # Saigon kept +08:00 until 13/6/1975: 16:30 UTC on 1/1/1970 was already the next day there.
    moment = dt.datetime(1970, 1, 1, 16, 30, tzinfo=dt.UTC)
    assert local_day(moment) == dt.date(1970, 1, 2)
    assert local_time(moment.astimezone(VN_TZ)).utcoffset() == dt.timedelta(hours=8)


def test_local_midnight_belongs_to_the_new_day():
    midnight = start_of_day(dt.date(2025, 7, 1))
    assert midnight == dt.datetime(2025, 6, 30, 17, 0, tzinfo=dt.UTC)
    assert local_day(midnight) == dt.date(2025, 7, 1)
    assert local_day(midnight - dt.timedelta(microseconds=1)) == dt.date(2025, 6, 30)


def test_at_or_now_keeps_a_given_moment_and_refuses_one_without_zone():
    given_at = dt.datetime(2025, 3, 3, 9, 0, tzinfo=VN_TZ)
    assert at_or_now(given_at) is given_at
    with pytest.raises(InvalidInput):
        at_or_now(dt.datetime(2025, 3, 3, 9, 0))  # noqa: DTZ001 — the refused case
    before = timezone.now()
    now = at_or_now()
    assert now.tzinfo is not None and before <= now <= timezone.now()


def test_today_is_the_local_date():
    assert today() in {timezone.localdate(), timezone.localdate() + dt.timedelta(days=1)}  # a midnight between
