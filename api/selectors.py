"""The API's reads: what a token's service account sees of each resource, filtered, and
each record as the API shows it.

Every queryset starts from ``organizations.access.visible(qs, user)``, as the pages do;
an id outside it answers 404. Figures come from the indicator catalogue
(``reports.indicators``), the functions the dashboard and the reports call, so the API's
figures are the pages'. No other app has a selector for these plain lists (the pages'
lists carry their own filters and sorting), so they are written here."""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from activities.models import (
    ExampleKind,
    ExemplaryExample,
    FollowUpStatus,
    Initiative,
    InitiativeStatus,
    OutstandingArea,
    OutstandingResult,
    Supervision,
    running_in,
)
from core.ids import read_id
from households.models import (
    DonorType,
    EntryKind,
    FundEntry,
    Household,
    HouseholdStatus,
    Sponsorship,
    Status,
    mask_id,
)
from organizations import access
from organizations.models import Organization, OrgKind, Unit, UnitLevel
from programs.models import Program, ProgramContent
from registrations.models import (
    Registration,
    RegistrationEvent,
    RegistrationItem,
    RegistrationPeriod,
    RegistrationStatus,
    ResultsStatus,
)
from reports import indicators
from reports import selectors as report_selectors

from .errors import ApiError, bad_parameter, not_found

# ---------------------------------------------------------------- finding and filtering


def get_visible(user, qs_or_model, pk) -> object:
    """The record ``pk`` the user sees, else 404 (an id no column can hold included)."""
    qs = qs_or_model if isinstance(qs_or_model, QuerySet) else qs_or_model._default_manager.all()
    number = read_id(pk, qs.model)
    found = access.visible(qs, user).filter(pk=number).first() if number is not None else None
    if found is None:
        raise not_found()
    return found


def unit_of_filter(user, unit_id: int | None) -> Unit | None:
    return None if unit_id is None else get_visible(user, Unit, unit_id)


def within(user, qs: QuerySet, unit_id: int | None, unit_field: str) -> QuerySet:
    """``qs`` narrowed to the subtree of the unit ``unit_id`` (404 outside the scope)."""
    unit = unit_of_filter(user, unit_id)
    return qs if unit is None else qs.filter(unit.subtree_q(unit_field))


def of_kind(qs: QuerySet, kind: str | None, kind_field: str) -> QuerySet:
    if kind is None:
        return qs
    if kind not in OrgKind.values:
        raise bad_parameter("kind")
    return qs.filter(**{kind_field: kind})


def of_status(qs: QuerySet, status: str | None, field: str, choices, name: str = "status") -> QuerySet:
    """``qs`` narrowed to one value of a choice field; 400 for a value not among its codes."""
    if status is None:
        return qs
    if status not in choices.values:
        raise bad_parameter(name)
    return qs.filter(**{field: status})


