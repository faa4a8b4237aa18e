"""Numbers as Vietnamese readers write them: 30.783 and 99,12%."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def vn_int(value) -> str:
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")


@register.filter
def vn_pct(value, digits: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return f"{value * 100:.{int(digits)}f}".replace(".", ",") + "%"
