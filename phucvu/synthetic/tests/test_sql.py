"""The SQL generator of the 10 M benchmark (`synthetic/sql.py`): the history `phucvu seed` makes, inside
PostgreSQL, with the rules of every bulk path (`dossiers.bulkrows`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, F

from phucvu.dossiers.bulkrows import competent_of_pairs
from phucvu.dossiers.codes import SECRET_ALPHABET
from phucvu.dossiers.models import Dossier, Status, dossier_search_key
from phucvu.organization.models import Agency
from phucvu.reports.tests.test_sqlrollups import history, postgres_only
from phucvu.synthetic.sql import generate_dossiers, pick_table

pytestmark = pytest.mark.django_db


def test_pick_table_spreads_indexes_like_the_weights():
    table = pick_table([1.0, 2.0, 6.0], size=600)  # cumulative weights 1, 1, 4
    assert (table.count(1), table.count(2), table.count(3)) == (100, 100, 400)


class TestOnPostgres:
    pytestmark = postgres_only

    def test_generated_history_is_skewed_seasonal_and_a_few_percent_late(self):
        agencies, procedures = history()
        generate_dossiers(n=6000, seed=5, start=dt.date(2017, 1, 1), end=dt.date(2017, 12, 31),
                          agencies=agencies, procedures=procedures)
        qs = Dossier.objects.all()
        assert qs.count() == 6000
        assert len(set(qs.values_list("code", flat=True))) == 6000
        late = qs.filter(resolved_at__gt=F("due_at")).count()
        assert 0.01 < late / 6000 < 0.06  # ~2 % resolved late plus waits that pushed a resolution past due
        online = qs.filter(channel="online").count()
        assert 0.14 < online / 6000 < 0.22
        paused = qs.exclude(pauses=[]).count()
        assert 0.03 < paused / 6000 < 0.08
        assert qs.filter(status=Status.WITHDRAWN).exists() and qs.filter(status=Status.STOPPED).exists()
        february = qs.filter(received_at__month=2).count()
        march = qs.filter(received_at__month=3).count()
        assert february < march  # the Tết dip
        top = qs.values("procedure_id").order_by().annotate(n=Count("id")).order_by("-n")
        assert top[0]["n"] > 6000 / len(procedures) * 3  # Zipf: the busiest procedure is far above the mean

    def test_generated_rows_follow_the_bulk_rules(self):
        agencies, procedures = history()
        first = generate_dossiers(n=300, seed=2, start=dt.date(2017, 1, 1), end=dt.date(2017, 12, 31),
                                  agencies=agencies, procedures=procedures, batch=120)
        dossiers = Dossier.objects.filter(pk__gte=first)
        assert dossiers.count() == 300
        for d in dossiers:
            assert d.search_key == dossier_search_key(d.code, d.applicant_name, d.applicant_id_number)
            assert len(d.secret) == 8 and set(d.secret) <= set(SECRET_ALPHABET)
        assert len(set(dossiers.values_list("secret", flat=True))) == 300
        assert not dossiers.filter(status=Status.RETURNED, returned_at=None).exists()
        assert not dossiers.filter(status=Status.PROCESSING).exclude(resolved_at=None).exists()
        by_id = {a.pk: a for a in Agency.objects.select_related("parent")}
        competent = competent_of_pairs({(d.procedure_version_id, d.agency_id) for d in dossiers}, by_id)
        assert all(d.competent_agency_id == competent[(d.procedure_version_id, d.agency_id)] for d in dossiers)
