"""Dashboard, compliance panel, reports and the 3- and 5-year reviews; read only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from activities import home as activity_home
from core import excel, figures
from core.forms import commune_choices
from core.paging import query_without_page
from households import home as household_home
from organizations import access
from organizations.models import OrgKind, Role, Unit, UnitLevel
from organizations.selectors import visible_communes
from programs.models import Program
from registrations import home as registration_home

from . import audit, selectors
from . import home as report_home
from .forms import AuditFilterForm, ReportFilterForm
from .selectors import Filters

COMPLIANCE_PAGE_SIZE = 20
# The dashboard's chart by commune draws at most this many communes: a province's 218 bars
# cannot be read. Above it, the chart shows the communes with the most households without
# a sponsor, where the program's promise is furthest from kept.
CHART_COMMUNES = 30


def labels() -> dict:
    """Titles and Vietnamese column headers of the report tables."""
    year, commune, org = _("Year"), _("Commune"), _("Organization")
    return {
        "total": _("Total"),
        "district": _("District"),
        "by_district": _(
            "One row per district, its communes added in; choose a commune to see its own figures."
        ),
        "fund_by_district": _(
            "One row per district: the district Front's fund and its communes' funds added together; "
            "choose a commune to see its own fund."
        ),
        "registrations": _("(a) Registrations by organization and commune"),
        "registrations_cols": [
            year,
            commune,
            org,
            _("Expected"),
            _("Received"),
            _("Late"),
            _("Accepted"),
            _("Results reported"),
        ],  # fmt: skip
        "results": _("(b) Results against commitments"),
        "results_cols": [
            year,
            _("Kind of commitment"),
            _("Committed"),
            _("Achieved"),
            _("Partly achieved"),
            _("Not achieved"),
            _("Households pledged"),
        ],  # fmt: skip
        "poverty": _("(c) Households by status and commune"),
        "poverty_cols": [
            year,
            commune,
            _("Poor"),
            _("Near-poor"),
            _("Sponsored"),
            _("Without a sponsor"),
            _("Escaped poverty"),
            _("Escaped near-poverty"),
        ],  # fmt: skip
        "sponsorships": _("(c) Households taken on by organization"),
        "sponsorships_cols": [year, org, _("Households taken on"), _("Escaped poverty")],
        "support": _("(c) Support by kind"),
        "support_cols": [year, _("Kind of support"), _("Times"), _("Value (VND)")],
        "funding": _("(c) Support by funding source"),
        "funding_cols": [year, _("Funding source"), _("Amount (VND)")],
        "initiatives": _("(d) Initiatives"),
        "initiatives_cols": [
            year,
            org,
            _("Initiatives"),
            _("Participants"),
            _("Households reached"),
            _("Value (VND)"),
        ],  # fmt: skip
        "examples": _("(e) Exemplary examples and outstanding areas"),
        "examples_cols": [year, _("Exemplary examples"), _("Outstanding areas registered"), _("Recognized")],
        "fund": _("(f) The “For the Poor” fund"),
        "fund_cols": [
            year,
            _("Front level"),
            _("Opening balance"),
            _("Receipts"),
            _("Spending"),
            _("Closing balance"),
        ],  # fmt: skip
        "supervision": _("(g) Supervision and social criticism"),
        "supervision_cols": [
            year,
            _("Type"),
            _("Program area"),
            _("Held"),
            _("Follow-up pending"),
            _("Follow-up done"),
        ],  # fmt: skip
        "summary": _("Key figures year by year"),
        "indicator": _("Indicator"),
        "change": pgettext("year over year", "Change"),
        "received": _("Registrations received"),
        "results_reported": _("Results reported"),
        "poor": _("Poor households"),
        "near_poor": _("Near-poor households"),
        "sponsored": _("Needy households sponsored"),
        "escaped": _("Households escaped poverty"),
        "support_value": _("Support value (VND)"),
        "initiatives_n": _("Initiatives with figures"),
        "examples_n": _("Exemplary examples"),
        "areas_recognized": _("Outstanding areas recognized"),
        "fund_receipts": _("Fund receipts (VND)"),
        "fund_spending": _("Fund spending (VND)"),
        "supervisions_n": _("Supervisions and criticisms"),
    }


def figure_labels() -> dict:
    return {
        "expected": _("Expected"),
        "on_time": _("Submitted on time"),
        "late": _("Submitted late"),
        "missing": _("Not submitted"),
        "accepted": _("Accepted"),
        "results_confirmed": _("Results confirmed"),
        "poor": _("Poor households"),
        "near_poor": _("Near-poor households"),
        "poor_sponsored": _("Poor households sponsored"),
        "near_poor_sponsored": _("Near-poor households sponsored"),
        "gap": _("Without a sponsor (the gap)"),
        "escaped": _("Escaped poverty this year"),
        "escaped_last_year": _("Escaped poverty last year"),
        "held": _("Held"),
        "supervision": _("Supervisions"),
        "criticism": _("Social criticisms"),
        "open": _("Follow-up pending"),
    }


def _labelled(figures):
    names = figure_labels()
    return [{"key": key, "label": names[key], "value": value, "url": url} for key, value, url in figures]


def _commune(request) -> Unit | None:
    """The commune filter; one outside the user's scope answers 404."""
    raw = request.GET.get("commune", "")
    if not raw:
        return None
    return access.get_visible_or_404(request.user, Unit.objects.filter(level=UnitLevel.COMMUNE), pk=raw)


