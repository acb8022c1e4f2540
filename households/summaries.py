"""What the summaries (households/gaps.py, aid.py, fund.py, campaigns/tallies.py) share:
replacing every row of one with a recount of the raw records, and adding the areas' rows of
a recount up per commune."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from organizations.models import Unit


@transaction.atomic
def replace_all(summary, recount: Callable[[], list]) -> int:
    """Replace every row of the ``summary`` model with the rows ``recount`` builds; returns
    how many. The table is locked first, so writers wait for the rebuild (their refresh
    would replace rows being rebuilt) and the recount sees no write half done."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {summary._meta.db_table} IN EXCLUSIVE MODE")
    rows = recount()
    summary.objects.all().delete()
    summary.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def with_communes(areas: dict[tuple, dict[str, int]]) -> dict[tuple, dict[str, int]]:
    """A recount of areas' rows (keyed by the area first) with their communes' rows added:
    the same figures summed per commune, keyed by the commune first (both are units: the ids
    differ), as the summaries keep them."""
    commune_of = dict(Unit.objects.filter(pk__in={key[0] for key in areas}).values_list("pk", "parent_id"))
    communes: dict[tuple, dict[str, int]] = {}
    for (area, *rest), figures in areas.items():
        added = communes.setdefault((commune_of[area], *rest), dict.fromkeys(figures, 0))
        for name, value in figures.items():
            added[name] += value
    return areas | communes
