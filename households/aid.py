"""Sponsorships, supports and their funding per residential area and year (AidSummary).

Report (c) counts the households taken on by each kind of organization, the support by
kind and by funding source. Counted from the raw records that is three aggregates over
about 460,000 rows each at province scale (0.4–0.6 s each, on every report page). The
figures are therefore kept in ``AidSummary`` rows, recounted for the areas and years a write
touches, in the write's own transaction (``refresh``), as the gap summary is
(households/gaps.py), and read with one SUM over the visible communes or areas. The
funding source "fund" is counted from the ledger entries that paid the supports
(``paid_from_fund``), not from the supports' own split: report (c) shows what the ledgers
spent.

``refresh`` first locks the areas' own rows (units, FOR NO KEY UPDATE), in a fixed order, so
two writers of the same area recount one after the other and the second one sees the first
one's records; then it replaces the areas' rows of those years with the recount. It then
adds the areas' rows up again for their communes (``AidCommuneSummary``, what the report of a user
who sees whole communes reads: a tenth of the rows), under the communes' locks: two writers in different
areas of one commune add up in turn, the second seeing the first one's area rows. Every
refresh takes the area locks before the commune locks, each in the order of their ids, so
two refreshes cannot wait for each other in a circle.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import CharField, Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from core.summaries import replace_all
from organizations import access
from organizations.models import Unit

from . import rules, summaries
from .models import (
    AidCommuneSummary,
    AidFigure,
    AidFigures,
    AidSummary,
    FundEntry,
    FundingSource,
    Sponsorship,
    Support,
    SupportFunding,
)

Key = tuple[int, int, str, str]


# The key of a sponsorship: its organization's kind, or OTHER_SPONSORS for a sponsor the
# Front mobilized beyond the organizations.
OTHER_SPONSORS = "other"
SPONSOR_KIND = Coalesce(F("organization__kind"), Value(OTHER_SPONSORS), output_field=CharField())


def _count(areas: list[int] | None, years: list[int] | None) -> dict[Key, dict[str, int]]:
    """Figures per (area, year, figure, key) from the raw records; all areas and years when
    ``areas`` / ``years`` is None. One grouped query per figure."""
    # The household escaped poverty when the next year's review says so (rules.outcome).
    escaped = Count("pk", filter=Q(out_of_poverty=True))
    # figure, records with their year as ``y``, the area's field, the key's field, the sums
    figures = [
        (AidFigure.SPONSORSHIPS,
         Sponsorship.objects.annotate(y=F("year"), out_of_poverty=rules.escaped(), sponsor_kind=SPONSOR_KIND),
         "household__area_id", "sponsor_kind", {"count": Count("pk"), "escaped": escaped}),
        (AidFigure.SUPPORTS, Support.objects.annotate(y=ExtractYear("date")), "household__area_id",
         "kind", {"count": Count("pk"), "value": Sum("value")}),
        (AidFigure.FUNDING,
         SupportFunding.objects.exclude(source=FundingSource.FUND).annotate(y=ExtractYear("support__date")),
         "support__household__area_id", "source", {"count": Count("pk"), "value": Sum("amount")}),
        # What the fund paid is what the ledgers spent on supports (``paid_from_fund``).
        (AidFigure.FUNDING, paid_from_fund().annotate(y=ExtractYear("support__date")),
         "support__household__area_id", "source", {"count": Count("pk"), "value": Sum("amount")}),
    ]  # fmt: skip
    result: dict[Key, dict[str, int]] = {}
    for figure, records, area, key, sums in figures:
        if areas is not None:
            records = records.filter(**{f"{area}__in": areas})
        if years is not None:
            records = records.filter(y__in=years)
        for r in records.values(area, "y", key).annotate(**sums).order_by():
            result[(r[area], r["y"], figure.value, r[key])] = {
                "count": 0, "escaped": 0, "value": 0, **{name: r[name] for name in sums}
            }  # fmt: skip
    return result


def paid_from_fund():
    """The ledger entries that paid supports and still stand (confirmed, not reversed), each
    under the funding source "fund": a support's part "from the fund" counts as the ledger
    spent it, so report (c) and the ledgers cannot disagree."""
    return FundEntry.objects.filter(
        support__isnull=False, confirmed=True, reverses__isnull=True, reversed_by__isnull=True
    ).annotate(source=Value(FundingSource.FUND.value, output_field=CharField()))


def _rows(model, counted: dict[Key, dict[str, int]]) -> list:
    return [
        model(area_id=area, year=year, figure=figure, key=key, **figures)
        for (area, year, figure, key), figures in sorted(counted.items())
    ]


def refresh(*, areas: Iterable[int], years: Iterable[int]) -> None:
    """Recount the rows of ``areas`` × ``years`` from the raw records. Call it inside the
    write's transaction, after the write."""
    area_ids = sorted({int(a) for a in areas if a})
    year_list = sorted({int(y) for y in years if y})
    if not area_ids or not year_list:
        return
    with transaction.atomic(savepoint=False):
        # NO KEY UPDATE: refreshers of an area wait for each other, while records that merely
        # point at the area (a household created there) do not wait for them.
        communes = _lock(area_ids)
        AidSummary.objects.filter(area_id__in=area_ids, year__in=year_list).delete()
        AidSummary.objects.bulk_create(_rows(AidSummary, _count(area_ids, year_list)), batch_size=2000)
        _lock(communes)
        AidCommuneSummary.objects.filter(commune_id__in=communes, year__in=year_list).delete()
        AidCommuneSummary.objects.bulk_create(
            _commune_rows(AidSummary, AidCommuneSummary, communes=communes, years=year_list)
        )


