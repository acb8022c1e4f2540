"""The tracking view of a wide scope shows the level below in figures, each unit a click away."""

import pytest
from django.urls import reverse

from organizations.models import Membership, OrgKind, Role
from registrations.models import Registration


@pytest.fixture
def mttq_tinh(world):
    """A reviewer of the province Front: registrations lie two levels below its unit."""
    user = world.add_user("mttq.tinh")
    Membership.objects.create(
        user=user, organization=world.org(world.province, OrgKind.FRONT), role=Role.REVIEWER
    )
    return user


def _url(registration):
    return reverse("registrations:period_detail", args=[registration.period_id])


def test_tracking_province_shows_districts_in_figures(client_for, world, submitted, mttq_tinh):
    response = client_for(mttq_tinh).get(_url(submitted))
    assert response.status_code == 200
    below = response.context["below"]
    assert [(b.unit.name, b.expected, b.received, b.accepted, b.late, b.missing) for b in below] == [
        ("Huyện Đức Cơ", 17, 1, 0, 0, 16)
    ]
    assert response.context["rows"] == []  # the province's own organizations expect nothing here
    assert response.context["summary"].expected == 17
    html = response.content.decode()
    assert f'?unit={world.district.pk}"' in html and 'id="tracking-below"' in html
    # Every organization of the province itself has submitted, but the district's have not:
    # "still missing" says so and leads to them, instead of "every organization has submitted".
    missing = html[html.index('id="missing-heading"') :]
    assert "Mọi tổ chức phải nộp đều đã nộp" not in missing
    assert (
        f'href="?unit={world.district.pk}&amp;timeliness=missing"><strong>Huyện Đức Cơ</strong></a>: 16 tổ chức chưa nộp'
        in missing
    )

    def unit_filter(response):
        return {label for value, label in response.context["filter_form"].fields["commune"].choices if value}

    # The unit filter lists the part shown: the districts here, a district's communes there.
    assert world.district.name in unit_filter(response) and world.iadom.name not in unit_filter(response)
    opened = client_for(mttq_tinh).get(_url(submitted), {"unit": world.district.pk})
    assert {world.iadom.name, world.iakla.name} <= unit_filter(opened)

    # One click: the district's organizations, with the bulk accept and the links to the forms.
    response = client_for(mttq_tinh).get(_url(submitted), {"unit": world.district.pk})
    assert response.context["below"] == []
    assert len(response.context["rows"]) == 17
    html = response.content.decode()
    assert f'data-registration="{submitted.pk}"' in html
    assert reverse("registrations:registration_detail", args=[submitted.pk]) in html
    assert f'name="registration" value="{submitted.pk}"' in html
    assert 'id="tracking-trail"' in html and 'name="unit"' in html


def test_tracking_drill_down_keeps_filters_and_accepts(client_for, world, submitted, mttq_tinh):
    client = client_for(mttq_tinh)
    response = client.get(_url(submitted), {"status": "submitted"})
    assert [b.expected for b in response.context["below"]] == [1]
    assert f'?unit={world.district.pk}&amp;status=submitted"' in response.content.decode()
    response = client.get(_url(submitted), {"unit": world.iadom.pk, "status": "submitted"})
    assert [r.pk for r in response.context["rows"]] == [submitted.pk]
    missing = client.get(_url(submitted), {"unit": world.iakla.pk, "timeliness": "missing"})
    assert len(missing.context["rows"]) == 6 and [u.name for u, _o in missing.context["missing"]] == [
        "Xã Ia Kla"
    ]
    client.post(
        reverse("registrations:period_accept", args=[submitted.period_id]),
        {"registration": [submitted.pk], "confirm": "1"},
    )
    assert Registration.objects.get(pk=submitted.pk).status == "accepted"


def test_tracking_district_still_lists_every_organization(client_for, world, submitted):
    response = client_for(world.mttq_huyen).get(_url(submitted))
    assert response.context["below"] == [] and len(response.context["rows"]) == 17


@pytest.mark.parametrize(
    ("username", "unit"),
    [("mttq.huyen", "province"), ("mttq.iadom", "iakla"), ("phunu.iadom", "district"), ("mttq.huyen", "abc")],
)
def test_tracking_unit_out_of_scope_is_404(client_for, world, submitted, username, unit):
    pk = getattr(world, unit).pk if hasattr(world, unit) else unit
    response = client_for(world.users[username]).get(_url(submitted), {"unit": pk})
    assert response.status_code == 404


def test_tracking_commune_officer_drills_into_own_commune(client_for, world, submitted):
    response = client_for(world.phunu_iadom).get(_url(submitted), {"unit": world.iadom.pk})
    assert [r.pk for r in response.context["rows"]] == [submitted.pk]


def test_tracking_expected_form_offers_the_part_shown(world, submitted):
    """The province's view (districts in figures) offers the organizations of the province and
    the districts; a district opened offers its communes' too. Any of them is accepted."""
    from registrations.forms import ExpectedForm

    period = submitted.period
    farmers_district = world.org(world.district, OrgKind.FARMERS)
    women_area = world.org(world.iakla_areas[0], OrgKind.WOMEN)
    Registration.objects.filter(period=period, organization__in=[farmers_district, women_area]).delete()

    def offered(**kwargs):
        form = ExpectedForm(period=period, user=world.admin, **kwargs)
        return {value for value, _label in form.fields["organization"].choices if value}

    province = offered(shown=world.province, shallow=True)
    assert farmers_district.pk in province and women_area.pk not in province
    district = offered(shown=world.district)
    assert {farmers_district.pk, women_area.pk} <= district
    form = ExpectedForm({"organization": women_area.pk, "reason": "Bổ sung"}, period=period, user=world.admin)
    assert form.is_valid()