def aware(moment: datetime.datetime) -> datetime.datetime:
    """A time without an offset is the portal's local time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# ---------------------------------------------------------------- masking


def initials(name: str) -> str:
    """ "Nguyễn Văn An" → "N. V. A.": enough to tell households apart in a list, not to
    name a person."""
    return " ".join(f"{word[0].upper()}." for word in name.replace("'", " ").split() if word[0].isalnum())


# ---------------------------------------------------------------- units and organizations


def units(user, *, unit: int | None, level: str | None) -> QuerySet:
    qs = within(user, access.visible(Unit.objects.all(), user), unit, "")
    if level is not None:
        if level not in UnitLevel.values:
            raise bad_parameter("level")
        qs = qs.filter(level=level)
    return qs


def unit_row(u: Unit) -> dict:
    return {
        "id": u.pk,
        "name": u.name,
        "level": u.level,
        "kind": u.kind,
        "official_code": u.official_code,
        "parent_id": u.parent_id,
        "path_ids": u.ancestor_ids(),
        "is_active": u.is_active,
        "retired_at": u.retired_at,
    }


def organizations(user, *, unit: int | None, kind: str | None) -> QuerySet:
    qs = within(user, access.visible(Organization.objects.all(), user), unit, "unit")
    return of_kind(qs, kind, "kind")


def organization_row(o: Organization) -> dict:
    return {"id": o.pk, "name": o.name, "kind": o.kind, "unit_id": o.unit_id}


# ---------------------------------------------------------------- programs and registrations


def programs(user, *, unit: int | None, year: int | None) -> QuerySet:
    qs = access.visible(Program.objects.all(), user)
    qs = within(user, qs, unit, "owner_unit")
    if year is not None:
        qs = qs.active_in(year)
    return qs.prefetch_related(Prefetch("contents", ProgramContent.objects.order_by("kind", "order")))


def program_row(p: Program) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "number": p.number,
        "signed_on": p.signed_on,
        "owner_unit_id": p.owner_unit_id,
        "parent_id": p.parent_id,
        "start_year": p.start_year,
        "end_year": p.end_year,
        "contents": [
            {"id": c.pk, "kind": c.kind, "order": c.order, "title": c.title} for c in p.contents.all()
        ],
    }


def periods(user, *, program: int | None, year: int | None) -> QuerySet:
    qs = access.visible(RegistrationPeriod.objects.all(), user)
    if program is not None:
        qs = qs.filter(program=get_visible(user, Program, program))
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def period_row(p: RegistrationPeriod) -> dict:
    return {
        "id": p.pk,
        "program_id": p.program_id,
        "year": p.year,
        "opens_on": p.opens_on,
        "registration_deadline": p.registration_deadline,
        "results_deadline": p.results_deadline,
        "closed_at": p.closed_at,
    }


def registrations(
    user,
    *,
    unit: int | None = None,
    kind: str | None = None,
    year: int | None = None,
    status: str | None = None,
    results_status: str | None = None,
    period: int | None = None,
    changed_since: datetime.datetime | None = None,
) -> QuerySet:
    qs = access.visible(Registration.objects.all(), user)
    qs = of_kind(within(user, qs, unit, "organization__unit"), kind, "organization__kind")
    qs = of_status(qs, status, "status", RegistrationStatus)
    qs = of_status(qs, results_status, "results_status", ResultsStatus, "results_status")
    if year is not None:
        qs = qs.filter(period__year=year)
    if period is not None:
        qs = qs.filter(period=get_visible(user, RegistrationPeriod, period))
    if changed_since is not None:
        qs = qs.filter(updated_at__gte=aware(changed_since))
    return qs.annotate(
        year=F("period__year"),
        program_id=F("period__program_id"),
        organization_kind=F("organization__kind"),
        unit_id=F("organization__unit_id"),
    ).prefetch_related(
        Prefetch("items", RegistrationItem.objects.order_by("order", "pk")),
        Prefetch("events", RegistrationEvent.objects.order_by("at", "pk")),
    )


ITEM_FIELDS = [
    "order",
    "kind",
    "description",
    "target_quantity",
    "target_unit",
    "content_id",
    "initiative_field_id",
    "initiative_name",
    "area_id",
    "households_pledged",
    "amount",
    "result",
    "achieved_quantity",
    "achieved_amount",
    "result_note",
]


def registration_row(r: Registration) -> dict:
    return {
        "id": r.pk,
        "period_id": r.period_id,
        "program_id": r.program_id,
        "year": r.year,
        "organization_id": r.organization_id,
        "organization_kind": r.organization_kind,
        "unit_id": r.unit_id,
        "status": r.status,
        "submitted_at": r.submitted_at,
        "first_submitted_at": r.first_submitted_at,
        "is_late": r.is_late,
        "accepted_at": r.accepted_at,
        "results_status": r.results_status,
        "results_submitted_at": r.results_submitted_at,
        "results_is_late": r.results_is_late,
        "updated_at": r.updated_at,
        "items": [{"id": i.pk, **{f: getattr(i, f) for f in ITEM_FIELDS}} for i in r.items.all()],
        "history": [
            {
                "at": e.at,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
            }
            for e in r.events.all()
        ],
    }


# ---------------------------------------------------------------- households


def households(
    user,
    *,
    unit: int | None = None,
    year: int | None = None,
    status: str | None = None,
    changed_since: datetime.datetime | None = None,
) -> QuerySet:
    qs = within(user, access.visible(Household.objects.all(), user), unit, "area")
    if status is not None and year is None:
        raise ApiError(400, "status_needs_year", ["status", "year"])
    if year is not None:
        reviewed = HouseholdStatus.objects.filter(household=OuterRef("pk"), year=year)
        if status is not None:
            if status not in Status.values:
                raise bad_parameter("status")
            reviewed = reviewed.filter(status=status)
        qs = qs.filter(Exists(reviewed))
    if changed_since is not None:
        since = aware(changed_since)
        # A household changes with its record and with its yearly statuses.
        status_changed = HouseholdStatus.objects.filter(household=OuterRef("pk"), recorded_at__gte=since)
        qs = qs.filter(Q(updated_at__gte=since) | Exists(status_changed))
    return qs.annotate(commune_id=F("area__parent_id")).select_related("ethnicity")


def attach_statuses(households: list[Household]) -> None:
    """Each household's yearly statuses as ``yearly_statuses``, for a page in one query of
    plain tuples: building a model per status (five a household) was half a page's time."""
    by_household = {h.pk: [] for h in households}
    rows = (
        HouseholdStatus.objects.filter(household_id__in=by_household)
        .order_by("household_id", "year")
        .values_list("household_id", "year", "status", "standard__code")
    )
    for household_id, year, status, standard in rows:
        by_household[household_id].append({"year": year, "status": status, "standard": standard})
    for h in households:
        h.yearly_statuses = by_household[h.pk]


