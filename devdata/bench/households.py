"""Benchmark data for households, yearly statuses, sponsorships, supports and the fund.

500,000 households at province scale spread over the residential areas, a status for each
of the program's five years (about 40 % poor or near-poor in the first year, fewer each
year), about 100,000 sponsorships a year by the area branches and the commune
organizations within the program's range, one support with its funding per sponsorship,
and 100,000 fund ledger lines (the supports paid from the fund among them, each a spending
of its commune's ledger, as the services write it). Written with PostgreSQL COPY (bench/bulk.py).
"""

from __future__ import annotations

import datetime
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from bench.bulk import insert, reserve_ids
from core.text import normalize
from devdata.demo.households import (
    JRAI_FAMILY,
    JRAI_MEN,
    JRAI_WOMEN,
    KINH_FAMILY,
    KINH_GIVEN,
    KINH_MIDDLE,
    SUPPORT_KINDS,
)
from households import aid, fund, gaps
from households.models import (
    AidCommuneSummary,
    AidSummary,
    DonorType,
    EntryKind,
    Ethnicity,
    FundEntry,
    FundingSource,
    GapCommuneSummary,
    GapSummary,
    Gender,
    Household,
    HouseholdStatus,
    PolicyKind,
    PovertyStandard,
    Sponsorship,
    Status,
    Support,
    SupportFunding,
)
from households.services import HOUSEHOLD_FIELDS
from organizations import access
from organizations.models import Organization, OrgKind, Unit, UnitLevel
from programs.models import Program

YEARS = range(2017, 2022)
# scale: (households, sponsorships a year, fund entries)
SCALES = {
    "tiny": (200, 40, 50),
    "district": (20_000, 4_000, 4_000),
    "province": (500_000, 100_000, 100_000),
}
NEEDY_SHARE = 0.4  # poor or near-poor in the first year
ESCAPE_YEARS = [2018, 2019, 2020, 2021, None, None]  # None: still needy at the end
MEMBER_KINDS = [k.value for k in OrgKind if k != OrgKind.FRONT]


def _names() -> list[tuple[str, str, str]]:
    """Every (name, gender, ethnicity) the generator uses."""
    names = []
    for gender in (Gender.MALE, Gender.FEMALE):
        for family in KINH_FAMILY:
            for middle in KINH_MIDDLE[gender]:
                for given in KINH_GIVEN[gender]:
                    names.append((f"{family} {middle} {given}", gender, "Kinh"))
        for family in JRAI_FAMILY:
            for given in JRAI_MEN if gender == Gender.MALE else JRAI_WOMEN:
                names.append((f"{family} {given}", gender, "Jrai"))
    return names


NAMES = _names()
NORMALIZED = {name: normalize(name) for name, _g, _e in NAMES}


def _status(needy: str | None, escape: int | None, year: int) -> str:
    if needy is None:
        return Status.AVERAGE
    if escape is None or year < escape:
        return needy
    if year == escape:
        return Status.ESCAPED if needy == Status.POOR else Status.ESCAPED_NEAR
    return Status.AVERAGE


def _households(rng, areas, count, ethnicities) -> list[tuple]:
    """Plan: (id, area, needy status or None, escape year) per household; writes them."""
    ids = reserve_ids(Household, count)
    now = timezone.now()
    plan, seen = [], set()

    def rows():
        for index, pk in enumerate(ids):
            area = areas[index % len(areas)]
            while True:
                name, gender, ethnicity = NAMES[rng.randrange(len(NAMES))]
                birth_year = rng.randint(1940, 2004)
                key = (area.pk, name, birth_year)
                if key not in seen:
                    seen.add(key)
                    break
            roll = rng.random()
            needy = (Status.POOR if roll < 0.3 else Status.NEAR_POOR) if roll < NEEDY_SHARE else None
            plan.append((pk, area, needy, rng.choice(ESCAPE_YEARS)))
            policy = rng.random() < 0.05
            yield (
                (pk, area.pk, name, gender, birth_year, ethnicities.get(ethnicity))
                + (rng.randint(1, 8), area.name, "", "", rng.sample(MEMBER_KINDS, k=rng.randint(0, 2)))
                + (policy, rng.choice([PolicyKind.MERIT, PolicyKind.MARTYR]) if policy else "", "")
                + (NORMALIZED[name], 1, now, now)
            )

    # The service's fields of a household, between its id and area and the bookkeeping columns.
    insert(
        Household,
        ["id", "area", *HOUSEHOLD_FIELDS, "name_normalized", "version", "created_at", "updated_at"],
        rows(),
    )
    return plan


