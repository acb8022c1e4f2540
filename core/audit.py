"""The audit log (django-auditlog): entries for what its signals do not see, and one way to
read an entry.

Bulk writes (``bulk_create``, ``bulk_update``, ``QuerySet.update``) send no save() signal,
and an event that changes no logged field (a password reset) leaves no diff: the helpers
below write their entries, one per record, in a few ``bulk_create`` queries whatever the
number of records. The values are those auditlog writes itself (``model_instance_diff``:
its excluded fields left out, its masked fields masked), with the acting user and the
request's address the middleware keeps for the request.

``describe`` reads entries as their users typed them: the fields' Vietnamese labels,
choices by their label, related records by their name, Có/Không, local time, lists as
lists. The change log page and a record's own history use it; an export of the log
should too.
"""

from __future__ import annotations

import copy
import datetime
import json
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

BATCH = 1000

# Events written on a record without a field to show for them: the action's word says it.
PASSWORD_RESET = "password_reset"  # noqa: S105 - an event's name
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event's name
EVENTS = {
    PASSWORD_RESET: _("Password reset"),
    PASSWORD_CHANGED: _("Password changed"),
}

# The records whose history is read with their parent's (a household's page, the change log
# filtered to a household): (model, the field naming the parent).
PARTS = {
    "households.household": (
        ("households.householdstatus", "household"),
        ("households.sponsorship", "household"),
        ("households.support", "household"),
    ),
}


def history(obj):
    """The audit log of one record, newest first."""
    from auditlog.models import LogEntry

    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:50]


# ---------------------------------------------------------------- writing


def _request_context() -> dict:
    """The actor, address and port the middleware (or ``set_actor``) keeps for this request."""
    from auditlog.context import auditlog_value

    try:
        return auditlog_value.get()
    except LookupError:
        return {}


def _disabled() -> bool:
    from auditlog.context import auditlog_disabled

    return auditlog_disabled.get()


def _registered(model) -> bool:
    from auditlog.registry import auditlog

    return auditlog.contains(model)


