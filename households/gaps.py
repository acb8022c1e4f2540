"""Summary figures of the sponsorship gap per residential area and year (GapSummary).

The gap's households and who is in it are defined in households/rules.py. Counting it from
the raw records means checking every reviewed household of the scope against the year's
sponsorships: 1.5–2.5 s for the province on every home page. The figures are therefore kept in ``GapSummary`` rows, recounted for the
areas and years a write touches, in the write's own transaction (``refresh``), and read
with one SUM over the visible communes or areas (``gap_count``, ``figures``, ``by_commune``).

``refresh`` recounts rather than adding deltas: a recount of one area is cheap (a few
hundred households) and cannot drift. It first locks the rows it rewrites, in a fixed
order, so two writers of the same area recount one after the other and the second one
sees the first one's records. It then adds the areas' rows up again for their communes
(``GapCommuneSummary``, what the pages of users who see whole communes read: a tenth of the
rows), locking the communes' rows after the areas' ones, so two writers in different areas
of one commune add up in turn. ``rebuild`` recounts everything (the bulk loaders and the
``rebuild_summaries`` command).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import and_

from django.db import transaction
from django.db.models import Count, FilteredRelation, Q, Sum
from django.utils import timezone

from core.summaries import replace_all
from organizations import access
from organizations.models import Unit

from . import rules, summaries
from .models import (
    NEEDY_STATUSES,
    GapCommuneSummary,
    GapFigures,
    GapSummary,
    Household,
    HouseholdStatus,
    Sponsorship,
    Status,
)

EVERY_YEAR = 0
FIGURES = [
    "poor",
    "near_poor",
    "poor_sponsored",
    "near_poor_sponsored",
    "escaped",
    "escaped_near",
    "policy_needy",
    "gap_households",
    "gap",
    "near_poor_unsponsored",
    "reviewed",
    "households",
]


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
            rows = households.values("area_id").annotate(households=Count("pk")).order_by()
        else:
            st = "year_status__status"
            sponsored = Q(year_sponsor__id__isnull=False)
            gap_household = rules.in_gap(st, "is_policy")

            def count(*conditions):
                return Count("pk", distinct=True, filter=reduce(and_, conditions))

            rows = (
                households.annotate(
                    year_status=FilteredRelation("statuses", condition=Q(statuses__year=year)),
                    year_sponsor=FilteredRelation("sponsorships", condition=Q(sponsorships__year=year)),
                )
                .filter(year_status__id__isnull=False)
                .values("area_id")
                .annotate(
                    poor=count(Q(**{st: Status.POOR})),
                    near_poor=count(Q(**{st: Status.NEAR_POOR})),
                    poor_sponsored=count(Q(**{st: Status.POOR}), sponsored),
                    near_poor_sponsored=count(Q(**{st: Status.NEAR_POOR}), sponsored),
                    escaped=count(Q(**{st: Status.ESCAPED})),
                    escaped_near=count(Q(**{st: Status.ESCAPED_NEAR})),
                    policy_needy=count(Q(**{f"{st}__in": NEEDY_STATUSES}), Q(is_policy=True)),
                    gap_households=count(gap_household),
                    gap=count(gap_household, ~sponsored),
                    near_poor_unsponsored=count(Q(**{st: Status.NEAR_POOR}), Q(is_policy=False), ~sponsored),
                    reviewed=Count("pk", distinct=True),
                )
                .order_by()
            )
        for row in rows:
            result[(row["area_id"], year)] = {name: row.get(name, 0) for name in FIGURES}
    return result


def _write(summary, place: str, keys: list[tuple[int, int]], counted: dict) -> None:
    summary.objects.bulk_create(
        [summary(**{f"{place}_id": unit}, year=year, **counted.get((unit, year), {})) for unit, year in keys],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=[place, "year"],
        update_fields=FIGURES,
    )


def _lock(summary, place: str, keys: list[tuple[int, int]]) -> None:
    """The rows exist, then lock them in a fixed order: a second writer of the same place
    waits here and recounts after the first one's transaction commits, seeing its records."""
    summary.objects.bulk_create(
        [summary(**{f"{place}_id": unit}, year=year) for unit, year in keys],
        batch_size=2000,
        ignore_conflicts=True,
    )
    units, years = {unit for unit, _year in keys}, {year for _unit, year in keys}
    list(
        summary.objects.select_for_update()
        .filter(**{f"{place}_id__in": units}, year__in=years)
        .order_by(place, "year")
        .values_list("pk", flat=True)
    )


