"""Thin views: fetch through access.py, call a service, render."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Prefetch
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit as core_audit
from core.forms import add_service_errors
from core.ids import LAST_YEAR, read_id, read_number
from core.paging import page_of, query_without_page
from organizations import access
from organizations.access import Permission
from organizations.forms import CommuneChoiceForm
from organizations.models import Organization, Unit, UnitLevel

from . import exporters, gaps, imports, rules, selectors, services
from .forms import (
    GAP_SHOWS,
    FundEntryForm,
    GapFilterForm,
    HouseholdFilterForm,
    HouseholdForm,
    ImportForm,
    OtherSponsorForm,
    ReversalForm,
    SponsorForm,
    StatusForm,
    SupportForm,
)
from .jobs import start_household_list
from .models import (
    AccessAction,
    EntryKind,
    FundEntry,
    Household,
    HouseholdStatus,
    Outcome,
    PersonalDataAccess,
    ReviewImport,
    Sponsorship,
)

PAGE_SIZE = 50


def _can_write(user) -> bool:
    return not access.is_read_only(user)


# ---------------------------------------------------------------- the registry


def _filtered(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or selectors.latest_year(request.user)
    qs = selectors.households(
        request.user,
        year=year,
        q=data.get("q") or "",
        commune=data.get("commune"),
        area=data.get("area"),
        status=data.get("status") or "",
        sponsor=data.get("sponsor") or "",
    )
    return form, year, qs, data


@login_required
def household_list(request):
    body = render_to_string("households/_household_list.html", _household_list(request), request=request)
    return render(request, "households/household_list.html", {"body": body})


def _household_list(request) -> dict:
    form, year, qs, data = _filtered(request)
    count = _list_length(request.user, year, data)
    return {
        "form": form,
        "year": year,
        "page": page_of(request, qs, PAGE_SIZE, count=count),
        "query": query_without_page(request),
        "can_write": _can_write(request.user),
    }


def _list_length(user, year: int, data: dict) -> int | None:
    """The list's length from the summary figures where they hold it (None elsewhere: a
    search or a sponsor filter is counted from the list itself): counting half a million
    households took 60 ms, a province's 50,000 poor ones 85 ms."""
    if data.get("q") or data.get("sponsor"):
        return None
    where = {"commune": data.get("commune"), "area": data.get("area")}
    status = data.get("status")
    if not status:
        return gaps.household_count(user, **where)
    if status in gaps.STATUS_FIGURES:
        return gaps.status_count(user, year=year, status=status, **where)
    return None


def _export_unit(request) -> Unit:
    scope = access.primary_scope(request.user)
    if scope is not None:
        return scope.unit
    return Unit.objects.filter(parent__isnull=True).order_by("path").first()


@login_required
def household_export(request):
    form, year, qs, data = _filtered(request)
    unit = _export_unit(request)
    filters = urlencode({k: v for k, v in request.GET.items() if v})
    rows = _list_length(request.user, year, data)
    if rows is None:
        rows = qs.count()
    if rows > settings.EXPORT_IN_BACKGROUND_ROWS:
        # Built by the worker: the request answers at once, the file waits in "My files".
        start_household_list(user=request.user, year=year, data=data, unit=unit, filters=filters, rows=rows)
        messages.info(
            request,
            _(
                "The list has %(rows)s households: it is being built in the background. You may leave this page; the file will wait in “My files”."
            )
            % {"rows": intcomma(rows)},
        )
        return redirect("jobs:my_files")
    response, count = exporters.household_list(qs, unit=unit, year=year)
    services.log_access(
        user=request.user,
        action=AccessAction.EXPORT,
        unit=unit,
        what=_("Household list"),
        filters=filters or f"year={year}",
        row_count=count,
    )
    return response