def household_row(h: Household, *, personal: bool, detail: bool = False) -> dict:
    """A household; without ``personal`` its identity is masked. With it, the ID number is
    masked in lists and whole on one household, as on the pages."""
    row = {
        "id": h.pk,
        "area_id": h.area_id,
        "commune_id": h.commune_id,
        "head_name": h.head_name if personal else initials(h.head_name),
        "gender": h.gender,
        "birth_year": h.birth_year if personal else None,
        "ethnicity": (h.ethnicity.name if h.ethnicity else None) if personal else None,
        "members": h.members,
        "address": h.address if personal else "",
        "phone": h.phone if personal else "",
        "national_id": (h.national_id if detail else mask_id(h.national_id)) if personal else "",
        "member_kinds": list(h.member_kinds or []),
        "is_policy": h.is_policy,
        "policy_kind": h.policy_kind,
        "updated_at": h.updated_at,
        "statuses": h.yearly_statuses,
    }
    return row


def sponsorships(
    user,
    *,
    unit: int | None = None,
    kind: str | None = None,
    year: int | None = None,
    changed_since: datetime.datetime | None = None,
) -> QuerySet:
    qs = within(user, access.visible(Sponsorship.objects.all(), user), unit, "household__area")
    qs = of_kind(qs, kind, "organization__kind")
    if year is not None:
        qs = qs.filter(year=year)
    if changed_since is not None:
        # Sponsorships are recorded, never edited: their creation is their change.
        qs = qs.filter(created_at__gte=aware(changed_since))
    return qs.annotate(area_id=F("household__area_id"), organization_kind=F("organization__kind"))


def sponsorship_row(s: Sponsorship, *, personal: bool) -> dict:
    return {
        "id": s.pk,
        "household_id": s.household_id,
        "area_id": s.area_id,
        "year": s.year,
        "organization_id": s.organization_id,
        "organization_kind": s.organization_kind,
        # Another sponsor may be a person: named only to tokens with personal data.
        "sponsor_name": s.sponsor_name if personal or s.sponsor_type != DonorType.INDIVIDUAL else "",
        "sponsor_type": s.sponsor_type,
        "created_at": s.created_at,
    }


def fund_entries(
    user,
    *,
    unit: int | None = None,
    year: int | None = None,
    entry_kind: str | None = None,
    changed_since: datetime.datetime | None = None,
) -> QuerySet:
    qs = within(user, access.visible(FundEntry.objects.all(), user), unit, "unit")
    qs = of_status(qs, entry_kind, "kind", EntryKind, "entry_kind")
    if year is not None:
        qs = qs.filter(date__year=year)
    if changed_since is not None:
        since = aware(changed_since)
        # An entry is written once; its one change is being reversed (updated_at).
        qs = qs.filter(Q(created_at__gte=since) | Q(updated_at__gte=since))
    return qs


