"""Exact query counts of the dashboard, the compliance panel, the reports and reviews with
their Excel files, and the change log, at two sizes of the same data.

The bigger data set has six more communes, each with its organizations, an area and five
poor households, and forty more poor households sponsored in Ia Dom: the pages sum up and
list several times more rows, with the same number of queries.
"""

import datetime

import pytest
from auditlog.context import set_actor

from households import services
from households.models import EntryKind, Household, HouseholdStatus, Status
from organizations.models import Unit, UnitLevel
from organizations.services import ensure_organizations
from portal.tests.queries import page_queries

from .conftest import YEAR, Data
from .test_audit import URL, _household, _move

# (communes added, households added in Ia Dom)
SIZES = [(0, 0), (6, 40)]


@pytest.fixture(params=SIZES, ids=["smaller", "bigger"])
def sized(request, world, replayed):
    replayed(f"reports sized {request.param}", lambda: _grow(world, *request.param))
    return world


def _grow(world, communes: int, households: int) -> None:
    for n in range(communes):
        commune = Unit.objects.create(name=f"Xã Thêm {n}", level=UnitLevel.COMMUNE, parent=world.district)
        area = Unit.objects.create(name=f"Thôn {n}", level=UnitLevel.AREA, parent=commune)
        for unit in (commune, area):
            ensure_organizations(unit)
        for i in range(5):
            h = Household.objects.create(area=area, head_name=f"Hộ {n}-{i}", birth_year=1980)
            HouseholdStatus.objects.create(household=h, year=YEAR, status=Status.POOR)
    Data(world, extra_households=households)  # rebuilds the summaries of all of them


# (page, user, path, query, queries). Every page first reads the session, the user and the
# user's memberships (3); each comment names the queries that follow.
PAGES = [
    # The programs, the latest period and the communes (the filter); the communes with their
    # outstanding areas (rule 2); the initiatives running by commune, status, kind and field;
    # over the program's years and the year before at once: the households by commune, the
    # registrations, the fund, the supervisions, the registered items' tallies; the
    # organizations with their models running this year and last (rule 4).
    ("dashboard", "lanhdao", "/dashboard/", {"year": YEAR}, 14),
    ("dashboard of a commune", "mttq_iadom", "/dashboard/", {"year": YEAR}, 14),
    # The programs, the latest period and the communes (the filter); the communes counted;
    # the page of communes; the year's period; for the page's communes at once: the
    # contents registered, the outstanding areas, the gap, the sponsorships, the areas, the
    # kinds with a branch at each area, the registrations (the program's unit's too), the
    # initiatives running.
    ("compliance", "lanhdao", "/compliance/", {"year": YEAR}, 17),
    # The programs, the latest period and the communes (the filter); one query for each
    # figure: registrations, their tallies, households, aid, initiatives, the examples and
    # outstanding areas together, the fund, supervisions.
    ("report", "lanhdao", "/reports/", {"year_from": 2017, "year": 2021}, 14),
    ("report as Excel", "lanhdao", "/reports/export.xlsx", {"year_from": 2017, "year": 2021}, 14),
    # The program reviewed and the communes (the filter); the report's nine figures; the two
    # sources no table shows (the models running, the fund of the scope's Front level).
    ("review", "lanhdao", "/reports/review/5/", None, 15),
    # The program reviewed; the report's nine figures; the key figures' two more.
    ("review as Excel", "lanhdao", "/reports/review/5/export.xlsx", None, 14),
]


@pytest.mark.parametrize("page, username, path, query, queries", PAGES, ids=[p[0] for p in PAGES])
def test_report_runs_the_same_queries_at_both_sizes(
    client_for, sized, django_assert_num_queries, page, username, path, query, queries
):
    client = client_for(getattr(sized, username))
    page_queries(client, django_assert_num_queries, path, queries, query)


@pytest.mark.parametrize("households", [15, 45])
def test_change_log_runs_the_same_queries_at_both_sizes(
    client_for, world, django_assert_num_queries, households
):
    """Each household created, moved and given a status, and a fund entry each: four
    changes a household, by two users, in two communes; from 15 households on, a page of 50
    changes shows all four kinds."""
    for i in range(households):
        h = _household(world, world.iadom_areas[i % 2], f"Hộ {i}", world.mttq_iadom)
        _move(world, h, world.iadom_areas[(i + 1) % 2], world.mttq_iadom, members=i + 1)
        with set_actor(world.mttq_iadom):
            services.set_status(household=h, year=2024, status=Status.NEAR_POOR, by=world.mttq_iadom)
        with set_actor(world.mttq_iakla):
            services.record_fund_entry(
                unit=world.iakla,
                kind=EntryKind.RECEIPT,
                date=datetime.date(2024, 1, 1),
                amount=1_000 + i,
                donor=f"Nhà hảo tâm {i}",
                by=world.mttq_iakla,
            )
    client = client_for(world.mttq_huyen)
    # The changes counted; the page of changes with their record kinds and authors; the
    # names of the records the changes refer to (areas, users, households, poverty
    # standards: a query for each kind); the links to the records changed (fund entries,
    # statuses, households: one for each kind); the authors (the filter).
    page_queries(client, django_assert_num_queries, URL, 13)
    # The households' changes alone: the count; the page; the areas and the users named;
    # the links to the households; the authors.
    query = {"model": "households.household", "page": 2}
    page_queries(client, django_assert_num_queries, URL, 9, query)
