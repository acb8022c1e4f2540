"""The period list asks the database once whether the user may open a period, however many
programs the user sees: it used to read them all and ask of each whether the user manages
it. Counted with 0, 10 and 40 commune programs, each with its period on the list."""

import datetime

import pytest
from django.urls import reverse

from devdata.programs import make_program
from organizations.models import Unit, UnitLevel
from portal.tests.queries import page_queries
from programs.models import Program
from registrations.models import RegistrationPeriod

DAY = datetime.date(2017, 6, 1)


def _program_with_period(parent, commune: Unit) -> Program:
    program = Program.objects.create(
        campaign=parent.campaign,
        owner_unit=commune,
        parent=parent,
        title=f"Chương trình phối hợp {commune.name}",
        start_year=2017,
        end_year=2021,
    )
    RegistrationPeriod.objects.create(
        program=program, year=2017, opens_on=DAY, registration_deadline=DAY, results_deadline=DAY
    )
    return program


# (user, queries, may open a period). Every page first reads the session, the user and the
# user's memberships (3); then whether a program the user may manage exists, for a user
# with a Front scope that keeps records; then the periods with their counts.
USERS = [
    ("mttq_huyen", 5, True),
    ("mttq_iadom", 5, True),
    ("phunu_iadom", 4, False),
]


@pytest.mark.parametrize("communes", [0, 10, 40])
@pytest.mark.parametrize(("username", "queries", "may_open"), USERS)
def test_period_list_runs_the_same_queries_whatever_the_number_of_programs(
    client_for, world, django_assert_num_queries, communes, username, queries, may_open
):
    district_program = make_program(world)
    RegistrationPeriod.objects.create(
        program=district_program, year=2017, opens_on=DAY, registration_deadline=DAY, results_deadline=DAY
    )
    _program_with_period(district_program, world.iadom)
    for n in range(communes):
        commune = Unit.objects.create(name=f"Xã Thêm {n}", level=UnitLevel.COMMUNE, parent=world.district)
        _program_with_period(district_program, commune)
    client = client_for(getattr(world, username))
    response = page_queries(client, django_assert_num_queries, reverse("registrations:period_list"), queries)
    assert response.context["can_open"] == may_open
    # The district's Front sees every commune's period; a commune sees its own and the district's.
    assert len(response.context["periods"]) == (2 + communes if username == "mttq_huyen" else 2)
