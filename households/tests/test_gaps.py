"""The gap summary (households/gaps.py) never drifts from the raw records.

After each kind of write a service does, the stored summary equals a recount done here in
plain Python over the raw tables, and the gap count read from it equals the gap list's
length; a write that fails leaves it as it was."""

from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from households import gaps, imports, selectors, services
from households.models import GapCommuneSummary, GapSummary, Household, HouseholdStatus, Sponsorship, Status
from households.tests.factories import SAMPLE, review_list, row
from organizations.models import OrgKind, Role, Unit, UnitLevel

YEAR = 2017


def independent_recount() -> dict:
    """Figures per (area, year) counted record by record, without the ORM's aggregates."""
    figures = defaultdict(lambda: dict.fromkeys(gaps.FIGURES, 0))
    households = {h.pk: h for h in Household.objects.all()}
    statuses = {(s.household_id, s.year): s.status for s in HouseholdStatus.objects.all()}
    sponsored = {(s.household_id, s.year) for s in Sponsorship.objects.all()}
    for h in households.values():
        figures[(h.area_id, 0)]["households"] += 1
    for key, status in statuses.items():
        household_id, year = key
        h, has_sponsor = households[household_id], key in sponsored
        row = figures[(h.area_id, year)]
        in_gap = status == Status.POOR or (status == Status.NEAR_POOR and h.is_policy)
        row["reviewed"] += 1
        row["poor"] += status == Status.POOR
        row["poor_sponsored"] += status == Status.POOR and has_sponsor
        row["near_poor"] += status == Status.NEAR_POOR
        row["near_poor_sponsored"] += status == Status.NEAR_POOR and has_sponsor
        row["escaped"] += status == Status.ESCAPED
        row["escaped_near"] += status == Status.ESCAPED_NEAR
        row["policy_needy"] += h.is_policy and status in (Status.POOR, Status.NEAR_POOR)
        row["gap_households"] += in_gap
        row["gap"] += in_gap and not has_sponsor
        row["near_poor_unsponsored"] += status == Status.NEAR_POOR and not h.is_policy and not has_sponsor
    # The communes' rows: their areas' rows added up.
    communes = defaultdict(lambda: dict.fromkeys(gaps.FIGURES, 0))
    commune_of = dict(Unit.objects.values_list("pk", "parent_id"))
    for (area, year), row in figures.items():
        for name, value in row.items():
            communes[(commune_of[area], year)][name] += value
    return {key: dict(row) for key, row in (figures | communes).items() if any(row.values())}


def assert_no_drift(world, years=(YEAR - 1, YEAR, YEAR + 1, 2030)):
    assert gaps.stored() == independent_recount()
    branch = world.users.get("phunu.lang1") or world.add_member(
        "phunu.lang1", world.iadom_areas[0], OrgKind.WOMEN, Role.VIEWER
    )
    for user in (
        world.mttq_huyen,
        world.mttq_iadom,
        world.mttq_iakla,
        world.phunu_iadom,
        world.lanhdao,
        branch,
    ):
        for year in years:
            assert selectors.gap_count(user, year=year) == selectors.gap_households(user, year=year).count()
        latest = gaps.latest_review_year(user) or 2000
        assert gaps.latest_gap(user, default_year=2000) == (latest, selectors.gap_count(user, year=latest))
        for show in selectors.GAP_LISTS:
            assert selectors.gap_count(user, year=YEAR, show=show) == (
                selectors.gap_households(user, year=YEAR, show=show).count()
            ), show


@pytest.fixture
def iadom(world):
    """Ia Dom with the four areas of the sample list."""
    for name in ("Làng 2", "Thôn 4"):
        Unit.objects.create(name=name, level=UnitLevel.AREA, parent=world.iadom)
    return world.iadom


def create(world, area, name, *, policy=False):
    return services.create_household(area=area, by=world.mttq_iadom, head_name=name, is_policy=policy)


def test_gaps_follow_every_kind_of_write(world, iadom):
    area, other = world.iadom_areas
    officer = world.mttq_iadom
    poor = create(world, area, "Rơ Mah Jin")
    policy = create(world, area, "Ksor Blối", policy=True)
    near = create(world, other, "Siu H'Hen")
    assert_no_drift(world)

    # Status changes, including from needy to escaped.
    services.set_status(household=poor, year=YEAR, status=Status.POOR, by=officer)
    services.set_status(household=near, year=YEAR, status=Status.NEAR_POOR, by=officer)
    services.set_status(household=policy, year=YEAR, status=Status.AVERAGE, by=officer)
    services.set_status(household=poor, year=YEAR + 1, status=Status.ESCAPED, by=officer)
    assert_no_drift(world)
    # The poor household; not the near-poor one (no policy household), nor the policy one
    # of average living standard.
    assert selectors.gap_count(officer, year=YEAR) == 1

    # Sponsorships: a needy household, a policy household, a second sponsor.
    women = world.org(area, OrgKind.WOMEN)
    services.sponsor(household=poor, organization=women, year=YEAR, by=officer)
    services.sponsor(household=policy, organization=women, year=YEAR, by=officer)
    services.sponsor(
        household=poor,
        organization=world.org(world.iadom, OrgKind.FARMERS),
        year=YEAR,
        by=officer,
        note="Hai",
    )
    assert_no_drift(world)
    assert selectors.gap_count(officer, year=YEAR) == 0

    # Household edits: the policy flag both ways, a move to another area and commune.
    fields = {"head_name": near.head_name}
    near = services.update_household(
        household=near, version=near.version, by=officer, is_policy=True, **fields
    )
    assert_no_drift(world)
    policy = services.update_household(
        household=policy, version=policy.version, by=officer, is_policy=False, head_name=policy.head_name
    )
    assert_no_drift(world)
    poor = services.update_household(
        household=poor,
        version=poor.version,
        by=world.mttq_huyen,
        area=world.iakla_areas[0],
        head_name=poor.head_name,
    )
    near = services.update_household(household=near, version=near.version, by=officer, area=area, **fields)
    assert_no_drift(world)

    # The review-list import: new households, changed statuses and policy flags.
    imports.apply_plan(content=open(SAMPLE, "rb").read(), commune=iadom, year=YEAR, by=officer)
    assert_no_drift(world)
    content = review_list(
        [
            row(1, "Ksor Blối", area="Làng 1", status="Hộ cận nghèo", policy="x"),
            row(2, "Hộ Mới", area="Thôn 3", status="Hộ nghèo", policy="x"),
        ]
    )
    Household.objects.filter(pk=policy.pk).update(birth_year=1980)
    imports.apply_plan(content=content, commune=iadom, year=YEAR + 1, by=officer)
    assert_no_drift(world)
    assert GapSummary.objects.filter(year=YEAR + 1).exists()


