"""The aid summary (households/aid.py) never drifts from the raw records.

After each kind of write a service does, the stored summary equals a recount done here in
plain Python over the raw tables; report (c) read from it shows what the records say, to
each user as far as they may see; a write that fails leaves it as it was."""

import datetime
from collections import defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from households import aid, services
from households.models import (
    AidCommuneSummary,
    AidSummary,
    EntryKind,
    FundEntry,
    Household,
    HouseholdStatus,
    Sponsorship,
    Status,
    Support,
    SupportFunding,
)
from organizations.models import OrgKind, Role
from reports import selectors as report_selectors
from reports.labels import labels

YEAR = 2017


def independent_recount() -> dict:
    """Figures per (area, year, figure, key) and per (commune, year, figure, key), record by
    record, without the ORM's aggregates."""
    figures = defaultdict(lambda: {"count": 0, "escaped": 0, "value": 0})
    households = {h.pk: h for h in Household.objects.select_related("area")}
    statuses = {(s.household_id, s.year): s.status for s in HouseholdStatus.objects.all()}

    def rows(household_id, *key):
        area = households[household_id].area
        return figures[(area.pk, *key)], figures[(area.parent_id, *key)]

    for s in Sponsorship.objects.select_related("organization"):
        for row in rows(s.household_id, s.year, "sponsorships", s.organization.kind):
            row["count"] += 1
            # Escaped when the next year's review no longer finds the household poor or near-poor.
            row["escaped"] += statuses.get((s.household_id, s.year + 1)) in (
                Status.ESCAPED, Status.ESCAPED_NEAR, Status.AVERAGE,
            )  # fmt: skip
    supports = {s.pk: s for s in Support.objects.all()}
    for s in supports.values():
        for row in rows(s.household_id, s.date.year, "supports", s.kind):
            row["count"] += 1
            row["value"] += s.value
    # What the fund paid is what the ledgers spent on the supports, reversed entries left out.
    for f in SupportFunding.objects.exclude(source="fund"):
        s = supports[f.support_id]
        for row in rows(s.household_id, s.date.year, "funding", f.source):
            row["count"] += 1
            row["value"] += f.amount
    for e in FundEntry.objects.filter(support__isnull=False, confirmed=True, reversed_by=None):
        s = supports[e.support_id]
        for row in rows(s.household_id, s.date.year, "funding", "fund"):
            row["count"] += 1
            row["value"] += e.amount
    return {key: dict(row) for key, row in figures.items()}


def create(world, area, name):
    return services.create_household(area=area, by=world.mttq_iadom, head_name=name)


def fund_receipt(world):
    """Money in Ia Dom's fund for the supports paid from it."""
    services.record_fund_entry(
        unit=world.iadom,
        kind=EntryKind.RECEIPT,
        date=datetime.date(YEAR, 1, 2),
        amount=10_000_000,
        donor="Nhân dân trong xã",
        by=world.mttq_iadom,
    )


@pytest.fixture
def sponsored(world):
    """Two needy households of Ia Dom's first area, sponsored by the Women's branch and the
    commune's Farmers' Union, each with a support paid from two sources."""
    area = world.iadom_areas[0]
    officer = world.mttq_iadom
    fund_receipt(world)
    households = [create(world, area, "Rơ Mah Jin"), create(world, area, "Siu H'Hen")]
    sponsorships = []
    for h, org in zip(
        households, [world.org(area, OrgKind.WOMEN), world.org(world.iadom, OrgKind.FARMERS)], strict=True
    ):
        services.set_status(household=h, year=YEAR, status=Status.POOR, by=officer)
        sponsorships.append(services.sponsor(household=h, organization=org, year=YEAR, by=officer))
        services.record_support(
            household=h,
            date=datetime.date(YEAR, 6, 1),
            kind="seedlings",
            value=5_000_000,
            fundings={"fund": 3_000_000, "family": 2_000_000},
            sponsorship=sponsorships[-1],
            by=officer,
        )
    return households, sponsorships


