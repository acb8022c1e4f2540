"""The read side: dashboards, the compliance panel and the reports.

Every figure is an aggregate query over records the user may see (organizations.access),
reusing the apps' own selectors where one exists so a figure and the list it drills down
to count the same rows. Python only arranges aggregate rows, never raw records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote_plus

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.urls import get_script_prefix, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import selectors as activity_selectors
from activities.models import (
    Initiative,
    Supervision,
)
from households import aid
from households import rules as household_rules
from households import selectors as household_selectors
from households.models import (
    AidFigure,
    FundingSource,
    Status,
    SupportKind,
)
from organizations import access
from organizations.models import Organization, OrgKind, Unit, UnitLevel
from programs import selectors as program_selectors
from programs.models import Program
from registrations.models import (
    ItemKind,
    Registration,
    RegistrationItem,
    RegistrationPeriod,
    ResultsStatus,
)

from . import indicators
from .headline import Headline
from .labels import labels as report_labels

ESCAPED = [Status.ESCAPED, Status.ESCAPED_NEAR]


@lru_cache(maxsize=64)
def _path(name: str, script_prefix: str) -> str:
    return reverse(name)


def link(name: str, *, kwargs=None, **params) -> str:
    """A page's address with the filters in its query string. The paths of pages without
    arguments are reversed once: the dashboard of a province links each of its 218 communes
    three times (reversing each: 26 ms a page; cached: 12 ms)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    url = reverse(name, kwargs=kwargs) if kwargs else _path(name, get_script_prefix())
    return f"{url}?{query}" if query else url


def links(name: str, *varying: str, kwargs=None, **params):
    """``link(name, **params)`` with the ``varying`` parameters (never empty) given later:
    a function of their values, the query string encoded once for many rows. The dashboard
    of a province links each of its 218 communes three times, the compliance panel each
    organization twice (encoding each: about 4 ms a page). NULs mark the values to fill in:
    no filter value holds one."""
    marks = {key: f"\0{i}\0" for i, key in enumerate(varying)}
    template = link(name, kwargs=kwargs, **params, **marks)
    encoded = [quote_plus(marks[key]) for key in varying]

    def fill(*values) -> str:
        url = template
        for mark, value in zip(encoded, values, strict=True):
            url = url.replace(mark, quote_plus(str(value)))
        return url

    return fill


# ---------------------------------------------------------------- context


@dataclass
class Filters:
    """What a report or dashboard is about: years, and optionally one commune or kind."""

    program: Program | None
    years: list[int]
    commune: Unit | None = None
    kind: str = ""
    # The registration period of the last year, when already fetched.
    period: RegistrationPeriod | None = None

    @property
    def year(self) -> int:
        return self.years[-1]


def default_program(user) -> Program | None:
    return program_selectors.default_program(user)


def latest_period(program: Program | None, user) -> RegistrationPeriod | None:
    periods = access.visible(RegistrationPeriod.objects.all(), user)
    if program is not None:
        periods = periods.filter(program=program)
    return periods.order_by("-year", "program_id").first()


def default_year(program: Program | None, user) -> int:
    """The latest year with a registration period, else the latest household review year."""
    found = latest_period(program, user)
    return found.year if found else household_selectors.latest_year(user)


def _commune_q(filters: Filters, unit_field: str) -> Q:
    if filters.commune is None:
        return Q()
    return Q(**{f"{unit_field}__path__startswith": filters.commune.path})


def _kind_q(filters: Filters, kind_field: str) -> Q:
    return Q(**{kind_field: filters.kind}) if filters.kind else Q()


def by_district(user, filters: Filters) -> bool:
    """Whether the report's place column lists districts: a report over a province has a row
    per district (its communes added in), as the province reports upwards, instead of a row
    for each of its 200-odd communes; a commune's own figures are one filter away."""
    root = front_unit(user, filters)  # the commune chosen, else the user's widest scope
    return root is not None and root.level == UnitLevel.PROVINCE


# ---------------------------------------------------------------- dashboard


def period_for(user, program: Program | None, year: int) -> RegistrationPeriod | None:
    qs = access.visible(RegistrationPeriod.objects.filter(year=year), user)
    if program is not None:
        qs = qs.filter(program=program)
    return qs.order_by("program_id").first()


# The indicators the dashboard shows in figures (its initiatives are in breakdowns).
DASHBOARD_INDICATORS = [
    *(
        i.code
        for i in indicators.CATALOGUE
        if i.group in ("registrations", "households", "fund", "supervision")
    )
]


def dashboard_figures(user, filters: Filters) -> indicators.Figures:
    """The figures the dashboard reads: the chosen year's, the year before's (the headline's
    change) and, for its trends, the program's years, from one query per source."""
    years = [*(filters.program.years if filters.program else []), filters.year - 1, filters.year]
    return indicators.Figures(indicators.Where.of(user, filters), years)


