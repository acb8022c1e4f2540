"""Writes on initiatives, supervision, exemplary examples, outstanding areas, commune
programs and program documents (issue 5). Keyword-only, atomic, ``by=user``; access is
checked here as well as in the views."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import access
from organizations.models import Organization, Unit, UnitLevel
from portal.text import normalize

from .models import (
    Assignment,
    ContentKind,
    ExemplaryExample,
    FollowUpStatus,
    Initiative,
    InitiativeNovelty,
    InitiativeStatus,
    InitiativeStatusChange,
    InitiativeYear,
    ItemKind,
    ItemResult,
    OutstandingArea,
    OutstandingResult,
    Program,
    ProgramContent,
    ProgramDocument,
    RegistrationItem,
    Supervision,
)

FIRST_YEAR = 1990
# Program documents: PDF only, at most this many bytes.
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------- checks


def _require(by, permission: str, obj) -> None:
    """Like access.require, but also for records not saved yet (scope of their unit)."""
    if by.is_superuser and by.is_active:
        return
    if not by.is_active or not access.PERMISSIONS[permission](by, obj):
        raise PermissionDenied
    if obj.pk is not None and not access.visible(type(obj)._default_manager.filter(pk=obj.pk), by).exists():
        raise PermissionDenied


def _check_year(year: int | None, field: str, *, latest: int | None = None) -> None:
    latest = latest if latest is not None else today().year + 1
    if year is None or not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            {field: _("Enter a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": latest}}
        )


def _check_date(value: datetime.date | None, field: str, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return
    if value.year < FIRST_YEAR:
        raise ValidationError({field: _("The date is too early.")})
    if value > today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _check_grassroots(organization: Organization) -> None:
    if organization.unit.level != UnitLevel.COMMUNE:
        raise ValidationError({"organization": _("Choose an organization of a commune or township.")})


def _check_area_in(area: Unit | None, commune: Unit) -> None:
    if area is not None and (area.level != UnitLevel.AREA or area.parent_id != commune.pk):
        raise ValidationError(
            {"area": _("The residential area must be in %(commune)s.") % {"commune": commune.name}}
        )


def _apply(obj, data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for key, value in data.items():
        setattr(obj, key, value)


# ---------------------------------------------------------------- initiatives

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
    _check_year(initiative.start_year, "start_year")


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
    _require(by, "edit_in_scope", initiative)
    _validate_initiative(initiative)
    if status == InitiativeStatus.STOPPED:
        raise ValidationError({"status": _("A new initiative cannot start as stopped.")})
    # Recorded afterwards: the first status holds from the start year (checked above: a
    # year of 40 digits made no date but a server error).
    initiative.status_changed_on = min(today(), datetime.date(start_year or FIRST_YEAR, 1, 1))
    initiative.name_normalized = normalize(initiative.name)
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
    _require(by, "edit_in_scope", initiative)
    _apply(initiative, data, INITIATIVE_FIELDS)
    _require(by, "edit_in_scope", initiative)  # and the organization it moves to
    _validate_initiative(initiative)
    initiative.name = initiative.name.strip()
    initiative.name_normalized = normalize(initiative.name)
    initiative.save()
    return initiative


@transaction.atomic
def change_initiative_status(
    *, initiative: Initiative, status: str, changed_on: datetime.date, reason: str = "", by
) -> InitiativeStatusChange:
    _require(by, "edit_in_scope", initiative)
    if status not in InitiativeStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == initiative.status:
        raise ValidationError({"status": _("The initiative already has this status.")})
    _check_date(changed_on, "changed_on")
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
    _require(by, "edit_in_scope", initiative)
    _check_year(year, "year", latest=today().year)
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


# ---------------------------------------------------------------- from registrations
#
# When the Front accepts a registration, its items of kind "initiative" (new) and
# "outstanding area" become records here, in the acceptance's transaction; when it confirms
# the results, each outstanding area takes its result from the item. Written in bulk so an
# acceptance costs the same number of queries whatever the number of items. Items of an
# organization above the communes (a district organization) create nothing: initiatives and
# outstanding areas are records of the grassroots organizations (rules 2 and 4).


def _audit(objects: list, by, action: int, changes) -> None:
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


def _audit_created(objects: list, by) -> None:
    from auditlog.models import LogEntry

    if objects:
        fields = [f for f in type(objects[0])._meta.concrete_fields if not f.primary_key]
        _audit(
            objects,
            by,
            LogEntry.Action.CREATE,
            lambda obj: {f.name: ["None", str(getattr(obj, f.attname))] for f in fields},
        )


def _audit_changed(objects: list, by, field: str, old: dict) -> None:
    from auditlog.models import LogEntry

    attname = type(objects[0])._meta.get_field(field).attname if objects else field
    _audit(
        objects,
        by,
        LogEntry.Action.UPDATE,
        lambda obj: {field: [str(old[obj.pk]), str(getattr(obj, attname))]},
    )


def _initiatives_from_items(registration, items: list, by) -> None:
    org = registration.organization
    year = registration.period.year
    wanted = [i for i in items if i.kind == ItemKind.INITIATIVE and i.initiative_id is None]
    if org.unit.level != UnitLevel.COMMUNE or not wanted:
        return
    already = set(
        Initiative.objects.filter(registration_item__in=wanted).values_list("registration_item_id", flat=True)
    )
    wanted = [i for i in wanted if i.pk not in already]
    # The organization's initiatives by name: a new item naming one already recorded (a
    # carried-over item, a second acceptance) links to it instead of making a copy.
    by_name = {}
    for initiative in Initiative.objects.filter(
        organization=org, name_normalized__in={normalize(i.initiative_name) for i in wanted}
    ).order_by("pk"):
        by_name.setdefault(initiative.name_normalized, initiative)
    carried = {
        row["registration_item_id"]: row["pk"]
        for row in Initiative.objects.filter(
            registration_item_id__in=[i.carried_from_id for i in wanted if i.carried_from_id]
        ).values("pk", "registration_item_id")
    }
    created, linked = [], []
    for item in wanted:
        name = (item.initiative_name or "").strip()
        key = normalize(name)
        if item.carried_from_id in carried:
            item.initiative_id = carried[item.carried_from_id]
            linked.append(item)
        elif key in by_name:
            item.initiative = by_name[key]
            linked.append(item)
        elif item.initiative_status == InitiativeNovelty.NEW and name and item.model_field_id:
            area = item.area if item.area is not None and item.area.parent_id == org.unit_id else None
            initiative = Initiative(
                organization=org,
                field_id=item.model_field_id,
                area=area,
                name=name,
                name_normalized=key,
                start_year=year,
                status=InitiativeStatus.PLANNED,
                status_changed_on=min(today(), datetime.date(year, 1, 1)),
                description=item.description,
                registration_item=item,
            )
            created.append(initiative)
            by_name[key] = initiative
            item.initiative = initiative
            linked.append(item)
    Initiative.objects.bulk_create(created)
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
    _audit_created(created, by)
    RegistrationItem.objects.bulk_update(linked, ["initiative"])


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
        )
    }
    created, linked = [], []
    for item in wanted:
        record = existing.get(item.area_id)
        if record is None:
            record = OutstandingArea(
                program=program, area=item.area, year=year, organization=org, registration_item=item
            )
            created.append(record)
            existing[item.area_id] = record
        elif record.registration_item_id is None and record.pk is not None:
            # Recorded by hand before the registration was accepted: now it has its source.
            record.registration_item = item
            linked.append(record)
        # Otherwise the area is already registered this year (by another item): no copy.
    OutstandingArea.objects.bulk_create(created)
    _audit_created(created, by)
    if linked:
        OutstandingArea.objects.bulk_update(linked, ["registration_item"])
        _audit_changed(linked, by, "registration_item", {o.pk: None for o in linked})


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
        _audit_changed(changed, by, "result", old)


# ---------------------------------------------------------------- supervision

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
    _check_date(s.held_on, "held_on")
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
    _apply(s, data, SUPERVISION_FIELDS)
    _require(by, "edit_in_scope", s)
    _validate_supervision(s)
    s.save()
    _set_participants(s, participants)
    return s


@transaction.atomic
def update_supervision(*, supervision: Supervision, by, participants=None, **data) -> Supervision:
    _require(by, "edit_in_scope", supervision)
    _apply(supervision, data, SUPERVISION_FIELDS)
    _require(by, "edit_in_scope", supervision)
    _validate_supervision(supervision)
    supervision.save()
    if participants is not None:
        _set_participants(supervision, participants)
    return supervision


# ---------------------------------------------------------------- exemplary examples

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
    _check_year(e.year, "year", latest=today().year)
    _check_date(e.publicised_on, "publicised_on", required=False)
    if e.organization.unit.level == UnitLevel.AREA:
        raise ValidationError({"organization": _("Choose an organization of a district or commune.")})


@transaction.atomic
def save_example(*, by, example: ExemplaryExample | None = None, **data) -> ExemplaryExample:
    example = example or ExemplaryExample()
    if example.pk:
        _require(by, "edit_in_scope", example)
    _apply(example, data, EXAMPLE_FIELDS)
    _require(by, "edit_in_scope", example)
    _validate_example(example)
    example.name = example.name.strip()
    example.name_normalized = normalize(example.name)
    example.save()
    return example


# ---------------------------------------------------------------- outstanding areas

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
        _require(by, "edit_in_scope", record)
    _apply(record, data, OUTSTANDING_FIELDS)
    _require(by, "edit_in_scope", record)
    _validate_outstanding(record)
    record.save()
    return record


# ---------------------------------------------------------------- commune programs

COMMUNE_PROGRAM_FIELDS = {
    "parent",
    "number",
    "signed_on",
    "title",
    "start_year",
    "end_year",
    "purpose",
    "requirements",
    "implementation",
}


def _validate_commune_program(p: Program) -> None:
    if p.owner_unit.level != UnitLevel.COMMUNE:
        raise ValidationError({"owner_unit": _("A commune program is owned by a commune or township.")})
    if p.parent is None or p.parent.owner_unit_id not in p.owner_unit.ancestor_ids():
        raise ValidationError({"parent": _("Choose the program of the unit above the commune.")})
    if not p.title.strip():
        raise ValidationError({"title": _("This field is required.")})
    _check_year(p.start_year, "start_year")
    _check_year(p.end_year, "end_year", latest=today().year + 10)
    if p.end_year < p.start_year:
        raise ValidationError({"end_year": _("The last year cannot be before the first year.")})
    if p.start_year < p.parent.start_year or p.end_year > p.parent.end_year:
        raise ValidationError(
            {
                "start_year": _("The years must be within those of the program above (%(first)s–%(last)s).")
                % {"first": p.parent.start_year, "last": p.parent.end_year}
            }
        )
    _check_date(p.signed_on, "signed_on", required=False)
    clash = Program.objects.filter(owner_unit=p.owner_unit, parent=p.parent).exclude(pk=p.pk)
    if clash.exists():
        raise ValidationError({"parent": _("This commune already has a program under that program.")})


_RULE_FIELDS = [
    "min_contents_per_commune",
    "min_outstanding_areas_per_commune",
    "min_households_per_branch",
    "max_households_per_branch",
    "min_initiatives_per_organization",
    "preliminary_review_years",
    "final_review_years",
]


@transaction.atomic
def create_commune_program(*, by, commune: Unit, **data) -> Program:
    """The commune's own program, with the contents, fields, assignments and rules of the one above."""
    _require(by, "manage_front_records", commune)
    program = Program(owner_unit=commune)
    _apply(program, data, COMMUNE_PROGRAM_FIELDS)
    _validate_commune_program(program)
    program.campaign_id = program.parent.campaign_id
    for name in _RULE_FIELDS:
        setattr(program, name, getattr(program.parent, name))
    program.save()
    ProgramContent.objects.bulk_create(
        [
            ProgramContent(
                program=program, kind=c.kind, order=c.order, title=c.title, description=c.description
            )
            for c in program.parent.contents.all()
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(
                program=program,
                organization_kind=a.organization_kind,
                text=a.text,
                suggested_models=a.suggested_models,
            )
            for a in program.parent.assignments.all()
        ]
    )
    return program


