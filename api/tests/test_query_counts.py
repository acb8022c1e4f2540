"""A page of the API costs the same number of queries whatever its length and the size of
the data: the keyset page reads its rows once, each list of a record's parts once."""

import pytest

from households import services as household_services
from households.models import Status
from organizations.models import OrgKind
from registrations.models import Registration

from .conftest import issue


def _households(world, count: int) -> None:
    for n in range(count):
        household = household_services.create_household(
            area=world.iadom_areas[n % 2], head_name=f"Hộ đếm truy vấn {n}", by=world.admin
        )
        household_services.set_status(household=household, year=2017, status=Status.POOR, by=world.admin)


@pytest.mark.parametrize("count", [1, 30])
def test_households_page_queries(world, api_get, django_assert_num_queries, count):
    _households(world, count)
    issued = issue(world, world.org(world.iadom, OrgKind.FRONT))
    # The token with its account and organization; the account's scopes; the page of
    # households (a row more than the page, to know whether another follows); their yearly
    # statuses; the call log's row.
    with django_assert_num_queries(5):
        response = api_get(issued, "/households", page_size=500)
    assert len(response.json()["items"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_registrations_page_queries(world, submitted, api_get, django_assert_num_queries, count):
    issued = issue(world, world.org(world.district, OrgKind.FRONT))
    # The token; the scopes; the page of registrations; their items; their history; the log.
    with django_assert_num_queries(6):
        response = api_get(issued, "/registrations", page_size=count)
    expected = Registration.objects.filter(organization__unit__path__startswith=world.district.path).count()
    assert len(response.json()["items"]) == min(count, expected)