def dashboard_values(
    user, filters: Filters, figures: indicators.Figures | None = None, *, year: int | None = None
) -> dict[str, int]:
    """The dashboard's indicators for the filters' last year (or ``year``, one the figures
    hold: the year before)."""
    figures = figures or dashboard_figures(user, filters)
    found = figures.values(DASHBOARD_INDICATORS)
    return {code: per_year[year or filters.year] for code, per_year in found.items()}


def commitments(user, filters: Filters) -> dict[int, dict[str, int]]:
    """The items registered and achieved (the catalogue's) in the year and the year before:
    {year: {code: value}}. Their own two years only: the headline compares them, no chart
    draws them over the program's years."""
    years = [filters.year - 1, filters.year]
    found = indicators.Figures(indicators.Where.of(user, filters), years).values(
        ["items_committed", "items_achieved"]
    )
    return {year: {code: per_year[year] for code, per_year in found.items()} for year in years}


def _figures(values: dict[str, int], links: dict[str, str]) -> list[tuple[str, int, str]]:
    """(code, value, drill-down address) of the indicators ``links`` names, in its order."""
    return [(code, values[code], url) for code, url in links.items()]


def registration_figures(user, filters: Filters, values: dict[str, int]) -> dict | None:
    """The registration indicators of the year, each linked to the tracking view filtered to
    the registrations it counts."""
    period = filters.period if filters.period and filters.period.year == filters.year else None
    period = period or period_for(user, filters.program, filters.year)
    if period is None:
        return None
    base = {"kind": filters.kind, "commune": filters.commune.pk if filters.commune else None}

    def to(**params):
        return link("registrations:period_detail", kwargs={"pk": period.pk}, **base, **params)

    return {
        "period": period,
        "figures": _figures(
            values,
            {
                "registrations_expected": to(),
                "registrations_on_time": to(timeliness="on_time"),
                "registrations_late": to(timeliness="late"),
                "registrations_missing": to(timeliness="missing"),
                "registrations_accepted": to(status="accepted"),
                "results_confirmed": to(results_status=ResultsStatus.CONFIRMED),
            },
        ),
    }


def household_figures(user, filters: Filters, values: dict[str, int]) -> list[tuple[str, int, str]]:
    """The poverty indicators of the year, each linked to the list of the households it counts."""
    year = filters.year
    commune = filters.commune.pk if filters.commune else None

    def to(name="households:list", **params):
        return link(name, commune=commune, year=year, **params)

    return _figures(
        values,
        {
            "poor": to(status=Status.POOR),
            "near_poor": to(status=Status.NEAR_POOR),
            "gap_households": to("households:gaps", show="all"),
            "gap_sponsored": to("households:gaps", show="sponsored"),
            "gap": to("households:gaps"),
            "near_poor_unsponsored": to("households:gaps", show="near_poor"),
            "escaped": to(status=Status.ESCAPED),
        },
    )


def initiative_breakdowns(user, filters: Filters) -> dict[str, list[tuple]]:
    """Initiatives running in the year (the catalogue's initiatives_running) by status,
    organization and field, each row linked to its list; and by commune (``by_commune``:
    {commune id: n}, counted as indicators.by_commune counts them: a branch's model in its
    residential area's commune). One statement: the rows by commune and the rows by status,
    kind and field, each grouped apart (grouped together, a province's were 9,000 rows)."""
    qs = access.visible(Initiative.objects.running_in(filters.year), user).filter(
        _commune_q(filters, "organization__unit"), _kind_q(filters, "organization__kind")
    )
    columns = ("place", "by_status", "by_kind", "by_field", "field_title")
    by_place = qs.annotate(
        place=Case(
            When(organization__unit__level=UnitLevel.AREA, then=F("organization__unit__parent")),
            default=F("organization__unit"),
        ),
        by_status=Value(""),
        by_kind=Value(""),
        by_field=Value(None, output_field=IntegerField()),
        field_title=Value(""),
    )
    by_subject = qs.annotate(
        place=Value(None, output_field=IntegerField()),
        by_status=F("status"),
        by_kind=F("organization__kind"),
        by_field=F("field"),
        field_title=F("field__title"),
    )
    rows = (
        by_place.values(*columns)
        .annotate(n=Count("pk"))
        .order_by()
        .union(by_subject.values(*columns).annotate(n=Count("pk")).order_by(), all=True)
    )
    base = {"year": filters.year, "commune": filters.commune.pk if filters.commune else None}
    if filters.kind:
        base["organization_kind"] = filters.kind
    status_labels = dict(Initiative._meta.get_field("status").choices)
    kind_labels = dict(OrgKind.choices)
    groups = {"status": defaultdict(int), "kind": defaultdict(int), "field": defaultdict(int)}
    communes = {}
    for r in rows:
        if r["place"] is not None:
            communes[r["place"]] = r["n"]
            continue
        groups["status"][r["by_status"]] += r["n"]
        groups["kind"][r["by_kind"]] += r["n"]
        groups["field"][(r["field_title"], r["by_field"])] += r["n"]
    return {
        "by_commune": communes,
        "status": [
            (str(status_labels.get(k, k)), n, link("activities:initiative_list", **base, status=k))
            for k, n in sorted(groups["status"].items())
        ],
        "kind": [
            (
                str(kind_labels.get(k, k)),
                n,
                link("activities:initiative_list", **{**base, "organization_kind": k}),
            )
            for k, n in sorted(groups["kind"].items())
        ],
        "field": [
            (title, n, link("activities:initiative_list", **base, field=pk))
            for (title, pk), n in sorted(groups["field"].items())
        ],
    }


