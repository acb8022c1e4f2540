"""Demo households of Đức Cơ 2016–2021, with sponsorships, supports and the fund.

The counts follow the district's real trend (DOMAIN.md): about 3,000 poor households in
2016 falling to about 1,200 in 2020. Names are made up. Everything is written with
bulk_create; a second run changes nothing (it stops when the district has households).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from importlib import import_module

from core.text import normalize
from households import aid, fund, gaps
from households.models import (
    DonorType,
    EntryKind,
    Ethnicity,
    FundEntry,
    FundingSource,
    Gender,
    Household,
    HouseholdStatus,
    PolicyKind,
    PovertyStandard,
    Sponsorship,
    Status,
    Support,
    SupportFunding,
    SupportKind,
)
from organizations.models import Organization, OrgKind, Unit, UnitLevel

YEARS = range(2016, 2022)
POOR_2016 = 3000
NEAR_POOR_2016 = 450
# Poor households that escape poverty each year: 3,000 → 2,600 → 2,150 → 1,700 → 1,200 → 1,000.
ESCAPES = {2017: 400, 2018: 450, 2019: 450, 2020: 500, 2021: 200}
NEAR_ESCAPES = {2017: 60, 2018: 80, 2019: 80, 2020: 90, 2021: 40}
PER_BRANCH = 2  # households each branch takes on a year in the demo (within the program's range)

JRAI_FAMILY = ["Rơ Mah", "Rơ Lan", "Ksor", "Siu", "Nay", "Kpă", "Rah Lan", "Puih", "Rơ Châm", "Rơ Ô"]
JRAI_MEN = ["Blơi", "Jin", "Hlim", "Ber", "Tơ", "Phơn", "Djuh", "Glơng", "Hyao", "Thuh", "Kpuih", "Dơng"]
JRAI_WOMEN = ["H' Bia", "H' Nga", "H' Lan", "H' Yơn", "H' Lin", "H' Dơng", "H' Mai", "H' Phi", "H' Luyên"]
KINH_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
KINH_MIDDLE = {Gender.MALE: ["Văn", "Đình", "Quốc", "Hữu"], Gender.FEMALE: ["Thị", "Thị Thu", "Thị Ngọc"]}
KINH_GIVEN = {
    Gender.MALE: ["Hùng", "Quang", "Tâm", "Đức", "Sơn", "Bình", "Minh", "Dũng", "Thành"],
    Gender.FEMALE: ["Mai", "Hoa", "Lan", "Hạnh", "Hương", "Nga", "Thủy", "Liên"],
}
SUPPORT_KINDS = [
    SupportKind.SEEDLINGS,
    SupportKind.GOODS,
    SupportKind.LABOUR,
    SupportKind.CAPITAL,
    SupportKind.TRAINING,
]


def _name(rng: random.Random, ethnicity: str, gender: str) -> str:
    if ethnicity == "Kinh":
        return f"{rng.choice(KINH_FAMILY)} {rng.choice(KINH_MIDDLE[gender])} {rng.choice(KINH_GIVEN[gender])}"
    given = JRAI_MEN if gender == Gender.MALE else JRAI_WOMEN
    return f"{rng.choice(JRAI_FAMILY)} {rng.choice(given)}"


def _schedule(rng: random.Random, count: int, escapes: dict[int, int]) -> list[int | None]:
    years: list[int | None] = []
    for year, n in escapes.items():
        years += [year] * n
    years += [None] * (count - len(years))
    rng.shuffle(years)
    return years


def _status(kind: str, year: int, escape: int | None) -> str:
    if escape is None or year < escape:
        return Status.POOR if kind == "poor" else Status.NEAR_POOR
    if year == escape:
        return Status.ESCAPED if kind == "poor" else Status.ESCAPED_NEAR
    return Status.AVERAGE


def _ensure_reference_data() -> None:
    """Poverty standards and ethnicities come with a data migration; tests that flush the
    database (browser tests) lose them, so the demo puts them back (idempotently)."""
    from django.apps import apps

    import_module("households.migrations.0001_initial").load_reference_data(apps, None)


def load(context: dict) -> None:
    _ensure_reference_data()
    district: Unit = context["district"]
    program = context.get("program")
    if Household.objects.filter(area__path__startswith=district.path).exists():
        return
    rng = random.Random(631)
    areas = list(Unit.objects.filter(path__startswith=district.path, level=UnitLevel.AREA).order_by("path"))
    communes = list(Unit.objects.filter(parent=district, level=UnitLevel.COMMUNE).order_by("path"))
    if not areas:
        return
    ethnicities = {e.name: e for e in Ethnicity.objects.all()}
    standard = PovertyStandard.for_year(2016)

    # Households: the poor of 2016, then the near-poor.
    cohorts = [("poor", e) for e in _schedule(rng, POOR_2016, ESCAPES)]
    cohorts += [("near", e) for e in _schedule(rng, NEAR_POOR_2016, NEAR_ESCAPES)]
    households, plan, seen = [], [], set()
    for index, (kind, escape) in enumerate(cohorts):
        area = areas[index % len(areas)]
        ethnicity = rng.choices(["Jrai", "Kinh", "Bahnar"], weights=[60, 32, 8])[0]
        while True:
            gender = rng.choice([Gender.MALE, Gender.MALE, Gender.FEMALE])
            name = _name(rng, ethnicity, gender)
            birth_year = rng.randint(1945, 1998)
            key = (area.pk, normalize(name), birth_year)
            if key not in seen:
                seen.add(key)
                break
        policy = rng.random() < 0.05
        households.append(
            Household(
                area=area,
                head_name=name,
                name_normalized=normalize(name),
                gender=gender,
                birth_year=birth_year,
                ethnicity=ethnicities.get(ethnicity),
                members=rng.randint(2, 8),
                address=area.name,
                is_policy=policy,
                policy_kind=rng.choice([PolicyKind.MERIT, PolicyKind.MARTYR, PolicyKind.INVALID])
                if policy
                else "",
                member_kinds=rng.sample(
                    [k.value for k in OrgKind if k != OrgKind.FRONT], k=rng.randint(0, 2)
                ),
            )
        )
        plan.append((kind, escape))
    Household.objects.bulk_create(households, batch_size=1000)

    standards = {y: PovertyStandard.for_year(y) or standard for y in YEARS}
    HouseholdStatus.objects.bulk_create(
        [
            HouseholdStatus(
                household=h, year=year, status=_status(kind, year, escape), standard=standards[year]
            )
            for h, (kind, escape) in zip(households, plan, strict=True)
            for year in YEARS
        ],
        batch_size=2000,
    )

    # Sponsorships: each branch takes on a few of its area's needy households each year.
    branches = defaultdict(list)
    for org in Organization.objects.filter(unit__in=areas).exclude(kind=OrgKind.FRONT).order_by("kind"):
        branches[org.unit_id].append(org)
    per_branch = min(PER_BRANCH, program.max_households_per_branch) if program else PER_BRANCH
    by_area = defaultdict(list)
    for h, p in zip(households, plan, strict=True):
        by_area[h.area_id].append((h, p))
    sponsorships = []
    for year in YEARS:
        for area_id, members in by_area.items():
            needy = [
                (h, p) for h, p in members if _status(p[0], year, p[1]) in (Status.POOR, Status.NEAR_POOR)
            ]
            rng.shuffle(needy)
            for org in branches[area_id]:
                for h, _plan in needy[:per_branch]:
                    sponsorships.append(Sponsorship(organization=org, household=h, year=year))
                needy = needy[per_branch:]
    Sponsorship.objects.bulk_create(sponsorships, batch_size=2000)
    if program is not None:
        _name_pledged_households(program, sponsorships)

    supports = [
        Support(
            household_id=s.household_id,
            sponsorship=s,
            date=datetime.date(s.year, rng.randint(3, 11), rng.randint(1, 28)),
            kind=rng.choice(SUPPORT_KINDS),
            value=rng.randint(4, 40) * 250_000,
        )
        for s in sponsorships
    ]
    Support.objects.bulk_create(supports, batch_size=2000)
    SupportFunding.objects.bulk_create(
        [SupportFunding(support=s, source=FundingSource.ORGANIZATION, amount=s.value) for s in supports],
        batch_size=2000,
    )
    # The bulk writes above bypass the services: count the gap summary of what they wrote.
    gaps.refresh(areas=[a.pk for a in areas], years=[gaps.EVERY_YEAR, *YEARS])

    _fund(rng, district, communes, households, plan, program)
    # The same for the sponsorships and supports (the fund's great-unity houses included),
    # and for the fund's yearly figures.
    aid.refresh(areas=[a.pk for a in areas], years=YEARS)
    for unit in [district, *communes]:
        fund.refresh(unit_id=unit.pk, years=YEARS)


def _name_pledged_households(program, sponsorships) -> None:
    """A pledge of a commune organization for an area names the households its branch
    there took on that year (up to the number pledged)."""
    from registrations.models import ItemKind, RegistrationItem

    taken = defaultdict(list)
    for s in sponsorships:
        taken[(s.organization.unit_id, s.organization.kind, s.year)].append(s.household_id)
    pledges = RegistrationItem.objects.filter(
        kind=ItemKind.SPONSORSHIP_PLEDGE, registration__period__program=program
    ).values_list(
        "pk",
        "area_id",
        "registration__organization__kind",
        "registration__period__year",
        "households_pledged",
    )
    links = RegistrationItem.households.through
    links.objects.bulk_create(
        [
            links(registrationitem_id=pk, household_id=household_id)
            for pk, area_id, kind, year, pledged in pledges
            for household_id in taken[(area_id, kind, year)][: pledged or 0]
        ],
        batch_size=2000,
    )


def _fund(rng, district, communes, households, plan, program) -> None:
    """Receipts around the Day for the Poor (17/10); a great-unity house a year or two paid
    40 of its 60 million from the fund (DOMAIN.md): the district fund allots the 40 million
    to the household's commune fund, which pays the house; and small support from each
    commune's fund. Support paid from the fund is a spending of the household's commune
    ledger linked to it, as ``households.services.record_support`` writes it, so report (c)
    and the ledgers agree. Entries fall within the program's years, and each ledger's money
    comes in before it goes out, so no day's balance is negative."""
    years = [y for y in YEARS if program is None or y in program.years]
    communes_by_pk = {c.pk: c for c in communes}
    entries, paid = [], []  # paid: (the spending entry, its support, the support's fundings)
    poor_by_commune = defaultdict(list)
    for h, (kind, escape) in zip(households, plan, strict=True):
        if kind == "poor" and escape is not None:
            poor_by_commune[h.area.parent_id].append(h)

    def receipt(unit, date, amount, number, donor, donor_type, period=""):
        entries.append(
            FundEntry(
                unit=unit,
                kind=EntryKind.RECEIPT,
                date=date,
                amount=amount,
                number=number,
                donor=donor,
                donor_type=donor_type,
                campaign_period=period,
            )
        )

    def pay(commune, household, date, support, fundings, number):
        entry = FundEntry(
            unit=commune,
            kind=EntryKind.SPENDING,
            date=date,
            amount=fundings[FundingSource.FUND],
            number=number,
            household=household,
            purpose=support.note,
        )
        entries.append(entry)
        paid.append((entry, support, fundings))

    for unit in [district, *communes]:
        big = unit.pk == district.pk
        candidates = poor_by_commune.get(unit.pk) or [h for hs in poor_by_commune.values() for h in hs]
        for year in years:
            period = f"Tháng cao điểm {year}"
            receipt(
                unit,
                datetime.date(year, 10, 17),
                (150 if big else 20) * 1_000_000,
                f"{year}-PT01",
                "Cán bộ, công chức, viên chức" if big else "Nhân dân trong xã",
                DonorType.AGENCY if big else DonorType.INDIVIDUAL,
                period,
            )
            receipt(
                unit,
                datetime.date(year, 11, 10),
                (50 if big else 5) * 1_000_000,
                f"{year}-PT02",
                "Công ty TNHH Cà phê Đức Cơ",
                DonorType.ENTERPRISE,
                period,
            )
            for n in range(2 if big else 3):
                household = rng.choice(candidates)
                number = f"{year}/QĐ-MTTQ-{n + 1}"
                if not big:
                    support = Support(
                        household=household,
                        date=datetime.date(year, 12, 5 + n),
                        kind=SupportKind.SEEDLINGS,
                        value=5_000_000,
                        note="Hỗ trợ giống, vật nuôi",
                    )
                    pay(unit, household, support.date, support, {FundingSource.FUND: 5_000_000}, number)
                    continue
                # The district allots the house's 40 million to the household's commune fund.
                commune = communes_by_pk[household.area.parent_id]
                allotted = datetime.date(year, 12, 1)
                entries.append(
                    FundEntry(
                        unit=district,
                        kind=EntryKind.SPENDING,
                        date=allotted,
                        amount=40_000_000,
                        number=number,
                        project=f"Điều tiết về Quỹ {commune.name}",
                        purpose=f"Hỗ trợ xây nhà Đại đoàn kết cho hộ {household.head_name}",
                    )
                )
                receipt(
                    commune,
                    allotted,
                    40_000_000,
                    number,
                    f"Ban Thường trực Ủy ban MTTQ {district.name[:1].lower()}{district.name[1:]}",
                    DonorType.ORGANIZATION,
                )
                support = Support(
                    household=household,
                    date=datetime.date(year, 12, 20),
                    kind=SupportKind.HOUSE,
                    value=60_000_000,
                    note="Nhà Đại đoàn kết 36 m²",
                )
                fundings = {
                    FundingSource.FUND: 40_000_000,
                    FundingSource.ORGANIZATION: 10_000_000,
                    FundingSource.FAMILY: 10_000_000,
                }
                pay(commune, household, support.date, support, fundings, number)
    Support.objects.bulk_create([support for _entry, support, _fundings in paid])
    for entry, support, _fundings in paid:
        entry.support = support
    FundEntry.objects.bulk_create(entries, batch_size=1000)
    SupportFunding.objects.bulk_create(
        [
            SupportFunding(support=support, source=source, amount=amount)
            for _entry, support, fundings in paid
            for source, amount in fundings.items()
        ]
    )
