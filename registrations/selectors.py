"""Reads across registrations: aggregates in SQL, never a query per row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from households.models import Household
from organizations import access
from registrations.models import (
    Registration,
    RegistrationItem,
    RegistrationPeriod,
    RegistrationStatus,
    ResultsStatus,
)

RECEIVED = Q(submitted_at__isnull=False)


def periods_for(user) -> QuerySet:
    """Visible periods with expected / received / late / accepted counts."""
    return (
        access.visible(RegistrationPeriod.objects.select_related("program__owner_unit"), user)
        .annotate(
            expected=Count("registrations"),
            received=Count("registrations", filter=Q(registrations__submitted_at__isnull=False)),
            late=Count("registrations", filter=Q(registrations__is_late=True)),
            accepted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.ACCEPTED)),
        )
        .order_by("-year", "program_id")
    )


def tracking_rows(period: RegistrationPeriod, user, filters: dict | None = None) -> QuerySet:
    """The expected organizations of a period the user may see, one row each."""
    return (
        tracking_registrations(period, user, filters)
        .select_related("organization__unit")
        .annotate(item_count=Count("items"))
        .order_by("organization__unit__path", "organization__kind")
    )


def tracking_registrations(period: RegistrationPeriod, user, filters: dict | None = None) -> QuerySet:
    """The filtered registrations of the tracking view, without joins or ordering."""
    filters = filters or {}
    qs = access.visible(Registration.objects.filter(period=period), user)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("results_status"):
        qs = qs.filter(results_status=filters["results_status"])
    if filters.get("commune"):
        qs = qs.filter(organization__unit_id=filters["commune"])
    if filters.get("kind"):
        qs = qs.filter(organization__kind=filters["kind"])
    if filters.get("timeliness") == "late":
        qs = qs.filter(is_late=True)
    elif filters.get("timeliness") == "on_time":
        qs = qs.filter(RECEIVED, is_late=False)
    elif filters.get("timeliness") == "missing":
        qs = qs.filter(submitted_at__isnull=True)
    if filters.get("within") is not None:
        qs = qs.filter(organization__unit__path__startswith=filters["within"].path)
    return qs


@dataclass
class UnitTracking:
    """The registrations of one unit's subtree, in figures (a row of the level below)."""

    unit: object
    expected: int = 0
    received: int = 0
    accepted: int = 0
    late: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.received


def tracking_levels(registrations: QuerySet, unit) -> tuple[bool, list[UnitTracking]]:
    """Whether the tracking view of ``unit`` lists the level below in figures, and those figures.

    One aggregate per unit that has registrations, folded into the children of ``unit`` by
    their paths. When registrations lie more than one level below ``unit`` (a province:
    districts, then communes), the view shows the organizations of ``unit`` itself and one
    row of figures per child, each a click away, so the page has the same size at every
    scale; otherwise (a district, a commune) it lists every organization as before."""
    from organizations.models import Unit

    per_unit = list(
        registrations.order_by()
        .values("organization__unit_id", "organization__unit__path")
        .annotate(
            expected=Count("pk"),
            received=Count("pk", filter=RECEIVED),
            accepted=Count("pk", filter=Q(status=RegistrationStatus.ACCEPTED)),
            late=Count("pk", filter=Q(is_late=True)),
        )
    )
    depth = unit.path.count("/")
    if not any(row["organization__unit__path"].count("/") > depth + 1 for row in per_unit):
        return False, []
    children: dict[int, dict] = {}
    for row in per_unit:
        path = row["organization__unit__path"]
        if path == unit.path or not path.startswith(unit.path):
            continue
        child = int(path[len(unit.path) :].split("/", 1)[0])
        totals = children.setdefault(child, dict.fromkeys(["expected", "received", "accepted", "late"], 0))
        for key in totals:
            totals[key] += row[key]
    units = Unit.objects.filter(pk__in=children).order_by("name")
    return True, [UnitTracking(unit=u, **children[u.pk]) for u in units]


@dataclass
class TrackingSummary:
    expected: int
    received: int
    on_time: int
    late: int
    accepted: int
    results_received: int
    results_confirmed: int

    @property
    def completeness(self) -> int:
        """Percent of expected registrations received."""
        return round(100 * self.received / self.expected) if self.expected else 0

    @property
    def timeliness(self) -> int:
        """Percent of received registrations that came on time."""
        return round(100 * self.on_time / self.received) if self.received else 0


