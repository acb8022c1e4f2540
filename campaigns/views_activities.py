"""Views of issue 5: initiatives, supervision and criticism, exemplary examples,
outstanding areas, commune programs and program documents. Thin: access.py fetches,
services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access
from organizations.models import OrgKind, Unit, UnitLevel
from portal import figures
from portal.forms import CommuneChoiceForm, add_service_errors
from portal.ids import id_or_404, read_id
from portal.paging import query_without_page

from . import selectors_activities as selectors
from . import services_activities as services
from .excel_activities import workbook_response
from .forms_activities import (
    CommuneProgramForm,
    DocumentFilterForm,
    DocumentForm,
    ExampleFilterForm,
    ExampleForm,
    InitiativeCreateForm,
    InitiativeFilterForm,
    InitiativeForm,
    InitiativeStatusForm,
    InitiativeYearForm,
    OutstandingFilterForm,
    OutstandingForm,
    SupervisionFilterForm,
    SupervisionForm,
)
from .models import (
    ExemplaryExample,
    Initiative,
    OutstandingArea,
    Program,
    ProgramDocument,
    Registration,
    Supervision,
)

PAGE_SIZE = 50
CHECK_PAGE_SIZE = 20  # communes, each with its organizations


def _filters(form) -> dict:
    if not form.is_valid():
        return {}
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.cleaned_data.items() if v not in (None, "")}


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


def _require_some(qs) -> None:
    """Read-only users (no organization they may write) get 403 on write pages."""
    if not qs.exists():
        raise PermissionDenied


# ---------------------------------------------------------------- initiatives


@login_required
def initiative_list(request):
    form = InitiativeFilterForm(request.GET or None, by=request.user)
    export = _wants_export(request)
    qs = selectors.initiatives(request.user, **_filters(form), totals=export)
    if export:
        return workbook_response(
            user=request.user,
            title=_("List of initiatives"),
            filename="mo-hinh",
            headers=[
                _("No."),
                _("Name"),
                _("Organization"),
                _("Commune"),
                _("Residential area"),
                _("Field"),
                _("Start year"),
                _("Status"),
                _("Households reached"),
                _("Value (VND)"),
            ],
            rows=(
                [
                    i,
                    x.name,
                    x.organization.name,
                    x.organization.unit.name,
                    x.area.name if x.area else "",
                    x.field.title,
                    x.start_year,
                    x.get_status_display(),
                    x.total_households or 0,
                    x.total_value or 0,
                ]
                for i, x in enumerate(qs.iterator(chunk_size=2000), start=1)
            ),
            widths=[6, 40, 32, 20, 20, 36, 10, 20, 14, 16],
        )
    body = figures.kept_drawn(
        request, "initiatives", "campaigns/_initiative_list.html", lambda: _initiative_page(request, form, qs)
    )
    return render(request, "campaigns/initiative_list.html", {"body": body})


def _initiative_page(request, form, qs) -> dict:
    # The page's ids first (a narrow sorted join: 36 ms for the province's 20,000 initiatives
    # against 220 ms with every column), then those rows and their totals over the years.
    page = _page(request, qs.values_list("pk", flat=True))
    ids = list(page.object_list)
    found = {x.pk: x for x in qs.filter(pk__in=ids)}
    page.object_list = selectors.add_totals([found[pk] for pk in ids])
    return {
        "filter_form": form,
        "page": page,
        "query": query_without_page(request),
        "can_create": selectors.writable_organizations(request.user).exists(),
    }


@login_required
def initiative_detail(request, pk):
    initiative = access.get_visible_or_404(
        request.user,
        Initiative.objects.select_related(
            "organization__unit", "field__program", "area", "registration_item"
        ),
        pk=pk,
    )
    can_edit = access.can(request.user, "edit_in_scope", initiative)
    # The registrations it came from and those that continue it, as far as the user sees them.
    origin = initiative.registration_item.registration_id if initiative.registration_item_id else None
    registrations = list(
        access.visible(
            Registration.objects.filter(Q(items__initiative=initiative) | Q(pk=origin)), request.user
        )
        .select_related("period", "organization")
        .distinct()
        .order_by("period__year", "pk")
    )
    return render(
        request,
        "campaigns/initiative_detail.html",
        {
            "initiative": initiative,
            "origin": next((r for r in registrations if r.pk == origin), None),
            "registrations": [r for r in registrations if r.pk != origin],
            "changes": initiative.status_changes.select_related("changed_by"),
            "years": initiative.years.all(),
            "can_edit": can_edit,
            "status_form": InitiativeStatusForm(initial={"changed_on": timezone.localdate()})
            if can_edit
            else None,
            "year_form": InitiativeYearForm(initial={"year": timezone.localdate().year})
            if can_edit
            else None,
            "history": selectors.history(initiative),
        },
    )


@login_required
def initiative_create(request):
    _require_some(selectors.writable_organizations(request.user))
    commune_form = CommuneChoiceForm.for_request(request)
    form = InitiativeCreateForm(request.POST or None, by=request.user, commune_form=commune_form)
    return _save_redirect(
        request,
        form,
        lambda data: services.create_initiative(by=request.user, **data),
        "campaigns/initiative_form.html",
        {"commune_form": commune_form},
        _("Initiative recorded."),
        "initiative_detail",
    )


def _save_redirect(request, form, save, template, context, success, url_name):
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(url_name, pk=obj.pk)
    return render(request, template, {"form": form, **context})


@login_required
def initiative_update(request, pk):
    initiative = access.get_visible_or_404(request.user, Initiative, pk=pk)
    access.require(request.user, "edit_in_scope", initiative)
    commune_form = CommuneChoiceForm.for_request(request, default=initiative.organization.unit)
    form = InitiativeForm(
        request.POST or None, instance=initiative, by=request.user, commune_form=commune_form
    )
    return _save_redirect(
        request,
        form,
        lambda data: services.update_initiative(initiative=initiative, by=request.user, **data),
        "campaigns/initiative_form.html",
        {"initiative": initiative, "commune_form": commune_form},
        _("Initiative saved."),
        "initiative_detail",
    )


@login_required
@require_POST
def initiative_status(request, pk):
    initiative = access.get_visible_or_404(request.user, Initiative, pk=pk)
    access.require(request.user, "edit_in_scope", initiative)
    form = InitiativeStatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_initiative_status(initiative=initiative, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("initiative_detail", pk=initiative.pk)
    return render(
        request,
        "campaigns/initiative_status_form.html",
        {
            "form": form,
            "initiative": initiative,
            "action": "initiative_status",
            "title": _("Change the status"),
        },
    )


@login_required
@require_POST
def initiative_year(request, pk):
    initiative = access.get_visible_or_404(request.user, Initiative, pk=pk)
    access.require(request.user, "edit_in_scope", initiative)
    form = InitiativeYearForm(request.POST)
    if form.is_valid():
        try:
            services.set_initiative_year(initiative=initiative, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Yearly figures saved."))
            return redirect("initiative_detail", pk=initiative.pk)
    return render(
        request,
        "campaigns/initiative_status_form.html",
        {"form": form, "initiative": initiative, "action": "initiative_year", "title": _("Yearly figures")},
    )


@login_required
def initiative_check(request):
    programs = selectors.visible_programs(request.user).filter(parent__isnull=True)
    program = _chosen_program(request, programs)
    rows = selectors.initiative_check(request.user, program) if program else []
    return render(
        request,
        "campaigns/initiative_check.html",
        {
            "programs": programs,
            "program": program,
            # A province's 218 communes with their organizations made a page of 250 KB.
            **_communes_page(request, rows, lambda row: row["ok"], CHECK_PAGE_SIZE),
        },
    )


def _communes_page(request, rows: list[dict], passes, size: int) -> dict:
    """A per-commune check as its page shows it: how many communes pass (``passes(row)``),
    and a page of them, or of those that do not pass (``?missing=1``)."""
    only_missing = request.GET.get("missing") == "1"
    shown = [row for row in rows if not passes(row)] if only_missing else rows
    return {
        "communes": len(rows),
        "passing": sum(1 for row in rows if passes(row)),
        "only_missing": only_missing,
        "page": Paginator(shown, size).get_page(request.GET.get("page")),
        "query": query_without_page(request),
    }


def _chosen_program(request, programs):
    chosen = request.GET.get("program")
    if chosen:
        program = programs.filter(pk=id_or_404(chosen, Program)).first()
        if program is None:
            raise Http404
        return program
    return selectors.default_program(request.user)


# ---------------------------------------------------------------- supervision


@login_required
def supervision_list(request):
    form = SupervisionFilterForm(request.GET or None)
    today = timezone.localdate()
    qs = selectors.supervisions(request.user, today=today, **_filters(form))
    # The dashboard drills down to one commune's (and one organization's) supervisions.
    if request.GET.get("commune"):
        # A value that cannot name a commune lists nothing, as a commune without supervisions.
        commune = read_id(request.GET["commune"], Unit)
        where = Q(lead_organization__unit_id=commune) | Q(lead_organization__unit__parent_id=commune)
        qs = qs.filter(where) if commune else qs.none()
    if request.GET.get("organization_kind") in OrgKind.values:
        qs = qs.filter(lead_organization__kind=request.GET["organization_kind"])
    if _wants_export(request):
        return workbook_response(
            user=request.user,
            title=_("Supervision and social criticism"),
            filename="giam-sat-phan-bien",
            headers=[
                _("No."),
                _("Date"),
                _("Type"),
                _("Topic"),
                _("Program area"),
                _("Body supervised or draft criticised"),
                _("Lead organization"),
                _("Participating organizations"),
                _("Findings"),
                _("Recommendations"),
                _("Response from the body"),
                _("Follow-up"),
                _("Due date"),
            ],
            rows=(
                [
                    i,
                    s.held_on,
                    s.get_kind_display(),
                    s.topic,
                    s.get_program_area_display(),
                    s.subject,
                    s.lead_organization.name,
                    ", ".join(o.name for o in s.participants.all()),
                    s.findings,
                    s.recommendations,
                    s.response,
                    s.get_follow_up_status_display(),
                    s.follow_up_due,
                ]
                for i, s in enumerate(qs, start=1)
            ),
            widths=[6, 12, 16, 36, 18, 30, 30, 30, 36, 36, 30, 18, 12],
        )
    return render(
        request,
        "campaigns/supervision_list.html",
        {
            "filter_form": form,
            "page": _page(request, qs),
            "query": query_without_page(request),
            "today": today,
            "can_create": _can_lead(request.user),
        },
    )


def _lead_orgs(user):
    return selectors.writable_organizations(
        user, levels=(UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)
    )


def _can_lead(user) -> bool:
    return _lead_orgs(user).exists()


@login_required
def supervision_detail(request, pk):
    supervision = access.get_visible_or_404(
        request.user, Supervision.objects.select_related("lead_organization__unit"), pk=pk
    )
    return render(
        request,
        "campaigns/supervision_detail.html",
        {
            "supervision": supervision,
            "participants": supervision.participants.order_by("name"),
            "overdue": Supervision.objects.overdue(timezone.localdate()).filter(pk=supervision.pk).exists(),
            "can_edit": access.can(request.user, "edit_in_scope", supervision),
            "history": selectors.history(supervision),
        },
    )


@login_required
def supervision_create(request):
    _require_some(_lead_orgs(request.user))
    form = SupervisionForm(request.POST or None, by=request.user)
    return _save_redirect(
        request,
        form,
        lambda data: services.create_supervision(by=request.user, **data),
        "campaigns/supervision_form.html",
        {},
        _("Supervision recorded."),
        "supervision_detail",
    )


@login_required
def supervision_update(request, pk):
    supervision = access.get_visible_or_404(request.user, Supervision, pk=pk)
    access.require(request.user, "edit_in_scope", supervision)
    form = SupervisionForm(request.POST or None, instance=supervision, by=request.user)
    return _save_redirect(
        request,
        form,
        lambda data: services.update_supervision(supervision=supervision, by=request.user, **data),
        "campaigns/supervision_form.html",
        {"supervision": supervision},
        _("Supervision saved."),
        "supervision_detail",
    )


# ---------------------------------------------------------------- examples


@login_required
def example_list(request):
    form = ExampleFilterForm(request.GET or None, by=request.user)
    qs = selectors.examples(request.user, **_filters(form))
    if _wants_export(request):
        return workbook_response(
            user=request.user,
            title=_("Exemplary examples"),
            filename="guong-dien-hinh",
            headers=[
                _("No."),
                _("Name"),
                _("Kind"),
                _("Organization"),
                _("Field"),
                _("Year"),
                _("Achievement"),
                _("Certificate"),
                _("Recognition level"),
                _("Decision number"),
                _("Publicised in"),
                _("Publicised on"),
            ],
            rows=(
                [
                    i,
                    e.name,
                    e.get_kind_display(),
                    e.organization.name,
                    e.field.title,
                    e.year,
                    e.achievement,
                    e.certificate,
                    e.get_recognition_level_display(),
                    e.decision_number,
                    e.publicised_in,
                    e.publicised_on,
                ]
                for i, e in enumerate(qs.iterator(chunk_size=2000), start=1)
            ),
            widths=[6, 30, 14, 30, 36, 8, 40, 24, 14, 20, 24, 12],
        )
    return render(
        request,
        "campaigns/example_list.html",
        {
            "filter_form": form,
            "page": _page(request, qs),
            "query": query_without_page(request),
            "can_create": _can_lead(request.user),
        },
    )


@login_required
def example_detail(request, pk):
    example = access.get_visible_or_404(
        request.user, ExemplaryExample.objects.select_related("organization__unit", "field"), pk=pk
    )
    return render(
        request,
        "campaigns/example_detail.html",
        {
            "example": example,
            "can_edit": access.can(request.user, "edit_in_scope", example),
            "history": selectors.history(example),
        },
    )


@login_required
def example_create(request):
    _require_some(_lead_orgs(request.user))
    form = ExampleForm(request.POST or None, by=request.user)
    return _save_redirect(
        request,
        form,
        lambda data: services.save_example(by=request.user, **data),
        "campaigns/example_form.html",
        {},
        _("Exemplary example recorded."),
        "example_detail",
    )


@login_required
def example_update(request, pk):
    example = access.get_visible_or_404(request.user, ExemplaryExample, pk=pk)
    access.require(request.user, "edit_in_scope", example)
    form = ExampleForm(request.POST or None, instance=example, by=request.user)
    return _save_redirect(
        request,
        form,
        lambda data: services.save_example(example=example, by=request.user, **data),
        "campaigns/example_form.html",
        {"example": example},
        _("Exemplary example saved."),
        "example_detail",
    )


# ---------------------------------------------------------------- outstanding areas


def _outstanding_writers(user):
    return selectors.writable_organizations(user, levels=(UnitLevel.COMMUNE, UnitLevel.AREA))


@login_required
def outstanding_list(request):
    form = OutstandingFilterForm(request.GET or None, by=request.user)
    filters = _filters(form)
    programs = selectors.visible_programs(request.user).filter(parent__isnull=True)
    program = _chosen_program(request, programs)
    year = filters.get("year") or timezone.localdate().year
    qs = selectors.outstanding_areas(request.user, **filters)
    if _wants_export(request):
        return workbook_response(
            user=request.user,
            title=_("Outstanding residential areas"),
            filename="khu-dan-cu-noi-bat",
            headers=[
                _("No."),
                _("Year"),
                _("Commune"),
                _("Residential area"),
                _("Registered by"),
                _("Result at year end"),
                _("Decision number"),
                _("Note"),
            ],
            rows=(
                [
                    i,
                    o.year,
                    o.area.parent.name,
                    o.area.name,
                    o.organization.name,
                    o.get_result_display(),
                    o.decision_number,
                    o.note,
                ]
                for i, o in enumerate(qs.iterator(chunk_size=2000), start=1)
            ),
            widths=[6, 8, 20, 24, 32, 18, 20, 30],
        )
    page = _page(request, qs)
    page.object_list = list(page.object_list)
    # The registration each area came from, linked where the user sees it.
    from_registrations = {
        o.registration_item.registration_id for o in page.object_list if o.registration_item_id
    }
    visible_registrations = (
        set(
            access.visible(Registration.objects.filter(pk__in=from_registrations), request.user).values_list(
                "pk", flat=True
            )
        )
        if from_registrations
        else set()
    )
    for o in page.object_list:
        o.registration_link = (
            o.registration_item.registration_id
            if o.registration_item_id and o.registration_item.registration_id in visible_registrations
            else None
        )
    return render(
        request,
        "campaigns/outstanding_list.html",
        {
            "filter_form": form,
            "page": page,
            "query": query_without_page(request),
            "program": program,
            "year": year,
            "check": selectors.outstanding_check(request.user, program, year) if program else [],
            "can_create": _outstanding_writers(request.user).exists(),
        },
    )


@login_required
def outstanding_create(request):
    _require_some(_outstanding_writers(request.user))
    initial = {"year": timezone.localdate().year, "program": selectors.default_program(request.user)}
    commune_form = CommuneChoiceForm.for_request(request)
    form = OutstandingForm(request.POST or None, by=request.user, initial=initial, commune_form=commune_form)
    return _save_redirect(
        request,
        form,
        lambda data: services.save_outstanding_area(by=request.user, **data),
        "campaigns/outstanding_form.html",
        {"commune_form": commune_form},
        _("Outstanding residential area recorded."),
        "outstanding_update",
    )


@login_required
def outstanding_update(request, pk):
    record = access.get_visible_or_404(
        request.user, OutstandingArea.objects.select_related("area__parent", "organization"), pk=pk
    )
    can_edit = access.can(request.user, "edit_in_scope", record)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    commune_form = CommuneChoiceForm.for_request(request, default=record.area.parent)
    form = OutstandingForm(request.POST or None, instance=record, by=request.user, commune_form=commune_form)
    return _save_redirect(
        request,
        form,
        lambda data: services.save_outstanding_area(record=record, by=request.user, **data),
        "campaigns/outstanding_form.html",
        {
            "record": record,
            "can_edit": can_edit,
            "history": selectors.history(record),
            "commune_form": commune_form,
        },
        _("Outstanding residential area saved."),
        "outstanding_update",
    )


# ---------------------------------------------------------------- commune programs


@login_required
def commune_program_list(request):
    programs = selectors.visible_programs(request.user).filter(parent__isnull=True)
    program = _chosen_program(request, programs)
    rows = selectors.commune_program_overview(request.user, program) if program else []
    shown = _communes_page(request, rows, lambda row: row["program"] is not None, PAGE_SIZE)
    managed = set(selectors.front_managed_units(request.user).values_list("pk", flat=True))
    for row in shown["page"]:
        row["can_manage"] = row["commune"].pk in managed
    return render(
        request,
        "campaigns/commune_program_list.html",
        {"programs": programs, "program": program, **shown},
    )


@login_required
def commune_program_create(request, commune_pk):
    commune = access.get_visible_or_404(request.user, Unit, pk=commune_pk, level=UnitLevel.COMMUNE)
    access.require(request.user, "manage_front_records", commune)
    initial = {}
    parent = selectors.default_program(request.user)
    if parent is not None:
        initial = {"parent": parent, "start_year": parent.start_year, "end_year": parent.end_year}
    form = CommuneProgramForm(request.POST or None, by=request.user, commune=commune, initial=initial)
    return _save_redirect(
        request,
        form,
        lambda data: services.create_commune_program(by=request.user, commune=commune, **data),
        "campaigns/commune_program_form.html",
        {"commune": commune},
        _("Commune program recorded."),
        "program_detail",
    )


@login_required
def commune_program_update(request, pk):
    program = access.get_visible_or_404(
        request.user, Program.objects.select_related("owner_unit"), pk=pk, owner_unit__level=UnitLevel.COMMUNE
    )
    access.require(request.user, "manage_front_records", program)
    form = CommuneProgramForm(
        request.POST or None, instance=program, by=request.user, commune=program.owner_unit
    )
    return _save_redirect(
        request,
        form,
        lambda data: services.update_commune_program(program=program, by=request.user, **data),
        "campaigns/commune_program_form.html",
        {"commune": program.owner_unit, "program": program},
        _("Commune program saved."),
        "program_detail",
    )


# ---------------------------------------------------------------- documents


@login_required
def document_list(request):
    form = DocumentFilterForm(request.GET or None)
    qs = selectors.documents(request.user, **_filters(form))
    if _wants_export(request):
        return workbook_response(
            user=request.user,
            title=_("Register of program documents"),
            filename="so-van-ban",
            headers=[
                _("No."),
                _("Direction"),
                _("Number and symbol"),
                _("Date issued"),
                _("Issuing body"),
                _("Subject"),
                _("Date received"),
                _("Forwarded to"),
                _("File number"),
                _("Program"),
            ],
            rows=(
                [
                    i,
                    d.get_direction_display(),
                    d.number,
                    d.issued_on,
                    d.issuing_body,
                    d.subject,
                    d.received_on,
                    d.forwarded_to,
                    d.file_number,
                    d.program.number or d.program.title,
                ]
                for i, d in enumerate(qs.iterator(chunk_size=2000), start=1)
            ),
            widths=[6, 12, 22, 12, 30, 44, 12, 24, 12, 24],
        )
    return render(
        request,
        "campaigns/document_list.html",
        {
            "filter_form": form,
            "page": _page(request, qs),
            "query": query_without_page(request),
            "can_create": selectors.front_managed_units(request.user, level=None).exists(),
        },
    )


@login_required
def document_create(request):
    _require_some(selectors.front_managed_units(request.user, level=None))
    form = DocumentForm(request.POST or None, request.FILES or None, by=request.user)
    return _save_redirect(
        request,
        form,
        lambda data: services.save_document(by=request.user, upload=data.pop("upload", None), **data),
        "campaigns/document_form.html",
        {},
        _("Document recorded."),
        "document_update",
    )


@login_required
def document_update(request, pk):
    document = access.get_visible_or_404(
        request.user, ProgramDocument.objects.select_related("program"), pk=pk
    )
    can_edit = access.can(request.user, "manage_front_records", document)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document, by=request.user)
    return _save_redirect(
        request,
        form,
        lambda data: services.save_document(
            document=document, by=request.user, upload=data.pop("upload", None) or None, **data
        ),
        "campaigns/document_form.html",
        {"document": document, "can_edit": can_edit, "history": selectors.history(document)},
        _("Document saved."),
        "document_update",
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
