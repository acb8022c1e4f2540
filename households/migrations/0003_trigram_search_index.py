"""On PostgreSQL, a trigram index lets the accent-insensitive search (LIKE '%word%' on the
normalized name) use an index. Skipped where pg_trgm cannot be installed (no privilege)
and on SQLite, where the search still works without it."""

from django.db import migrations, transaction

INDEX = "households_household_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON households_household USING gin (name_normalized gin_trgm_ops)"
            )
    except Exception:  # noqa: BLE001 - without the extension the search works unindexed
        pass


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("households", "0002_reference_data")]

    operations = [migrations.RunPython(create, drop)]
