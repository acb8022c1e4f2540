"""Exact query counts of the households' pages, at two sizes of the same data.

The bigger data set has forty households in each commune instead of three (a third of Ia
Dom's policy households), and thirty receipts in Ia Dom's fund and thirty supports given
to one household instead of two: each page lists several times more rows, with the same
number of queries.
"""

import datetime

import pytest

from households import services
from households.models import EntryKind
from households.tests.factories import household
from organizations.models import OrgKind
from portal.tests.queries import page_queries, page_url

YEAR = 2017


@pytest.fixture(params=[(3, 2), (40, 30)], ids=["smaller", "bigger"])
def sized(request, world, replayed):
    """(households per commune, fund entries and supports): the households' world."""
    world.helped = replayed(f"households sized {request.param}", lambda: _grow(world, *request.param))
    return world


def _grow(world, households: int, entries: int):
    for i in range(households):
        household(world.iadom_areas[i % 2], name=f"Hộ {i}", is_policy=i % 3 == 0)
        household(world.iakla_areas[i % 2], name=f"Hộ Ia Kla {i}")
    helped = household(world.iadom_areas[0], name="Rơ Mah Jin")
    sponsorship = services.sponsor(
        household=helped, organization=world.org(helped.area, OrgKind.WOMEN), year=YEAR, by=world.mttq_iadom
    )
    for i in range(entries):
        services.record_fund_entry(
            unit=world.iadom,
            kind=EntryKind.RECEIPT,
            date=datetime.date(YEAR, 10, 1 + i % 28),
            amount=1_000_000,
            donor=f"Nhà hảo tâm {i}",
            by=world.mttq_iadom,
        )
        services.record_support(
            household=helped,
            date=datetime.date(YEAR, 11, 1),
            kind="goods",
            value=100_000,
            fundings={"organization": 100_000},
            sponsorship=sponsorship,
            by=world.mttq_iadom,
        )
    return helped


# (name, user, url, queries). Every page first reads the session,
# the user and the user's memberships (3); each comment names the queries that follow.
PAGES = [
    # The communes and the areas (the filter); the year's counts from the summary; the page
    # of households with their year's status, sponsor and ethnic group.
    ("household list", "mttq_huyen", page_url("households:list", data={"year": YEAR}), 7),
    ("household list of a commune", "mttq_iadom", page_url("households:list", data={"year": YEAR}), 7),
    # The communes and the areas (the filter); the list's length from the summary (a long
    # list goes to the worker); every household with its year's status, sponsor and ethnic
    # group; the export logged.
    ("household list as Excel", "mttq_iadom", page_url("households:export", data={"year": YEAR}), 8),
    # The communes and the areas (the filter); the counts from the summary; the page of
    # households without a sponsor; their statuses; the year's programs; the organizations
    # that may sponsor them, and the households they sponsor.
    ("gap list", "mttq_huyen", page_url("households:gaps", data={"year": YEAR}), 12),
    # The same, and its areas with unsponsored households: the areas' gap, what each kind
    # took there, the kinds with a branch there, the program's range.
    ("gap list of a commune", "mttq_iadom", page_url("households:gaps", data={"year": YEAR}), 16),
    # The household with its area and ethnic group; the view logged; its statuses; its
    # sponsors; its history (the last changes of the household, its statuses, sponsorships
    # and supports, with their users); the users the changes name (the other records they
    # name are on the page already); the supports given, and what funded them; the fund's
    # entries for it.
    ("household", "mttq_iadom", page_url("households:detail", lambda w: w.helped.pk), 12),
    # The commune; its programs' years (the form's latest date); its households (the form);
    # the years' balances; the totals; the count; the page of entries with their
    # households; the reversals of the page's entries.
    ("fund", "mttq_iadom", page_url("households:fund", lambda w: w.iadom.pk), 12),
    # The commune; the years' balances; every entry with its household; the export logged.
    ("fund as Excel", "mttq_iadom", page_url("households:fund_export", lambda w: w.iadom.pk), 7),
]


@pytest.mark.parametrize("name, username, url, queries", PAGES, ids=[p[0] for p in PAGES])
def test_page_runs_the_same_queries_at_both_sizes(
    client_for, sized, django_assert_num_queries, name, username, url, queries
):
    path, query = url(sized)
    page_queries(client_for(getattr(sized, username)), django_assert_num_queries, path, queries, query)
