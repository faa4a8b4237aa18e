"""`phucvu demo --scale S`: the history written in bulk and the last dossiers through the services give the
figures the generator itself counted; an interrupted build resumes where it stopped and writes the same."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from phucvu.demo import builder, tasks
from phucvu.demo.history import HistoryWriter, chunks
from phucvu.demo.models import DemoRun
from phucvu.demo.profiles import ONLINE_SHARE, SEED_VOLUMES
from phucvu.demo.replay import ReplayStats, make_plan, split_plan
from phucvu.demo.results import DecisionBook
from phucvu.demo.selectors import report_by_level
from phucvu.demo.tests.building import built
from phucvu.discipline.selectors.tasks import fed_counts
from phucvu.discipline.tasking import TaskPeriod
from phucvu.dossiers import audit
from phucvu.dossiers.models import Dossier, DossierEvent, DossierStep, ResultRecord, Status
from phucvu.organization.models import Agency, Staff
from phucvu.portal.models import SatisfactionVote
from phucvu.reports.models import COUNTERS, CompetentDayRollup, DayRollup
from phucvu.reports.services import rollups_rebuild

pytestmark = pytest.mark.django_db

SCALE = 0.002  # 971 dossiers: 871 in bulk, the last 100 through the services
LIVE = 100
YEAR_END = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)


YEAR_LIVE = 10  # of 2026's 45 dossiers a desk at this scale, the last 10 a desk through the services


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    played: list[int] = []
    play_through_services = tasks.play

    def play(player, plan, **kw):
        played.append(sum(len(todays) for _, todays in plan))
        return play_through_services(player, plan, **kw)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks, "YEAR_LIVE", YEAR_LIVE)
        patch.setattr(tasks, "play", play)
        with built(django_db_blocker, profile="quangninh-2017", scale=SCALE, seed=11, live=LIVE) as summary:
            yield {**summary, "played_2026": played}


def test_the_report_counts_what_the_generator_counted_per_level(demo):
    report = report_by_level()
    received = {row["key"]: row["received"]["total"] for row in report["rows"]}
    assert {level: received.get(level, 0) for level in SEED_VOLUMES} == demo["by_level"]
    # The generator plans the seed's volumes × scale; the refused online submissions are not received.
    for level, seed in SEED_VOLUMES.items():
        assert round(seed * SCALE) - 3 <= demo["by_level"][level] <= round(seed * SCALE)
    assert report["total"]["on_time_rate"] > 0.99
    assert demo["live"] == LIVE


def test_the_rows_are_what_the_generator_says_it_wrote(demo):
    # 2017's: the demo's year 2026 (built after it, its own counts) is not the generator's.
    received = Dossier.objects.exclude(received_at=None).filter(received_at__lt=YEAR_END)
    events = DossierEvent.objects.filter(at__lt=YEAR_END)
    assert received.count() == demo["dossiers"]
    assert SatisfactionVote.objects.count() == demo["votes"]  # every vote the demo holds, 2026's too
    # Every transition left one event; the online submissions and refusals of the live part are beside them.
    assert events.exclude(kind__in=["submitted", "refused"]).count() == (
        demo["transitions"] - events.filter(kind="submitted").exclude(dossier__received_at=None).count())
    assert not received.exclude(pk__in=DossierEvent.objects.values("dossier_id")).exists()
    # Most of the history is in bulk (no service wrote it): same shape as the live part's.
    statuses = dict(received.values_list("status").annotate(n=Count("id")))
    assert statuses[Status.RETURNED] > 0.9 * demo["dossiers"]
    assert ResultRecord.objects.filter(dossier__in=received, dossier__status=Status.RETURNED).count() == (
        statuses[Status.RETURNED])
    assert DossierEvent.objects.filter(kind="forwarded").count() > demo["dossiers"]
    assert DossierEvent.objects.filter(kind="supplement_requested").exists()
    # The hand-overs carry what the control slip and the citizen's timeline show, as `dossier_forward` writes.
    for data in DossierEvent.objects.filter(kind="forwarded").values_list("data", flat=True)[:200]:
        assert data["to_agency"] and data["from_agency"] and data["to_assignee"] and data["to_step"] > 1
    for event in DossierEvent.objects.filter(kind="returned").select_related("dossier")[:200]:
        assert event.data["collector_name"] == event.dossier.applicant_name
        assert event.data["fee_receipt_number"] in ("", f"BL-{event.dossier.code}")
    for data in DossierEvent.objects.filter(kind="resolved").values_list("data", flat=True)[:200]:
        assert data["decision_number"] and data["signer"] and data["outcome"] in ("early", "on_time", "late")


def test_the_year_2026_is_written_in_bulk_but_its_last_dossiers(demo):
    """The demo's 2026 grows with the scale in bulk, not through the services (issue 17)."""
    desks = 3
    assert demo["played_2026"] == [YEAR_LIVE * desks]
    year = Dossier.objects.filter(received_at__gte=YEAR_END)
    assert year.count() == demo["dossiers_2026"] > YEAR_LIVE * desks
    assert year.filter(received_at__lt=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), status=Status.RETURNED).exists()
    # The provincial centre's reception tasks count the steps its clerks handled in the bulk-written months.
    center = Staff.objects.get(user__username="motcua.tinh").agency
    clerks = list(Staff.objects.filter(agency=center, role="desk_clerk").values_list("pk", flat=True))
    handled = sum(row["handled"] for month in range(1, 11)
                  for row in fed_counts(clerks, TaskPeriod(2026, "month", month), timezone.now()).values())
    assert handled >= year.filter(agency=center, received_at__lt=dt.datetime(2026, 10, 1, tzinfo=dt.UTC)).count() > 0