def test_aid_follows_every_kind_of_write(world, sponsored):
    households, sponsorships = sponsored
    officer = world.mttq_iadom
    assert aid.stored() == independent_recount()
    assert aid.stored()[(world.iadom_areas[0].pk, YEAR, "funding", "fund")] == {
        "count": 2,
        "escaped": 0,
        "value": 6_000_000,
    }

    # The next year's review finds the first household out of poverty: its sponsorship escaped.
    services.set_status(household=households[0], year=YEAR + 1, status=Status.ESCAPED, by=officer)
    assert aid.stored() == independent_recount()
    assert aid.stored()[(world.iadom_areas[0].pk, YEAR, "sponsorships", OrgKind.WOMEN)]["escaped"] == 1
    services.record_support(
        household=households[1], date=datetime.date(YEAR + 1, 1, 5), kind="cash", value=1_000_000, by=officer
    )
    assert aid.stored() == independent_recount()

    # A household moved to another commune takes its sponsorships and supports along.
    moved = services.update_household(
        household=households[1],
        version=Household.objects.get(pk=households[1].pk).version,
        by=world.mttq_huyen,
        area=world.iakla_areas[0],
        head_name=households[1].head_name,
    )
    assert aid.stored() == independent_recount()
    assert (world.iakla_areas[0].pk, YEAR + 1, "supports", "cash") in aid.stored()
    assert moved.area == world.iakla_areas[0]


def test_aid_unchanged_when_a_write_fails(world, sponsored, monkeypatch):
    households, sponsorships = sponsored
    officer = world.mttq_iadom
    before = aid.stored()
    # Refused by the service's own checks.
    with pytest.raises(ValidationError):
        services.record_support(
            household=households[0],
            date=datetime.date(YEAR, 7, 1),
            kind="cash",
            value=1_000_000,
            fundings={"fund": 400_000},
            by=officer,
        )
    # Failing after the summary was rewritten: the whole write rolls back, summary included.
    real_rows = aid._rows

    def rows_then_fail(*args, **kwargs):
        rows = real_rows(*args, **kwargs)
        AidSummary.objects.bulk_create(rows)
        raise RuntimeError("disk full")

    monkeypatch.setattr(aid, "_rows", rows_then_fail)
    with pytest.raises(RuntimeError):
        services.set_status(household=households[1], year=YEAR + 1, status=Status.ESCAPED, by=officer)
    monkeypatch.undo()
    assert aid.stored() == before == independent_recount()
    assert not HouseholdStatus.objects.filter(household=households[1], year=YEAR + 1).exists()


def test_aid_rebuild_command_repairs_drift(world, sponsored):
    households, _ = sponsored
    # Writes that bypassed the services.
    Support.objects.filter(household=households[0]).update(value=7_000_000)
    HouseholdStatus.objects.create(household=households[1], year=YEAR + 1, status=Status.ESCAPED)
    with pytest.raises(SystemExit):
        call_command("rebuild_summaries", "--check")
    call_command("rebuild_summaries")
    assert aid.stored() == independent_recount()
    call_command("rebuild_summaries", "--check")
    # A commune's rows that no longer add up to its areas' rows.
    AidCommuneSummary.objects.filter(commune=world.iadom).update(count=99)
    with pytest.raises(SystemExit):
        call_command("rebuild_summaries", "--check")
    call_command("rebuild_summaries")
    assert aid.stored() == independent_recount()


def test_aid_loaders_fill_the_summary(world):
    from devdata.demo import households as demo

    with transaction.atomic():
        demo.load({"district": world.district, "program": None})
    assert Support.objects.exists()
    assert aid.stored() == independent_recount()


def _report_c(user, kind=""):
    program = report_selectors.default_program(user)
    f = report_selectors.Filters(program=program, years=[YEAR, YEAR + 1], kind=kind)
    _, by_kind, by_support, by_source = report_selectors.poverty_tables(user, f, labels())
    return by_kind.rows, by_support.rows, by_source.rows