def front_unit(user, filters: Filters) -> Unit | None:
    """The Front level whose fund the figures show (indicators.front_unit)."""
    return indicators.front_unit(indicators.Where.of(user, filters))


def fund_figures(user, filters: Filters, values: dict[str, int]) -> dict | None:
    unit = front_unit(user, filters)
    if unit is None:
        return None
    return {
        "unit": unit,
        "url": link("households:fund", kwargs={"unit": unit.pk}),
        "opening": values["fund_opening"],
        "receipts": values["fund_receipts"],
        "spending": values["fund_spending"],
        "closing": values["fund_closing"],
    }


def supervision_figures(user, filters: Filters, values: dict[str, int]) -> list[tuple[str, int, str]]:
    c = filters.commune
    base = {"year": filters.year, "commune": c.pk if c else None, "organization_kind": filters.kind}
    return _figures(
        values,
        {
            "supervisions_held": link("activities:supervision_list", **base),
            "supervisions": link("activities:supervision_list", **base, kind="supervision"),
            "criticisms": link("activities:supervision_list", **base, kind="criticism"),
            "supervisions_open": link("activities:supervision_list", **base, follow_up="open"),
        },
    )


def trends(user, filters: Filters, figures: indicators.Figures | None = None) -> dict:
    """Per program year: registrations received, poor and near-poor households, escapes."""
    years = list(filters.program.years) if filters.program else [filters.year]
    figures = figures or dashboard_figures(user, filters)
    found = figures.values(["registrations_received", "poor", "near_poor", "escaped"])
    return {
        "labels": [str(y) for y in years],
        "received": [found["registrations_received"][y] for y in years],
        "poor": [found["poor"][y] for y in years],
        "near_poor": [found["near_poor"][y] for y in years],
        "escaped": [found["escaped"][y] for y in years],
    }


def by_commune(
    user,
    filters: Filters,
    figures: indicators.Figures | None = None,
    *,
    communes: list[Unit] | None = None,
    initiatives: dict[int, int] | None = None,
) -> list[dict]:
    """Per commune in scope: poor households, the gap and models running in the year (the
    households' from ``figures`` when given: the dashboard's, by commune over its years).
    ``communes``: the communes in scope by name, when the caller has them (the rule 2
    check's); ``initiatives``: the models running by commune, when the caller counted them
    (``initiative_breakdowns``)."""
    year = filters.year
    # One commune chosen: its figures alone, not every commune's to keep one (the
    # initiatives of a province: 12 ms).
    chosen = [filters.commune.pk] if filters.commune is not None else None
    if communes is None:
        communes = access.visible_units(user).filter(level=UnitLevel.COMMUNE)
        if filters.program is not None:
            communes = communes.filter(path__startswith=filters.program.owner_unit.path)
        if chosen:
            communes = communes.filter(pk__in=chosen)
        communes = communes.order_by("name")
    codes = ["poor", "gap"] if initiatives is not None else indicators.BY_COMMUNE
    found = indicators.by_commune(indicators.Where.of(user, filters), year, chosen, codes, figures=figures)
    if initiatives is not None:
        for commune, n in initiatives.items():
            found[commune]["initiatives_running"] = n
    poor_url = links("households:list", "commune", year=year, status=Status.POOR)
    gap_url = links("households:gaps", "commune", year=year)
    initiatives_url = links(
        "activities:initiative_list", "commune", year=year, organization_kind=filters.kind
    )
    return [
        {
            "commune": c,
            "poor": found[c.pk]["poor"],
            "poor_url": poor_url(c.pk),
            "gap": found[c.pk]["gap"],
            "gap_url": gap_url(c.pk),
            "initiatives": found[c.pk].get("initiatives_running", 0),
            "initiatives_url": initiatives_url(c.pk),
        }
        for c in communes
    ]


def outstanding_rule(user, filters: Filters) -> list[dict]:
    """Rule 2 per commune in scope (the chosen one): at least N outstanding residential
    areas registered in the year (activities' own check); its rows carry the communes by
    name, which the dashboard's chart by commune reuses."""
    chosen = [filters.commune.pk] if filters.commune is not None else None
    return activity_selectors.outstanding_check(user, filters.program, filters.year, chosen)


