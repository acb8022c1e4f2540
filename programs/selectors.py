"""Reads of programs, their contents and model fields, commune programs and documents.
Everything goes through organizations.access."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from organizations import access
from organizations.models import UnitLevel
from programs.models import ContentKind, Program, ProgramContent, ProgramDocument


def visible_programs(user) -> QuerySet:
    return access.visible(Program.objects.select_related("owner_unit"), user)


def _contents(user, kind: str) -> QuerySet:
    # The choices of a form's field: labelled by their order and title, without their
    # program (its long texts, read once per option, took 1 ms of every initiative list).
    return ProgramContent.objects.filter(program__in=visible_programs(user).values("pk"), kind=kind)


def model_fields(user) -> QuerySet:
    return _contents(user, ContentKind.MODEL_FIELD)


def campaign_contents(user) -> QuerySet:
    return _contents(user, ContentKind.CONTENT)


def default_program(user) -> Program | None:
    """The widest program the user sees (the district's, for most users)."""
    programs = list(visible_programs(user).filter(parent__isnull=True))
    return min(programs, key=lambda p: (p.owner_unit.depth, -p.start_year)) if programs else None


def _program_family(program: Program):
    """The program and the commune programs under it (their fields count for it too)."""
    return Program.objects.filter(Q(pk=program.pk) | Q(parent=program)).values("pk")


def commune_program_overview(user, program: Program) -> list[dict]:
    """Each commune under ``program`` with its own program under it, if it has one."""
    subs = access.visible(Program.objects.filter(parent=program), user)
    by_commune = {p.owner_unit_id: p for p in subs}
    communes = (
        access.visible_units(user)
        .filter(level=UnitLevel.COMMUNE, path__startswith=program.owner_unit.path)
        .order_by("name")
    )
    return [{"commune": c, "program": by_commune.get(c.pk)} for c in communes]


def documents(user, *, program=None, direction=None, year=None):
    qs = access.visible(ProgramDocument.objects.select_related("program__owner_unit"), user)
    if program:
        qs = qs.filter(program=program)
    if direction:
        qs = qs.filter(direction=direction)
    if year:
        qs = qs.filter(issued_on__year=year)
    return qs