def test_gaps_unchanged_when_a_write_fails(world, monkeypatch):
    area = world.iadom_areas[0]
    officer = world.mttq_iadom
    h = create(world, area, "Rơ Mah Jin")
    services.set_status(household=h, year=YEAR, status=Status.POOR, by=officer)
    women = world.org(area, OrgKind.WOMEN)
    services.sponsor(household=h, organization=women, year=YEAR, by=officer)
    before = gaps.stored()

    # Refused by the service's own checks.
    with pytest.raises(ValidationError):
        services.sponsor(household=h, organization=women, year=YEAR, by=officer)
    with pytest.raises(ValidationError):
        services.set_status(household=h, year=YEAR, status="rich", by=officer)
    # Failing after the summary was rewritten: the whole write rolls back, summary included.
    real_write = gaps._write

    def write_then_fail(*args, **kwargs):
        real_write(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(gaps, "_write", write_then_fail)
    with pytest.raises(RuntimeError):
        services.set_status(household=h, year=YEAR, status=Status.ESCAPED, by=officer)
    with pytest.raises(RuntimeError):
        services.create_household(area=area, by=officer, head_name="Hộ chính sách", is_policy=True)
    monkeypatch.undo()
    assert gaps.stored() == before == independent_recount()
    assert HouseholdStatus.objects.get(household=h, year=YEAR).status == Status.POOR
    # An import with errors writes nothing.
    bad = review_list([row(1, "Hộ Lỗi", area="Làng 1", status="Không rõ")])
    with pytest.raises(ValidationError):
        imports.apply_plan(content=bad, commune=world.iadom, year=YEAR, by=officer)
    assert gaps.stored() == before


def test_gaps_rebuild_command_repairs_drift(world):
    area = world.iadom_areas[0]
    h = create(world, area, "Rơ Mah Jin", policy=True)
    services.set_status(household=h, year=YEAR, status=Status.POOR, by=world.mttq_iadom)
    # A write that bypassed the services.
    HouseholdStatus.objects.filter(household=h).update(status=Status.ESCAPED)
    Household.objects.filter(pk=h.pk).update(is_policy=False)
    with pytest.raises(SystemExit):
        call_command("rebuild_summaries", "--check")
    call_command("rebuild_summaries")
    assert gaps.stored() == independent_recount()
    call_command("rebuild_summaries", "--check")
    # A commune's rows that no longer add up to its areas' rows.
    GapCommuneSummary.objects.filter(commune=world.iadom).update(poor=99)
    with pytest.raises(SystemExit):
        call_command("rebuild_summaries", "--check")
    call_command("rebuild_summaries")
    assert gaps.stored() == independent_recount()


def test_gaps_loaders_fill_the_summary(world):
    from devdata.demo import households as demo

    with transaction.atomic():
        demo.load({"district": world.district, "program": None})
    assert Household.objects.exists()
    assert gaps.stored() == independent_recount()


@pytest.mark.parametrize("extra", [0, 30])
def test_gaps_queries_bounded(world, extra, django_assert_max_num_queries):
    area = world.iadom_areas[0]
    officer = world.mttq_iadom
    for i in range(extra):
        h = create(world, world.iadom_areas[i % 2], f"Hộ {i}", policy=i % 3 == 0)
        services.set_status(household=h, year=YEAR, status=Status.POOR, by=officer)
    h = create(world, area, "Rơ Mah Jin")
    with django_assert_max_num_queries(2):  # the user's scopes, then one SUM
        selectors.gap_count(world.mttq_huyen, year=YEAR)
    # Each summary's commune rows add a fixed few: the gap summary's 5 (the communes, their
    # rows made and locked, added up, written), the aid summary's 4. A status also recounts
    # the aid summary of the year before (its sponsorships' outcome) and reads the standard.
    with django_assert_max_num_queries(28):
        services.set_status(household=h, year=YEAR, status=Status.POOR, by=officer)
    with django_assert_max_num_queries(34):
        services.sponsor(household=h, organization=world.org(area, OrgKind.WOMEN), year=YEAR, by=officer)
