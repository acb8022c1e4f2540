"""The gap list's filters (commune, residential area), its assign button with nothing chosen
in advance, and what an empty list says."""

import re

import pytest
from django.urls import reverse

from devdata.testing import select_options
from households import services
from households.models import Sponsorship
from households.tests.factories import household
from organizations.models import OrgKind

YEAR = 2017


@pytest.fixture
def homes(world):
    return {
        "dom1": household(world.iadom_areas[0], name="Rơ Mah Jin"),
        "dom2": household(world.iadom_areas[1], name="Ksor Blơi"),
        "kla": household(world.iakla_areas[0], name="Siu Thị Kla"),
    }


def _gaps(client, **params):
    return client.get(reverse("households:gaps"), {"year": YEAR, **params}).content.decode()


def test_gap_list_district_filters_by_commune_and_area(client_for, world, homes):
    client = client_for(world.mttq_huyen)
    body = _gaps(client)
    assert all(name in body for name in ("Rơ Mah Jin", "Ksor Blơi", "Siu Thị Kla"))
    assert {"Xã Ia Dom", "Xã Ia Kla"} <= set(select_options(body, "commune"))
    assert "Làng 1 – Xã Ia Dom" in select_options(body, "area")  # each area with its commune
    body = _gaps(client, commune=world.iakla.pk)
    assert "Siu Thị Kla" in body and "Rơ Mah Jin" not in body
    assert '<p id="gap-count" class="fw-bold">1 hộ chưa có tổ chức giúp đỡ' in body
    body = _gaps(client, area=world.iadom_areas[1].pk)
    assert "Ksor Blơi" in body and "Rơ Mah Jin" not in body and "Siu Thị Kla" not in body
    # Filters kept by the pager and the assign form.
    assert f"area={world.iadom_areas[1].pk}" in body


def test_gap_list_commune_officer_is_not_asked_for_the_commune(client_for, world, homes):
    body = _gaps(client_for(world.mttq_iadom))
    assert 'id="id_commune"' not in body and 'id="id_area"' in body
    assert "Siu Thị Kla" not in body


def test_gap_list_district_cannot_filter_outside_its_scope(client_for, world, homes):
    body = _gaps(client_for(world.mttq_iadom), commune=world.iakla.pk)
    assert "Siu Thị Kla" not in body


def test_gap_list_no_organization_is_chosen_in_advance(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    body = _gaps(client)
    select = re.search(rf'<select [^>]*id="org-{homes["dom1"].pk}".*?</select>', body, re.S).group(0)
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select)
    assert options[0] == (' value="" selected', "— Chọn tổ chức —")
    assert all("selected" not in attrs for attrs, _label in options[1:])


def test_gap_assign_without_choosing_changes_nothing(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    back = f"{reverse('households:gaps')}?year={YEAR}&area={world.iadom_areas[0].pk}"
    response = client.post(
        reverse("households:assign", args=[homes["dom1"].pk]),
        {"organization": "", "year": YEAR, "next": back},
        follow=True,
    )
    assert Sponsorship.objects.count() == 0
    body = response.content.decode()
    assert "Hãy chọn tổ chức sẽ đỡ đầu hộ Rơ Mah Jin" in body
    assert response.redirect_chain[-1][0] == back  # back to the list as it was filtered


def test_gap_assign_returns_to_the_filtered_list(client_for, world, homes):
    client = client_for(world.mttq_iadom)
    org = world.org(homes["dom1"].area, OrgKind.FARMERS)
    back = f"{reverse('households:gaps')}?year={YEAR}&q=jin"
    response = client.post(
        reverse("households:assign", args=[homes["dom1"].pk]),
        {"organization": org.pk, "year": YEAR, "next": back},
    )
    assert response.url == back and Sponsorship.objects.count() == 1
    # A "next" elsewhere is not followed.
    response = client.post(
        reverse("households:assign", args=[homes["dom2"].pk]),
        {"organization": "", "year": YEAR, "next": "https://example.com/"},
    )
    assert response.url == f"{reverse('households:gaps')}?year={YEAR}"


def test_gap_list_empty_says_what_was_searched(client_for, world, homes):
    client = client_for(world.mttq_huyen)
    body = _gaps(client, q="Không Ai", commune=world.iadom.pk)
    assert "Không có hộ nào khớp với “Không Ai” ở Xã Ia Dom." in body
    assert "đều đã có tổ chức đỡ đầu" not in body
    body = _gaps(client, q="Không Ai")
    assert "Không có hộ nào khớp với “Không Ai”." in body
    for h in homes.values():
        services.sponsor(
            household=h, organization=world.org(h.area, OrgKind.WOMEN), year=YEAR, by=world.admin
        )
    body = _gaps(client, area=world.iadom_areas[0].pk)
    assert "Danh sách không có hộ nào ở Làng 1, Xã Ia Dom." in body
    body = _gaps(client)
    assert "đều đã có tổ chức đỡ đầu" in body