def _statuses(plan) -> None:
    standards = {y: PovertyStandard.for_year(y) for y in YEARS}
    now = timezone.now()
    insert(
        HouseholdStatus,
        ["household", "year", "status", "standard", "deprivations", "recorded_at"],
        (
            (pk, year, _status(needy, escape, year), standards[year].pk if standards[year] else None, [], now)
            for pk, _area, needy, escape in plan
            for year in YEARS
        ),
    )


def _sponsorships(rng, plan, per_year: int, high: int, fund_share: float) -> list[tuple]:
    """Per area and year, the needy households are taken on by the area's branches and the
    commune's organizations, each at most ``high`` of the area's households. About
    ``fund_share`` of the supports are paid from the fund: returns those, as (support,
    household, its commune, date, amount), for their ledgers (``_fund``)."""
    by_area = defaultdict(list)
    communes = {}
    for row in plan:
        by_area[row[1]].append(row)
        communes[row[0]] = row[1].parent_id
    orgs_at = defaultdict(list)
    units = {a.pk for a in by_area} | {a.parent_id for a in by_area}
    for org_id, unit_id in Organization.objects.filter(unit__in=units).values_list("pk", "unit_id"):
        orgs_at[unit_id].append(org_id)
    quota = -(-per_year // max(len(by_area), 1))  # per area
    sponsorships, supports, fundings, paid = [], [], [], []
    now = timezone.now()
    for year in YEARS:
        for area, rows in by_area.items():
            needy = [pk for pk, _a, n, e in rows if _status(n, e, year) in (Status.POOR, Status.NEAR_POOR)]
            sponsors = orgs_at[area.pk] + orgs_at[area.parent_id]
            slots = [org for org in sponsors for _ in range(high)]
            for household, org in zip(needy[:quota], slots, strict=False):
                sponsorships.append((org, household, year))
    ids = reserve_ids(Sponsorship, len(sponsorships))
    support_ids = reserve_ids(Support, len(sponsorships))
    rows = []
    for pk, support_pk, (org, household, year) in zip(ids, support_ids, sponsorships, strict=True):
        rows.append((pk, org, household, year, "", "", "", now))
        value = rng.choice([500_000, 1_000_000, 2_000_000, 5_000_000])
        day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        supports.append((support_pk, household, pk, day, rng.choice(SUPPORT_KINDS), value, ""))
        source = FundingSource.FUND if rng.random() < fund_share else FundingSource.ORGANIZATION
        fundings.append((support_pk, source, value))
        if source == FundingSource.FUND:
            paid.append((support_pk, household, communes[household], day, value))
    insert(
        Sponsorship,
        ["id", "organization", "household", "year", "note", "sponsor_name", "sponsor_type", "created_at"],
        rows,
    )
    insert(Support, ["id", "household", "sponsorship", "date", "kind", "value", "note"], supports)
    insert(SupportFunding, ["support", "source", "amount"], fundings)
    return paid


def _fund(rng, root: Unit, count: int, paid: list[tuple]) -> None:
    """``count`` ledger lines in all: a spending of the commune's ledger for each support
    paid from the fund (``paid``), a receipt on 1 January of each commune's year that covers
    them, and random receipts and project spending over every Front level. No day's
    balance is negative: a year's support is covered by its own 1 January receipt, and a
    random spending that the random receipts before it cannot cover becomes a receipt."""
    units = list(
        Unit.objects.filter(
            path__startswith=root.path, level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]
        ).values_list("pk", flat=True)
    )
    donors = list(DonorType.values)
    spent = defaultdict(int)  # (commune, year) -> what its ledger pays for supports
    for _support, _household, commune, day, value in paid:
        spent[(commune, day.year)] += value
    receipt = {"kind": EntryKind.RECEIPT, "donor": "Nhà hảo tâm", "household": None, "project": ""}
    receipt |= {"purpose": "", "support": None}
    spending = {"kind": EntryKind.SPENDING, "donor": "", "donor_type": "", "campaign_period": ""}
    spending |= {"household": None, "project": "", "purpose": "Hỗ trợ hộ nghèo", "support": None}
    lines = []
    for (commune, year), value in sorted(spent.items()):
        period = f"Tháng cao điểm {year - 1}"
        lines.append(receipt | {"unit": commune, "date": datetime.date(year, 1, 1), "amount": value})
        lines[-1] |= {"donor_type": DonorType.AGENCY, "campaign_period": period}
    for support, household, commune, day, value in paid:
        lines.append(spending | {"unit": commune, "date": day, "amount": value})
        lines[-1] |= {"household": household, "support": support}
    random_lines = []
    for i in range(max(count - len(lines), 0)):
        year = YEARS[i % len(YEARS)]
        day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        random_lines.append((units[i % len(units)], day, rng.randint(1, 200) * 100_000, rng.random() < 0.7))
    free = defaultdict(int)  # per ledger, what its random receipts leave to spend
    for unit, day, amount, is_receipt in sorted(random_lines, key=lambda line: line[:2]):
        line = {"unit": unit, "date": day, "amount": amount}
        if is_receipt or amount > free[unit]:
            free[unit] += amount
            line |= {"donor_type": rng.choice(donors), "campaign_period": f"Tháng cao điểm {day.year}"}
            lines.append(receipt | line)
        else:
            free[unit] -= amount
            lines.append(spending | line | {"project": "Hỗ trợ hộ nghèo khó khăn đột xuất"})
    fields = ["unit", "date", "amount", *(receipt | spending)]
    now = timezone.now()
    insert(
        FundEntry,
        [*fields, "number", "confirmed", "created_at", "version"],
        ((*(line[f] for f in fields), f"PT-{i + 1:06d}", True, now, 1) for i, line in enumerate(lines)),
    )


