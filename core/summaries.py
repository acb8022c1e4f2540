"""The summaries kept beside the records (figures counted in the writing transaction), as
``manage.py rebuild_summaries`` finds them: each app registers its summary modules in its
``AppConfig.ready``. A module counts its summary from the raw records (``recount_all``),
reads what is stored (``stored``) and replaces it (``rebuild``)."""

from collections.abc import Callable
from types import ModuleType

from django.db import connection, transaction

SUMMARIES: list[tuple[str, ModuleType]] = []


def register(name: str, module: ModuleType) -> None:
    if all(module is not known for _name, known in SUMMARIES):
        SUMMARIES.append((name, module))


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