def audit_bulk(objects: list, by, action: int, changes, *, event: str = "") -> None:
    """One entry per record, in a few queries. ``changes(obj)`` gives the entry's
    {field: [old, new]}; a change that changed nothing is not written."""
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    # The model from _meta, not type(): request.user is a lazy object.
    if not objects or _disabled() or not _registered(objects[0]._meta.model):
        return
    context = _request_context()
    actor = by if getattr(by, "pk", None) else context.get("actor")
    content_type = ContentType.objects.get_for_model(objects[0]._meta.model)
    now, cid = timezone.now(), get_cid()
    entries = []
    for obj in objects:
        diff = changes(obj)
        if not diff and not event and action == LogEntry.Action.UPDATE:
            continue
        entries.append(
            LogEntry(
                content_type=content_type,
                object_pk=str(obj.pk),
                object_id=obj.pk if isinstance(obj.pk, int) else None,
                object_repr=str(obj)[:255],
                action=action,
                changes={name: list(values) for name, values in (diff or {}).items()},
                actor=actor,
                actor_email=getattr(actor, "email", None),
                remote_addr=context.get("remote_addr"),
                remote_port=context.get("remote_port"),
                additional_data={"event": event} if event else None,
                timestamp=now,
                cid=cid,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=BATCH)


def _diff(old, new, fields=None) -> dict | None:
    from auditlog.diff import model_instance_diff

    return model_instance_diff(
        old, new, fields_to_check=fields, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
    )


def _concrete_names(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields]


def audit_created(objects: list, by) -> None:
    """Entries of records just inserted with ``bulk_create`` (their ids set)."""
    from auditlog.models import LogEntry

    if objects:
        names = _concrete_names(objects[0]._meta.model)
        audit_bulk(objects, by, LogEntry.Action.CREATE, lambda obj: _diff(None, obj, names))


def before(objects) -> dict:
    """Copies of records as they are now, for ``audit_updated`` once they are changed."""
    return {obj.pk: copy.copy(obj) for obj in objects}


def audit_updated(objects: list, by, old: dict, fields: list[str]) -> None:
    """Entries of records changed with ``bulk_update``: ``old`` holds their copies from
    ``before()``; only the ``fields`` that differ are written, and an unchanged record not."""
    from auditlog.models import LogEntry

    audit_bulk(objects, by, LogEntry.Action.UPDATE, lambda obj: _diff(old[obj.pk], obj, fields))


def audit_changed(objects: list, by, field: str, old: dict) -> None:
    """Entries of records whose one ``field`` was changed in bulk; ``old`` maps each
    record's id to the field's former value (an id for a foreign key)."""
    if not objects:
        return
    attname = objects[0]._meta.get_field(field).attname
    copies = before(objects)
    for obj in objects:
        setattr(copies[obj.pk], attname, old[obj.pk])
    audit_updated(objects, by, copies, [field])


def audit_event(obj, by, event: str, *, old=None, fields: list[str] | None = None) -> None:
    """An event on a record (``EVENTS``), written even when no logged field changed; with
    ``old`` (a copy from ``before()``), the ``fields`` it changed too."""
    from auditlog.models import LogEntry

    def changes(_obj):
        return _diff(old, obj, fields) if old is not None else {}

    audit_bulk([obj], by, LogEntry.Action.UPDATE, changes, event=event)


# ---------------------------------------------------------------- reading


def record_q(model, pk) -> Q:
    """Entries of a record and of the records read with it (``PARTS``): each part's records
    as a subquery, so that their entries come in the same query."""
    from django.contrib.contenttypes.models import ContentType

    conditions = [Q(content_type=ContentType.objects.get_for_model(model), object_id=pk)]
    for label, parent_field in PARTS.get(model._meta.label_lower, ()):
        part = apps.get_model(label)
        conditions.append(
            Q(
                content_type=ContentType.objects.get_for_model(part),
                object_id__in=part._default_manager.filter(**{parent_field: pk}).values("pk"),
            )
        )
    return reduce(or_, conditions)


def record_entries(model, pk):
    """The entries of a record and of the records read with it, newest first."""
    from auditlog.models import LogEntry

    return (
        LogEntry.objects.filter(record_q(model, pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


# Fields that are bookkeeping, not content, and the record's id (the record column names
# it): not shown.
HIDDEN_FIELDS = {
    "id",
    "name_normalized",
    "path",
    "password",
    "last_login",
    "created_at",
    "updated_at",
    "version",
}
# Integer fields that are years or codes: shown as they are, not grouped.
RAW_INTEGER_FIELDS = {"official_code", "order", "number"}
INTEGER_KINDS = {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
TEXT_KINDS = {"CharField", "TextField", "EmailField"}
# How the log writes "nothing": None as text, an empty list, and "**ne", which is "None"
# after auditlog masked its first half (the ID number of a household created without one).
NULL_VALUES = {"None", "", "[]", "{}", "null", "**ne"}
NOTHING = "—"


@dataclass
class Change:
    label: str
    old: str
    new: str
    raw: bool = False  # a year or a code: not grouped
    text: bool = False  # free text typed by a user


@dataclass
class Described:
    entry: object
    model: type | None
    model_label: str
    action_label: str
    when: str
    changes: list[Change] = field(default_factory=list)


def _is_null(value) -> bool:
    return value is None or value in NULL_VALUES


def local_time(moment: datetime.datetime) -> str:
    """dd/mm/yyyy HH:MM in the portal's time zone."""
    if timezone.is_naive(moment):
        # auditlog writes a moment as naive UTC (and the portal's own helpers did too).
        moment = timezone.make_aware(moment, datetime.UTC)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _json_text(value: str) -> str:
    """A JSON field's value (auditlog writes it with ``\\u`` escapes) as a reader writes it."""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return value
    if isinstance(data, list):
        return ", ".join(str(item) for item in data) or NOTHING
    if isinstance(data, dict):
        return "; ".join(f"{key}: {item}" for key, item in data.items()) or NOTHING
    return str(data)


def _is_raw(field_obj) -> bool:
    return field_obj.name.endswith("year") or field_obj.name in RAW_INTEGER_FIELDS


def format_value(field_obj, value, names: dict) -> str:
    """One logged value as its user typed it; ``names`` holds the related records' names."""
    if _is_null(value):
        return NOTHING
    value = str(value)
    if field_obj is None:
        return value
    if field_obj.many_to_one or field_obj.one_to_one:
        return names.get((field_obj.related_model, value), gettext("no. %(id)s (deleted)") % {"id": value})
    if field_obj.choices:
        choices = {str(key): label for key, label in field_obj.flatchoices}
        return str(choices.get(value, value))
    kind = field_obj.get_internal_type()
    if kind == "BooleanField":
        return gettext("Yes") if value in ("True", "1", "true") else gettext("No")
    if kind == "JSONField":
        return _json_text(value)
    if kind == "DateField":
        day = parse_date(value[:10])
        return day.strftime("%d/%m/%Y") if day else value
    if kind == "DateTimeField":
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        return local_time(moment) if moment else value
    if kind in INTEGER_KINDS:
        try:
            number = int(value)
        except ValueError:
            return value
        return str(number) if _is_raw(field_obj) else f"{number:,}".replace(",", ".")
    return value


def _field(model, name):
    """The model's own field of that name (not a reverse relation), or None."""
    try:
        found = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since the change was logged
        return None
    if getattr(found, "concrete", False) or (found.many_to_many and not found.auto_created):
        return found
    return None


def field_label(field_obj) -> str:
    """The field's label in the user's language: a field the model gives no label is named
    from its attribute ("recorded at"), which the catalogue translates too."""
    return capfirst(gettext(str(field_obj.verbose_name)))


def _related_names(entries, known) -> dict:
    """{(model, id as text): name} for every related record the entries name: the records
    already at hand (``known``) without a query, then one query per kind of record."""
    names = {(type(obj), str(obj.pk)): str(obj) for obj in known}
    wanted: dict = {}
    for entry in entries:
        model = entry.content_type.model_class()
        if model is None:
            continue
        for name, values in (entry.changes_dict or {}).items():
            field_obj = _field(model, name)
            if field_obj is None or not (field_obj.many_to_one or field_obj.one_to_one):
                continue
            if not isinstance(values, list | tuple):
                continue
            for value in values:
                key = (field_obj.related_model, str(value))
                if not _is_null(value) and key not in names:
                    wanted.setdefault(field_obj.related_model, set()).add(str(value))
    for model, pks in wanted.items():
        valid = [pk for pk in pks if pk.isdecimal() and len(pk) < 19]
        if valid:
            for obj in model._default_manager.filter(pk__in=valid):
                names[(model, str(obj.pk))] = str(obj)
    return names


def action_label(entry) -> str:
    from auditlog.models import LogEntry

    event = (entry.additional_data or {}).get("event") if isinstance(entry.additional_data, dict) else None
    if event in EVENTS:
        return str(EVENTS[event])
    return str(
        {
            LogEntry.Action.CREATE: _("Created"),
            LogEntry.Action.UPDATE: _("Changed"),
            LogEntry.Action.DELETE: _("Deleted"),
        }.get(entry.action, _("Other"))
    )


def _m2m_change(field_obj, values: dict) -> Change | None:
    objects = ", ".join(str(o) for o in values.get("objects", [])) or NOTHING
    label = field_label(field_obj)
    if values.get("operation") == "add":
        return Change(label=label, old=NOTHING, new=objects, text=True)
    if values.get("operation") == "delete":
        return Change(label=label, old=objects, new=NOTHING, text=True)
    return None


def describe(entries, known=()) -> list[Described]:
    """The entries as a user reads them. ``known``: related records already loaded, named
    without a query (the others: one query per kind of record)."""
    entries = list(entries)
    names = _related_names(entries, known)
    result = []
    for entry in entries:
        model = entry.content_type.model_class()
        described = Described(
            entry=entry,
            model=model,
            model_label=str(capfirst(model._meta.verbose_name)) if model else entry.content_type.name,
            action_label=action_label(entry),
            when=local_time(entry.timestamp),
        )
        for name, values in (entry.changes_dict or {}).items():
            if name in HIDDEN_FIELDS:
                continue
            field_obj = _field(model, name) if model else None
            if model is not None and field_obj is None:
                continue  # a reverse relation logged as its manager's name
            if field_obj is not None and field_obj.many_to_many:
                if isinstance(values, dict) and (change := _m2m_change(field_obj, values)):
                    described.changes.append(change)
                continue
            if not isinstance(values, list | tuple) or len(values) != 2:
                continue
            old, new = format_value(field_obj, values[0], names), format_value(field_obj, values[1], names)
            if old == new:
                continue  # a new record's empty field: nothing to read
            described.changes.append(
                Change(
                    label=field_label(field_obj) if field_obj is not None else name,
                    old=old,
                    new=new,
                    raw=field_obj is not None and _is_raw(field_obj),
                    text=field_obj is not None
                    and not field_obj.choices
                    and field_obj.get_internal_type() in TEXT_KINDS,
                )
            )
        result.append(described)
    return result
