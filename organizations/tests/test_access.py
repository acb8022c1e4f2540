import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from organizations import access
from organizations.models import Organization, OrgKind, Unit
from programs.models import Campaign, Program


@pytest.fixture
def program(world):
    campaign = Campaign.objects.create(name="Toàn dân đoàn kết")
    return Program.objects.create(
        campaign=campaign, owner_unit=world.district, title="CTPH 2017", start_year=2017, end_year=2021
    )


def test_access_commune_front_sees_its_commune_only(world):
    units = set(access.visible_units(world.mttq_iadom))
    assert units == {world.iadom, *world.iadom_areas}
    orgs = access.visible_organizations(world.mttq_iadom)
    assert {o.unit for o in orgs} == units
    assert orgs.filter(kind=OrgKind.WOMEN).exists()


def test_access_commune_organization_sees_its_own_kind(world):
    orgs = access.visible_organizations(world.phunu_iadom)
    assert set(orgs.values_list("kind", flat=True)) == {OrgKind.WOMEN}
    assert set(orgs.values_list("unit", flat=True)) == {world.iadom.pk, *(a.pk for a in world.iadom_areas)}


def test_access_district_organization_sees_its_kind_in_every_commune(world):
    orgs = access.visible_organizations(world.nongdan_huyen)
    assert set(orgs.values_list("kind", flat=True)) == {OrgKind.FARMERS}
    assert orgs.filter(unit=world.iakla).exists() and orgs.filter(unit=world.iadom).exists()


def test_access_anonymous_and_inactive_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible_units(AnonymousUser()).exists()
    world.mttq_iadom.is_active = False
    assert not access.visible_units(world.mttq_iadom).exists()


def test_access_program_visible_below_its_owner(world, program):
    assert access.visible(Program.objects.all(), world.mttq_iakla).get() == program
    other = Program.objects.create(
        campaign=program.campaign,
        owner_unit=world.iakla,
        title="CTPH xã Ia Kla",
        start_year=2017,
        end_year=2021,
    )
    assert other not in access.visible(Program.objects.all(), world.mttq_iadom)
    assert other in access.visible(Program.objects.all(), world.mttq_huyen)


def test_access_get_visible_or_404_out_of_scope(world):
    with pytest.raises(Http404):
        access.get_visible_or_404(world.mttq_iadom, Unit, pk=world.iakla.pk)
    assert access.get_visible_or_404(world.mttq_iadom, Unit, pk=world.iadom.pk) == world.iadom


def test_access_require_404_outside_403_read_only(world):
    with pytest.raises(Http404):
        access.require(world.mttq_iadom, "manage_areas", world.iakla)
    with pytest.raises(PermissionDenied):
        access.require(world.lanhdao, "manage_areas", world.iadom)
    access.require(world.mttq_iadom, "manage_areas", world.iadom)
    access.require(world.mttq_huyen, "manage_areas", world.iakla)


def test_access_edit_own_is_the_organization_itself(world):
    women = world.org(world.iadom, OrgKind.WOMEN)
    assert access.can(world.phunu_iadom, "edit_own", women)
    assert not access.can(world.mttq_iadom, "edit_own", women)
    assert not access.can(world.lanhdao, "edit_own", women)


def test_access_review_only_front_reviewers_in_scope(world):
    women = world.org(world.iadom, OrgKind.WOMEN)
    assert access.can(world.mttq_huyen, "review", women)
    assert not access.can(world.mttq_iadom, "review", women)
    assert not access.can(world.lanhdao, "review", women)


def test_access_superuser_sees_everything(world):
    assert access.visible_units(world.admin).count() == Unit.objects.count()
    assert access.can(world.admin, "review", Organization.objects.first())


def test_access_primary_scope_is_the_widest(world):
    assert access.primary_scope(world.mttq_huyen).unit == world.district
    assert access.primary_scope(world.phunu_iadom).kind == OrgKind.WOMEN
    assert access.is_read_only(world.lanhdao)
    assert not access.is_read_only(world.phunu_iadom)


def test_access_judges_a_record_as_visible_does_without_a_query(world, django_assert_num_queries):
    """require() and can() on a record of the unit tree decide from its unit and kind, as
    visible() filters: the same answers for records in and out of scope and of another kind,
    and no query once the user's scopes are read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    women, farmers = world.org(world.iadom, OrgKind.WOMEN), world.org(world.iakla, OrgKind.FARMERS)
    front = world.org(world.iadom, OrgKind.FRONT)
    # As views fetch them: with their units (a unit read lazily would be the query).
    organizations = Organization.objects.select_related("unit").filter(
        pk__in=[women.pk, farmers.pk, front.pk]
    )
    records = [world.iadom, world.iakla, *world.iadom_areas, *organizations]
    for user in (world.mttq_iadom, world.phunu_iadom, world.nongdan_huyen, world.lanhdao):
        access.scopes(user)
        for record in records:
            expected = access.visible(type(record).objects.filter(pk=record.pk), user).exists()
            with CaptureQueriesContext(connection) as queries:
                assert access._is_visible(user, record) == expected, (user, record)
            assert len(queries) == 0
    farmers = next(o for o in organizations if o.pk == farmers.pk)
    with django_assert_num_queries(0):
        with pytest.raises(Http404):
            access.require(world.phunu_iadom, "edit_own", farmers)


def test_access_permitted_answers_as_can_for_each_record_in_one_query(
    world, program, django_assert_num_queries
):
    """permitted() lists the records can() allows, one by one, without a query per record:
    a commune's own program is managed by its Front, read by the district, unseen elsewhere."""
    commune_program = Program.objects.create(
        campaign=program.campaign, owner_unit=world.iadom, parent=program, title="CTPH xã",
        start_year=2017, end_year=2021,
    )  # fmt: skip
    programs = Program.objects.select_related("owner_unit").order_by("pk")
    for user in (world.mttq_huyen, world.mttq_iadom, world.mttq_iakla, world.phunu_iadom, world.admin):
        for permission in ("manage_front_records", "review", "view"):
            expected = [p for p in access.visible(programs.all(), user) if access.can(user, permission, p)]
            with django_assert_num_queries(1):
                assert access.permitted(user, permission, programs.all()) == expected, (user, permission)
    assert access.permitted(world.mttq_iadom, "manage_front_records", programs) == [commune_program]
    world.mttq_iadom.is_active = False
    assert access.permitted(world.mttq_iadom, "view", programs) == []