def _add_up(summary, communes: list[int] | None = None, years: list[int] | None = None) -> dict:
    """The areas' rows of ``summary`` added up per (commune, year); all when None."""
    rows = summary.objects.all()
    if communes is not None:
        rows = rows.filter(area__parent__in=communes, year__in=years)
    sums = rows.values("area__parent", "year").annotate(**{f"n_{name}": Sum(name) for name in FIGURES})
    return {
        (r["area__parent"], r["year"]): {name: r[f"n_{name}"] for name in FIGURES} for r in sums.order_by()
    }


def refresh(*, areas: Iterable[int], years: Iterable[int]) -> None:
    """Recount the rows of ``areas`` × ``years`` (year 0: the every-year row) from the raw
    records. Call it inside the write's transaction, after the write."""
    area_ids = sorted({int(a) for a in areas if a})
    year_list = sorted(set(years))
    if not area_ids or not year_list:
        return
    keys = [(area, year) for area in area_ids for year in year_list]
    communes = sorted(set(Unit.objects.filter(pk__in=area_ids).values_list("parent_id", flat=True)))
    commune_keys = [(commune, year) for commune in communes for year in year_list]
    with transaction.atomic(savepoint=False):
        _lock(GapSummary, "area", keys)
        counted = _count_years(Household.objects.filter(area_id__in=area_ids), year_list)
        _write(GapSummary, "area", keys, counted)
        _lock(GapCommuneSummary, "commune", commune_keys)
        _write(GapCommuneSummary, "commune", commune_keys, _add_up(GapSummary, communes, year_list))


def household_years(household_ids: Iterable[int]) -> set[int]:
    """The years in which these households have a status or a sponsorship (plus year 0):
    the rows a change of their policy flag or their area touches."""
    ids = list(household_ids)
    years = set(HouseholdStatus.objects.filter(household_id__in=ids).values_list("year", flat=True))
    years |= set(Sponsorship.objects.filter(household_id__in=ids).values_list("year", flat=True))
    return years | {EVERY_YEAR}


def recount_all() -> dict[tuple[int, int], dict[str, int]]:
    """Every row of both summaries counted from the raw records: the areas' figures for
    every year that has a status or a sponsorship, and the communes' (summaries.with_communes)."""
    return summaries.with_communes(_recount_areas())


def _recount_areas() -> dict[tuple[int, int], dict[str, int]]:
    """Every area's figures for every year that has a status or a sponsorship."""
    years = set(HouseholdStatus.objects.values_list("year", flat=True).distinct().order_by())
    years |= set(Sponsorship.objects.values_list("year", flat=True).distinct().order_by())
    return _count_years(Household.objects.all(), years | {EVERY_YEAR})


def rebuild() -> int:
    """Replace both summaries with a recount of the raw records; returns the rows written."""
    written = replace_all(
        GapSummary,
        lambda: [
            GapSummary(area_id=area, year=year, **row)
            for (area, year), row in sorted(_recount_areas().items())
        ],
    )
    return written + rebuild_communes()


def rebuild_communes() -> int:
    """Replace the communes' rows with the sums of the areas' rows."""
    return replace_all(
        GapCommuneSummary,
        lambda: [
            GapCommuneSummary(commune_id=commune, year=year, **row)
            for (commune, year), row in sorted(_add_up(GapSummary).items())
        ],
    )


def stored() -> dict[tuple[int, int], dict[str, int]]:
    """Both summaries' rows that are not all zero, as ``recount_all`` returns them."""
    result = {}
    for model, place in [(GapSummary, "area_id"), (GapCommuneSummary, "commune_id")]:
        for row in model.objects.values(place, "year", *FIGURES):
            key = (row.pop(place), row.pop("year"))
            if any(row.values()):
                result[key] = row
    return result


# ---------------------------------------------------------------- reads


def summary_for(user, area: int | None = None) -> tuple[type[GapFigures], str]:
    """The summary to read for the user and the path to each row's commune: the communes'
    rows (a tenth as many) unless the user sees only part of a commune or asks for an area."""
    if area is None and access.sees_whole_communes(user):
        return GapCommuneSummary, "commune"
    return GapSummary, "area__parent"


