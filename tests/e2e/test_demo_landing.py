"""The newcomer's first page: the seed's table beside the system's figures, and the inspection counts."""

from __future__ import annotations

import io

import pytest

from phucvu.demo import builder

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_landing_page_shows_the_seed_and_the_computed_tables(live_server, page):
    builder.build(profile="quangninh-2017", scale=0.0005, seed=7, out=io.StringIO(), quiet=True)
    page.goto(f"{live_server.url}/")
    volumes = page.get_by_test_id("seed-volumes")
    assert volumes.locator("tbody tr[data-level]").count() == 3
    assert "30783" in volumes.inner_text().replace(".", "").replace(",", "")
    for level in ("province", "district", "commune"):
        assert int(page.get_by_test_id(f"computed-{level}").inner_text().replace(".", "")) > 0
    inspections = page.get_by_test_id("seed-inspections")
    assert inspections.locator("tbody tr").count() == 6
    assert "Cục Hải quan tỉnh Quảng Ninh" in inspections.inner_text()
    assert "30.783" in volumes.inner_text()  # Vietnamese grouping
    assert page.get_by_test_id("demo-satisfaction").locator("tbody tr").count() == 5
    links = page.get_by_test_id("demo-period-links").get_by_role("link")
    assert "from=2017-01-01&to=2017-07-31" in links.first.get_attribute("href")
    links.last.click()  # the public page needs no login: it opens on July 2017, not on the current month
    assert "month=2017-07" in page.url
    page.go_back()
    page.get_by_test_id("demo-logins").locator("summary").click()
    assert "motcua.tinh" in page.get_by_test_id("demo-logins").inner_text()
