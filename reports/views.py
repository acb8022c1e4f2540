"""Dashboard, compliance panel, reports and the 3- and 5-year reviews; read only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string

from activities import home as activity_home
from core.forms import commune_choices
from core.paging import page_of, query_without_page
from organizations import access
from organizations import home as organization_home
from organizations.models import OrgKind, Role, Unit, UnitLevel
from organizations.selectors import visible_communes
from registrations import home as registration_home

from . import audit, charts, exporters, indicators, selectors
from . import home as report_home
from .forms import AuditFilterForm, ReportFilterForm
from .labels import report_title
from .selectors import Filters

COMPLIANCE_PAGE_SIZE = 20


def _commune(request) -> Unit | None:
    """The commune filter; one outside the user's scope answers 404."""
    raw = request.GET.get("commune", "")
    if not raw:
        return None
    return access.get_visible_or_404(request.user, Unit.objects.filter(level=UnitLevel.COMMUNE), pk=raw)


def _filter_defaults(request) -> dict:
    """What the filters offer and default to, read from the data."""
    user = request.user
    program = selectors.default_program(user)
    period = selectors.latest_period(program, user)
    return {
        "communes": commune_choices(visible_communes(user)),
        "program": program,
        "period": period,
        "year": period.year if period else selectors.default_year(program, user),
    }


def _filters(request, *, with_range=False, with_kind=True, reuse_period=False):
    """The page's form and filters. ``reuse_period``: a year chosen that is the latest
    period's keeps the period the defaults read, so the page does not read it again."""
    commune = _commune(request)
    defaults = _filter_defaults(request)
    form = ReportFilterForm(
        request.GET or None, communes=defaults["communes"], with_range=with_range, with_kind=with_kind
    )
    data = form.cleaned_data if form.is_valid() else {}
    program = defaults["program"]
    period = None
    year = data.get("year")
    if not year:
        period, year = defaults["period"], defaults["year"]
    elif reuse_period and defaults["period"] is not None and defaults["period"].year == year:
        period = defaults["period"]
    first = data.get("year_from") if with_range else None
    if with_range and not first:
        first = program.start_year if program and program.start_year <= year else year
    # A first year after the last one left blank (the default) shows the last year alone.
    years = (list(range(first, year + 1)) if first else []) or [year]
    kind = data.get("kind") or ""
    if kind and kind not in OrgKind.values:
        kind = ""
    if not form.is_bound:
        form.initial = {"year": year, "year_from": years[0]}
    return form, Filters(program=program, years=years, commune=commune, kind=kind, period=period)


@login_required
def dashboard(request):
    form, f = _filters(request, reuse_period=True)
    context = {
        "form": form,
        "filters": f,
        "figures_html": render_to_string(
            "reports/_dashboard_figures.html", charts.dashboard_figures(request.user, f), request=request
        ),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
def indicator_catalogue(request):
    """Every figure the portal shows, with how it is counted and how it adds up."""
    groups = [
        (key, title, [i for i in indicators.CATALOGUE if i.group == key])
        for key, title in indicators.GROUPS.items()
    ]
    return render(
        request, "reports/indicators.html", {"groups": groups, "adds_labels": indicators.ADDS_LABELS}
    )


@login_required
def compliance(request):
    form, f = _filters(request, with_kind=False)
    context = {
        "form": form,
        "filters": f,
        "program": f.program,
        "body": render_to_string("reports/_compliance.html", _compliance_page(request, f), request=request)
        if f.program
        else "",
    }
    return render(request, "reports/compliance.html", context)


def _compliance_page(request, f: Filters) -> dict:
    # A page of communes: a province's 200-odd communes with six organizations each made a
    # 1 MB page; the filter still opens any one commune.
    communes = selectors.compliance_communes(request.user, f.program, commune=f.commune)
    page = page_of(request, communes, COMPLIANCE_PAGE_SIZE)
    rows = selectors.compliance(
        request.user,
        f.program,
        f.year,
        communes=list(page.object_list),
        period=f.period,
        with_owner=f.commune is None and page.number == 1,
    )
    return {
        "program": f.program,
        "page": page,
        "rows": rows,
        "failing": sum(r.failing for r in rows),
        "query": query_without_page(request),
    }


def _review_filters(request, length: int) -> Filters:
    if length not in (3, 5):
        raise Http404
    f = Filters(program=selectors.default_program(request.user), years=[], commune=_commune(request))
    if f.program is None:
        raise Http404
    f.years = selectors.review_years(f.program, length)
    return f


def _render_report(request, f: Filters, form, review: int | None):
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "filters": f,
            "tables_html": render_to_string(
                "reports/_tables.html", selectors.report(request.user, f, review=review), request=request
            ),
            "review": review,
            "title": report_title(review),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report(request):
    form, f = _filters(request, with_range=True)
    return _render_report(request, f, form, None)


@login_required
def review(request, length: int):
    f = _review_filters(request, length)
    communes = commune_choices(visible_communes(request.user))
    form = ReportFilterForm(None, communes=communes, with_range=False, with_kind=False)
    return _render_report(request, f, form, length)


@login_required
def report_export(request):
    _form, f = _filters(request, with_range=True)
    return exporters.report(request, f, review=None, filename=f"bao-cao-{f.years[0]}-{f.years[-1]}")


@login_required
def review_export(request, length: int):
    f = _review_filters(request, length)
    name = "so-ket-3-nam" if length == 3 else "tong-ket-5-nam"
    return exporters.report(request, f, review=length, filename=f"{name}-{f.years[0]}-{f.years[-1]}")


# ---------------------------------------------------------------- the change log

AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request):
    """Who changed which record, when, old → new: the records kept in the user's subtree."""
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    body = render_to_string("reports/_audit_log.html", _audit_page(request), request=request)
    return render(request, "reports/audit_log.html", {"body": body})


def _audit_page(request) -> dict:
    form = AuditFilterForm(
        request.GET or None, actors=audit.actors(request.user), models=audit.model_choices(request.user)
    )
    filters = audit.Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = audit.Filters(
            actor=data["actor"].pk if data["actor"] else None,
            model=data["model"] or None,
            date_from=data["date_from"],
            date_to=data["date_to"],
            household=data["household"],
        )
    elif form.is_bound:
        filters = None
    entries = (
        audit.entries(request.user, filters) if filters is not None else audit.entries(request.user).none()
    )
    page = page_of(request, entries, AUDIT_PAGE_SIZE)
    return {
        "form": form,
        "page": page,
        "rows": audit.rows(page.object_list, request.user),
        "query": query_without_page(request),
        "household": filters.household if filters else None,
    }


# Each app's ``home.panels(request, scope) -> list[dict]`` adds panels to the home page;
# each dict names its ``template`` and carries what that template needs. They show in this
# order, above the unit figures.
HOME_PANELS = [organization_home.panels, registration_home.panels, activity_home.panels, report_home.panels]


def _home_panels(request, scope) -> list[dict]:
    return [panel for panels in HOME_PANELS for panel in panels(request, scope)]


@login_required
def home(request):
    """One home page, its panels chosen by the user's widest scope and role."""
    user = request.user
    scope = access.primary_scope(user)
    context = {
        "scope": scope,
        "role": "admin" if user.is_superuser else (scope.role if scope else None),
        "is_leader": scope is not None and scope.role == Role.VIEWER and not user.is_superuser,
        **_home_figures(request, scope),
    }
    return render(request, "home.html", context)


def _home_figures(request, scope) -> dict:
    return {**selectors.home_figures(request.user, scope), "panels": _home_panels(request, scope)}
