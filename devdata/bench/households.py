"""Benchmark data for households, yearly statuses, sponsorships, supports and the fund.

500,000 households at province scale spread over the residential areas, a status for each
of the program's five years (about 40 % poor or near-poor in the first year, fewer each
year), about 100,000 sponsorships a year by the area branches and the commune
organizations within the program's range, one support with its funding per sponsorship,
and 100,000 fund ledger lines. Written with PostgreSQL COPY (bench/bulk.py).
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
    Outcome,
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


def _sponsorships(rng, plan, per_year: int, high: int) -> None:
    """Per area and year, the needy households are taken on by the area's branches and the
    commune's organizations, each at most ``high`` of the area's households."""
    by_area = defaultdict(list)
    for row in plan:
        by_area[row[1]].append(row)
    orgs_at = defaultdict(list)
    units = {a.pk for a in by_area} | {a.parent_id for a in by_area}
    for org_id, unit_id in Organization.objects.filter(unit__in=units).values_list("pk", "unit_id"):
        orgs_at[unit_id].append(org_id)
    quota = -(-per_year // max(len(by_area), 1))  # per area
    sponsorships, supports, fundings = [], [], []
    now = timezone.now()
    for year in YEARS:
        for area, rows in by_area.items():
            needy = [pk for pk, _a, n, e in rows if _status(n, e, year) in (Status.POOR, Status.NEAR_POOR)]
            sponsors = orgs_at[area.pk] + orgs_at[area.parent_id]
            slots = [org for org in sponsors for _ in range(high)]
            for household, org in zip(needy[:quota], slots, strict=False):
                outcome = Outcome.PENDING if year == YEARS[-1] else rng.choice(list(Outcome.values))
                sponsorships.append((org, household, year, outcome))
    ids = reserve_ids(Sponsorship, len(sponsorships))
    support_ids = reserve_ids(Support, len(sponsorships))
    rows = []
    for pk, support_pk, (org, household, year, outcome) in zip(ids, support_ids, sponsorships, strict=True):
        rows.append((pk, org, household, year, "", outcome, now))
        value = rng.choice([500_000, 1_000_000, 2_000_000, 5_000_000])
        day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        supports.append((support_pk, household, pk, day, rng.choice(SUPPORT_KINDS), value, ""))
        fundings.append((support_pk, rng.choice([FundingSource.FUND, FundingSource.ORGANIZATION]), value))
    insert(Sponsorship, ["id", "organization", "household", "year", "note", "outcome", "created_at"], rows)
    insert(Support, ["id", "household", "sponsorship", "date", "kind", "value", "note"], supports)
    insert(SupportFunding, ["support", "source", "amount"], fundings)


def _fund(rng, root: Unit, count: int) -> None:
    units = list(
        Unit.objects.filter(
            path__startswith=root.path, level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]
        ).values_list("pk", flat=True)
    )
    now = timezone.now()
    donors = list(DonorType.values)
    rows = []
    for i in range(count):
        year = YEARS[i % len(YEARS)]
        receipt = rng.random() < 0.7
        rows.append(
            (units[i % len(units)], EntryKind.RECEIPT if receipt else EntryKind.SPENDING)
            + (datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)), rng.randint(1, 200) * 100_000)
            + (f"PT-{i + 1:06d}", "Nhà hảo tâm" if receipt else "", rng.choice(donors) if receipt else "")
            + (
                f"Tháng cao điểm {year}" if receipt else "",
                "",
                "" if receipt else "Hỗ trợ hộ nghèo",
                True,
                now,
                1,
            )
        )
    insert(
        FundEntry,
        [
            "unit",
            "kind",
            "date",
            "amount",
            "number",
            "donor",
            "donor_type",
            "campaign_period",
            "project",
            "purpose",
            "confirmed",
            "created_at",
            "version",
        ],
        rows,
    )


def load(context: dict) -> None:
    households, per_year, fund_entries = SCALES[context["scale"]]
    rng = random.Random(2017)
    areas = sorted(context["areas"], key=lambda a: a.pk)
    ethnicities = {e.name: e.pk for e in Ethnicity.objects.all()}
    plan = _households(rng, areas, households, ethnicities)
    _statuses(plan)
    program: Program = context["program"]
    _sponsorships(rng, plan, per_year, program.max_households_per_branch)
    _fund(rng, context["root"], fund_entries)
    # COPY bypasses the services: count the summaries of everything written (7 s, 4 s and
    # under 1 s for the province).
    gaps.rebuild()
    aid.rebuild()
    fund.rebuild()


# ---------------------------------------------------------------- bench/run.py


def pages(users: dict) -> list[dict]:
    front, commune = users["bench.front"], users["bench.commune"]
    return [
        {"label": "household list: Front", "url": "/households/", "user": front, "target": 5},
        {"label": "household list: commune officer", "url": "/households/", "user": commune, "target": 5},
        {
            "label": "household search (no accents): Front",
            "url": "/households/?q=nguyen+van+hung",
            "user": front,
            "target": 5,
        },
        {"label": "gap list: Front", "url": "/households/gaps/", "user": front, "target": 5},
        {"label": "gap list: commune officer", "url": "/households/gaps/", "user": commune, "target": 5},
        # Filters and pages that once took seconds at province scale, measured so they stay fast.
        {
            "label": "household list, poor: Front",
            "url": "/households/?status=poor",
            "user": front,
            "target": 5,
        },
        {
            "label": "gap list search, common name: Front",
            "url": "/households/gaps/?q=nguyen",
            "user": front,
            "target": 5,
        },
        {
            "label": "fund ledger: Front",
            "url": f"/fund/{access.primary_scope(front).unit.pk}/",
            "user": front,
            "target": 5,
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
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
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
    imports.check_container(content)
    plan = imports.parse(content, commune=commune, year=year)
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