def _lock(unit_ids: list[int]) -> list[int]:
    """Lock the units' rows in the order of their ids; returns their parents' ids."""
    units = Unit.objects.select_for_update(no_key=True).filter(pk__in=unit_ids).order_by("pk")
    return sorted({parent for _pk, parent in units.values_list("pk", "parent_id")})


def _commune_rows(summary, commune_summary, *, communes=None, years=None) -> list:
    """The area rows of ``summary`` added up per commune, as ``commune_summary`` rows; all
    communes and years when None."""
    rows = summary.objects.all()
    if communes is not None:
        rows = rows.filter(area__parent__in=communes)
    if years is not None:
        rows = rows.filter(year__in=years)
    sums = rows.values("area__parent", "year", "figure", "key").annotate(
        n=Sum("count"), n_escaped=Sum("escaped"), n_value=Sum("value")
    )
    return [
        commune_summary(
            commune_id=r["area__parent"], year=r["year"], figure=r["figure"], key=r["key"],
            count=r["n"], escaped=r["n_escaped"], value=r["n_value"],
        )
        for r in sums.order_by("area__parent", "year", "figure", "key")
    ]  # fmt: skip


def summary_for(user) -> tuple[type[AidFigures], str]:
    """The summary to read for the user and the field of each row's unit: the communes' rows
    (a tenth as many) unless the user sees only part of a commune (gaps.summary_for alike)."""
    return (AidCommuneSummary, "commune") if access.sees_whole_communes(user) else (AidSummary, "area")


def household_years(household_ids: Iterable[int]) -> set[int]:
    """The years in which these households were sponsored or supported: the rows a move of
    the households to another area touches."""
    ids = list(household_ids)
    years = set(Sponsorship.objects.filter(household_id__in=ids).values_list("year", flat=True))
    return years | {
        d.year for d in Support.objects.filter(household_id__in=ids).values_list("date", flat=True)
    }


def recount_all() -> dict[Key, dict[str, int]]:
    """Every row of both summaries counted from the raw records: the areas' and the
    communes' (summaries.with_communes)."""
    return summaries.with_communes(_count(None, None))


def rebuild() -> int:
    """Replace both summaries with a recount of the raw records; returns the rows written."""
    written = replace_all(AidSummary, lambda: _rows(AidSummary, _count(None, None)))
    return written + rebuild_communes()


def rebuild_communes() -> int:
    """Replace the communes' rows with the sums of the areas' rows."""
    return replace_all(AidCommuneSummary, lambda: _commune_rows(AidSummary, AidCommuneSummary))


def stored() -> dict[Key, dict[str, int]]:
    """Both summaries' rows, as ``recount_all`` returns them."""
    fields = ("year", "figure", "key", "count", "escaped", "value")
    return {
        (r.pop(unit), r.pop("year"), r.pop("figure"), r.pop("key")): r
        for model, unit in [(AidSummary, "area_id"), (AidCommuneSummary, "commune_id")]
        for r in model.objects.values(unit, *fields)
    }
