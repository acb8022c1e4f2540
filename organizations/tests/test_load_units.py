import pytest
from django.core.management import CommandError, call_command

from organizations.models import Organization, OrgKind, Unit, UnitLevel


@pytest.mark.django_db
def test_load_units_district_with_its_communes_and_organizations():
    call_command("load_units", "631", verbosity=0)
    district = Unit.objects.get(level=UnitLevel.DISTRICT, official_code=631)
    assert district.name == "Huyện Đức Cơ"
    assert district.parent.official_code == 64
    communes = Unit.objects.filter(parent=district)
    assert communes.count() == 10
    assert communes.get(official_code=23857).name == "Thị trấn Chư Ty"
    assert communes.get(official_code=23857).kind == "thị trấn"
    assert Organization.objects.filter(unit=district).count() == 6
    assert Organization.objects.get(unit__official_code=23872, kind=OrgKind.FRONT).name == (
        "Ủy ban MTTQ Việt Nam xã Ia Dom"
    )


@pytest.mark.django_db
def test_load_units_twice_creates_no_duplicates(capsys):
    call_command("load_units", "631")
    units, orgs = Unit.objects.count(), Organization.objects.count()
    call_command("load_units", "631")
    assert (Unit.objects.count(), Organization.objects.count()) == (units, orgs)
    assert "0 units created" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_units_whole_province():
    call_command("load_units", "64", verbosity=0)
    assert Unit.objects.filter(level=UnitLevel.DISTRICT).count() == 17
    assert Unit.objects.filter(level=UnitLevel.COMMUNE).count() == 218


@pytest.mark.django_db
def test_load_units_unknown_code_is_refused():
    with pytest.raises(CommandError, match="99999"):
        call_command("load_units", "99999")
    assert not Unit.objects.exists()
