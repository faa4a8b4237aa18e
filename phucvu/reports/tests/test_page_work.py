"""The report pages do their work once per page: links built in Python, figures only for the rows shown,
the agency list without a model per agency (docs/performance.md §13). The links stay the drill-down's."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.urls import reverse

from phucvu.reports import engine
from phucvu.reports.links import Drill, agency_options
from phucvu.reports.selectors import AgencyChoice
from phucvu.reports.tests.test_views import PERIOD, history  # noqa: F401 (fixture)


def links(page: str) -> set[str]:
    return {htmllib.unescape(h) for h in re.findall(r'href="([^"]*)"', page)}


@pytest.mark.django_db
def test_drill_links_carry_the_period_the_agency_and_the_row():
    drill = reverse("reports:drilldown")
    by_agency = Drill("2017-03-01", "2017-03-31", 1, "agency")
    assert by_agency.url("late", 7) == f"{drill}?figure=late&from=2017-03-01&to=2017-03-31&agency=7"
    assert by_agency.url("received") == f"{drill}?figure=received&from=2017-03-01&to=2017-03-31&agency=1"
    decided = Drill("2017-03-01", "2017-03-31", "", "competent")
    assert decided.url("paused", 7) == f"{drill}?figure=paused&from=2017-03-01&to=2017-03-31&agency=7&dim=competent"
    by_level = Drill("2017-03-01", "2017-03-31", "", "level")
    assert by_level.url("overdue", "province") == f"{drill}?figure=overdue&from=2017-03-01&to=2017-03-31&level=province"
    assert by_level.url("overdue") == f"{drill}?figure=overdue&from=2017-03-01&to=2017-03-31"


@pytest.mark.django_db
def test_every_dashboard_figure_links_to_the_dossiers_behind_it(client, history, make_staff):  # noqa: F811
    client.force_login(make_staff(history["province"], "unit_leader").user)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    found = links(page)
    drill = reverse("reports:drilldown")
    district2, province = history["district2"].pk, history["province"].pk
    for figure in ("received", "resolved", "late", "overdue", "paused"):
        assert f"{drill}?figure={figure}&from=2017-03-01&to=2017-03-31&agency={district2}" in found
        assert f"{drill}?figure={figure}&from=2017-03-01&to=2017-03-31&agency={province}&level=commune" in found
    # A unit's name opens its own board for the same period.
    assert f"?from=2017-03-01&to=2017-03-31&agency={district2}&dim=received" in found
    # Móng Cái's late dossier (resolved on the 12th, due on the 9th) is in the late units' table, in red.
    assert re.search(rf'class="text-danger" href="[^"]*figure=late[^"]*agency={district2}">1</a>', page)


@pytest.mark.django_db
def test_form06_computes_the_figures_of_the_rows_it_shows_only(client, history, make_staff, monkeypatch):  # noqa: F811
    """Folded, form 06 shows the units right under the agency: the figures of the rows below are not
    computed (a province has hundreds; they were computed and thrown away)."""
    computed = []
    figures = engine.Row.figures
    monkeypatch.setattr(engine.Row, "figures", lambda row: computed.append(row.key) or figures(row))
    client.force_login(make_staff(history["province"], "unit_leader").user)
    page = client.get(reverse("reports:form06"), PERIOD).content.decode()
    shown = {"T22", "SNV", "TTHCC", "H193", "H194"}
    assert set(computed) == shown  # the total row is the province's: its key is T22 too
    assert f"figure=late&from=2017-03-01&to=2017-03-31&agency={history['district2'].pk}" in htmllib.unescape(page)


@pytest.mark.django_db
def test_the_dashboard_computes_the_figures_of_the_units_right_under_it_only(client, history, make_staff,  # noqa: F811
                                                                            monkeypatch):
    computed = []
    figures = engine.Row.figures
    monkeypatch.setattr(engine.Row, "figures", lambda row: computed.append((row.key, row.depth)) or figures(row))
    client.force_login(make_staff(history["province"], "unit_leader").user)
    client.get(reverse("reports:dashboard"), PERIOD)
    by_agency_rows = [key for key, depth in computed if depth == 2]
    assert by_agency_rows == []  # the communes are not drawn in the units' table


def test_agency_list_is_indented_by_depth_and_escaped():
    options = agency_options([AgencyChoice(1, "UBND tỉnh", 0), AgencyChoice(5, "Xã <A&B>", 2)], 5)
    assert options == ('<option value="1">UBND tỉnh</option>'
                       '<option value="5" selected>&nbsp;&nbsp;&nbsp;&nbsp;Xã &lt;A&amp;B&gt;</option>')
