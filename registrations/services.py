"""Writes on registration periods, registrations and their results.

Every function is keyword-only, atomic and takes ``by``; the workflow transitions
(submit, return, accept and the same for results) happen here and nowhere else: one table
(WORKFLOW) and one function (``transition``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import (
    Initiative,
    InitiativeStatus,
    InitiativeStatusChange,
    OutstandingArea,
    OutstandingResult,
)
from core.audit import audit_changed, audit_created
from core.files import remove_after_commit
from core.text import normalize, normalized_for
from core.writes import today
from households.models import Household
from organizations import access
from organizations.access import Permission
from organizations.models import Organization, OrgKind, Unit, UnitLevel, User
from programs.models import Program, ProgramContent
from registrations import rules, tallies
from registrations.models import (
    ExpectedChange,
    ExpectedChangeAction,
    InitiativeNovelty,
    ItemKind,
    ItemResult,
    Registration,
    RegistrationAction,
    RegistrationEvent,
    RegistrationItem,
    RegistrationPeriod,
    RegistrationStatus,
    ResultsStatus,
)

from . import services

ITEM_FIELDS = [
    "kind",
    "description",
    "target_quantity",
    "target_unit",
    "content",
    "initiative_field",
    "initiative_name",
    "novelty",
    "area",
    "households_pledged",
    "amount",
    "initiative",
]
RESULT_FIELDS = ["result", "achieved_quantity", "achieved_amount", "result_note", "evidence"]

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# ---------------------------------------------------------------- periods


def expected_organizations(program: Program):
    """By default: the member organizations at the program's owner unit and every
    organization (the Front and the five) at each active commune below it."""
    owner = program.owner_unit
    communes = Unit.objects.filter(path__startswith=owner.path, level=UnitLevel.COMMUNE, is_active=True)
    at_owner = Organization.objects.filter(unit=owner).exclude(kind=OrgKind.FRONT)
    at_communes = Organization.objects.filter(unit__in=communes)
    return (at_owner | at_communes).order_by("unit__path", "kind")


@transaction.atomic
def open_period(
    *,
    program: Program,
    year: int,
    opens_on: datetime.date,
    registration_deadline: datetime.date,
    results_deadline: datetime.date,
    organizations: Iterable[Organization] | None = None,
    by: User,
) -> RegistrationPeriod:
    access.require(by, Permission.MANAGE_FRONT_RECORDS, program)
    errors = {}
    if year not in program.years:
        errors["year"] = _("The program runs from %(start)s to %(end)s.") % {
            "start": program.start_year,
            "end": program.end_year,
        }
    elif RegistrationPeriod.objects.filter(program=program, year=year).exists():
        errors["year"] = _("A registration period for %(year)s is already open for this program.") % {
            "year": year
        }
    if registration_deadline < opens_on:
        errors["registration_deadline"] = _("The deadline cannot be before the opening date.")
    if results_deadline < registration_deadline:
        errors["results_deadline"] = _(
            "The deadline for results cannot be before the deadline for registrations."
        )
    if errors:
        raise ValidationError(errors)
    period = RegistrationPeriod.objects.create(
        program=program,
        year=year,
        opens_on=opens_on,
        registration_deadline=registration_deadline,
        results_deadline=results_deadline,
    )
    orgs = list(organizations) if organizations is not None else list(expected_organizations(program))
    Registration.objects.bulk_create(
        [Registration(period=period, organization=org, updated_by=by) for org in orgs]
    )
    return period


@transaction.atomic
def close_period(*, period: RegistrationPeriod, by: User) -> RegistrationPeriod:
    access.require(by, Permission.MANAGE_FRONT_RECORDS, period)
    if period.is_closed:
        raise ValidationError(_("This period is already closed."))
    period.closed_at = timezone.now()
    period.closed_by = by
    period.save(update_fields=["closed_at", "closed_by"])
    return period


@transaction.atomic
def reopen_period(*, period: RegistrationPeriod, by: User) -> RegistrationPeriod:
    access.require(by, Permission.MANAGE_FRONT_RECORDS, period)
    period.closed_at = None
    period.closed_by = None
    period.save(update_fields=["closed_at", "closed_by"])
    return period


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@transaction.atomic
def add_expected(
    *, period: RegistrationPeriod, organization: Organization, reason: str, by: User
) -> Registration:
    """Expect one more organization of the program's subtree to register this year."""
    access.require(by, Permission.MANAGE_FRONT_RECORDS, period)
    _refuse_if_locked(period_lock_reason(period))
    if not organization.unit.is_within(period.program.owner_unit):
        raise ValidationError(_("This organization is outside the program's area."))
    if Registration.objects.filter(period=period, organization=organization).exists():
        raise ValidationError(_("This organization is already expected to register."))
    reason = _reason(reason, _("Say why this organization is now expected to register."))
    registration = Registration.objects.create(period=period, organization=organization, updated_by=by)
    ExpectedChange.objects.create(
        period=period, organization=organization, action=ExpectedChangeAction.ADDED, reason=reason, by=by
    )
    return registration


@transaction.atomic
def remove_expected(*, registration: Registration, reason: str, by: User) -> None:
    """No longer expect an organization to register, while its form is still empty.
    One that has submitted (even if returned since) stays on the list."""
    access.require(by, Permission.MANAGE_FRONT_RECORDS, registration.period)
    _refuse_if_locked(period_lock_reason(registration.period))
    registration = _lock(registration, None)
    if registration.submitted_at is not None or registration.status != RegistrationStatus.DRAFT:
        raise ValidationError(
            _(
                "%(org)s has already submitted its registration (%(date)s): it cannot be removed from the list."
            )
            % {
                "org": registration.organization.name,
                "date": _when(registration.submitted_at) if registration.submitted_at else "—",
            },
            code="submitted",
        )
    if registration.items.exists():
        raise ValidationError(
            _("Only an organization whose form is still empty can be removed from the list.")
        )
    reason = _reason(reason, _("Say why this organization is no longer expected to register."))
    ExpectedChange.objects.create(
        period=registration.period,
        organization=registration.organization,
        action=ExpectedChangeAction.REMOVED,
        reason=reason,
        by=by,
    )
    registration.events.all().delete()
    registration.delete()


