import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="fundentry",
            name="support",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="households.support",
                verbose_name="support",
            ),
        ),
        migrations.AddConstraint(
            model_name="fundentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("support__isnull", True),
                    models.Q(("kind", "spending"), ("reverses__isnull", True)),
                    _connector="OR",
                ),
                name="fund_entry_support_is_a_spending",
            ),
        ),
    ]
