"""The indicator catalogue: every figure of the program defined once.

Each indicator has a code, its name, the definition users read ("Cách tính", on the page
reports:indicators), its unit and how it adds up (DHIS2's aggregation type):

- a *flow* counts what happened over a period (households that escaped poverty in the year,
  money received): it adds over units and over years;
- a *stock* is the state at a date (poor households at the year's review, the fund's balance
  on 31/12): it adds over units, and over years the period's last value stands (the opening
  balance: its first). A stock is never summed over years.

``values`` computes the indicators for the filters' scope and years from the summaries the
writing services keep (households/gaps.py, households/aid.py, households/fund.py) or with one
aggregate per source. The dashboard, the home panels, the compliance panel, the reports'
totals and the reviews ask here; the tests reconcile each indicator with a count of the
records written in the test itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Case, Count, F, Min, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.models import (
    ExemplaryExample,
    Initiative,
    InitiativeYear,
    OutstandingArea,
    OutstandingResult,
    Supervision,
    running_in,
)
from households import aid, gaps
from households import selectors as household_selectors
from households.models import AidFigure, FundingSource, FundYear
from organizations import access
from organizations.models import Unit, UnitLevel
from registrations.models import Registration, RegistrationStatus, RegistrationTally, ResultsStatus


class Adds(StrEnum):
    FLOW = "flow"
    STOCK = "stock"  # the last year's value over years
    OPENING = "opening"  # a stock at the start of the period: the first year's value


ADDS_LABELS = {
    Adds.FLOW: _("Flow: adds over units and over years"),
    Adds.STOCK: _("Stock at the year's end: adds over units; over years the last year's value"),
    Adds.OPENING: _("Stock at the year's start: adds over units; over years the first year's value"),
}

HOUSEHOLDS = pgettext_lazy("unit of an indicator", "households")
REGISTRATIONS = pgettext_lazy("unit of an indicator", "registrations")
VND = pgettext_lazy("unit of an indicator", "VND")
INITIATIVES = pgettext_lazy("unit of an indicator", "models")
RECORDS = pgettext_lazy("unit of an indicator", "records")
AREAS = pgettext_lazy("unit of an indicator", "residential areas")
ITEMS = pgettext_lazy("unit of an indicator", "items")
PEOPLE = pgettext_lazy("unit of an indicator", "people")


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name: Promise
    definition: Promise
    unit: Promise
    adds: Adds
    # Where it is counted (a key of BREAKDOWNS or SOURCES), when not its group's.
    source: str = ""

    @property
    def counted_in(self) -> str:
        return self.source or self.group

    def over_years(self, by_year: dict[int, int], years: list[int]) -> int:
        """The indicator over ``years`` from its value in each: summed for a flow, the last
        (or for an opening balance the first) year's value for a stock."""
        if not years:
            return 0
        if self.adds == Adds.FLOW:
            return sum(by_year.get(y, 0) for y in years)
        return by_year.get(years[0] if self.adds == Adds.OPENING else years[-1], 0)


GROUPS = {
    "registrations": _("Registrations"),
    "results": _("Results against commitments"),
    "households": _("Poverty support"),
    "aid": _("Sponsorships and support"),
    "fund": _("“For the Poor” fund"),
    "activities": _("Models, examples and outstanding areas"),
    "supervision": _("Supervision and social criticism"),
}

