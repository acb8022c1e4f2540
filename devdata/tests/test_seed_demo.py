import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from devdata import snapshot
from households.models import PovertyStandard
from organizations.models import Membership, Organization, Unit, UnitLevel, User


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"organizations", "programs", "activities", "households", "registrations", "reports"}
    }


@pytest.mark.django_db
def test_seed_demo_loads_duc_co_and_accounts(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", verbosity=0)
    district = Unit.objects.get(level=UnitLevel.DISTRICT, official_code=631)
    communes = Unit.objects.filter(parent=district)
    assert communes.count() == 10
    for commune in communes:
        assert 4 <= commune.children.count() <= 8
    assert [a.name for a in Unit.objects.get(official_code=23872).children.order_by("name")] == [
        "Làng 1",
        "Làng 2",
        "Thôn 3",
        "Thôn 4",
    ]
    assert Organization.objects.filter(unit=district).count() == 6
    for username in [
        "admin",
        "mttq.huyen",
        "nongdan.huyen",
        "mttq.iadom",
        "phunu.iadom",
        "mttq.iakla",
        "lanhdao",
    ]:
        assert User.objects.get(username=username).check_password("DucCo@2017")
    assert Membership.objects.get(user__username="lanhdao").role == "viewer"


def test_seed_demo_twice_changes_nothing(demo):
    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before


def test_seed_demo_put_back_from_memory_is_the_demo_row_for_row(demo, demo_rows):
    # What the tests' ``demo`` fixture restores is exactly what seed_demo wrote.
    assert snapshot.take() == demo_rows
    assert User.objects.get(username="mttq.iadom").check_password("DucCo@2017")


def test_seed_demo_migrated_put_back_from_memory_leaves_no_demo_row(demo, migrated_rows):
    snapshot.restore(migrated_rows)
    assert not Unit.objects.exists() and not User.objects.exists()
    assert PovertyStandard.objects.exists()  # the migrations' reference data stays


@pytest.mark.django_db
def test_seed_demo_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    assert not Unit.objects.exists()
