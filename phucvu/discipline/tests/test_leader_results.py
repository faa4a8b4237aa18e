"""A leader's result points include the unit they lead (docs/discipline.md §6.3): the unit's results (100 % when
every subordinate's period score is at "hoàn thành" or better, 50 % when any is below) and the organising
capacity (the unit's tasks due in the period done on time), each shown with what it was measured from."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from phucvu.discipline.grading import EVALUATION_RULE_SETS, leader_results_points, unit_results_share
from phucvu.discipline.models import ScoreSheet
from phucvu.discipline.selectors.leader import led_agencies
from phucvu.discipline.services import evaluation as services
from phucvu.discipline.services.evaluation import (
    GENERAL_CRITERIA,
    score_sheet_manager_score,
    score_sheet_open,
    score_sheet_self_score,
    staff_profile_save,
)

FULL = {key: str(maximum) for key, _label, maximum in GENERAL_CRITERIA}


def test_the_unit_share_is_all_or_half():
    assert unit_results_share([Decimal(80), Decimal(50)]) == 1
    assert unit_results_share([Decimal(80), Decimal("49.99")]) == Decimal("0.5")
    assert unit_results_share([]) is None


def test_the_leader_points_average_the_shares_there_are():
    assert leader_results_points(None, Decimal("0.5"), Decimal("0.5")) == Decimal("35.00")
    assert leader_results_points(Decimal(42), Decimal(1), Decimal("0.75")) == Decimal("54.83")  # (.6+1+.75)/3×70
    assert leader_results_points(Decimal(42), None, None) == Decimal(42)
    assert leader_results_points(None, None, None) == 0


@given(own=st.one_of(st.none(), st.decimals(0, 70, places=2)),
       unit=st.one_of(st.none(), st.sampled_from([Decimal(1), Decimal("0.5")])),
       organising=st.one_of(st.none(), st.decimals(0, 1, places=4)))
def test_the_leader_points_stay_within_70_and_between_their_parts(own, unit, organising):
    points = leader_results_points(own, unit, organising)
    assert 0 <= points <= 70
    parts = [p for p in (own, unit * 70 if unit is not None else None,
                         organising * 70 if organising is not None else None) if p is not None]
    if parts:
        assert min(parts) - Decimal("0.01") <= points <= max(parts) + Decimal("0.01")


@pytest.fixture
def unit(led_unit):
    return led_unit


def test_a_leaders_sheet_counts_the_unit_and_the_organising(unit):
    leader = unit["leader"]
    sheet = score_sheet_open(actor=leader, staff=leader, year=2026, kind="month", number=3)
    sheet = score_sheet_self_score(actor=leader, sheet_id=sheet.pk, items=FULL, result_items=[])
    # No items of their own: (unit 50 % + organising 1/2) ÷ 2 × 70.
    assert sheet.results == Decimal("35.00")
    kept = sheet.leader_results
    assert (kept["unit_share"], kept["organising_share"]) == ("0.5", "0.5000")
    assert (kept["subordinates"], kept["scored"], kept["unit_tasks"], kept["on_time"]) == (2, 2, 2, 1)
    assert [b["name"] for b in kept["below"]] == ["Bùi Văn Yếu"]
    sheet = score_sheet_manager_score(actor=unit["hr"], sheet_id=sheet.pk, items=FULL)
    assert (sheet.results, sheet.total) == (Decimal("35.00"), Decimal("65.00"))


def test_with_items_of_their_own_the_three_shares_are_averaged(unit):
    leader = unit["leader"]
    sheet = score_sheet_open(actor=leader, staff=leader, year=2026, kind="month", number=3)
    items = [{"name": "Chỉ đạo", "coefficient": "1", "assigned": "10", "done": "8", "to_standard": "6",
              "on_time": "4"}]
    sheet = score_sheet_self_score(actor=leader, sheet_id=sheet.pk, items=FULL, result_items=items)
    # Their own items alone give 42 (a share of 0.6): (0.6 + 0.5 + 0.5) ÷ 3 × 70.
    assert sheet.results == Decimal("37.33")


def test_how_the_parts_combine_is_a_setting_of_the_rule_set(unit, monkeypatch):
    """Equal weights are our reading, marked unconfirmed on every row; a row that weighs them otherwise changes
    the sheets scored under it (docs/discipline.md §6.3)."""
    assert all(not r.leader_weights_confirmed and r.leader_weights == (1, 1, 1) for r in EVALUATION_RULE_SETS)
    assert leader_results_points(Decimal(42), Decimal(1), Decimal("0.75"),
                                 (Decimal(2), Decimal(1), Decimal(1))) == Decimal("51.63")  # (1.2+1+.75)/4×70
    assert leader_results_points(None, None, Decimal("0.5"), (Decimal(1), Decimal(1), Decimal(0))) == 0
    original = services.evaluation_rule_set
    monkeypatch.setattr(services, "evaluation_rule_set", lambda category, year: dataclasses.replace(
        original(category, year), leader_weights=(Decimal(1), Decimal(1), Decimal(0))))
    leader = unit["leader"]
    sheet = score_sheet_open(actor=leader, staff=leader, year=2026, kind="month", number=3)
    items = [{"name": "Chỉ đạo", "coefficient": "1", "assigned": "10", "done": "8", "to_standard": "6",
              "on_time": "4"}]
    sheet = score_sheet_self_score(actor=leader, sheet_id=sheet.pk, items=FULL, result_items=items)
    assert sheet.results == Decimal("38.50")  # (0.6 + 0.5) ÷ 2 × 70: the organising capacity weighs nothing


def test_a_cadre_without_a_post_is_scored_on_their_items_only(unit):
    desk = unit["desk"]
    sheet = ScoreSheet.objects.get(staff=desk)
    assert sheet.leader_results == {}
    officer = unit["officer"]
    sheet = score_sheet_open(actor=officer, staff=officer, year=2026, kind="month", number=4)
    items = [{"name": "Báo cáo", "coefficient": "1", "assigned": "10", "done": "8", "to_standard": "6",
              "on_time": "4"}]
    sheet = score_sheet_self_score(actor=officer, sheet_id=sheet.pk, items=FULL, result_items=items)
    assert sheet.results == Decimal("42.00") and sheet.leader_results == {}


def test_a_recorded_post_makes_a_specialist_a_leader(unit, make_staff):
    deputy = make_staff(unit["province"]["commune"], "specialist", full_name="Phạm Văn Phó")
    staff_profile_save(deputy, "", "", holds_post=True)
    sheet = score_sheet_open(actor=deputy, staff=deputy, year=2026, kind="month", number=3)
    sheet = score_sheet_self_score(actor=deputy, sheet_id=sheet.pk, items=FULL, result_items=[])
    assert sheet.leader_results["unit_share"] == "0.5"  # the same unit: Bùi Văn Yếu is below 50


def test_a_unit_below_with_its_own_leader_is_not_counted(unit, make_staff):
    province = unit["province"]
    assert province["commune_desk"] in led_agencies(unit["leader"])
    make_staff(province["commune_desk"], "unit_leader", full_name="Trưởng Bộ Phận")
    assert province["commune_desk"] not in led_agencies(unit["leader"])


def test_the_sheet_shows_where_the_leader_points_came_from(client, unit):
    leader = unit["leader"]
    sheet = score_sheet_open(actor=leader, staff=leader, year=2026, kind="month", number=3)
    client.force_login(leader.user)
    page = client.get(reverse("discipline:sheet_detail", args=[sheet.pk])).content.decode()
    assert 'id="leader-results"' in page
    assert "Bùi Văn Yếu" in page and "2/2" in page and "1/2" in page
    client.force_login(unit["desk"].user)
    desk_sheet = score_sheet_open(actor=unit["desk"], staff=unit["desk"], year=2026, kind="month", number=4)
    assert 'id="leader-results"' not in client.get(reverse("discipline:sheet_detail",
                                                           args=[desk_sheet.pk])).content.decode()


def test_the_printed_sheet_carries_the_unit_results(client, unit):
    leader = unit["leader"]
    sheet = score_sheet_open(actor=leader, staff=leader, year=2026, kind="month", number=3)
    score_sheet_self_score(actor=leader, sheet_id=sheet.pk, items=FULL, result_items=[])
    client.force_login(leader.user)
    response = client.get(reverse("discipline:sheet_pdf", args=[sheet.pk]))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "kết quả của đơn vị" in text and "Bùi Văn Yếu" in text