def _filter_defaults(request) -> dict:
    """What the filters offer and default to, read from the data (kept: see core.figures)."""

    def compute():
        user = request.user
        program = selectors.default_program(user)
        period = selectors.latest_period(program, user)
        return {
            "communes": commune_choices(visible_communes(user)),
            "program": program,
            "period": period,
            "year": period.year if period else selectors.default_year(program, user),
        }

    return figures.kept(request, "report filters", compute)


def _filters(request, *, with_range=False, with_kind=True):
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


def _commune_chart_heading(shown: int, total: int) -> dict:
    if shown == total:
        return {"title": _("By commune"), "note": ""}
    return {
        "title": _("The %(n)s communes with the most households without a sponsor") % {"n": shown},
        "note": _("%(shown)s of %(total)s communes. Choose a commune above to see its own figures.")
        % {"shown": shown, "total": total},
    }


@login_required
def dashboard(request):
    form, f = _filters(request)
    context = {
        "form": form,
        "filters": f,
        # Kept drawn: the charts' tables and the figures took most of the page's time to draw.
        "figures_html": figures.kept_drawn(
            request,
            "dashboard",
            "reports/_dashboard_figures.html",
            lambda: _dashboard_figures(request.user, f),
        ),
    }
    return render(request, "reports/dashboard.html", context)


