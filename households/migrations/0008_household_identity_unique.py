"""One household per head, year of birth and area, unless the user confirmed another one
(two identical creates sent together were both saved).

Households that already share that identity are left as they are: the earliest of each
group keeps the guard, the later ones are marked as confirmed (they were either confirmed by
a user, which the data did not record until now, or saved by the race this closes; an
officer can tell them apart on the list, a migration cannot). Refusing to migrate would
stop an upgrade on data nobody can fix from the command line."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Coalesce


def allow_existing_duplicates(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    keyed = Household.objects.annotate(year_key=Coalesce("birth_year", Value(0)))
    earlier = keyed.filter(
        area=OuterRef("area"),
        name_normalized=OuterRef("name_normalized"),
        year_key=OuterRef("year_key"),
        pk__lt=OuterRef("pk"),
    )
    later = keyed.filter(Exists(earlier)).values("pk")
    Household.objects.filter(pk__in=later).update(duplicate_allowed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0007_other_sponsors"),
    ]

    operations = [
        migrations.AddField(
            model_name="household",
            name="duplicate_allowed",
            field=models.BooleanField(
                db_default=False,
                default=False,
                editable=False,
                verbose_name="confirmed as another household with the same head, year of birth and area",
            ),
        ),
        migrations.RunPython(allow_existing_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="household",
            constraint=models.UniqueConstraint(
                models.F("area"),
                models.F("name_normalized"),
                Coalesce(models.F("birth_year"), models.Value(0)),
                condition=models.Q(("duplicate_allowed", False)),
                name="household_identity_unique",
            ),
        ),
    ]
