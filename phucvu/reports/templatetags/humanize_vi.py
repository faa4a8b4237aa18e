"""Numbers as Vietnamese readers write them: 30.783 and 99,12%."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

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


@register.simple_tag
def drill(figure: str, date_from, date_to, agency="", by: str = "agency", ref="") -> str:
    """The URL of the dossiers behind one figure of a report row."""

    params = {"figure": figure, "from": str(date_from), "to": str(date_to)}
    if by == "agency":
        params["agency"] = ref or agency or ""
    else:
        params["agency"] = agency or ""
        if ref not in ("", None):
            params[by] = ref
    return reverse("reports:drilldown") + "?" + urlencode({k: v for k, v in params.items() if v != ""})