@login_required
def household_detail(request, pk):
    household = access.get_visible_or_404(
        request.user, Household.objects.select_related("area__parent", "ethnicity"), pk=pk
    )
    services.log_access(user=request.user, action=AccessAction.VIEW, unit=household.area, household=household)
    statuses = list(household.statuses.select_related("standard").order_by("year"))
    sponsorships = list(
        access.visible(
            Sponsorship.objects.filter(household=household).select_related("organization"), request.user
        ).order_by("-year")
    )
    # Each sponsorship's outcome follows from the next year's review (rules.outcome).
    status_of = {s.year: s.status for s in statuses}
    for sponsorship in sponsorships:
        sponsorship.household = household  # named in the history: "organization → household"
        sponsorship.outcome = Outcome(rules.outcome(status_of.get(sponsorship.year + 1)))
    supports = household.supports.select_related("sponsorship__organization").prefetch_related("fundings")
    fund_entries = access.visible(FundEntry.objects.filter(household=household), request.user)
    can_edit = access.can(request.user, Permission.EDIT_IN_SCOPE, household)
    history = None
    if access.can_view_audit(request.user):
        # The records on the page name themselves in the history without a query.
        known = [household, household.area, household.area.parent, *statuses, *sponsorships]
        known += [s.standard for s in statuses if s.standard] + [
            s.organization for s in sponsorships if s.organization
        ]
        if household.ethnicity:
            known.append(household.ethnicity)
        history = _history(request.user, household, known)
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "statuses": statuses,
            "sponsorships": sponsorships,
            "supports": supports,
            "fund_entries": fund_entries,
            "can_edit": can_edit,
            "fund_unit": household.area.parent,
            "history": history,
            "history_size": HISTORY_SIZE,
            "can_spend": access.can(request.user, Permission.MANAGE_FRONT_RECORDS, household.area.parent),
        },
    )


# The latest changes shown on a household's page; the change log filtered to the household
# has them all.
HISTORY_SIZE = 30


def _history(user, household: Household, known: list) -> list:
    """The household's own history, newest first: the changes of its record, its yearly
    statuses, its sponsorships and its supports, as far as access.py lets the user read
    the household's changes (an Exists in the same query)."""
    readable = Exists(access.audit_visible(Household.objects.filter(pk=household.pk), user))
    entries = core_audit.record_entries(Household, household.pk).filter(readable)[:HISTORY_SIZE]
    return core_audit.describe(entries, known)


