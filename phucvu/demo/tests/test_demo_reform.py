"""The quangninh-2025 profile at a tiny scale: the 2017 province, then the two-level reform of 1/7/2025."""

from __future__ import annotations

import datetime as dt

import pytest

from phucvu.demo.profiles import TZ
from phucvu.demo.selectors import logins_text, report_by_level
from phucvu.demo.tests.building import built
from phucvu.dossiers.models import Dossier, DossierEvent
from phucvu.organization.models import Agency, Succession

pytestmark = pytest.mark.django_db

SCALE = 0.0008


@pytest.fixture(scope="module")
def reformed(django_db_setup, django_db_blocker):
    with built(django_db_blocker, profile="quangninh-2025", scale=SCALE, seed=2025) as summary:
        yield summary


def test_after_the_reform_there_are_54_communes_and_no_district_level(reformed):
    assert reformed["reform"]["communes_2025"] == 54
    new = Agency.objects.filter(code__startswith="W25-", kind="commune")
    assert new.count() == 54 and all(a.parent.code == "P22" for a in new)
    assert not Agency.objects.filter(kind="district", valid_to__isnull=True).exists()
    assert all(Agency.objects.filter(parent=c, kind="desk").exists() for c in new)


def test_merged_communes_and_their_desks_have_successors_from_1_7_2025(reformed):
    hong_gai = Agency.objects.get(code="W06691")
    assert hong_gai.valid_to == dt.date(2025, 6, 30)
    assert Succession.objects.get(predecessor=hong_gai).successor.code == "W25-06685"
    assert Succession.objects.get(predecessor__code="W06691-MC").successor.code == "W25-06685-MC"


def test_open_dossiers_are_transferred_to_the_successor_without_restarting_the_clock(reformed):
    events = DossierEvent.objects.filter(kind="transferred").select_related("dossier")
    assert events.count() == reformed["reform"]["transferred"] > 0
    for event in events:
        d = event.dossier
        assert d.received_at < dt.datetime(2025, 7, 1, tzinfo=TZ)
        assert d.rule_set == "nd61_2018"  # kept the rules in force when it was received
        # The appointment did not move at the transfer: no due moment after it other than the one printed.
        assert not DossierEvent.objects.filter(dossier=d, kind="received", at__gt=event.at).exists()
        assert Dossier.objects.get(pk=d.pk).start_at < event.at


def test_dossiers_received_after_the_reform_follow_decree_118_at_the_new_communes(reformed):
    after = Dossier.objects.filter(received_at__gte=dt.datetime(2025, 7, 1, tzinfo=TZ))
    assert after.exists() and set(after.values_list("rule_set", flat=True)) == {"nd118_2025"}
    assert {a.agency.code.split("-")[0] for a in after.select_related("agency")} <= {"W25", "P22"}
    assert not after.filter(agency__kind="center", agency__level="district").exists()


def test_the_2017_history_is_still_the_seeds_shape(reformed):
    assert report_by_level()["total"]["on_time_rate"] > 0.99
    assert reformed["failures"] == []


def test_landing_page_shows_the_reform_and_the_2025_logins(reformed, client):
    html = client.get("/").content.decode()
    assert 'data-testid="demo-reform"' in html and "from=2025-07-01" in html
    assert "motcua.honggai2025" in logins_text("127.0.0.1:8111")
