"""The demo at a tiny scale: the 2017 province, the replay through the services, and the seed's shape."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from phucvu.catalog.models import Procedure
from phucvu.demo import selectors
from phucvu.demo.profiles import DEMO_LOGINS, DEMO_PASSWORD, SEED_INSPECTIONS, SEED_VOLUMES
from phucvu.demo.selectors import logins_text, report_by_level
from phucvu.demo.tests.building import built
from phucvu.discipline.models import (
    CaseStatus,
    DisciplineCase,
    MaterialDistribution,
    ScoreSheet,
    SheetStatus,
    Task,
)
from phucvu.discipline.selectors.evaluation import grading_for
from phucvu.discipline.selectors.tasks import measure
from phucvu.dossiers import audit
from phucvu.dossiers.models import OPEN_STATUSES, Dossier, DossierEvent, ResultRecord, Status
from phucvu.inspections.models import Inspection, Plan, Recommendation, Rotation
from phucvu.notifications.models import Message
from phucvu.organization.models import Agency, Staff, Succession
from phucvu.portal.models import Feedback, FeedbackStatus, SatisfactionVote
from phucvu.workcalendar.selectors import calendar_for

# The module marker makes pytest-django set the test database up for the module-scoped build.
pytestmark = pytest.mark.django_db

SCALE = 0.001  # 486 dossiers: fast, yet enough to show the shape


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with built(django_db_blocker, profile="quangninh-2017", scale=SCALE, seed=2017) as summary:
        yield summary


def _report() -> dict:
    """`phucvu report --from 2017-01-01 --to 2017-07-31 --by level`, as the issue's done-when states it."""

    return report_by_level()


def test_report_by_level_reproduces_the_seed_proportions_within_two_percent(demo):
    report = _report()
    received = {row["key"]: row["received"]["total"] for row in report["rows"]}
    total = sum(received[level] for level in SEED_VOLUMES)
    seed_total = sum(SEED_VOLUMES.values())
    for level, seed in SEED_VOLUMES.items():
        assert abs(received[level] / total - seed / seed_total) < 0.02, level


def test_early_or_on_time_rate_is_above_99_percent_and_some_are_late(demo):
    total = _report()["total"]
    assert total["on_time_rate"] > 0.99
    assert total["resolved"]["late"] >= 1  # "just above", not a perfect record


def test_every_dossier_went_through_the_services_and_left_events(demo):
    assert demo["failures"] == []
    assert Dossier.objects.count() >= demo["dossiers"]
    assert not Dossier.objects.exclude(pk__in=DossierEvent.objects.values("dossier_id")).exists()
    assert DossierEvent.objects.filter(kind="forwarded").exists()
    assert audit.verify().intact  # the replay, the reform's transfers and intake all chain their events


def test_the_replay_leaves_dossiers_open_at_the_end_of_july(demo):
    assert Dossier.objects.filter(status__in=OPEN_STATUSES).exists()


def test_no_dossier_is_received_on_a_day_off(demo):
    cal = calendar_for(None)
    days = {timezone.localtime(at).date() for at in Dossier.objects.exclude(received_at=None).values_list(
        "received_at", flat=True)}
    assert all(cal.is_working_day(d) for d in days)


def test_the_2017_tree_has_14_localities_and_hoanh_bo_merged_into_ha_long_in_2020(demo):
    assert Agency.objects.filter(kind="district").count() == 14
    hoanh_bo = Agency.objects.get(code="D204")
    assert Agency.objects.filter(parent=hoanh_bo, kind="commune").count() == 13
    link = Succession.objects.get(predecessor=hoanh_bo)
    assert link.successor.code == "D193" and link.effective == dt.date(2020, 1, 1)
    assert hoanh_bo.valid_to == dt.date(2019, 12, 31)
    for code in ["P22-SNV", "P22-STP", "P22-SGDDT", "P22-SGTVT", "P22-SVHTT", "P22-STNMT", "P22-SXD",
                 "P22-SKHDT", "P22-SLDTBXH", "P22-SYT", "P22-TTHCC", "P22-HQ", "P22-PCCC", "P22-VKS", "P22-BTG"]:
        assert Agency.objects.filter(code=code).exists(), code


