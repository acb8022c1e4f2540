"""Reads of initiatives, supervision and criticism, exemplary examples and outstanding areas.
Everything goes through organizations.access; counts are SQL aggregates."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from activities.models import (
    ExemplaryExample,
    Initiative,
    InitiativeYear,
    OutstandingArea,
    OutstandingResult,
    Supervision,
    running_in,
)
from core.collation import sort_key
from organizations import access
from organizations.models import Organization, UnitLevel
from programs.models import Program
from programs.selectors import _program_family


def initiatives(
    user, *, field=None, organization_kind=None, commune=None, status=None, year=None, q=None, totals=True
):
    """Initiatives in scope; ``totals=False`` leaves out the sums over the years (a list page
    adds them for its own rows with ``add_totals``, so its count needs no GROUP BY)."""
    qs = access.visible(Initiative.objects.select_related("organization__unit", "field", "area"), user)
    if totals:
        qs = qs.annotate(total_households=Sum("years__households"), total_value=Sum("years__value_vnd"))
    if field:
        qs = qs.filter(field_id=field)
    if organization_kind:
        qs = qs.filter(organization__kind=organization_kind)
    if commune:  # the commune's organizations and their branches at its residential areas
        qs = qs.filter(Q(organization__unit_id=commune) | Q(organization__unit__parent_id=commune))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.running_in(year)
    if q:
        from core.text import normalize

        qs = qs.filter(name_normalized__contains=normalize(q))
    return qs.order_by("organization__unit__name", "organization__kind", "name")


def add_totals(rows: list) -> list:
    """Households reached and value over the years for these initiatives, in one query."""
    sums = {
        r["initiative"]: r
        for r in InitiativeYear.objects.filter(initiative__in=[x.pk for x in rows])
        .values("initiative")
        .annotate(households=Sum("households"), value=Sum("value_vnd"))
        .order_by()
    }
    for x in rows:
        found = sums.get(x.pk, {})
        x.total_households, x.total_value = found.get("households"), found.get("value")
    return rows


def initiative_check(user, program: Program, year: int, communes: list[int] | None = None) -> list[dict]:
    """Rule 4 per commune (of ``communes`` when given): each grassroots organization has at
    least N initiatives running in ``year``."""
    minimum = program.min_initiatives_per_organization
    orgs = with_running_initiatives(
        access.visible(Organization.objects.members(), user)
        .filter(unit__level=UnitLevel.COMMUNE, unit__path__startswith=program.owner_unit.path)
        .filter(**({"unit__in": communes} if communes is not None else {}))
        .select_related("unit")
        .in_program_order(),
        program,
        year,
    )
    communes: dict[int, dict] = {}
    for org in orgs:
        row = communes.setdefault(org.unit_id, {"commune": org.unit, "organizations": [], "missing": 0})
        org.ok = org.running >= minimum
        row["organizations"].append(org)
        row["missing"] += 0 if org.ok else 1
    rows = sorted(communes.values(), key=lambda r: sort_key(r["commune"].name))
    for row in rows:
        row["ok"] = row["missing"] == 0
    return rows


def with_running_initiatives(organizations, program: Program, year: int):
    """Rule 4's count on each organization, as ``running``: its initiatives running in
    ``year`` (activities.models.running_in) in the fields of the program or of its commune
    programs."""
    return organizations.annotate(
        running=Count(
            "initiatives",
            filter=running_in(year, "initiatives__")
            & Q(initiatives__field__program__in=_program_family(program)),
        )
    )


def supervisions(user, *, kind=None, program_area=None, follow_up=None, year=None, today=None):
    qs = access.visible(
        Supervision.objects.select_related("lead_organization__unit").prefetch_related(
            Prefetch("participants", queryset=Organization.objects.order_by("name"))
        ),
        user,
    )
    if kind:
        qs = qs.filter(kind=kind)
    if program_area:
        qs = qs.filter(program_area=program_area)
    if follow_up == "overdue":
        qs = qs.overdue(today)
    elif follow_up:
        qs = qs.filter(follow_up_status=follow_up)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs


def overdue_supervisions(user, today: datetime.date) -> QuerySet:
    return (
        access.visible(Supervision.objects.overdue(today), user)
        .select_related("lead_organization__unit")
        .order_by("follow_up_due")
    )


def examples(user, *, kind=None, organization_kind=None, field=None, year=None, commune=None):
    qs = access.visible(ExemplaryExample.objects.select_related("organization__unit", "field"), user)
    if kind:
        qs = qs.filter(kind=kind)
    if organization_kind:
        qs = qs.filter(organization__kind=organization_kind)
    if field:
        qs = qs.filter(field_id=field)
    if year:
        qs = qs.filter(year=year)
    if commune:
        qs = qs.filter(organization__unit_id=commune)
    return qs


def outstanding_areas(user, *, program=None, year=None, commune=None, result=None):
    qs = access.visible(
        OutstandingArea.objects.select_related(
            "area__parent", "organization", "program", "registration_item"
        ),
        user,
    )
    if program:
        qs = qs.filter(program=program)
    if year:
        qs = qs.filter(year=year)
    if commune:
        qs = qs.filter(area__parent_id=commune)
    if result:
        qs = qs.filter(result=result)
    return qs.order_by("-year", "area__parent__name", "area__name")


def outstanding_check(user, program: Program, year: int, communes: list[int] | None = None) -> list[dict]:
    """Rule 2 per commune (of ``communes`` when given): at least N outstanding residential
    areas registered this year."""
    minimum = program.min_outstanding_areas_per_commune
    in_year = OutstandingArea.objects.filter(program__in=_program_family(program), year=year)
    visible_records = access.visible(in_year, user).values("pk")
    rows = (
        access.visible_units(user)
        .filter(level=UnitLevel.COMMUNE, path__startswith=program.owner_unit.path)
        .filter(**({"pk__in": communes} if communes is not None else {}))
        .annotate(
            registered=Count(
                "children__outstanding_years",
                filter=Q(children__outstanding_years__in=visible_records),
                distinct=True,
            ),
            recognized=Count(
                "children__outstanding_years",
                filter=Q(children__outstanding_years__in=visible_records)
                & Q(children__outstanding_years__result=OutstandingResult.RECOGNIZED),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return [
        {"commune": c, "registered": c.registered, "recognized": c.recognized, "ok": c.registered >= minimum}
        for c in rows
    ]