def fund_entry_row(e: FundEntry, *, personal: bool) -> dict:
    return {
        "id": e.pk,
        "unit_id": e.unit_id,
        "kind": e.kind,
        "date": e.date,
        "amount": e.amount,
        "signed_amount": e.signed_amount,
        "number": e.number,
        # A donor who is a person is named only to tokens with personal data.
        "donor": e.donor if personal or e.donor_type != DonorType.INDIVIDUAL else "",
        "donor_type": e.donor_type,
        "household_id": e.household_id,
        "purpose": e.purpose,
        "confirmed": e.confirmed,
        "reverses_id": e.reverses_id,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    }


# ---------------------------------------------------------------- activities


def initiatives(
    user,
    *,
    unit: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    year: int | None = None,
) -> QuerySet:
    qs = within(user, access.visible(Initiative.objects.all(), user), unit, "organization__unit")
    qs = of_status(of_kind(qs, kind, "organization__kind"), status, "status", InitiativeStatus)
    if year is not None:
        qs = qs.filter(running_in(year))
    return qs.annotate(organization_kind=F("organization__kind"), unit_id=F("organization__unit_id"))


def initiative_row(i: Initiative) -> dict:
    return {
        "id": i.pk,
        "name": i.name,
        "organization_id": i.organization_id,
        "organization_kind": i.organization_kind,
        "unit_id": i.unit_id,
        "field_id": i.field_id,
        "area_id": i.area_id,
        "start_year": i.start_year,
        "status": i.status,
        "status_changed_on": i.status_changed_on,
        "stopped_on": i.stopped_on,
    }


def examples(user, *, unit: int | None = None, kind: str | None = None, year: int | None = None) -> QuerySet:
    qs = within(user, access.visible(ExemplaryExample.objects.all(), user), unit, "organization__unit")
    qs = of_kind(qs, kind, "organization__kind")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.annotate(organization_kind=F("organization__kind"))


def example_row(e: ExemplaryExample, *, personal: bool) -> dict:
    names_a_person = e.kind in (ExampleKind.PERSON, ExampleKind.HOUSEHOLD)
    return {
        "id": e.pk,
        "kind": e.kind,
        "name": e.name if personal or not names_a_person else initials(e.name),
        "organization_id": e.organization_id,
        "organization_kind": e.organization_kind,
        "field_id": e.field_id,
        "year": e.year,
        "recognition_level": e.recognition_level,
        "decision_number": e.decision_number,
        "publicised_in": e.publicised_in,
        "publicised_on": e.publicised_on,
    }


def outstanding_areas(
    user,
    *,
    unit: int | None = None,
    kind: str | None = None,
    year: int | None = None,
    status: str | None = None,
) -> QuerySet:
    qs = within(user, access.visible(OutstandingArea.objects.all(), user), unit, "area")
    qs = of_status(of_kind(qs, kind, "organization__kind"), status, "result", OutstandingResult)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.annotate(organization_kind=F("organization__kind"))


def outstanding_row(o: OutstandingArea) -> dict:
    return {
        "id": o.pk,
        "program_id": o.program_id,
        "area_id": o.area_id,
        "year": o.year,
        "organization_id": o.organization_id,
        "organization_kind": o.organization_kind,
        "result": o.result,
        "decision_number": o.decision_number,
    }


def supervisions(
    user,
    *,
    unit: int | None = None,
    kind: str | None = None,
    year: int | None = None,
    status: str | None = None,
) -> QuerySet:
    qs = within(user, access.visible(Supervision.objects.all(), user), unit, "lead_organization__unit")
    qs = of_status(of_kind(qs, kind, "lead_organization__kind"), status, "follow_up_status", FollowUpStatus)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    return qs.annotate(lead_organization_kind=F("lead_organization__kind"))


