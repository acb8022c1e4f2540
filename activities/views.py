"""Views of initiatives, supervision and criticism, exemplary examples and outstanding
areas. Thin: access.py fetches, services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.forms import (
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
from activities.models import ExemplaryExample, Initiative, OutstandingArea, Supervision
from core import audit as core_audit
from core.forms import add_service_errors
from core.ids import read_id
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
from organizations.forms import CommuneChoiceForm
from organizations.models import OrgKind, Unit, UnitLevel
from programs import selectors as program_selectors
from programs.views import chosen_program, program_year

from . import exporters, selectors, services

CHECK_PAGE_SIZE = 20  # communes, each with its organizations


@login_required
def initiative_list(request):
    form = InitiativeFilterForm(request.GET or None, by=request.user)
    export = wants_export(request)
    qs = selectors.initiatives(request.user, **list_filters(form), totals=export)
    if export:
        return exporters.initiatives(user=request.user, qs=qs)
    body = render_to_string(
        "activities/_initiative_list.html", _initiative_page(request, form, qs), request=request
    )
    return render(request, "activities/initiative_list.html", {"body": body})


def _initiative_page(request, form, qs) -> dict:
    # The page's ids first (a narrow sorted join: 36 ms for the province's 20,000 initiatives
    # against 220 ms with every column), then those rows and their totals over the years.
    page = page_of(request, qs.values_list("pk", flat=True))
    ids = list(page.object_list)
    found = {x.pk: x for x in qs.filter(pk__in=ids)}
    page.object_list = selectors.add_totals([found[pk] for pk in ids])
    return {
        "filter_form": form,
        "page": page,
        "query": query_without_page(request),
        "can_create": organization_access.writable_organizations(request.user).exists(),
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
    can_edit = access.can(request.user, Permission.EDIT_IN_SCOPE, initiative)
    # The registrations it came from and those that continue it, as far as the user sees them:
    # their items name it (registrations.RegistrationItem.initiative, .created_initiative).
    source = getattr(initiative, "registration_item", None)
    origin = source.registration_id if source else None
    items = access.visible(
        initiative.registration_items.select_related("registration__period", "registration__organization"),
        request.user,
    ).order_by("registration__period__year", "registration_id")
    registrations = list({item.registration_id: item.registration for item in items}.values())
    return render(
        request,
        "activities/initiative_detail.html",
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
            "history": core_audit.history(initiative),
        },
    )


@login_required
def initiative_create(request):
    require_some(organization_access.writable_organizations(request.user))
    commune_form = CommuneChoiceForm.for_request(request)
    form = InitiativeCreateForm(request.POST or None, by=request.user, commune_form=commune_form)
    return save_and_redirect(
        request,
        form,
        lambda data: services.create_initiative(by=request.user, **data),
        "activities/initiative_form.html",
        {"commune_form": commune_form},
        _("Initiative recorded."),
        "activities:initiative_detail",
    )


@login_required
def initiative_update(request, pk):
    initiative = access.get_visible_or_404(request.user, Initiative, pk=pk)
    access.require(request.user, Permission.EDIT_IN_SCOPE, initiative)
    commune_form = CommuneChoiceForm.for_request(request, default=initiative.organization.unit)
    form = InitiativeForm(
        request.POST or None, instance=initiative, by=request.user, commune_form=commune_form
    )
    return save_and_redirect(
        request,
        form,
        lambda data: services.update_initiative(initiative=initiative, by=request.user, **data),
        "activities/initiative_form.html",
        {"initiative": initiative, "commune_form": commune_form},
        _("Initiative saved."),
        "activities:initiative_detail",
    )


@login_required
@require_POST
def initiative_status(request, pk):
    initiative = access.get_visible_or_404(request.user, Initiative, pk=pk)
    access.require(request.user, Permission.EDIT_IN_SCOPE, initiative)
    form = InitiativeStatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_initiative_status(initiative=initiative, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("activities:initiative_detail", pk=initiative.pk)
    return render(
        request,
        "activities/initiative_status_form.html",
        {
            "form": form,
            "initiative": initiative,
            "action": "activities:initiative_status",
            "title": _("Change the status"),
        },
    )


@login_required
@require_POST
def initiative_year(request, pk):
    initiative = access.get_visible_or_404(request.user, Initiative, pk=pk)
    access.require(request.user, Permission.EDIT_IN_SCOPE, initiative)
    form = InitiativeYearForm(request.POST)
    if form.is_valid():
        try:
            services.set_initiative_year(initiative=initiative, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Yearly figures saved."))
            return redirect("activities:initiative_detail", pk=initiative.pk)
    return render(
        request,
        "activities/initiative_status_form.html",
        {
            "form": form,
            "initiative": initiative,
            "action": "activities:initiative_year",
            "title": _("Yearly figures"),
        },
    )


@login_required
def initiative_check(request):
    programs = program_selectors.visible_programs(request.user).filter(parent__isnull=True)
    program = chosen_program(request, programs)
    year = program_year(request, program) if program else None
    rows = selectors.initiative_check(request.user, program, year) if program else []
    return render(
        request,
        "activities/initiative_check.html",
        {
            "programs": programs,
            "program": program,
            "year": year,
            # A province's 218 communes with their organizations made a page of 250 KB.
            **communes_page(request, rows, lambda row: row["ok"], CHECK_PAGE_SIZE),
        },
    )


@login_required
def supervision_list(request):
    form = SupervisionFilterForm(request.GET or None)
    today = timezone.localdate()
    qs = selectors.supervisions(request.user, today=today, **list_filters(form))
    # The dashboard drills down to one commune's (and one organization's) supervisions.
    if request.GET.get("commune"):
        # A value that cannot name a commune lists nothing, as a commune without supervisions.
        commune = read_id(request.GET["commune"], Unit)
        where = Q(lead_organization__unit_id=commune) | Q(lead_organization__unit__parent_id=commune)
        qs = qs.filter(where) if commune else qs.none()
    if request.GET.get("organization_kind") in OrgKind.values:
        qs = qs.filter(lead_organization__kind=request.GET["organization_kind"])
    if wants_export(request):
        return exporters.supervisions(user=request.user, qs=qs)
    return render(
        request,
        "activities/supervision_list.html",
        {
            "filter_form": form,
            "page": page_of(request, qs),
            "query": query_without_page(request),
            "today": today,
            "can_create": _can_lead(request.user),
        },
    )


def _lead_orgs(user):
    return organization_access.writable_organizations(
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
        "activities/supervision_detail.html",
        {
            "supervision": supervision,
            "participants": supervision.participants.order_by("name"),
            "overdue": Supervision.objects.overdue(timezone.localdate()).filter(pk=supervision.pk).exists(),
            "can_edit": access.can(request.user, Permission.EDIT_IN_SCOPE, supervision),
            "history": core_audit.history(supervision),
        },
    )


@login_required
def supervision_create(request):
    require_some(_lead_orgs(request.user))
    form = SupervisionForm(request.POST or None, by=request.user)
    return save_and_redirect(
        request,
        form,
        lambda data: services.create_supervision(by=request.user, **data),
        "activities/supervision_form.html",
        {},
        _("Supervision recorded."),
        "activities:supervision_detail",
    )


@login_required
def supervision_update(request, pk):
    supervision = access.get_visible_or_404(request.user, Supervision, pk=pk)
    access.require(request.user, Permission.EDIT_IN_SCOPE, supervision)
    form = SupervisionForm(request.POST or None, instance=supervision, by=request.user)
    return save_and_redirect(
        request,
        form,
        lambda data: services.update_supervision(supervision=supervision, by=request.user, **data),
        "activities/supervision_form.html",
        {"supervision": supervision},
        _("Supervision saved."),
        "activities:supervision_detail",
    )


@login_required
def example_list(request):
    form = ExampleFilterForm(request.GET or None, by=request.user)
    qs = selectors.examples(request.user, **list_filters(form))
    if wants_export(request):
        return exporters.examples(user=request.user, qs=qs)
    return render(
        request,
        "activities/example_list.html",
        {
            "filter_form": form,
            "page": page_of(request, qs),
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
        "activities/example_detail.html",
        {
            "example": example,
            "can_edit": access.can(request.user, Permission.EDIT_IN_SCOPE, example),
            "history": core_audit.history(example),
        },
    )


@login_required
def example_create(request):
    require_some(_lead_orgs(request.user))
    form = ExampleForm(request.POST or None, by=request.user)
    return save_and_redirect(
        request,
        form,
        lambda data: services.save_example(by=request.user, **data),
        "activities/example_form.html",
        {},
        _("Exemplary example recorded."),
        "activities:example_detail",
    )


@login_required
def example_update(request, pk):
    example = access.get_visible_or_404(request.user, ExemplaryExample, pk=pk)
    access.require(request.user, Permission.EDIT_IN_SCOPE, example)
    form = ExampleForm(request.POST or None, instance=example, by=request.user)
    return save_and_redirect(
        request,
        form,
        lambda data: services.save_example(example=example, by=request.user, **data),
        "activities/example_form.html",
        {"example": example},
        _("Exemplary example saved."),
        "activities:example_detail",
    )


def _outstanding_writers(user):
    return organization_access.writable_organizations(user, levels=(UnitLevel.COMMUNE, UnitLevel.AREA))


@login_required
def outstanding_list(request):
    form = OutstandingFilterForm(request.GET or None, by=request.user)
    filters = list_filters(form)
    programs = program_selectors.visible_programs(request.user).filter(parent__isnull=True)
    program = chosen_program(request, programs)
    year = filters.get("year") or (program_year(request, program) if program else timezone.localdate().year)
    qs = selectors.outstanding_areas(request.user, **filters)
    if wants_export(request):
        return exporters.outstanding_areas(user=request.user, qs=qs)
    page = page_of(request, qs)
    page.object_list = list(page.object_list)
    # The registration each area came from (registrations.RegistrationItem.outstanding_area),
    # linked where the user sees it.
    sourced = [o.pk for o in page.object_list if getattr(o, "registration_item", None)]
    sources = OutstandingArea._meta.get_field("registration_item").related_model.objects
    links = (
        dict(
            access.visible(sources.filter(outstanding_area__in=sourced), request.user).values_list(
                "outstanding_area_id", "registration_id"
            )
        )
        if sourced
        else {}
    )
    for o in page.object_list:
        o.registration_link = links.get(o.pk)
    return render(
        request,
        "activities/outstanding_list.html",
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
    require_some(_outstanding_writers(request.user))
    initial = {"year": timezone.localdate().year, "program": program_selectors.default_program(request.user)}
    commune_form = CommuneChoiceForm.for_request(request)
    form = OutstandingForm(request.POST or None, by=request.user, initial=initial, commune_form=commune_form)
    return save_and_redirect(
        request,
        form,
        lambda data: services.save_outstanding_area(by=request.user, **data),
        "activities/outstanding_form.html",
        {"commune_form": commune_form},
        _("Outstanding residential area recorded."),
        "activities:outstanding_update",
    )


@login_required
def outstanding_update(request, pk):
    record = access.get_visible_or_404(
        request.user, OutstandingArea.objects.select_related("area__parent", "organization"), pk=pk
    )
    can_edit = access.can(request.user, Permission.EDIT_IN_SCOPE, record)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    commune_form = CommuneChoiceForm.for_request(request, default=record.area.parent)
    form = OutstandingForm(request.POST or None, instance=record, by=request.user, commune_form=commune_form)
    return save_and_redirect(
        request,
        form,
        lambda data: services.save_outstanding_area(record=record, by=request.user, **data),
        "activities/outstanding_form.html",
        {
            "record": record,
            "can_edit": can_edit,
            "history": core_audit.history(record),
            "commune_form": commune_form,
        },
        _("Outstanding residential area saved."),
        "activities:outstanding_update",
    )
