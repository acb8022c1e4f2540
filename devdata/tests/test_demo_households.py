from django.core.management import call_command

from households.models import FundEntry, Household, HouseholdStatus, Sponsorship, Status, Support
from households.selectors import fund_years
from organizations.models import Unit, UnitLevel


def _counts():
    return [m.objects.count() for m in (Household, HouseholdStatus, Sponsorship, Support, FundEntry)]


def test_demo_follows_the_trend_and_idempotent(demo):
    poor = {y: HouseholdStatus.objects.filter(year=y, status=Status.POOR).count() for y in range(2016, 2022)}
    assert 2800 <= poor[2016] <= 3200
    assert 1100 <= poor[2020] <= 1300
    assert all(poor[y] > poor[y + 1] for y in range(2016, 2021))
    assert Sponsorship.objects.exists() and Support.objects.exists()
    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before


def test_demo_fund_balances_never_negative(demo):
    for unit in Unit.objects.filter(level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE]):
        for year in fund_years(unit):
            assert year["closing"] >= 0


def test_demo_sponsorships_respect_program_rule(demo):
    from django.db.models import Count

    from programs.models import Program

    high = Program.objects.get(parent__isnull=True).max_households_per_branch
    worst = (
        Sponsorship.objects.values("organization", "household__area", "year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert worst["n"] <= high


def test_demo_pledges_name_households_of_their_area(demo):
    from registrations.models import ItemKind, RegistrationItem

    pledges = RegistrationItem.objects.filter(kind=ItemKind.SPONSORSHIP_PLEDGE).prefetch_related("households")
    named = [p for p in pledges if p.households.all()]
    assert named
    assert all(len(p.households.all()) <= p.households_pledged for p in named)
    assert all(h.area_id == p.area_id for p in named for h in p.households.all())
