"""Reports on real dossiers: built through the dossier services and `phucvu import dossiers`, the rollups
kept in the same transactions equal a rebuild from the dossier table, and `phucvu report` equals a slow
reference read from the Dossier rows themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from phucvu.dossiers import services as ds
from phucvu.dossiers.facts import DossierFacts, all_facts
from phucvu.dossiers.models import Dossier, DossierCounter, DossierEvent, Status
from phucvu.dossiers.tests.conftest import local, procedure, receive, staff  # noqa: F401  (fixtures)
from phucvu.organization.models import Agency
from phucvu.organization.services import agency_succeed
from phucvu.reports.selectors import due_soon, figure_dossiers, root_for
from phucvu.reports.services import rollups_rebuild
from phucvu.reports.tests.reference import engine_counts, reference
from phucvu.reports.tests.test_commands import run_report, snapshot

pytestmark = pytest.mark.django_db

IMPORT = (
    "code,agency,procedure,channel,applicant_name,applicant_id,received_at,due_at,resolved_at,result,"
    "returned_at,withdrawn_at,stopped_at\n"
    # Received in February, still open on 1 March: carried over.
    "OLD-1,X06652,1.009994,counter,Nguyễn Văn Cũ,,2026-02-24T08:00:00,2026-03-03T08:00:00,,,,,\n"
    # Resolved late in March.
    "OLD-2,X06655,1.009994,postal,Trần Thị Muộn,,2026-02-25T09:00:00,2026-03-04T09:00:00,"
    "2026-03-05T09:00:00,granted,2026-03-06T09:00:00,,\n"
    # Received and resolved at local midnight boundaries.
    "OLD-3,X06700,1.009994,online,Lê Văn Nửa Đêm,,2026-03-09T00:00:00,2026-03-12T00:00:00,"
    "2026-03-12T00:00:00,granted,,,\n"
    # Withdrawn in February: never in March's figures.
    "OLD-4,X06652,1.009994,counter,Phạm Thị Rút,,2026-02-02T10:00:00,,,,,2026-02-03T10:00:00,\n"
)


def rows_as_facts() -> list[DossierFacts]:
    """The reference's input read straight from the ORM rows (not through facts.all_facts)."""
    out = []
    for d in Dossier.objects.order_by("pk"):
        pauses = tuple((dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b) if b else None)
                       for a, b in d.pauses)
        out.append(DossierFacts(
            dossier_id=d.pk, agency_id=d.agency_id, procedure_id=d.procedure_id, field_id=d.field_id,
            channel=d.channel, received_at=d.received_at, due_at=d.due_at, resolved_at=d.resolved_at,
            withdrawn_at=d.withdrawn_at, stopped_at=d.stopped_at, pauses=pauses))
    return out


def approve_and_resolve(d, *, at, **result):
    """The procedure ends with a leader's step: the result is approved, then recorded, at the same moment."""
    while d.current_step.role != "unit_leader":  # on to the signing step
        d = ds.dossier_forward(actor=None, dossier_id=d.pk, version=d.version, at=at)
    d = ds.dossier_approve(actor=None, dossier_id=d.pk, version=d.version, at=at)
    return ds.dossier_resolve(actor=None, dossier_id=d.pk, version=d.version, at=at, **result)


