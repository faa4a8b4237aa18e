"""The cross-inspection rotation: over any tree of peers, nobody inspects itself and no pair meets twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed
from phucvu.inspections.models import Inspection, Kind
from phucvu.inspections.rotation import max_rounds, rotation
from phucvu.inspections.services import rotation_generate, rotation_open, rotation_pair_change
from phucvu.organization.services import agency_create


@st.composite
def trees(draw):
    """A random tree: each parent has a random number of children (peers); returns the peer groups."""
    groups, next_id = [], 1
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(3, 40))
        groups.append(list(range(next_id, next_id + n)))
        next_id += n + draw(st.integers(0, 5))
    return groups


@settings(max_examples=200, deadline=None)
@given(trees(), st.data())
def test_no_agency_inspects_itself_and_no_pair_repeats_in_the_year(groups, data):
    for peers in groups:
        rounds = data.draw(st.integers(1, max_rounds(len(peers))))
        plan = rotation(peers, rounds, seed=data.draw(st.integers(0, 10_000)))
        assert len(plan) == rounds
        met = set()
        for pairs in plan:
            assert sorted(a for a, _ in pairs) == sorted(peers)  # each inspects exactly one per round
            assert sorted(b for _, b in pairs) == sorted(peers)  # and is inspected by exactly one
            for a, b in pairs:
                assert a != b
                assert frozenset((a, b)) not in met
                met.add(frozenset((a, b)))


def test_too_few_peers_or_too_many_rounds_are_refused_in_vietnamese():
    with pytest.raises(InvalidInput, match="ít nhất 3"):
        rotation([1, 2], 1)
    with pytest.raises(InvalidInput, match="từ 1 đến 2"):
        rotation([1, 2, 3, 4, 5], 3)


def test_a_district_rotation_is_stored_and_shown(province, make_staff, client):
    district = province["district"]
    agency_create(code="X06660", name="UBND phường Hà Khẩu", kind="commune", parent=district)
    inspector = make_staff(province["dept"], "inspector")
    made = rotation_generate(actor=inspector, parent=district, kind="commune", year=2026, rounds=1, seed=7)
    pairs = list(made.pairs.all())
    assert len(pairs) == 3 and all(p.inspecting_id != p.inspected_id for p in pairs) and pairs[0].month == 6
    with pytest.raises(NotAllowed):
        rotation_generate(actor=make_staff(province["commune3"], "inspector"), parent=district, kind="commune",
                          year=2026, rounds=1)
    client.force_login(inspector.user)
    page = client.get(reverse("inspections:rotations")).content.decode()
    assert "UBND phường Hà Khẩu" in page and "UBND thành phố Hạ Long" in page
    r = client.post(reverse("inspections:rotations"), {"parent": district.pk, "kind": "commune", "year": 2027,
                                                       "rounds": 5})
    assert "từ 1 đến 1" in r.content.decode()


class _Undo(Exception):
    pass


def test_an_adjustment_keeps_every_guarantee_or_is_refused(province, make_staff):
    district = province["district"]
    for n, name in enumerate(["Hà Khẩu", "Cao Xanh", "Hà Tu", "Hà Phong"]):
        agency_create(code=f"X0667{n}", name=f"UBND phường {name}", kind="commune", parent=district)
    inspector = make_staff(province["dept"], "inspector")
    made = rotation_generate(actor=inspector, parent=district, kind="commune", year=2026, rounds=1, seed=3)
    peers = [p.inspected for p in made.pairs.filter(round=1)]
    changed = refused = 0
    for pair in list(made.pairs.filter(round=1)):
        for target in peers:
            try:
                with transaction.atomic():
                    rotation_pair_change(actor=inspector, pair_id=pair.pk, inspected=target, reason="Trùng lịch")
                    rows = list(made.pairs.values_list("round", "inspecting_id", "inspected_id"))
                    for k in (1,):
                        assert sorted(a for r, a, _ in rows if r == k) == sorted(b for r, _, b in rows if r == k)
                    assert all(a != b for _, a, b in rows)
                    assert len({frozenset((a, b)) for _, a, b in rows}) == len(rows)
                    assert made.changes.count() == 1
                    changed += 1
                    raise _Undo
            except _Undo:
                pass
            except InvalidInput:
                refused += 1
    assert changed and refused
    assert made.changes.count() == 0  # every trial was undone


def test_the_rotation_page_adjusts_a_pair_or_says_why_not(province, make_staff, client):
    district = province["district"]
    for n, name in enumerate(["Hà Khẩu", "Cao Xanh", "Hà Tu", "Hà Phong"]):
        agency_create(code=f"X0668{n}", name=f"UBND phường {name}", kind="commune", parent=district)
    inspector = make_staff(province["dept"], "inspector")
    made = rotation_generate(actor=inspector, parent=district, kind="commune", year=2026, rounds=1, seed=3)
    client.force_login(inspector.user)
    pair = made.pairs.first()
    own = made.pairs.get(inspected=pair.inspecting)  # would make the pair's agency inspect itself
    refused = client.post(reverse("inspections:rotations"), {"pair": pair.pk, "inspected": own.inspected_id,
                                                             "reason": "x"})
    assert refused.status_code == 422 and "tự kiểm tra" in refused.content.decode()
    assert made.changes.count() == 0


def _district_rotation(province, make_staff, rounds=2):
    district = province["district"]
    for n, name in enumerate(["Hà Khẩu", "Cao Xanh", "Hà Tu", "Hà Phong"]):
        agency_create(code=f"X0669{n}", name=f"UBND phường {name}", kind="commune", parent=district)
    inspector = make_staff(province["dept"], "inspector")
    return inspector, rotation_generate(actor=inspector, parent=district, kind="commune", year=2026, rounds=rounds,
                                        seed=5)


def test_a_round_becomes_cross_inspections_in_one_step_and_never_twice(province, make_staff):
    inspector, made = _district_rotation(province, make_staff)
    made_inspections = rotation_open(actor=inspector, rotation_id=made.pk, round_no=1, decision_number="15/QĐ-UBND",
                                     decision_date=dt.date(2026, 3, 2), decision_signer="Chủ tịch UBND thành phố")
    round_one = list(made.pairs.filter(round=1))
    assert len(made_inspections) == len(round_one) and all(p.inspection_id for p in round_one)
    for pair in round_one:
        i = pair.inspection
        assert (i.organizer_id, i.target_id, i.kind) == (pair.inspecting_id, pair.inspected_id, Kind.CROSS)
        assert i.decision_number == "15/QĐ-UBND" and i.started_on == dt.date(2026, pair.month, 1)
        assert i.events.get().kind == "opened"
    assert not made.pairs.filter(round=2, inspection__isnull=False).exists()
    before = Inspection.objects.count()
    with pytest.raises(InvalidTransition, match="đã có quyết định kiểm tra"):
        rotation_open(actor=inspector, rotation_id=made.pk, decision_number="16/QĐ-UBND",
                      decision_date=dt.date(2026, 3, 3))  # the whole year: round 1 is already turned
    assert Inspection.objects.count() == before and made.changes.count() == 1
    with pytest.raises(InvalidTransition, match="đã có quyết định"):  # a turned pair no longer changes
        rotation_pair_change(actor=inspector, pair_id=round_one[0].pk, inspected=round_one[1].inspected,
                             reason="Trùng lịch")
    rotation_open(actor=inspector, rotation_id=made.pk, round_no=2, decision_number="16/QĐ-UBND",
                  decision_date=dt.date(2026, 3, 3))
    assert not made.pairs.filter(inspection__isnull=True).exists()


def test_only_the_inspecting_side_turns_a_rotation(province, make_staff):
    _inspector, made = _district_rotation(province, make_staff, rounds=1)
    with pytest.raises(NotAllowed):
        rotation_open(actor=make_staff(province["commune3"], "specialist"), rotation_id=made.pk,
                      decision_number="1/QĐ", decision_date=dt.date(2026, 3, 2))
    assert not Inspection.objects.exists()


def test_the_rotation_page_turns_a_round_and_refuses_it_twice(province, make_staff, client):
    inspector, made = _district_rotation(province, make_staff, rounds=1)
    client.force_login(inspector.user)
    page = client.get(reverse("inspections:rotations")).content.decode()
    assert f'id="open-{made.pk}"' in page
    form = {"rotation": made.pk, "round": "1", "decision_number": "20/QĐ-UBND", "decision_date": "2026-04-01"}
    r = client.post(reverse("inspections:rotations"), form, follow=True)
    page = r.content.decode()
    n = made.pairs.count()
    assert f"Đã lập {n} cuộc kiểm tra chéo từ lịch." in page and page.count('class="pair-inspection"') == n
    again = client.post(reverse("inspections:rotations"), form)
    assert again.status_code == 422 and "đã có quyết định kiểm tra" in again.content.decode()
    assert Inspection.objects.count() == n
