"""Views of programs, commune programs and program documents. Thin: access.py fetches,
services write, selectors read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit as core_audit
from core.ids import id_or_404
from core.paging import query_without_page
from core.views import (
    communes_page,
    list_filters,
    page_of,
    require_some,
    save_and_redirect,
    wants_export,
)
from organizations import access
from organizations import access as organization_access
from organizations.access import Permission
from organizations.models import Unit, UnitLevel
from programs.forms import CommuneProgramForm, DocumentFilterForm, DocumentForm
from programs.models import ContentKind, Program, ProgramDocument

from . import exporters, selectors, services

PAGE_SIZE = 50  # communes


@login_required
def commune_program_list(request):
    programs = selectors.visible_programs(request.user).filter(parent__isnull=True)
    program = chosen_program(request, programs)
    rows = selectors.commune_program_overview(request.user, program) if program else []
    shown = communes_page(request, rows, lambda row: row["program"] is not None, PAGE_SIZE)
    managed = set(organization_access.front_managed_units(request.user).values_list("pk", flat=True))
    for row in shown["page"]:
        row["can_manage"] = row["commune"].pk in managed
    return render(
        request,
        "programs/commune_program_list.html",
        {"programs": programs, "program": program, **shown},
    )


@login_required
def commune_program_create(request, commune_pk):
    commune = access.get_visible_or_404(request.user, Unit, pk=commune_pk, level=UnitLevel.COMMUNE)
    access.require(request.user, Permission.MANAGE_FRONT_RECORDS, commune)
    initial = {}
    parent = selectors.default_program(request.user)
    if parent is not None:
        initial = {"parent": parent, "start_year": parent.start_year, "end_year": parent.end_year}
    form = CommuneProgramForm(request.POST or None, by=request.user, commune=commune, initial=initial)
    return save_and_redirect(
        request,
        form,
        lambda data: services.create_commune_program(by=request.user, commune=commune, **data),
        "programs/commune_program_form.html",
        {"commune": commune},
        _("Commune program recorded."),
        "programs:program_detail",
    )


@login_required
def commune_program_update(request, pk):
    program = access.get_visible_or_404(
        request.user, Program.objects.select_related("owner_unit"), pk=pk, owner_unit__level=UnitLevel.COMMUNE
    )
    access.require(request.user, Permission.MANAGE_FRONT_RECORDS, program)
    form = CommuneProgramForm(
        request.POST or None, instance=program, by=request.user, commune=program.owner_unit
    )
    return save_and_redirect(
        request,
        form,
        lambda data: services.update_commune_program(program=program, by=request.user, **data),
        "programs/commune_program_form.html",
        {"commune": program.owner_unit, "program": program},
        _("Commune program saved."),
        "programs:program_detail",
    )


@login_required
def document_list(request):
    form = DocumentFilterForm(request.GET or None)
    qs = selectors.documents(request.user, **list_filters(form))
    if wants_export(request):
        return exporters.documents(user=request.user, qs=qs)
    return render(
        request,
        "programs/document_list.html",
        {
            "filter_form": form,
            "page": page_of(request, qs),
            "query": query_without_page(request),
            "can_create": organization_access.front_managed_units(request.user, level=None).exists(),
        },
    )


@login_required
def document_create(request):
    require_some(organization_access.front_managed_units(request.user, level=None))
    form = DocumentForm(request.POST or None, request.FILES or None, by=request.user)
    return save_and_redirect(
        request,
        form,
        lambda data: services.save_document(by=request.user, upload=data.pop("upload", None), **data),
        "programs/document_form.html",
        {},
        _("Document recorded."),
        "programs:document_update",
    )


@login_required
def document_update(request, pk):
    document = access.get_visible_or_404(
        request.user, ProgramDocument.objects.select_related("program"), pk=pk
    )
    can_edit = access.can(request.user, Permission.MANAGE_FRONT_RECORDS, document)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document, by=request.user)
    return save_and_redirect(
        request,
        form,
        lambda data: services.save_document(
            document=document, by=request.user, upload=data.pop("upload", None) or None, **data
        ),
        "programs/document_form.html",
        {"document": document, "can_edit": can_edit, "history": core_audit.history(document)},
        _("Document saved."),
        "programs:document_update",
    )


@login_required
def document_file(request, pk):
    document = access.get_visible_or_404(request.user, ProgramDocument, pk=pk)
    if not document.attachment:
        raise Http404
    response = FileResponse(
        document.attachment.open("rb"),
        as_attachment=True,
        filename=f"{document.number.replace('/', '-')}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def program_list(request):
    programs = access.visible(Program.objects.select_related("owner_unit", "campaign"), request.user)
    return render(request, "programs/program_list.html", {"programs": programs})


@login_required
def program_detail(request, pk):
    program = access.get_visible_or_404(
        request.user, Program.objects.select_related("owner_unit", "campaign", "parent"), pk=pk
    )
    contents = list(program.contents.all())
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "campaign_contents": [c for c in contents if c.kind == ContentKind.CONTENT],
            "model_fields": [c for c in contents if c.kind == ContentKind.MODEL_FIELD],
            "parties": program.parties.select_related("organization"),
            "assignments": program.assignments.all(),
        },
    )


def chosen_program(request, programs):
    chosen = request.GET.get("program")
    if chosen:
        program = programs.filter(pk=id_or_404(chosen, Program)).first()
        if program is None:
            raise Http404
        return program
    return selectors.default_program(request.user)


def program_year(request, program: Program) -> int:
    """The year a page about ``program`` shows: the one asked for when it is one of the
    program's, else the program's latest year that has begun (its first year before it
    starts)."""
    asked = request.GET.get("year", "")
    if asked.isascii() and asked.isdigit() and int(asked) in program.years:
        return int(asked)
    return max(program.start_year, min(program.end_year, timezone.localdate().year))
