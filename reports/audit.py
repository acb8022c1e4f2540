"""The change log across records: who changed what, when, old → new (django-auditlog).

Reads only. What a user sees is decided by ``access.audit_visible``: the entries of the
records kept in their subtree. The work per page is bounded by the number of kinds of
record on it, never by the number of entries: one query per kind for the links and one
per kind of related record for the names shown instead of ids.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from core.collation import sort_key
from organizations import access

# Fields that are bookkeeping, not content, and the record's id (the record column names
# it): not shown.
HIDDEN_FIELDS = {"id", "name_normalized", "password", "last_login", "created_at", "updated_at", "version"}
# Integer fields that are years or codes: shown as they are, not grouped.
RAW_INTEGER_FIELDS = {"official_code", "order", "number"}

# Where a record is shown: the URL name, its keyword and the field giving the value.
LINKS = {
    "households.household": ("households:detail", "pk", "pk"),
    "households.householdstatus": ("households:detail", "pk", "household_id"),
    "households.sponsorship": ("households:detail", "pk", "household_id"),
    "households.support": ("households:detail", "pk", "household_id"),
    "households.fundentry": ("households:fund", "unit", "unit_id"),
    "programs.program": ("programs:program_detail", "pk", "pk"),
    "registrations.registrationperiod": ("registrations:period_detail", "pk", "pk"),
    "registrations.registration": ("registrations:registration_detail", "pk", "pk"),
    "registrations.registrationitem": ("registrations:registration_detail", "pk", "registration_id"),
    "activities.initiative": ("activities:initiative_detail", "pk", "pk"),
    "activities.initiativestatuschange": ("activities:initiative_detail", "pk", "initiative_id"),
    "activities.initiativeyear": ("activities:initiative_detail", "pk", "initiative_id"),
    "activities.supervision": ("activities:supervision_detail", "pk", "pk"),
    "activities.exemplaryexample": ("activities:example_detail", "pk", "pk"),
    "activities.outstandingarea": ("activities:outstanding_update", "pk", "pk"),
    "programs.programdocument": ("programs:document_update", "pk", "pk"),
    "organizations.unit": ("organizations:unit_detail", "pk", "pk"),
}


# Accounts and their memberships: only for those who manage accounts (the reviewers).
ACCOUNT_MODELS = {"organizations.user", "organizations.membership"}


def audited_models(user) -> list:
    models = auditlog.get_models()
    if not access.is_reviewer(user):
        models = [m for m in models if m._meta.label_lower not in ACCOUNT_MODELS]
    return sorted(models, key=lambda m: sort_key(str(m._meta.verbose_name_plural)))


def model_choices(user) -> list[tuple[str, str]]:
    return [
        (m._meta.label_lower, str(m._meta.verbose_name_plural).capitalize()) for m in audited_models(user)
    ]


@dataclass
class Filters:
    actor: int | None = None
    model: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def entries(user, filters: Filters | None = None):
    """The log entries the user may read, newest first."""
    filters = filters or Filters()
    models = audited_models(user)
    if filters.model:
        models = [m for m in models if m._meta.label_lower == filters.model]
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if not access.can_view_audit(user) or not models:
        return qs.none()
    types = ContentType.objects.get_for_models(*models)
    if user.is_superuser:
        qs = qs.filter(content_type__in=list(types.values()))
    else:
        qs = qs.filter(
            reduce(
                or_,
                (
                    # A probe of the entry's record, where an IN over every record the user
                    # sees (a province's 500,000 households) outgrew the hash table and was
                    # scanned for each entry: 2.9 s → 0.2 s. The content type first: an entry
                    # of another model skips the probe.
                    Q(content_type=types[model])
                    & Q(
                        Exists(
                            access.audit_visible(
                                model._default_manager.filter(pk=OuterRef("object_id")), user
                            )
                        )
                    )
                    for model in models
                ),
            )
        )
    if filters.actor:
        qs = qs.filter(actor_id=filters.actor)
    zone = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(
            timestamp__gte=datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=zone)
        )
    if filters.date_to:
        end = filters.date_to + datetime.timedelta(days=1)
        qs = qs.filter(timestamp__lt=datetime.datetime.combine(end, datetime.time.min, tzinfo=zone))
    return qs


def actors(user):
    """Whom the user filter offers: the accounts the user may see, and themselves."""
    from organizations.models import User

    return (
        (access.visible(User.objects.all(), user) | User.objects.filter(pk=user.pk))
        .distinct()
        .order_by("full_name", "username")
    )


# ---------------------------------------------------------------- rows of a page


@dataclass
class Change:
    label: str
    old: str
    new: str
    raw: bool = False  # a year or a code: not grouped
    text: bool = False  # free text typed by a user


@dataclass
class Row:
    entry: LogEntry
    model_label: str
    link: str | None
    changes: list[Change] = field(default_factory=list)


# How the log writes "nothing": None as text, an empty list, and "**ne", which is "None"
# after auditlog masked its first half (the ID number of a household created without one).
NULL_VALUES = {"None", "", "[]", "**ne"}


def _is_null(value) -> bool:
    return value is None or value in NULL_VALUES


def _format(field_obj, value, names: dict) -> str:
    if _is_null(value):
        return "—"
    value = str(value)
    if field_obj is None:
        return value
    if field_obj.many_to_one or field_obj.one_to_one:
        return names.get((field_obj.related_model, value), _("no. %(id)s (deleted)") % {"id": value})
    choices = dict(field_obj.flatchoices) if field_obj.choices else None
    if choices:
        return str(choices.get(value, value))
    kind = field_obj.get_internal_type()
    if kind == "BooleanField":
        return _("Yes") if value in ("True", "1", "true") else _("No")
    if kind == "DateField":
        day = parse_date(value[:10])
        return day.strftime("%d/%m/%Y") if day else value
    if kind == "DateTimeField":
        moment = parse_datetime(value)
        if moment is None:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%H:%M %d/%m/%Y")
    if kind in ("IntegerField", "BigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField"):
        try:
            number = int(value)
        except ValueError:
            return value
        if _is_raw(field_obj):
            return str(number)
        return f"{number:,}".replace(",", ".")
    return value


def _is_raw(field_obj) -> bool:
    return field_obj.name.endswith("year") or field_obj.name in RAW_INTEGER_FIELDS


def _field(model, name):
    """The model's own field of that name (not a reverse relation), or None."""
    try:
        found = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since the change was logged
        return None
    return found if getattr(found, "concrete", False) else None


