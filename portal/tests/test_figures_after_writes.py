"""The first request after a write shows it: the figures are computed from the summaries the
writing services keep, with no page cache between (a form, a bulk update, a bulk insert)."""

import re

from django.urls import reverse

from households import services as household_services
from households.models import Household
from organizations.models import OrgKind, Unit, UnitLevel
from reports.tests.conftest import YEAR, Data


def _areas(client) -> int:
    body = client.get("/").content.decode()
    return int(re.search(r'id="total-areas">([\d.]+)<', body)[1].replace(".", ""))


def _gap(client) -> int:
    body = client.get(f"/dashboard/?year={YEAR}").content.decode()
    return int(re.search(r'data-figure="gap">([\d.]+)<', body)[1].replace(".", ""))


def test_a_form_a_bulk_update_and_a_bulk_insert_each_show_at_once(world, client_for):
    assert _areas(client_for(world.mttq_huyen)) == 4
    client_for(world.mttq_iadom).post(
        reverse("organizations:area_create", args=[world.iadom.pk]), {"name": "Thôn 9", "kind": "thôn"}
    )
    front = client_for(world.mttq_huyen)
    assert _areas(front) == 5
    Unit.objects.filter(name="Thôn 9").update(is_active=False)  # no signal, no save()
    assert _areas(front) == 4
    Unit.objects.bulk_create(
        [Unit(name="Thôn 10", level=UnitLevel.AREA, parent=world.iakla, path=f"{world.iakla.path}x/")]
    )
    assert _areas(front) == 5


def test_the_dashboards_gap_follows_a_sponsorship_at_once(world, client_for):
    Data(world)
    before = _gap(client_for(world.lanhdao))
    household = Household.objects.get(head_name="Hộ Ia Kla 0")  # poor, no sponsor
    area = household.area
    household_services.sponsor(
        household=household, organization=world.org(area, OrgKind.WOMEN), year=YEAR, by=world.mttq_iakla
    )
    assert _gap(client_for(world.lanhdao)) == before - 1


def test_each_user_is_shown_their_own_figures(world, client_for):
    assert _areas(client_for(world.mttq_huyen)) == 4
    assert _areas(client_for(world.mttq_iadom)) == 2
    assert _areas(client_for(world.mttq_huyen)) == 4
