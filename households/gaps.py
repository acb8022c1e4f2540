"""Summary figures of the sponsorship gap per residential area and year (GapSummary).

Counting the gap from the raw records means checking every poor, near-poor and policy
household of the scope against the year's sponsorships: 1.5–2.5 s for the province on
every home page. The figures are therefore kept in ``GapSummary`` rows, recounted for the
areas and years a write touches, in the write's own transaction (``refresh``), and read
with one SUM over the visible areas (``gap_count``, ``figures``, ``by_commune``).

``refresh`` recounts rather than adding deltas: a recount of one area is cheap (a few
hundred households) and cannot drift. It first locks the rows it rewrites, in a fixed
order, so two writers of the same area recount one after the other and the second one
sees the first one's records. ``rebuild`` recounts everything (the bulk loaders and the
``rebuild_summaries`` command).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import and_

from django.db import transaction
from django.db.models import Count, F, FilteredRelation, Q, Sum

from organizations import access

from . import summaries
from .models import GapSummary, Household, HouseholdStatus, Sponsorship, Status

EVERY_YEAR = 0
FIGURES = [
    "policy",
    "poor",
    "near_poor",
    "poor_sponsored",
    "near_poor_sponsored",
    "escaped",
    "needy_unsponsored",
    "policy_sponsored",
    "escaped_near",
    "reviewed",
    "households",
]
GAP = F("policy") + F("needy_unsponsored") - F("policy_sponsored")


# ---------------------------------------------------------------- recount from the raw records


def _count_years(households, years: Iterable[int]) -> dict[tuple[int, int], dict[str, int]]:
    """Figures per (area, year) of ``households`` (a Household queryset), one query a year.

    The year's status and sponsorships are joined (FilteredRelation), not correlated
    subqueries: Django repeats an annotation's subquery in every FILTER clause that uses it,
    which made a province recount take 90 s. A household with two sponsors joins twice, so
    the counts are DISTINCT."""
    result = {}
    for year in sorted(set(years)):
        if year == EVERY_YEAR:
            rows = (
                households.values("area_id")
                .annotate(policy=Count("pk", filter=Q(is_policy=True)), households=Count("pk"))
                .order_by()
            )
        else:
            st = "year_status__status"
            sponsored = Q(year_sponsor__id__isnull=False)

            def count(*conditions):
                return Count("pk", distinct=True, filter=reduce(and_, conditions))

            rows = (
                households.annotate(
                    year_status=FilteredRelation("statuses", condition=Q(statuses__year=year)),
                    year_sponsor=FilteredRelation("sponsorships", condition=Q(sponsorships__year=year)),
                )
                .filter(Q(year_status__id__isnull=False) | sponsored)
                .values("area_id")
                .annotate(
                    poor=count(Q(**{st: Status.POOR})),
                    near_poor=count(Q(**{st: Status.NEAR_POOR})),
                    poor_sponsored=count(Q(**{st: Status.POOR}), sponsored),
                    near_poor_sponsored=count(Q(**{st: Status.NEAR_POOR}), sponsored),
                    escaped=count(Q(**{st: Status.ESCAPED})),
                    escaped_near=count(Q(**{st: Status.ESCAPED_NEAR})),
                    reviewed=count(Q(year_status__id__isnull=False)),
                    needy_unsponsored=count(
                        Q(**{f"{st}__in": [Status.POOR, Status.NEAR_POOR]}), Q(is_policy=False), ~sponsored
                    ),
                    policy_sponsored=count(Q(is_policy=True), sponsored),
                )
                .order_by()
            )
        for row in rows:
            result[(row["area_id"], year)] = {name: row.get(name, 0) for name in FIGURES}
    return result


def _write(keys: list[tuple[int, int]], counted: dict) -> None:
    GapSummary.objects.bulk_create(
        [GapSummary(area_id=area, year=year, **counted.get((area, year), {})) for area, year in keys],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["area", "year"],
        update_fields=FIGURES,
    )


def refresh(*, areas: Iterable[int], years: Iterable[int]) -> None:
    """Recount the rows of ``areas`` × ``years`` (year 0: the every-year row) from the raw
    records. Call it inside the write's transaction, after the write."""
    area_ids = sorted({int(a) for a in areas if a})
    year_list = sorted(set(years))
    if not area_ids or not year_list:
        return
    keys = [(area, year) for area in area_ids for year in year_list]
    with transaction.atomic(savepoint=False):
        # The rows exist, then lock them in a fixed order: a second writer of the same area
        # waits here and recounts after this transaction commits, seeing its records.
        GapSummary.objects.bulk_create(
            [GapSummary(area_id=area, year=year) for area, year in keys],
            batch_size=2000,
            ignore_conflicts=True,
        )
        list(
            GapSummary.objects.select_for_update()
            .filter(area_id__in=area_ids, year__in=year_list)
            .order_by("area_id", "year")
            .values_list("pk", flat=True)
        )
        counted = _count_years(Household.objects.filter(area_id__in=area_ids), year_list)
        _write(keys, counted)