@pytest.fixture
def lived(province, procedure, staff, receive, tmp_path):  # noqa: F811
    """Dossiers through every kind of transition, and a few imported ones."""
    clerk, specialist = staff["clerk"], staff["specialist"]
    # Early: resolved on a day before the appointment day.
    d = receive(at=local(2026, 3, 9, 9, 0))
    approve_and_resolve(d, result="granted", at=local(2026, 3, 12, 10))
    # Exactly at the due moment: on time.
    d = receive(at=local(2026, 3, 9, 9, 30))
    approve_and_resolve(d, result="refused", reason="Thiếu căn cứ",
                       at=d.due_at)
    # An apology and a new date: still counted late.
    d = receive(at=local(2026, 3, 9, 10, 0))
    d = ds.dossier_apologize(actor=None, dossier_id=d.pk, version=d.version, new_due_at=local(2026, 3, 20, 9),
                             reason="Chờ ý kiến liên ngành", at=local(2026, 3, 13, 9))
    approve_and_resolve(d, result="granted", at=local(2026, 3, 18, 9))
    # Supplement and resume: the appointment moves; resolved after the first due moment, before the new one.
    d = receive(at=local(2026, 3, 10, 9, 0))
    d = ds.dossier_request_supplement(actor=clerk, dossier_id=d.pk, version=d.version, missing=["Bản vẽ"],
                                      at=local(2026, 3, 11, 9))
    d = ds.dossier_resume(actor=clerk, dossier_id=d.pk, version=d.version, at=local(2026, 3, 13, 9))
    assert d.due_at == local(2026, 3, 19, 9)
    d = ds.dossier_request_payment(actor=clerk, dossier_id=d.pk, version=d.version, at=local(2026, 3, 16, 9))
    d = ds.dossier_resume(actor=clerk, dossier_id=d.pk, version=d.version, at=local(2026, 3, 16, 15))
    approve_and_resolve(d, result="granted", at=local(2026, 3, 18, 16))
    # Withdrawn while waiting for papers: the pause ends with it.
    d = receive(at=local(2026, 3, 10, 10, 0))
    d = ds.dossier_request_supplement(actor=clerk, dossier_id=d.pk, version=d.version, missing=["Đơn"],
                                      at=local(2026, 3, 11, 10))
    ds.dossier_withdraw(actor=None, dossier_id=d.pk, version=d.version, at=local(2026, 3, 12, 10))
    # Stopped.
    d = receive(at=local(2026, 3, 10, 11, 0), channel="postal")
    ds.dossier_stop(actor=None, dossier_id=d.pk, version=d.version, reason="Hồ sơ giả mạo", at=local(2026, 3, 12, 8))
    # Still waiting for the financial obligation at the end of March: paused.
    d = receive(at=local(2026, 3, 23, 8, 0))
    ds.dossier_request_payment(actor=clerk, dossier_id=d.pk, version=d.version, at=local(2026, 3, 24, 8))
    # Online: submitted, then accepted (counted from acceptance), open and overdue by the end of March.
    d = ds.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                 applicant_name="Võ Thị Mạng", at=local(2026, 3, 15, 21))
    ds.dossier_accept(actor=clerk, dossier_id=d.pk, version=d.version, at=local(2026, 3, 16, 8))
    # Submitted and refused at reception: counts nowhere.
    d = ds.dossier_submit_online(agency_id=province["commune_desk"].pk, procedure_id=procedure.pk,
                                 applicant_name="Đỗ Văn Thiếu", at=local(2026, 3, 15, 22))
    ds.dossier_refuse(actor=clerk, dossier_id=d.pk, version=d.version, reason="Sai thủ tục", at=local(2026, 3, 16, 9))
    # Forwarded to the commune, then transferred to its successor: the receiving agency and clock stay.
    d = receive(at=local(2026, 3, 11, 9, 0))
    d = ds.dossier_forward(actor=clerk, dossier_id=d.pk, version=d.version, at=local(2026, 3, 11, 10))
    agency_succeed(predecessors=[province["commune"]], successor=province["commune2"], effective=dt.date(2026, 4, 1))
    d = ds.dossier_transfer(actor=None, dossier_id=d.pk, version=d.version, to_agency_id=province["commune2"].pk,
                            at=local(2026, 3, 13, 9))
    assert d.agency_id == province["commune_desk"].pk
    # Received on the last evening of March and still in progress, within the deadline.
    receive(at=local(2026, 3, 31, 16, 59))
    path = tmp_path / "lich-su.csv"
    path.write_text(IMPORT, encoding="utf-8")
    call_command("import", "dossiers", str(path))
    del specialist
    return province


