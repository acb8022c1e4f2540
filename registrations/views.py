import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import Initiative
from core.forms import MAX_COUNT, add_service_errors
from core.ids import LAST_YEAR, id_or_404, read_id, read_ids, read_number
from core.paging import page_of
from households.models import AccessAction, Household
from households.services import log_access
from organizations import access
from organizations.access import Permission
from organizations.models import Unit
from programs.models import Program
from registrations import excel, rules, selectors, services, status
from registrations.forms import (
    FIELDS_BY_KIND,
    ITEM_COMMON_FIELDS,
    REQUIRED_BY_KIND,
    ExpectedForm,
    ItemForm,
    ItemFormSet,
    PeriodForm,
    ReasonForm,
    ResultForm,
    TrackingFilterForm,
    UploadForm,
)
from registrations.models import (
    ExpectedChange,
    Registration,
    RegistrationItem,
    RegistrationPeriod,
)


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _posted_version(request, registration) -> int:
    """The version the form was loaded with; garbage counts as stale (0)."""
    return read_number(request.POST.get("version", registration.version), MAX_COUNT) or 0


def _period(request, pk):
    return access.get_visible_or_404(
        request.user, RegistrationPeriod.objects.select_related("program__owner_unit", "closed_by"), pk=pk
    )


def _registration(request, pk):
    return access.get_visible_or_404(
        request.user,
        Registration.objects.select_related(
            "period__program__owner_unit", "organization__unit", "updated_by"
        ),
        pk=pk,
    )


# The rules about the commune as a whole (registrations/rules.py): the commune Front acts on
# them; an organization's branch cannot, and is not shown them.
COMMUNE_WIDE_FINDINGS = frozenset({"no_outstanding_area", "no_content"})
COMMUNE_WIDE_KINDS = frozenset({"outstanding_area", "content"})


def _acts_for_commune(user, registration) -> bool:
    """Whether the user keeps the Front's records where the registration's organization is:
    the commune-wide rules are theirs to act on."""
    return access.can(user, Permission.MANAGE_FRONT_RECORDS, registration.organization.unit)


def _findings_for_user(findings, user, registration) -> list:
    if _acts_for_commune(user, registration):
        return list(findings)
    return [f for f in findings if f.code not in COMMUNE_WIDE_FINDINGS]


def _form_warnings(live: dict, *, commune_wide: bool) -> list[dict]:
    """The form-wide warnings out of the live rules' attributes (``kind|need|message``), for
    the page to draw in one box; the commune-wide ones only for who acts on them."""
    warnings = []
    for number in range(1, int(live.pop("data-warnings", "0")) + 1):
        kind, need, message = live.pop(f"data-warning-{number}").split("|", 2)
        if commune_wide or kind not in COMMUNE_WIDE_KINDS:
            warnings.append({"kind": kind, "need": int(need), "message": message})
    return warnings


@login_required
def period_list(request):
    periods = selectors.periods_for(request.user)
    can_open = access.permitted(Program.objects.all(), request.user, access.Permission.MANAGE_FRONT_RECORDS)
    return render(
        request, "registrations/period_list.html", {"periods": periods, "can_open": can_open.exists()}
    )


