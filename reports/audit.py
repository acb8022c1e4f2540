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
from django.utils.text import capfirst

from core import audit as core_audit
from core.audit import Change
from core.collation import sort_key
from households.models import Household
from organizations import access

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
    return [(m._meta.label_lower, str(capfirst(m._meta.verbose_name_plural))) for m in audited_models(user)]


@dataclass
class Filters:
    actor: int | None = None
    model: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # A household: its own entries and those of its statuses, sponsorships and supports.
    household: int | None = None


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
    if filters.household:
        qs = qs.filter(core_audit.record_q(Household, filters.household))
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
class Row:
    entry: LogEntry
    model_label: str
    link: str | None
    action_label: str = ""
    when: str = ""
    changes: list[Change] = field(default_factory=list)


def rows(page_entries, user) -> list[Row]:
    """The entries of one page as a user reads them (``core.audit.describe``: labels, names
    for ids, local time), with a link to each record the user may open."""
    described = core_audit.describe(page_entries)
    by_model: dict = {}
    for item in described:
        if item.model is not None and item.entry.object_id is not None:
            by_model.setdefault(item.model, set()).add(item.entry.object_id)
    links = {}
    for model, pks in by_model.items():
        spec = LINKS.get(model._meta.label_lower)
        if spec is None:
            continue
        url_name, kwarg, value_field = spec
        for pk, value in access.visible(model._default_manager.filter(pk__in=pks), user).values_list(
            "pk", value_field
        ):
            links[(model, pk)] = reverse(url_name, kwargs={kwarg: value})
    return [
        Row(
            entry=item.entry,
            model_label=item.model_label,
            link=links.get((item.model, item.entry.object_id)),
            action_label=item.action_label,
            when=item.when,
            changes=item.changes,
        )
        for item in described
    ]
