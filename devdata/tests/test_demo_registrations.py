import io

from django.core.management import call_command

from registrations.models import (
    Registration,
    RegistrationEvent,
    RegistrationItem,
    RegistrationPeriod,
    RegistrationStatus,
    ResultsStatus,
)


def _counts():
    return [
        m.objects.count() for m in (RegistrationPeriod, Registration, RegistrationItem, RegistrationEvent)
    ]


def test_demo_registrations_in_every_state_and_idempotent(demo):
    first = _counts()
    assert sorted(RegistrationPeriod.objects.values_list("year", flat=True)) == [2017, 2018, 2019, 2020, 2021]
    assert set(Registration.objects.values_list("status", flat=True)) == set(RegistrationStatus.values)
    assert set(Registration.objects.values_list("results_status", flat=True)) == set(ResultsStatus.values)
    assert Registration.objects.filter(is_late=True).exists()
    journey = Registration.objects.get(
        period__year=2021, organization__unit__name="Xã Ia Dom", organization__kind="women"
    )
    assert journey.status == RegistrationStatus.DRAFT and not journey.items.exists()
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    assert _counts() == first