# fmt: off
CATALOGUE = [
    Indicator("registrations_expected", "registrations", _("Expected"), _(
        "Registrations the year's registration period expects: one for the Front and each of the five "
        "organizations at the program's unit and at each commune in the scope."), REGISTRATIONS, Adds.FLOW),
    Indicator("registrations_received", "registrations", _("Received"), _(
        "Expected registrations that have been submitted (on time or late)."), REGISTRATIONS, Adds.FLOW),
    Indicator("registrations_on_time", "registrations", _("Submitted on time"), _(
        "Registrations whose first submission came by the registration deadline."), REGISTRATIONS, Adds.FLOW),
    Indicator("registrations_late", "registrations", _("Submitted late"), _(
        "Registrations whose first submission came after the registration deadline."), REGISTRATIONS, Adds.FLOW),
    Indicator("registrations_missing", "registrations", _("Not submitted"), _(
        "Expected registrations not submitted yet: expected − received."), REGISTRATIONS, Adds.FLOW),
    Indicator("registrations_accepted", "registrations", _("Accepted"), _(
        "Registrations the Front has accepted."), REGISTRATIONS, Adds.FLOW),
    Indicator("results_reported", "registrations", _("Results reported"), _(
        "Registrations whose results for the year have been submitted."), REGISTRATIONS, Adds.FLOW),
    Indicator("results_confirmed", "registrations", _("Results confirmed"), _(
        "Registrations whose results the Front has confirmed."), REGISTRATIONS, Adds.FLOW),

    Indicator("items_committed", "results", _("Committed"), _(
        "Items of the submitted registrations of the year: the commitments."), ITEMS, Adds.FLOW),
    Indicator("items_achieved", "results", _("Achieved"), _(
        "Committed items whose result for the year is achieved."), ITEMS, Adds.FLOW),
    Indicator("items_partly", "results", _("Partly achieved"), _(
        "Committed items whose result for the year is partly achieved."), ITEMS, Adds.FLOW),
    Indicator("items_not_achieved", "results", _("Not achieved"), _(
        "Committed items whose result for the year is not achieved."), ITEMS, Adds.FLOW),
    Indicator("households_pledged", "results", _("Households pledged"), _(
        "Poor households the submitted registrations pledge to take on in the year."), HOUSEHOLDS, Adds.FLOW),

    Indicator("poor", "households", _("Poor households"), _(
        "Households whose status in the year's review is poor."), HOUSEHOLDS, Adds.STOCK),
    Indicator("near_poor", "households", _("Near-poor households"), _(
        "Households whose status in the year's review is near-poor."), HOUSEHOLDS, Adds.STOCK),
    Indicator("policy_needy", "households", _("Policy households in difficulty"), _(
        "Policy households whose status in the year's review is poor or near-poor."), HOUSEHOLDS, Adds.STOCK),
    Indicator("gap_households", "households", _("Poor and policy households in difficulty"), _(
        "The households the program's promise covers in the year: poor households, and policy households "
        "that are near-poor (a policy household of average living standard is not counted)."),
        HOUSEHOLDS, Adds.STOCK),
    Indicator("gap_sponsored", "households", _("Of them with a sponsor"), _(
        "Poor and policy households in difficulty that an organization or another sponsor takes on in "
        "the year."), HOUSEHOLDS, Adds.STOCK),
    Indicator("gap", "households", _("Without a sponsor (the gap)"), _(
        "Poor and policy households in difficulty that nobody takes on in the year: “no poor household "
        "and no policy household in difficulty without an organization supporting it”."),
        HOUSEHOLDS, Adds.STOCK),
    Indicator("poor_sponsored", "households", _("Poor households sponsored"), _(
        "Poor households taken on by a sponsor in the year."), HOUSEHOLDS, Adds.STOCK),
    Indicator("near_poor_sponsored", "households", _("Near-poor households sponsored"), _(
        "Near-poor households taken on by a sponsor in the year."), HOUSEHOLDS, Adds.STOCK),
    Indicator("near_poor_unsponsored", "households", _("Near-poor households without a sponsor"), _(
        "Near-poor households that are not policy households and that nobody takes on in the year; "
        "watched beside the gap, not counted in it."), HOUSEHOLDS, Adds.STOCK),
    Indicator("escaped", "households", _("Escaped poverty"), _(
        "Households whose status in the year's review is “escaped poverty”."), HOUSEHOLDS, Adds.FLOW),
    Indicator("escaped_near", "households", _("Escaped near-poverty"), _(
        "Households whose status in the year's review is “escaped near-poverty”."), HOUSEHOLDS, Adds.FLOW),

    Indicator("sponsorships", "aid", _("Sponsorships"), _(
        "Households taken on in the year, counted once per sponsoring organization."), HOUSEHOLDS, Adds.FLOW),
    Indicator("sponsorships_escaped", "aid", _("Sponsored households that escaped poverty"), _(
        "Sponsorships of the year whose household is no longer poor or near-poor in the next year's "
        "review."), HOUSEHOLDS, Adds.FLOW),
    Indicator("support_value", "aid", _("Support value"), _(
        "The value of the support given to households, by the support's date."), VND, Adds.FLOW),
    Indicator("support_from_fund", "aid", _("Support paid from the fund"), _(
        "The part of the support paid from the “For the Poor” fund, as the fund ledgers spent it."),
        VND, Adds.FLOW),

    Indicator("fund_opening", "fund", _("Opening balance"), _(
        "The balance of the fund of the scope's Front level on 1 January: earlier receipts − earlier "
        "spending, reversals counted with the opposite sign."), VND, Adds.OPENING),
    Indicator("fund_receipts", "fund", _("Receipts"), _(
        "Money received by the fund of the scope's Front level in the year (its own ledger; the "
        "ledgers of the levels below are their own)."), VND, Adds.FLOW),
    Indicator("fund_spending", "fund", _("Spending"), _(
        "Money the fund of the scope's Front level spent in the year."), VND, Adds.FLOW),
    Indicator("fund_closing", "fund", _("Closing balance"), _(
        "The balance of the fund of the scope's Front level on 31 December."), VND, Adds.STOCK),

    Indicator("initiatives_running", "activities", _("Models running"), _(
        "Models started by the year that are running or recognized effective, or stopped later; a "
        "planned model does not count."), INITIATIVES, Adds.STOCK),
    Indicator("initiatives_reporting", "activities", _("Models with figures"), _(
        "Models that reported their figures (participants, households, value) for the year."),
        INITIATIVES, Adds.STOCK, "initiative_years"),
    Indicator("initiative_participants", "activities", _("Participants"), _(
        "People taking part in the models in the year, as each model reported them."), PEOPLE,
        Adds.FLOW, "initiative_years"),
    Indicator("initiative_households", "activities", _("Households reached"), _(
        "Households the models reached in the year, as each model reported them."), HOUSEHOLDS,
        Adds.FLOW, "initiative_years"),
    Indicator("initiative_value", "activities", _("Value (VND)"), _(
        "The value the models produced or mobilized in the year, as each reported it."), VND,
        Adds.FLOW, "initiative_years"),
    Indicator("examples", "activities", _("Exemplary examples"), _(
        "Exemplary people and collectives recorded for the year."), RECORDS, Adds.FLOW),
    Indicator("outstanding_registered", "activities", _("Outstanding areas registered"), _(
        "Residential areas registered as outstanding for the year."), AREAS, Adds.FLOW),
    Indicator("outstanding_recognized", "activities", _("Outstanding areas recognized"), _(
        "Registered outstanding residential areas recognized at the year's review."), AREAS, Adds.FLOW),

    Indicator("supervisions_held", "supervision", _("Held"), _(
        "Supervisions and social criticisms held in the year."), RECORDS, Adds.FLOW),
    Indicator("supervisions", "supervision", _("Supervisions"), _(
        "Supervisions held in the year."), RECORDS, Adds.FLOW),
    Indicator("criticisms", "supervision", _("Social criticisms"), _(
        "Social criticisms held in the year."), RECORDS, Adds.FLOW),
    Indicator("supervisions_open", "supervision", _("Follow-up pending"), _(
        "Supervisions and criticisms of the year whose follow-up is still pending."), RECORDS, Adds.FLOW),
]
# fmt: on
INDICATORS = {indicator.code: indicator for indicator in CATALOGUE}


