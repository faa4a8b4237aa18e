"""The drill-down link behind a report figure. (Numbers are formatted by the `numbers` library in core.)"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def drill(figure: str, date_from, date_to, agency="", by: str = "agency", ref="") -> str:
    """The URL of the dossiers behind one figure of a report row."""

    params = {"figure": figure, "from": str(date_from), "to": str(date_to)}
    if by in ("agency", "competent"):
        params["agency"] = ref or agency or ""
        if by == "competent":
            params["dim"] = "competent"  # the dossiers the agency decided, not those it received
    else:
        params["agency"] = agency or ""
        if ref not in ("", None):
            params[by] = ref
    return reverse("reports:drilldown") + "?" + urlencode({k: v for k, v in params.items() if v != ""})
