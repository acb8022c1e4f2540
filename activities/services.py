"""Writes on initiatives, supervision and criticism, exemplary examples and outstanding
areas. Keyword-only, atomic, ``by=user``; access is checked here as well as in the views."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import (
    ExemplaryExample,
    FollowUpStatus,
    Initiative,
    InitiativeStatus,
    InitiativeStatusChange,
    InitiativeYear,
    OutstandingArea,
    OutstandingResult,
    Supervision,
)
from core.text import normalized_for
from core.writes import FIRST_YEAR, apply_fields, check_date, check_year, today
from organizations.access import Permission, require
from organizations.models import Organization, Unit, UnitLevel
from programs.models import ContentKind, ProgramContent


def _check_grassroots(organization: Organization) -> None:
    if organization.unit.level != UnitLevel.COMMUNE:
        raise ValidationError({"organization": _("Choose an organization of a commune or township.")})


def _check_area_in(area: Unit | None, commune: Unit) -> None:
    if area is not None and (area.level != UnitLevel.AREA or area.parent_id != commune.pk):
        raise ValidationError(
            {"area": _("The residential area must be in %(commune)s.") % {"commune": commune.name}}
        )


INITIATIVE_FIELDS = {
    "organization",
    "field",
    "area",
    "name",
    "start_year",
    "description",
}


def _validate_initiative(initiative: Initiative) -> None:
    if not initiative.name.strip():
        raise ValidationError({"name": _("Enter the name of the initiative.")})
    _check_grassroots(initiative.organization)
    _check_area_in(initiative.area, initiative.organization.unit)
    if initiative.field.kind != ContentKind.MODEL_FIELD:
        raise ValidationError({"field": _("Choose one of the program's model fields.")})
    check_year(initiative.start_year, "start_year")


@transaction.atomic
def create_initiative(
    *,
    by,
    organization: Organization,
    field: ProgramContent,
    name: str,
    start_year: int,
    area: Unit | None = None,
    description: str = "",
    status: str = InitiativeStatus.PLANNED,
) -> Initiative:
    initiative = Initiative(
        organization=organization,
        field=field,
        name=name.strip(),
        start_year=start_year,
        area=area,
        description=description,
        status=status,
    )
    require(by, Permission.EDIT_IN_SCOPE, initiative)
    _validate_initiative(initiative)
    if status == InitiativeStatus.STOPPED:
        raise ValidationError({"status": _("A new initiative cannot start as stopped.")})
    # Recorded afterwards: the first status holds from the start year (checked above: a
    # year of 40 digits made no date but a server error).
    initiative.status_changed_on = min(today(), datetime.date(start_year or FIRST_YEAR, 1, 1))
    initiative.name_normalized = normalized_for(Initiative, initiative.name)
    initiative.save()
    InitiativeStatusChange.objects.create(
        initiative=initiative,
        status=status,
        changed_on=initiative.status_changed_on,
        reason=_("Recorded"),
        changed_by=by,
    )
    return initiative


@transaction.atomic
def update_initiative(*, initiative: Initiative, by, **data) -> Initiative:
    require(by, Permission.EDIT_IN_SCOPE, initiative)
    apply_fields(initiative, data, INITIATIVE_FIELDS)
    require(by, Permission.EDIT_IN_SCOPE, initiative)  # and the organization it moves to
    _validate_initiative(initiative)
    initiative.name = initiative.name.strip()
    initiative.name_normalized = normalized_for(Initiative, initiative.name)
    initiative.save()
    return initiative


@transaction.atomic
def change_initiative_status(
    *, initiative: Initiative, status: str, changed_on: datetime.date, reason: str = "", by
) -> InitiativeStatusChange:
    require(by, Permission.EDIT_IN_SCOPE, initiative)
    if status not in InitiativeStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == initiative.status:
        raise ValidationError({"status": _("The initiative already has this status.")})
    check_date(changed_on, "changed_on")
    last = initiative.status_changes.order_by("-changed_on").values_list("changed_on", flat=True).first()
    if last is not None and changed_on < last:
        raise ValidationError({"changed_on": _("The date cannot be before the previous change.")})
    if status == InitiativeStatus.STOPPED and not reason.strip():
        raise ValidationError({"reason": _("Give the reason why the initiative stopped.")})
    initiative.status = status
    initiative.status_changed_on = changed_on
    initiative.stopped_on = changed_on if status == InitiativeStatus.STOPPED else None
    initiative.save(update_fields=["status", "status_changed_on", "stopped_on"])
    return InitiativeStatusChange.objects.create(
        initiative=initiative, status=status, changed_on=changed_on, reason=reason.strip(), changed_by=by
    )


@transaction.atomic
def set_initiative_year(
    *, initiative: Initiative, year: int, participants: int, households: int, value_vnd: int, by
) -> InitiativeYear:
    require(by, Permission.EDIT_IN_SCOPE, initiative)
    check_year(year, "year", latest=today().year)
    if year < initiative.start_year:
        raise ValidationError({"year": _("The year cannot be before the initiative started.")})
    for name, value in (("participants", participants), ("households", households), ("value_vnd", value_vnd)):
        if value is None or value < 0:
            raise ValidationError({name: _("Enter a number not below zero.")})
    row, _created = InitiativeYear.objects.update_or_create(
        initiative=initiative,
        year=year,
        defaults={"participants": participants, "households": households, "value_vnd": value_vnd},
    )
    return row


SUPERVISION_FIELDS = {
    "kind",
    "topic",
    "program_area",
    "subject",
    "held_on",
    "lead_organization",
    "findings",
    "recommendations",
    "response",
    "follow_up_status",
    "follow_up_due",
}


def _validate_supervision(s: Supervision) -> None:
    check_date(s.held_on, "held_on")
    if s.lead_organization.unit.level == UnitLevel.AREA:
        raise ValidationError({"lead_organization": _("Choose an organization of a district or commune.")})
    if s.follow_up_status == FollowUpStatus.OPEN and s.follow_up_due is None:
        raise ValidationError({"follow_up_due": _("A pending follow-up needs a due date.")})
    if s.follow_up_due is not None and s.follow_up_due < s.held_on:
        raise ValidationError({"follow_up_due": _("The due date cannot be before the supervision.")})
    if s.follow_up_due is not None and s.follow_up_due.year > today().year + 5:
        raise ValidationError({"follow_up_due": _("The due date is too far ahead.")})


def _set_participants(s: Supervision, participants) -> None:
    s.participants.set([o for o in participants or [] if o.pk != s.lead_organization_id])


@transaction.atomic
def create_supervision(*, by, participants=(), **data) -> Supervision:
    s = Supervision()
    apply_fields(s, data, SUPERVISION_FIELDS)
    require(by, Permission.EDIT_IN_SCOPE, s)
    _validate_supervision(s)
    s.save()
    _set_participants(s, participants)
    return s


@transaction.atomic
def update_supervision(*, supervision: Supervision, by, participants=None, **data) -> Supervision:
    require(by, Permission.EDIT_IN_SCOPE, supervision)
    apply_fields(supervision, data, SUPERVISION_FIELDS)
    require(by, Permission.EDIT_IN_SCOPE, supervision)
    _validate_supervision(supervision)
    supervision.save()
    if participants is not None:
        _set_participants(supervision, participants)
    return supervision


EXAMPLE_FIELDS = {
    "kind",
    "name",
    "organization",
    "field",
    "year",
    "achievement",
    "certificate",
    "recognition_level",
    "decision_number",
    "publicised_in",
    "publicised_on",
}


def _validate_example(e: ExemplaryExample) -> None:
    if not e.name.strip():
        raise ValidationError({"name": _("This field is required.")})
    check_year(e.year, "year", latest=today().year)
    check_date(e.publicised_on, "publicised_on", required=False)
    if e.organization.unit.level == UnitLevel.AREA:
        raise ValidationError({"organization": _("Choose an organization of a district or commune.")})


@transaction.atomic
def save_example(*, by, example: ExemplaryExample | None = None, **data) -> ExemplaryExample:
    example = example or ExemplaryExample()
    if example.pk:
        require(by, Permission.EDIT_IN_SCOPE, example)
    apply_fields(example, data, EXAMPLE_FIELDS)
    require(by, Permission.EDIT_IN_SCOPE, example)
    _validate_example(example)
    example.name = example.name.strip()
    example.name_normalized = normalized_for(ExemplaryExample, example.name)
    example.save()
    return example


OUTSTANDING_FIELDS = {"program", "area", "year", "organization", "result", "decision_number", "note"}


def _validate_outstanding(o: OutstandingArea) -> None:
    if o.area.level != UnitLevel.AREA:
        raise ValidationError({"area": _("Choose a residential area.")})
    if o.organization.unit_id not in (o.area.pk, o.area.parent_id):
        raise ValidationError(
            {"organization": _("Choose an organization of the area's commune or a branch at the area.")}
        )
    if o.year not in o.program.years:
        raise ValidationError(
            {
                "year": _("Enter a year of the program (%(first)s–%(last)s).")
                % {"first": o.program.start_year, "last": o.program.end_year}
            }
        )
    if not o.area.is_within(o.program.owner_unit):
        raise ValidationError({"area": _("The residential area is not under the program's unit.")})
    if o.result == OutstandingResult.RECOGNIZED and not o.decision_number.strip():
        raise ValidationError({"decision_number": _("A recognized area needs the decision number.")})
    clash = OutstandingArea.objects.filter(program=o.program, area=o.area, year=o.year).exclude(pk=o.pk)
    if clash.exists():
        raise ValidationError({"area": _("This area is already registered as outstanding for that year.")})


@transaction.atomic
def save_outstanding_area(*, by, record: OutstandingArea | None = None, **data) -> OutstandingArea:
    record = record or OutstandingArea()
    if record.pk:
        require(by, Permission.EDIT_IN_SCOPE, record)
    apply_fields(record, data, OUTSTANDING_FIELDS)
    require(by, Permission.EDIT_IN_SCOPE, record)
    _validate_outstanding(record)
    record.save()
    return record