def initiative_rule(user, filters: Filters) -> dict[int, tuple[int, int]]:
    """Rule 4 in the year and the year before: {year: (grassroots organizations with at
    least N models running, grassroots organizations)}, in one query. The organizations and
    their count are the rule's own check's (activities.selectors.initiative_check)."""
    program, year = filters.program, filters.year
    minimum = program.min_initiatives_per_organization
    organizations = (
        access.visible(Organization.objects.members(), user)
        .filter(unit__level=UnitLevel.COMMUNE, unit__path__startswith=program.owner_unit.path)
        .filter(_commune_q(filters, "unit"), _kind_q(filters, "kind"))
    )
    # The year before's count kept under its own name, then the year's.
    before = activity_selectors.with_running_initiatives(organizations, program, year - 1)
    both = activity_selectors.with_running_initiatives(before.annotate(before=F("running")), program, year)
    found = both.aggregate(
        total=Count("pk"),
        ok=Count("pk", filter=Q(running__gte=minimum)),
        ok_before=Count("pk", filter=Q(before__gte=minimum)),
    )
    return {year: (found["ok"], found["total"]), year - 1: (found["ok_before"], found["total"])}


def _compared(value: int, target: int) -> int | None:
    """Last year's value of an indicator with a target, when last year had one to compare
    with: no household reviewed, no registration expected is no figure, not a zero."""
    return value if target else None


def headline(
    user,
    filters: Filters,
    values: dict[str, int],
    before: dict[str, int],
    *,
    registrations: dict | None,
    outstanding: list[dict] | None,
    models: dict[int, tuple[int, int]] | None,
    fund: dict | None,
) -> list[tuple[str, list[Headline]]]:
    """The headline indicators of the year, grouped under the campaign's contents they
    measure (in the contents' order), then those across the contents; each with its target,
    last year's value and the list of its records. ``values``, ``before``: the catalogue's
    values of the year and of the year before (``dashboard_values``)."""
    year = filters.year
    commune = filters.commune.pk if filters.commune else None
    definitions = _path("reports:indicators", get_script_prefix())

    def defined(code: str) -> str:
        return f"{definitions}#{code}"

    def card(key: str, label, **kwargs) -> Headline:
        return Headline(key=key, label=str(label), **kwargs)

    economy = [
        card(
            "gap_sponsored",
            _("Households in difficulty with a sponsor"),
            value=values["gap_sponsored"],
            target=values["gap_households"],
            before=_compared(before["gap_sponsored"], before["gap_households"]),
            target_text=_("every poor or policy household in difficulty"),
            url=link("households:gaps", commune=commune, year=year, show="sponsored"),
            definition=defined("gap"),
        ),
        card(
            "escaped",
            _("Households that escaped poverty"),
            value=values["escaped"],
            of=before["poor"],
            before=before["escaped"],
            rate_text=_("of last year's poor households"),
            url=link("households:list", commune=commune, year=year, status=Status.ESCAPED),
            definition=defined("escaped"),
        ),
    ]
    if fund is not None:
        economy.append(
            card(
                "fund_receipts",
                _("“For the Poor” fund receipts"),
                value=values["fund_receipts"],
                before=before["fund_receipts"],
                money=True,
                url=fund["url"],
                definition=defined("fund_receipts"),
            )
        )
    democracy = [
        card(
            "supervisions_followed",
            _("Supervisions without pending follow-up"),
            value=values["supervisions_held"] - values["supervisions_open"],
            target=values["supervisions_held"],
            before=_compared(
                before["supervisions_held"] - before["supervisions_open"], before["supervisions_held"]
            ),
            target_text=_("every supervision and criticism held"),
            url=link(
                "activities:supervision_list", year=year, commune=commune, organization_kind=filters.kind
            ),
            definition=defined("supervisions_open"),
        )
    ]
    across = []
    if registrations is not None:
        period = registrations["period"]
        across.append(
            card(
                "registrations_on_time",
                _("Registrations submitted on time"),
                value=values["registrations_on_time"],
                target=values["registrations_expected"],
                before=_compared(before["registrations_on_time"], before["registrations_expected"]),
                target_text=_("every expected registration"),
                url=link(
                    "registrations:period_detail",
                    kwargs={"pk": period.pk},
                    kind=filters.kind,
                    commune=commune,
                    timeliness="on_time",
                ),
                definition=defined("registrations_on_time"),
            )
        )
    across.append(
        card(
            "items_achieved",
            _("Registered commitments achieved"),
            value=values["items_achieved"],
            target=values["items_committed"],
            before=_compared(before["items_achieved"], before["items_committed"]),
            target_text=_("every item registered"),
            url=link("reports:report", year_from=year, year=year, commune=commune, kind=filters.kind),
            definition=defined("items_achieved"),
        )
    )
    program = filters.program
    if models is not None and program is not None:
        ok, total = models[year]
        across.append(
            card(
                "organizations_with_models",
                _("Organizations with at least %(n)s model running")
                % {"n": program.min_initiatives_per_organization},
                value=ok,
                target=total,
                before=_compared(*models[year - 1]),
                target_text=_("every grassroots organization (rule 4)"),
                url=link("activities:initiative_check", program=program.pk, year=year),
                definition=defined("initiatives_running"),
            )
        )
    if outstanding is not None and program is not None:
        across.append(
            card(
                "communes_with_outstanding_area",
                _("Communes with at least %(n)s outstanding area")
                % {"n": program.min_outstanding_areas_per_commune},
                value=sum(1 for row in outstanding if row["ok"]),
                target=len(outstanding),
                target_text=_("every commune (rule 2)"),
                url=link("activities:outstanding_list", year=year, commune=commune),
                definition=defined("outstanding_registered"),
            )
        )
    groups = [
        (CAMPAIGN_CONTENTS[1], economy),
        (CAMPAIGN_CONTENTS[5], democracy),
        (_("Across the contents: registrations, results and the program's rules"), across),
    ]
    return [(str(title), cards) for title, cards in groups if cards]


