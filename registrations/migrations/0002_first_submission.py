from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_first_submission(apps, schema_editor):
    """The first submission recorded in the history, else the (latest) submission kept."""
    Registration = apps.get_model("registrations", "Registration")
    RegistrationEvent = apps.get_model("registrations", "RegistrationEvent")
    first = (
        RegistrationEvent.objects.filter(registration=OuterRef("pk"), action="submitted")
        .order_by("at", "id")
        .values("at")[:1]
    )
    Registration.objects.filter(submitted_at__isnull=False).update(
        first_submitted_at=Coalesce(Subquery(first), F("submitted_at"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="first_submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first submitted at"),
        ),
        migrations.RunPython(fill_first_submission, migrations.RunPython.noop),
    ]
