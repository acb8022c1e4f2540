"""Writes on commune programs and program documents. Keyword-only, atomic, ``by=user``;
access is checked here as well as in the views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import remove_after_commit
from core.text import normalize
from core.writes import apply_fields, check_date, check_year, today
from organizations.access import Permission, require
from organizations.models import Unit, UnitLevel
from programs.models import Assignment, Program, ProgramContent, ProgramDocument

# Program documents: PDF only, at most this many bytes.
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


PDF_MAGIC = b"%PDF-"


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
    check_year(p.start_year, "start_year")
    check_year(p.end_year, "end_year", latest=today().year + 10)
    if p.end_year < p.start_year:
        raise ValidationError({"end_year": _("The last year cannot be before the first year.")})
    if p.start_year < p.parent.start_year or p.end_year > p.parent.end_year:
        raise ValidationError(
            {
                "start_year": _("The years must be within those of the program above (%(first)s–%(last)s).")
                % {"first": p.parent.start_year, "last": p.parent.end_year}
            }
        )
    check_date(p.signed_on, "signed_on", required=False)
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
    require(by, Permission.MANAGE_FRONT_RECORDS, commune)
    program = Program(owner_unit=commune)
    apply_fields(program, data, COMMUNE_PROGRAM_FIELDS)
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
    require(by, Permission.MANAGE_FRONT_RECORDS, program)
    apply_fields(program, data, COMMUNE_PROGRAM_FIELDS)
    _validate_commune_program(program)
    program.save()
    return program


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
    check_date(d.issued_on, "issued_on")
    check_date(d.received_on, "received_on", required=False)
    if d.received_on is not None and d.received_on < d.issued_on:
        raise ValidationError({"received_on": _("The date received cannot be before the date issued.")})


@transaction.atomic
def save_document(*, by, document: ProgramDocument | None = None, upload=None, **data) -> ProgramDocument:
    document = document or ProgramDocument()
    if document.pk:
        require(by, Permission.MANAGE_FRONT_RECORDS, document)
    apply_fields(document, data, DOCUMENT_FIELDS)
    require(by, Permission.MANAGE_FRONT_RECORDS, document)
    _validate_document(document)
    if upload is not None:
        check_pdf(upload)
        if document.attachment:
            remove_after_commit(document.attachment)  # the file it replaces, once this commits
        document.attachment_size = upload.size
        document.attachment.save(_safe_pdf_name(upload.name), upload, save=False)
    document.save()
    return document


def _safe_pdf_name(name: str) -> str:
    stem = normalize(name.rsplit("/", 1)[-1].rsplit(".", 1)[0]).replace(" ", "-")
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in "-_")[:80] or "document"
    return f"{stem}.pdf"
