"""The dossiers behind a figure: the same definitions as the rollups, as filters on the dossier list.

The list comes from the dossiers app's selector (`dossier_list(user)`), so the visibility rule applies;
this module only narrows it to the figure clicked.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet

from phucvu.reports.rollups import start_of_day as start_of

FIGURES = {
    "received": "Tiếp nhận trong kỳ", "online": "Tiếp nhận trực tuyến", "direct": "Tiếp nhận trực tiếp, bưu chính",
    "carried_over": "Kỳ trước chuyển qua", "resolved": "Đã giải quyết", "early": "Giải quyết trước hạn",
    "on_time": "Giải quyết đúng hạn", "late": "Giải quyết quá hạn", "in_progress": "Đang giải quyết",
    "within": "Đang giải quyết trong hạn", "overdue": "Đang giải quyết quá hạn", "paused": "Đang tạm dừng",
    "withdrawn": "Rút hồ sơ", "stopped": "Dừng xử lý", "due_soon": "Sắp đến hạn",
}


def _closed_before(moment: dt.datetime) -> Q:
    return Q(resolved_at__lt=moment) | Q(withdrawn_at__lt=moment) | Q(stopped_at__lt=moment)


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
            # early / on time differ by the local date of the appointment: decided in Python on a short list.
            return qs.filter(resolved).exclude(resolved_at__gt=F("due_at"))
        case "in_progress":
            return qs.filter(open_at_end)
        case "within":
            return qs.filter(open_at_end & (Q(due_at__gt=end) | Q(due_at__isnull=True)))
        case "overdue" | "due_soon":
            return qs.filter(open_at_end, due_at__lte=end)
        case "paused":
            return qs.filter(open_at_end, paused_at__isnull=False, paused_at__lt=end)
        case "withdrawn":
            return qs.filter(withdrawn_at__gte=begin, withdrawn_at__lt=end)
        case "stopped":
            return qs.filter(stopped_at__gte=begin, stopped_at__lt=end)
    return qs.none()
