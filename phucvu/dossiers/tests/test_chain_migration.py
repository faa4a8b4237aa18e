"""The migration that brought the chain: reversible, and it fills existing events with the hashes the
services would have written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from phucvu.dossiers import audit
from phucvu.dossiers import services as s
from phucvu.dossiers.models import DossierEvent

from .conftest import local

BEFORE, CHAIN = [("dossiers", "0006_result_record")], [("dossiers", "0007_event_chain")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_existing_events_and_reverses(receive, staff):
    d = receive()
    d = s.dossier_forward(actor=staff["clerk"], dossier_id=d.pk, version=d.version, at=local(2026, 3, 9, 10, 0))
    s.dossier_assign(actor=staff["leader"], dossier_id=d.pk, version=d.version, assignee_id=staff["specialist"].pk)
    written = list(DossierEvent.objects.order_by("id").values_list("id", "prev_hash", "chain_hash"))
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()  # every app's, as the suite had them
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, DossierEvent._meta.db_table)]
        assert "chain_hash" not in columns and "recorded_at" not in columns
        migrate(CHAIN)
        assert list(DossierEvent.objects.order_by("id").values_list("id", "prev_hash", "chain_hash")) == written
        assert audit.verify().intact
    finally:
        migrate(latest)