@dataclass(frozen=True)
class Where:
    """What figures are about: the user's scope, narrowed to a program, a commune and an
    organization kind (the reports' and dashboard's filters)."""

    user: object
    program: object | None = None
    commune: Unit | None = None
    kind: str = ""

    @classmethod
    def of(cls, user, filters) -> Where:
        return cls(user, filters.program, filters.commune, filters.kind)

    def within(self, unit_field: str) -> Q:
        return Q(**{f"{unit_field}__path__startswith": self.commune.path}) if self.commune else Q()

    def of_kind(self, kind_field: str) -> Q:
        return Q(**{kind_field: self.kind}) if self.kind else Q()


class Figures:
    """The catalogue's indicators for one scope and some years, each source queried once.

    A report's tables ask for a source's rows broken down by the table's dimensions (place,
    organization kind, kind of support...) with ``breakdown``; ``values`` adds those rows up
    per year, or queries the source by year alone when no table asked for it. So the figures
    of a review and its tables come from the same rows."""

    def __init__(self, where: Where, years: Iterable[int]):
        self.where, self.years = where, sorted(set(years))
        self._rows: dict[tuple, list[dict]] = {}
        self._counted: dict[str, dict[int, int]] = {}  # the by-year sources' indicators

    def breakdown(self, source: str, by: tuple[str, ...] = (), *, districts: bool = False) -> list[dict]:
        """The source's rows, one per year and value of each dimension of ``by``; with
        ``districts``, the place dimension is the district (its communes added in)."""
        key = (source, by, districts)
        if key not in self._rows:
            self._rows[key] = BREAKDOWNS[source](self.where, self.years, by, districts)
        return self._rows[key]

    def values(self, codes: Iterable[str] | None = None) -> dict[str, dict[int, int]]:
        """Each indicator of ``codes`` (all when None) in each year: {code: {year: value}}."""
        wanted = list(INDICATORS) if codes is None else list(codes)
        result: dict[str, dict[int, int]] = {}
        for source in dict.fromkeys(INDICATORS[code].counted_in for code in wanted):
            needed = [code for code in wanted if INDICATORS[code].counted_in == source]
            if source in BREAKDOWNS:
                rows = next((r for (s, _by, _d), r in self._rows.items() if s == source), None)
                rows = self.breakdown(source) if rows is None else rows
                per_year = {code: defaultdict(int) for code in needed}
                for row in rows:
                    for code in needed:
                        per_year[code][row["year"]] += row.get(code, 0)
            else:
                missing = [code for code in needed if code not in self._counted]
                if missing:
                    counted = SOURCES[source](self.where, self.years, missing)
                    self._counted.update({code: counted.get(code, {}) for code in missing})
                per_year = {code: self._counted[code] for code in needed}
            for code in needed:
                result[code] = {year: per_year.get(code, {}).get(year, 0) for year in self.years}
        return result


