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
    assert reverse("account_list") in body  # reviewers manage accounts


def test_home_commune_officer_sees_only_their_commune(client_for, world):
    body = _home(client_for, world.mttq_iadom)
    assert "Xã Ia Dom" in body and "Làng 1" in body
    assert "Xã Ia Kla" not in body
    assert reverse("account_list") not in body


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
    assert reverse("account_list") not in body


def test_home_district_organization_sees_its_organization_at_each_level(client_for, world):
    body = _home(client_for, world.nongdan_huyen)
    assert "Hội Nông dân xã Ia Dom" in body and "Hội Nông dân xã Ia Kla" in body
    assert "Hội Liên hiệp Phụ nữ" not in body


@pytest.mark.parametrize("extra_communes", [0, 8])
def test_home_query_count_does_not_grow(client_for, world, django_assert_max_num_queries, extra_communes):
    for i in range(extra_communes):
        commune = Unit.objects.create(name=f"Xã {i}", level=UnitLevel.COMMUNE, parent=world.district)
        ensure_organizations(commune)
        Unit.objects.create(name="Thôn 1", level=UnitLevel.AREA, parent=commune)
    for user in (world.mttq_huyen, world.nongdan_huyen, world.lanhdao):
        client = client_for(user)
        with django_assert_max_num_queries(20):
            client.get(reverse("home"))


def test_home_years_and_codes_are_not_grouped_like_amounts(client_for, world):
    from campaigns.models import Campaign, Program

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
