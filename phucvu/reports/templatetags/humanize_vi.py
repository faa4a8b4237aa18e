"""The drill-down link behind a report figure, and a report form's agency list. (Numbers are formatted by
the `numbers` library in core.)"""

from __future__ import annotations

from django import template

from phucvu.reports import links

register = template.Library()


@register.simple_tag
def drill(figure: str, date_from, date_to, agency="", by: str = "agency", ref="") -> str:
    """The URL of the dossiers behind one figure of a report row (a page with many builds them with
    `links.Drill` once, in Python)."""
    return links.Drill(date_from, date_to, agency, by).url(figure, ref)


@register.simple_tag
def agency_options(agencies, selected) -> str:
    """`{% agency_options agencies agency_id %}`: the agency list's options, built in one pass."""
    return links.agency_options(agencies, selected)