def household_years(household_ids: Iterable[int]) -> set[int]:
    """The years in which these households have a status or a sponsorship (plus year 0):
    the rows a change of their policy flag or their area touches."""
    ids = list(household_ids)
    years = set(HouseholdStatus.objects.filter(household_id__in=ids).values_list("year", flat=True))
    years |= set(Sponsorship.objects.filter(household_id__in=ids).values_list("year", flat=True))
    return years | {EVERY_YEAR}


def recount_all(models=None) -> dict[tuple[int, int], dict[str, int]]:
    """Every area's figures for every year that has a status or a sponsorship."""
    households, statuses, sponsorships, _summary = models or (
        Household,
        HouseholdStatus,
        Sponsorship,
        GapSummary,
    )
    years = set(statuses.objects.values_list("year", flat=True).distinct().order_by())
    years |= set(sponsorships.objects.values_list("year", flat=True).distinct().order_by())
    return _count_years(households.objects.all(), years | {EVERY_YEAR})


def rebuild(models=None) -> int:
    """Replace the whole summary with a recount of the raw records; returns the rows written.
    ``models``: (Household, HouseholdStatus, Sponsorship, GapSummary), for the migration."""
    summary = (models or (None, None, None, GapSummary))[3]
    # A migration's model may not have the figures added by later migrations yet.
    fields = {f.name for f in summary._meta.get_fields()}
    return summaries.replace_all(
        summary,
        lambda: [
            summary(area_id=area, year=year, **{k: v for k, v in row.items() if k in fields})
            for (area, year), row in sorted(recount_all(models).items())
        ],
    )


def stored() -> dict[tuple[int, int], dict[str, int]]:
    """The summary's rows that are not all zero, as ``recount_all`` returns them."""
    result = {}
    for row in GapSummary.objects.values("area_id", "year", *FIGURES):
        key = (row.pop("area_id"), row.pop("year"))
        if any(row.values()):
            result[key] = row
    return result


# ---------------------------------------------------------------- reads


def _visible(user, years: Iterable[int], commune: int | None = None, area: int | None = None):
    qs = access.visible(GapSummary.objects.filter(year__in=list(years)), user)
    if commune:
        qs = qs.filter(area__parent_id=commune)
    if area:
        qs = qs.filter(area_id=area)
    return qs


def household_count(user, *, commune: int | None = None, area: int | None = None) -> int:
    """Households in scope (of a commune, of an area): one SUM over the areas' rows."""
    return _visible(user, [EVERY_YEAR], commune, area).aggregate(n=Sum("households", default=0))["n"]


def gap_count(user, *, year: int, commune: int | None = None) -> int:
    """Poor, near-poor and policy households in scope without a sponsor in ``year``: one SUM."""
    return _visible(user, [EVERY_YEAR, year], commune).aggregate(n=Sum(GAP, default=0))["n"]


def figures(user, *, year: int, commune: int | None = None) -> dict[str, int]:
    """The dashboard's household figures of ``year`` in one aggregate."""
    this_year = Q(year=year)
    names = ["poor", "near_poor", "poor_sponsored", "near_poor_sponsored", "escaped"]
    sums = {f"n_{name}": Sum(name, filter=this_year, default=0) for name in names}
    result = _visible(user, [EVERY_YEAR, year, year - 1], commune).aggregate(
        **sums,
        n_gap=Sum(GAP, filter=Q(year__in=[EVERY_YEAR, year]), default=0),
        n_escaped_last_year=Sum("escaped", filter=Q(year=year - 1), default=0),
    )
    return {key.removeprefix("n_"): value for key, value in result.items()}


def by_commune(user, *, year: int, communes: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Gap and poor households per commune in scope (of ``communes`` when given), in one
    grouped aggregate."""
    rows = (
        _visible(user, [EVERY_YEAR, year])
        .filter(**({"area__parent__in": communes} if communes is not None else {}))
        .values("area__parent")
        .annotate(n_gap=Sum(GAP, default=0), n_poor=Sum("poor", filter=Q(year=year), default=0))
        .order_by()
    )
    return {row["area__parent"]: {"gap": row["n_gap"], "poor": row["n_poor"]} for row in rows}
