import pytest
from django.db import IntegrityError, transaction

from organizations.models import Membership, Organization, OrgKind, Role, Unit, UnitLevel


def test_unit_path_follows_the_tree(world):
    area = world.iadom_areas[0]
    ids = (world.province.pk, world.district.pk, world.iadom.pk, area.pk)
    assert area.path == "/" + "".join(f"{pk:010d}/" for pk in ids)
    assert area.is_within(world.district)
    assert not area.is_within(world.iakla)


def test_siblings_sort_by_path_in_the_order_they_were_made_across_a_digit_boundary(world):
    # Unpadded ids sorted "/100/" before "/99/": a commune's tenth village came first.
    boundary = 10 ** (len(str(Unit.objects.order_by("-pk").first().pk)) + 1)  # above every id
    ninth = Unit.objects.create(pk=boundary - 1, name="Thôn 9", level=UnitLevel.AREA, parent=world.iakla)
    tenth = Unit.objects.create(pk=boundary, name="Thôn 10", level=UnitLevel.AREA, parent=world.iakla)
    areas = list(Unit.objects.filter(parent=world.iakla).order_by("path"))
    assert areas.index(ninth) < areas.index(tenth)


def test_unit_subtree_holds_only_descendants(world):
    subtree = set(Unit.objects.subtree_of(world.iadom))
    assert subtree == {world.iadom, *world.iadom_areas}


def test_unit_official_code_unique_per_level(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            name="Xã trùng mã", level=UnitLevel.COMMUNE, official_code=23872, parent=world.district
        )


def test_unit_same_code_allowed_at_another_level(world):
    # Province 1 (Hà Nội) and district 1 (Ba Đình) share the number 1 in the official list.
    Unit.objects.create(name="Huyện X", level=UnitLevel.DISTRICT, official_code=64, parent=world.province)


def test_unit_area_name_unique_in_commune_ignoring_case(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="làng 1", level=UnitLevel.AREA, parent=world.iadom)
    # Accents tell villages apart.
    Unit.objects.create(name="Lang 1", level=UnitLevel.AREA, parent=world.iadom)


def test_unit_only_province_has_no_parent(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="Xã mồ côi", level=UnitLevel.COMMUNE)


def test_organization_one_of_each_kind_per_unit(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(unit=world.iadom, kind=OrgKind.WOMEN, name="Hội thứ hai")


def test_organizations_are_named_by_level(world):
    assert world.org(world.iadom, OrgKind.FRONT).name == "Ủy ban MTTQ Việt Nam xã Ia Dom"
    assert world.org(world.iadom, OrgKind.LABOR).name == "Công đoàn xã Ia Dom"
    assert world.org(world.iadom_areas[0], OrgKind.YOUTH).name == "Chi đoàn Làng 1"
    # The Labor Federation has no branch at residential areas.
    assert not Organization.objects.filter(unit=world.iadom_areas[0], kind=OrgKind.LABOR).exists()


def test_membership_one_per_user_and_organization(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.mttq_iadom, organization=world.org(world.iadom, OrgKind.FRONT), role=Role.VIEWER
        )


def test_unit_with_organizations_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        world.iadom_areas[0].delete()
