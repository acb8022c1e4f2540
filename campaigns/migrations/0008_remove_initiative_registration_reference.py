"""Step 2 of 2: the free-text reference is gone; one item creates at most one record."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_initiative_registration_item"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="initiative",
            name="registration_reference",
        ),
        migrations.AddConstraint(
            model_name="initiative",
            constraint=models.UniqueConstraint(fields=("registration_item",), name="initiative_one_per_registration_item"),
        ),
        migrations.AddConstraint(
            model_name="outstandingarea",
            constraint=models.UniqueConstraint(fields=("registration_item",), name="outstanding_area_one_per_registration_item"),
        ),
    ]
