"""The benchmark's generator and table (timings are measured by `make bench`, not here)."""

import pytest
from django.core.management import CommandError, call_command

from bench.run import format_table
from devdata.testing import login_post
from organizations.models import Organization, Unit, UnitLevel, User


@pytest.mark.django_db
def test_seed_bench_tiny_builds_a_scoped_world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_bench", scale="tiny", verbosity=0)
    communes = Unit.objects.filter(level=UnitLevel.COMMUNE)
    assert communes.count() == 10
    areas = Unit.objects.filter(level=UnitLevel.AREA)
    assert areas.count() == 20
    area = areas.first()
    assert area.path == f"{area.parent.path}{area.pk:010d}/"
    assert Organization.objects.filter(unit=area).count() == 5
    assert set(User.objects.filter(username__startswith="bench.").values_list("username", flat=True)) == {
        "bench.front",
        "bench.leader",
        "bench.farmers",
        "bench.commune",
    }


@pytest.mark.django_db
def test_seed_bench_refuses_a_database_with_data(world):
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_bench", scale="tiny", verbosity=0)


def test_bench_table_judges_each_page_against_the_floor():
    rows = [
        {
            "label": "login page (floor)",
            "median_ms": 10.0,
            "p95_ms": 12.0,
            "queries": 0,
            "target_ratio": None,
        },
        {"label": "home", "median_ms": 40.0, "p95_ms": 60.0, "repeated_ms": 35.0, "queries": 12,
         "target_ratio": 5},
        {"label": "slow report", "median_ms": 200.0, "p95_ms": 300.0, "queries": 8, "target_ratio": 10},
        {"label": "chatty list", "median_ms": 20.0, "p95_ms": 30.0, "queries": 13, "target_ratio": 5},
        # Measured while the machine was busier: its own floor, taken beside it, judges it.
        {"label": "busy moment", "median_ms": 90.0, "p95_ms": 99.0, "queries": 5, "target_ratio": 5,
         "floor_ms": 20.0},
    ]  # fmt: skip
    lines, failures = format_table(rows)
    assert lines[0].split() == [
        "page", "after", "write", "p95", "ms", "repeated", "floor", "ms", "×", "floor", "queries", "result",
    ]  # fmt: skip
    # The request right after a write is judged; the repeated one is shown beside it.
    assert lines[3].split()[1:7] == ["40.0", "60.0", "35.0", "10.0", "4.0", "12"] and "pass" in lines[3]
    assert "FAIL" in lines[4] and "20.0" in lines[4]
    assert "FAIL" in lines[5]  # 13 queries: over the target of 12
    assert lines[6].split()[5:7] == ["20.0", "4.5"] and "pass" in lines[6]
    assert failures == 2