def _visible(user, years: Iterable[int] | None, commune: int | None = None, area: int | None = None):
    """The visible rows of ``years`` (of every year when None; of a commune, of an area) and
    the path to their commune."""
    summary, commune_field = summary_for(user, area)
    qs = access.visible(summary.objects.filter(**({} if years is None else {"year__in": list(years)})), user)
    if area:
        qs = qs.filter(area_id=area)
    if commune:
        qs = qs.filter(**{commune_field: commune})
    return qs, commune_field


def latest_review_year(user) -> int | None:
    """The latest year, not after this one, in which a household in the user's scope has a
    status, if any."""
    return latest_gap(user)[0]


def latest_gap(user, *, default_year: int | None = None) -> tuple[int | None, int]:
    """``latest_review_year`` (else ``default_year``) and ``gap_count`` of that year in one
    query: the summary's rows in scope added up per year, a handful of rows (the home
    page's panel: one query instead of two). A status recorded for a later year than this
    one does not move the pages to that year."""
    qs, _field = _visible(user, years=None)
    this_year = timezone.localdate().year
    per_year = {
        r["year"]: r
        for r in qs.filter(year__lte=this_year)
        .values("year")
        .annotate(gap=Sum("gap"), reviewed=Sum("reviewed"))
        .order_by()
    }
    year = max((y for y, r in per_year.items() if r["reviewed"] > 0), default=None) or default_year
    return year, per_year[year]["gap"] if year in per_year else 0


def household_count(user, *, commune: int | None = None, area: int | None = None) -> int:
    """Households in scope (of a commune, of an area): one SUM over the summary's rows."""
    qs, _field = _visible(user, [EVERY_YEAR], commune, area)
    return qs.aggregate(n=Sum("households", default=0))["n"]


# The yearly statuses the summary counts, by the figure that counts them.
STATUS_FIGURES = {
    Status.POOR: "poor",
    Status.NEAR_POOR: "near_poor",
    Status.ESCAPED: "escaped",
    Status.ESCAPED_NEAR: "escaped_near",
}


def status_count(user, *, year: int, status: str, commune: int | None = None, area: int | None = None) -> int:
    """Households in scope with ``status`` (one of STATUS_FIGURES) in ``year``: one SUM."""
    qs, _field = _visible(user, [year], commune, area)
    return qs.aggregate(n=Sum(STATUS_FIGURES[status], default=0))["n"]


def gap_count(user, *, year: int, commune: int | None = None, area: int | None = None) -> int:
    """The year's gap households in scope (of a commune, of an area) without a sponsor
    (households/rules.py): one SUM."""
    qs, _field = _visible(user, [year], commune, area)
    return qs.aggregate(n=Sum("gap", default=0))["n"]


def gap_sponsored(row: dict) -> int:
    """The gap households with a sponsor, from a year's figures (not kept: derived)."""
    return row["gap_households"] - row["gap"]


# The figures of a year's rows (all but the every-year row's household count).
YEAR_FIGURES = [name for name in FIGURES if name != "households"]


def figures(
    user, *, years: Iterable[int], commune: int | None = None, area: int | None = None
) -> dict[int, dict[str, int]]:
    """Every figure of each of ``years`` in scope (of a commune, of an area), in one grouped
    aggregate; a year without rows has zeros."""
    years = list(years)
    qs, _field = _visible(user, years, commune, area)
    rows = {
        r["year"]: r
        for r in qs.values("year").annotate(**{f"n_{name}": Sum(name) for name in YEAR_FIGURES}).order_by()
    }
    return {
        year: {name: (rows.get(year, {}).get(f"n_{name}") or 0) for name in YEAR_FIGURES} for year in years
    }


def by_commune(user, *, year: int, communes: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Every figure of ``year`` per commune in scope (of ``communes`` when given), in one
    grouped aggregate."""
    qs, field = _visible(user, [year])
    rows = (
        qs.filter(**({f"{field}__in": communes} if communes is not None else {}))
        .values(field)
        .annotate(**{f"n_{name}": Sum(name) for name in YEAR_FIGURES})
        .order_by()
    )
    return {row[field]: {name: row[f"n_{name}"] or 0 for name in YEAR_FIGURES} for row in rows}
