"""A leader opens the dashboard and form 06, downloads both exports; a citizen opens the public page."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def seed(province):
    """Twelve real dossiers received in March 2017 (rows, events, rollups), as `phucvu seed` writes them."""
    call_command("seed", "--dossiers", "12", "--seed", "4", "--from", "2017-03-01", "--to", "2017-03-31")


def unfold(page, name: str) -> None:
    """Click the caret of a unit's row in form 06 and wait for the rows under it."""
    row = page.locator("#form06 tr", has_text=name).first
    with page.expect_response(lambda r: "children_of=" in r.url):
        row.locator("[data-pv-fold]").click()
    row.locator("[data-pv-fold][data-loaded]").wait_for()  # set once the rows are in (form06.js)


def test_dashboard_public_page_and_both_exports(page, live_server, login, province, make_staff, tmp_path):
    seed(province)
    leader = make_staff(province["province"], "unit_leader")
    login(page, leader.user.username)
    page.goto(f"{live_server.url}/reports/?from=2017-03-01&to=2017-03-31")
    assert page.locator("#kpis").inner_text().count("12") >= 1
    page.wait_for_function("document.querySelector('#trend').height > 0")
    page.goto(f"{live_server.url}/reports/06/?from=2017-03-01&to=2017-03-31")
    unfold(page, "UBND thành phố Móng Cái")
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


def test_form06_unfolds_and_folds_the_units_under_a_unit(page, live_server, login, province, make_staff):
    seed(province)
    login(page, make_staff(province["province"], "unit_leader").user.username)
    page.goto(f"{live_server.url}/reports/06/?from=2017-03-01&to=2017-03-31")
    table = page.locator("#form06")
    assert "UBND thành phố Hạ Long" in table.inner_text() and "UBND phường Hồng Gai" not in table.inner_text()
    unfold(page, "UBND thành phố Hạ Long")
    assert page.locator("#form06 tr", has_text="UBND phường Hồng Gai").first.is_visible()
    unfold(page, "UBND phường Hồng Gai")
    desk = page.locator("#form06 tr", has_text="Bộ phận Một cửa phường Hồng Gai").first
    assert desk.is_visible() and desk.locator("td").first.inner_text() == "3.2.1"
    # Folding the district hides every row below it; unfolding brings back the commune left open, with no request.
    district_fold = page.locator("#form06 tr", has_text="UBND thành phố Hạ Long").first.locator("[data-pv-fold]")
    district_fold.click()
    assert not desk.is_visible() and district_fold.get_attribute("aria-expanded") == "false"
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    district_fold.click()
    assert desk.is_visible() and not [u for u in requests if "children_of=" in u]
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