def _dashboard_figures(user, f: Filters) -> dict:
    program_years = list(f.program.years) if f.program else [f.year]
    trend_filters = Filters(program=f.program, years=program_years, commune=f.commune, kind=f.kind)
    trends = selectors.trends(user, trend_filters)
    communes = selectors.by_commune(user, f)
    commune_count = len(communes)
    if commune_count > CHART_COMMUNES:
        # sorted() keeps the name order among communes of equal figures
        communes = sorted(communes, key=lambda row: (-row["gap"], -row["poor"]))[:CHART_COMMUNES]
    initiatives = selectors.initiative_breakdowns(user, f)
    registrations = selectors.registration_figures(user, f)
    if registrations is not None:
        registrations["figures"] = _labelled(registrations["figures"])
    context = {
        "registrations": registrations,
        "households": _labelled(selectors.household_figures(user, f)),
        "initiatives": initiatives,
        "fund": selectors.fund_figures(user, f),
        "supervisions": _labelled(selectors.supervision_figures(user, f)),
        "communes": communes,
        "trends": trends,
        "chart_data": {
            "trend": {
                "labels": trends["labels"],
                # Registrations (tens to a thousand) on an axis of their own: on the
                # households' (thousands to 150,000) their line lay flat on zero.
                "axes": {"left": pgettext("chart axis", "Households"), "right": _("Registrations")},
                "series": [
                    {"label": _("Registrations received"), "data": trends["received"], "axis": "right"},
                    {"label": _("Poor households"), "data": trends["poor"]},
                    {"label": _("Near-poor households"), "data": trends["near_poor"]},
                    {"label": _("Escaped poverty"), "data": trends["escaped"]},
                ],
            },
            "communes": {
                "labels": [row["commune"].name for row in communes],
                "series": [
                    {"label": _("Poor households"), "data": [row["poor"] for row in communes]},
                    {"label": _("Without a sponsor"), "data": [row["gap"] for row in communes]},
                    {"label": _("Initiatives"), "data": [row["initiatives"] for row in communes]},
                ],
            },
            "kinds": {
                "labels": [row[0] for row in initiatives["kind"]],
                "series": [{"label": _("Initiatives"), "data": [row[1] for row in initiatives["kind"]]}],
            },
        },
    }
    data = context["chart_data"]
    context["initiative_groups"] = [
        (_("By status"), initiatives["status"]),
        (_("By organization"), initiatives["kind"]),
        (_("By field"), initiatives["field"]),
    ]
    context["charts"] = [
        {
            "key": "trend",
            "type": "line",
            "title": _("Trends over the program's years"),
            "first": _("Year"),
            "data": data["trend"],
            "rows": [
                [label, *[s["data"][i] for s in data["trend"]["series"]]]
                for i, label in enumerate(data["trend"]["labels"])
            ],
        },
        {
            "key": "communes",
            "type": "bar",
            **_commune_chart_heading(len(communes), commune_count),
            "first": _("Commune"),
            "data": data["communes"],
            "rows": [
                [
                    row["commune"].name,
                    {"n": row["poor"], "url": row["poor_url"]},
                    {"n": row["gap"], "url": row["gap_url"]},
                    {"n": row["initiatives"], "url": row["initiatives_url"]},
                ]
                for row in communes
            ],
        },
        {
            "key": "kinds",
            "type": "bar",
            "title": _("Initiatives by organization"),
            "first": _("Organization"),
            "data": data["kinds"],
            "rows": [[label, {"n": n, "url": url}] for label, n, url in initiatives["kind"]],
        },
    ]
    return context


@login_required
def compliance(request):
    form, f = _filters(request, with_kind=False)
    context = {
        "form": form,
        "filters": f,
        "program": f.program,
        "body": figures.kept_drawn(
            request, "compliance", "reports/_compliance.html", lambda: _compliance_page(request, f)
        )
        if f.program
        else "",
    }
    return render(request, "reports/compliance.html", context)


