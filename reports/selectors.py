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

from django.db.models import Case, Count, F, Min, Q, Sum, When
from django.db.models.functions import ExtractYear
from django.urls import get_script_prefix, reverse
from django.utils.http import urlencode

from activities import selectors as activity_selectors
from activities.models import (
    ExemplaryExample,
    Initiative,
    InitiativeYear,
    OutstandingArea,
    OutstandingResult,
    Supervision,
)
from households import aid, gaps
from households import selectors as household_selectors
from households.models import (
    AidFigure,
    AidSummary,
    FundingSource,
    FundYear,
    Status,
    SupportKind,
)
from organizations import access
from organizations.models import Organization, OrgKind, Unit, UnitLevel
from programs import selectors as program_selectors
from programs.models import Program
from registrations import selectors as registration_selectors
from registrations.models import (
    ItemKind,
    Registration,
    RegistrationItem,
    RegistrationPeriod,
    RegistrationTally,
    ResultsStatus,
)

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


def _place(unit_field: str, districts: bool, attribute: str = "name"):
    """The name (with ``attribute="id"``, the id) of the unit a record's row goes under: the
    record's own unit, or in a report by district the district containing it (the province's
    own records under the province). Rows grouped by the id are hashed by a number, where
    grouped by the name they were sorted by it (the province's registrations by district:
    12 → 9 ms)."""

    def of(path: str) -> F:
        return F(f"{path}__{attribute}")

    if not districts:
        return of(unit_field)
    return Case(
        When(**{f"{unit_field}__level": UnitLevel.COMMUNE}, then=of(f"{unit_field}__parent")),
        When(**{f"{unit_field}__level": UnitLevel.AREA}, then=of(f"{unit_field}__parent__parent")),
        default=of(unit_field),
    )


# ---------------------------------------------------------------- dashboard


def period_for(user, program: Program | None, year: int) -> RegistrationPeriod | None:
    qs = access.visible(RegistrationPeriod.objects.filter(year=year), user)
    if program is not None:
        qs = qs.filter(program=program)
    return qs.order_by("program_id").first()


def registration_figures(user, filters: Filters) -> dict | None:
    """Expected / received / on time / late / accepted / results, as the tracking view counts them."""
    period = filters.period if filters.period and filters.period.year == filters.year else None
    period = period or period_for(user, filters.program, filters.year)
    if period is None:
        return None
    tracking_filters = {"commune": filters.commune.pk if filters.commune else None, "kind": filters.kind}
    summary = registration_selectors.tracking_summary(
        registration_selectors.tracking_registrations(period, user, tracking_filters)
    )
    base = {"kind": filters.kind, "commune": filters.commune.pk if filters.commune else None}

    def to(**params):
        return link("registrations:period_detail", kwargs={"pk": period.pk}, **base, **params)

    return {
        "period": period,
        "summary": summary,
        "figures": [
            ("expected", summary.expected, to()),
            ("on_time", summary.on_time, to(timeliness="on_time")),
            ("late", summary.late, to(timeliness="late")),
            ("missing", summary.expected - summary.received, to(timeliness="missing")),
            ("accepted", summary.accepted, to(status="accepted")),
            ("results_confirmed", summary.results_confirmed, to(results_status=ResultsStatus.CONFIRMED)),
        ],
    }


def household_figures(user, filters: Filters) -> list[tuple[str, int, str]]:
    """Poor, near-poor, sponsored, the gap and escapes from the gap summary (one aggregate,
    households/gaps.py), which counts the same households as each drill-down list."""
    year = filters.year
    commune = filters.commune.pk if filters.commune else None
    n = gaps.figures(user, year=year, commune=commune)

    def to(name="households:list", **params):
        return link(name, commune=commune, **params)

    return [
        ("poor", n["poor"], to(year=year, status=Status.POOR)),
        ("near_poor", n["near_poor"], to(year=year, status=Status.NEAR_POOR)),
        ("poor_sponsored", n["poor_sponsored"], to(year=year, status=Status.POOR, sponsor="any")),
        (
            "near_poor_sponsored",
            n["near_poor_sponsored"],
            to(year=year, status=Status.NEAR_POOR, sponsor="any"),
        ),
        ("gap", n["gap"], to("households:gaps", year=year)),
        ("escaped", n["escaped"], to(year=year, status=Status.ESCAPED)),
        ("escaped_last_year", n["escaped_last_year"], to(year=year - 1, status=Status.ESCAPED)),
    ]


