"""Rows of the database kept in memory and written back: the tests' demo is seeded once per
run and their small world built once per worker, and each test that needs them gets their
rows back in one statement per table.

``take()`` reads every table but Django's migration record; ``restore()`` empties those
tables and writes the rows back with their ids; ``added()`` keeps the rows a builder
inserted, which ``insert()`` writes beside the rows there. Each then moves the id
sequences past the largest id. Inside a transaction (a test's) the writes are rolled back
with it; outside one they commit, for a live server to read.

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


def added(before: Snapshot, after: Snapshot) -> Snapshot:
    """The rows of ``after`` that ``before`` did not have: what was inserted in between."""
    tables = {}
    for table, data in after.tables.items():
        if connection.vendor == "postgresql":
            old = set(before.tables.get(table, b"").splitlines(keepends=True))
            new = b"".join(line for line in data.splitlines(keepends=True) if line not in old)
        else:
            columns, rows = data
            old = set(before.tables.get(table, (columns, []))[1])
            new = [row for row in rows if row not in old]
            new = (columns, new) if new else None
        if new:
            tables[table] = new
    return Snapshot(tables)


def restore(snapshot: Snapshot) -> None:
    """Every table holds the snapshot's rows and no other."""
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with checks still pending in the transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE " + ", ".join(qn(table) for table in snapshot.tables))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in snapshot.tables:
                cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608
        _write(cursor, snapshot)
    clear_caches()


def insert(snapshot: Snapshot) -> None:
    """The snapshot's rows written beside those there (the ``added`` rows of a builder)."""
    with transaction.atomic(), connection.cursor() as cursor:
        _write(cursor, snapshot)


def _write(cursor, snapshot: Snapshot) -> None:
    # Foreign keys are checked at the commit (Django declares them deferrable), so the
    # tables can be filled in any order.
    qn = connection.ops.quote_name
    for table, data in snapshot.tables.items():
        if not data:
            continue
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} FROM STDIN") as copy:
                copy.write(data)
        elif data[1]:
            columns, rows = data
            marks = ", ".join(["?"] * len(columns))
            names = ", ".join(qn(column) for column in columns)
            sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608
            connection.connection.executemany(sql, rows)
    # The rows came with their ids: the next id of each table must come after them.
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in snapshot.tables]
    for sql in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(sql)


def clear_caches() -> None:
    """Content types are cached by id; rows put back may carry other ids than the cache."""
    ContentType.objects.clear_cache()