# ---------------------------------------------------------------- locks


def period_lock_reason(period: RegistrationPeriod) -> str | None:
    if period.closed_at:
        return _("The period was closed on %(date)s: all entry is locked.") % {
            "date": _when(period.closed_at)
        }
    return None


def edit_lock_reason(registration: Registration) -> str | None:
    """Why the items cannot be changed now, or None when they can."""
    reason = period_lock_reason(registration.period)
    if reason:
        return reason
    if registration.status == RegistrationStatus.ACCEPTED:
        return _("Accepted on %(date)s: the registration is locked.") % {
            "date": _when(registration.accepted_at) if registration.accepted_at else "—"
        }
    if registration.status == RegistrationStatus.SUBMITTED:
        return _("Submitted and waiting for the Front's review: it can be changed again if it is returned.")
    return None


def results_lock_reason(registration: Registration) -> str | None:
    reason = period_lock_reason(registration.period)
    if reason:
        return reason
    if registration.status != RegistrationStatus.ACCEPTED:
        return _("Results are entered once the registration is accepted.")
    if registration.results_status == ResultsStatus.SUBMITTED:
        return _("The results are submitted and waiting for the Front's review.")
    if registration.results_status == ResultsStatus.CONFIRMED:
        return _("The results are confirmed: they are locked.")
    return None


def _many(messages: Iterable[str], code: str) -> ValidationError:
    """Several messages sharing one code (``error.error_list[0].code``)."""
    return ValidationError([ValidationError(m, code=code) for m in messages])


def error_code(error: ValidationError) -> str | None:
    if hasattr(error, "code") and error.code:
        return error.code
    if hasattr(error, "error_list") and error.error_list:
        return error.error_list[0].code
    return None


def _clean_reason(reason: str | None) -> str:
    """A reason typed in a form the view does not validate: no NUL (the database cannot store it)."""
    reason = (reason or "").strip()
    try:
        ProhibitNullCharactersValidator()(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from None
    return reason


def _refuse_if_locked(reason: str | None) -> None:
    if reason:
        raise ValidationError(reason, code="locked")


def _lock(registration: Registration, version: int | None) -> Registration:
    """Reload the registration under a row lock; refuse a save based on an older version."""
    current = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("period__program", "organization__unit", "updated_by")
        .get(pk=registration.pk)
    )
    if version is not None and int(version) != current.version:
        raise ValidationError(
            _(
                "This form was changed by %(user)s at %(time)s. Reload it to see their changes; nothing was saved."
            )
            % {"user": current.updated_by or "—", "time": _when(current.updated_at)},
            code="stale",
        )
    return current


def _touch(registration: Registration, by: User, fields: list[str]) -> None:
    registration.version += 1
    registration.updated_by = by
    registration.save(update_fields=[*fields, "version", "updated_by", "updated_at"])


# ---------------------------------------------------------------- items


def _named_ids(item: RegistrationItem) -> list[int]:
    """The ids of the households an item names (unsaved: as built; saved: prefetch them)."""
    if hasattr(item, "named_households"):
        return [h.pk for h in item.named_households]
    if item.pk is None or item.kind != ItemKind.SPONSORSHIP_PLEDGE:
        return []
    return [h.pk for h in item.households.all()]


def snapshot(items: Iterable[RegistrationItem]) -> list[dict[str, Any]]:
    """A readable copy of the items for the history."""
    rows = []
    for item in items:
        row = {
            "kind": item.kind,
            "description": item.description,
            "target_quantity": item.target_quantity,
            "target_unit": item.target_unit,
            "content": item.content_id,
            "initiative_field": item.initiative_field_id,
            "initiative_name": item.initiative_name,
            "novelty": item.novelty,
            "area": item.area_id,
            "households_pledged": item.households_pledged,
            "amount": item.amount,
        }
        named = _named_ids(item)
        if named:
            row["households"] = named
        if item.result:
            row.update(
                result=item.result,
                achieved_quantity=item.achieved_quantity,
                achieved_amount=item.achieved_amount,
            )
        rows.append(row)
    return rows


# ---------------------------------------------------------------- what changed between rounds
#
# Saving replaces the items, so an item has no identity from one save to the next. Two
# snapshots are compared item by item: an item left as it was is itself; then an item
# of the same kind about the same thing (the same content, residential area, or model
# name) is the same item changed. Only what matches nothing was added or removed.

# The fields a change is shown for, in the order the form shows them.
DIFF_FIELDS = [
    "description",
    "content",
    "initiative_name",
    "novelty",
    "initiative_field",
    "area",
    "households_pledged",
    "households",
    "target_quantity",
    "target_unit",
    "amount",
    "result",
    "achieved_quantity",
    "achieved_amount",
]
MONEY_FIELDS = {"amount", "achieved_amount"}
COUNT_FIELDS = {"households_pledged", "target_quantity", "achieved_quantity"}


@dataclass(frozen=True)
class ItemChange:
    """One item between two rounds: ``change`` is "added", "removed" or "changed"; for a
    change, ``fields`` holds (label, old, new) of each field that changed, as shown."""

    change: str
    kind: str
    description: str
    fields: tuple[tuple[str, str, str], ...] = ()

    def __str__(self) -> str:
        item = f"{ItemKind(self.kind).label} “{self.description}”"
        if self.change == "added":
            return _("Added: %(item)s") % {"item": item}
        if self.change == "removed":
            return _("Removed: %(item)s") % {"item": item}
        changes = "; ".join(f"{label}: {old} → {new}" for label, old, new in self.fields)
        return _("Changed: %(item)s — %(changes)s") % {"item": item, "changes": changes}