@login_required
def period_create(request):
    programs = access.permitted(Program.objects.all(), request.user, access.Permission.MANAGE_FRONT_RECORDS)
    if not programs.exists():
        raise PermissionDenied
    form = PeriodForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.open_period(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The registration period is open."))
            return redirect("registrations:period_detail", pk=period.pk)
    return render(request, "registrations/period_form.html", {"form": form})


@login_required
def tracking(request):
    """The tracking view of the latest (or the chosen) year."""
    periods = access.visible(RegistrationPeriod.objects.all(), request.user).order_by("-year")
    year = read_number(request.GET.get("year"), LAST_YEAR)
    period = (periods.filter(year=year) if year is not None else periods).first()
    if period is None:
        raise Http404
    return redirect("registrations:period_detail", pk=period.pk)


@login_required
def period_detail(request, pk):
    """The Front's tracking view of one year: who registered, when, with what result.

    A scope with registrations more than one level down (a province) shows its own
    organizations and one row of figures per unit below, each a click away (``?unit=``,
    checked through access.py); a district or a commune lists every organization."""
    period = _period(request, pk)
    unit, top = _tracking_unit(request, period)
    body = render_to_string(
        "registrations/_period_detail.html", _tracking_page(request, period, unit, top), request=request
    )
    return render(request, "registrations/period_detail.html", {"period": period, "body": body})


def _tracking_page(request, period, unit: Unit | None, top: Unit) -> dict:
    units = access.visible_units(request.user).filter(organizations__registrations__period=period).distinct()
    # The unit filter lists the unit shown and the units right below it (a province's
    # districts, not its 1,300 units); a commune is one drill-down away.
    shown, chosen = unit or top, read_id(request.GET.get("commune"), Unit)
    nearby = Q(pk=shown.pk) | Q(parent=shown) | (Q(pk=chosen) if chosen else Q(pk__in=[]))
    filter_form = TrackingFilterForm(
        request.GET or None, units=units.order_by("path"), offered=units.filter(nearby).order_by("path")
    )
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    if filters.get("commune"):
        filters = {**filters, "commune": filters["commune"].pk}
    if unit is not None:
        filters = {**filters, "within": unit}
    registrations = selectors.tracking_registrations(period, request.user, filters)
    rows = selectors.tracking_rows(period, request.user, filters)
    summarized, below = False, []
    if not filters.get("commune"):
        summarized, below = selectors.tracking_levels(registrations, shown)
    if summarized:
        rows = rows.filter(Q(organization__unit=shown) | ~Q(organization__unit__path__startswith=shown.path))
    row_list = list(rows)
    for row in row_list:
        row.period = period  # the rows are this period's: its deadlines without a query each
    status.attach(row_list, request.user, timezone.localdate())
    can_review = access.can(request.user, Permission.REVIEW, period.program.owner_unit)
    can_manage = access.can(request.user, Permission.MANAGE_FRONT_RECORDS, period)
    keep = request.GET.copy()
    for key in ("unit", "commune", "page"):
        keep.pop(key, None)
    return {
        "period": period,
        "rows": row_list,
        "summary": selectors.tracking_summary(registrations),
        "missing": selectors.missing_by_unit(row_list),
        "matrix": selectors.matrix(row_list),
        "below": below,
        # A province's own organizations may all have submitted while its districts'
        # have not: "still missing" names those units too, each a click from its list.
        "below_missing": [b for b in below if b.missing],
        "unit": unit,
        "trail": access.visible_units(request.user).filter(pk__in=unit.ancestor_ids()).order_by("path")
        if unit is not None
        else [],
        "filter_query": keep.urlencode(),
        "filter_form": filter_form,
        "can_manage": can_manage,
        "expected_form": ExpectedForm(period=period, user=request.user, shown=shown, shallow=summarized)
        if can_manage and not period.is_closed
        else None,
        "can_review": can_review and not period.is_closed,
        "expected_changes": access.visible(
            ExpectedChange.objects.filter(period=period).select_related("organization", "by"),
            request.user,
        ),
        "lock_reason": services.period_lock_reason(period),
        "years": access.visible(RegistrationPeriod.objects.all(), request.user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct(),
    }


def _tracking_unit(request, period) -> tuple[Unit | None, Unit]:
    """(the unit drilled down to with ``?unit=``, or None; the top of the user's view).

    A unit outside the user's scope answers 404, like any record out of scope."""
    raw = request.GET.get("unit", "")
    unit = access.get_visible_or_404(request.user, Unit, pk=raw) if raw else None
    scope = access.primary_scope(request.user)
    return unit, scope.unit if scope else period.program.owner_unit


@login_required
@require_POST
def period_close(request, pk):
    period = _period(request, pk)
    reopen = bool(request.POST.get("reopen"))
    if not reopen and not request.POST.get("confirm"):
        # Closing locks the whole year: it takes a second, deliberate step.
        access.require(request.user, Permission.MANAGE_FRONT_RECORDS, period)
        if not period.is_closed:
            return _confirm(
                request,
                title=_("Close the period"),
                subject=_("Registration period %(year)s") % {"year": period.year},
                warning=_(
                    "Closing locks every registration and result of this year: nobody can enter, "
                    "submit or review them until the period is reopened."
                ),
                button=_("Confirm closing the period"),
                action=request.path,
                back=reverse("registrations:period_detail", args=[period.pk]),
                style="btn-danger",
            )
    try:
        if reopen:
            services.reopen_period(period=period, by=request.user)
            messages.success(request, _("The period is open again."))
        else:
            services.close_period(period=period, by=request.user)
            messages.success(request, _("The period is closed: all entry is locked."))
    except ValidationError as error:
        _error_messages(request, error)
    return redirect("registrations:period_detail", pk=period.pk)


@login_required
@require_POST
def period_expected(request, pk):
    """Add an organization to those expected to register, or remove one with an empty form."""
    period = _period(request, pk)
    # Before the form: one who may not manage the period must get 403, not a form error
    # (the organizations they cannot see are not among its choices).
    access.require(request.user, Permission.MANAGE_FRONT_RECORDS, period)
    try:
        if request.POST.get("remove"):
            registration = access.get_visible_or_404(
                request.user, Registration.objects.filter(period=period), pk=request.POST["remove"]
            )
            services.remove_expected(
                registration=registration, reason=request.POST.get("reason", ""), by=request.user
            )
            messages.success(request, _("The organization is no longer expected to register."))
        else:
            form = ExpectedForm(request.POST, period=period, user=request.user)
            if not form.is_valid():
                if "organization" in form.errors:
                    messages.error(request, _("Choose an organization."))
                if "reason" in form.errors:
                    messages.error(request, _("Say why this organization is now expected to register."))
                return redirect("registrations:period_detail", pk=period.pk)
            services.add_expected(
                period=period,
                organization=form.cleaned_data["organization"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(request, _("The organization is now expected to register."))
    except ValidationError as error:
        _error_messages(request, error)
    return redirect("registrations:period_detail", pk=period.pk)


@login_required
@require_POST
def period_accept(request, pk):
    """Accept several submitted registrations at once."""
    period = _period(request, pk)
    ids = read_ids(request.POST.getlist("registration"), Registration)
    chosen = access.visible(
        Registration.objects.filter(period=period, pk__in=ids), request.user
    ).select_related("period", "organization__unit")
    if not ids or not chosen:
        messages.error(request, _("Choose at least one submitted registration."))
        return redirect("registrations:period_detail", pk=period.pk)
    chosen = list(chosen)
    if not request.POST.get("confirm"):
        # Accepting locks each registration: a second, deliberate step first, which names
        # the chosen ones that will not be accepted and why.
        for registration in chosen:
            access.require(request.user, services.WORKFLOW["accept"].permission, registration)
        blocked = {r.pk: services.NOT_ACCEPTABLE.get(r.status) for r in chosen}
        acceptable = [r for r in chosen if blocked[r.pk] is None]
        if acceptable:
            return _confirm(
                request,
                title=_("Accept the chosen registrations?"),
                subject=_("Registration period %(year)s") % {"year": period.year},
                warning=_(
                    "Once accepted, the registrations are locked: the organizations can no longer "
                    "change their items, and enter their results against them."
                ),
                button=_("Confirm acceptance of %(count)s registrations") % {"count": len(acceptable)},
                action=request.path,
                back=reverse("registrations:period_detail", args=[period.pk]),
                listed=[r.organization.name for r in acceptable],
                blocked=[
                    _("%(organization)s: %(reason)s")
                    % {"organization": r.organization.name, "reason": reason}
                    for r in chosen
                    if (reason := blocked[r.pk]) is not None
                ],
                hidden=[("registration", r.pk) for r in acceptable],
            )
    done = services.accept_many(registrations=chosen, by=request.user)
    if done.accepted:
        messages.success(request, _("%(count)s registrations accepted.") % {"count": len(done.accepted)})
    if done.refused:
        messages.error(
            request, _("%(count)s registrations were not accepted:") % {"count": len(done.refused)}
        )
    for message in done.messages:
        messages.error(request, message)
    unknown = len(set(ids)) - len(chosen)
    if unknown:  # another period's, or out of scope: said without naming them
        messages.error(
            request,
            _("%(count)s chosen registrations are not among this period's that you can see.")
            % {"count": unknown},
        )
    return redirect("registrations:period_detail", pk=period.pk)


LIST_PAGE_SIZE = 50


@login_required
def registration_list(request):
    """The registrations the user may see, newest year first (an editor's own forms), a page
    at a time; items are counted for the page's rows only (the whole province's year with an
    item count each took 1.2 s)."""
    body = render_to_string(
        "registrations/_registration_list.html", _registration_page(request), request=request
    )
    return render(request, "registrations/registration_list.html", {"body": body})


def _registration_page(request) -> dict:
    qs = (
        access.visible(Registration.objects.all(), request.user)
        .select_related("period__program", "organization__unit")
        .order_by("-period__year", "organization__unit__path", "organization__kind", "pk")
    )
    years = list(
        access.visible(RegistrationPeriod.objects.all(), request.user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    year = request.GET.get("year", "")
    chosen = read_number(year, LAST_YEAR)
    if chosen is not None:
        qs = qs.filter(period__year=chosen)
    elif years:
        year = str(years[0])  # the latest year by default
        qs = qs.filter(period__year=years[0])
    page = page_of(request, qs, LIST_PAGE_SIZE)
    rows = list(page.object_list)
    counts = dict(
        RegistrationItem.objects.filter(registration__in=[r.pk for r in rows])
        .values_list("registration")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        row.item_count = counts.get(row.pk, 0)
    status.attach(rows, request.user, timezone.localdate())
    return {
        "registrations": rows,
        "page": page,
        "year": year,
        "years": years,
        "query": f"year={year}",
    }


def _mark_visible_initiatives(user, items) -> None:
    """``item.initiative_visible``: the page links the item's initiative only for those in scope."""
    ids = {i.initiative_id for i in items if i.initiative_id}
    visible = (
        set(access.visible(Initiative.objects.filter(pk__in=ids), user).values_list("pk", flat=True))
        if ids
        else set()
    )
    for item in items:
        item.initiative_visible = item.initiative_id in visible


@login_required
def registration_detail(request, pk):
    registration = _registration(request, pk)
    user = request.user
    items = list(
        registration.items.select_related(
            "content", "initiative_field", "area", "initiative", "outstanding_area"
        )
        .annotate(named_count=Count("households"))
        .prefetch_related(
            # The named households the user may see, the ones whose page they may open
            # (households.views.household_detail opens those access.visible gives): each
            # name links to its page; the others are only counted.
            Prefetch(
                "households",
                queryset=access.visible(Household.objects.order_by("name_normalized", "pk"), user),
                to_attr="visible_households",
            ),
        )
    )
    for item in items:
        item.hidden_households = item.named_count - len(item.visible_households)
    _mark_visible_initiatives(user, items)
    is_editor = access.can(user, Permission.EDIT_OWN, registration)
    edit_lock = services.edit_lock_reason(registration)
    results_lock = services.results_lock_reason(registration)
    findings = (
        _findings_for_user(rules.registration_findings(registration, items), user, registration)
        if is_editor and not edit_lock
        else []
    )
    words = status.status_words(
        registration, today=timezone.localdate(), reviewer=status.reviews(user, registration)
    )
    context = {
        "registration": registration,
        "period": registration.period,
        "items": items,
        "findings": findings,
        "has_errors": bool(rules.errors(findings)),
        "has_warnings": bool(rules.warnings(findings)),
        "words": words,
        # The waiting message replaces the lock reason that says the same to the submitter
        # (the reviewer must not read "waiting for the Front's review").
        "edit_lock": None if words.waiting and registration.status == "submitted" else edit_lock,
        "results_lock": None
        if words.waiting and registration.results_status == "submitted"
        else results_lock,
        "can_edit": is_editor and edit_lock is None,
        "can_enter_results": is_editor and results_lock is None,
        # The workflow's buttons: the actions its table lets the user take now.
        "actions": services.allowed_actions(registration, user, items),
        "has_results": any(i.result for i in items),
        "events": registration.events.select_related("by").order_by("-at", "-id"),
        "reason_form": ReasonForm(),
        "upload_form": UploadForm() if is_editor and edit_lock is None else None,
    }
    return render(request, "registrations/registration_detail.html", context)


@login_required
def registration_edit(request, pk):
    registration = _registration(request, pk)
    access.require(request.user, Permission.EDIT_OWN, registration)
    lock = services.edit_lock_reason(registration)
    if lock:
        messages.error(request, lock)
        return redirect("registrations:registration_detail", pk=registration.pk)
    initial = [
        {
            **{field: getattr(item, field) for field in ItemForm.Meta.fields if field != "households"},
            "households": [h.pk for h in item.households.all()],
            "carried_from_id": item.carried_from_id,
        }
        for item in registration.items.select_related(
            "content", "initiative_field", "area", "initiative"
        ).prefetch_related("households")
    ]
    formset = ItemFormSet(request.POST or None, initial=initial, registration=registration, user=request.user)
    version = _posted_version(request, registration)
    status = 200
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_items(
                registration=registration, items=formset.item_rows(), version=version, by=request.user
            )
        except ValidationError as error:
            if services.error_code(error) == "stale":
                messages.error(request, error.messages[0])
                status = 409  # someone saved meanwhile: the form comes back with their name and time
            else:
                formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("The registration is saved."))
            return redirect("registrations:registration_detail", pk=registration.pk)
    live = rules.live_rules(registration)
    warnings = _form_warnings(live, commune_wide=_acts_for_commune(request.user, registration))
    kinds = formset.kinds_in_use()
    for warning in warnings:
        warning["met"] = kinds.count(warning["kind"]) >= warning["need"]
    return render(
        request,
        "registrations/registration_form.html",
        {
            "registration": registration,
            "formset": formset,
            "version": version,
            "program": registration.period.program,
            "live_rules": live,
            "warnings": warnings,
            "any_warning": any(not w["met"] for w in warnings),
            # What the page's script shows and marks required as a row's kind changes.
            "fields_by_kind": json.dumps(
                {"common": ITEM_COMMON_FIELDS, **{str(k): v for k, v in FIELDS_BY_KIND.items()}}
            ),
            "required_by_kind": json.dumps({str(k): v for k, v in REQUIRED_BY_KIND.items()}),
        },
        status=status,
    )


# The workflow's actions that lock the registration and so ask for a confirm step.
CONFIRMED_ACTIONS = ("accept",)


def _confirm(
    request,
    *,
    title,
    subject,
    warning,
    button,
    action,
    back,
    style="btn-success",
    listed=(),
    blocked=(),
    hidden=(),
):
    """The confirm step of a locking action: the same POST again with ``confirm=1``.
    ``listed``: what the action will apply to; ``blocked``: what it will leave, with why;
    ``hidden``: (name, value) pairs posted again."""
    confirm = {
        "title": title,
        "subject": subject,
        "warning": warning,
        "button": button,
        "action": action,
        "back": back,
        "style": style,
        "listed": listed,
        "blocked": blocked,
        "hidden": hidden,
    }
    return render(request, "registrations/confirm.html", {"confirm": confirm})


@login_required
@require_POST
def registration_transition(request, pk, action):
    """One action of the workflow (services.WORKFLOW); the carry-over then shows next
    year's draft."""
    registration = _registration(request, pk)
    if action not in services.WORKFLOW:
        raise Http404
    if action in CONFIRMED_ACTIONS and not request.POST.get("confirm"):
        # Accepting locks the registration: a second, deliberate step first. One who may not
        # accept gets 403 here; an accept the workflow refuses now goes on to say why.
        access.require(request.user, services.WORKFLOW[action].permission, registration)
        if action in services.allowed_actions(registration, request.user):
            return _confirm(
                request,
                title=_("Accept this registration?"),
                subject=_("Registration %(year)s of %(org)s")
                % {"year": registration.period.year, "org": registration.organization.name},
                warning=_(
                    "Once accepted, the registration is locked: the organization can no longer "
                    "change its items, and enters its results against them."
                ),
                button=_("Confirm acceptance"),
                action=request.path,
                back=reverse("registrations:registration_detail", args=[registration.pk]),
            )
    done = {
        "submit": _("The registration is submitted to the Front."),
        "return": _("The registration is returned with your reason."),
        "accept": _("The registration is accepted."),
        "submit_results": _("The results are submitted to the Front."),
        "return_results": _("The results are returned with your reason."),
        "confirm_results": _("The results are confirmed."),
        "carry_over": _("The unmet items were carried over to next year's draft."),
    }
    acknowledged = bool(request.POST.get("acknowledge_warnings"))
    if action == "submit" and not acknowledged:
        # The warnings the page did not show (the commune's, to an organization's branch)
        # are not the submitter's to read: only those shown must be ticked.
        acknowledged = not rules.warnings(
            _findings_for_user(services.findings_for(registration), request.user, registration)
        )
    try:
        changed = services.transition(
            registration=registration,
            action=action,
            by=request.user,
            reason=request.POST.get("reason", ""),
            # The form's version when it sends one (the submit form): a change since refuses.
            version=_posted_version(request, registration) if "version" in request.POST else None,
            acknowledge_warnings=acknowledged,
        )
    except ValidationError as error:
        if services.error_code(error) == "warnings":
            # Warnings to read, not errors: one yellow message asking to tick the box; the
            # warnings themselves are listed on the page it returns to.
            messages.warning(request, error.messages[0])
        else:
            _error_messages(request, error)
        changed = registration
    else:
        messages.success(request, done[action])
    return redirect("registrations:registration_detail", pk=changed.pk)


@login_required
def results_edit(request, pk):
    registration = _registration(request, pk)
    access.require(request.user, Permission.EDIT_OWN, registration)
    lock = services.results_lock_reason(registration)
    if lock:
        messages.error(request, lock)
        return redirect("registrations:registration_detail", pk=registration.pk)
    items = list(registration.items.select_related("content", "initiative_field", "area"))
    rows = [
        (
            item,
            ResultForm(
                request.POST or None,
                request.FILES or None,
                prefix=f"item-{item.pk}",
                initial={
                    f: getattr(item, f)
                    for f in ("result", "achieved_quantity", "achieved_amount", "result_note")
                },
            ),
        )
        for item in items
    ]
    version = _posted_version(request, registration)
    error_list = []
    if request.method == "POST" and all(form.is_valid() for _item, form in rows):
        try:
            services.save_results(
                registration=registration,
                results={item.pk: form.cleaned_data for item, form in rows},
                version=version,
                by=request.user,
            )
        except ValidationError as error:
            error_list = error.messages
        else:
            messages.success(request, _("The results are saved."))
            return redirect("registrations:registration_detail", pk=registration.pk)
    return render(
        request,
        "registrations/results_form.html",
        {
            "registration": registration,
            "rows": rows,
            "version": version,
            "error_list": error_list,
            "has_errors": bool(error_list) or any(form.is_bound and form.errors for _item, form in rows),
        },
    )


@login_required
def registration_xlsx(request, pk):
    """The registration in the official layout (prefilled template); ?blank=1 for an empty one."""
    registration = _registration(request, pk)
    blank = request.GET.get("blank") == "1"
    named = {} if blank else selectors.named_households(registration, request.user)
    response = excel.download(registration, blank=blank, named=named)
    log_named_export(request, registration, named)
    return response


def log_named_export(request, registration: Registration, named: dict) -> None:
    """A registration exported with the households it names (Excel, print or Word): their
    names are personal data, so the export is logged; one with no names is not."""
    count = sum(len(v) for v in named.values())
    if count:
        log_access(
            user=request.user,
            action=AccessAction.EXPORT,
            unit=registration.organization.unit,
            what=_("Registration with named households"),
            filters=f"registration={registration.pk}",
            row_count=count,
        )


@login_required
@require_POST
def registration_upload(request, pk):
    """Replace the draft's items with a filled-in template, all or nothing."""
    registration = _registration(request, pk)
    access.require(request.user, Permission.EDIT_OWN, registration)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the Excel file to upload."))
        return redirect("registrations:registration_detail", pk=registration.pk)
    result = excel.parse_upload(registration, form.cleaned_data["file"])
    if result.errors:
        for error in result.errors:
            messages.error(request, error)
        return redirect("registrations:registration_detail", pk=registration.pk)
    try:
        excel.apply_upload(
            registration=registration,
            items=result.items,
            version=_posted_version(request, registration),
            by=request.user,
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request, _("%(count)s items were read from the file.") % {"count": len(result.items)}
        )
    return redirect("registrations:registration_detail", pk=registration.pk)


@login_required
def evidence_download(request, pk, item_pk):
    """An item's evidence file, only to those who may see the registration."""
    registration = _registration(request, pk)
    item = get_object_or_404(registration.items, pk=id_or_404(item_pk, RegistrationItem))
    if not item.evidence:
        raise Http404
    name = item.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(item.evidence.open("rb"), as_attachment=True, filename=name)