def test_the_feedback_through_the_services_stops_growing_with_the_scale():
    assert builder.feedback_count(1_455) == 12 and builder.feedback_count(100) == 8
    assert builder.feedback_count(485_590) == builder.FEEDBACK_MAX == builder.feedback_count(60_000)


def test_every_open_dossier_is_at_a_running_step_with_its_clock(demo):
    for d in Dossier.objects.filter(status__in=[Status.RECEIVED, Status.PROCESSING]).select_related(
            "current_step"):
        step = d.current_step
        assert step is not None and step.finished_at is None and step.due_at is not None, d.code
    assert DossierStep.objects.filter(finished_at=None, started_at__isnull=False).exists()


def test_the_events_written_in_bulk_chain_as_the_services_chain_them(demo):
    assert DossierEvent.objects.filter(chain_hash="").count() == 0
    assert audit.verify().intact


def test_the_rollups_written_in_bulk_are_those_a_rebuild_computes(demo):
    def snapshot():
        # Rows whose counters came to nothing (a +1 of one chunk and a −1 of another) are no difference.
        return [sorted(row for row in model.objects.values_list("agency_id", "procedure_id", "day", *COUNTERS)
                       if any(row[3:])) for model in (DayRollup, CompetentDayRollup)]

    written = snapshot()
    rollups_rebuild()
    assert snapshot() == written


def test_a_chunk_lives_the_same_dossiers_whenever_it_is_written(demo):
    """A resumed build writes what an uninterrupted one would: each chunk draws from its own stream."""
    cast = builder.load_cast({a.code: a for a in Agency.objects.select_related("parent")})
    plan = make_plan(cast, builder.procedure_weights("quangninh-2017"), scale=SCALE, rng=random.Random(11 * 31 + 1))
    part = chunks(split_plan(plan, LIVE)[0], size=200)[1]

    def lives() -> list:
        writer = HistoryWriter(cast, ReplayStats(), DecisionBook(), online_share=ONLINE_SHARE)
        writer.rng = random.Random(f"11:{part[0][0].isoformat()}")
        return [(life.line_args["received"], life.status, len(life.events)) for day, items in part
                for item in items if (life := writer.live(item, day)) is not None]

    first = lives()
    assert first and first == lives()


def test_an_interrupted_build_says_so_and_resumes(demo, monkeypatch):
    run = DemoRun.objects.get()
    DemoRun.objects.filter(pk=run.pk).update(finished=False)
    with pytest.raises(CommandError, match="--resume"):
        call_command("demo", "--no-server", stdout=io.StringIO())
    resumed = []
    monkeypatch.setattr(builder, "build", lambda **kw: resumed.append(kw["resume"]))
    call_command("demo", "--no-server", "--resume", stdout=io.StringIO())
    assert resumed == [run]


def _analysed(table: str) -> bool:
    """Has the planner statistics of `table` (PostgreSQL's pg_stats, SQLite's sqlite_stat1)?"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0] > 0


def test_the_planner_has_statistics_of_the_bulk_written_tables(demo):
    """Without them PostgreSQL plans for an empty table: the register of a month at scale 1 took a minute."""
    assert _analysed("dossiers_dossier")


def test_the_planner_has_statistics_of_the_year_2026_too(demo):
    """The tasks and score sheets are written after the history's refresh: a second one follows them."""
    assert _analysed("discipline_scoresheet")
