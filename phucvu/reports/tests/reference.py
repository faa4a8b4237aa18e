"""A slow, obviously-correct report: docs/domain.md §11 read literally, dossier by dossier, over raw facts."""

from __future__ import annotations

import datetime as dt

from phucvu.core.localtime import LOCAL_TZ as LOCAL
from phucvu.dossiers.facts import DossierFacts


def start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=LOCAL)


def reference(facts: list[DossierFacts], date_from: dt.date, date_to: dt.date) -> dict:
    begin = start_of(date_from)  # the period is [begin, end)
    end = start_of(date_to + dt.timedelta(days=1))

    def in_period(moment):
        return moment is not None and begin <= moment < end

    def closed_by(f: DossierFacts, moment: dt.datetime) -> bool:
        """Resolved, withdrawn or stopped strictly before `moment` (an instant at midnight is the new day)."""
        return any(t is not None and t < moment for t in (f.resolved_at, f.withdrawn_at, f.stopped_at))

    out = {"online": 0, "direct": 0, "carried_over": 0, "early": 0, "on_time": 0, "late": 0,
           "in_progress": 0, "within": 0, "overdue": 0, "paused": 0, "withdrawn": 0, "stopped": 0}
    for f in facts:
        if f.received_at is None:
            continue
        if in_period(f.received_at):
            out["online" if f.channel == "online" else "direct"] += 1
        if f.received_at < begin and not closed_by(f, begin):
            out["carried_over"] += 1
        if in_period(f.resolved_at):
            due = f.due_at
            if due is not None and f.resolved_at > due:
                out["late"] += 1
            elif due is not None and f.resolved_at.astimezone(LOCAL).date() < due.astimezone(LOCAL).date():
                out["early"] += 1
            else:
                out["on_time"] += 1
        if in_period(f.withdrawn_at):
            out["withdrawn"] += 1
        if in_period(f.stopped_at):
            out["stopped"] += 1
        if f.received_at < end and not closed_by(f, end):
            out["in_progress"] += 1
            if f.due_at is None or f.due_at > end:
                out["within"] += 1
            else:
                out["overdue"] += 1
            if any(s < end and (e is None or e >= end) for s, e in f.pauses):
                out["paused"] += 1
    return out


def engine_counts(row: dict) -> dict:
    """The engine's JSON row in the reference's flat shape."""
    return {
        "online": row["received"]["online"], "direct": row["received"]["direct"],
        "carried_over": row["received"]["carried_over"], "early": row["resolved"]["early"],
        "on_time": row["resolved"]["on_time"], "late": row["resolved"]["late"],
        "in_progress": row["in_progress"]["total"], "within": row["in_progress"]["within"],
        "overdue": row["in_progress"]["overdue"], "paused": row["in_progress"]["paused"],
        "withdrawn": row["withdrawn"], "stopped": row["stopped"],
    }
