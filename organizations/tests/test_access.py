import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from organizations import access
from organizations.access import Permission, Reach
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


def test_access_permitted_is_a_queryset_of_what_can_allows(world, program, django_assert_max_num_queries):
    """permitted() is the list form of can(): a queryset filtered in the database, one query
    however long the list (none when no scope of the user grants the permission). A commune's own program is managed by its Front, read by the
    district, unseen elsewhere."""
    commune_program = Program.objects.create(
        campaign=program.campaign, owner_unit=world.iadom, parent=program, title="CTPH xã",
        start_year=2017, end_year=2021,
    )  # fmt: skip
    programs = Program.objects.select_related("owner_unit").order_by("pk")
    for user in (world.mttq_huyen, world.mttq_iadom, world.mttq_iakla, world.phunu_iadom, world.admin):
        access.scopes(user)
        for permission in (Permission.MANAGE_FRONT_RECORDS, Permission.REVIEW, Permission.VIEW):
            expected = [p for p in access.visible(programs.all(), user) if access.can(user, permission, p)]
            with django_assert_max_num_queries(1):
                assert list(access.permitted(programs.all(), user, permission)) == expected, (
                    user,
                    permission,
                )
    assert list(access.permitted(programs, world.mttq_iadom, Permission.MANAGE_FRONT_RECORDS)) == [
        commune_program
    ]
    # The plain strings of before still name the permissions.
    assert list(access.permitted(programs, world.mttq_iadom, "manage_front_records")) == [commune_program]
    world.mttq_iadom.is_active = False
    assert not access.permitted(programs, world.mttq_iadom, Permission.VIEW).exists()


def test_access_writable_organizations_and_front_managed_units_are_permitted(world):
    assert set(access.writable_organizations(world.phunu_iadom)) == {world.org(world.iadom, OrgKind.WOMEN)}
    assert set(access.writable_organizations(world.nongdan_huyen)) == {
        world.org(world.iadom, OrgKind.FARMERS),
        world.org(world.iakla, OrgKind.FARMERS),
    }
    assert not access.writable_organizations(world.lanhdao).exists()
    assert set(access.front_managed_units(world.mttq_huyen)) == {world.iadom, world.iakla}
    assert set(access.front_managed_units(world.mttq_iadom, level=None)) == {world.iadom, *world.iadom_areas}
    assert not access.front_managed_units(world.phunu_iadom).exists()
    assert not access.front_managed_units(world.lanhdao).exists()


def test_access_require_judges_a_create_by_where_it_will_hang(world):
    """A record not saved yet is judged by the unit and kind it will hang on, and refused
    with 403 (there is nothing to hide), without a query once the scopes are read."""
    from activities.models import Initiative

    women = Organization.objects.select_related("unit").get(unit=world.iadom, kind=OrgKind.WOMEN)
    initiative = Initiative(organization=women, name="Mô hình", start_year=2018)
    for user in (world.phunu_iadom, world.mttq_iadom, world.lanhdao, world.mttq_iakla, world.nongdan_huyen):
        access.scopes(user)
    access.require(world.phunu_iadom, Permission.EDIT_IN_SCOPE, initiative)
    access.require(world.mttq_iadom, Permission.EDIT_IN_SCOPE, initiative)
    for refused in (world.lanhdao, world.mttq_iakla, world.nongdan_huyen):
        with pytest.raises(PermissionDenied):
            access.require(refused, Permission.EDIT_IN_SCOPE, initiative)


# ---------------------------------------------------------------- the two forms agree


def _scoped_models():
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if getattr(m, "access_unit_field", None) is not None or getattr(m, "access_q", None) is not None
    ]


def _with_units(model):
    """The model's records with what the rule reads of them (their unit and kind), as views
    fetch them: the checks of one record must then run no query."""
    paths = {model.access_unit_field} if getattr(model, "access_unit_field", None) else set()
    kind_field = getattr(model, "access_kind_field", None)
    if kind_field and "__" in kind_field:
        paths.add(kind_field.rsplit("__", 1)[0])
    return (
        model._default_manager.select_related(*paths).order_by("pk")
        if paths
        else model._default_manager.order_by("pk")
    )


