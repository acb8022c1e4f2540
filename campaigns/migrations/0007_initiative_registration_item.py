"""Initiatives and outstanding areas point to the registration item they came from.

Step 1 of 2: the nullable links, then the old free-text ``registration_reference`` is
matched to items where it can be: a reference that is the id of an initiative item of the
same organization, else the one accepted "initiative" item of that organization with the
same name. A reference that matches nothing is kept in the initiative's description (so no
text is lost) before step 2 removes the column. A linked item points back to its
initiative. Outstanding areas are linked to the accepted outstanding-area item of the same
program, area and year, when there is one.
"""

import django.db.models.deletion
from django.db import migrations, models

from portal.text import normalize


def _initiative_item(RegistrationItem, initiative, taken):
    items = RegistrationItem.objects.filter(
        kind="initiative", registration__organization_id=initiative.organization_id
    ).exclude(pk__in=taken)
    reference = initiative.registration_reference.strip().lstrip("#")
    if reference.isdigit():
        by_id = items.filter(pk=int(reference)).first()
        if by_id is not None:
            return by_id
    same_name = [
        item
        for item in items.filter(registration__status="accepted").order_by("pk")
        if normalize(item.initiative_name) == initiative.name_normalized
    ]
    return same_name[0] if len(same_name) == 1 else None


def link_registration_items(apps, schema_editor):
    Initiative = apps.get_model("campaigns", "Initiative")
    OutstandingArea = apps.get_model("campaigns", "OutstandingArea")
    RegistrationItem = apps.get_model("campaigns", "RegistrationItem")
    taken = set()
    for initiative in Initiative.objects.exclude(registration_reference="").order_by("pk"):
        item = _initiative_item(RegistrationItem, initiative, taken)
        if item is not None:
            taken.add(item.pk)
            initiative.registration_item = item
            RegistrationItem.objects.filter(pk=item.pk).update(initiative=initiative)
        else:
            note = f"Mục đăng ký (chưa liên kết được): {initiative.registration_reference.strip()}"
            initiative.description = f"{initiative.description}\n\n{note}".strip()
        initiative.save(update_fields=["registration_item", "description"])
    taken = set()
    for record in OutstandingArea.objects.filter(registration_item__isnull=True).order_by("pk"):
        item = (
            RegistrationItem.objects.filter(
                kind="outstanding_area",
                area_id=record.area_id,
                registration__status="accepted",
                registration__period__program_id=record.program_id,
                registration__period__year=record.year,
            )
            .exclude(pk__in=taken)
            .order_by("pk")
            .first()
        )
        if item is not None:
            taken.add(item.pk)
            record.registration_item = item
            record.save(update_fields=["registration_item"])


def unlink_registration_items(apps, schema_editor):
    Initiative = apps.get_model("campaigns", "Initiative")
    for initiative in Initiative.objects.exclude(registration_item=None):
        initiative.registration_reference = str(initiative.registration_item_id)
        initiative.save(update_fields=["registration_reference"])


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0006_expected_organization_change'),
        ('organizations', '0002_user_language'),
    ]

    operations = [
        migrations.AddField(
            model_name='initiative',
            name='registration_item',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='created_initiatives', to='campaigns.registrationitem', verbose_name='registration item'),
        ),
        migrations.AddField(
            model_name='outstandingarea',
            name='registration_item',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='outstanding_areas', to='campaigns.registrationitem', verbose_name='registration item'),
        ),
        migrations.AddField(
            model_name='registrationitem',
            name='initiative',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='registration_items', to='campaigns.initiative', verbose_name='initiative continued'),
        ),
        migrations.RunPython(link_registration_items, unlink_registration_items),
    ]
