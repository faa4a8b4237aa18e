"""A leader opens the dashboard and form 06, downloads both exports; a citizen opens the public page."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def seed(province):
    """Twelve real dossiers received in March 2017 (rows, events, rollups), as `phucvu seed` writes them."""
    call_command("seed", "--dossiers", "12", "--seed", "4", "--from", "2017-03-01", "--to", "2017-03-31")


def test_dashboard_public_page_and_both_exports(page, live_server, login, province, make_staff, tmp_path):
    seed(province)
    leader = make_staff(province["province"], "unit_leader")
    login(page, leader.user.username)
    page.goto(f"{live_server.url}/reports/?from=2017-03-01&to=2017-03-31")
    assert page.locator("#kpis").inner_text().count("12") >= 1
    page.wait_for_function("document.querySelector('#trend').height > 0")
    page.goto(f"{live_server.url}/reports/06/?from=2017-03-01&to=2017-03-31")
    assert "UBND phường Ka Long" in page.locator("#form06").inner_text()
    for link, suffix in (("#export-xlsx", ".xlsx"), ("#export-pdf", ".pdf")):
        with page.expect_download() as info:
            page.click(link)
        target = tmp_path / f"report{suffix}"
        info.value.save_as(target)
        assert info.value.suggested_filename.endswith(suffix) and target.stat().st_size > 1000
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/reports/cong-khai/?month=2017-03")
    assert "12" in page.locator("#headline").inner_text()
    assert "UBND phường Hồng Gai" in page.locator("#public-table").inner_text()


def chart_state(page) -> dict:
    """What Chart.js drew: each dataset's axis and each axis' range."""
    return page.evaluate("""() => {
        const chart = Chart.getChart('trend');
        return {
            axes: Object.fromEntries(Object.entries(chart.scales).map(([id, s]) => [id, [s.min, s.max]])),
            datasets: chart.data.datasets.map((d, i) => ({type: d.type, axis: chart.getDatasetMeta(i).yAxisID,
                                                         max: Math.max(...d.data.filter(v => v !== null))})),
        };
    }""")


def test_dashboard_chart_draws_counts_and_the_rate_on_separate_axes(page, live_server, login, province, make_staff):
    """The bars were drawn against the rate's 80–100 axis (clipped): each series now has its own axis."""
    seed(province)
    login(page, make_staff(province["province"], "unit_leader").user.username)
    page.goto(f"{live_server.url}/reports/?from=2017-03-01&to=2017-03-31")
    page.wait_for_function("window.Chart && Chart.getChart('trend')")
    state = chart_state(page)
    bars = [d for d in state["datasets"] if d["type"] == "bar"]
    (line,) = [d for d in state["datasets"] if d["type"] == "line"]
    assert {d["axis"] for d in bars} == {"count"} and line["axis"] == "rate"
    low, high = state["axes"]["count"]
    assert low == 0 and high >= max(d["max"] for d in bars) == 12
    assert state["axes"]["rate"][1] == 100 and state["axes"]["rate"][0] <= line["max"] <= 100
