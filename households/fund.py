"""Receipts and spending of each Front level's fund per year (FundYear).

The fund report of a province adds up 236 ledgers over five years: counted from the
entries that is one aggregate over 100,000 rows at province scale (about 100 ms on every
report page). The yearly figures are therefore kept in ``FundYear`` rows, recounted for the
ledger and year a write touches, in the write's own transaction (``refresh``), as the gap
and aid summaries are (households/gaps.py, households/aid.py). The writers already hold the
ledger's lock (the Front unit's row), so two writers of one ledger recount in turn.
"""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Sum, When
from django.db.models.functions import ExtractYear

from core.summaries import replace_all

from .models import EntryKind, FundEntry, FundYear

Key = tuple[int, int]


def signed(kind: str):
    """The amount of an entry of ``kind``, negative for a reversing entry, else 0."""
    return Case(
        When(kind=kind, reverses__isnull=True, then="amount"),
        When(kind=kind, reverses__isnull=False, then=-1 * F("amount")),
        default=0,
        output_field=IntegerField(),
    )


def _count(unit_id: int | None, years: list[int] | None) -> dict[Key, dict[str, int]]:
    records = FundEntry.objects.filter(confirmed=True).annotate(y=ExtractYear("date"))
    if unit_id is not None:
        records = records.filter(unit_id=unit_id)
    if years is not None:
        records = records.filter(y__in=years)
    return {
        (r["unit_id"], r["y"]): {
            "entries": r["entries"],
            "receipts": r["receipts"],
            "spending": r["spending"],
        }
        for r in records.values("unit_id", "y")
        .annotate(
            entries=Count("pk"),
            receipts=Sum(signed(EntryKind.RECEIPT)),
            spending=Sum(signed(EntryKind.SPENDING)),
        )
        .order_by()
    }


def _rows(model, counted: dict[Key, dict[str, int]]) -> list:
    return [model(unit_id=unit, year=year, **figures) for (unit, year), figures in sorted(counted.items())]


def refresh(*, unit_id: int, years) -> None:
    """Recount the ledger's rows of ``years`` from its entries. Call it inside the write's
    transaction, after the write, holding the ledger's lock."""
    year_list = sorted(set(years))
    FundYear.objects.filter(unit_id=unit_id, year__in=year_list).delete()
    FundYear.objects.bulk_create(_rows(FundYear, _count(unit_id, year_list)))


def recount_all() -> dict[Key, dict[str, int]]:
    return _count(None, None)


def rebuild() -> int:
    """Replace the whole summary with a recount of the ledgers; returns the rows written."""
    return replace_all(FundYear, lambda: _rows(FundYear, recount_all()))


def stored() -> dict[Key, dict[str, int]]:
    """The summary's rows, as ``recount_all`` returns them."""
    return {
        (r.pop("unit_id"), r.pop("year")): r
        for r in FundYear.objects.values("unit_id", "year", "entries", "receipts", "spending")
    }