@login_required
def household_create(request):
    if access.is_read_only(request.user):
        raise PermissionDenied
    commune_form = CommuneChoiceForm.for_request(request)
    form = HouseholdForm(request.POST or None, user=request.user, commune_form=commune_form)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            household = services.create_household(by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Household “%(name)s” added.") % {"name": household.head_name})
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/household_form.html", {"form": form, "commune_form": commune_form})


@login_required
def household_update(request, pk):
    household = access.get_visible_or_404(request.user, Household, pk=pk)
    access.require(request.user, Permission.EDIT_IN_SCOPE, household)
    initial = {f: getattr(household, f) for f in services.HOUSEHOLD_FIELDS}
    initial.update(area=household.area, version=household.version)
    commune_form = CommuneChoiceForm.for_request(request, default=household.area.parent)
    form = HouseholdForm(request.POST or None, initial=initial, user=request.user, commune_form=commune_form)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.update_household(household=household, version=version, by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Household saved."))
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/household_form.html",
        {"form": form, "household": household, "commune_form": commune_form},
    )


def _household_for_edit(request, pk) -> Household:
    household = access.get_visible_or_404(request.user, Household.objects.select_related("area"), pk=pk)
    access.require(request.user, Permission.EDIT_IN_SCOPE, household)
    return household


def _simple_form(request, household, form, title, submit):
    return render(
        request,
        "households/simple_form.html",
        {"household": household, "form": form, "title": title, "submit": submit},
    )


@login_required
def status_create(request, pk):
    household = _household_for_edit(request, pk)
    form = StatusForm(request.POST or None, initial={"year": selectors.latest_year(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_status(household=household, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Status recorded."))
            return redirect("households:detail", pk=household.pk)
    return render(
        request,
        "households/status_form.html",
        {"household": household, "form": form, "title": _("Record the yearly status"), "submit": _("Save")},
    )


@login_required
def sponsor_create(request, pk):
    household = _household_for_edit(request, pk)
    organizations = access.visible_organizations(request.user).filter(
        pk__in=services.sponsor_candidates(household).values("pk")
    )
    form = SponsorForm(
        request.POST or None,
        organizations=organizations,
        initial={"year": request.GET.get("year") or selectors.latest_year(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sponsor(household=household, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sponsor assigned."))
            return redirect("households:detail", pk=household.pk)
    return _simple_form(request, household, form, _("Assign a sponsor"), _("Assign"))


@login_required
def other_sponsor_create(request, pk):
    """The Front records a sponsor beyond the organizations for the household."""
    household = _household_for_edit(request, pk)
    access.require(request.user, Permission.MANAGE_FRONT_RECORDS, household.area.parent)
    form = OtherSponsorForm(
        request.POST or None,
        initial={"year": request.GET.get("year") or selectors.latest_year(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sponsor_other(household=household, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sponsor recorded."))
            return redirect("households:detail", pk=household.pk)
    return _simple_form(request, household, form, _("Record another sponsor"), _("Save"))


@login_required
def support_create(request, pk):
    household = _household_for_edit(request, pk)
    sponsorships = access.visible(Sponsorship.objects.filter(household=household), request.user)
    form = SupportForm(
        request.POST or None, sponsorships=sponsorships, initial={"date": datetime.date.today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_support(
                household=household,
                date=data["date"],
                kind=data["kind"],
                value=data["value"],
                sponsorship=data["sponsorship"],
                note=data["note"],
                fundings=form.fundings(),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Support recorded."))
            return redirect("households:detail", pk=household.pk)
    return _simple_form(request, household, form, _("Record support given"), _("Save"))


# ---------------------------------------------------------------- the gap list


@login_required
def gap_list(request):
    body = render_to_string("households/_gap_list.html", _gap_page(request), request=request)
    return render(request, "households/gap_list.html", {"body": body})


def _gap_filters(request) -> tuple[GapFilterForm, dict]:
    """The gap list's filters as read: a value that is not valid is left out, the others
    still apply. The dashboard and the compliance panel drill down to one commune's gap,
    also for a user who is not asked for the commune."""
    form = GapFilterForm(
        request.GET, user=request.user, default_year=lambda: selectors.latest_year(request.user)
    )
    form.is_valid()
    data = form.cleaned_data
    if "commune" not in form.fields:
        data["commune"] = read_id(request.GET.get("commune"), Unit)
    return form, {
        "year": data.get("year") or selectors.latest_year(request.user),
        "q": (data.get("q") or "").replace("\x00", "").strip(),
        "commune": data.get("commune"),
        "area": data.get("area"),
        "show": data.get("show") or "",
    }


def _gap_page(request):
    form, f = _gap_filters(request)
    year, q, commune, area, show = f["year"], f["q"], f["commune"], f["area"], f["show"]
    qs = (
        selectors.gap_households(request.user, year=year, q=q, commune=commune, area=area, show=show)
        .select_related("area__parent")
        .prefetch_related(
            Prefetch("statuses", queryset=HouseholdStatus.objects.filter(year=year), to_attr="year_statuses")
        )
        .order_by("area__path", "name_normalized", "pk")
    )
    # The list's length from the summary figures: counting it from the raw records took 2 s
    # for the province (a search narrows the list enough to count it).
    count = None if q else selectors.gap_count(request.user, year=year, commune=commune, area=area, show=show)
    page = page_of(request, qs, PAGE_SIZE, count=count)
    rooms = selectors.rooms(request.user, list(page.object_list), year)
    # One commune in view (chosen, or the user's own): its residential areas' places left
    # beside their unsponsored households, where the Front must find other sponsors.
    scope = access.primary_scope(request.user)
    if commune:
        one_commune = access.visible_units(request.user).filter(pk=commune, level=UnitLevel.COMMUNE).first()
    else:
        one_commune = scope.unit if scope is not None and scope.unit.level == UnitLevel.COMMUNE else None
    query = {k: v for k, v in f.items() if v}
    return {
        "form": form,
        "one_commune": one_commune,
        "area_places": selectors.area_places(request.user, year=year, commune=one_commune)
        if one_commune and not show and not area
        else [],
        "year": year,
        "q": q,
        "show": show,
        "shows": GAP_SHOWS,
        "filtered": bool(q or commune or area or show),
        "empty": ""
        if page.object_list
        else _gap_empty(request.user, q=q, commune=commune, area=area, show=show),
        "page": page,
        "rows": [(h, rooms.get(h.pk, [])) for h in page.object_list],
        "query": urlencode(query),
        "next": f"{reverse('households:gaps')}?{urlencode(query)}",
        "can_write": _can_write(request.user),
    }


def _gap_empty(user, *, q: str, commune: int | None, area: int | None, show: str) -> str:
    """What an empty gap list says: what was searched where, or, with no filter, that the
    program's promise is kept."""
    unit = area or commune
    if unit:
        unit = access.visible_units(user).filter(pk=unit).select_related("parent").first()
    place = ""
    if unit:
        place = f"{unit.name}, {unit.parent.name}" if unit.level == UnitLevel.AREA else unit.name
    if q and place:
        return _("No household matches “%(q)s” in %(place)s.") % {"q": q, "place": place}
    if q:
        return _("No household matches “%(q)s”.") % {"q": q}
    if place:
        return _("No household of this list in %(place)s.") % {"place": place}
    if show:
        return _("No household in this list.")
    return _("Every poor, near-poor and policy household has a sponsor.")


def _back_to_gaps(request, year: int) -> str:
    """The gap list as the user left it (its filters, sent with the form), else of the year."""
    back = request.POST.get("next", "")
    if back.startswith(reverse("households:gaps") + "?") and "//" not in back:
        return back
    return f"{reverse('households:gaps')}?{urlencode({'year': year})}"


@login_required
@require_POST
def gap_assign(request, pk):
    household = _household_for_edit(request, pk)
    year = read_number(request.POST.get("year"), LAST_YEAR, smallest=1) or selectors.latest_year(request.user)
    back = _back_to_gaps(request, year)
    chosen = read_id(request.POST.get("organization"), Organization)
    if chosen is None:  # nothing chosen: nothing assigned
        messages.error(
            request,
            _("Choose the organization that will sponsor %(household)s, then press “Assign”.")
            % {"household": household.head_name},
        )
        return redirect(back)
    organization = access.get_visible_or_404(
        request.user, access.visible_organizations(request.user), pk=chosen
    )
    try:
        services.sponsor(household=household, organization=organization, year=year, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(organization)s now sponsors %(household)s in %(year)s.")
            % {"organization": organization.name, "household": household.head_name, "year": year},
        )
    return redirect(back)


# ---------------------------------------------------------------- the fund


@login_required
def fund_home(request):
    """The user's own Front ledger, or the list of ledgers they may read."""
    units = selectors.fund_units(request.user).order_by("path")
    scope = access.primary_scope(request.user)
    if scope is not None and scope.unit.level != UnitLevel.AREA:
        return redirect("households:fund", unit=scope.unit.pk)
    return render(request, "households/fund_home.html", {"units": units})


@login_required
def fund_ledger(request, unit):
    unit = access.get_visible_or_404(
        request.user, Unit, pk=unit, level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]
    )
    can_manage = access.can(request.user, Permission.MANAGE_FRONT_RECORDS, unit)
    if request.method == "POST":
        access.require(request.user, Permission.MANAGE_FRONT_RECORDS, unit)
        form = _fund_entry_form(request, unit)
        if form.is_valid():
            try:
                services.record_fund_entry(unit=unit, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Entry recorded."))
                return redirect("households:fund", unit=unit.pk)
    else:
        form = _fund_entry_form(request, unit) if can_manage else None
    body = render_to_string(
        "households/_fund_ledger.html", _fund_ledger(request, unit, form, can_manage), request=request
    )
    return render(request, "households/fund_ledger.html", {"unit": unit, "body": body})


def _fund_entry_form(request, unit: Unit) -> FundEntryForm:
    households = access.visible(
        Household.objects.filter(area__path__startswith=unit.path).select_related("area"), request.user
    ).order_by("name_normalized")
    initial = {"date": services.latest_entry_date(unit)}
    if request.GET.get("household"):
        initial.update(kind=EntryKind.SPENDING, household=request.GET["household"])
    return FundEntryForm(request.POST or None, households=households, initial=initial)


def _fund_ledger(request, unit: Unit, form, can_manage: bool) -> dict:
    entries = (
        FundEntry.objects.filter(unit=unit)
        .select_related("household", "reverses")
        .prefetch_related("reversed_by")
        .order_by("-date", "-pk")
    )
    return {
        "unit": unit,
        "years": selectors.fund_years(unit),
        "balance": services.fund_balance(unit),
        "page": page_of(request, entries, PAGE_SIZE),
        "form": form,
        "can_manage": can_manage,
    }


@login_required
def fund_reverse(request, pk):
    entry = access.get_visible_or_404(
        request.user, FundEntry.objects.select_related("unit", "household"), pk=pk
    )
    access.require(request.user, Permission.MANAGE_FRONT_RECORDS, entry.unit)
    form = ReversalForm(
        request.POST or None,
        initial={"date": services.latest_entry_date(entry.unit), "version": entry.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_fund_entry(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The entry was reversed; both entries stay in the ledger."))
            return redirect("households:fund", unit=entry.unit_id)
    return render(request, "households/fund_reverse.html", {"entry": entry, "form": form})


@login_required
def fund_export(request, unit):
    unit = access.get_visible_or_404(
        request.user, Unit, pk=unit, level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE]
    )
    entries = FundEntry.objects.filter(unit=unit).select_related("household").order_by("date", "pk")
    response, count = exporters.fund_ledger(
        entries.iterator(chunk_size=2000), unit=unit, years=selectors.fund_years(unit)
    )
    services.log_access(
        user=request.user, action=AccessAction.EXPORT, unit=unit, what=_("Fund ledger"), row_count=count
    )
    return response


# ---------------------------------------------------------------- import


@login_required
def import_template(request):
    return exporters.import_template()


@login_required
def import_upload(request):
    if access.is_read_only(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        commune = form.cleaned_data["commune"]
        access.require(request.user, Permission.EDIT_IN_SCOPE, commune)
        try:
            batch = imports.keep_review_list(
                commune=commune, year=form.cleaned_data["year"], upload=form.upload, by=request.user
            )
        except imports.ListRefused as refused:  # its rows' errors, shown here: nothing is kept
            return _preview(request, None, refused.plan, file_name=form.upload.file_name)
        except ValidationError as exc:  # a year no status can be recorded for
            form.add_error("year", exc)
        else:
            if form.year_from_title:
                messages.info(
                    request, _("The year %(year)s was read from the list's title.") % {"year": batch.year}
                )
            return redirect("households:import_preview", pk=batch.pk)
    return render(
        request,
        "households/import_form.html",
        {"form": form, "kept": form.kept_token(), "kept_name": form.upload.file_name if form.upload else ""},
    )


def _batch(request, pk) -> ReviewImport:
    batch = access.get_visible_or_404(
        request.user, ReviewImport.objects.select_related("commune"), pk=pk, uploaded_by=request.user
    )
    access.require(request.user, Permission.EDIT_IN_SCOPE, batch.commune)
    return batch


def _preview(request, batch, plan, *, file_name, error=None):
    """The preview page: of a kept upload (``batch``), or of a list refused at upload (its
    errors, ``batch`` None)."""
    kept = batch or plan
    context = {"batch": batch, "plan": plan, "error": error, "file_name": file_name, "preview_limit": 200}
    return render(
        request,
        "households/import_preview.html",
        {**context, "commune": kept.commune, "year": kept.year},
    )


@login_required
def import_preview(request, pk):
    batch = _batch(request, pk)
    if batch.applied_at is not None:  # it keeps its summary, not its rows
        messages.info(request, _("This file has already been applied."))
        return redirect("households:list")
    plan = error = None
    try:
        plan = imports.preview_plan(batch)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _preview(request, batch, plan, file_name=batch.file_name, error=error)


@login_required
@require_POST
def import_confirm(request, pk):
    batch = _batch(request, pk)
    try:
        plan = imports.confirm_review_list(batch=batch, by=request.user)
    except ValidationError as exc:
        if getattr(exc, "code", None) == imports.ALREADY_APPLIED:
            messages.info(request, exc.messages[0])
            return redirect("households:list")
        for message in exc.messages:
            messages.error(request, message)
        return redirect("households:import_preview", pk=batch.pk)
    messages.success(
        request,
        _("Review list applied: %(create)s added, %(update)s updated, %(unchanged)s unchanged.")
        % plan.summary,
    )
    return redirect(f"{reverse('households:list')}?year={batch.year}&commune={batch.commune_id}")


# ---------------------------------------------------------------- personal data log


@login_required
def access_log(request):
    if not access.is_reviewer(request.user):
        raise PermissionDenied
    entries = access.visible(
        PersonalDataAccess.objects.select_related("user", "unit", "household"), request.user
    )
    page = page_of(request, entries, PAGE_SIZE)
    return render(request, "households/access_log.html", {"page": page})