PERIODS = [(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), (dt.date(2026, 3, 11), dt.date(2026, 3, 12)),
           (dt.date(2026, 3, 13), dt.date(2026, 3, 20)), (dt.date(2026, 2, 1), dt.date(2026, 3, 9)),
           (dt.date(2026, 3, 12), dt.date(2026, 3, 12))]


def test_rollups_rebuilt_from_the_dossier_table_equal_the_ones_kept_by_the_transitions(lived):
    incremental = snapshot()
    assert incremental[0] and incremental[1]
    assert rollups_rebuild() == Dossier.objects.count() == 15
    assert snapshot() == incremental
    call_command("rollups", "rebuild")
    assert snapshot() == incremental


def test_all_facts_carry_the_whole_pause_history(lived):
    facts = {f.dossier_id: f for f in all_facts(batch_size=4)}
    assert len(facts) == Dossier.objects.count()
    twice = [f for f in facts.values() if len(f.pauses) == 2]
    assert len(twice) == 1 and all(end is not None for _, end in twice[0].pauses)
    still = [f for f in facts.values() if f.pauses and f.pauses[-1][1] is None]
    assert len(still) == 1


@pytest.mark.parametrize("date_from,date_to", PERIODS)
def test_report_equals_the_reference_computed_from_the_dossier_rows(lived, date_from, date_to):
    facts = rows_as_facts()
    data = run_report("--from", str(date_from), "--to", str(date_to))
    assert engine_counts(data["total"]) == reference(facts, date_from, date_to)
    agencies = {a.code: a for a in Agency.objects.all()}
    paths = {a.pk: a.path for a in agencies.values()}
    for row in data["rows"]:
        path = agencies[row["key"]].path
        mine = [f for f in facts if paths[f.agency_id].startswith(path)]
        assert engine_counts(row) == reference(mine, date_from, date_to), row["key"]


@pytest.mark.parametrize("date_from,date_to", PERIODS)
def test_report_by_competent_agency_equals_the_reference_and_the_same_totals(lived, date_from, date_to):
    """`--by competent`: each agency's row counts the dossiers decided in its subtree (the reference from the
    Dossier rows' `competent_agency`); the total is `--by agency`'s (every dossier once, either way)."""
    facts = rows_as_facts()
    data = run_report("--from", str(date_from), "--to", str(date_to), "--by", "competent")
    assert data["total"] == run_report("--from", str(date_from), "--to", str(date_to))["total"]
    decider = dict(Dossier.objects.values_list("pk", "competent_agency_id"))
    agencies = {a.code: a for a in Agency.objects.all()}
    paths = {a.pk: a.path for a in agencies.values()}
    for row in data["rows"]:
        path = agencies[row["key"]].path
        mine = [f for f in facts if paths[decider[f.dossier_id] or f.agency_id].startswith(path)]
        assert engine_counts(row) == reference(mine, date_from, date_to), row["key"]


def test_march_figures_read_as_the_law_says(lived):
    t = run_report("--from", "2026-03-01", "--to", "2026-03-31")["total"]
    assert t["received"] == {"total": 13, "online": 2, "direct": 9, "carried_over": 2}
    assert t["resolved"] == {"total": 6, "early": 2, "on_time": 2, "late": 2}  # OLD-3 exactly at its due midnight
    assert (t["withdrawn"], t["stopped"]) == (1, 1)
    # The paused one keeps its appointment until resumed, so it is overdue by then as well.
    assert t["in_progress"] == {"total": 5, "within": 1, "overdue": 4, "paused": 1}