def rows(page_entries, user) -> list[Row]:
    """The entries of one page, with field labels, names for ids and links."""
    page_entries = list(page_entries)
    by_model: dict = {}
    related: dict = {}
    for entry in page_entries:
        model = entry.content_type.model_class()
        if model is None:
            continue
        by_model.setdefault(model, []).append(entry)
        for name, values in (entry.changes_dict or {}).items():
            field_obj = _field(model, name)
            if (
                field_obj is not None
                and (field_obj.many_to_one or field_obj.one_to_one)
                and isinstance(values, list)
            ):
                for value in values:
                    if not _is_null(value):
                        related.setdefault(field_obj.related_model, set()).add(str(value))
    names = {}
    for model, pks in related.items():
        valid = [pk for pk in pks if pk.isdecimal() and len(pk) < 19]
        for obj in model._default_manager.filter(pk__in=valid).select_related():
            names[(model, str(obj.pk))] = str(obj)
    links = {}
    for model, model_entries in by_model.items():
        spec = LINKS.get(model._meta.label_lower)
        if spec is None:
            continue
        url_name, kwarg, value_field = spec
        pks = {e.object_id for e in model_entries if e.object_id is not None}
        for pk, value in access.visible(model._default_manager.filter(pk__in=pks), user).values_list(
            "pk", value_field
        ):
            links[(model, pk)] = reverse(url_name, kwargs={kwarg: value})
    result = []
    for entry in page_entries:
        model = entry.content_type.model_class()
        label = str(model._meta.verbose_name).capitalize() if model else entry.content_type.name
        row = Row(entry=entry, model_label=label, link=links.get((model, entry.object_id)))
        for name, values in (entry.changes_dict or {}).items():
            if name in HIDDEN_FIELDS or not isinstance(values, list | tuple) or len(values) != 2:
                continue
            field_obj = _field(model, name) if model else None
            if model is not None and field_obj is None:
                continue  # a many-to-many or reverse relation logged as its manager's name
            old, new = _format(field_obj, values[0], names), _format(field_obj, values[1], names)
            if old == new:
                continue  # a new record's empty field: nothing to read
            row.changes.append(
                Change(
                    label=str(field_obj.verbose_name).capitalize() if field_obj is not None else name,
                    old=old,
                    new=new,
                    raw=field_obj is not None and _is_raw(field_obj),
                    text=field_obj is not None
                    and field_obj.get_internal_type() in ("CharField", "TextField", "EmailField"),
                )
            )
        result.append(row)
    return result
