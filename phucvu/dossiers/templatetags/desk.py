"""Filters for the desk pages and the printed forms: Vietnamese dates the way forms write them."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from phucvu.catalog.models import RuleSet
from phucvu.organization.models import Role

register = template.Library()


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def vn_moment(value: dt.datetime | None) -> str:
    """'14 giờ 05 phút, ngày 03 tháng 01 năm 2017' — how the receipt writes an instant."""
    if not value:
        return "…… giờ …… phút, ngày …… tháng …… năm ……"
    v = _local(value)
    return f"{v:%H} giờ {v:%M} phút, ngày {v:%d} tháng {v:%m} năm {v:%Y}"


@register.filter
def vn_date(value: dt.date | dt.datetime | None) -> str:
    """'ngày 03 tháng 01 năm 2017'."""
    if not value:
        return "ngày …… tháng …… năm ……"
    if isinstance(value, dt.datetime):
        value = _local(value)
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


@register.filter
def short_moment(value: dt.datetime | None) -> str:
    """'03/01/2017 14:05' in local time, for tables."""
    if not value:
        return ""
    return f"{_local(value):%d/%m/%Y %H:%M}"


def _label(choices, value: str) -> str:
    """The display label of a stored choice; an unknown value shows as it is."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@register.filter
def role_label(value: str) -> str:

    return _label(Role, value)


@register.filter
def rule_set_label(value: str) -> str:
    """The rule set a dossier keeps (decree and circular in force on the day it was received)."""

    return _label(RuleSet, value)