def test_report_c_shows_what_each_user_may_see(world, sponsored):
    women, farmers, seedlings = "Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Cây giống, con giống"
    by_kind, by_support, by_source = _report_c(world.mttq_huyen)
    assert [(r[1], r[2]) for r in by_kind] == [(farmers, 1), (women, 1)]
    assert by_support == [[YEAR, seedlings, 2, 10_000_000]]
    assert sorted((r[1], r[2]) for r in by_source) == [
        ("Gia đình", 4_000_000),
        ("Quỹ “Vì người nghèo”", 6_000_000),
    ]
    # The organization filter narrows the sponsorships only (supports have no organization).
    by_kind, by_support, _ = _report_c(world.mttq_huyen, kind=OrgKind.WOMEN)
    assert [(r[1], r[2]) for r in by_kind] == [(women, 1)]
    assert by_support == [[YEAR, seedlings, 2, 10_000_000]]
    # The Women's Union of Ia Dom sees its own sponsorships, and all of the commune's support.
    by_kind, by_support, _ = _report_c(world.phunu_iadom)
    assert [(r[1], r[2]) for r in by_kind] == [(women, 1)]
    assert by_support == [[YEAR, seedlings, 2, 10_000_000]]
    # Another commune sees none of it.
    assert _report_c(world.mttq_iakla) == ([], [], [])


def test_report_c_of_a_residential_area_counts_that_area_only(world, sponsored):
    """The communes' rows hold every area of the commune: a branch of one area reads the
    areas' rows, and sees its own area's figures only."""
    other_area = world.iadom_areas[1]
    services.record_support(
        household=create(world, other_area, "Ksor Nhí"),
        date=datetime.date(YEAR, 8, 1),
        kind="seedlings",
        value=1_000_000,
        by=world.mttq_iadom,
    )
    seedlings = "Cây giống, con giống"
    assert _report_c(world.mttq_iadom)[1] == [[YEAR, seedlings, 3, 11_000_000]]
    branch = world.add_member("phunu.lang1", world.iadom_areas[0], OrgKind.WOMEN, Role.VIEWER)
    by_kind, by_support, _ = _report_c(branch)
    assert [(r[1], r[2]) for r in by_kind] == [("Hội Liên hiệp Phụ nữ", 1)]
    assert by_support == [[YEAR, seedlings, 2, 10_000_000]]
    branch = world.add_member("phunu.thon3", other_area, OrgKind.WOMEN, Role.VIEWER)
    assert _report_c(branch)[:2] == ([], [[YEAR, seedlings, 1, 1_000_000]])


@pytest.mark.parametrize("extra", [0, 20])
def test_aid_queries_bounded(world, extra, django_assert_max_num_queries):
    area = world.iadom_areas[0]
    officer = world.mttq_iadom
    for i in range(extra):
        h = create(world, area, f"Hộ {i}")
        services.record_support(
            household=h, date=datetime.date(YEAR, 3, 1), kind="cash", value=100, by=officer
        )
    fund_receipt(world)
    h = create(world, area, "Rơ Mah Jin")
    ContentType.objects.get_for_model(Support)  # read once per process by the change log
    # The support, its funding and change log, the area rows (lock, delete, four counts,
    # insert), the commune rows (lock, delete, sum, insert); for the part paid from the
    # fund, the area and the ledger locked, the programs' years, the balance by day, the
    # entry and its change log (2), the ledger's year (delete, count, insert): the same at
    # any size.
    with django_assert_max_num_queries(26):
        services.record_support(
            household=h,
            date=datetime.date(YEAR, 6, 1),
            kind="cash",
            value=300,
            fundings={"fund": 100, "family": 200},
            by=officer,
        )
    with django_assert_max_num_queries(6):
        _report_c(world.mttq_huyen)