@pytest.fixture
def records(world):
    """Records of every scoped model, in both communes and at the district, of several
    organizations and kinds; more people: one without a membership, one working for two
    communes, a staff account, a branch officer of a residential area, and one who left."""
    import datetime

    from activities.models import InitiativeYear
    from activities.tests.test_examples import _example
    from activities.tests.test_outstanding_areas import _record
    from activities.tests.test_supervision import _supervision
    from devdata.activities import make_initiative
    from devdata.programs import make_program
    from households.models import FundEntry, Sponsorship, Support
    from households.tests.factories import household
    from organizations.models import Membership, Role
    from programs.models import ProgramDocument
    from registrations.models import (
        ExpectedChange,
        ItemKind,
        Registration,
        RegistrationItem,
        RegistrationPeriod,
    )

    day = datetime.date(2017, 6, 1)
    program = make_program(world)
    programs = [program]
    for commune in (world.iadom, world.iakla):
        programs.append(
            Program.objects.create(
                campaign=program.campaign,
                owner_unit=commune,
                parent=program,
                title=f"CTPH {commune.name}",
                start_year=2017,
                end_year=2021,
            )  # fmt: skip
        )
    for p in programs:
        ProgramDocument.objects.create(
            program=p,
            direction="incoming",
            number="1/CV",
            issued_on=day,
            issuing_body="MTTQ",
            subject="Đăng ký",
        )
        period = RegistrationPeriod.objects.create(
            program=p, year=2017, opens_on=day, registration_deadline=day, results_deadline=day
        )
        units = (
            [p.owner_unit] if p.owner_unit != world.district else [world.district, world.iadom, world.iakla]
        )
        for organization in Organization.objects.filter(unit__in=units):
            registration = Registration.objects.create(period=period, organization=organization)
            RegistrationItem.objects.create(
                registration=registration, kind=ItemKind.OTHER, description="Việc"
            )
        ExpectedChange.objects.create(
            period=period, organization=world.org(p.owner_unit, OrgKind.YOUTH), action="added", reason="Thêm",
            by=world.admin,
        )  # fmt: skip
    for unit, kind in (
        (world.iadom, OrgKind.FARMERS),
        (world.iadom, OrgKind.WOMEN),
        (world.iakla, OrgKind.WOMEN),
    ):
        initiative = make_initiative(world, program, unit=unit, kind=kind, name=f"Mô hình {kind}")
        InitiativeYear.objects.create(
            initiative=initiative, year=2019, participants=1, households=1, value_vnd=1
        )
        _example(world, program, unit=unit, kind=kind, name=f"Gương {kind}")
    _supervision(world)
    _supervision(world, unit=world.iadom, kind=OrgKind.FRONT, topic="Giám sát xã")
    for area, kind in ((world.iadom_areas[0], OrgKind.WOMEN), (world.iakla_areas[1], OrgKind.FARMERS)):
        _record(world, program, area)
        h = household(area, name=f"Hộ {area.name}")
        sponsorship = Sponsorship.objects.create(
            organization=world.org(area.parent, kind), household=h, year=2017
        )
        Support.objects.create(household=h, sponsorship=sponsorship, date=day, kind="cash", value=1000)
    for unit in (world.district, world.iadom, world.iakla):
        FundEntry.objects.create(unit=unit, kind="receipt", date=day, amount=1000)
    world.add_user("nobody")
    two = world.add_member("two.communes", world.iadom, OrgKind.WOMEN, Role.EDITOR)
    Membership.objects.create(
        user=two, organization=world.org(world.iakla, OrgKind.FARMERS), role=Role.EDITOR
    )
    staff = world.add_member("staff.iadom", world.iadom, OrgKind.FRONT, Role.EDITOR)
    staff.is_staff = True
    staff.save()
    world.add_member("chihoi.lang1", world.iadom_areas[0], OrgKind.WOMEN, Role.EDITOR)
    left = world.add_member("left.iakla", world.iakla, OrgKind.FRONT, Role.REVIEWER)
    left.is_active = False
    left.save()
    return {model: list(_with_units(model)[:60]) for model in _scoped_models()}


