"""Signals computed from the dossiers: each kind, its threshold, the dossiers behind it, who sees it, and the
two answers — dismissed with a reason, or turned into a breach in one step (docs/discipline.md §3.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from phucvu.catalog.services import StepSpec, field_ensure, procedure_create
from phucvu.core.exceptions import InvalidInput, StaleAction
from phucvu.core.localtime import LOCAL_TZ
from phucvu.discipline.models import SignalReview, Violation
from phucvu.discipline.selectors.signals import signal_list, signals_among, signals_over
from phucvu.discipline.services.breaches import signal_dismiss, signal_to_breach
from phucvu.dossiers.models import Dossier, DossierEvent, DossierStep, EventKind
from phucvu.dossiers.services import dossier_receive, dossier_request_supplement, dossier_resume
from phucvu.portal.models import SatisfactionVote

MONTH = "2026-03"
NOW = dt.datetime(2026, 4, 15, 9, 0, tzinfo=LOCAL_TZ)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def world(province, make_staff):
    field = field_ensure(name="Hộ tịch", code="HT")
    procedure = procedure_create(code="1.001193", name="Đăng ký khai sinh", field=field, levels=["commune"],
                                 amount=3, papers=["Tờ khai"], steps=[StepSpec("Tiếp nhận", 30, role="desk_clerk"),
                                                                      StepSpec("Xử lý", 70, role="specialist")])
    clerks = [make_staff(province["commune_desk"], full_name=f"Cán Bộ {n}") for n in range(4)]
    return {"procedure": procedure, "clerks": clerks,
            "leader": make_staff(province["commune"], "unit_leader", full_name="Hoàng Văn Lãnh"),
            "far": make_staff(province["district2"], "unit_leader"), "province": province}


def receive(world, clerk, day: int) -> Dossier:
    return dossier_receive(actor=clerk, agency_id=world["province"]["commune_desk"].pk,
                           procedure_id=world["procedure"].pk, applicant_name="Nguyễn Văn Ánh", papers=["Tờ khai"],
                           at=at(day))


def keys(user, **kw) -> set[str]:
    return {s.key for s in signal_list(user=user, month=MONTH, now=NOW, **kw)}


def test_a_second_supplement_request_on_one_dossier(world):
    clerk = world["clerks"][0]
    dossier = receive(world, clerk, 2)
    dossier = dossier_request_supplement(actor=clerk, dossier_id=dossier.pk, version=dossier.version,
                                         missing=["Tờ khai"], at=at(2, 10))
    dossier = dossier_resume(actor=clerk, dossier_id=dossier.pk, version=dossier.version, at=at(3))
    assert f"repeated_supplement:{clerk.pk}:{MONTH}" not in keys(world["leader"].user)  # once is the law
    dossier_request_supplement(actor=clerk, dossier_id=dossier.pk, version=dossier.version, missing=["Bản sao"],
                               reason="Thiếu bản sao giấy chứng sinh", at=at(3, 10))
    [signal] = [s for s in signal_list(user=world["leader"].user, month=MONTH, now=NOW)
                if s.kind == "repeated_supplement"]
    assert signal.staff == clerk and signal.dossiers == [(dossier.pk, dossier.code)]
    assert signal_list(user=world["far"].user, month=MONTH, now=NOW) == []  # outside the scope
    assert signal_list(user=world["clerks"][1].user, month=MONTH, now=NOW) == []  # not a leader
    assert signal_list(user=world["leader"].user, month="2026-04", now=NOW) == []


def _events(dossier: Dossier, actor, kind: str, day: int) -> None:
    DossierEvent.objects.create(dossier=dossier, kind=kind, actor=actor, at=at(day, 11))


def test_a_supplement_rate_far_above_the_peers(world):
    """Four clerks, 10 dossiers each: three ask for a supplement on 1 of 10, one on 6 of 10 → above 3× the median
    (10 %) and 2 standard deviations; the same clerk at 2 of 10 is not."""
    clerks = world["clerks"]
    for n, clerk in enumerate(clerks):
        asked = 6 if n == 0 else 1
        for i in range(10):
            dossier = receive(world, clerk, 2 + i % 20)
            if i < asked:
                _events(dossier, clerk, EventKind.SUPPLEMENT_REQUESTED, 2 + i % 20)
    signals = [s for s in signal_list(user=world["leader"].user, month=MONTH, now=NOW) if s.kind == "supplement_rate"]
    assert [s.staff for s in signals] == [clerks[0]] and signals[0].count == 6 and len(signals[0].dossiers) == 6
    assert "6/10" in signals[0].detail


def test_a_supplement_rate_needs_a_minimum_count(world):
    clerks = world["clerks"]
    for n, clerk in enumerate(clerks):
        for i in range(5):  # under 10 dossiers each: no comparison
            dossier = receive(world, clerk, 2 + i)
            if n == 0:
                _events(dossier, clerk, EventKind.SUPPLEMENT_REQUESTED, 2 + i)
    assert not [s for s in signal_list(user=world["leader"].user, month=MONTH, now=NOW) if s.kind == "supplement_rate"]


def test_late_dossiers_without_an_apology(world):
    clerk, other = world["clerks"][:2]
    late = receive(world, clerk, 2)
    apologized = receive(world, clerk, 2)
    on_time = receive(world, clerk, 2)
    for d in (late, apologized, on_time):
        Dossier.objects.filter(pk=d.pk).update(due_at=at(10, 17))
    Dossier.objects.filter(pk=late.pk).update(resolved_at=at(12))
    Dossier.objects.filter(pk=apologized.pk).update(resolved_at=at(12))
    Dossier.objects.filter(pk=on_time.pk).update(resolved_at=at(9))
    _events(apologized, clerk, EventKind.APOLOGIZED, 9)
    # The first late step names who held it; else the receiving clerk answers for it.
    DossierStep.objects.filter(dossier=late, order=2).update(outcome="late", assignee=other)
    [signal] = [s for s in signal_list(user=world["leader"].user, month=MONTH, now=NOW) if s.kind == "late_no_apology"]
    assert signal.staff == other and signal.dossiers == [(late.pk, late.code)]


def test_unhappy_votes_naming_a_clerk_and_steps_held_too_long(world):
    clerk = world["clerks"][0]
    dossier = receive(world, clerk, 2)
    SatisfactionVote.objects.create(dossier=dossier, agency=dossier.agency, level="not_satisfied", clerk=clerk,
                                    clerk_level="not_satisfied", at=at(5))
    step = DossierStep.objects.get(dossier=dossier, order=1)
    DossierStep.objects.filter(pk=step.pk).update(started_at=at(2, 8), due_at=at(2, 10), finished_at=at(2, 13),
                                                 assignee=clerk)
    other = receive(world, clerk, 3)  # 1 hour late on a 2-hour step: not held twice its time
    DossierStep.objects.filter(dossier=other, order=1).update(started_at=at(3, 8), due_at=at(3, 10),
                                                              finished_at=at(3, 11), assignee=clerk)
    kinds = {s.kind: s for s in signal_list(user=world["leader"].user, month=MONTH, now=NOW)}
    assert kinds["unhappy_votes"].staff == clerk and kinds["unhappy_votes"].count == 1
    assert kinds["step_overheld"].dossiers == [(dossier.pk, dossier.code)]


def test_a_signal_is_dismissed_with_a_reason_or_turned_into_a_breach(world):
    clerk = world["clerks"][0]
    dossier = receive(world, clerk, 2)
    SatisfactionVote.objects.create(dossier=dossier, agency=dossier.agency, level="not_satisfied", clerk=clerk,
                                    clerk_level="not_satisfied", at=at(5))
    [signal] = signal_list(user=world["leader"].user, month=MONTH, now=NOW, kind="unhappy_votes")
    with pytest.raises(InvalidInput, match="lý do"):
        signal_dismiss(actor=world["leader"], key=signal.key, kind=signal.kind, staff=clerk, month=MONTH, reason=" ")
    violation = signal_to_breach(actor=world["leader"], key=signal.key, kind=signal.kind, staff=clerk, month=MONTH,
                                 breach_kind=signal.breach_kind, occurred_on=dt.date(2026, 3, 5),
                                 description="Công dân không hài lòng về thái độ")
    assert violation.source_kind == "signal" and violation.kind == "behaviour"
    assert signal_list(user=world["leader"].user, month=MONTH, now=NOW, kind="unhappy_votes") == []  # answered
    [again] = signal_list(user=world["leader"].user, month=MONTH, now=NOW, reviewed=True, kind="unhappy_votes")
    assert again.review.violation == violation
    with pytest.raises(StaleAction):
        signal_dismiss(actor=world["leader"], key=signal.key, kind=signal.kind, staff=clerk, month=MONTH,
                       reason="Đã xem")
    assert Violation.objects.count() == 1 and SignalReview.objects.count() == 1


def test_the_signals_page(world):
    clerk = world["clerks"][0]
    dossier = receive(world, clerk, 2)
    SatisfactionVote.objects.create(dossier=dossier, agency=dossier.agency, level="not_satisfied", clerk=clerk,
                                    clerk_level="not_satisfied", at=at(5))
    client = Client()
    client.force_login(world["leader"].user)
    url = reverse("discipline:signal_list")
    page = client.get(url, {"month": MONTH}).content.decode()
    assert dossier.code in page and clerk.full_name in page
    assert client.get(url, {"month": "2026-13"}).status_code == 400  # a bad query parameter (core/web.py)
    key = f"unhappy_votes:{clerk.pk}:{MONTH}"
    assert client.post(url, {"month": MONTH, "key": "unhappy_votes:999999:2026-03", "reason": "x"}).status_code == 200
    client.post(url, {"month": MONTH, "key": key, "action": "dismiss", "reason": "Công dân đánh giá nhầm người"})
    assert SignalReview.objects.get().reason == "Công dân đánh giá nhầm người"
    assert key not in client.get(url, {"month": MONTH}).content.decode()
    clerk_client = Client()
    clerk_client.force_login(clerk.user)
    assert clerk_client.get(url, {"month": MONTH}).status_code == 403


def test_several_months_read_together_give_each_month_s_signals(world):
    """`signals_over` (one pass a kind over the months' span) gives what `signals_among` gives month by month."""
    clerk, other = world["clerks"][:2]
    for month, day in ((2, 10), (3, 5), (3, 20)):
        moment = dt.datetime(2026, month, day, 9, 0, tzinfo=LOCAL_TZ)
        dossier = dossier_receive(actor=clerk, agency_id=world["province"]["commune_desk"].pk,
                                  procedure_id=world["procedure"].pk, applicant_name="Nguyễn Văn Ánh",
                                  papers=["Tờ khai"], at=moment)
        SatisfactionVote.objects.create(dossier=dossier, agency=dossier.agency, level="not_satisfied",
                                        clerk=other if day == 20 else clerk, clerk_level="not_satisfied", at=moment)
    people = {s.pk: s for s in world["clerks"]}
    months = ["2026-01", "2026-02", "2026-03"]

    def seen(signals) -> set:
        return {(s.key, s.month, s.staff.pk, s.count, tuple(s.dossiers)) for s in signals}

    together = seen(signals_over(people, months, now=NOW))
    assert together == seen(s for m in months for s in signals_among(people, m, now=NOW))
    assert {key for key, *_rest in together} >= {f"unhappy_votes:{clerk.pk}:2026-02", f"unhappy_votes:{clerk.pk}:2026-03",
                                                  f"unhappy_votes:{other.pk}:2026-03"}
