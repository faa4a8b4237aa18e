"""Numbers grouped by thousands in the active locale: 30.783 and 99,67 in Vietnamese, 30,783 and 99.67 in English.

Django's `floatformat:"g"` and `intcomma` group only when the locale defines NUMBER_GROUPING, which the
Vietnamese locale does not; turning USE_THOUSAND_SEPARATOR on for the whole site would also group ids in URLs.
"""

from __future__ import annotations

from django import template
from django.utils import formats, numberformat

register = template.Library()


@register.filter
def grouped(value, decimals: int = 0) -> str:
    """`{{ n|grouped }}` → 30.783; `{{ rate|grouped:2 }}` → 99,67. Empty for None or non-numbers."""
    if value is None or value == "":
        return ""
    try:
        number = round(float(value), int(decimals))
    except (TypeError, ValueError):
        return str(value)
    return numberformat.format(number, formats.get_format("DECIMAL_SEPARATOR"), decimal_pos=int(decimals),
                               grouping=3, thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
                               force_grouping=True)