def _value(row: Mapping[str, Any], field: str):
    value = row.get(field)
    if field == "households":
        return sorted(value or [])
    return None if value in ("", None) else value


def _identity(row: Mapping[str, Any]) -> tuple:
    """What an item is about, beside its kind: a model by its name, a pledge and an
    outstanding area by their residential area, the others by their content."""
    kind = row.get("kind")
    name = normalize(row.get("initiative_name") or "")
    if kind == ItemKind.INITIATIVE and name:
        return (kind, name)
    if kind in (ItemKind.SPONSORSHIP_PLEDGE, ItemKind.OUTSTANDING_AREA):
        return (kind, row.get("area"))
    return (kind, row.get("content"))


def _match(before: list[dict], after: list[dict]) -> list[int | None]:
    """For each row of ``after``, the index of the row of ``before`` it is, or None."""
    left = list(range(len(before)))
    found: list[int | None] = [None] * len(after)

    def same(a, b, fields):
        return all(_value(a, f) == _value(b, f) for f in fields)

    for j, row in enumerate(after):  # left as it was
        i = next((i for i in left if same(before[i], row, ["kind", *DIFF_FIELDS])), None)
        if i is not None:
            found[j] = i
            left.remove(i)
    for j, row in enumerate(after):  # the same thing, changed: the closest one
        if found[j] is not None:
            continue
        candidates = [i for i in left if _identity(before[i]) == _identity(row)]
        if candidates:
            i = max(candidates, key=lambda i: sum(same(before[i], row, [f]) for f in DIFF_FIELDS))
            found[j] = i
            left.remove(i)
    return found


def _shown(field: str, value, names: Mapping[tuple[str, int], str]) -> str:
    if value in (None, "", []):
        return "—"
    if field in MONEY_FIELDS:
        return f"{number_format(int(value), force_grouping=True)} đ"
    if field in COUNT_FIELDS:
        return number_format(int(value), force_grouping=True)
    if field == "households":
        return str(len(value))
    if field == "novelty":
        return str(InitiativeNovelty(value).label)
    if field == "result":
        return str(ItemResult(value).label)
    if field in ("content", "initiative_field", "area"):
        return names.get((field, value), f"#{value}")
    return f"“{value}”"


def _names(changed: Iterable[tuple[str, Any]]) -> dict[tuple[str, int], str]:
    """The names of the contents, model fields and areas among the changed values."""
    ids: dict[str, set] = {"content": set(), "initiative_field": set(), "area": set()}
    for field, value in changed:
        if field in ids and value is not None:
            ids[field].add(value)
    names = {}
    contents = ids["content"] | ids["initiative_field"]
    if contents:
        for pk, title in ProgramContent.objects.filter(pk__in=contents).values_list("pk", "title"):
            names[("content", pk)] = names[("initiative_field", pk)] = title
    if ids["area"]:
        for pk, name in Unit.objects.filter(pk__in=ids["area"]).values_list("pk", "name"):
            names[("area", pk)] = name
    return names


def item_changes(before: list[dict], after: list[dict]) -> list[ItemChange]:
    """What changed between two snapshots of the items, in the order of the new one: each
    item changed with its old and new values, each item added; then the items removed."""
    found = _match(before, after)
    changed = {
        j: [f for f in DIFF_FIELDS if _value(before[i], f) != _value(row, f)]
        for j, (i, row) in enumerate(zip(found, after, strict=True))
        if i is not None
    }
    names = _names(
        (f, row.get(f))
        for j, fields in changed.items()
        for f in fields
        for row in (before[found[j]], after[j])
    )
    labels = {f: str(capfirst(RegistrationItem._meta.get_field(f).verbose_name)) for f in DIFF_FIELDS}
    changes = []
    for j, row in enumerate(after):
        if found[j] is None:
            changes.append(ItemChange("added", row["kind"], row["description"]))
        elif changed[j]:
            old = before[found[j]]
            shown = tuple(
                (labels[f], _shown(f, _value(old, f), names), _shown(f, _value(row, f), names))
                for f in changed[j]
            )
            changes.append(ItemChange("changed", row["kind"], row["description"], shown))
    matched = set(found)
    changes += [
        ItemChange("removed", row["kind"], row["description"])
        for i, row in enumerate(before)
        if i not in matched
    ]
    return changes


def _describe_change(before: list[dict], after: list[dict]) -> str:
    lines = [str(change) for change in item_changes(before, after)]
    return "\n".join(lines) if lines else _("No change to the items.")


def _build_items(registration: Registration, items: list[Mapping[str, Any]]) -> list[RegistrationItem]:
    built = []
    for order, data in enumerate(items, start=1):
        item = RegistrationItem(registration=registration, order=order)
        for field in ITEM_FIELDS:
            if field in data:
                setattr(item, field, data[field])
        if item.kind != ItemKind.SPONSORSHIP_PLEDGE:
            item.households_pledged = None
        named = data.get("households") or [] if item.kind == ItemKind.SPONSORSHIP_PLEDGE else []
        item.named_households = list(dict.fromkeys(named))  # in order, once each
        if item.kind != ItemKind.INITIATIVE:
            item.initiative = None
        elif item.initiative is not None:
            # The initiative it continues gives the name and field the user left empty.
            if not (item.initiative_name or "").strip():
                item.initiative_name = item.initiative.name
            if (
                item.initiative_field_id is None
                and item.initiative.field.program_id == registration.period.program_id
            ):
                item.initiative_field_id = item.initiative.field_id
        item.carried_from_id = data.get("carried_from_id")
        built.append(item)
    return built