def test_inspection_counts_are_the_seeds(demo):
    assert all(row["computed"] == row["seed"] for row in selectors.inspection_comparison())


def test_demo_logins_work_with_the_printed_password(demo):
    for username, *_ in DEMO_LOGINS:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username


def test_landing_page_shows_the_seed_table_beside_the_computed_one(demo, client):
    html = client.get("/").content.decode()
    assert 'data-testid="seed-volumes"' in html and 'data-testid="seed-inspections"' in html
    assert "30783" in html.replace(".", "").replace(",", "")
    assert "motcua.tinh" in html


def test_running_demo_again_on_a_built_database_builds_nothing(demo):
    before = Agency.objects.count()
    out = io.StringIO()
    call_command("demo", "--no-server", stdout=out)
    assert "chạy máy chủ ngay" in out.getvalue()
    assert Agency.objects.count() == before


def test_some_returned_dossiers_carry_a_satisfaction_vote_at_the_simulated_moment(demo):
    returned = Dossier.objects.filter(status=Status.RETURNED).count()
    votes = SatisfactionVote.objects.filter(current=True).select_related("dossier")
    assert demo["votes"] == votes.count()
    assert 0.2 * returned < votes.count() < 0.5 * returned
    levels = {v.level for v in votes}
    assert {"very_satisfied", "satisfied"} <= levels
    for vote in votes:  # cast when the result was handed back, in 2017, not when the demo was built
        assert vote.dossier.returned_at <= vote.at <= vote.dossier.returned_at + __import__("datetime").timedelta(
            minutes=20)
    assert votes.exclude(clerk=None).exists()


def test_a_few_feedback_items_are_recorded_and_most_answered(demo):
    assert demo["feedback"] == Feedback.objects.count() >= 5
    answered = Feedback.objects.filter(status=FeedbackStatus.ANSWERED)
    assert 0 < answered.count() < Feedback.objects.count() + 1
    assert all(f.answered_at.year == 2017 and f.answered_at > f.received_at for f in answered)


def test_landing_page_numbers_are_in_vietnamese_format_and_link_to_the_2017_period(demo, client):
    html = client.get("/").content.decode()
    assert "30.783" in html and "295.807" in html
    # A decimal comma, the percent sign joined to the number (the project's one format, docs/i18n.md).
    assert re.search(r"99,\d\d%", html) and not re.search(r"\d %", html)
    assert 'data-testid="demo-satisfaction"' in html
    assert "/reports/?from=2017-01-01&amp;to=2017-07-31" in html


def test_printed_logins_point_at_the_2017_reports(demo):
    text = logins_text("127.0.0.1:8111")
    assert "http://127.0.0.1:8111/reports/?from=2017-01-01&to=2017-07-31" in text


def test_the_latest_dossiers_show_their_messages_on_the_log_channel(demo):
    # The replay itself is history: nothing queued to send; the latest dossiers show what was sent (logged).
    assert not Message.objects.exclude(status="delivered").exists()
    assert Message.objects.filter(channel="log", event="received").count() >= 100
    assert Message.objects.filter(event="satisfaction_request").exists()


def test_the_public_catalogue_and_answers_are_populated(demo, client):
    versions = [p.current_version for p in Procedure.objects.select_related("current_version")]
    assert len(versions) == 107
    assert all(v.legal_basis and v.applicants and v.result_delivery and v.paper_rows() for v in versions)
    assert any(r["form"] for v in versions for r in v.paper_rows())
    found = client.get("/portal/procedures/", {"q": "làm giấy khai sinh"}).context["page"]
    assert found[0].name == "Đăng ký khai sinh"
    assert Feedback.objects.filter(published_at__isnull=False).exists()