def load(context: dict) -> None:
    households, per_year, fund_entries = SCALES[context["scale"]]
    rng = random.Random(2017)
    areas = sorted(context["areas"], key=lambda a: a.pk)
    ethnicities = {e.name: e.pk for e in Ethnicity.objects.all()}
    plan = _households(rng, areas, households, ethnicities)
    _statuses(plan)
    program: Program = context["program"]
    # About a fifth of the ledger lines pay supports (each with its commune's yearly receipt).
    fund_share = min(1.0, fund_entries / 5 / max(per_year * len(YEARS), 1))
    paid = _sponsorships(rng, plan, per_year, program.max_households_per_branch, fund_share)
    _fund(rng, context["root"], fund_entries, paid)
    # COPY bypasses the services: count the summaries of everything written (7 s, 4 s and
    # under 1 s for the province).
    gaps.rebuild()
    aid.rebuild()
    fund.rebuild()


# ---------------------------------------------------------------- bench/run.py


def pages(users: dict) -> list[dict]:
    front, commune = users["bench.front"], users["bench.commune"]
    return [
        {"label": "household list: Front", "url": "/households/", "user": front, "target": 15},
        {"label": "household list: commune officer", "url": "/households/", "user": commune, "target": 15},
        {
            "label": "household search (no accents): Front",
            "url": "/households/?q=nguyen+van+hung",
            "user": front,
            "target": 15,
        },
        {"label": "gap list: Front", "url": "/households/gaps/", "user": front, "target": 15},
        {"label": "gap list: commune officer", "url": "/households/gaps/", "user": commune, "target": 15},
        # Filters and pages that once took seconds at province scale, measured so they stay fast.
        {
            "label": "household list, poor: Front",
            "url": "/households/?status=poor",
            "user": front,
            "target": 15,
        },
        {
            "label": "gap list search, common name: Front",
            "url": "/households/gaps/?q=nguyen",
            "user": front,
            "target": 40,
        },
        {
            "label": "fund ledger: Front",
            "url": f"/fund/{access.primary_scope(front).unit.pk}/",
            "user": front,
            "target": 15,
        },
    ]


EXPORT_ROWS = 100_000
IMPORT_ROWS = 20_000


def _subprocess(job: str) -> dict:
    """Run a job in a fresh process so its peak memory is its own."""
    import json

    out = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", CHILD.format(job=job)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],  # the project, where manage.py is
    )
    if out.returncode:
        raise RuntimeError(f"the {job} job failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


CHILD = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); "
    "django.setup(); import devdata.bench.households as b; b._child('{job}')"
)


def _child(job: str) -> None:
    import json

    result = {"export": _export, "import": _import}[job]()
    print(json.dumps(result))


def _peak_mb() -> float:
    """Peak resident memory of this process. VmHWM is this program's own; ru_maxrss also
    counts the parent's size at fork (it survives exec), 112 MB for the bench runner."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _export() -> dict:
    """The household list export (selector + exporter) of the first 100,000 households of
    the Front's scope, as the export view runs it."""
    from households import exporters, selectors
    from organizations.models import User

    user = User.objects.get(username="bench.front")
    year = selectors.latest_year(user)
    before = _peak_mb()
    started = time.perf_counter()
    qs = selectors.households(user, year=year)[:EXPORT_ROWS]
    root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    content, count = exporters.households_workbook(
        qs, unit=root, year=year, status_labels=dict(Status.choices)
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "peak_mb_at_start": before,
        "rows": float(count),
        "file_mb": len(content) / 1e6,
    }


