"""Bulk writes for the benchmark generators (seed_bench): PostgreSQL COPY, else bulk_create.

Rows are tuples in the order of ``fields`` (model field names). JSON fields take Python
values. Ids for rows other rows point to come from ``reserve_ids`` (the table's own
sequence on PostgreSQL), so COPY need not return them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - table name from the model
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple], batch_size: int = 5000
) -> int:
    """Write ``rows`` into ``model``'s table; returns how many."""
    model_fields = [model._meta.get_field(name) for name in fields]
    count = 0
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        json_at = [i for i, f in enumerate(model_fields) if f.get_internal_type() == "JSONField"]
        columns = ", ".join(f'"{f.column}"' for f in model_fields)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            row[i] = Jsonb(row[i])
                    copy.write_row(row)
                    count += 1
        return count
    attnames = [f.attname for f in model_fields]
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) >= batch_size:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count + len(batch)
