"""Team conflicts by declared relations: family and interest (docs/inspections.md §20)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phucvu.core.exceptions import InvalidInput, InvalidTransition, NotAllowed, StaleAction
from phucvu.inspections.authority import agencies_where, may, may_somewhere
from phucvu.inspections.models import Inspection, RelationAccess, RelationKind, StaffRelation
from phucvu.inspections.selectors import relation_list
from phucvu.inspections.services import (
    inspection_open,
    inspection_team_set,
    related_pairs,
    relation_declare,
    relation_end,
    relation_read,
)
from phucvu.organization.models import Agency, Staff

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


# --- relations with an agency, ended relations, their history (docs/inspections.md §20) -----------------


def test_an_interest_tie_with_the_inspected_agency_or_a_unit_under_it_keeps_a_member_off(world):
    p = world["province"]
    relation_declare(actor=world["hr"], staff=world["member"], agency=p["commune_desk"], kind="interest",
                     declared_on=dt.date(2026, 1, 10), note="Vợ góp vốn cửa hàng photocopy cạnh Bộ phận Một cửa")
    with pytest.raises(InvalidInput, match="Trần Văn Thành Viên có quan hệ “Quan hệ lợi ích.*Bộ phận Một cửa"):
        _open(world, members=[world["member"]])
    assert not Inspection.objects.exists()
    # Another commune's inspection is not concerned.
    inspection_open(actor=world["inspector"], organizer=p["dept"], target=p["commune2"], topic="Kiểm tra",
                    kind="scheduled", decision_number="8/QĐ", decision_date=dt.date(2026, 3, 2),
                    started_on=dt.date(2026, 3, 3), head=world["inspector"], members=[world["member"]])


def test_a_relation_with_an_agency_is_an_interest_and_names_one_party(world):
    p = world["province"]
    with pytest.raises(InvalidInput, match="chỉ kê khai quan hệ lợi ích"):
        relation_declare(actor=world["hr"], staff=world["member"], agency=p["commune"], kind="sibling",
                         declared_on=dt.date(2026, 1, 10))
    with pytest.raises(InvalidInput, match="Chọn một người"):
        relation_declare(actor=world["hr"], staff=world["member"], relative=world["chair"], agency=p["commune"],
                         kind="interest", declared_on=dt.date(2026, 1, 10))
    with pytest.raises(InvalidInput, match="Chọn một người"):
        relation_declare(actor=world["hr"], staff=world["member"], kind="interest", declared_on=dt.date(2026, 1, 10))
    with pytest.raises(InvalidInput, match="sau hôm nay"):
        relation_declare(actor=world["hr"], staff=world["member"], relative=world["chair"], kind="spouse",
                         declared_on=dt.date(2026, 1, 10), at=dt.datetime(2026, 1, 9, 8, tzinfo=dt.UTC))
    assert not StaffRelation.objects.exists()


def test_an_ended_relation_is_kept_with_its_history_and_no_longer_refuses_the_member(world):
    relation = relation_declare(actor=world["hr"], staff=world["member"], relative=world["chair"], kind="interest",
                                declared_on=dt.date(2026, 1, 10), note="Cùng góp vốn")
    with pytest.raises(InvalidInput):
        _open(world, members=[world["member"]])
    with pytest.raises(InvalidInput, match="căn cứ chấm dứt"):
        relation_end(actor=world["hr"], relation_id=relation.pk, ended_on=dt.date(2026, 2, 1), reason=" ")
    with pytest.raises(NotAllowed):
        relation_end(actor=world["clerk"], relation_id=relation.pk, ended_on=dt.date(2026, 2, 1), reason="Bán vốn")
    with pytest.raises(StaleAction):
        relation_end(actor=world["hr"], relation_id=relation.pk, ended_on=dt.date(2026, 2, 1), reason="Bán vốn",
                     version=relation.version + 1)
    relation_end(actor=world["hr"], relation_id=relation.pk, ended_on=dt.date(2026, 2, 1),
                 reason="Đã chuyển nhượng phần vốn góp", version=relation.version)
    relation.refresh_from_db()
    assert relation.ended_on == dt.date(2026, 2, 1)
    assert [e.kind for e in relation.events.all()] == ["declared", "ended"]
    assert "chuyển nhượng" in relation.events.last().note
    with pytest.raises(InvalidTransition, match="đã chấm dứt"):
        relation_end(actor=world["hr"], relation_id=relation.pk, ended_on=dt.date(2026, 2, 2), reason="Lần nữa")
    i = _open(world, members=[world["member"]])  # decided 2/3/2026: the tie ended on 1/2
    assert list(i.members.all()) == [world["member"]]
    assert StaffRelation.objects.count() == 1  # never deleted
    # Once ended, the same relation may be declared again.
    relation_declare(actor=world["hr"], staff=world["member"], relative=world["chair"], kind="interest",
                     declared_on=dt.date(2026, 3, 1))
    assert StaffRelation.objects.count() == 2


def test_a_relation_is_in_force_until_its_end_day(world):
    relation = relation_declare(actor=world["hr"], staff=world["member"], relative=world["chair"], kind="spouse",
                                declared_on=dt.date(2026, 1, 10))
    relation_end(actor=world["hr"], relation_id=relation.pk, ended_on=dt.date(2026, 3, 5), reason="Ly hôn",
                 at=dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC))
    on_the_2nd = dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput, match="Vợ, chồng"):
        _open(world, members=[world["member"]], at=on_the_2nd)


def test_every_reading_of_relations_is_logged(world):
    relation = relation_declare(actor=world["hr"], staff=world["member"], relative=world["chair"], kind="spouse",
                                declared_on=dt.date(2026, 1, 10))
    assert relation_read(user=world["inspector"].user, relations=[relation, relation.pk], action="export",
                         address="10.0.0.7") == 2
    rows = list(RelationAccess.objects.all())
    assert {(r.user_id, r.relation_id, r.action, r.address) for r in rows} == {
        (world["inspector"].user_id, relation.pk, "export", "10.0.0.7")}
    with pytest.raises(InvalidInput):
        relation_read(user=world["inspector"].user, relations=[relation], action="delete")


# --- who may record and read them: the authority table (docs/inspections.md §4) -------------------------


def test_the_relations_readers_are_exactly_those_the_authority_table_allows(world, make_staff):
    p = world["province"]
    people = [world["hr"], world["inspector"], world["member"], world["chair"], world["clerk"],
              make_staff(p["district"], "unit_leader"), make_staff(p["district"], "hr_officer"),
              make_staff(p["district"], "inspector"), make_staff(p["district"], "inspector")]
    Staff.objects.filter(pk=people[-1].pk).update(active=False)
    people[-1].refresh_from_db()
    agencies = list(Agency.objects.all())
    for actor in people:
        where = set(agencies_where(actor, "relation").values_list("pk", flat=True))
        assert where == {a.pk for a in agencies if may(actor, "relation", organizer_id=a.pk)}, actor
        assert may_somewhere(actor, "relation") == bool(where)
    with pytest.raises(ValueError):
        agencies_where(world["hr"], "answer")


def test_a_reader_sees_the_relations_of_the_agencies_they_may_record_for(world, make_staff):
    p = world["province"]
    in_commune = relation_declare(actor=world["hr"], staff=world["clerk"], relative=world["chair"], kind="sibling",
                                  declared_on=dt.date(2026, 1, 10))
    in_dept = relation_declare(actor=world["hr"], staff=world["inspector"], agency=p["commune3"], kind="interest",
                               declared_on=dt.date(2026, 1, 10))
    district_hr = make_staff(p["district"], "hr_officer")
    commune_leader = world["chair"]
    assert set(relation_list(user=world["hr"].user)) == {in_commune, in_dept}
    assert set(relation_list(user=district_hr.user)) == {in_commune}  # the district's subtree
    assert set(relation_list(user=commune_leader.user)) == {in_commune}  # a leader: their own agency
    assert not relation_list(user=world["clerk"].user).exists()  # a specialist: none, even their own
    assert set(relation_list(user=world["hr"].user, query="ka long")) == {in_dept}
    assert set(relation_list(user=world["hr"].user, query="chu tich")) == {in_commune}
    assert set(relation_list(user=world["hr"].user, kind="interest")) == {in_dept}
    with pytest.raises(NotAllowed):
        relation_declare(actor=district_hr, staff=world["inspector"], relative=world["chair"], kind="spouse",
                         declared_on=dt.date(2026, 1, 10))
