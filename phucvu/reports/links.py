"""The drill-down links and formatted figures of a report page, computed once per page in Python.

A report page shows a few hundred figures, each a link to the dossiers behind it. Built in the template
(a tag and two filters per figure) they were most of the dashboard's time; here the address, the period
and each row's filters are encoded once and each link is one concatenation. The links are the same as the
`drill` tag's (`reports/templatetags/humanize_vi.py`, which uses `Drill` too).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from phucvu.core.numbers import grouped, percent
from phucvu.reports.exports import FIGURE_OF, FORM06_COLUMNS

AGENCY_BY = ("agency", "competent")


class Drill:
    """The links of one report: its period, the agency it is about (`agency`) and how its rows are
    grouped (`by`). `url(figure, ref)`: the dossiers behind `figure` in the row whose key is `ref`."""

    def __init__(self, date_from, date_to, agency="", by: str = "agency"):
        self.head = reverse("reports:drilldown") + "?figure="
        self.period = "&" + urlencode({"from": str(date_from), "to": str(date_to)})
        self.agency, self.by = agency, by
        self._tails: dict = {}

    def tail(self, ref="") -> str:
        """The row's own filters, encoded once per row."""
        if ref not in self._tails:
            params = {}
            if self.by in AGENCY_BY:
                params["agency"] = ref or self.agency or ""
                if self.by == "competent":
                    params["dim"] = "competent"  # the dossiers the agency decided, not those it received
            else:
                params["agency"] = self.agency or ""
                if ref not in ("", None):
                    params[self.by] = ref
            query = urlencode({k: v for k, v in params.items() if v != ""})
            self._tails[ref] = self.period + ("&" + query if query else "")
        return self._tails[ref]

    def url(self, figure: str, ref="") -> str:
        return self.head + figure + self.tail(ref)


@dataclass
class Cell:
    text: str
    href: str = ""
    danger: bool = False


# The dashboard's small tables: (figure group, figure, drill-down figure, shown in red).
MINI_COLUMNS = [("received", "total", "received", False), ("resolved", "total", "resolved", False),
                ("resolved", "late", "late", True), (None, "on_time_rate", None, False),
                ("in_progress", "overdue", "overdue", True), ("in_progress", "paused", "paused", False)]


def mini_rows(rows: list[dict], drill: Drill, *, board_link: str = "") -> list[dict]:
    """The rows of the dashboard's small tables, ready to print: each figure formatted, with its link; the
    name a link to the agency's own board when the rows are agencies (`board_link`, with `{ref}` for its id)."""
    board_link = board_link if drill.by in AGENCY_BY else ""
    return [{"name": r["name"], "href": board_link.format(ref=r["ref"]) if board_link else "",
             "cells": [Cell(percent(r[key])) if group is None else
                       Cell(grouped(r[group][key]), drill.url(figure, r["ref"]), danger)
                       for group, key, figure, danger in MINI_COLUMNS]}
            for r in rows]


def form06_cells(rows: list[dict], drill: Drill) -> list[dict]:
    """The figures of form 06's rows shown (`exports.form06_context`, then `fold`): `row` the row's figures,
    `cells` (count, link) per column — a zero has no dossiers behind it, so no link."""
    for row in rows:
        figures = row["row"] = row["source"].figures()
        row["cells"] = [(grouped(count), drill.url(FIGURE_OF[(group, key)], row["ref"]) if count else "")
                        for group, key in FORM06_COLUMNS for count in (figures[group][key],)]
    return rows


def agency_options(agencies, selected) -> str:
    """The `<option>`s of a report form's agency list (`selectors.agency_choices`), indented by depth: one
    string built in one pass (a province lists hundreds of agencies)."""
    return mark_safe("".join(
        f'<option value="{a.pk}"{" selected" if a.pk == selected else ""}>{"&nbsp;&nbsp;" * a.depth}{escape(a.name)}</option>'
        for a in agencies))
