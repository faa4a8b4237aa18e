"""Agencies whose calendars have the same rows and hours share one calendar, built once."""

from __future__ import annotations

import pytest

from phucvu.workcalendar import selectors

pytestmark = pytest.mark.django_db


def test_agencies_with_the_same_calendar_build_it_once(province, monkeypatch):
    built = []
    real = selectors.WorkingCalendar

    def counting(**kwargs):
        built.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "WorkingCalendar", counting)
    selectors.clear_cache()
    first = selectors.calendar_for(province["commune"].pk)
    assert selectors.calendar_for(province["commune2"].pk) is first
    assert selectors.calendar_for(province["commune3"].pk) is first
    assert len(built) == 1