def test_the_2026_evaluation_and_cases_are_populated(demo, client):
    assert demo["evaluation"]["sheets"] >= 30
    assert ScoreSheet.objects.filter(year=2026, status=SheetStatus.SELF_SCORED).exists()  # November waits
    assert ScoreSheet.objects.filter(year=2026, number=11, status=SheetStatus.DRAFT).count() == 1  # a late sheet
    assert set(DisciplineCase.objects.values_list("status", flat=True)) == {CaseStatus.DECIDED, CaseStatus.OPEN}
    clerk = Staff.objects.get(user__username="motcua.tinh")
    grading = grading_for(clerk.agency, 2026)
    assert grading.rate == Decimal("0.25") and any(g.capped_by == "sanction" for g in grading.staff)
    client.force_login(Staff.objects.get(user__username="noivu.tinh").user)
    for url in ("/discipline/evaluation/grades/?year=2026", "/discipline/cases/", "/discipline/evaluation/"):
        assert client.get(url).status_code == 200


def test_every_cadre_login_has_their_own_2026_sheets(demo):
    cadres = ["motcua.tinh", "motcua.halong", "motcua.honggai", "chuyenvien.halong", "chuyenvien.skhdt"]
    scored = set(ScoreSheet.objects.filter(year=2026, staff__user__username__in=cadres)
                 .values_list("staff__user__username", flat=True))
    assert scored == set(cadres)


def _cli_report(*args: str) -> dict:
    out = io.StringIO()
    call_command("report", "--from", "2017-01-01", "--to", "2017-07-31", *args, stdout=out)
    return json.loads(out.getvalue())


def test_report_by_competent_names_the_departments_and_offices_that_decided(demo):
    """`phucvu report --by competent`: the dossiers each agency decided; totals equal `--by agency`'s."""
    by_agency, by_competent = _cli_report("--by", "agency"), _cli_report("--by", "competent")
    assert by_competent["by"] == "competent"
    assert by_competent["total"] == by_agency["total"]
    kinds = dict(Agency.objects.values_list("code", "kind"))
    received = {r["key"]: r["received"]["total"] for r in by_agency["rows"]}
    decided = {r["key"]: r["received"]["total"] for r in by_competent["rows"]}
    departments = [k for k, kind in kinds.items() if kind == "department" and decided.get(k)]
    assert departments, "no department decided anything"
    # A department receives nothing itself (the province's center does) but decides: counted only here.
    assert any(received.get(k, 0) == 0 for k in departments)
    # A district's People's Committee decides what its center received (its offices examine).
    assert [k for k, kind in kinds.items() if kind == "district" and decided.get(k)]
    # The same dossiers, counted once each way.
    assert sum(decided.get(code, 0) for code, kind in kinds.items() if Agency.objects.filter(
        code=code, parent__isnull=True).exists()) == by_agency["total"]["received"]["total"]


def test_the_replayed_results_carry_decision_numbers_and_documents(demo):
    resolved = Dossier.objects.filter(resolved_at__isnull=False, imported=False)
    records = ResultRecord.objects.filter(dossier__in=resolved)
    assert resolved.exists() and records.count() == resolved.count()
    assert not records.filter(number="").exists() and not records.filter(document="").exists()
    record = records.select_related("dossier").order_by("-dossier__resolved_at").first()
    assert re.fullmatch(r"\d+/QĐ-[\w-]+", record.number) and record.document.read().startswith(b"%PDF-")
    returned = ResultRecord.objects.filter(dossier__status=Status.RETURNED)
    assert returned.exists() and not returned.exclude(collector="applicant").exists()
    assert returned.filter(fee_amount__gt=0).exclude(fee_receipt_number="").exists()


def test_inspections_counts_command_reproduces_the_seed(demo):
    """`phucvu inspections counts --from 2017-01-01 --to 2017-06-30 --by organizer`: the seed's table."""
    out = io.StringIO()
    call_command("inspections", "counts", "--from", "2017-01-01", "--to", "2017-06-30", "--by", "organizer",
                 stdout=out)
    counts = {r["agency"]: r["count"] for r in json.loads(out.getvalue())["rows"]}
    for key, seed in SEED_INSPECTIONS.items():
        codes = key if isinstance(key, tuple) else (key,)
        assert sum(counts.get(c, 0) for c in codes) == seed, key