def _check_items(registration: Registration, items: list[RegistrationItem], by: User) -> None:
    messages = []
    named = {h.pk for item in items for h in item.named_households}
    seen = set(access.visible(Household.objects.filter(pk__in=named), by).values_list("pk", flat=True))
    for position, item in enumerate(items, start=1):
        hidden = [h for h in item.named_households if h.pk not in seen]
        if hidden:  # said without its name or area: the user may not see them
            messages.append(
                _("Item %(n)s: a named household is not among the households you can see.") % {"n": position}
            )
            item.named_households = [h for h in item.named_households if h.pk in seen]
        messages.extend(f.message for f in rules.item_findings(registration, item, position))
        if item.initiative is not None and item.initiative.organization_id != registration.organization_id:
            messages.append(
                _("Item %(n)s: the initiative it continues must be one of your organization's.")
                % {"n": position}
            )
    if messages:
        raise _many(messages, "rules")


def _save_named_households(items: list[RegistrationItem]) -> None:
    links = RegistrationItem.households.through
    links.objects.bulk_create(
        [
            links(registrationitem_id=item.pk, household_id=household.pk)
            for item in items
            for household in getattr(item, "named_households", [])
        ]
    )


@transaction.atomic
def save_items(
    *,
    registration: Registration,
    items: list[Mapping[str, Any]],
    version: int,
    by: User,
    action: str = RegistrationAction.SAVED,
) -> Registration:
    """Replace the items of a draft or returned registration."""
    access.require(by, Permission.EDIT_OWN, registration)
    registration = _lock(registration, version)
    _refuse_if_locked(edit_lock_reason(registration))
    built = _build_items(registration, items)
    _check_items(registration, built, by)
    before = snapshot(registration.items.prefetch_related("households"))
    registration.items.all().delete()
    RegistrationItem.objects.bulk_create(built)
    _save_named_households(built)
    tallies.refresh(registrations=[registration.pk])
    after = snapshot(built)
    _touch(registration, by, [])
    RegistrationEvent.objects.create(
        registration=registration,
        by=by,
        action=action,
        from_status=registration.status,
        to_status=registration.status,
        summary=_describe_change(before, after),
        snapshot=after,
    )
    return registration


def findings_for(registration: Registration) -> list[rules.Finding]:
    items = registration.items.select_related("area").all()
    return rules.registration_findings(registration, items)


# ---------------------------------------------------------------- results


def _is_upload(value) -> bool:
    """A new file (not the one a record already has, which is a FieldFile)."""
    return hasattr(value, "read") and not isinstance(value, FieldFile)