# The campaign's five official contents (Thông tri 10/TTr-MTTW-BTT), as the headline groups
# its indicators; contents 2 to 4 have no indicator of their own in the catalogue yet.
CAMPAIGN_CONTENTS = {
    1: gettext_lazy("1. Developing the economy and reducing poverty sustainably"),
    5: gettext_lazy("5. Democracy, supervision and social criticism"),
}


# ---------------------------------------------------------------- compliance panel


@dataclass
class Check:
    """One live check of a rule: ok, a figure, the page where it is fixed."""

    ok: bool | None  # None: the rule does not apply here
    value: str = ""
    url: str = ""


@dataclass
class OrgRow:
    organization: Organization
    checks: dict[str, Check] = field(default_factory=dict)


@dataclass
class CommuneRow:
    commune: Unit
    checks: dict[str, Check] = field(default_factory=dict)
    organizations: list[OrgRow] = field(default_factory=list)

    @property
    def failing(self) -> int:
        cells = [*self.checks.values(), *(c for o in self.organizations for c in o.checks.values())]
        return sum(1 for c in cells if c.ok is False)


COMMUNE_CHECKS = ["contents", "outstanding", "gap"]
ORG_CHECKS = ["registered", "results", "initiative", "households"]


def compliance_communes(user, program: Program, *, commune: Unit | None = None):
    """The communes the compliance panel checks: the program's, as far as the user sees.
    ``commune``, a commune the user sees (the filter's), narrows them to itself: a list of
    it, or an empty one when it is not the program's, without a query."""
    if commune is not None:
        return [commune] if commune.is_within(program.owner_unit) else []
    return (
        access.visible_units(user)
        .filter(level=UnitLevel.COMMUNE, path__startswith=program.owner_unit.path)
        .order_by("name", "pk")
    )


