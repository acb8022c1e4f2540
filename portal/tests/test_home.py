import datetime

import pytest
from django.urls import reverse

from organizations.models import Organization, Unit, UnitLevel
from organizations.services import ensure_organizations


def _home(client_for, user):
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_home_district_front_sees_program_level_and_all_communes(client_for, world):
    body = _home(client_for, world.mttq_huyen)
    assert "Huyện Đức Cơ" in body and "Xã Ia Dom" in body and "Xã Ia Kla" in body
    assert "Người duyệt" in body
    assert reverse("organizations:account_list") in body  # reviewers manage accounts


def test_home_commune_officer_sees_only_their_commune(client_for, world):
    body = _home(client_for, world.mttq_iadom)
    assert "Xã Ia Dom" in body and "Làng 1" in body
    assert "Xã Ia Kla" not in body
    assert reverse("organizations:account_list") not in body


def test_home_leader_sees_read_only_summary(client_for, world):
    body = _home(client_for, world.lanhdao)
    assert "Người xem (chỉ xem)" in body
    # The district's figures, counted here one by one.
    units = Unit.objects.filter(path__startswith=world.district.path)
    organizations = Organization.objects.filter(unit__in=units)
    expected = {
        "communes": units.filter(level=UnitLevel.COMMUNE).count(),
        "areas": units.filter(level=UnitLevel.AREA, is_active=True).count(),
        "organizations": organizations.exclude(unit__level=UnitLevel.AREA).count(),
        "branches": organizations.filter(unit__level=UnitLevel.AREA).count(),
    }
    assert expected["communes"] == 2 and expected["branches"] > 0
    for name, n in expected.items():
        assert f'id="total-{name}">{n}<' in body, name
    assert reverse("organizations:account_list") not in body


def test_home_district_organization_sees_its_organization_at_each_level(client_for, world):
    body = _home(client_for, world.nongdan_huyen)
    assert "Hội Nông dân xã Ia Dom" in body and "Hội Nông dân xã Ia Kla" in body
    assert "Hội Liên hiệp Phụ nữ" not in body


def test_home_years_and_codes_are_not_grouped_like_amounts(client_for, world):
    from programs.models import Campaign, Program

    Program.objects.create(
        campaign=Campaign.objects.create(name="CVĐ"),
        owner_unit=world.district,
        title="CTPH",
        number="01/CTPH",
        start_year=2017,
        end_year=2021,
    )
    body = _home(client_for, world.mttq_huyen)
    assert "2017–2021" in body and "2.017" not in body
    assert "23872" in body and "23.872" not in body


@pytest.fixture(params=[0, 8], ids=["smaller", "bigger"])
def grown(request, world):
    """``request.param`` more communes, each with its organizations, an area and a poor
    household, and as many more areas in Ia Dom; a 2019 period with every organization's
    registration; a supervision led in each commune, its follow-up overdue."""
    from activities.tests.test_supervision import _supervision
    from devdata.programs import make_program
    from devdata.registrations import open_year
    from households.tests.factories import household

    communes = [world.iadom, world.iakla]
    for i in range(request.param):
        commune = Unit.objects.create(name=f"Xã {i}", level=UnitLevel.COMMUNE, parent=world.district)
        areas = [
            Unit.objects.create(name="Thôn 1", level=UnitLevel.AREA, parent=commune),
            Unit.objects.create(name=f"Thôn mới {i}", level=UnitLevel.AREA, parent=world.iadom),
        ]
        for unit in (commune, *areas):
            ensure_organizations(unit)
        communes.append(commune)
        for area in areas:
            household(area, name=f"Hộ {area.name}", year=2019)
    open_year(world, make_program(world), 2019)
    for commune in communes:
        _supervision(world, unit=commune, topic=f"Giám sát {commune.name}", due=datetime.date(2020, 6, 30))
    return world


# The home of each role. After the session, the user and the memberships (3): the failed
# logins on the user's account (and a reviewer's accounts) since the previous login; the
# programs (the first five); the registrations of the organizations the user writes for
# (none asked for a user who writes for none: the superuser, the leader); the overdue
# supervisions; the households without a sponsor, per commune; the units below the top one
# with their areas counted; the units' and the organizations' totals (2).
HOMES = [
    # And the top unit (a superuser has no scope), and the registrations to review.
    ("admin", 12),
    # And the registrations to review.
    ("mttq_huyen", 12),
    # And the user's own organizations (the Farmers' Unions of the district and communes).
    ("nongdan_huyen", 12),
    ("lanhdao", 10),
    ("mttq_iadom", 11),
    # And the user's own organizations.
    ("phunu_iadom", 12),
]


@pytest.mark.parametrize("username, queries", HOMES)
def test_home_runs_the_same_queries_at_both_sizes(
    client_for, grown, django_assert_num_queries, username, queries
):
    from portal.tests.queries import page_queries

    page_queries(client_for(getattr(grown, username)), django_assert_num_queries, reverse("home"), queries)
