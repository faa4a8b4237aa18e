"""Migration 0013 (the unit an award is recorded for): reversible, and it fills the awards of a campaign with
the campaign's agency; an award recorded outside a campaign before it stays empty, not guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from phucvu.discipline.models import Award
from phucvu.discipline.services.emulation import award_record, campaign_create

BEFORE, AFTER = [("discipline", "0012_award_search")], [("discipline", "0013_award_recorded_for")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_campaigns_awards_and_reverses(province):
    campaign = campaign_create(actor=None, agency=province["district"], name="Thi đua 2017",
                               launched_on=dt.date(2017, 2, 1))
    inside = award_record(actor=None, campaign=campaign, recipient="Tổ Một cửa", form="giay_khen",
                          decision_number="1/QĐ", decided_on=dt.date(2017, 6, 1))
    outside = award_record(actor=None, campaign=None, on_behalf_of=province["district2"], recipient="Nguyễn Văn A",
                           form="bang_khen", decision_number="2/QĐ", decided_on=dt.date(2017, 6, 1))
    Award.objects.update(recorded_for=None)  # as the rows were before the field
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, Award._meta.db_table)]
        assert "recorded_for_id" not in columns
        migrate(AFTER)
    finally:
        migrate(latest)
    assert Award.objects.get(pk=inside.pk).recorded_for_id == province["district"].pk
    assert Award.objects.get(pk=outside.pk).recorded_for_id is None
