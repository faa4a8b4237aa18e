"""The rules of docs/domain.md §11 that decide numbers, one by one, through the facts hook."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phucvu.core.localtime import local_day
from phucvu.dossiers.facts import DossierFacts, publish
from phucvu.reports.engine import build_report, split_range
from phucvu.reports.rollups import contributions
from phucvu.reports.tests.reference import LOCAL
from phucvu.workcalendar.clock import VN_TZ

D = dt.date


def at(y, m, d, hh=9, mm=0, us=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=LOCAL).replace(microsecond=us)


def facts(pk, agency, **kw):
    base = {"procedure_id": 1, "field_id": 2, "channel": "counter", "received_at": at(2017, 3, 1),
            "due_at": at(2017, 3, 10), "resolved_at": None}
    base.update(kw)
    return DossierFacts(dossier_id=pk, agency_id=agency.pk, **base)


def total(date_from, date_to, agency=None, by="agency"):
    return build_report(date_from, date_to, agency=agency, by=by).as_json()["total"]


@pytest.mark.django_db
def test_resolution_exactly_at_the_due_moment_is_on_time(province):
    publish([(None, facts(1, province["center"], resolved_at=at(2017, 3, 10)))])
    row = total(D(2017, 3, 1), D(2017, 3, 31))
    assert row["resolved"] == {"total": 1, "early": 0, "on_time": 1, "late": 0}
    assert row["on_time_rate"] == 1.0


@pytest.mark.django_db
def test_one_microsecond_after_the_due_moment_is_late(province):
    publish([(None, facts(1, province["center"], resolved_at=at(2017, 3, 10, us=1)))])
    assert total(D(2017, 3, 1), D(2017, 3, 31))["resolved"]["late"] == 1


@pytest.mark.django_db
def test_resolved_on_a_day_before_the_appointment_day_is_early(province):
    publish([(None, facts(1, province["center"], resolved_at=at(2017, 3, 9, 23, 59)))])
    assert total(D(2017, 3, 1), D(2017, 3, 31))["resolved"]["early"] == 1


@pytest.mark.django_db
def test_an_instant_at_local_midnight_belongs_to_the_new_day(province):
    # Received at 00:00 on 1 March local time = 17:00 UTC on 28 February.
    publish([(None, facts(1, province["center"], received_at=at(2017, 3, 1, 0, 0)))])
    assert total(D(2017, 2, 1), D(2017, 2, 28))["received"]["total"] == 0
    assert total(D(2017, 3, 1), D(2017, 3, 1))["received"]["direct"] == 1


@pytest.mark.django_db
def test_a_due_moment_at_midnight_after_the_period_is_not_within_the_deadline(province):
    # Due at 00:00 on 11 March is the very end of 10 March: not after it, so overdue at the end of 10 March.
    publish([(None, facts(1, province["center"], due_at=at(2017, 3, 11, 0, 0)))])
    assert total(D(2017, 3, 1), D(2017, 3, 10))["in_progress"] == {"total": 1, "within": 0, "overdue": 1,
                                                                    "paused": 0}
    assert total(D(2017, 3, 1), D(2017, 3, 9))["in_progress"]["within"] == 1


@pytest.mark.django_db
def test_open_dossiers_received_before_the_period_are_carried_over(province):
    publish([(None, facts(1, province["center"], received_at=at(2017, 1, 15), due_at=at(2017, 5, 1))),
             (None, facts(2, province["center"], received_at=at(2017, 1, 15), resolved_at=at(2017, 2, 1))),
             (None, facts(3, province["center"], received_at=at(2017, 1, 15), resolved_at=at(2017, 3, 5),
                          due_at=at(2017, 3, 1)))])
    row = total(D(2017, 3, 1), D(2017, 3, 31))
    assert row["received"] == {"total": 2, "online": 0, "direct": 0, "carried_over": 2}
    assert row["resolved"]["late"] == 1
    assert row["in_progress"]["total"] == 1


@pytest.mark.django_db
def test_paused_dossiers_are_shown_apart_and_a_resume_ends_the_pause(province):
    paused = facts(1, province["center"], pauses=((at(2017, 3, 3), None),))
    publish([(None, paused)])
    assert total(D(2017, 3, 1), D(2017, 3, 5))["in_progress"]["paused"] == 1
    resumed = facts(1, province["center"], pauses=((at(2017, 3, 3), at(2017, 3, 6)),), due_at=at(2017, 3, 13))
    publish([(paused, resumed)])
    assert total(D(2017, 3, 1), D(2017, 3, 5))["in_progress"]["paused"] == 1
    assert total(D(2017, 3, 1), D(2017, 3, 6))["in_progress"]["paused"] == 0


@pytest.mark.django_db
def test_withdrawn_and_stopped_count_in_their_period_and_close_the_dossier(province):
    publish([(None, facts(1, province["center"], withdrawn_at=at(2017, 3, 2))),
             (None, facts(2, province["center"], stopped_at=at(2017, 4, 2)))])
    march = total(D(2017, 3, 1), D(2017, 3, 31))
    assert (march["withdrawn"], march["stopped"], march["in_progress"]["total"]) == (1, 0, 1)
    assert total(D(2017, 4, 1), D(2017, 4, 30))["stopped"] == 1


@pytest.mark.django_db
def test_a_dossier_counts_for_its_agency_and_every_ancestor_once(province):
    publish([(None, facts(1, province["commune_desk"])), (None, facts(2, province["commune3"]))])
    report = build_report(D(2017, 3, 1), D(2017, 3, 31)).as_json()
    received = {r["key"]: r["received"]["total"] for r in report["rows"]}
    assert received["X06652-MC"] == received["X06652"] == 1
    assert received["H193"] == 1 and received["H194"] == 1 and received["T22"] == 2
    assert report["total"]["received"]["total"] == 2


@pytest.mark.django_db
def test_by_level_uses_the_level_of_the_receiving_agency(province):
    publish([(None, facts(1, province["center"])), (None, facts(2, province["commune_desk"])),
             (None, facts(3, province["district_center"]))])
    rows = build_report(D(2017, 3, 1), D(2017, 3, 31), by="level").as_json()["rows"]
    assert {r["key"]: r["received"]["total"] for r in rows} == {"province": 1, "district": 1, "commune": 1}


@pytest.mark.django_db
def test_a_refused_or_unaccepted_online_dossier_counts_nowhere(province):
    publish([(None, facts(1, province["center"], channel="online", received_at=None, due_at=None))])
    assert total(D(2017, 1, 1), D(2017, 12, 31))["received"]["total"] == 0


@pytest.mark.django_db
def test_undoing_a_change_leaves_the_rollups_as_they_were(province):
    before = facts(1, province["center"])
    after = facts(1, province["center"], resolved_at=at(2017, 3, 4))
    publish([(None, before)])
    publish([(before, after)])
    publish([(after, before)])
    row = total(D(2017, 3, 1), D(2017, 3, 31))
    assert row["resolved"]["total"] == 0 and row["in_progress"]["total"] == 1


def test_a_period_splits_into_ragged_days_and_whole_months():
    assert split_range(D(2017, 1, 1), D(2017, 7, 31)) == ([], (D(2017, 1, 1), D(2017, 7, 1)))
    assert split_range(D(2017, 1, 15), D(2017, 1, 20)) == ([(D(2017, 1, 15), D(2017, 1, 20))], None)
    assert split_range(D(2017, 1, 15), D(2017, 3, 3)) == (
        [(D(2017, 1, 15), D(2017, 1, 31)), (D(2017, 3, 1), D(2017, 3, 3))], (D(2017, 2, 1), D(2017, 2, 1)))
    assert split_range(D(2016, 2, 1), D(2016, 2, 29)) == ([], (D(2016, 2, 1), D(2016, 2, 1)))


def test_local_day_and_contributions_take_the_fixed_offset_path_exactly():
    """Instants already at +07:00 (an import's) skip the zone conversion: the same days and contributions as
    through Asia/Ho_Chi_Minh, local midnight included; before 1976 (other offsets then) the zone decides."""

    # hypothesis takes naive bounds and attaches the zone itself (timezones=)
    instants = st.datetimes(min_value=dt.datetime(1960, 1, 1), max_value=dt.datetime(2090, 12, 31),  # noqa: DTZ001
                            timezones=st.just(VN_TZ))
    midnight = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)).map(
        lambda d: dt.datetime.combine(d, dt.time(0), tzinfo=VN_TZ))

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(instants, midnight), st.one_of(instants, midnight), st.booleans())
    def check(received, due, resolved):
        assert local_day(received) == received.astimezone(LOCAL).date()
        zoned = DossierFacts(dossier_id=1, agency_id=1, procedure_id=1, field_id=1, channel="counter",
                             received_at=received.astimezone(LOCAL), due_at=due.astimezone(LOCAL),
                             resolved_at=due.astimezone(LOCAL) if resolved else None)
        fixed = DossierFacts(dossier_id=1, agency_id=1, procedure_id=1, field_id=1, channel="counter",
                             received_at=received, due_at=due, resolved_at=due if resolved else None)
        assert contributions(fixed) == contributions(zoned)

    check()
