"""What the three summaries (households/gaps.py, aid.py, fund.py) share: replacing every row
of one with a recount of the raw records."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction


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