@pytest.mark.django_db
def test_seed_bench_tiny_fills_registrations_households_and_the_fund(settings):
    from django.db.models import Count, Max, Min

    from activities.models import Initiative, OutstandingArea
    from core.text import normalize
    from households.models import (
        FundEntry,
        Household,
        HouseholdStatus,
        Sponsorship,
        Support,
        SupportFunding,
    )
    from programs.models import Program
    from registrations.models import (
        ItemKind,
        Registration,
        RegistrationAction,
        RegistrationItem,
        RegistrationPeriod,
        RegistrationStatus,
    )
    from registrations.services import expected_organizations

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_bench", scale="tiny", verbosity=0)
    program = Program.objects.get()
    assert program.owner_unit.level == UnitLevel.DISTRICT
    assert program.contents.count() == 10
    assert RegistrationPeriod.objects.filter(program=program).count() == 5
    expected = expected_organizations(program).count()
    assert Registration.objects.count() == 5 * expected
    assert set(Registration.objects.values_list("status", flat=True)) == set(RegistrationStatus.values)
    items = RegistrationItem.objects.values("registration").annotate(n=Count("id"))
    assert 8 <= max(row["n"] for row in items) <= 12
    pledges = RegistrationItem.objects.filter(kind=ItemKind.SPONSORSHIP_PLEDGE).aggregate(
        low=Min("households_pledged"), high=Max("households_pledged")
    )
    assert program.min_households_per_branch <= pledges["low"] <= pledges["high"]
    assert pledges["high"] <= program.max_households_per_branch
    # The items were inserted past the services: the loader counts their tallies at the end.
    # Each registration has the history that led to its state, as its page shows it.
    assert not Registration.objects.filter(events=None).exists()
    accepted = Registration.objects.filter(status=RegistrationStatus.ACCEPTED).first()
    assert list(accepted.events.values_list("action", flat=True))[:3] == [
        RegistrationAction.CREATED,
        RegistrationAction.SUBMITTED,
        RegistrationAction.ACCEPTED,
    ]
    returned = Registration.objects.filter(status=RegistrationStatus.RETURNED)
    assert returned and all(
        r.events.filter(action=RegistrationAction.RETURNED, reason=r.return_reason).exists() for r in returned
    )
    from registrations import tallies
    from registrations.tests.test_tallies import independent_recount

    assert tallies.stored() and tallies.stored() == independent_recount()
    assert Initiative.objects.filter(registration_item__isnull=True).count() == 40
    assert all(i.name_normalized == normalize(i.name) for i in Initiative.objects.all())
    # The accepted registrations' new initiatives and outstanding areas, linked to their items.
    created = Initiative.objects.exclude(registration_item=None).select_related(
        "registration_item__registration"
    )
    assert created and all(
        i.registration_item.registration.status == RegistrationStatus.ACCEPTED
        and i.registration_item.initiative_id == i.pk
        and i.organization_id == i.registration_item.registration.organization_id
        for i in created
    )
    areas = OutstandingArea.objects.select_related("registration_item__registration__period")
    assert areas and all(a.registration_item.registration.period.year == a.year for a in areas)
    assert not areas.values("area", "year").annotate(n=Count("id")).filter(n__gt=1)

    assert Household.objects.count() == 200
    assert all(h.name_normalized == normalize(h.head_name) for h in Household.objects.all())
    assert HouseholdStatus.objects.count() == 200 * 5
    assert not HouseholdStatus.objects.values("household", "year").annotate(n=Count("id")).filter(n__gt=1)
    assert Sponsorship.objects.count() > 0
    # The program's rule: no organization takes on more than the maximum in one area and year.
    most = (
        Sponsorship.objects.values("organization", "household__area", "year")
        .annotate(n=Count("id"))
        .aggregate(m=Max("n"))["m"]
    )
    assert most <= program.max_households_per_branch
    assert Support.objects.count() == Sponsorship.objects.count() == SupportFunding.objects.count()
    assert FundEntry.objects.count() == 50
    # New rows get fresh ids after the bulk load (the sequences moved on).
    household = Household.objects.create(area=Household.objects.first().area, head_name="Rơ Mah Blơi")
    assert household.pk > max(Household.objects.exclude(pk=household.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_seed_bench_tiny_leaves_the_officer_a_form_to_edit(settings):
    from registrations.models import Registration, RegistrationStatus
    from registrations.services import edit_lock_reason

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_bench", scale="tiny", verbosity=0)
    officer = User.objects.get(username="bench.commune")
    form = (
        Registration.objects.filter(organization__memberships__user=officer).order_by("-period__year").first()
    )
    assert form.status == RegistrationStatus.RETURNED
    assert edit_lock_reason(form) is None


@pytest.mark.django_db
def test_load_test_officers_each_work_for_a_commune_of_their_own(settings, client):
    from devdata.bench.organizations import BENCH_PASSWORD, commune_officers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_bench", scale="tiny", verbosity=0)
    officers = commune_officers(3)
    assert officers[0].username == "bench.commune"
    communes = [o.memberships.get().organization.unit for o in officers]
    assert len({c.pk for c in communes}) == 3 and {c.level for c in communes} == {UnitLevel.COMMUNE}
    assert [o.pk for o in commune_officers(3)] == [o.pk for o in officers]  # created once
    response = login_post(client, officers[2].username, BENCH_PASSWORD)
    assert response.status_code == 302 and response.wsgi_request.user == officers[2]


@pytest.mark.django_db
def test_every_benchmarked_page_answers_within_the_query_limit(
    settings, client, django_assert_max_num_queries
):
    from bench.run import MAX_QUERIES, _apps_hook

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_bench", scale="tiny", verbosity=0)
    users = {u.username: u for u in User.objects.filter(username__startswith="bench.")}
    pages = _apps_hook("pages", users)
    assert {"fund ledger: Front", "change log: Front", "gap list: Front"} <= {p["label"] for p in pages}
    for page in pages:
        client.force_login(page["user"])
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(page["url"])
        assert response.status_code == 200, page["label"]