def values(
    where: Where, years: Iterable[int], codes: Iterable[str] | None = None
) -> dict[str, dict[int, int]]:
    """Each indicator of ``codes`` (all when None) in each of ``years``: {code: {year: value}}.
    One query per source the codes need."""
    return Figures(where, years).values(codes)


def latest_gap(where: Where) -> tuple[int, int]:
    """The latest year, not after this one, with a household review in scope (else this
    year), and the indicator "gap" in it: one query (the home page's panel)."""
    return gaps.latest_gap(where.user, default_year=timezone.localdate().year)


BY_COMMUNE = ["poor", "gap", "initiatives_running"]


def by_commune(
    where: Where,
    year: int,
    communes: list[int] | None = None,
    codes: list[str] = BY_COMMUNE,
    figures: Figures | None = None,
) -> dict[int, dict[str, int]]:
    """``codes`` (of ``BY_COMMUNE``) of ``year`` per commune in scope (of ``communes`` when
    given), a grouped query per source, or the households' rows by commune of ``figures``
    when given (which then also gives their totals by year); a commune without records has
    zeros. The communes add up to the indicator of their district (a test checks it)."""
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(codes, 0))
    if figures is not None:
        rows = {r["commune"]: r for r in figures.breakdown("households", ("commune",)) if r["year"] == year}
        if communes is not None:
            rows = {pk: row for pk, row in rows.items() if pk in communes}
    else:
        rows = gaps.by_commune(where.user, year=year, communes=communes)
    for commune, row in rows.items():
        found[commune].update({code: row[code] for code in codes if code in row})
    if "initiatives_running" not in codes:
        return found
    # A model of a branch counts in its residential area's commune.
    place = Case(
        When(organization__unit__level=UnitLevel.AREA, then=F("organization__unit__parent")),
        default=F("organization__unit"),
    )
    initiatives = (
        access.visible(Initiative.objects.running_in(year), where.user)
        .filter(where.of_kind("organization__kind"))
        .annotate(commune=place)
        .filter(**({"commune__in": communes} if communes is not None else {}))
        .values("commune")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in initiatives:
        found[row["commune"]]["initiatives_running"] = row["n"]
    return found


# ---------------------------------------------------------------- sources


def place(unit_field: str, districts: bool, attribute: str = "name"):
    """The name (with ``attribute="id"``, the id) of the unit a record's row goes under: the
    record's own unit, or by district the district containing it (the province's own records
    under the province). Grouped by the id, rows are hashed by a number, where grouped by the
    name they were sorted by it (the province's registrations by district: 12 → 9 ms)."""

    def of(path: str) -> F:
        return F(f"{path}__{attribute}")

    if not districts:
        return of(unit_field)
    return Case(
        When(**{f"{unit_field}__level": UnitLevel.COMMUNE}, then=of(f"{unit_field}__parent")),
        When(**{f"{unit_field}__level": UnitLevel.AREA}, then=of(f"{unit_field}__parent__parent")),
        default=of(unit_field),
    )


def _rows(qs, year: str, dims: dict[str, str], sums: dict) -> list[dict]:
    """``qs`` grouped by the year and ``dims`` ({name in the rows: field}), with ``sums``."""
    fields = [year, *dims.values()]
    return [
        {"year": r.pop(year), **{name: r.pop(f) for name, f in dims.items()}, **r}
        for r in qs.values(*fields).annotate(**sums).order_by(*fields)
    ]


def _registrations(where: Where, years: list[int], by: tuple[str, ...], districts: bool) -> list[dict]:
    """Registrations per year (and ``by`` "place", "kind": the organization's unit or its
    district, and kind), with their indicators."""
    received = Q(submitted_at__isnull=False)
    qs = (
        access.visible(Registration.objects.filter(period__year__in=years), where.user)
        .filter(where.within("organization__unit"), where.of_kind("organization__kind"))
        .filter(**({"period__program": where.program} if where.program else {}))
    )
    dims = {}
    sums = {
        "registrations_expected": Count("pk"),
        "registrations_received": Count("pk", filter=received),
        "registrations_on_time": Count("pk", filter=received & Q(is_late=False)),
        "registrations_late": Count("pk", filter=Q(is_late=True)),
        "registrations_accepted": Count("pk", filter=Q(status=RegistrationStatus.ACCEPTED)),
        "results_reported": Count("pk", filter=Q(results_submitted_at__isnull=False)),
        "results_confirmed": Count("pk", filter=Q(results_status=ResultsStatus.CONFIRMED)),
    }
    if "place" in by:
        qs = qs.annotate(place_unit=place("organization__unit", districts, "id"))
        dims["place_unit"] = "place_unit"
        sums["place"] = Min(place("organization__unit", districts))
    if "kind" in by:
        dims["kind"] = "organization__kind"
    rows = _rows(qs, "period__year", dims, sums)
    for row in rows:
        row["registrations_missing"] = row["registrations_expected"] - row["registrations_received"]
    return sorted(rows, key=lambda r: (r["year"], r.get("place") or "", r.get("kind") or ""))


HOUSEHOLD_FIGURES = [i.code for i in CATALOGUE if i.group == "households" and i.code != "gap_sponsored"]


def _households(where: Where, years: list[int], by: tuple[str, ...], districts: bool) -> list[dict]:
    """The gap summary's figures per year (and ``by`` "place": commune or district by name;
    "commune": the commune's id), from the visible communes' or areas' rows
    (gaps.summary_for). A place's year is listed when one of its households has a status in
    it."""
    summary, commune = gaps.summary_for(where.user)
    qs = access.visible(summary.objects.filter(year__in=years), where.user).filter(where.within(commune))
    dims = {"place": f"{commune}__parent__name" if districts else f"{commune}__name"} if "place" in by else {}
    if "commune" in by:
        dims["commune"] = commune
    sums = {"reviewed": Sum("reviewed"), **{code: Sum(code) for code in HOUSEHOLD_FIGURES}}
    rows = [r for r in _rows(qs, "year", dims, sums) if r["reviewed"]]
    for row in rows:
        row["gap_sponsored"] = gaps.gap_sponsored(row)
    return rows


def _aid(where: Where, years: list[int], by: tuple[str, ...], districts: bool) -> list[dict]:
    """Sponsorships (by the sponsor's kind), supports (by kind) and their funding (by source)
    per year, from the aid summary (households/aid.py); ``by`` is ("figure", "key") or ()."""
    summary, unit = aid.summary_for(where.user)
    qs = access.visible(summary.objects.filter(year__in=years), where.user).filter(where.within(unit))
    if where.kind:  # the organization filter narrows the sponsorships; supports have no kind
        qs = qs.filter(~Q(figure=AidFigure.SPONSORSHIPS) | Q(key=where.kind))
    sponsorships, supports = Q(figure=AidFigure.SPONSORSHIPS), Q(figure=AidFigure.SUPPORTS)
    sums = {
        # A row's own figures, named apart from the summary's columns.
        "records": Sum("count"),
        "records_escaped": Sum("escaped"),
        "amount": Sum("value"),
        "sponsorships": Sum("count", filter=sponsorships, default=0),
        "sponsorships_escaped": Sum("escaped", filter=sponsorships, default=0),
        "support_value": Sum("value", filter=supports, default=0),
        "support_from_fund": Sum(
            "value", filter=Q(figure=AidFigure.FUNDING, key=FundingSource.FUND), default=0
        ),
    }
    return _rows(qs, "year", {name: name for name in by}, sums)


def front_unit(where: Where) -> Unit | None:
    """The Front level whose fund a scope's figures show: the commune chosen, else the
    user's widest scope (a residential area's user: its commune), else the program's unit."""
    if where.commune is not None:
        return where.commune
    scope = access.primary_scope(where.user)
    if scope is not None:
        return scope.unit if scope.unit.level != UnitLevel.AREA else scope.unit.parent
    return where.program.owner_unit if where.program else None


def _fund(where: Where, years: list[int], _codes: list[str]) -> dict[str, dict[int, int]]:
    unit = front_unit(where)
    out: dict[str, dict[int, int]] = defaultdict(dict)
    if unit is None:
        return out
    balance = 0
    by_year = {
        r["year"]: r
        for r in FundYear.objects.filter(unit=unit, year__lte=years[-1]).values(
            "year", "receipts", "spending"
        )
    }
    for year in range(min([*by_year, years[0]]), years[-1] + 1):
        row = by_year.get(year, {"receipts": 0, "spending": 0})
        opening, balance = balance, balance + row["receipts"] - row["spending"]
        if year in years:
            out["fund_opening"][year] = opening
            out["fund_receipts"][year] = row["receipts"]
            out["fund_spending"][year] = row["spending"]
            out["fund_closing"][year] = balance
    return out


def _activities(where: Where, years: list[int], codes: list[str]) -> dict[str, dict[int, int]]:
    """A query for each kind of record the codes need."""
    user = where.user
    out: dict[str, dict[int, int]] = defaultdict(dict)
    if "initiatives_running" in codes:
        initiatives = access.visible(Initiative.objects.all(), user).filter(
            where.within("organization__unit"), where.of_kind("organization__kind")
        )
        running = initiatives.aggregate(**{f"y{y}": Count("pk", filter=running_in(y)) for y in years})
        out["initiatives_running"] = {int(y[1:]): n for y, n in running.items()}
    # The examples and the outstanding areas in one query: the same three columns from each.
    counts = []
    if "examples" in codes:
        counts.append(
            access.visible(ExemplaryExample.objects.filter(year__in=years), user)
            .filter(where.within("organization__unit"), where.of_kind("organization__kind"))
            .values("year")
            .annotate(what=Value("examples"), n=Count("pk"), recognized=Value(0))
            .order_by()
        )
    if {"outstanding_registered", "outstanding_recognized"} & set(codes):
        counts.append(
            access.visible(OutstandingArea.objects.filter(year__in=years), user)
            .filter(where.within("area"), where.of_kind("organization__kind"))
            .values("year")
            .annotate(
                what=Value("outstanding"),
                n=Count("pk"),
                recognized=Count("pk", filter=Q(result=OutstandingResult.RECOGNIZED)),
            )
            .order_by()
        )
    if counts:
        for row in counts[0].union(*counts[1:], all=True):
            if row["what"] == "examples":
                out["examples"][row["year"]] = row["n"]
            else:
                out["outstanding_registered"][row["year"]] = row["n"]
                out["outstanding_recognized"][row["year"]] = row["recognized"]
    return out


def _supervision(where: Where, years: list[int], by: tuple[str, ...], districts: bool) -> list[dict]:
    """Supervisions and social criticisms per year (and ``by`` "kind", "program_area")."""
    qs = (
        access.visible(Supervision.objects.filter(held_on__year__in=years), where.user)
        .filter(where.within("lead_organization__unit"), where.of_kind("lead_organization__kind"))
        .annotate(y=ExtractYear("held_on"))
    )
    sums = {
        "supervisions_held": Count("pk"),
        "supervisions": Count("pk", filter=Q(kind="supervision")),
        "criticisms": Count("pk", filter=Q(kind="criticism")),
        "supervisions_open": Count("pk", filter=Q(follow_up_status="open")),
        "follow_up_done": Count("pk", filter=Q(follow_up_status="done")),
    }
    return _rows(qs, "y", {name: name for name in by}, sums)


def _results(where: Where, years: list[int], by: tuple[str, ...], districts: bool) -> list[dict]:
    """The items of the submitted registrations per year (and ``by`` "kind": the kind of
    item), from their tallies per registration (registrations/tallies.py): one SUM over
    narrow rows that carry the year, unit and organization kind, instead of an aggregate over
    every item (about 65,000 at province scale) joined to its registration and unit."""
    qs = (
        access.visible(RegistrationTally.objects.filter(year__in=years, submitted=True), where.user)
        .filter(where.within("unit"), where.of_kind("org_kind"))
        .filter(**({"program": where.program} if where.program else {}))
    )
    sums = {
        "items_committed": Sum("committed"),
        "items_achieved": Sum("achieved"),
        "items_partly": Sum("partly"),
        "items_not_achieved": Sum("not_achieved"),
        "households_pledged": Sum("pledged", default=0),
    }
    return _rows(qs, "year", {name: name for name in by}, sums)


def _initiative_years(where: Where, years: list[int], by: tuple[str, ...], districts: bool) -> list[dict]:
    """The models' yearly figures per year (and ``by`` "kind": the organization's kind)."""
    qs = access.visible(InitiativeYear.objects.filter(year__in=years), where.user).filter(
        where.within("initiative__organization__unit"), where.of_kind("initiative__organization__kind")
    )
    sums = {
        "initiatives_reporting": Count("initiative", distinct=True),
        "initiative_participants": Sum("participants", default=0),
        "initiative_households": Sum("households", default=0),
        "initiative_value": Sum("value_vnd", default=0),
    }
    return _rows(qs, "year", {"kind": "initiative__organization__kind"} if "kind" in by else {}, sums)


def fund_levels(where: Where, years: list[int], districts: bool) -> list[dict]:
    """The fund indicators of each Front level the user may read (of the commune chosen),
    or by district the district's and its communes' ledgers together: a row per place and
    year of ``years``, balances carried from each ledger's first year. The scope's own
    level's row is its ``fund_*`` indicators (``_fund``)."""
    units = household_selectors.fund_units(where.user)
    if where.commune is not None:
        units = units.filter(path__startswith=where.commune.path)
    rows = (
        FundYear.objects.filter(unit__in=units, year__lte=years[-1])
        .annotate(place=place("unit", districts))
        .values("place", "year")
        .annotate(receipts=Sum("receipts"), spending=Sum("spending"), first_path=Min("unit__path"))
        .order_by("place", "year")
    )
    balance: dict[str, int] = defaultdict(int)
    path: dict[str, str] = {}
    found = []
    for r in rows:
        opening = balance[r["place"]]
        balance[r["place"]] = opening + r["receipts"] - r["spending"]
        path[r["place"]] = min(path.get(r["place"], r["first_path"]), r["first_path"])
        if r["year"] in years:
            found.append(
                {"year": r["year"], "place": r["place"], "fund_opening": opening, "fund_receipts": r["receipts"],
                 "fund_spending": r["spending"], "fund_closing": balance[r["place"]]}
            )  # fmt: skip
    # The higher Front level first, as the tree reads; its years in order.
    return sorted(found, key=lambda row: (path[row["place"]], row["year"]))


# Sources a report breaks down, and those counted by year alone.
BREAKDOWNS = {
    "registrations": _registrations,
    "results": _results,
    "households": _households,
    "aid": _aid,
    "initiative_years": _initiative_years,
    "supervision": _supervision,
}
SOURCES = {"fund": _fund, "activities": _activities}