def initiative_breakdowns(user, filters: Filters) -> dict[str, list[tuple]]:
    """Initiatives in the year by status, organization and field; each row links to its list."""
    # The initiative list filters a commune by the organization's own unit: count the same way.
    commune_q = Q(organization__unit=filters.commune) if filters.commune else Q()
    qs = access.visible(Initiative.objects.in_year(filters.year), user).filter(
        commune_q, _kind_q(filters, "organization__kind")
    )
    base = {"year": filters.year, "commune": filters.commune.pk if filters.commune else None}
    if filters.kind:
        base["organization_kind"] = filters.kind
    status_labels = dict(Initiative._meta.get_field("status").choices)
    kind_labels = dict(OrgKind.choices)
    groups = {"status": defaultdict(int), "kind": defaultdict(int), "field": defaultdict(int)}
    for r in (
        qs.values("status", "organization__kind", "field", "field__title").annotate(n=Count("pk")).order_by()
    ):
        groups["status"][r["status"]] += r["n"]
        groups["kind"][r["organization__kind"]] += r["n"]
        groups["field"][(r["field__title"], r["field"])] += r["n"]
    return {
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
    """The Front level whose fund the dashboard shows: the commune chosen, else the widest scope."""
    if filters.commune is not None:
        return filters.commune
    scope = access.primary_scope(user)
    if scope is not None:
        return scope.unit if scope.unit.level != UnitLevel.AREA else scope.unit.parent
    return filters.program.owner_unit if filters.program else None


def fund_figures(user, filters: Filters) -> dict | None:
    unit = front_unit(user, filters)
    if unit is None:  # the scope's unit and a chosen commune are visible: no query needed
        return None
    years = {row["year"]: row for row in household_selectors.fund_years(unit)}
    row = years.get(filters.year) or {"opening": 0, "receipts": 0, "spending": 0, "closing": 0}
    if filters.year not in years:
        earlier = [r for y, r in years.items() if y < filters.year]
        if earlier:
            closing = earlier[-1]["closing"]
            row = {"opening": closing, "receipts": 0, "spending": 0, "closing": closing}
    return {"unit": unit, "url": link("households:fund", kwargs={"unit": unit.pk}), **row}


def supervision_figures(user, filters: Filters) -> list[tuple[str, int, str]]:
    # Counted as the supervision list filters a commune: led at the commune or one of its areas.
    c = filters.commune
    commune_q = Q(lead_organization__unit=c) | Q(lead_organization__unit__parent=c) if c else Q()
    qs = access.visible(Supervision.objects.filter(held_on__year=filters.year), user).filter(
        commune_q, _kind_q(filters, "lead_organization__kind")
    )
    base = {"year": filters.year, "commune": c.pk if c else None, "organization_kind": filters.kind}
    totals = qs.aggregate(
        held=Count("pk"),
        supervision=Count("pk", filter=Q(kind="supervision")),
        criticism=Count("pk", filter=Q(kind="criticism")),
        open=Count("pk", filter=Q(follow_up_status="open")),
    )
    return [
        ("held", totals["held"], link("activities:supervision_list", **base)),
        (
            "supervision",
            totals["supervision"],
            link("activities:supervision_list", **base, kind="supervision"),
        ),
        ("criticism", totals["criticism"], link("activities:supervision_list", **base, kind="criticism")),
        ("open", totals["open"], link("activities:supervision_list", **base, follow_up="open")),
    ]


def trends(user, filters: Filters) -> dict:
    """Per program year: registrations received, needy households, escapes, running initiatives."""
    years = filters.years
    received = dict(
        access.visible(Registration.objects.filter(period__year__in=years, submitted_at__isnull=False), user)
        .filter(_commune_q(filters, "organization__unit"), _kind_q(filters, "organization__kind"))
        .filter(**({"period__program": filters.program} if filters.program else {}))
        .values_list("period__year")
        .annotate(n=Count("pk"))
    )
    # From the gap summary: the same statuses of the same households, summed per commune
    # or per area (gaps.summary_for).
    summary, commune = gaps.summary_for(user)
    statuses = (
        access.visible(summary.objects.filter(year__in=years), user)
        .filter(_commune_q(filters, commune))
        .values("year")
        .annotate(n_poor=Sum("poor"), n_near_poor=Sum("near_poor"), n_escaped=Sum("escaped"))
        .order_by()
    )
    by_year = {r["year"]: r for r in statuses}
    return {
        "labels": [str(y) for y in years],
        "received": [received.get(y, 0) for y in years],
        "poor": [by_year.get(y, {}).get("n_poor", 0) for y in years],
        "near_poor": [by_year.get(y, {}).get("n_near_poor", 0) for y in years],
        "escaped": [by_year.get(y, {}).get("n_escaped", 0) for y in years],
    }


def by_commune(user, filters: Filters) -> list[dict]:
    """Per commune in scope: poor households, the gap and running initiatives in the year."""
    year = filters.year
    communes = access.visible_units(user).filter(level=UnitLevel.COMMUNE)
    if filters.program is not None:
        communes = communes.filter(path__startswith=filters.program.owner_unit.path)
    # One commune chosen: its figures alone, not every commune's to keep one (the
    # initiatives of a province: 12 ms).
    chosen = [filters.commune.pk] if filters.commune is not None else None
    if chosen:
        communes = communes.filter(pk__in=chosen)
    summary = gaps.by_commune(user, year=year, communes=chosen)
    gap = {pk: row["gap"] for pk, row in summary.items()}
    poor = {pk: row["poor"] for pk, row in summary.items()}
    initiatives = dict(
        access.visible(Initiative.objects.in_year(year), user)
        .filter(_kind_q(filters, "organization__kind"))
        .filter(**({"organization__unit__in": chosen} if chosen else {}))
        .values_list("organization__unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    poor_url = links("households:list", "commune", year=year, status=Status.POOR)
    gap_url = links("households:gaps", "commune", year=year)
    initiatives_url = links(
        "activities:initiative_list", "commune", year=year, organization_kind=filters.kind
    )
    return [
        {
            "commune": c,
            "poor": poor.get(c.pk, 0),
            "poor_url": poor_url(c.pk),
            "gap": gap.get(c.pk, 0),
            "gap_url": gap_url(c.pk),
            "initiatives": initiatives.get(c.pk, 0),
            "initiatives_url": initiatives_url(c.pk),
        }
        for c in communes.order_by("name")
    ]


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
) -> list[CommuneRow]:
    """Every rule of the program as a live check per commune and organization for ``year``,
    for ``communes`` (a page of them) or every commune of ``compliance_communes``.
    ``period``: the year's registration period, when the caller has it already."""
    if period is None or (period.program_id, period.year) != (program.pk, year):
        period = access.visible(RegistrationPeriod.objects.filter(program=program, year=year), user).first()
    if communes is None:
        communes = list(compliance_communes(user, program))
    ids = [c.pk for c in communes]

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
    # Rule 3: needy households without a sponsor (the gap list, reused), per commune.
    gap = {pk: row["gap"] for pk, row in gaps.by_commune(user, year=year, communes=ids).items()}
    # Rule 3: households taken on per organization kind per residential area.
    low, high = program.min_households_per_branch, program.max_households_per_branch
    taken = defaultdict(dict)
    for row in access.visible(
        AidSummary.objects.filter(year=year, figure=AidFigure.SPONSORSHIPS, area__parent__in=ids), user
    ).values("area__parent", "area", "key", "count"):
        taken[(row["area__parent"], row["key"])][row["area"]] = row["count"]
    areas = defaultdict(int)
    for row in (
        Unit.objects.filter(parent__in=ids, level=UnitLevel.AREA, is_active=True)
        .values("parent")
        .annotate(n=Count("pk"))
    ):
        areas[row["parent"]] = row["n"]
    # Rule 8: registrations on time and results reported, per expected organization.
    registrations = {}
    if period is not None:
        for reg in access.visible(
            Registration.objects.filter(period=period, organization__unit__in=ids), user
        ).select_related("organization"):
            registrations[reg.organization_id] = reg

    # Rule 4: running initiatives per grassroots organization, counted as the initiative
    # check counts them, on the panel's own organizations.
    organizations = activity_selectors.with_running_initiatives(
        access.visible_organizations(user).filter(unit__in=ids).select_related("unit").in_program_order(),
        program,
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
        if org.kind == OrgKind.FRONT:
            row.checks["initiative"] = Check(None)
            row.checks["households"] = Check(None)
        else:
            row.checks["initiative"] = Check(
                org.running >= program.min_initiatives_per_organization,
                str(org.running),
                initiatives_url(org.unit_id, org.kind),
            )
            per_area = taken.get((org.unit_id, org.kind), {})
            in_range = sum(1 for n in per_area.values() if low <= n <= high)
            total_areas = areas.get(org.unit_id, 0)
            row.checks["households"] = Check(
                total_areas > 0 and in_range == total_areas,
                f"{in_range}/{total_areas}",
                households_url(org.unit_id),
            )
        org_rows[org.unit_id].append(row)

    result = []
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

    def add_totals(self, label: str, skip: tuple[int, ...] = ()) -> None:
        if not self.rows:
            self.totals = None
            return
        totals: list = [label, *[""] * (self.first_number - 1)]
        for i in range(self.first_number, len(self.columns)):
            totals.append("" if i in skip else sum(r[i] or 0 for r in self.rows))
        self.totals = totals


def _by_district_columns(table: Table, districts: bool, labels, note: str = "") -> None:
    """A table by district names its place column so and says what its rows add up."""
    if districts:
        table.columns = [table.columns[0], labels["district"], *table.columns[2:]]
        table.note = note or labels["by_district"]


def _kind_label(kind: str) -> str:
    return str(dict(OrgKind.choices).get(kind, kind))


def registrations_table(user, f: Filters, labels) -> Table:
    districts = by_district(user, f)
    qs = (
        access.visible(Registration.objects.filter(period__year__in=f.years), user)
        .filter(_commune_q(f, "organization__unit"), _kind_q(f, "organization__kind"))
        .filter(**({"period__program": f.program} if f.program else {}))
        .annotate(place_unit=_place("organization__unit", districts, "id"))
        .values("period__year", "place_unit", "organization__kind")
        .annotate(
            place=Min(_place("organization__unit", districts)),
            expected=Count("pk"),
            received=Count("pk", filter=Q(submitted_at__isnull=False)),
            late=Count("pk", filter=Q(is_late=True)),
            accepted=Count("pk", filter=Q(status="accepted")),
            results=Count("pk", filter=Q(results_submitted_at__isnull=False)),
        )
        .order_by("period__year", "place", "organization__kind")
    )
    t = Table("registrations", labels["registrations"], labels["registrations_cols"], first_number=3)
    _by_district_columns(t, districts, labels)
    t.rows = [
        [r["period__year"], r["place"], _kind_label(r["organization__kind"]),
         r["expected"], r["received"], r["late"], r["accepted"], r["results"]]
        for r in qs
    ]  # fmt: skip
    t.add_totals(labels["total"])
    return t


def results_table(user, f: Filters, labels) -> Table:
    # The items of the submitted registrations per year and kind, from their tallies per
    # registration (campaigns/tallies.py): one SUM over one table of narrow rows that carry
    # the year, unit and organization kind themselves, instead of an aggregate over every
    # item (about 65,000 at province scale) joined to its registration, period, organization
    # and unit.
    qs = (
        access.visible(RegistrationTally.objects.filter(year__in=f.years, submitted=True), user)
        .filter(_commune_q(f, "unit"), _kind_q(f, "org_kind"))
        .values("year", "kind")
        .annotate(
            committed=Sum("committed"),
            achieved=Sum("achieved"),
            partly=Sum("partly"),
            not_achieved=Sum("not_achieved"),
            pledged=Sum("pledged"),
        )
        .order_by("year", "kind")
    )
    kinds = dict(ItemKind.choices)
    t = Table("results", labels["results"], labels["results_cols"], first_number=2)
    t.rows = [
        [r["year"], str(kinds.get(r["kind"], r["kind"])), r["committed"], r["achieved"],
         r["partly"], r["not_achieved"], r["pledged"] or 0]
        for r in qs
    ]  # fmt: skip
    t.add_totals(labels["total"])
    return t


def poverty_tables(user, f: Filters, labels) -> list[Table]:
    # The yearly statuses per commune from the gap summary (households/gaps.py): one SUM over
    # the visible communes' or areas' rows of the years (gaps.summary_for), instead of 2.5
    # million statuses, each checked for a sponsorship. A commune's year is listed when one
    # of its households has a status in it.
    districts = by_district(user, f)
    summary, commune = gaps.summary_for(user)
    place = f"{commune}__parent__name" if districts else f"{commune}__name"
    statuses = (
        access.visible(summary.objects.filter(year__in=f.years), user)
        .filter(_commune_q(f, commune))
        .values("year", place)
        .annotate(
            n_reviewed=Sum("reviewed"),
            n_poor=Sum("poor"),
            n_near_poor=Sum("near_poor"),
            # Poor or near-poor (NEEDY_STATUSES) with a sponsorship in the year.
            n_sponsored=Sum(F("poor_sponsored") + F("near_poor_sponsored")),
            n_escaped=Sum("escaped"),
            n_escaped_near=Sum("escaped_near"),
        )
        .filter(n_reviewed__gt=0)
        .order_by("year", place)
    )
    by_commune = Table("poverty", labels["poverty"], labels["poverty_cols"], first_number=2)
    _by_district_columns(by_commune, districts, labels)
    by_commune.rows = [
        [r["year"], r[place], r["n_poor"], r["n_near_poor"], r["n_sponsored"],
         r["n_poor"] + r["n_near_poor"] - r["n_sponsored"], r["n_escaped"], r["n_escaped_near"]]
        for r in statuses
    ]  # fmt: skip
    by_commune.add_totals(labels["total"])

    # Sponsorships, supports and funding from their summary (households/aid.py): per commune
    # (14,000 rows at province scale) unless the user sees only part of a commune, then per
    # residential area; instead of three aggregates over about 460,000 records each.
    summary, unit = aid.summary_for(user)
    figures = access.visible(summary.objects.filter(year__in=f.years), user).filter(_commune_q(f, unit))
    if f.kind:  # the organization filter narrows the sponsorships; supports have no kind
        figures = figures.filter(~Q(figure=AidFigure.SPONSORSHIPS) | Q(key=f.kind))
    figures = (
        figures.values("year", "figure", "key")
        .annotate(n=Sum("count"), escaped=Sum("escaped"), value=Sum("value"))
        .order_by("year", "figure", "key")
    )
    by_figure = defaultdict(list)
    for r in figures:
        by_figure[r["figure"]].append(r)
    by_kind = Table("sponsorships", labels["sponsorships"], labels["sponsorships_cols"], first_number=2)
    by_kind.rows = [
        [r["year"], _kind_label(r["key"]), r["n"], r["escaped"]] for r in by_figure[AidFigure.SPONSORSHIPS]
    ]
    by_kind.add_totals(labels["total"])

    support_kinds = dict(SupportKind.choices)
    by_support = Table("support", labels["support"], labels["support_cols"], first_number=2)
    by_support.rows = [
        [r["year"], str(support_kinds.get(r["key"], r["key"])), r["n"], r["value"]]
        for r in by_figure[AidFigure.SUPPORTS]
    ]
    by_support.add_totals(labels["total"])

    sources = dict(FundingSource.choices)
    by_source = Table("funding", labels["funding"], labels["funding_cols"], first_number=2)
    by_source.rows = [
        [r["year"], str(sources.get(r["key"], r["key"])), r["value"]] for r in by_figure[AidFigure.FUNDING]
    ]
    by_source.add_totals(labels["total"])
    return [by_commune, by_kind, by_support, by_source]


def initiatives_table(user, f: Filters, labels) -> Table:
    qs = (
        access.visible(InitiativeYear.objects.filter(year__in=f.years), user)
        .filter(_commune_q(f, "initiative__organization__unit"), _kind_q(f, "initiative__organization__kind"))
        .values("year", "initiative__organization__kind")
        .annotate(
            n=Count("initiative", distinct=True),
            participants=Sum("participants"),
            households=Sum("households"),
            value=Sum("value_vnd"),
        )
        .order_by("year", "initiative__organization__kind")
    )
    t = Table("initiatives", labels["initiatives"], labels["initiatives_cols"], first_number=2)
    t.rows = [
        [r["year"], _kind_label(r["initiative__organization__kind"]), r["n"], r["participants"] or 0,
         r["households"] or 0, r["value"] or 0]
        for r in qs
    ]  # fmt: skip
    t.add_totals(labels["total"])
    return t


def examples_table(user, f: Filters, labels) -> Table:
    examples = dict(
        access.visible(ExemplaryExample.objects.filter(year__in=f.years), user)
        .filter(_commune_q(f, "organization__unit"), _kind_q(f, "organization__kind"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    areas = {
        r["year"]: r
        for r in access.visible(OutstandingArea.objects.filter(year__in=f.years), user)
        .filter(_commune_q(f, "area"), _kind_q(f, "organization__kind"))
        .values("year")
        .annotate(n=Count("pk"), recognized=Count("pk", filter=Q(result=OutstandingResult.RECOGNIZED)))
        .order_by()
    }
    t = Table("examples", labels["examples"], labels["examples_cols"])
    t.rows = [
        [y, examples.get(y, 0), areas.get(y, {}).get("n", 0), areas.get(y, {}).get("recognized", 0)]
        for y in f.years
    ]
    t.add_totals(labels["total"])
    return t


def fund_table(user, f: Filters, labels) -> Table:
    """Opening, receipts, spending, closing per Front level and year, from the ledgers' yearly
    figures (households/fund.py) in one grouped query."""
    units = household_selectors.fund_units(user)
    if f.commune is not None:
        units = units.filter(path__startswith=f.commune.path)
    districts = by_district(user, f)
    rows = (
        FundYear.objects.filter(unit__in=units, year__lte=f.years[-1])
        .annotate(y=F("year"), place=_place("unit", districts))
        .values("place", "y")
        .annotate(receipts=Sum("receipts"), spending=Sum("spending"), first_path=Min("unit__path"))
        .order_by("place", "y")
    )
    t = Table("fund", labels["fund"], labels["fund_cols"], first_number=2)
    _by_district_columns(t, districts, labels, note=labels["fund_by_district"])
    balance: dict[str, int] = defaultdict(int)
    path: dict[str, str] = {}
    for r in rows:
        opening = balance[r["place"]]
        balance[r["place"]] = opening + r["receipts"] - r["spending"]
        path[r["place"]] = min(path.get(r["place"], r["first_path"]), r["first_path"])
        if r["y"] in f.years:
            t.rows.append([r["y"], r["place"], opening, r["receipts"], r["spending"], balance[r["place"]]])
    t.rows.sort(key=lambda row: (path[row[1]], row[0]))  # the higher Front level first, as the tree reads
    t.add_totals(labels["total"], skip=(2, 5))
    return t


def supervision_table(user, f: Filters, labels) -> Table:
    qs = (
        access.visible(Supervision.objects.filter(held_on__year__in=f.years), user)
        .filter(_commune_q(f, "lead_organization__unit"), _kind_q(f, "lead_organization__kind"))
        .annotate(y=ExtractYear("held_on"))
        .values("y", "kind", "program_area")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=Q(follow_up_status="open")),
            done=Count("pk", filter=Q(follow_up_status="done")),
        )
        .order_by("y", "kind", "program_area")
    )
    kinds = dict(Supervision._meta.get_field("kind").choices)
    areas = dict(Supervision._meta.get_field("program_area").choices)
    t = Table("supervision", labels["supervision"], labels["supervision_cols"], first_number=3)
    t.rows = [
        [
            r["y"],
            str(kinds.get(r["kind"], "")),
            str(areas.get(r["program_area"], "")),
            r["n"],
            r["open"],
            r["done"],
        ]
        for r in qs
    ]
    t.add_totals(labels["total"])
    return t


def report_tables(user, f: Filters, labels) -> list[Table]:
    """Reports (a)–(g) over the filters' years."""
    return [
        registrations_table(user, f, labels),
        results_table(user, f, labels),
        *poverty_tables(user, f, labels),
        initiatives_table(user, f, labels),
        examples_table(user, f, labels),
        fund_table(user, f, labels),
        supervision_table(user, f, labels),
    ]


def report(user, f: Filters, *, review: int | None = None) -> dict:
    """What a report shows: its tables (a)–(g) with their Vietnamese titles and headers, and
    for a 3- or 5-year review (``review``) the summary of key figures year by year."""
    names = report_labels()
    tables = report_tables(user, f, names)
    return {"tables": tables, "summary": review_summary(tables, f.years, names) if review else None}


def _by_year(table: Table, column: int) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for row in table.rows:
        out[row[0]] += row[column] or 0
    return out


def review_summary(tables: list[Table], years: list[int], labels) -> Table:
    """Key figures year by year with the change from the year before, for the review reports."""
    by_key = {t.key: t for t in tables}
    series = [
        (labels["received"], _by_year(by_key["registrations"], 4)),
        (labels["results_reported"], _by_year(by_key["registrations"], 7)),
        (labels["poor"], _by_year(by_key["poverty"], 2)),
        (labels["near_poor"], _by_year(by_key["poverty"], 3)),
        (labels["sponsored"], _by_year(by_key["poverty"], 4)),
        (labels["escaped"], _by_year(by_key["poverty"], 6)),
        (labels["support_value"], _by_year(by_key["support"], 3)),
        (labels["initiatives_n"], _by_year(by_key["initiatives"], 2)),
        (labels["examples_n"], _by_year(by_key["examples"], 1)),
        (labels["areas_recognized"], _by_year(by_key["examples"], 3)),
        (labels["fund_receipts"], _by_year(by_key["fund"], 3)),
        (labels["fund_spending"], _by_year(by_key["fund"], 4)),
        (labels["supervisions_n"], _by_year(by_key["supervision"], 3)),
    ]
    columns = [labels["indicator"], *[str(y) for y in years], labels["change"]]
    t = Table("summary", labels["summary"], columns)
    for label, values in series:
        figures = [values.get(y, 0) for y in years]
        t.rows.append([label, *figures, figures[-1] - figures[0]])
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
