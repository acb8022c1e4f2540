"""The audit log (django-auditlog): one record's history, and entries for records written
in bulk, which send no save() signal."""

from __future__ import annotations

from django.utils import timezone


def history(obj):
    """The audit log of one record, newest first."""
    from auditlog.models import LogEntry

    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:50]


def audit_bulk(objects: list, by, action: int, changes) -> None:
    """Audit log entries of records written in bulk (bulk writes send no save() signal).
    ``changes(obj)`` gives the entry's {field: [old, new]}."""
    if not objects:
        return
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(type(objects[0]))
    now = timezone.now()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:255],
                action=action,
                changes=changes(obj),
                actor=by if getattr(by, "pk", None) else None,
                timestamp=now,
                cid=get_cid(),
            )
            for obj in objects
        ]
    )


def audit_created(objects: list, by) -> None:
    from auditlog.models import LogEntry

    if objects:
        fields = [f for f in type(objects[0])._meta.concrete_fields if not f.primary_key]
        audit_bulk(
            objects,
            by,
            LogEntry.Action.CREATE,
            lambda obj: {f.name: ["None", str(getattr(obj, f.attname))] for f in fields},
        )


def audit_changed(objects: list, by, field: str, old: dict) -> None:
    from auditlog.models import LogEntry

    attname = type(objects[0])._meta.get_field(field).attname if objects else field
    audit_bulk(
        objects,
        by,
        LogEntry.Action.UPDATE,
        lambda obj: {field: [str(old[obj.pk]), str(getattr(obj, attname))]},
    )
