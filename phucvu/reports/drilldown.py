"""The dossiers behind a figure: the same definitions as the rollups, as filters on the dossier list.

The list comes from the dossiers app's selector (`dossier_list(user)`), so the visibility rule applies;
this module only narrows it to the figure clicked.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from phucvu.core.localtime import LOCAL_TZ
from phucvu.core.localtime import start_of_day as start_of
from phucvu.dossiers.facts import pauses_of

FIGURES = {
    "received": _("Tiếp nhận trong kỳ"), "online": _("Tiếp nhận trực tuyến"), "direct": _("Tiếp nhận trực tiếp, bưu chính"),
    "carried_over": _("Kỳ trước chuyển qua"), "resolved": _("Đã giải quyết"), "early": _("Giải quyết trước hạn"),
    "on_time": _("Giải quyết đúng hạn"), "late": _("Giải quyết quá hạn"), "in_progress": _("Đang giải quyết"),
    "within": _("Đang giải quyết trong hạn"), "overdue": _("Đang giải quyết quá hạn"), "paused": _("Đang tạm dừng"),
    "withdrawn": _("Rút hồ sơ"), "stopped": _("Dừng xử lý"),
}


def _closed_before(moment: dt.datetime) -> Q:
    return Q(resolved_at__lt=moment) | Q(withdrawn_at__lt=moment) | Q(stopped_at__lt=moment)


def paused_at_end(qs: QuerySet, end: dt.datetime) -> list[int]:
    """Open dossiers waiting for the applicant at `end`, from their whole pause history (a pause begun
    before `end` and not ended by then), the rule the rollups count by."""
    ids = []
    for pk, raw in qs.exclude(pauses=[]).values_list("pk", "pauses").iterator(chunk_size=5000):
        if any(start < end and (stop is None or stop >= end) for start, stop in pauses_of(raw)):
            ids.append(pk)
    return ids


def narrow(qs: QuerySet, *, figure: str, date_from: dt.date, date_to: dt.date) -> QuerySet:
    begin, end = start_of(date_from), start_of(date_to + dt.timedelta(days=1))
    qs = qs.filter(received_at__isnull=False)
    in_period = {"received_at__gte": begin, "received_at__lt": end}
    open_at_end = Q(received_at__lt=end) & ~_closed_before(end)
    resolved = Q(resolved_at__gte=begin, resolved_at__lt=end)
    match figure:
        case "received":
            return qs.filter(**in_period)
        case "online":
            return qs.filter(channel="online", **in_period)
        case "direct":
            return qs.filter(**in_period).exclude(channel="online")
        case "carried_over":
            return qs.filter(Q(received_at__lt=begin) & ~_closed_before(begin))
        case "resolved":
            return qs.filter(resolved)
        case "late":
            return qs.filter(resolved, resolved_at__gt=F("due_at"))
        case "early" | "on_time":
            # Early: resolved on a local date before the appointment's local date; on time: that date, and
            # not after the appointment moment (no appointment: on time, as the rollups count it).
            dated = qs.filter(resolved).exclude(resolved_at__gt=F("due_at")).annotate(
                _resolved_day=TruncDate("resolved_at", tzinfo=LOCAL_TZ), _due_day=TruncDate("due_at", tzinfo=LOCAL_TZ))
            if figure == "early":
                return dated.filter(_resolved_day__lt=F("_due_day"))
            return dated.filter(Q(due_at__isnull=True) | Q(_resolved_day__gte=F("_due_day")))
        case "in_progress":
            return qs.filter(open_at_end)
        case "within":
            return qs.filter(open_at_end & (Q(due_at__gt=end) | Q(due_at__isnull=True)))
        case "overdue":
            return qs.filter(open_at_end, due_at__lte=end)
        case "paused":
            return qs.filter(pk__in=paused_at_end(qs.filter(open_at_end), end))
        case "withdrawn":
            return qs.filter(withdrawn_at__gte=begin, withdrawn_at__lt=end)
        case "stopped":
            return qs.filter(stopped_at__gte=begin, stopped_at__lt=end)
    return qs.none()