def _compliance_page(request, f: Filters) -> dict:
    # A page of communes: a province's 200-odd communes with six organizations each made a
    # 1 MB page; the filter still opens any one commune.
    communes = selectors.compliance_communes(request.user, f.program, commune=f.commune)
    page = Paginator(communes, COMPLIANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.compliance(
        request.user, f.program, f.year, communes=list(page.object_list), period=f.period
    )
    return {
        "program": f.program,
        "page": page,
        "rows": rows,
        "failing": sum(r.failing for r in rows),
        "query": query_without_page(request),
    }


def _tables(request, f: Filters, review: int | None) -> dict:
    names = labels()
    tables = selectors.report_tables(request.user, f, names)
    return {"tables": tables, "summary": selectors.review_summary(tables, f.years, names) if review else None}


def _title(f: Filters, review: int | None) -> str:
    if review == 3:
        return _("Preliminary review (3 years) of the coordination program")
    if review == 5:
        return _("Final review (5 years) of the coordination program")
    return _("Report on the coordination program")


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
            # Kept drawn: a province report's 800 rows took most of the page's time to draw.
            "tables_html": figures.kept_drawn(
                request, "report tables", "reports/_tables.html", lambda: _tables(request, f, review)
            ),
            "review": review,
            "title": _title(f, review),
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
    communes = _filter_defaults(request)["communes"]
    form = ReportFilterForm(None, communes=communes, with_range=False, with_kind=False)
    return _render_report(request, f, form, length)


def _header(request, f: Filters, title: str) -> excel.Header:
    scope = access.primary_scope(request.user)
    unit = f.commune or (scope.unit if scope else (f.program.owner_unit if f.program else None))
    if unit is not None and unit.level == UnitLevel.AREA:
        unit = unit.parent
    years = f"{f.years[0]}–{f.years[-1]}" if len(f.years) > 1 else str(f.years[0])
    return excel.Header(
        parent_body=f"ỦY BAN MTTQ VIỆT NAM {unit.name.upper()}" if unit else "ỦY BAN MTTQ VIỆT NAM",
        issuing_body="BAN THƯỜNG TRỰC",
        number="Số:      /BC-MTTQ-BTT",
        place=excel.place_name(unit),
        title=title,
        subtitle=_("Years %(years)s") % {"years": years},
        day=timezone.localdate(),
    )


def _workbook(request, f: Filters, review: int | None, filename: str):
    def build() -> bytes:
        drawn = _tables(request, f, review)
        tables, summary = drawn["tables"], drawn["summary"]
        sheets = [
            excel.Sheet(f"{t.title}. {t.note}" if t.note else t.title, t.columns, t.rows, t.totals)
            for t in ([summary] if summary else []) + tables
        ]
        return excel.report_workbook(_header(request, f, _title(f, review)), sheets)

    return excel.xlsx_response(figures.kept(request, "report workbook", build), filename)


@login_required
def report_export(request):
    _form, f = _filters(request, with_range=True)
    return _workbook(request, f, None, f"bao-cao-{f.years[0]}-{f.years[-1]}")


@login_required
def review_export(request, length: int):
    f = _review_filters(request, length)
    name = "so-ket-3-nam" if length == 3 else "tong-ket-5-nam"
    return _workbook(request, f, length, f"{name}-{f.years[0]}-{f.years[-1]}")


# ---------------------------------------------------------------- the change log

AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request):
    """Who changed which record, when, old → new: the records kept in the user's subtree."""
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    body = figures.kept_drawn(request, "change log", "reports/_audit_log.html", lambda: _audit_page(request))
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
        )
    elif form.is_bound:
        filters = None
    entries = (
        audit.entries(request.user, filters) if filters is not None else audit.entries(request.user).none()
    )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "form": form,
        "page": page,
        "rows": audit.rows(page.object_list, request.user),
        "query": query_without_page(request),
    }


# Each app's ``home.panels(request, scope) -> list[dict]`` adds panels to the home page;
# each dict names its ``template`` and carries what that template needs. They show in this
# order, above the unit figures.
HOME_PANELS = [registration_home.panels, activity_home.panels, household_home.panels, report_home.panels]


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
        **figures.kept(request, "home", lambda: _home_figures(request, scope)),
    }
    return render(request, "home.html", context)


def _home_figures(request, scope) -> dict:
    user = request.user
    units = access.visible_units(user)
    if scope is not None:
        top = scope.unit
    else:
        top = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    # One level below the top unit: districts of a province, communes of a district,
    # residential areas of a commune. Deeper levels are a click away, so the page stays
    # the same size whatever the scope.
    subunits = (
        units.filter(parent=top)
        .annotate(child_count=Count("children", filter=Q(children__is_active=True)))
        .order_by("-is_active", "name")
        if top is not None
        else Unit.objects.none()
    )
    own_organizations = None
    if scope is not None and scope.kind is not None:
        own_organizations = list(
            access.visible_organizations(user)
            .filter(Q(unit=top) | Q(unit__parent=top))
            .exclude(unit__level=UnitLevel.AREA)
            .select_related("unit")
            .order_by("unit__path")
        )
    return {
        "top_unit": top,
        "programs": list(access.visible(Program.objects.select_related("owner_unit"), user)[:5]),
        "panels": _home_panels(request, scope),
        "subunits": list(subunits),
        "own_organizations": own_organizations,
        # Two counting queries instead of four (each walks the scope's subtree).
        "totals": {
            **units.aggregate(
                communes=Count("pk", filter=Q(level=UnitLevel.COMMUNE)),
                areas=Count("pk", filter=Q(level=UnitLevel.AREA, is_active=True)),
            ),
            **access.visible_organizations(user).aggregate(
                organizations=Count("pk", filter=~Q(unit__level=UnitLevel.AREA)),
                branches=Count("pk", filter=Q(unit__level=UnitLevel.AREA)),
            ),
        },
    }
