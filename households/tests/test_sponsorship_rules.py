"""Rule 3 as the sponsorship service applies it: the 1-3 households counted per organization
kind at the residential area, and the sponsors beyond the organizations."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from households import gaps, selectors, services
from households.models import DonorType, Sponsorship
from households.tests.factories import household
from organizations.models import OrgKind
from programs.models import Campaign, Program
from reports import selectors as report_selectors
from reports.labels import labels
from reports.selectors import Filters

YEAR = 2017


@pytest.fixture
def program(world):
    return Program.objects.create(
        campaign=Campaign.objects.create(name="CVĐ"),
        owner_unit=world.district,
        title="CTPH",
        start_year=2017,
        end_year=2021,
    )


def test_sponsorship_branch_and_commune_organization_share_the_areas_quota(world, program):
    """The Farmers' branch of Làng 1 takes 3 households; the commune's Farmers' Union cannot
    take a 4th there, while it still can in another area."""
    area, other = world.iadom_areas
    homes = [household(area, name=f"Hộ {i}") for i in range(4)] + [household(other, name="Hộ khác")]
    for h in homes[:3]:
        services.sponsor(
            household=h, organization=world.org(area, OrgKind.FARMERS), year=YEAR, by=world.mttq_iadom
        )
    commune_farmers = world.org(world.iadom, OrgKind.FARMERS)
    with pytest.raises(ValidationError) as refused:
        services.sponsor(household=homes[3], organization=commune_farmers, year=YEAR, by=world.mttq_iadom)
    assert "3" in str(refused.value) and area.name in str(refused.value)
    services.sponsor(household=homes[4], organization=commune_farmers, year=YEAR, by=world.mttq_iadom)


def test_sponsorship_kind_without_branches_is_not_held_to_the_quota(world, program):
    """The Labour Federation has no branch at residential areas: the 1-3 rule does not apply
    to it (neither its maximum nor, in the compliance panel, its minimum)."""
    area = world.iadom_areas[0]
    labour = world.org(world.iadom, OrgKind.LABOR)
    for i in range(4):
        services.sponsor(
            household=household(area, name=f"Hộ {i}"), organization=labour, year=YEAR, by=world.mttq_iadom
        )
    assert Sponsorship.objects.filter(organization=labour).count() == 4


def test_sponsorship_by_another_sponsor_closes_the_gap(world, program, client_for):
    area = world.iadom_areas[0]
    poor = household(area, name="Rơ Mah Jin")
    assert selectors.gap_count(world.mttq_iadom, year=YEAR) == 1
    client = client_for(world.mttq_iadom)
    response = client.post(
        reverse("households:other_sponsor", args=[poor.pk]),
        {"sponsor_name": "Công ty TNHH Cà phê Đức Cơ", "sponsor_type": DonorType.ENTERPRISE, "year": YEAR},
    )
    assert response.status_code == 302
    assert selectors.gap_count(world.mttq_iadom, year=YEAR) == 0
    assert not selectors.gap_households(world.mttq_iadom, year=YEAR).exists()
    page = client.get(reverse("households:detail", args=[poor.pk])).content.decode()
    assert "Công ty TNHH Cà phê Đức Cơ (Doanh nghiệp)" in page
    # Report (c) counts it among the households taken on, apart from the organizations.
    tables = report_selectors.poverty_tables(
        world.mttq_iadom, Filters(program=program, years=[YEAR]), labels()
    )
    rows = {r[1]: r[2] for r in tables[1].rows}
    assert rows == {"Nhà hảo tâm, doanh nghiệp, cơ quan khác": 1}
    # It takes none of the organizations' places in the area.
    assert gaps.gap_count(world.mttq_iadom, year=YEAR) == 0


def test_sponsorship_by_another_sponsor_is_the_fronts_to_record(world, program, client_for):
    poor = household(world.iadom_areas[0], name="Rơ Mah Jin")
    with pytest.raises(PermissionDenied):
        services.sponsor_other(
            household=poor,
            year=YEAR,
            sponsor_name="Ông A",
            sponsor_type=DonorType.INDIVIDUAL,
            by=world.phunu_iadom,
        )
    url = reverse("households:other_sponsor", args=[poor.pk])
    assert client_for(world.phunu_iadom).get(url).status_code == 403
    assert not Sponsorship.objects.exists()


def test_sponsorship_by_another_sponsor_refuses_bad_input(world, program):
    poor = household(world.iadom_areas[0], name="Rơ Mah Jin")
    for name, kind, field in (
        ("  ", DonorType.INDIVIDUAL, "sponsor_name"),
        ("Ông A", "alien", "sponsor_type"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.sponsor_other(
                household=poor, year=YEAR, sponsor_name=name, sponsor_type=kind, by=world.mttq_iadom
            )
        assert field in refused.value.error_dict
    services.sponsor_other(
        household=poor, year=YEAR, sponsor_name="Ông A", sponsor_type="individual", by=world.mttq_iadom
    )
    with pytest.raises(ValidationError):
        services.sponsor_other(
            household=poor, year=YEAR, sponsor_name="ông  a", sponsor_type="individual", by=world.mttq_iadom
        )
    assert Sponsorship.objects.count() == 1


def test_sponsorship_has_an_organization_or_another_sponsor_never_both(world):
    poor = household(world.iadom_areas[0], name="Rơ Mah Jin")
    org = world.org(world.iadom, OrgKind.WOMEN)
    for fields in ({}, {"organization": org, "sponsor_name": "Ông A", "sponsor_type": "individual"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Sponsorship.objects.create(household=poor, year=YEAR, **fields)


def test_gap_list_shows_each_areas_places_left_and_the_sponsors_to_find(world, program, client_for):
    """Làng 1 has 5 poor households: the Farmers' branch and the commune's Farmers' Union took
    3 together (no farmers' place left), the Women's branch 1. One household is still
    unsponsored; the other kinds' 8 places cover it, so no other sponsor is needed yet."""
    area = world.iadom_areas[0]
    homes = [household(area, name=f"Hộ {i}") for i in range(5)]
    farmers = world.org(area, OrgKind.FARMERS)
    for h in homes[:2]:
        services.sponsor(household=h, organization=farmers, year=YEAR, by=world.mttq_iadom)
    services.sponsor(
        household=homes[2],
        organization=world.org(world.iadom, OrgKind.FARMERS),
        year=YEAR,
        by=world.mttq_iadom,
    )
    services.sponsor(
        household=homes[3], organization=world.org(area, OrgKind.WOMEN), year=YEAR, by=world.mttq_iadom
    )
    rows = {r["area"].pk: r for r in selectors.area_places(world.mttq_iadom, year=YEAR, commune=world.iadom)}
    # Kinds with a branch at the area: farmers (0 left), women (2), youth (3), veterans (3).
    assert (rows[area.pk]["unsponsored"], rows[area.pk]["places"], rows[area.pk]["others"]) == (1, 8, 0)
    # The gap list's rooms agree: no farmers' organization is offered for the last household.
    offered = selectors.rooms(world.mttq_iadom, [homes[4]], YEAR)[homes[4].pk]
    assert OrgKind.FARMERS not in {o.kind for o in offered} and OrgKind.WOMEN in {o.kind for o in offered}
    page = client_for(world.mttq_iadom).get(reverse("households:gaps"), {"year": YEAR}).content.decode()
    assert 'id="area-places"' in page and area.name in page