def test_the_demo_has_a_cross_inspection_rotation_for_ha_long(demo):
    rotation = Rotation.objects.get(parent__code="D193", year=2017)
    pairs = list(rotation.pairs.all())
    assert pairs and all(p.inspecting_id != p.inspected_id for p in pairs)
    assert len({frozenset((p.inspecting_id, p.inspected_id)) for p in pairs}) == len(pairs)


def test_demo_recommendations_are_followed_some_verified_some_open(demo):
    states = set(Recommendation.objects.values_list("state", flat=True))
    assert {"open", "done", "verified"} <= states


def test_the_demo_carries_a_2017_plan_a_civil_service_check_and_open_recommendations(demo):
    plan = Plan.objects.get(agency__code="P22-TTT", year=2017)
    assert plan.approved_version == 2 and plan.items.filter(inspection__isnull=False).count() == 1
    check = Inspection.objects.get(decision_number="412/QĐ-SNV")
    assert check.kind == "civil_service" and check.checks.count() == 6 and check.published_on is not None
    assert check.recommendations.filter(state="open", owner_person__user__username="lanhdao.honggai").count() == 2
    assert Inspection.objects.filter(decision_number="437/QĐ-SNV", status="ongoing").exists()


def test_tasks_fed_from_the_dossiers_and_emulation_open_populated_for_every_role(demo, client):
    tasks = list(Task.objects.select_related("item", "staff"))
    assert demo["tasks"]["tasks"] == len(tasks) and demo["dossiers_2026"] >= 60
    measured = measure([t for t in tasks if t.year == 2017])
    assert {"early", "on_time", "late", "missed"} <= {m.status for m in measured}
    fed_2017 = [m for m in measured if m.task.fed]
    assert sum(m.done for m in fed_2017) > 0 and all(m.on_time <= m.done for m in fed_2017)
    fed_2026 = measure([t for t in tasks if t.year == 2026 and t.fed and t.number < 11])
    assert sum(m.done for m in fed_2026) > 0
    sheet = ScoreSheet.objects.filter(year=2026, number=3, status=SheetStatus.FINAL).first()
    assert sheet is not None and any("task" in i for i in sheet.result_items)
    for username, url, text in [
            ("motcua.honggai", "/discipline/tasks/?year=2026&number=3", "Tiếp nhận, hướng dẫn"),
            ("lanhdao.honggai", "/discipline/tasks/?year=2026&kind=quarter&number=1", "Tuyên truyền"),
            ("lanhdao.halong", "/discipline/tasks/overview/?year=2017&number=5", "Báo cáo tình hình"),
            ("noivu.tinh", "/discipline/emulation/?year=2017", "13.000"),
            ("thanhtra.tinh", "/discipline/tasks/overview/?year=2026&number=2", "Tiếp nhận, hướng dẫn"),
            ("lanhdao.tinh", "/discipline/emulation/", "Tự hào là công dân TP Uông Bí")]:
        client.force_login(Staff.objects.get(user__username=username).user)
        page = client.get(url)
        assert page.status_code == 200 and text in page.content.decode(), (username, url)
    assert MaterialDistribution.objects.aggregate(n=Sum("quantity"))["n"] == 13_000


def test_each_organisers_recommendations_read_as_its_own_work(demo):
    """The inspector's lists: the customs office asks for customs work, the fire police for fire safety."""
    texts = dict(Recommendation.objects.filter(inspection__code__contains="-2017-")
                 .values_list("inspection__organizer__code", "text").distinct())
    assert len(set(texts.values())) >= 6
    assert "phòng cháy" in texts.get("P22-PCCC", "").lower() or "chữa cháy" in texts.get("P22-PCCC", "").lower()
