"""Names of units and organizations sorted as Vietnamese is read (portal/collation.py)."""

from django.db import migrations, models

from portal.collation import ICU_LOCALE, NAME_COLLATION


def create_collation(apps, schema_editor):
    # SQLite learns it on each connection (portal.apps); PostgreSQL keeps it in the database.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE COLLATION IF NOT EXISTS {NAME_COLLATION} (provider = icu, locale = '{ICU_LOCALE}')"
        )


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP COLLATION IF EXISTS {NAME_COLLATION}")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_unit_by_name"),
    ]

    operations = [
        migrations.RunPython(create_collation, drop_collation),
        migrations.AlterField(
            model_name="organization",
            name="name",
            field=models.CharField(db_collation=NAME_COLLATION, max_length=255, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="unit",
            name="name",
            field=models.CharField(db_collation=NAME_COLLATION, max_length=200, verbose_name="name"),
        ),
    ]
