"""Every row of the database, kept in memory and put back: the demo is seeded once per test
session and each test that needs it gets it back in well under a second.

``take()`` reads every table but Django's migration record; ``restore()`` empties those
tables and writes the rows back with their ids, then moves each id sequence past the
largest id. Inside a transaction (a test's) the restore is rolled back with it; outside one
it commits, for a live server to read.

Table and column names come from the database's own catalogue, quoted (hence the S608
exemptions below).
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

SKIPPED_TABLES = {"django_migrations"}


@dataclass(frozen=True)
class Snapshot:
    # PostgreSQL: table -> its rows in COPY's text format; SQLite: table -> (columns, rows).
    tables: dict


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return [name for name in names if name not in SKIPPED_TABLES]


def take() -> Snapshot:
    qn = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qn(table)} TO STDOUT") as copy:
                    tables[table] = b"".join(bytes(block) for block in copy)
            else:
                cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608
                tables[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return Snapshot(tables)


def restore(snapshot: Snapshot) -> None:
    qn = connection.ops.quote_name
    # Foreign keys are checked at the commit (Django declares them deferrable), so the
    # tables can be emptied and filled in any order.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with checks still pending in the transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(qn(table) for table in snapshot.tables))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, data in snapshot.tables.items():
                if data:
                    with cursor.cursor.copy(f"COPY {qn(table)} FROM STDIN") as copy:
                        copy.write(data)
        else:
            for table in snapshot.tables:
                cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608
            for table, (columns, rows) in snapshot.tables.items():
                if rows:
                    marks = ", ".join(["?"] * len(columns))
                    names = ", ".join(qn(column) for column in columns)
                    sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608
                    connection.connection.executemany(sql, rows)
        models = apps.get_models(include_auto_created=True)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    clear_caches()


def clear_caches() -> None:
    """Content types are cached by id; rows put back may carry other ids than the cache."""
    ContentType.objects.clear_cache()
