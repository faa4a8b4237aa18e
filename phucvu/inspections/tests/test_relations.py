"""Team conflicts by declared relations: family and interest (docs/inspections.md §20)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed
from phucvu.inspections.models import Inspection, RelationKind
from phucvu.inspections.services import (
    inspection_open,
    inspection_team_set,
    related_pairs,
    relation_declare,
)

KINDS = st.sampled_from(RelationKind.values)


@given(relations=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), KINDS), max_size=30),
       team=st.sets(st.integers(0, 9)), watched=st.sets(st.integers(0, 9)))
def test_a_relation_counts_whoever_declared_it_and_only_between_team_and_watched(relations, team, watched):
    found = related_pairs(relations, team, watched)
    # Declared the other way round, the same conflicts are found.
    assert found == related_pairs([(b, a, k) for a, b, k in relations], team, watched)
    for member, other, kind in found:
        assert member in team and other in watched
        assert (member, other, kind) in relations or (other, member, kind) in relations
    for a, b, kind in relations:
        if a in team and b in watched:
            assert (a, b, kind) in found
        if b in team and a in watched:
            assert (b, a, kind) in found


@pytest.fixture
def world(province, make_staff):
    return {
        "hr": make_staff(province["dept"], "hr_officer", full_name="Phòng Tổ Chức"),
        "inspector": make_staff(province["dept"], "inspector", full_name="Vũ Đức Thắng"),
        "member": make_staff(province["district"], "specialist", full_name="Trần Văn Thành Viên"),
        "chair": make_staff(province["commune"], "unit_leader", full_name="Lê Văn Chủ Tịch"),
        "clerk": make_staff(province["commune"], "specialist", full_name="Ngô Thị Một Cửa"),
        "province": province,
    }


def _open(world, **kw):
    p = world["province"]
    return inspection_open(actor=world["inspector"], organizer=p["dept"], target=p["commune"], topic="Kiểm tra",
                           kind="scheduled", decision_number="7/QĐ", decision_date=dt.date(2026, 3, 2),
                           started_on=dt.date(2026, 3, 3), head=world["inspector"], **kw)


def test_a_member_related_to_the_inspected_agencys_leader_is_refused_naming_the_relation(world):
    relation_declare(actor=world["hr"], staff=world["member"], relative=world["chair"], kind="sibling",
                     declared_on=dt.date(2026, 1, 10))
    with pytest.raises(InvalidInput) as refused:
        _open(world, members=[world["member"]])
    message = refused.value.message
    assert "Trần Văn Thành Viên có quan hệ “Anh, chị, em ruột” với Lê Văn Chủ Tịch (lãnh đạo" in message
    assert not Inspection.objects.exists()
    i = _open(world)
    with pytest.raises(InvalidInput, match="Anh, chị, em ruột"):
        inspection_team_set(actor=world["inspector"], inspection_id=i.pk, head=world["inspector"],
                            members=[world["member"]])
    assert not i.members.exists()


def test_a_relation_declared_by_the_person_inspected_counts_too(world):
    relation_declare(actor=world["hr"], staff=world["clerk"], relative=world["inspector"], kind="interest",
                     declared_on=dt.date(2026, 1, 10), note="Cùng góp vốn một cửa hàng")
    _open(world)  # the clerk is not the person inspected here, nor a leader: no conflict
    with pytest.raises(InvalidInput, match="Quan hệ lợi ích.*Ngô Thị Một Cửa \\(người được kiểm tra\\)"):
        _open(world, person=world["clerk"])


def test_the_person_inspected_belongs_to_the_inspected_agency(world, make_staff):
    outsider = make_staff(world["province"]["commune3"], "specialist")
    with pytest.raises(InvalidInput, match="không thuộc đơn vị được kiểm tra"):
        _open(world, person=outsider)


def test_who_records_a_relation_and_no_duplicates(world):
    with pytest.raises(NotAllowed):
        relation_declare(actor=world["clerk"], staff=world["member"], relative=world["chair"], kind="spouse",
                         declared_on=dt.date(2026, 1, 10))
    with pytest.raises(InvalidInput, match="chính mình"):
        relation_declare(actor=world["hr"], staff=world["member"], relative=world["member"], kind="spouse",
                         declared_on=dt.date(2026, 1, 10))
    relation_declare(actor=world["inspector"], staff=world["member"], relative=world["chair"], kind="spouse",
                     declared_on=dt.date(2026, 1, 10))
    with pytest.raises(InvalidTransition, match="đã được ghi"):
        relation_declare(actor=world["hr"], staff=world["chair"], relative=world["member"], kind="spouse",
                         declared_on=dt.date(2026, 1, 11))