def supervision_row(s: Supervision) -> dict:
    return {
        "id": s.pk,
        "kind": s.kind,
        "topic": s.topic,
        "program_area": s.program_area,
        "subject": s.subject,
        "held_on": s.held_on,
        "lead_organization_id": s.lead_organization_id,
        "lead_organization_kind": s.lead_organization_kind,
        "follow_up_status": s.follow_up_status,
        "follow_up_due": s.follow_up_due,
    }


# ---------------------------------------------------------------- the indicator catalogue

MAX_YEARS = 20


def indicator_row(indicator: indicators.Indicator) -> dict:
    return {
        "code": indicator.code,
        "group": indicator.group,
        "group_name": str(indicators.GROUPS[indicator.group]),
        "name": str(indicator.name),
        "definition": str(indicator.definition),
        "unit": str(indicator.unit),
        "adds": str(indicator.adds),
    }


def indicator(code: str) -> indicators.Indicator:
    found = indicators.INDICATORS.get(code)
    if found is None:
        raise ApiError(404, "unknown_indicator")
    return found


def _program(user, program: int | None):
    """The program the registration figures are about: the one asked for, else the one the
    dashboard shows by default."""
    return report_selectors.default_program(user) if program is None else get_visible(user, Program, program)


def _years(user, program, year: int | None, year_from: int | None) -> list[int]:
    last = year if year is not None else report_selectors.default_year(program, user)
    first = year_from if year_from is not None else last
    if first > last:
        raise bad_parameter("year_from", "year")
    if last - first + 1 > MAX_YEARS:
        raise ApiError(400, "too_many_years", ["year_from", "year"], count=MAX_YEARS)
    return list(range(first, last + 1))


def indicator_values(
    user,
    *,
    codes: str | None = None,
    unit: int | None = None,
    kind: str | None = None,
    program: int | None = None,
    year: int | None = None,
    year_from: int | None = None,
) -> dict:
    """The indicators ``codes`` (comma-separated; all when empty) over the unit's subtree
    (the token's scope when none), for an organization kind and a program, in each year
    from ``year_from`` to ``year``: the figures the dashboard and the reports compute
    (``reports.indicators.values``) for the same filters."""
    wanted = [c for c in (codes or "").split(",") if c.strip()] or list(indicators.INDICATORS)
    wanted = [c.strip() for c in wanted]
    unknown = [c for c in wanted if c not in indicators.INDICATORS]
    if unknown:
        raise bad_parameter("codes")
    if kind is not None and kind not in OrgKind.values:
        raise bad_parameter("kind")
    chosen = _program(user, program)
    years = _years(user, chosen, year, year_from)
    where = indicators.Where(user, chosen, unit_of_filter(user, unit), kind or "")
    found = indicators.values(where, years, wanted)
    return {
        "unit_id": unit,
        "kind": kind or "",
        "program_id": chosen.pk if chosen else None,
        "years": years,
        "indicators": [
            {
                "code": code,
                "by_year": [{"year": y, "value": found[code][y]} for y in years],
                "over_years": indicators.INDICATORS[code].over_years(found[code], years),
            }
            for code in wanted
        ],
    }


def indicators_by_commune(
    user, *, year: int | None = None, unit: int | None = None, kind: str | None = None
) -> dict:
    """The dashboard's figures per commune (poor households, the gap, models running) of the
    communes the token sees in the unit's subtree: ``reports.indicators.by_commune``."""
    if kind is not None and kind not in OrgKind.values:
        raise bad_parameter("kind")
    if year is None:
        year = report_selectors.default_year(report_selectors.default_program(user), user)
    communes = access.visible_units(user).filter(level=UnitLevel.COMMUNE)
    chosen = unit_of_filter(user, unit)
    if chosen is not None:
        communes = communes.filter(path__startswith=chosen.path)
    rows = list(communes.order_by("name", "pk").values_list("pk", "name"))
    found = indicators.by_commune(indicators.Where(user, kind=kind or ""), year, [pk for pk, _name in rows])
    return {
        "year": year,
        "kind": kind or "",
        "communes": [
            {"commune_id": pk, "name": name, **{code: found[pk][code] for code in indicators.BY_COMMUNE}}
            for pk, name in rows
        ],
    }
