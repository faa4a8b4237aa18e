import datetime as dt

import pytest
from django.core.management import call_command

from phucvu.core.exceptions import InvalidInput
from phucvu.organization import selectors
from phucvu.organization.models import Agency, Succession
from phucvu.organization.units import load_units

REFORM = dt.date(2025, 7, 1)


@pytest.mark.django_db
def test_legacy_quang_ninh_has_13_districts_and_their_communes():
    result = load_units(province="22", structure="legacy")
    province = Agency.objects.get(code="P22")
    assert province.name == "UBND tỉnh Quảng Ninh" and province.unit_code == "22"
    districts = Agency.objects.filter(kind="district", parent=province)
    assert districts.count() == 13
    communes = Agency.objects.filter(kind="commune", code__startswith="W")
    assert communes.count() == 171 == result.created - 14
    halong = Agency.objects.get(code="D193")
    assert halong.name == "UBND thành phố Hạ Long"
    ward = Agency.objects.get(code="W06649")
    assert ward.name == "UBND phường Hà Khánh" and ward.parent == halong and ward.level == "commune"
    # xã, phường and thị trấn are all communes; the type stays in the name
    assert Agency.objects.filter(kind="commune", name__startswith="UBND thị trấn").exists()
    assert Agency.objects.filter(kind="commune", name__startswith="UBND xã").exists()


@pytest.mark.django_db
def test_2025_quang_ninh_has_54_communes_under_the_same_province():
    load_units(province="22", structure="2025")
    province = Agency.objects.get(code="P22")
    assert province.valid_from is None  # Quảng Ninh kept its boundary: one province across the reform
    new = Agency.objects.filter(parent=province, code__startswith="W25-")
    assert new.count() == 54
    assert new.filter(name__startswith="UBND đặc khu").count() == 2
    assert new.filter(name__startswith="UBND phường").count() == 30
    assert set(new.values_list("valid_from", flat=True)) == {REFORM}


@pytest.mark.django_db
def test_rerunning_updates_and_never_duplicates():
    load_units(province="22", structure="legacy")
    count = Agency.objects.count()
    Agency.objects.filter(code="W06649").update(name="tên sai")
    again = load_units(province="22", structure="legacy")
    assert Agency.objects.count() == count
    assert (again.created, again.updated) == (0, 1)
    assert Agency.objects.get(code="W06649").name == "UBND phường Hà Khánh"


@pytest.mark.parametrize("order", [("legacy", "2025"), ("2025", "legacy")])
@pytest.mark.django_db
def test_both_structures_in_either_order_link_each_legacy_commune_to_its_successors(order):
    for structure in order:
        load_units(province="22", structure=structure)
    legacy = Agency.objects.filter(code__startswith="W").exclude(code__startswith="W25-")
    assert legacy.count() == 171
    linked = Succession.objects.filter(predecessor__in=legacy).values_list("predecessor__code", flat=True)
    assert set(linked) == set(legacy.values_list("code", flat=True))  # every legacy commune has a successor
    assert set(legacy.values_list("valid_to", flat=True)) == {dt.date(2025, 6, 30)}
    # Every 2025 commune took over at least one legacy commune.
    assert not Agency.objects.filter(code__startswith="W25-").exclude(successions_in__isnull=False).exists()
    # Hà Khẩu was divided between Tuần Châu and Việt Hưng.
    split = Succession.objects.filter(predecessor__name="UBND phường Hà Khẩu")
    assert sorted(split.values_list("successor__name", flat=True)) == ["UBND phường Tuần Châu",
                                                                       "UBND phường Việt Hưng"]
    assert set(split.values_list("kind", flat=True)) == {"split"}
    # Legacy districts close on 30/6/2025 and hand over to the province only.
    district = Agency.objects.get(code="D193")
    assert district.valid_to == dt.date(2025, 6, 30)
    assert list(district.successions_out.values_list("successor__code", "kind")) == [("P22", "transfer")]
    assert Agency.objects.get(code="P22").valid_to is None and Agency.objects.get(code="P22").valid_from is None


@pytest.mark.django_db
def test_running_both_twice_adds_no_links():
    for structure in ("legacy", "2025", "legacy", "2025"):
        load_units(province="22", structure=structure)
    assert Succession.objects.count() == Succession.objects.values("predecessor", "successor").distinct().count()
    assert Agency.objects.filter(code="P22").count() == 1


@pytest.mark.django_db
def test_parent_option_hangs_units_under_an_existing_agency(province):
    load_units(province="22", structure="2025", parent_code="T22")
    assert not Agency.objects.filter(code="P22").exists()
    assert selectors.agency_subtree(province["province"]).filter(code__startswith="W25-").count() == 54


@pytest.mark.django_db
def test_command_prints_the_counts(capsys):
    call_command("load-units", "--province", "22", "--structure", "2025")
    out = capsys.readouterr().out
    assert "55 tạo mới" in out and "vietnamadminunits" in out


@pytest.mark.django_db
def test_unknown_province_is_refused():
    with pytest.raises(InvalidInput):
        load_units(province="99", structure="legacy")


@pytest.mark.django_db
def test_merged_provinces_hand_over_to_a_new_province_with_its_own_code_space():
    load_units(province="27", structure="legacy")  # Bắc Ninh before 2025
    load_units(province="24", structure="2025")  # Bắc Ninh after: Bắc Giang + Bắc Ninh, code 24
    old, new = Agency.objects.get(code="P27"), Agency.objects.get(code="P25-24")
    assert old.valid_to == dt.date(2025, 6, 30) and new.valid_from == REFORM
    assert list(old.successions_out.values_list("successor__code", "kind")) == [("P25-24", "merge")]
    assert not Agency.objects.filter(code="P24").exists()  # legacy Bắc Giang was not loaded