@transaction.atomic
def update_commune_program(*, program: Program, by, **data) -> Program:
    _require(by, "manage_front_records", program)
    _apply(program, data, COMMUNE_PROGRAM_FIELDS)
    _validate_commune_program(program)
    program.save()
    return program


# ---------------------------------------------------------------- program documents

DOCUMENT_FIELDS = {
    "program",
    "direction",
    "number",
    "issued_on",
    "issuing_body",
    "subject",
    "received_on",
    "forwarded_to",
    "file_number",
}


def check_pdf(upload) -> None:
    """Size-capped, and a PDF by its content, whatever its name or declared type says."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "attachment": _("The file is too large (at most %(mb)s MB).")
                % {"mb": DOCUMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError({"attachment": _("The file is not a PDF document.")})


def _validate_document(d: ProgramDocument) -> None:
    for name in ("number", "issuing_body", "subject"):
        if not getattr(d, name).strip():
            raise ValidationError({name: _("This field is required.")})
    _check_date(d.issued_on, "issued_on")
    _check_date(d.received_on, "received_on", required=False)
    if d.received_on is not None and d.received_on < d.issued_on:
        raise ValidationError({"received_on": _("The date received cannot be before the date issued.")})


@transaction.atomic
def save_document(*, by, document: ProgramDocument | None = None, upload=None, **data) -> ProgramDocument:
    document = document or ProgramDocument()
    if document.pk:
        _require(by, "manage_front_records", document)
    _apply(document, data, DOCUMENT_FIELDS)
    _require(by, "manage_front_records", document)
    _validate_document(document)
    if upload is not None:
        check_pdf(upload)
        document.attachment_size = upload.size
        document.attachment.save(_safe_pdf_name(upload.name), upload, save=False)
    document.save()
    return document


def _safe_pdf_name(name: str) -> str:
    stem = normalize(name.rsplit("/", 1)[-1].rsplit(".", 1)[0]).replace(" ", "-")
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in "-_")[:80] or "document"
    return f"{stem}.pdf"