def _check_evidence(upload) -> None:
    if not upload or not hasattr(upload, "read"):
        return
    name = (upload.name or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The evidence file is larger than %(size)s MB.") % {"size": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    magic = EVIDENCE_TYPES.get(ext)
    head = upload.read(8)
    upload.seek(0)
    if magic is None or not head.startswith(magic):
        raise ValidationError(_("The evidence must be a PDF, PNG or JPEG file."))


@transaction.atomic
def save_results(
    *, registration: Registration, results: Mapping[int, Mapping[str, Any]], version: int, by: User
) -> Registration:
    """Record the result of each item: ``results`` maps an item id to its result fields."""
    access.require(by, Permission.EDIT_OWN, registration)
    registration = _lock(registration, version)
    _refuse_if_locked(results_lock_reason(registration))
    items = {item.pk: item for item in registration.items.prefetch_related("households")}
    problems = []
    for item_id, data in results.items():
        item = items.get(int(item_id))
        if item is None:
            problems.append(_("An item of another registration cannot be changed here."))
            continue
        if data.get("result") and data["result"] not in ItemResult.values:
            problems.append(_("Unknown result."))
        try:
            _check_evidence(data.get("evidence"))
        except ValidationError as error:
            problems.extend(error.messages)
        for field in RESULT_FIELDS:
            if field not in data:
                continue
            value = data[field]
            if field == "evidence" and not value:
                continue  # keep the file already attached
            if field == "evidence" and item.evidence and _is_upload(value):
                remove_after_commit(item.evidence)  # the file it replaces, once this commits
            if field in ("result", "result_note") and value is None:
                value = ""
            setattr(item, field, value)
    if problems:
        raise ValidationError(problems)
    for item in items.values():
        item.save(update_fields=RESULT_FIELDS)
    tallies.refresh(registrations=[registration.pk])
    _touch(registration, by, [])
    RegistrationEvent.objects.create(
        registration=registration,
        by=by,
        action=RegistrationAction.RESULTS_SAVED,
        from_status=registration.results_status,
        to_status=registration.results_status,
        snapshot=snapshot(items.values()),
    )
    return registration


# ---------------------------------------------------------------- carry-over


def next_registration(registration: Registration) -> Registration | None:
    return (
        Registration.objects.filter(
            organization=registration.organization,
            period__program=registration.period.program,
            period__year=registration.period.year + 1,
        )
        .select_related("period__program", "organization__unit")
        .first()
    )


def left_to_do(item: RegistrationItem) -> dict[str, int] | None:
    """What an item leaves to do next year, by numeric target: ``{"amount": 6_000_000}``
    (the target less what was achieved); ``{}`` for an item without a numeric target
    (carried whole); None when every target was achieved in full. The achieved quantity
    measures the target quantity, or the households taken on when the item has no target."""
    measured = []
    if item.amount is not None:
        measured.append(("amount", item.amount, item.achieved_amount))
    if item.target_quantity is not None:
        measured.append(("target_quantity", item.target_quantity, item.achieved_quantity))
    elif item.households_pledged is not None:
        measured.append(("households_pledged", item.households_pledged, item.achieved_quantity))
    left = {field: max(target - (achieved or 0), 0) for field, target, achieved in measured}
    if measured and not any(left.values()):
        return None
    return left


def _carried(item: RegistrationItem) -> bool:
    return item.is_unmet and left_to_do(item) is not None


def _carried_description(item: RegistrationItem, left: dict[str, int], year: int) -> str:
    """The item's description, and where the copy came from: "Vận động quỹ — carried over
    from 2017: amount (VND) 6.000.000 đ left of 10.000.000 đ (4.000.000 đ achieved)"."""
    achieved = {
        "amount": item.achieved_amount,
        "target_quantity": item.achieved_quantity,
        "households_pledged": item.achieved_quantity,
    }
    parts = []
    for field, rest in left.items():
        unit = f" {item.target_unit}" if field == "target_quantity" and item.target_unit else ""
        parts.append(
            _("%(label)s %(left)s left of %(target)s (%(achieved)s achieved)")
            % {
                "label": RegistrationItem._meta.get_field(field).verbose_name,
                "left": _shown(field, rest, {}) + unit,
                "target": _shown(field, getattr(item, field), {}) + unit,
                "achieved": _shown(field, achieved[field] or 0, {}) + unit,
            }
        )
    what = "; ".join(parts) if parts else str(item.get_result_display()).lower()
    return _("%(description)s — carried over from %(year)s: %(what)s") % {
        "description": item.description,
        "year": year,
        "what": what,
    }


def _carry_over(*, registration: Registration, by: User) -> Registration:
    """Copy what is left of the unmet items (partly or not achieved) into next year's draft,
    once (the workflow's "carry_over", which has checked that ``by`` edits the
    registration): a numeric target less what was achieved; an item achieved in full
    (its figures reached) is not carried; an item without figures is carried whole."""
    unmet = [i for i in registration.items.prefetch_related("households") if _carried(i)]
    if not unmet:
        raise ValidationError(_("No unmet item to carry over."))
    target = next_registration(registration)
    if target is None:
        raise ValidationError(
            _("The registration period for %(year)s is not open yet.")
            % {"year": registration.period.year + 1}
        )
    target = _lock(target, None)
    _refuse_if_locked(edit_lock_reason(target))
    already = set(target.items.exclude(carried_from=None).values_list("carried_from_id", flat=True))
    todo = [i for i in unmet if i.pk not in already]
    if not todo:
        raise ValidationError(_("These items were already carried over."))
    before = snapshot(target.items.prefetch_related("households"))
    copies = []
    for n, item in enumerate(todo, start=len(before) + 1):
        copy = RegistrationItem(registration=target, order=n, carried_from=item)
        for field in ITEM_FIELDS:
            setattr(copy, field, getattr(item, field))
        left = left_to_do(item)
        for field, rest in left.items():
            setattr(copy, field, rest)
        copy.description = _carried_description(item, left, registration.period.year)
        copy.named_households = list(item.households.all())
        copies.append(copy)
    RegistrationItem.objects.bulk_create(copies)
    _save_named_households(copies)
    tallies.refresh(registrations=[target.pk])
    _touch(target, by, [])
    after = snapshot(target.items.prefetch_related("households"))
    RegistrationEvent.objects.create(
        registration=target,
        by=by,
        action=RegistrationAction.CARRIED_OVER,
        from_status=target.status,
        to_status=target.status,
        summary=_describe_change(before, after),
        snapshot=after,
    )
    return target


# ---------------------------------------------------------------- workflow
#
# The registration's workflow and its results' are one table, WORKFLOW: for each action, the
# status column it moves, from which statuses to which, who may take it (a permission of
# organizations/access.py), the lock that must not hold, what else must hold, the history
# entry it records and what it does besides. ``transition`` takes any of them, atomically;
# ``allowed_actions`` gives the ones a user may take now, which the page offers as buttons.
# The functions submit, accept, return_registration, ... are its names for each action.

STATUS_COLUMNS = {"status": RegistrationStatus, "results_status": ResultsStatus}


@dataclass(frozen=True)
class Step:
    """One action of the workflow. Its checks run in this order: ``permission``, the
    registration's ``version`` (when the caller gives one), ``lock``, ``sources``, the
    reason, ``check``; then the status moves, the moments are stamped, the history entry
    is recorded and the ``effects`` run, all in the transition's transaction."""

    action: str
    # EDIT_OWN: the editors of the registering organization; REVIEW: the Front's reviewers.
    permission: Permission
    event: str  # the RegistrationAction recorded in the history
    column: str = ""  # "status" or "results_status"; empty for an action that moves no status
    sources: tuple[str, ...] = ()  # the statuses it starts from
    target: str = ""  # the status it leads to
    verb: Promise | str = ""  # "A registration that is <status> cannot be <verb>."
    lock: Callable[[Registration], str | None] | None = None  # a reason to refuse, or None
    reason_field: str = ""  # a reason is required and kept in this field
    reason_missing: Promise | str = ""  # the message when it is missing
    stamp: str = ""  # the field that takes the moment of the transition
    # The field that keeps the moment of the first one; with it, ``late`` is decided by the
    # first transition only (a resubmission after a return leaves the flag as it was).
    first_stamp: str = ""
    late: tuple[str, str] | None = None  # (the flag, the period's deadline it is compared to)
    # What else must hold (the program's rules, every result given): raises a
    # ValidationError, or returns what the history entry says of it.
    check: Callable[..., str] | None = None
    effects: tuple[Callable[..., None], ...] = ()  # (registration=, by=), after the history entry
    # Whether the page offers it, given the registration's items, besides the rest; the
    # checks that read the database (the program's rules) are left to ``transition`` and
    # their findings shown on the page.
    offer: Callable[[list[RegistrationItem]], bool] | None = None
    # An action that is not a move of status (carry-over): its own function does the work.
    perform: Callable[..., Registration] | None = None


def _period_lock(registration: Registration) -> str | None:
    return period_lock_reason(registration.period)


def _rules_hold(registration: Registration, *, acknowledge_warnings: bool) -> str:
    """No error of the program's rules, and the warnings read: the history keeps them."""
    findings = findings_for(registration)
    if rules.errors(findings):
        raise _many([f.message for f in rules.errors(findings)], "rules")
    if rules.warnings(findings) and not acknowledge_warnings:
        raise _many(
            [_("Please confirm that you have read the warnings before submitting.")]
            + [f.message for f in rules.warnings(findings)],
            "warnings",
        )
    acknowledged = "\n".join(f.message for f in rules.warnings(findings))
    return (_("Warnings acknowledged:") + "\n" + acknowledged) if acknowledged else ""


def _changes_since_last_submission(registration: Registration) -> str:
    """For a resubmission: what changed since the round the Front saw last."""
    last = registration.events.filter(action=RegistrationAction.SUBMITTED).order_by("-at", "-id").first()
    if last is None or not last.snapshot:
        return ""
    when = {"date": _when(last.at)}
    changes = item_changes(last.snapshot, snapshot(registration.items.prefetch_related("households")))
    if not changes:
        return _("No change to the items since the submission of %(date)s.") % when
    return "\n".join([_("Changes since the submission of %(date)s:") % when, *(str(c) for c in changes)])


def _submission_check(registration: Registration, *, acknowledge_warnings: bool) -> str:
    warnings = _rules_hold(registration, acknowledge_warnings=acknowledge_warnings)
    return "\n".join(filter(None, [_changes_since_last_submission(registration), warnings]))


def _missing_results(items: Iterable[RegistrationItem]) -> list[int]:
    return [i.order for i in items if not i.result]


def _every_result_given(registration: Registration, *, acknowledge_warnings: bool) -> str:
    missing = _missing_results(registration.items.all())
    if missing:
        raise ValidationError(
            _("Give the result of every item before submitting (missing: items %(items)s).")
            % {"items": ", ".join(str(n) for n in missing)}
        )
    return ""


def _refresh_tallies(*, registration: Registration, by: User) -> None:
    tallies.refresh(registrations=[registration.pk])  # they say whether it was submitted


def _create_records(*, registration: Registration, by: User) -> None:
    # The new initiatives and the outstanding areas it registers, in the same transaction:
    # if one cannot be created, the registration stays submitted.
    services.records_from_accepted_registration(registration=registration, by=by)


def _record_outstanding_results(*, registration: Registration, by: User) -> None:
    services.outstanding_results_from_registration(registration=registration, by=by)


WORKFLOW: dict[str, Step] = {
    step.action: step
    for step in [
        Step(
            "submit",
            permission=Permission.EDIT_OWN,
            event=RegistrationAction.SUBMITTED,
            column="status",
            sources=(RegistrationStatus.DRAFT, RegistrationStatus.RETURNED),
            target=RegistrationStatus.SUBMITTED,
            verb=gettext_lazy("submitted"),
            lock=_period_lock,
            stamp="submitted_at",
            first_stamp="first_submitted_at",
            late=("is_late", "registration_deadline"),
            check=_submission_check,
            effects=(_refresh_tallies,),
        ),
        Step(
            "return",
            permission=Permission.REVIEW,
            event=RegistrationAction.RETURNED,
            column="status",
            sources=(RegistrationStatus.SUBMITTED,),
            target=RegistrationStatus.RETURNED,
            verb=gettext_lazy("returned"),
            lock=_period_lock,
            reason_field="return_reason",
            reason_missing=gettext_lazy("Say why the registration is returned."),
        ),
        Step(
            "accept",
            permission=Permission.REVIEW,
            event=RegistrationAction.ACCEPTED,
            column="status",
            sources=(RegistrationStatus.SUBMITTED,),
            target=RegistrationStatus.ACCEPTED,
            verb=gettext_lazy("accepted"),
            lock=_period_lock,
            stamp="accepted_at",
            effects=(_create_records,),
        ),
        Step(
            "submit_results",
            permission=Permission.EDIT_OWN,
            event=RegistrationAction.RESULTS_SUBMITTED,
            column="results_status",
            sources=(ResultsStatus.DRAFT, ResultsStatus.RETURNED),
            target=ResultsStatus.SUBMITTED,
            verb=gettext_lazy("submitted"),
            # Also refuses a registration not accepted, and results submitted or confirmed.
            lock=results_lock_reason,
            stamp="results_submitted_at",
            late=("results_is_late", "results_deadline"),
            check=_every_result_given,
            offer=lambda items: bool(items) and not _missing_results(items),
        ),
        Step(
            "return_results",
            permission=Permission.REVIEW,
            event=RegistrationAction.RESULTS_RETURNED,
            column="results_status",
            sources=(ResultsStatus.SUBMITTED,),
            target=ResultsStatus.RETURNED,
            verb=gettext_lazy("returned"),
            lock=_period_lock,
            reason_field="results_return_reason",
            reason_missing=gettext_lazy("Say why the results are returned."),
        ),
        Step(
            "confirm_results",
            permission=Permission.REVIEW,
            event=RegistrationAction.RESULTS_CONFIRMED,
            column="results_status",
            sources=(ResultsStatus.SUBMITTED,),
            target=ResultsStatus.CONFIRMED,
            verb=gettext_lazy("confirmed"),
            lock=_period_lock,
            effects=(_record_outstanding_results,),
        ),
        Step(
            "carry_over",
            permission=Permission.EDIT_OWN,
            event=RegistrationAction.CARRIED_OVER,  # recorded in next year's registration
            offer=lambda items: any(_carried(i) for i in items),
            perform=_carry_over,
        ),
    ]
}


def _transition(registration, by, action, from_status, to_status, reason="", summary=""):
    RegistrationEvent.objects.create(
        registration=registration,
        by=by,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        summary=summary,
        snapshot=snapshot(registration.items.prefetch_related("households")),
    )


def _refuse_transition(
    registration: Registration, verb: str, allowed: Iterable[str], status: str, labels
) -> None:
    if status not in allowed:
        raise ValidationError(
            _("A registration that is %(status)s cannot be %(verb)s.")
            % {"status": labels(status).label.lower(), "verb": verb},
            code="illegal_transition",
        )


@transaction.atomic
def transition(
    *,
    registration: Registration,
    action: str,
    by: User,
    reason: str = "",
    version: int | None = None,
    acknowledge_warnings: bool = False,
) -> Registration:
    """Take one action of WORKFLOW on the registration; returns the registration changed
    (for the carry-over, next year's). ``version``: the one the user's form was loaded with,
    refused when the registration has changed since; ``reason``: for the actions that need
    one; ``acknowledge_warnings``: the user has read the rules' warnings (submit)."""
    step = WORKFLOW.get(action)
    if step is None:
        raise ValueError(f"Unknown workflow action: {action!r}")
    access.require(by, step.permission, registration)
    if step.perform is not None:
        return step.perform(registration=registration, by=by)
    registration = _lock(registration, version)
    if step.lock is not None:
        _refuse_if_locked(step.lock(registration))
    previous = getattr(registration, step.column)
    _refuse_transition(registration, step.verb, step.sources, previous, STATUS_COLUMNS[step.column])
    fields = [step.column]
    if step.reason_field:
        reason = _clean_reason(reason)
        if not reason:
            raise ValidationError({"reason": str(step.reason_missing)})
        setattr(registration, step.reason_field, reason)
        fields.append(step.reason_field)
    else:
        reason = ""
    summary = step.check(registration, acknowledge_warnings=acknowledge_warnings) if step.check else ""
    now = timezone.now()
    setattr(registration, step.column, step.target)
    # Never stamped before (a registration submitted before the first stamp was kept has
    # its latest submission only: it is not a first one).
    first = bool(step.first_stamp) and not (
        getattr(registration, step.first_stamp) or getattr(registration, step.stamp)
    )
    if step.stamp:
        setattr(registration, step.stamp, now)
        fields.append(step.stamp)
    if first:
        setattr(registration, step.first_stamp, now)
        fields.append(step.first_stamp)
    if step.late and (first or not step.first_stamp):
        flag, deadline = step.late
        setattr(registration, flag, timezone.localdate(now) > getattr(registration.period, deadline))
        fields.append(flag)
    _touch(registration, by, fields)
    _transition(registration, by, step.event, previous, step.target, reason, summary)
    for effect in step.effects:
        effect(registration=registration, by=by)
    return registration


def allowed_actions(
    registration: Registration, user: User, items: list[RegistrationItem] | None = None
) -> list[str]:
    """The actions of WORKFLOW the user may take on the registration now, in the table's
    order: the buttons of its page. ``items``: its items, when already read (else they
    are read once, if an action asks)."""
    allowed = []
    for step in WORKFLOW.values():
        if not access.can(user, step.permission, registration):
            continue
        if step.column and getattr(registration, step.column) not in step.sources:
            continue
        if step.lock is not None and step.lock(registration):
            continue
        if step.offer is not None:
            if items is None:
                items = list(registration.items.all())
            if not step.offer(items):
                continue
        allowed.append(step.action)
    return allowed


def submit(
    *, registration: Registration, by: User, version: int | None = None, acknowledge_warnings: bool = False
) -> Registration:
    return transition(
        registration=registration,
        action="submit",
        by=by,
        version=version,
        acknowledge_warnings=acknowledge_warnings,
    )


def return_registration(*, registration: Registration, reason: str, by: User) -> Registration:
    return transition(registration=registration, action="return", by=by, reason=reason)


def accept(*, registration: Registration, by: User) -> Registration:
    return transition(registration=registration, action="accept", by=by)


# Why a registration in this status cannot be accepted, as a bulk acceptance says it.
NOT_ACCEPTABLE = {
    RegistrationStatus.DRAFT: gettext_lazy("not submitted"),
    RegistrationStatus.RETURNED: gettext_lazy("returned, not submitted again"),
    RegistrationStatus.ACCEPTED: gettext_lazy("already accepted"),
}


@dataclass
class BulkAcceptance:
    """What a bulk acceptance did: the registrations accepted, and each one not accepted
    with what blocked it."""

    accepted: list[Registration]
    refused: list[tuple[Registration, str]]

    @property
    def messages(self) -> list[str]:
        """ "Hội Nông dân xã Ia Dom: not submitted", one per registration not accepted."""
        return [
            _("%(organization)s: %(reason)s") % {"organization": r.organization.name, "reason": reason}
            for r, reason in self.refused
        ]


@transaction.atomic
def accept_many(*, registrations: Iterable[Registration], by: User) -> BulkAcceptance:
    """Accept several registrations at once, in one transaction. One that cannot be accepted
    (not submitted, already accepted, refused by a check) is left as it was and named in the
    result with its reason; the others are accepted. A failure of another kind (a record
    that cannot be created) accepts none."""
    done = BulkAcceptance(accepted=[], refused=[])
    for registration in registrations:
        access.require(by, WORKFLOW["accept"].permission, registration)
        current = _lock(registration, None)  # its status now, not when the page was drawn
        reason = NOT_ACCEPTABLE.get(current.status)
        if reason is not None:
            done.refused.append((current, str(reason)))
            continue
        try:
            with transaction.atomic():  # a refused one leaves nothing behind
                done.accepted.append(transition(registration=current, action="accept", by=by))
        except ValidationError as error:
            done.refused.append((current, " ".join(error.messages)))
    return done


def submit_results(*, registration: Registration, by: User, version: int | None = None) -> Registration:
    return transition(registration=registration, action="submit_results", by=by, version=version)


def return_results(*, registration: Registration, reason: str, by: User) -> Registration:
    return transition(registration=registration, action="return_results", by=by, reason=reason)


def confirm_results(*, registration: Registration, by: User) -> Registration:
    return transition(registration=registration, action="confirm_results", by=by)


def carry_over(*, registration: Registration, by: User) -> Registration:
    """Copy the unmet items (partly or not achieved) into next year's draft, once."""
    return transition(registration=registration, action="carry_over", by=by)


def _initiatives_from_items(registration, items: list, by) -> None:
    org = registration.organization
    year = registration.period.year
    wanted = [
        i
        for i in items
        if i.kind == ItemKind.INITIATIVE and i.initiative_id is None and i.created_initiative_id is None
    ]
    if org.unit.level != UnitLevel.COMMUNE or not wanted:
        return
    # The organization's initiatives by name: a new item naming one already recorded (a
    # carried-over item, a second acceptance) links to it instead of making a copy.
    by_name = {}
    for initiative in Initiative.objects.filter(
        organization=org, name_normalized__in={normalized_for(Initiative, i.initiative_name) for i in wanted}
    ).order_by("pk"):
        by_name.setdefault(initiative.name_normalized, initiative)
    carried = dict(
        RegistrationItem.objects.filter(
            pk__in=[i.carried_from_id for i in wanted if i.carried_from_id], created_initiative__isnull=False
        ).values_list("pk", "created_initiative_id")
    )
    created, linked = [], []
    for item in wanted:
        name = (item.initiative_name or "").strip()
        key = normalized_for(Initiative, name)
        if item.carried_from_id in carried:
            item.initiative_id = carried[item.carried_from_id]
            linked.append(item)
        elif key in by_name:
            item.initiative = by_name[key]
            linked.append(item)
        elif item.novelty == InitiativeNovelty.NEW and name and item.initiative_field_id:
            area = item.area if item.area is not None and item.area.parent_id == org.unit_id else None
            initiative = Initiative(
                organization=org,
                field_id=item.initiative_field_id,
                area=area,
                name=name,
                name_normalized=key,
                start_year=year,
                status=InitiativeStatus.PLANNED,
                status_changed_on=min(today(), datetime.date(year, 1, 1)),
                description=item.description,
            )
            created.append(initiative)
            by_name[key] = initiative
            item.initiative = item.created_initiative = initiative
            linked.append(item)
    Initiative.objects.bulk_create(created)
    for item in linked:  # the ids the bulk insert has just given
        item.initiative_id = item.initiative.pk
        item.created_initiative_id = item.created_initiative.pk if item.created_initiative else None
    InitiativeStatusChange.objects.bulk_create(
        [
            InitiativeStatusChange(
                initiative=i,
                status=i.status,
                changed_on=i.status_changed_on,
                reason=_("Registered in the accepted annual registration of %(year)s") % {"year": year},
                changed_by=by if getattr(by, "pk", None) else None,
            )
            for i in created
        ]
    )
    audit_created(created, by)
    RegistrationItem.objects.bulk_update(linked, ["initiative", "created_initiative"])


def _outstanding_from_items(registration, items: list, by) -> None:
    org = registration.organization
    program = registration.period.program
    year = registration.period.year
    wanted = [
        i
        for i in items
        if i.kind == ItemKind.OUTSTANDING_AREA
        and i.area is not None
        and i.area.level == UnitLevel.AREA
        and org.unit_id in (i.area.pk, i.area.parent_id)
    ]
    if not wanted:
        return
    existing = {
        o.area_id: o
        for o in OutstandingArea.objects.filter(
            program=program, year=year, area_id__in={i.area_id for i in wanted}
        ).annotate(has_source=Exists(RegistrationItem.objects.filter(outstanding_area=OuterRef("pk"))))
    }
    created, sourced = [], []
    for item in wanted:
        if item.outstanding_area_id is not None:
            continue
        record = existing.get(item.area_id)
        if record is None:
            record = OutstandingArea(program=program, area=item.area, year=year, organization=org)
            record.has_source = False
            created.append(record)
            existing[item.area_id] = record
        elif record.has_source:
            continue  # already registered this year by another item: no copy
        # New, or recorded by hand before the registration was accepted: now it has its source.
        item.outstanding_area = record
        record.has_source = True
        sourced.append(item)
    OutstandingArea.objects.bulk_create(created)
    audit_created(created, by)
    for item in sourced:  # the ids the bulk insert has just given
        item.outstanding_area_id = item.outstanding_area.pk
    if sourced:
        RegistrationItem.objects.bulk_update(sourced, ["outstanding_area"])
        audit_changed(sourced, by, "outstanding_area", {i.pk: None for i in sourced})


@transaction.atomic
def records_from_accepted_registration(*, registration, by) -> None:
    """Create the initiatives and outstanding areas an accepted registration registers.

    Idempotent: an item that already created (or links to) its record creates nothing.
    Called by services.accept, which has checked that ``by`` reviews the registration.
    """
    items = list(
        RegistrationItem.objects.filter(
            registration=registration, kind__in=[ItemKind.INITIATIVE, ItemKind.OUTSTANDING_AREA]
        ).select_related("area")
    )
    _initiatives_from_items(registration, items, by)
    _outstanding_from_items(registration, items, by)


OUTSTANDING_FROM_RESULT = {
    ItemResult.ACHIEVED: OutstandingResult.RECOGNIZED,
    ItemResult.PARTLY: OutstandingResult.NOT_RECOGNIZED,
    ItemResult.NOT_ACHIEVED: OutstandingResult.NOT_RECOGNIZED,
}


@transaction.atomic
def outstanding_results_from_registration(*, registration, by) -> None:
    """On confirmed results: each outstanding area still pending takes the result of the item
    that registered it. A result the Front already recorded (with its decision) is kept."""
    records = list(
        OutstandingArea.objects.filter(
            registration_item__registration=registration, result=OutstandingResult.PENDING
        ).select_related("registration_item", "area")
    )
    changed, old = [], {}
    for record in records:
        result = OUTSTANDING_FROM_RESULT.get(record.registration_item.result)
        if result and result != record.result:
            old[record.pk] = record.result
            record.result = result
            changed.append(record)
    if changed:
        OutstandingArea.objects.bulk_update(changed, ["result"])
        audit_changed(changed, by, "result", old)
