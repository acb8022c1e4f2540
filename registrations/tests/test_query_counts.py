"""Exact query counts of the registrations', activities' and programs' pages, at two sizes of the same world.

The bigger world has twelve more communes, each with its organizations, a residential area,
its own commune program, and the 2019 registrations, initiatives, supervisions, examples,
outstanding areas and documents of the smaller one: every list below has several times
more rows, and runs the same number of queries (one per row would fail).
"""

import datetime

import pytest
from django.urls import reverse

from activities.tests.test_examples import _example
from activities.tests.test_outstanding_areas import _record
from activities.tests.test_supervision import _supervision
from devdata.activities import make_initiative
from devdata.programs import make_program
from devdata.registrations import full_items
from organizations.models import Membership, OrgKind, Role, Unit, UnitLevel, User
from organizations.services import ensure_organizations
from portal.tests.queries import page_queries, page_url
from programs import services as program_services
from programs.tests.test_documents import _document
from registrations import services
from registrations.models import ItemKind, Registration

from .test_views import _fill

SIZES = [0, 12]


def _grow(world, program, communes: int) -> User:
    """The rows each list shows, for Ia Dom, Ia Kla and ``communes`` more communes; the
    province Front's reviewer."""
    units = [world.iadom, world.iakla]
    for n in range(communes):
        commune = Unit.objects.create(name=f"Xã Thêm {n}", level=UnitLevel.COMMUNE, parent=world.district)
        ensure_organizations(commune)
        area = Unit.objects.create(name=f"Thôn {n}", level=UnitLevel.AREA, parent=commune)
        ensure_organizations(area)
        program_services.create_commune_program(
            by=world.admin,
            commune=commune,
            parent=program,
            number=f"{n}/CTPH",
            signed_on=datetime.date(2017, 8, 15),
            title=f"Chương trình phối hợp xã {n}",
            start_year=2017,
            end_year=2021,
        )
        units.append(commune)
    _fill(world, program, 2019, 0)  # the 2019 registrations, the Fronts' with one item
    # Ia Dom's Front: an item of each kind, and one more item for each commune added.
    front = _front_registration(world)
    items = full_items(world, program, front)
    items += [{"kind": ItemKind.OTHER, "description": f"Việc {n}"} for n in range(communes)]
    services.save_items(registration=front, items=items, version=front.version, by=world.admin)
    for i, commune in enumerate(units):
        make_initiative(world, program, unit=commune, name=f"Mô hình {i}")
        _supervision(world, unit=commune, topic=f"Giám sát {i}")
        _example(world, program, unit=commune, name=f"Gương {i}")
        area = commune.children.order_by("path").first()
        _record(world, program, area)
        _document(world, program)
    # A reviewer of the province's Front: the registrations lie two levels below.
    reviewer = User.objects.create(username="mttq.tinh", full_name="mttq.tinh")
    Membership.objects.create(
        user=reviewer, organization=world.org(world.province, OrgKind.FRONT), role=Role.REVIEWER
    )
    return reviewer


@pytest.fixture
def program(world, replayed):
    """The program of devdata/programs.py, written from memory like ``grown``."""
    return replayed("campaigns program", lambda: make_program(world))


@pytest.fixture
def grown(request, world, program, settings, tmp_path, replayed):
    settings.MEDIA_ROOT = tmp_path
    world.mttq_tinh = replayed(
        f"campaigns grown {request.param}", lambda: _grow(world, program, request.param), media=tmp_path
    )
    world.added = request.param
    return world


def _front_registration(world):
    return Registration.objects.get(organization=world.org(world.iadom, OrgKind.FRONT))


def _period(world):
    return _front_registration(world).period_id