def _review_list(commune: Unit, year: int) -> bytes:
    """A 20,000-row review list of ``commune`` in the portal's template layout: every
    existing household with a (partly changed) status, then new ones."""
    from openpyxl import Workbook

    from households.imports import TEMPLATE_HEADER, TEMPLATE_SUBHEADER

    labels = {
        Status.POOR: "Hộ nghèo",
        Status.NEAR_POOR: "Hộ cận nghèo",
        Status.ESCAPED: "Hộ thoát nghèo",
        Status.AVERAGE: "Hộ có mức sống trung bình",
    }
    rng = random.Random(20)
    areas = list(Unit.objects.filter(parent=commune, level=UnitLevel.AREA).order_by("pk"))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append([f"DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}"])
    ws.append(TEMPLATE_HEADER)
    ws.append(TEMPLATE_SUBHEADER)
    seen, number = set(), 0
    existing = Household.objects.filter(area__parent=commune).select_related("area", "ethnicity")
    for h in existing.iterator(chunk_size=2000):
        if number >= IMPORT_ROWS:
            break
        key = (h.area_id, h.name_normalized, h.birth_year)
        if key in seen:
            continue
        seen.add(key)
        number += 1
        male = h.gender != Gender.FEMALE
        ws.append(
            [number, h.head_name, h.birth_year if male else None, None if male else h.birth_year]
            + [
                h.ethnicity.name if h.ethnicity else "",
                h.area.name,
                h.members,
                rng.choice(list(labels.values())),
            ]
            + ["x" if h.is_policy else "", ""]
        )
    while number < IMPORT_ROWS:
        area = areas[number % len(areas)]
        name, gender, ethnicity = NAMES[rng.randrange(len(NAMES))]
        birth_year = rng.randint(1940, 2004)
        key = (area.pk, NORMALIZED[name], birth_year)
        if key in seen:
            continue
        seen.add(key)
        number += 1
        male = gender == Gender.MALE
        ws.append(
            [number, name, birth_year if male else None, None if male else birth_year, ethnicity, area.name]
            + [rng.randint(1, 8), rng.choice(list(labels.values())), "", ""]
        )
    import io

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _import() -> dict:
    """Preview (parse) and apply a 20,000-row review list with the import service, in a
    transaction rolled back afterwards so the benchmark can run again."""
    from households import imports
    from organizations.models import User

    user = User.objects.get(username="bench.commune")
    commune = user.memberships.select_related("organization__unit").first().organization.unit
    year = YEARS[-1]
    content = _review_list(commune, year)
    started = time.perf_counter()
    plan = imports.parse(content, commune=commune, year=year)  # checks the file first
    preview = time.perf_counter() - started
    errors = len(plan.errors)

    class Rollback(Exception):
        pass

    started = time.perf_counter()
    try:
        with transaction.atomic():
            imports.apply_plan(content=content, commune=commune, year=year, by=user)
            applied = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    _vacuum(Household, HouseholdStatus, GapSummary, GapCommuneSummary, AidSummary, AidCommuneSummary)
    return {
        "preview_s": preview,
        "apply_s": applied,
        "seconds": preview + applied,
        "peak_mb": _peak_mb(),
        "rows": float(IMPORT_ROWS),
        "errors": float(errors),
    }


def _vacuum(*models) -> None:
    """Clear the rows a rolled-back job wrote. Rolled back, the import's 20,000 households
    and their statuses stay in the tables as dead rows of the benchmark commune until
    autovacuum comes: the next run's pages of that commune read through them (its gap
    list: 131 ms instead of 108). INDEX_CLEANUP ON: they are under 2 % of the statuses'
    pages, below which PostgreSQL leaves the index entries pointing at them."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE, INDEX_CLEANUP ON) {tables}")


def jobs(users: dict) -> list[dict]:
    return [
        {
            "label": f"Excel export of {EXPORT_ROWS:,} households",
            "run": lambda: _subprocess("export"),
            "targets": {"seconds": 20, "peak_mb": 300},
        },
        {
            "label": f"import of a {IMPORT_ROWS:,}-row review list",
            "run": lambda: _subprocess("import"),
            "targets": {"seconds": 30, "errors": 0},
        },
    ]