def tracking_summary(registrations: QuerySet) -> TrackingSummary:
    """The figures of ``tracking_registrations``: one row per registration, so plain counts
    (tracking_rows' count of items joined every item and needed a distinct count over a
    grouped subquery: 9 → 2 ms for a province's period)."""
    totals = registrations.order_by().aggregate(
        expected=Count("pk"),
        received=Count("pk", filter=RECEIVED),
        on_time=Count("pk", filter=RECEIVED & Q(is_late=False)),
        late=Count("pk", filter=Q(is_late=True)),
        accepted=Count("pk", filter=Q(status=RegistrationStatus.ACCEPTED)),
        results_received=Count("pk", filter=Q(results_submitted_at__isnull=False)),
        results_confirmed=Count("pk", filter=Q(results_status=ResultsStatus.CONFIRMED)),
    )
    return TrackingSummary(**totals)


def missing_by_unit(rows) -> list[tuple]:
    """(unit, [organizations that have not submitted]) from rows already fetched."""
    grouped: dict[int, tuple] = {}
    for row in rows:
        if row.submitted_at is None:
            unit = row.organization.unit
            grouped.setdefault(unit.pk, (unit, []))[1].append(row.organization)
    return list(grouped.values())


PENDING_REGISTRATION = [RegistrationStatus.DRAFT, RegistrationStatus.RETURNED]
PENDING_RESULTS = [ResultsStatus.DRAFT, ResultsStatus.RETURNED]


def pending_for_editors(today: datetime.date, days: int) -> QuerySet:
    """Registrations whose registration or results are due within ``days`` and not submitted."""
    soon = today + datetime.timedelta(days=days)
    return (
        Registration.objects.filter(period__closed_at__isnull=True, period__opens_on__lte=today)
        .filter(
            Q(status__in=PENDING_REGISTRATION, period__registration_deadline__lte=soon)
            | Q(
                status=RegistrationStatus.ACCEPTED,
                results_status__in=PENDING_RESULTS,
                period__results_deadline__lte=soon,
            )
        )
        .select_related("period__program", "organization__unit")
        .order_by("period__registration_deadline", "organization__unit__path")
    )


def pending_for_user(user, today: datetime.date, days: int) -> QuerySet:
    """What the user's own organizations still have to submit soon."""
    own = access.own_writing_organization_ids(user)
    # The home page shows the organization and the period's deadlines: without the program
    # (its long texts) and the unit, the query is planned in half the time (1.6 → 0.8 ms).
    return (
        pending_for_editors(today, days)
        .filter(organization__in=own)
        .select_related(None)
        .select_related("period", "organization")
    )


def waiting_for_review(user) -> QuerySet:
    return access.visible(
        Registration.objects.filter(period__closed_at__isnull=True).filter(
            Q(status=RegistrationStatus.SUBMITTED) | Q(results_status=ResultsStatus.SUBMITTED)
        ),
        user,
    )


def matrix(rows) -> tuple[list, list]:
    """Units × organization kinds from rows already fetched: (kinds, [(unit, [row or None])])."""
    from organizations.models import OrgKind

    kinds = [k for k in OrgKind if any(r.organization.kind == k for r in rows)]
    by_unit: dict[int, tuple] = {}
    for row in rows:
        unit = row.organization.unit
        by_unit.setdefault(unit.pk, (unit, {}))[1][row.organization.kind] = row
    return kinds, [(unit, [cells.get(k) for k in kinds]) for unit, cells in by_unit.values()]


def named_households(registration: Registration, user) -> dict[int, list[Household]]:
    """Item id -> the households the item names that ``user`` may see, by name: what the
    registration's Excel file lists (two queries)."""
    links = RegistrationItem.households.through.objects.filter(registrationitem__registration=registration)
    visible = access.visible(Household.objects.filter(pk__in=links.values("household_id")), user)
    by_pk = {h.pk: h for h in visible}
    named: dict[int, list[Household]] = {}
    for item_id, household_id in links.order_by("household__name_normalized").values_list(
        "registrationitem_id", "household_id"
    ):
        if household_id in by_pk:
            named.setdefault(item_id, []).append(by_pk[household_id])
    return named
