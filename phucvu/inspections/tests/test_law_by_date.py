"""Which Law on Inspection a decision is under, by its date (docs/inspections.md §1), and migration 0013
that moved the older rows to Law 56/2010/QH12 (reversible)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from phucvu.inspections.models import Inspection, Law
from phucvu.inspections.services import inspection_open, law_on


@pytest.mark.parametrize(("day", "law"), [
    (dt.date(2017, 3, 1), Law.LAW_2010), (dt.date(2023, 6, 30), Law.LAW_2010), (dt.date(2023, 7, 1), Law.LAW_2022),
    (dt.date(2025, 6, 30), Law.LAW_2022), (dt.date(2025, 7, 1), Law.LAW_2025)])
def test_the_law_in_force_on_the_decisions_day(day, law):
    assert law_on(day) == law


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_older_decisions_to_the_2010_law_and_back(province):
    def decide(day: dt.date) -> Inspection:
        return inspection_open(actor=None, organizer=province["dept"], target=province["commune"], topic="Kiểm tra",
                               kind="scheduled", decision_number="1/QĐ", decision_date=day, started_on=day)

    old, middle, new = decide(dt.date(2017, 3, 1)), decide(dt.date(2024, 3, 1)), decide(dt.date(2026, 3, 1))
    Inspection.objects.filter(pk=old.pk).update(law=Law.LAW_2022)  # as the rows were before 0013
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate([("inspections", "0012_recommendation_search_key")])
        _migrate([("inspections", "0013_law_2010")])
        assert Inspection.objects.get(pk=old.pk).law == Law.LAW_2010
        assert [Inspection.objects.get(pk=i.pk).law for i in (middle, new)] == [Law.LAW_2022, Law.LAW_2025]
        _migrate([("inspections", "0012_recommendation_search_key")])
        assert Inspection.objects.get(pk=old.pk).law == Law.LAW_2022
    finally:
        _migrate(latest)
