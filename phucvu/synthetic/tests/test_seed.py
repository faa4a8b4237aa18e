"""`phucvu seed`: synthetic history written as the history import writes dossiers, with its rollups."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from phucvu.dossiers.models import Dossier, DossierCounter, DossierEvent, Status, dossier_search_key
from phucvu.reports.tests.test_commands import run_report


@pytest.mark.django_db
def test_seed_generates_history_with_a_few_percent_late(province):
    call_command("seed", "--dossiers", "3000", "--seed", "5", "--from", "2017-01-01", "--to", "2017-06-30")
    total = run_report("--from", "2017-01-01", "--to", "2017-06-30")["total"]
    assert total["received"]["total"] == 3000
    assert 0.9 < total["on_time_rate"] < 0.995
    assert total["received"]["online"] > 0 and total["in_progress"]["paused"] >= 0


@pytest.mark.django_db
def test_seeded_dossiers_are_written_as_the_import_writes_them(province):
    """One bulk path: codes after the counters, the status from the instants, steps for those in progress."""
    call_command("seed", "--dossiers", "600", "--seed", "3", "--from", "2017-05-01", "--to", "2017-06-30")
    dossiers = Dossier.objects.all()
    assert len(set(dossiers.values_list("code", flat=True))) == 600
    assert DossierEvent.objects.filter(kind="imported").count() == 600
    running = dossiers.filter(status=Status.PROCESSING)
    assert running.exists() and not running.filter(current_step=None).exists()
    step = running.first().current_step
    assert step.started_at == running.first().start_at and step.due_at > step.started_at
    assert not dossiers.exclude(status=Status.PROCESSING).exclude(current_step=None).exists()
    waiting = dossiers.filter(status=Status.AWAITING_SUPPLEMENT)
    assert not waiting.filter(paused_at=None).exists() and not waiting.exclude(paused_from=Status.PROCESSING).exists()
    assert all(d.search_key == dossier_search_key(d.code, d.applicant_name, d.applicant_id_number) for d in dossiers)
    for counter in DossierCounter.objects.all():  # live intake carries on after the seeded numbers
        assert counter.last == max(int(c[-4:]) for c in dossiers.filter(agency_id=counter.agency_id,
                                                                         code__contains=f"-{counter.day:%y%m%d}-")
                                   .values_list("code", flat=True))
