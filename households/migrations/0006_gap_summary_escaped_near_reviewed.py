from django.db import migrations, models


def fill(apps, schema_editor):
    """Recount the summary with its new figures."""
    from households import gaps

    names = ["Household", "HouseholdStatus", "Sponsorship", "GapSummary"]
    gaps.rebuild(tuple(apps.get_model("households", name) for name in names))


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0005_gap_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="gapsummary",
            name="escaped_near",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="gapsummary",
            name="reviewed",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
