"""Unit paths with each id padded to ten digits, so sorting by path keeps siblings in the
order they were made across a digit boundary (see Unit)."""

from django.db import migrations

WIDTH = 10  # organizations.models.PATH_ID_WIDTH when this migration was written


def _rewrite(apps, segment):
    Unit = apps.get_model("organizations", "Unit")
    units = list(Unit.objects.only("pk", "path"))
    for unit in units:
        unit.path = "/" + "".join(f"{segment(part)}/" for part in unit.path.strip("/").split("/"))
    Unit.objects.bulk_update(units, ["path"], batch_size=1000)


def pad(apps, schema_editor):
    _rewrite(apps, lambda part: f"{int(part):0{WIDTH}d}")


def unpad(apps, schema_editor):
    _rewrite(apps, lambda part: str(int(part)))


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0004_names_in_vietnamese_order"),
    ]

    operations = [migrations.RunPython(pad, unpad)]
