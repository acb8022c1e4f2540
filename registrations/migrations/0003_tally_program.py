import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_program(apps, schema_editor):
    """Each tally repeats its registration's period's program."""
    Registration = apps.get_model("registrations", "Registration")
    Tally = apps.get_model("registrations", "RegistrationTally")
    program = Registration.objects.filter(pk=OuterRef("registration_id")).values("period__program_id")[:1]
    Tally.objects.update(program_id=Subquery(program))


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_field_labels"),
        ("programs", "0001_initial"),
        ("registrations", "0002_first_submission"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="registrationtally", name="registration_tally_by_unit"),
        migrations.AddField(
            model_name="registrationtally",
            name="program",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.program",
                verbose_name="program",
            ),
        ),
        migrations.RunPython(fill_program, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registrationtally",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.program",
                verbose_name="program",
            ),
        ),
        migrations.AddIndex(
            model_name="registrationtally",
            index=models.Index(
                fields=[
                    "unit", "year", "submitted", "org_kind", "kind", "program",
                    "committed", "achieved", "partly", "not_achieved", "pledged",
                ],
                name="registration_tally_by_unit",
            ),  # fmt: skip
        ),
    ]
