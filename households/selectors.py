"""Reads that cross models, as aggregate queries; every one goes through access.py."""

from __future__ import annotations

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from organizations import access
from organizations.models import Organization, Unit, UnitLevel
from programs.models import Program

from . import fund, gaps, rules
from .models import EntryKind, FundEntry, GapSummary, Household, HouseholdStatus, Sponsorship, Status


def latest_year(user) -> int:
    """The latest year, not after this one, in which a household in the user's scope has a
    status, or this year: from the gap summary's rows (households/gaps.py), instead of
    probing the 2.5 million statuses of a province year by year."""
    return gaps.latest_gap(user, default_year=timezone.localdate().year)[0]


def households(
    user,
    *,
    year: int,
    q: str = "",
    commune: int | None = None,
    area: int | None = None,
    status: str = "",
    sponsor: str = "",
) -> QuerySet:
    """The household list with each household's status and sponsorship in ``year``."""
    qs = access.visible(Household.objects.select_related("area__parent", "ethnicity"), user)
    # Shown columns are correlated subqueries evaluated for the rows of the page only; an
    # EXISTS in the select list let PostgreSQL hash every sponsorship of the year first
    # (250 ms at province scale). Filters below use EXISTS, which plans as a (anti) join.
    sponsorships = Sponsorship.objects.filter(household=OuterRef("pk"), year=year).order_by()
    qs = qs.annotate(
        year_status=Subquery(
            HouseholdStatus.objects.filter(household=OuterRef("pk"), year=year)
            .order_by()
            .values("status")[:1]
        ),
        sponsored=Coalesce(Subquery(sponsorships.values(flag=Value(True))[:1]), Value(False)),
    )
    if q:
        qs = qs.search(q)
    if commune:
        qs = qs.filter(area__parent_id=commune)
    if area:
        qs = qs.filter(area_id=area)
    if status == "policy":
        qs = qs.filter(is_policy=True)
    elif status:
        # An EXISTS, not a filter on the shown column: that subquery ran for each of a
        # province's 500,000 households (1.5 s); this reads the year's households of that
        # status from the index on (year, status, household).
        qs = qs.filter(
            Exists(HouseholdStatus.objects.filter(household=OuterRef("pk"), year=year, status=status))
        )
    if sponsor == "none":
        qs = qs.filter(~Exists(sponsorships))
    elif sponsor == "any":
        qs = qs.filter(Exists(sponsorships))
    elif sponsor:
        qs = qs.filter(
            Exists(
                Sponsorship.objects.filter(household=OuterRef("pk"), year=year, organization__kind=sponsor)
            )
        )
    return qs.order_by("area__path", "name_normalized", "pk")


# What the gap list shows (its "show" filter), each the list of one rule-3 figure
# (reports/indicators.py): the gap, its households with a sponsor, all of them, and the
# near-poor households watched beside it.
GAP_LISTS = {
    "": "gap",
    "sponsored": "gap_sponsored",
    "all": "gap_households",
    "near_poor": "near_poor_unsponsored",
}
# The gap summary's column that is not zero in an area where a list has households.
GAP_AREAS = {
    "": "gap",
    "sponsored": "gap_households",
    "all": "gap_households",
    "near_poor": "near_poor_unsponsored",
}


def gap_households(
    user, *, year: int, commune: int | None = None, area: int | None = None, q: str = "", show: str = ""
) -> QuerySet:
    """The households of one of ``GAP_LISTS`` in scope in ``year`` (households/rules.py): by
    default the gap households with no sponsor in the year."""
    if show == "near_poor":
        near_poor = HouseholdStatus.objects.filter(
            household=OuterRef("pk"), year=year, status=Status.NEAR_POOR
        )
        listed = Q(Exists(near_poor), is_policy=False)
    else:
        listed = rules.household_in_gap(year)
    sponsored = Exists(Sponsorship.objects.filter(household=OuterRef("pk"), year=year))
    # Only the areas whose summary row has households of the list: when the gap is nearly
    # closed, PostgreSQL would otherwise walk a province's 500,000 households in the list's
    # order to find the last few (1.8 s for one household; a few ms so).
    areas = GapSummary.objects.filter(year=year, **{f"{GAP_AREAS[show]}__gt": 0}).values("area")
    qs = access.visible(Household.objects.all(), user).filter(listed, area__in=areas)
    if show == "sponsored":
        qs = qs.filter(sponsored)
    elif show != "all":
        qs = qs.exclude(sponsored)
    if commune:
        qs = qs.filter(area__parent_id=commune)
    if area:
        qs = qs.filter(area_id=area)
    if q:
        qs = qs.search(q)
    return qs


