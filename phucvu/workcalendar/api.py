"""Calendar API: the deadline check anyone can script against, and the year's special days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from phucvu.core.web import Year
from phucvu.workcalendar import selectors

router = Router(tags=["workcalendar"])


class DeadlineOut(Schema):
    received: str
    start: str
    due: str


class CalendarDayOut(Schema):
    date: dt.date
    kind: str
    name: str
    source: str


@router.get("/deadline", response=DeadlineOut, summary="Tính hạn giải quyết (như lệnh `phucvu deadline`)")
def deadline(request, received: str, hours: Decimal | None = None, days: Decimal | None = None,
             procedure: str | None = None, agency: str | None = None, cutoff: str | None = None):
    return selectors.deadline_check(received=selectors.parse_received(received), hours=hours, days=days,
                                    procedure_code=procedure, agency_code=agency,
                                    cutoff=selectors.parse_cutoff(cutoff))


@router.get("/days", response=list[CalendarDayOut], summary="Ngày lễ, nghỉ bù, làm bù trong một năm")
def days(request, year: Year):
    return [{"date": d.day, "kind": d.kind, "name": d.name, "source": d.source}
            for d in selectors.calendar_days(year=year)]