# (name, user, url, queries). Every page first reads the session, the user and the user's
# memberships (3); each comment names the queries that follow.
PAGES = [
    # Whether a program the user may manage exists (may the user open a period?); the
    # periods with their counts of registrations.
    ("period list", "mttq_huyen", page_url("registrations:period_list"), 5),
    # The periods: an organization's editor has no Front scope to open one with.
    ("period list of a commune", "phunu_iadom", page_url("registrations:period_list"), 4),
    # The period; the units with registrations (the filter); the figures of the units below;
    # the rows with their item counts; the summary; the organizations that may be added;
    # the years; the changes to who is expected. (Whether the user may manage the period is
    # decided on the period the page fetched through visible(): no query.)
    ("tracking", "mttq_huyen", page_url("registrations:period_detail", _period), 11),
    # The same, and the districts named in the figures.
    ("tracking of a province", "mttq_tinh", page_url("registrations:period_detail", _period), 12),
    # The same, and the district drilled down to and the trail above it.
    (
        "tracking drilled down",
        "mttq_tinh",
        lambda world: (
            reverse("registrations:period_detail", args=[_period(world)]),
            {"unit": world.district.pk},
        ),
        13,
    ),
    # The years (the filter); the count; the page of registrations; their item counts.
    ("registration list", "mttq_huyen", page_url("registrations:registration_list"), 7),
    # The registration with its period, program and organization; its items with their
    # contents, areas, initiatives and the outstanding areas they made; the households
    # named; the history.
    (
        "registration detail",
        "mttq_huyen",
        page_url("registrations:registration_detail", lambda world: _front_registration(world).pk),
        7,
    ),
    # The communes (the filter); the count; the page; its rows with their organizations
    # and fields; the years' figures of the page; may the user add one; the model fields.
    ("initiative list", "mttq_huyen", page_url("activities:initiative_list"), 10),
    # The communes (the filter); every initiative with its years' figures, in one query.
    (
        "initiative list as Excel",
        "mttq_huyen",
        page_url("activities:initiative_list", data={"export": "xlsx"}),
        5,
    ),
    # The programs; the communes' counts of running initiatives; the program chosen.
    ("initiative check", "mttq_huyen", page_url("activities:initiative_check"), 6),
    # The count; may the user lead one; the page; the participants of its rows.
    ("supervision list", "mttq_huyen", page_url("activities:supervision_list"), 7),
    # The communes (the filter); the count; may the user add one; the fields; the page.
    ("example list", "mttq_huyen", page_url("activities:example_list"), 8),
    # The communes and the programs (the filter); the count; the page; the communes'
    # counts; may the user add one.
    ("outstanding list", "mttq_huyen", page_url("activities:outstanding_list", data={"year": 2019}), 9),
    # The programs; their commune programs; the communes; the communes the user manages.
    ("commune program list", "mttq_huyen", page_url("programs:commune_program_list"), 7),
    # The count; may the user add one; the page.
    ("document list", "mttq_huyen", page_url("programs:document_list"), 6),
    # Every supervision in scope; the participants of all of them.
    (
        "supervision list as Excel",
        "mttq_huyen",
        page_url("activities:supervision_list", data={"export": "xlsx"}),
        5,
    ),
    # The communes (the filter); every example with its organization and field.
    ("example list as Excel", "mttq_huyen", page_url("activities:example_list", data={"export": "xlsx"}), 5),
    # The communes and the programs (the filter); every outstanding area with its program.
    (
        "outstanding list as Excel",
        "mttq_huyen",
        page_url("activities:outstanding_list", data={"export": "xlsx"}),
        6,
    ),
    # Every document with its program.
    ("document list as Excel", "mttq_huyen", page_url("programs:document_list", data={"export": "xlsx"}), 4),
    # The registration; the households it may name (the lists sheet); those it names; the
    # campaign of the header (a commune's Front issues under its own unit's name); its
    # items; the program's contents; the commune's areas; the organization's initiatives.
    (
        "registration as Excel",
        "mttq_iadom",
        page_url("registrations:registration_xlsx", lambda world: _front_registration(world).pk),
        11,
    ),
]


def _paginated(response) -> int:
    return response.context["page"].paginator.count


# What the lists count at both sizes: (the rows the page counts, at the smaller size, more
# for each commune added). 17 registrations are expected of the district and its two
# communes, 6 of each commune added.
LISTED = {
    "tracking": (lambda response: len(response.context["rows"]), 17, 6),
    "tracking of a province": (lambda response: response.context["below"][0].expected, 17, 6),
    "tracking drilled down": (lambda response: len(response.context["rows"]), 17, 6),
    "registration list": (_paginated, 17, 6),
    "initiative list": (_paginated, 2, 1),
    "initiative check": (lambda response: response.context["communes"], 2, 1),
    "supervision list": (_paginated, 2, 1),
    "example list": (_paginated, 2, 1),
    "outstanding list": (_paginated, 2, 1),
    "commune program list": (lambda response: response.context["communes"], 2, 1),
    "document list": (_paginated, 2, 1),
}


@pytest.mark.parametrize("grown", SIZES, indirect=True)
@pytest.mark.parametrize("name, username, url, queries", PAGES, ids=[p[0] for p in PAGES])
def test_page_runs_the_same_queries_at_both_sizes(
    client_for, grown, django_assert_num_queries, name, username, url, queries
):
    path, data = url(grown)
    client = client_for(getattr(grown, username))
    response = page_queries(client, django_assert_num_queries, path, queries, data)
    if name in LISTED:
        listed, smaller, per_commune = LISTED[name]
        assert listed(response) == smaller + per_commune * grown.added