def gap_count(user, *, year: int, commune: int | None = None, area: int | None = None, show: str = "") -> int:
    """The gap list's length without a search, from the summary figures (households/gaps.py)."""
    if show == "":
        return gaps.gap_count(user, year=year, commune=commune, area=area)
    row = gaps.figures(user, years=[year], commune=commune, area=area)[year]
    row["gap_sponsored"] = gaps.gap_sponsored(row)
    return row[GAP_LISTS[show]]


def ranges_for(units: list[Unit], year: int) -> dict[int, tuple[int, int]]:
    """(min, max) households per organization per area for each unit, from the nearest
    program active in ``year`` above it (one query for all units)."""
    programs = sorted(
        Program.objects.active_in(year).select_related("owner_unit"),
        key=lambda p: len(p.owner_unit.path),
        reverse=True,
    )
    meta = Program._meta
    default = (
        meta.get_field("min_households_per_branch").default,
        meta.get_field("max_households_per_branch").default,
    )
    result = {}
    for unit in units:
        program = next((p for p in programs if unit.path.startswith(p.owner_unit.path)), None)
        result[unit.pk] = (
            (program.min_households_per_branch, program.max_households_per_branch) if program else default
        )
    return result


def rooms(user, households_page: list[Household], year: int) -> dict[int, list[Organization]]:
    """For each household of a page, the organizations of its area (branches and commune
    organizations) the user may act for that still have room under the program's rule: the
    kind's quota at the area (households/rules.py), none for a kind without a branch there."""
    areas = {h.area_id: h.area for h in households_page}
    if not areas:
        return {}
    commune_ids = {a.parent_id for a in areas.values()}
    limits = ranges_for(list(areas.values()), year)
    organizations = list(
        access.visible_organizations(user)
        .members()
        .filter(Q(unit_id__in=areas.keys()) | Q(unit_id__in=commune_ids))
        .select_related("unit")
        .order_by("unit__level", "kind")
    )
    taken = rules.taken_by_kind(areas, year)
    branches = rules.branch_kinds(areas)
    result = {}
    for household in households_page:
        area = areas[household.area_id]
        high = limits[area.pk][1]
        result[household.pk] = [
            org
            for org in organizations
            if org.unit_id in (area.pk, area.parent_id)
            and (org.kind not in branches[area.pk] or taken.get((area.pk, org.kind), 0) < high)
        ]
    return result


def area_places(user, *, year: int, commune: Unit) -> list[dict]:
    """Per residential area of the commune with households still without a sponsor (as far
    as the user sees): how many, the places its organizations have left under the 1-3 rule
    (each kind with a branch there: the maximum less what the kind took), and how many of
    them the Front must find other sponsors for. Four queries, whatever the number of areas."""
    summaries = list(
        access.visible(GapSummary.objects.filter(year=year, area__parent=commune, gap__gt=0), user)
        .select_related("area")
        .order_by("area__name")
    )
    if not summaries:
        return []
    areas = [s.area for s in summaries]
    ids = [a.pk for a in areas]
    gap = {s.area_id: s.gap for s in summaries}
    taken = rules.taken_by_kind(ids, year)
    branches = rules.branch_kinds(ids)
    limits = ranges_for(areas, year)
    rows = []
    for area in areas:
        high = limits[area.pk][1]
        places = sum(max(0, high - taken.get((area.pk, kind), 0)) for kind in branches[area.pk])
        unsponsored = gap.get(area.pk, 0)
        rows.append(
            {
                "area": area,
                "unsponsored": unsponsored,
                "places": places,
                "others": max(0, unsponsored - places),
            }
        )
    return rows


# ---------------------------------------------------------------- fund


def fund_years(unit: Unit) -> list[dict]:
    """Opening, receipts, spending and closing balance for each year of the ledger."""
    rows = (
        FundEntry.objects.filter(unit=unit, confirmed=True)
        .annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(receipts=Sum(fund.signed(EntryKind.RECEIPT)), spending=Sum(fund.signed(EntryKind.SPENDING)))
        .order_by("y")
    )
    result, balance = [], 0
    for row in rows:
        opening = balance
        balance = opening + row["receipts"] - row["spending"]
        result.append(
            {
                "year": row["y"],
                "opening": opening,
                "receipts": row["receipts"],
                "spending": row["spending"],
                "closing": balance,
            }
        )
    return result


def fund_units(user) -> QuerySet:
    """Front levels whose ledger the user may read."""
    return access.visible_units(user).filter(
        level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]
    )