def test_seed_writes_real_dossiers_whose_rollups_equal_a_rebuild(province):
    call_command("seed", "--dossiers", "1500", "--seed", "9", "--from", "2017-01-01", "--to", "2017-03-31")
    assert Dossier.objects.count() == 1500 and DossierEvent.objects.count() == 1500
    assert Dossier.objects.filter(status=Status.AWAITING_SUPPLEMENT, paused_at__isnull=False).exists()
    assert Dossier.objects.values("code").distinct().count() == 1500
    seeded = snapshot()
    rollups_rebuild()
    assert snapshot() == seeded
    facts = rows_as_facts()
    for date_from, date_to in ((dt.date(2017, 1, 1), dt.date(2017, 3, 31)), (dt.date(2017, 2, 10), dt.date(2017, 3, 5))):
        data = run_report("--from", str(date_from), "--to", str(date_to))
        assert engine_counts(data["total"]) == reference(facts, date_from, date_to)
    # The code counters moved on: live intake continues each day's sequence after the seeded numbers.
    counter = DossierCounter.objects.order_by("-last").first()
    prefix_day = f"-{counter.day:%y%m%d}-"
    numbers = [int(c.rsplit("-", 1)[1]) for c in Dossier.objects.filter(
        agency_id=counter.agency_id, code__contains=prefix_day).values_list("code", flat=True)]
    assert sorted(numbers) == list(range(1, counter.last + 1))


DRILL = {"online": ("received", "online"), "direct": ("received", "direct"),
         "carried_over": ("received", "carried_over"), "resolved": ("resolved", "total"),
         "early": ("resolved", "early"), "on_time": ("resolved", "on_time"), "late": ("resolved", "late"),
         "in_progress": ("in_progress", "total"), "within": ("in_progress", "within"),
         "overdue": ("in_progress", "overdue"), "paused": ("in_progress", "paused")}


@pytest.mark.parametrize("date_from,date_to", PERIODS[:3])
def test_every_drill_down_lists_exactly_the_dossiers_behind_its_figure(lived, make_staff, client, date_from,
                                                                        date_to):
    leader = make_staff(lived["province"], "unit_leader")
    total = run_report("--from", str(date_from), "--to", str(date_to))["total"]
    root = root_for(leader.user)
    for figure, (group, key) in DRILL.items():
        qs = figure_dossiers(leader.user, figure=figure, date_from=date_from, date_to=date_to, root=root)
        assert qs.count() == total[group][key], figure
    for figure in ("withdrawn", "stopped"):
        qs = figure_dossiers(leader.user, figure=figure, date_from=date_from, date_to=date_to, root=root)
        assert qs.count() == total[figure], figure
    client.force_login(leader.user)
    page = client.get("/reports/ho-so/", {"figure": "early", "from": str(date_from), "to": str(date_to)})
    assert page.status_code == 200 and page.context["page"].paginator.count == total["resolved"]["early"]


def test_a_commune_leader_drills_down_only_into_the_commune(lived, make_staff, client):
    leader = make_staff(lived["commune3"], "unit_leader")
    client.force_login(leader.user)
    page = client.get("/reports/ho-so/", {"figure": "received", "from": "2026-03-01", "to": "2026-03-31"})
    codes = [d.code for d in page.context["page"].object_list]
    assert codes == ["OLD-3"]
    refused = client.get("/reports/ho-so/", {"figure": "received", "from": "2026-03-01", "to": "2026-03-31",
                                             "agency": lived["commune"].pk})
    assert refused.status_code == 403


def test_dashboard_lists_the_dossiers_about_to_be_late_within_ones_scope(lived, make_staff, client):
    leader = make_staff(lived["district"], "unit_leader")
    outsider = make_staff(lived["district2"], "unit_leader")
    now = local(2026, 3, 31, 17, 30)
    soon = due_soon(leader.user, root=lived["district"], now=now - dt.timedelta(days=6))
    # Paused dossiers never show: their clock is stopped.
    assert all(d.status not in ("awaiting_supplement", "awaiting_payment") for d in soon)
    later = due_soon(leader.user, root=lived["district"], now=local(2026, 4, 6, 8))
    assert [d.received_at for d in later] == [local(2026, 3, 31, 16, 59)]
    assert due_soon(outsider.user, root=lived["district2"], now=local(2026, 4, 6, 8)) == []
    client.force_login(leader.user)
    assert client.get("/reports/", {"from": "2026-03-01", "to": "2026-03-31"}).status_code == 200
