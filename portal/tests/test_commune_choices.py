"""A province's commune choices, grouped by district (core.forms.commune_choices)."""

import re

import pytest
from django.urls import reverse

from organizations.models import OrgKind, Role, Unit, UnitLevel


@pytest.fixture
def province_front(world):
    # Two communes of the same name in two districts, as Gia Lai's two "Xã Ia O".
    other = Unit.objects.create(name="Huyện Chư Prông", level=UnitLevel.DISTRICT, parent=world.province)
    Unit.objects.create(name="Xã Ia O", level=UnitLevel.COMMUNE, parent=other)
    Unit.objects.create(name="Xã Ia O", level=UnitLevel.COMMUNE, parent=world.district)
    return world.add_member("mttq.tinh", world.province, OrgKind.FRONT, Role.REVIEWER)


def _groups(body: str) -> dict[str, list[str]]:
    """The commune filter's option groups as the page draws them: district → communes."""
    select = re.search(r'<select name="commune".*?</select>', body, re.S).group(0)
    return {
        label: re.findall(r"<option[^>]*>([^<]*)</option>", options)
        for label, options in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    }


@pytest.mark.parametrize(
    "url",
    [
        "households:list",
        "households:import",
        "activities:initiative_list",
        "activities:outstanding_list",
        "reports:dashboard",
        "reports:report",
    ],
)
def test_a_provinces_commune_filters_group_the_communes_by_district(client_for, world, province_front, url):
    body = client_for(province_front).get(reverse(url)).content.decode()
    assert _groups(body) == {
        "Huyện Chư Prông": ["Xã Ia O"],
        "Huyện Đức Cơ": ["Xã Ia Dom", "Xã Ia Kla", "Xã Ia O"],
    }


def test_a_districts_commune_filter_lists_its_communes_without_groups(client_for, world, province_front):
    body = client_for(world.mttq_huyen).get(reverse("households:list")).content.decode()
    assert _groups(body) == {} and "Xã Ia Kla</option>" in body
