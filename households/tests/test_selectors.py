import datetime

import pytest
from django.db import connection

from households import gaps, selectors, services
from households.models import EntryKind, HouseholdStatus, Status
from households.tests.factories import household
from organizations.models import OrgKind, Role
from programs.models import Campaign, Program

YEAR = 2017


def test_selectors_gap_list_holds_poor_and_policy_households_in_difficulty(world):
    area = world.iadom_areas[0]
    poor = household(area, name="A")
    near = household(area, name="B", status=Status.NEAR_POOR)
    household(area, name="C", status=Status.ESCAPED)
    household(area, name="D", status=None, is_policy=True)
    household(area, name="G", status=Status.AVERAGE, is_policy=True)
    policy_near = household(area, name="F", status=Status.NEAR_POOR, is_policy=True)
    household(world.iakla_areas[0], name="E")
    # Poor, and policy households that are near-poor; not a policy household of average
    # living standard or without a review, not a near-poor household that is no policy one.
    assert set(selectors.gap_households(world.mttq_iadom, year=YEAR)) == {poor, policy_near}
    assert set(selectors.gap_households(world.mttq_iadom, year=YEAR, show="near_poor")) == {near}
    services.sponsor(
        household=poor, organization=world.org(area, OrgKind.WOMEN), year=YEAR, by=world.mttq_iadom
    )
    assert selectors.gap_count(world.mttq_iadom, year=YEAR) == 1
    assert selectors.gap_count(world.mttq_huyen, year=YEAR) == 2
    assert set(selectors.gap_households(world.mttq_iadom, year=YEAR, show="sponsored")) == {poor}
    assert set(selectors.gap_households(world.mttq_iadom, year=YEAR, show="all")) == {poor, policy_near}
    assert set(selectors.gap_households(world.mttq_iadom, year=YEAR, q="f")) == {policy_near}


def test_selectors_rooms_follow_the_program(world):
    program = Program.objects.create(
        campaign=Campaign.objects.create(name="CVĐ"),
        owner_unit=world.district,
        title="CTPH",
        start_year=2017,
        end_year=2021,
        max_households_per_branch=1,
    )
    area = world.iadom_areas[0]
    a, b = household(area, name="A"), household(area, name="B")
    women = world.org(area, OrgKind.WOMEN)
    services.sponsor(household=a, organization=women, year=YEAR, by=world.mttq_iadom)
    rooms = selectors.rooms(world.mttq_iadom, [b], YEAR)
    assert women not in rooms[b.pk]
    assert world.org(area, OrgKind.FARMERS) in rooms[b.pk]
    assert world.org(world.iadom, OrgKind.FARMERS) in rooms[b.pk]
    # The Women's Union of the commune only sees (and may assign) its own organizations, and
    # shares the area's place with its branch there, which took it.
    assert selectors.rooms(world.phunu_iadom, [b], YEAR)[b.pk] == []
    program.max_households_per_branch = 2
    program.save()
    assert women in selectors.rooms(world.mttq_iadom, [b], YEAR)[b.pk]
    assert {o.kind for o in selectors.rooms(world.phunu_iadom, [b], YEAR)[b.pk]} == {OrgKind.WOMEN}


def test_selectors_fund_years_opening_closing(world):
    def entry(kind, day, amount, **kw):
        return services.record_fund_entry(
            unit=world.iadom, kind=kind, date=day, amount=amount, by=world.mttq_iadom, **kw
        )

    h = household(world.iadom_areas[0])
    entry(EntryKind.RECEIPT, datetime.date(2016, 10, 17), 5_000_000, donor="A")
    entry(EntryKind.SPENDING, datetime.date(2016, 12, 1), 2_000_000, household=h, purpose="Gạo")
    wrong = entry(EntryKind.RECEIPT, datetime.date(2017, 10, 17), 7_000_000, donor="B")
    services.reverse_fund_entry(
        entry=wrong, date=datetime.date(2017, 10, 18), reason="Sai", by=world.mttq_iadom
    )
    entry(EntryKind.RECEIPT, datetime.date(2017, 10, 18), 700_000, donor="B")
    years = selectors.fund_years(world.iadom)
    assert years == [
        {"year": 2016, "opening": 0, "receipts": 5_000_000, "spending": 2_000_000, "closing": 3_000_000},
        {"year": 2017, "opening": 3_000_000, "receipts": 700_000, "spending": 0, "closing": 3_700_000},
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram index is PostgreSQL only")
def test_selectors_search_has_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'households_household'")
        names = {row[0] for row in cursor.fetchall()}
    assert "households_household_name_trgm" in names


def test_selectors_latest_year_is_the_scopes_own(world):
    first, second = world.iadom_areas
    household(first, name="A", year=2019)
    later = household(second, name="B", year=2020)
    household(world.iakla_areas[0], name="C", year=2021)
    assert selectors.latest_year(world.mttq_huyen) == 2021
    assert selectors.latest_year(world.mttq_iadom) == 2020
    # A branch of one residential area: its area's households only.
    branch = world.add_member("phunu.lang1", first, OrgKind.WOMEN, Role.VIEWER)
    assert selectors.latest_year(branch) == 2019
    # Statuses removed (without the services, as a bulk load): the year before; none left:
    # this year.
    later.statuses.all().delete()
    gaps.refresh(areas=[second.pk], years=[2020])
    assert selectors.latest_year(world.mttq_iadom) == 2019
    HouseholdStatus.objects.filter(household__area__parent=world.iadom).delete()
    gaps.refresh(areas=[first.pk], years=[2019])
    assert selectors.latest_year(world.mttq_iadom) == datetime.date.today().year


def test_selectors_households_show_status_and_sponsor_of_the_year(world):
    area = world.iadom_areas[0]
    taken = household(area, name="A")
    alone = household(area, name="B")
    services.sponsor(
        household=taken, organization=world.org(area, OrgKind.WOMEN), year=YEAR, by=world.mttq_iadom
    )
    rows = {h.pk: h for h in selectors.households(world.mttq_iadom, year=YEAR)}
    assert (rows[taken.pk].sponsored, rows[alone.pk].sponsored) == (True, False)
    assert rows[alone.pk].year_status == Status.POOR
    assert list(selectors.households(world.mttq_iadom, year=YEAR, sponsor="none")) == [alone]
    assert list(selectors.households(world.mttq_iadom, year=YEAR, sponsor="any")) == [taken]
    assert list(selectors.households(world.mttq_iadom, year=YEAR + 1, sponsor="any")) == []
