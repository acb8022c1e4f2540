"""Exact query counts of the units' and the accounts' pages, with two and with ten
communes, each commune added with its organizations, two areas and an editor's account."""

import pytest

from organizations.models import Membership, OrgKind, Role, Unit, UnitLevel, User
from organizations.services import ensure_organizations
from portal.tests.queries import page_queries, page_url


@pytest.fixture(params=[0, 8], ids=["smaller", "bigger"])
def grown(request, world, replayed):
    replayed(f"organizations grown {request.param}", lambda: _grow(world, request.param))
    return world


def _grow(world, communes: int) -> None:
    for i in range(communes):
        commune = Unit.objects.create(name=f"Xã {i}", level=UnitLevel.COMMUNE, parent=world.district)
        areas = [Unit.objects.create(name=f"Thôn {n}", level=UnitLevel.AREA, parent=commune) for n in (1, 2)]
        for unit in (commune, *areas):
            ensure_organizations(unit)
        editor = User.objects.create(username=f"mttq.xa{i}", full_name=f"Cán bộ xã {i}")
        Membership.objects.create(
            user=editor, organization=world.org(commune, OrgKind.FRONT), role=Role.EDITOR
        )


# (name, user, url, queries). Every page first reads the session, the user and the user's
# memberships (3); each comment names the queries that follow.
PAGES = [
    # The units in scope with their active areas counted, in one query.
    ("units", "mttq_huyen", page_url("organizations:unit_list"), 4),
    # The unit; the trail of the units above it that the user sees; its organizations;
    # the units below it with theirs.
    ("district", "mttq_huyen", page_url("organizations:unit_detail", lambda w: w.district.pk), 7),
    ("commune", "mttq_iadom", page_url("organizations:unit_detail", lambda w: w.iadom.pk), 7),
    # The accounts in scope; their memberships, organizations and units (3).
    ("accounts", "mttq_huyen", page_url("organizations:account_list"), 7),
]


@pytest.mark.parametrize("name, username, url, queries", PAGES, ids=[p[0] for p in PAGES])
def test_page_runs_the_same_queries_at_both_sizes(
    client_for, grown, django_assert_num_queries, name, username, url, queries
):
    path, query = url(grown)
    page_queries(client_for(getattr(grown, username)), django_assert_num_queries, path, queries, query)
