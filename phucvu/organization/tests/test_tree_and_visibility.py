import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from phucvu.core.exceptions import InvalidInput, NotAllowed
from phucvu.organization import selectors, services
from phucvu.organization.models import Agency, Succession


def codes(qs):
    return sorted(a.code for a in qs)


def test_levels_follow_kind_and_place(province):
    assert province["province"].level == "province"
    assert province["dept"].level == "province"
    assert province["district_center"].level == "district"  # a center serves the district above it
    assert province["commune_desk"].level == "commune"
    assert province["commune"].depth == 2


def test_subtree_is_a_prefix_match(province):
    sub = selectors.agency_subtree(province["district"])
    assert codes(sub) == ["H193", "H193-TT", "X06652", "X06652-MC", "X06655"]


def test_moving_an_agency_moves_its_subtree(province):
    services.agency_update(agency=province["commune"], parent=province["district2"])
    desk = Agency.objects.get(code="X06652-MC")
    assert desk.path.startswith(province["district2"].path)
    assert desk.depth == 3
    assert "X06652-MC" in codes(selectors.agency_subtree(province["district2"]))


def test_agency_cannot_move_under_itself(province):
    with pytest.raises(InvalidInput):
        services.agency_update(agency=province["district"], parent=province["commune"])


def test_commune_clerk_sees_only_that_commune(province, make_staff):
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    assert codes(selectors.visible_agencies(clerk.user)) == ["X06652", "X06652-MC"]
    with pytest.raises(NotAllowed):
        selectors.ensure_visible(clerk.user, province["commune2"].pk)


def test_district_leader_sees_district_and_its_communes(province, make_staff):
    leader = make_staff(province["district"], "unit_leader")
    assert codes(selectors.visible_agencies(leader.user)) == ["H193", "H193-TT", "X06652", "X06652-MC", "X06655"]


def test_province_inspector_sees_all(province, make_staff):
    inspector = make_staff(province["dept"], "inspector")
    assert selectors.visible_agencies(inspector.user).count() == Agency.objects.count()


def test_inactive_staff_and_anonymous_see_nothing(province, make_staff):
    clerk = make_staff(province["commune_desk"])
    clerk.active = False
    clerk.save()
    assert not selectors.visible_agencies(clerk.user).exists()
    assert not selectors.visible_agencies(AnonymousUser()).exists()


def test_merge_of_two_communes_keeps_both_histories(province):
    merged = services.agency_create(code="X99999", name="Phường Hồng Gai mới", kind="commune",
                                    parent=province["district"])
    services.agency_succeed(predecessors=[province["commune"], province["commune2"]], successor=merged,
                            effective=dt.date(2025, 7, 1), legal_basis="Nghị quyết 1679/NQ-UBTVQH15")
    old1 = Agency.objects.get(code="X06652")
    old2 = Agency.objects.get(code="X06655")
    assert old1.valid_to == dt.date(2025, 6, 30) and old2.valid_to == dt.date(2025, 6, 30)
    assert old1.name == "UBND phường Hồng Gai"  # history is not rewritten
    assert sorted(s.predecessor.code for s in Succession.objects.filter(successor=merged)) == ["X06652", "X06655"]
    assert merged.valid_from == dt.date(2025, 7, 1)
    # the old units stay in the tree, browsable
    assert Agency.objects.filter(code__in=["X06652", "X06655"]).count() == 2


def test_search_is_accent_insensitive(province, make_staff):
    admin = make_staff(province["province"], "system_admin")
    found = selectors.agency_search(user=admin.user, query="hong gai")
    assert "X06652" in codes(found)


def test_a_citizen_account_without_staff_row_sees_no_agency(province, django_user_model):
    citizen = django_user_model.objects.create_user(username="congdan", password="MatKhau!2026")
    assert not selectors.visible_agencies(citizen).exists()
    with pytest.raises(NotAllowed):
        selectors.ensure_visible(citizen, province["commune"].pk)


def test_explicit_scope_wins_over_the_role_default(province, make_staff):
    # A commune specialist seconded to help the whole district.
    seconded = make_staff(province["commune"], "specialist", scope=province["district"])
    assert "X06655" in codes(selectors.visible_agencies(seconded.user))
    # A provincial inspector narrowed to one district sees nothing of the other.
    narrowed = make_staff(province["dept"], "inspector", scope=province["district2"])
    assert codes(selectors.visible_agencies(narrowed.user)) == ["H194", "X06700"]


def test_moving_an_agency_moves_who_sees_it(province, make_staff):
    leader = make_staff(province["district"], "unit_leader")
    other_leader = make_staff(province["district2"], "unit_leader")
    clerk = make_staff(province["commune_desk"], "desk_clerk")
    services.agency_update(agency=province["commune"], parent=province["district2"])
    assert "X06652" not in codes(selectors.visible_agencies(leader.user))
    assert {"X06652", "X06652-MC"} <= set(codes(selectors.visible_agencies(other_leader.user)))
    assert codes(selectors.visible_agencies(clerk.user)) == ["X06652", "X06652-MC"]  # the clerk's own stays


def test_a_desk_or_center_takes_the_level_of_the_authority_it_serves(province):
    moved = services.agency_update(agency=province["district_center"], parent=province["commune3"])
    assert moved.level == "commune"


def test_closed_agencies_stay_visible_for_history(province, make_staff):
    merged = services.agency_create(code="X99999", name="Phường mới", kind="commune", parent=province["district"])
    services.agency_succeed(predecessors=[province["commune"]], successor=merged, effective=dt.date(2025, 7, 1))
    leader = make_staff(province["district"], "unit_leader")
    assert "X06652" in codes(selectors.visible_agencies(leader.user))
    open_only = selectors.agency_search(user=leader.user, include_closed=False)
    assert "X06652" not in codes(open_only) and "X99999" in codes(open_only)


def test_a_split_links_one_predecessor_to_each_successor(province):
    east = services.agency_create(code="XE", name="Xã Đông", kind="commune", parent=province["district"])
    west = services.agency_create(code="XW", name="Xã Tây", kind="commune", parent=province["district"])
    for part in (east, west):
        services.agency_succeed(predecessors=[province["commune2"]], successor=part, effective=dt.date(2025, 7, 1),
                                kind=Succession.Kind.SPLIT)
    assert sorted(province["commune2"].successions_out.values_list("successor__code", flat=True)) == ["XE", "XW"]


def test_a_transfer_keeps_the_successors_own_dates(province):
    services.agency_succeed(predecessors=[province["district"]], successor=province["province"],
                            effective=dt.date(2025, 7, 1), kind=Succession.Kind.TRANSFER)
    province["province"].refresh_from_db()
    assert province["province"].valid_from is None