def compliance(
    user,
    program: Program,
    year: int,
    *,
    communes: list[Unit] | None = None,
    period: RegistrationPeriod | None = None,
    with_owner: bool = False,
) -> list[CommuneRow]:
    """Every rule of the program as a live check per commune and organization for ``year``,
    for ``communes`` (a page of them) or every commune of ``compliance_communes``.
    ``period``: the year's registration period, when the caller has it already.
    ``with_owner``: first a row of the program's own unit, whose organizations register too
    (the commune rules do not apply to it), when the user sees some of them."""
    if period is None or (period.program_id, period.year) != (program.pk, year):
        period = access.visible(RegistrationPeriod.objects.filter(program=program, year=year), user).first()
    if communes is None:
        communes = list(compliance_communes(user, program))
    ids = [c.pk for c in communes]
    owner = program.owner_unit if with_owner else None
    registering = [*ids, owner.pk] if owner else ids

    # Rule 2: contents registered by the commune's organizations, outstanding areas (reused).
    contents = (
        dict(
            access.visible(
                RegistrationItem.objects.filter(
                    registration__period=period,
                    registration__organization__unit__in=ids,
                    kind=ItemKind.CONTENT,
                    registration__submitted_at__isnull=False,
                ),
                user,
            )
            .values_list("registration__organization__unit")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if period
        else {}
    )
    outstanding = {
        row["commune"].pk: row for row in activity_selectors.outstanding_check(user, program, year, ids)
    }
    # Rule 3: the gap per commune (the catalogue's "gap").
    gap = {
        pk: row["gap"]
        for pk, row in indicators.by_commune(indicators.Where(user, program), year, ids, ["gap"]).items()
    }
    # Rule 3: households taken on per organization kind per residential area
    # (households/rules.py), at the areas where the kind has a branch.
    low, high = program.min_households_per_branch, program.max_households_per_branch
    areas = defaultdict(list)
    for area, commune in Unit.objects.filter(
        parent__in=ids, level=UnitLevel.AREA, is_active=True
    ).values_list("pk", "parent"):
        areas[commune].append(area)
    area_ids = [a for found in areas.values() for a in found]
    branches = household_rules.branch_kinds(area_ids)
    taken = household_rules.taken_by_kind(area_ids, year)
    # Rule 8: registrations on time and results reported, per expected organization.
    registrations = {}
    if period is not None:
        for reg in access.visible(
            Registration.objects.filter(period=period, organization__unit__in=registering), user
        ).select_related("organization"):
            registrations[reg.organization_id] = reg

    # Rule 4: initiatives running in the year per grassroots organization, counted as the
    # initiative check counts them, on the panel's own organizations.
    organizations = activity_selectors.with_running_initiatives(
        access.visible_organizations(user)
        .filter(unit__in=registering)
        .select_related("unit")
        .in_program_order(),
        program,
        year,
    )
    initiatives_url = links("activities:initiative_list", "commune", "organization_kind", year=year)
    households_url = links("households:list", "commune", year=year, status=Status.POOR, sponsor="none")
    org_rows = defaultdict(list)
    for org in organizations:
        row = OrgRow(org)
        reg = registrations.get(org.pk)
        if reg is None:
            row.checks["registered"] = Check(None)
            row.checks["results"] = Check(None)
        else:
            detail = reverse("registrations:registration_detail", kwargs={"pk": reg.pk})
            row.checks["registered"] = Check(reg.submitted_at is not None and not reg.is_late, "", detail)
            row.checks["results"] = Check(reg.results_submitted_at is not None, "", detail)
        if org.kind == OrgKind.FRONT or org.unit_id not in ids:  # rules 3 and 4 are the communes'
            row.checks["initiative"] = Check(None)
            row.checks["households"] = Check(None)
        else:
            row.checks["initiative"] = Check(
                org.running >= program.min_initiatives_per_organization,
                str(org.running),
                initiatives_url(org.unit_id, org.kind),
            )
            subject = [a for a in areas.get(org.unit_id, []) if org.kind in branches.get(a, ())]
            in_range = sum(1 for a in subject if low <= taken.get((a, org.kind), 0) <= high)
            row.checks["households"] = (
                Check(in_range == len(subject), f"{in_range}/{len(subject)}", households_url(org.unit_id))
                if subject
                else Check(None)  # no branch at the commune's residential areas
            )
        org_rows[org.unit_id].append(row)

    result = []
    if owner is not None and org_rows.get(owner.pk):
        row = CommuneRow(owner, organizations=org_rows[owner.pk])
        row.checks = {name: Check(None) for name in COMMUNE_CHECKS}
        result.append(row)
    for c in communes:
        row = CommuneRow(c, organizations=org_rows.get(c.pk, []))
        n_contents = contents.get(c.pk, 0)
        row.checks["contents"] = Check(
            n_contents >= program.min_contents_per_commune,
            str(n_contents),
            link("registrations:period_detail", kwargs={"pk": period.pk}, commune=c.pk)
            if period
            else link("registrations:period_list"),
        )
        n_out = outstanding.get(c.pk, {}).get("registered", 0)
        row.checks["outstanding"] = Check(
            n_out >= program.min_outstanding_areas_per_commune,
            str(n_out),
            link("activities:outstanding_list", year=year, commune=c.pk),
        )
        n_gap = gap.get(c.pk, 0)
        row.checks["gap"] = Check(n_gap == 0, str(n_gap), link("households:gaps", year=year, commune=c.pk))
        result.append(row)
    return result


# ---------------------------------------------------------------- reports (a)–(g)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None
    # Index of the first numeric column; those are summed into the totals row.
    first_number: int = 1
    # Said under the title: how the rows are grouped, when that is not plain from the columns.
    note: str = ""
    # Columns of stocks (indicators.Adds.STOCK): their total adds the rows of the last year
    # only, the rows' first column being the year.
    stocks: tuple[int, ...] = ()

    def add_totals(self, label: str, skip: tuple[int, ...] = (), stocks_note: str = "") -> None:
        if not self.rows:
            self.totals = None
            return
        last_year = max(r[0] for r in self.rows) if self.stocks else None
        totals: list = [label, *[""] * (self.first_number - 1)]
        for i in range(self.first_number, len(self.columns)):
            rows = [r for r in self.rows if r[0] == last_year] if i in self.stocks else self.rows
            totals.append("" if i in skip else sum(r[i] or 0 for r in rows))
        self.totals = totals
        if self.stocks and len({r[0] for r in self.rows}) > 1 and stocks_note:
            self.note = " ".join(filter(None, [self.note, stocks_note % {"year": last_year}]))


def catalogue_figures(user, f: Filters) -> indicators.Figures:
    """The catalogue's figures of the filters' scope and years, for tables that share them."""
    return indicators.Figures(indicators.Where.of(user, f), f.years)


def _by_district_columns(table: Table, districts: bool, labels, note: str = "") -> None:
    """A table by district names its place column so and says what its rows add up."""
    if districts:
        table.columns = [table.columns[0], labels["district"], *table.columns[2:]]
        table.note = note or labels["by_district"]


def _kind_label(kind: str) -> str:
    """An organization kind's name; a sponsorship's key for the sponsors beyond them."""
    if kind == aid.OTHER_SPONSORS:
        return str(_("Other sponsors (enterprises, individuals, agencies)"))
    return str(dict(OrgKind.choices).get(kind, kind))


def registrations_table(user, f: Filters, labels, figures: indicators.Figures | None = None) -> Table:
    """The catalogue's registration indicators by year, place and organization kind."""
    figures = figures or catalogue_figures(user, f)
    districts = by_district(user, f)
    t = Table("registrations", labels["registrations"], labels["registrations_cols"], first_number=3)
    _by_district_columns(t, districts, labels)
    t.rows = [
        [r["year"], r["place"], _kind_label(r["kind"]), r["registrations_expected"],
         r["registrations_received"], r["registrations_late"], r["registrations_accepted"],
         r["results_reported"]]
        for r in figures.breakdown("registrations", ("place", "kind"), districts=districts)
    ]  # fmt: skip
    t.add_totals(labels["total"])
    return t


def results_table(user, f: Filters, labels, figures: indicators.Figures | None = None) -> Table:
    """The catalogue's results indicators by year and kind of item."""
    figures = figures or catalogue_figures(user, f)
    kinds = dict(ItemKind.choices)
    t = Table("results", labels["results"], labels["results_cols"], first_number=2)
    t.rows = [
        [r["year"], str(kinds.get(r["kind"], r["kind"])), r["items_committed"], r["items_achieved"],
         r["items_partly"], r["items_not_achieved"], r["households_pledged"]]
        for r in figures.breakdown("results", ("kind",))
    ]  # fmt: skip
    t.add_totals(labels["total"])
    return t


def poverty_tables(user, f: Filters, labels, figures: indicators.Figures | None = None) -> list[Table]:
    """Report (c): the catalogue's household indicators by year and place (from the gap
    summary), and the sponsorships, supports and funding by year and kind (from the aid
    summary)."""
    figures = figures or catalogue_figures(user, f)
    districts = by_district(user, f)
    by_commune = Table(
        "poverty", labels["poverty"], labels["poverty_cols"], first_number=2, stocks=(2, 3, 4, 5, 6, 7)
    )
    _by_district_columns(by_commune, districts, labels)
    codes = ["poor", "near_poor", "gap_households", "gap_sponsored", "gap", "near_poor_unsponsored", "escaped",
             "escaped_near"]  # fmt: skip
    by_commune.rows = [
        [r["year"], r["place"], *(r[code] for code in codes)]
        for r in figures.breakdown("households", ("place",), districts=districts)
    ]
    by_commune.add_totals(labels["total"], stocks_note=labels["stocks_note"])

    by_figure = defaultdict(list)
    for r in figures.breakdown("aid", ("figure", "key")):
        by_figure[r["figure"]].append(r)
    by_kind = Table("sponsorships", labels["sponsorships"], labels["sponsorships_cols"], first_number=2)
    by_kind.rows = [
        [r["year"], _kind_label(r["key"]), r["records"], r["records_escaped"]]
        for r in by_figure[AidFigure.SPONSORSHIPS]
    ]
    by_kind.add_totals(labels["total"])

    support_kinds = dict(SupportKind.choices)
    by_support = Table("support", labels["support"], labels["support_cols"], first_number=2)
    by_support.rows = [
        [r["year"], str(support_kinds.get(r["key"], r["key"])), r["records"], r["amount"]]
        for r in by_figure[AidFigure.SUPPORTS]
    ]
    by_support.add_totals(labels["total"])

    sources = dict(FundingSource.choices)
    by_source = Table("funding", labels["funding"], labels["funding_cols"], first_number=2)
    by_source.rows = [
        [r["year"], str(sources.get(r["key"], r["key"])), r["amount"]] for r in by_figure[AidFigure.FUNDING]
    ]
    by_source.add_totals(labels["total"])
    return [by_commune, by_kind, by_support, by_source]


def initiatives_table(user, f: Filters, labels, figures: indicators.Figures | None = None) -> Table:
    """The catalogue's models' yearly figures by year and organization kind."""
    figures = figures or catalogue_figures(user, f)
    t = Table("initiatives", labels["initiatives"], labels["initiatives_cols"], first_number=2, stocks=(2,))
    t.rows = [
        [r["year"], _kind_label(r["kind"]), r["initiatives_reporting"], r["initiative_participants"],
         r["initiative_households"], r["initiative_value"]]
        for r in figures.breakdown("initiative_years", ("kind",))
    ]  # fmt: skip
    t.add_totals(labels["total"], stocks_note=labels["stocks_note"])
    return t


def examples_table(user, f: Filters, labels, figures: indicators.Figures | None = None) -> Table:
    figures = figures or catalogue_figures(user, f)
    found = figures.values(["examples", "outstanding_registered", "outstanding_recognized"])
    t = Table("examples", labels["examples"], labels["examples_cols"])
    t.rows = [
        [y, found["examples"][y], found["outstanding_registered"][y], found["outstanding_recognized"][y]]
        for y in f.years
    ]
    t.add_totals(labels["total"])
    return t


def fund_table(user, f: Filters, labels, figures: indicators.Figures | None = None) -> Table:
    """The catalogue's fund indicators of each Front level (indicators.fund_levels)."""
    figures = figures or catalogue_figures(user, f)
    districts = by_district(user, f)
    t = Table("fund", labels["fund"], labels["fund_cols"], first_number=2)
    _by_district_columns(t, districts, labels, note=labels["fund_by_district"])
    t.rows = [
        [r["year"], r["place"], r["fund_opening"], r["fund_receipts"], r["fund_spending"], r["fund_closing"]]
        for r in indicators.fund_levels(figures.where, f.years, districts)
    ]
    t.add_totals(labels["total"], skip=(2, 5))
    return t


def supervision_table(user, f: Filters, labels, figures: indicators.Figures | None = None) -> Table:
    figures = figures or catalogue_figures(user, f)
    kinds = dict(Supervision._meta.get_field("kind").choices)
    areas = dict(Supervision._meta.get_field("program_area").choices)
    t = Table("supervision", labels["supervision"], labels["supervision_cols"], first_number=3)
    t.rows = [
        [r["year"], str(kinds.get(r["kind"], "")), str(areas.get(r["program_area"], "")),
         r["supervisions_held"], r["supervisions_open"], r["follow_up_done"]]
        for r in figures.breakdown("supervision", ("kind", "program_area"))
    ]  # fmt: skip
    t.add_totals(labels["total"])
    return t


def report_tables(user, f: Filters, labels, figures: indicators.Figures | None = None) -> list[Table]:
    """Reports (a)–(g) over the filters' years; ``figures``: the catalogue's, when the
    caller shares them (a review's summary reads the same rows)."""
    figures = figures or catalogue_figures(user, f)
    return [
        registrations_table(user, f, labels, figures),
        results_table(user, f, labels, figures),
        *poverty_tables(user, f, labels, figures),
        initiatives_table(user, f, labels, figures),
        examples_table(user, f, labels, figures),
        fund_table(user, f, labels, figures),
        supervision_table(user, f, labels, figures),
    ]


def report(user, f: Filters, *, review: int | None = None) -> dict:
    """What a report shows: its tables (a)–(g) with their Vietnamese titles and headers, and
    for a 3- or 5-year review (``review``) the summary of key figures year by year."""
    names = report_labels()
    figures = catalogue_figures(user, f)
    tables = report_tables(user, f, names, figures)
    return {"tables": tables, "summary": review_summary(user, f, names, figures) if review else None}


# The review's key figures, indicators of the catalogue.
REVIEW_INDICATORS = [
    "registrations_received",
    "results_reported",
    "poor",
    "near_poor",
    "gap_households",
    "gap",
    "escaped",
    "sponsorships",
    "support_value",
    "initiatives_running",
    "examples",
    "outstanding_recognized",
    "fund_receipts",
    "fund_spending",
    "fund_closing",
    "supervisions_held",
]


def review_summary(user, f: Filters, labels, figures: indicators.Figures | None = None) -> Table:
    """Key figures year by year, over the whole period as each indicator adds up (a flow
    summed, a stock's last year), and the change from the first year to the last."""
    years = f.years
    figures = figures or catalogue_figures(user, f)
    values = figures.values(REVIEW_INDICATORS)
    columns = [labels["indicator"], *[str(y) for y in years], labels["period"], labels["change"]]
    t = Table("summary", labels["summary"], columns)
    for code in REVIEW_INDICATORS:
        indicator = indicators.INDICATORS[code]
        figures = [values[code][y] for y in years]
        t.rows.append(
            [
                f"{indicator.name} ({indicator.unit})",
                *figures,
                indicator.over_years(values[code], years),
                figures[-1] - figures[0],
            ]
        )
    return t


def review_years(program: Program, length: int) -> list[int]:
    """The first ``length`` years of the program (3: preliminary review, 5: final review)."""
    return list(program.years)[:length]


# ---------------------------------------------------------------- the home page


def home_figures(user, scope) -> dict:
    """The home page's figures of the units and organizations under ``scope`` (the user's
    widest; the first unit of the tree for a superuser without one), and its programs."""
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
