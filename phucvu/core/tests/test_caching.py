"""Province-wide public figures are computed once per period and language, never per visitor."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from phucvu.core.caching import shared
from phucvu.organization.services import agency_create


@pytest.fixture
def shared_for_a_minute(settings):
    settings.PHUCVU_SHARED_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_built_once_per_language(shared_for_a_minute):
    calls = []

    def build() -> list[str]:
        calls.append(translation.get_language())
        return [translation.get_language()]

    with translation.override("vi"):
        assert shared("figures", build) == ["vi"]
        assert shared("figures", build) == ["vi"]
    with translation.override("en"):
        assert shared("figures", build) == ["en"]
    assert calls == ["vi", "en"]
    # Any text a citizen types is a valid key, and None is kept as a value (not rebuilt each time).
    assert shared("tìm: khai sinh %%% \n" * 50, lambda: None) is None
    assert shared("tìm: khai sinh %%% \n" * 50, lambda: "rebuilt") is None


def test_zero_seconds_builds_every_time(settings):
    settings.PHUCVU_SHARED_CACHE_SECONDS = 0
    values = iter([1, 2])
    assert shared("figures", lambda: next(values)) == 1
    assert shared("figures", lambda: next(values)) == 2


@pytest.mark.django_db
def test_public_page_shares_its_figures_for_the_period(client, province, shared_for_a_minute):
    url = reverse("reports:public")
    assert "Sở Tư pháp" not in client.get(url, {"month": "2017-03"}).content.decode()
    agency_create(code="STP", name="Sở Tư pháp", kind="department", parent=province["province"],
                  electronic_id="000.00.13.H41")
    # Within the period every visitor gets the figures already computed…
    assert "Sở Tư pháp" not in client.get(url, {"month": "2017-03"}).content.decode()
    # …and the next period computes them anew.
    cache.clear()
    assert "Sở Tư pháp" in client.get(url, {"month": "2017-03"}).content.decode()


@pytest.mark.django_db
def test_without_a_period_the_page_reads_what_was_just_written(client, province):
    url = reverse("reports:public")
    client.get(url, {"month": "2017-03"})
    agency_create(code="STP", name="Sở Tư pháp", kind="department", parent=province["province"],
                  electronic_id="000.00.13.H41")
    assert "Sở Tư pháp" in client.get(url, {"month": "2017-03"}).content.decode()