# The scoped models the records fixture must give rows of (the summaries and the imports
# may have none: their rules are checked where they are written).
SAMPLED = {
    "organizations.Unit", "organizations.Organization", "organizations.Membership", "organizations.User",
    "programs.Program", "programs.ProgramContent", "programs.ProgramDocument",
    "registrations.RegistrationPeriod", "registrations.ExpectedChange", "registrations.Registration",
    "registrations.RegistrationItem",
    "activities.Initiative", "activities.InitiativeStatusChange", "activities.InitiativeYear",
    "activities.Supervision", "activities.ExemplaryExample", "activities.OutstandingArea",
    "households.Household", "households.HouseholdStatus", "households.Sponsorship", "households.Support",
    "households.FundEntry",
}  # fmt: skip


def test_access_scope_filter_and_record_test_agree(world, records):
    """Scope.q (the filter) and Scope.covers (the test of one record) say the same for every
    reach, scope and sampled record."""
    assert SAMPLED <= {m._meta.label for m, rows in records.items() if rows}
    user_scopes = {s for user in world.users.values() for s in access.scopes(user)}
    for model, rows in records.items():
        for scope in user_scopes:
            for reach in Reach:
                reached = set(
                    model._default_manager.filter(scope.q(model, reach)).values_list("pk", flat=True)
                )
                for obj in rows:
                    assert scope.covers(obj, reach) == (obj.pk in reached), (scope, reach, model, obj.pk)


def test_access_can_agrees_with_permitted_for_every_permission_user_and_record(world, records):
    """For every permission, every user of the world and records of every scoped model:
    can() allows a record exactly when permitted() lists it, and judges a record of the unit
    tree without a query (a model with a rule of its own, and a person, ask the database)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user in world.users.values():
        access.scopes(user)
        for permission in Permission:
            for model, rows in records.items():
                allowed = set(
                    access.permitted(model._default_manager.all(), user, permission).values_list(
                        "pk", flat=True
                    )
                )
                for obj in rows:
                    with CaptureQueriesContext(connection) as queries:
                        assert access.can(user, permission, obj) == (obj.pk in allowed), (
                            user.username, permission, model.__name__, obj.pk,
                        )  # fmt: skip
                    if getattr(model, "access_q", None) is None:
                        assert len(queries) == 0, (user.username, permission, model.__name__)


def test_access_require_answers_404_outside_403_when_not_allowed(world, records):
    """require() for the sampled records of the units, organizations and registrations: 404
    where the user does not see the record, 403 where they see it but may not, else nothing."""
    from django.http import Http404

    from registrations.models import Registration

    for user in world.users.values():
        for permission in Permission:
            for model in (Unit, Organization, Registration):
                for obj in records[model]:
                    if access.can(user, permission, obj):
                        access.require(user, permission, obj)
                        continue
                    refused = PermissionDenied if access._is_visible(user, obj) else Http404
                    with pytest.raises(refused):
                        access.require(user, permission, obj)


def test_access_a_record_fetched_through_visible_is_not_asked_for_again(
    world, program, django_assert_num_queries
):
    """A program has a rule of its own (visible below its owner): one the request fetched
    with get_visible_or_404 is seen without asking again, for that user only."""
    from programs.models import Program

    found = access.get_visible_or_404(
        world.mttq_huyen, Program.objects.select_related("owner_unit"), pk=program.pk
    )
    with django_assert_num_queries(0):
        assert access.can(world.mttq_huyen, Permission.MANAGE_FRONT_RECORDS, found)
    # Another user is still asked about: an officer of Ia Dom sees the district's program.
    access.scopes(world.mttq_iadom)
    with django_assert_num_queries(1):
        assert access.can(world.mttq_iadom, Permission.VIEW, found)
