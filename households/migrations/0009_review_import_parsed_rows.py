"""An uploaded review list keeps what its file held, read once at upload, instead of the file
(the stored file used to be parsed again at every preview and at the confirmation, so one
crafted upload could kill a worker again and again).

Uploads waiting for their confirmation have no rows to keep yet: they are deleted, and their
uploaders upload the list again (a preview is kept a day at most anyway). Applied uploads
keep their summary."""

from django.db import migrations, models


def drop_unconfirmed_uploads(apps, schema_editor):
    ReviewImport = apps.get_model("households", "ReviewImport")
    ReviewImport.objects.filter(applied_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0008_household_identity_unique"),
    ]

    operations = [
        migrations.RunPython(drop_unconfirmed_uploads, migrations.RunPython.noop),
        migrations.RemoveField(model_name="reviewimport", name="content"),
        migrations.AddField(
            model_name="reviewimport",
            name="parsed",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
