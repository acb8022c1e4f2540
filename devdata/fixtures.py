"""Pytest fixtures of the program and its 2017 registrations, shared by every app's tests
(loaded by the root conftest.py)."""

import pytest

from devdata.programs import make_program
from devdata.registrations import full_items, open_year
from registrations import services


@pytest.fixture
def program(world):
    return make_program(world)


@pytest.fixture
def period(world, program):
    return open_year(world, program, 2017)


@pytest.fixture
def women_iadom(world, period):
    """The 2017 registration of the Women's Union of Ia Dom (phunu.iadom edits it)."""
    from organizations.models import OrgKind
    from registrations.models import Registration

    return Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.WOMEN))


@pytest.fixture
def women_iakla(world, period):
    from organizations.models import OrgKind
    from registrations.models import Registration

    return Registration.objects.get(period=period, organization=world.org(world.iakla, OrgKind.WOMEN))


@pytest.fixture
def submitted(world, program, women_iadom):
    services.save_items(
        registration=women_iadom,
        items=full_items(world, program, women_iadom),
        version=women_iadom.version,
        by=world.phunu_iadom,
    )
    women_iadom.refresh_from_db()
    return services.submit(registration=women_iadom, by=world.phunu_iadom)


@pytest.fixture
def accepted(world, submitted):
    return services.accept(registration=submitted, by=world.mttq_huyen)
