"""`{% load numbers %}`: counts, rates and amounts in the active language (`phucvu.core.numbers`)."""

from __future__ import annotations

from django import template

from phucvu.core import numbers

register = template.Library()


@register.filter
def grouped(value, decimals: int = 0) -> str:
    """`{{ n|grouped }}` → 30.783; `{{ share|grouped:1 }}` → 6,3 (in Vietnamese)."""
    return numbers.grouped(value, decimals)


@register.filter
def percent(fraction, digits: int = 2) -> str:
    """`{{ row.on_time_rate|percent }}` → 99,67% (a fraction shown as a percentage)."""
    return numbers.percent(fraction, digits)


@register.filter
def money(amount) -> str:
    """`{{ version.fee|money }}` → 75.000 đ (Vietnamese) / 75,000 VND (English)."""
    return numbers.money(amount)
