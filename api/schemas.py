"""The shapes of the API's answers (its OpenAPI schema is drawn from them).

A list answers ``{"items": [...], "next_cursor": "..." | null}``; an error
``{"code": "...", "message": "..."}``. Dates are ISO 8601 (times with their offset),
money whole VND, kinds and statuses their stable codes (the labels are the pages').

The rows are dicts built by the selectors, so the shapes are plain pydantic models: ninja's
``Schema`` would wrap every nested object to read Django attributes, a third of a
household page's time."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, create_model


class Error(BaseModel):
    code: str
    message: str
    fields: list[str] | None = None


class Unit(BaseModel):
    id: int
    name: str
    level: str
    kind: str
    official_code: int | None
    parent_id: int | None
    # The ids of the unit's ancestors and its own, from the root down: the tree in one field.
    path_ids: list[int]
    is_active: bool
    retired_at: datetime.datetime | None


class Organization(BaseModel):
    id: int
    name: str
    kind: str
    unit_id: int


class Indicator(BaseModel):
    code: str
    group: str
    group_name: str
    name: str
    definition: str
    unit: str
    adds: str


class YearValue(BaseModel):
    year: int
    value: int


class IndicatorValues(BaseModel):
    code: str
    by_year: list[YearValue]
    # The period's value as the indicator adds up: a flow's sum, a stock's last year.
    over_years: int


class IndicatorTable(BaseModel):
    unit_id: int | None
    kind: str
    program_id: int | None
    years: list[int]
    indicators: list[IndicatorValues]


class CommuneFigures(BaseModel):
    commune_id: int
    name: str
    poor: int
    gap: int
    initiatives_running: int


class CommuneTable(BaseModel):
    year: int
    kind: str
    communes: list[CommuneFigures]


class ProgramContent(BaseModel):
    id: int
    kind: str
    order: int
    title: str


class Program(BaseModel):
    id: int
    title: str
    number: str
    signed_on: datetime.date | None
    owner_unit_id: int
    parent_id: int | None
    start_year: int
    end_year: int
    contents: list[ProgramContent]


class Period(BaseModel):
    id: int
    program_id: int
    year: int
    opens_on: datetime.date
    registration_deadline: datetime.date
    results_deadline: datetime.date
    closed_at: datetime.datetime | None


class RegistrationItem(BaseModel):
    id: int
    order: int
    kind: str
    description: str
    target_quantity: int | None
    target_unit: str
    content_id: int | None
    initiative_field_id: int | None
    initiative_name: str
    area_id: int | None
    households_pledged: int | None
    amount: int | None
    result: str
    achieved_quantity: int | None
    achieved_amount: int | None
    result_note: str


class RegistrationEvent(BaseModel):
    at: datetime.datetime
    action: str
    from_status: str
    to_status: str
    reason: str


class Registration(BaseModel):
    id: int
    period_id: int
    program_id: int
    year: int
    organization_id: int
    organization_kind: str
    unit_id: int
    status: str
    submitted_at: datetime.datetime | None
    first_submitted_at: datetime.datetime | None
    is_late: bool
    accepted_at: datetime.datetime | None
    results_status: str
    results_submitted_at: datetime.datetime | None
    results_is_late: bool
    updated_at: datetime.datetime
    items: list[RegistrationItem]
    history: list[RegistrationEvent]


class HouseholdStatus(BaseModel):
    year: int
    status: str
    standard: str | None


class Household(BaseModel):
    id: int
    area_id: int
    commune_id: int | None
    # Without the personal-data permission: the head's initials, no year of birth, address,
    # phone, ethnicity or ID number.
    head_name: str
    gender: str
    birth_year: int | None
    ethnicity: str | None
    members: int
    address: str
    phone: str
    national_id: str
    member_kinds: list[str]
    is_policy: bool
    policy_kind: str
    updated_at: datetime.datetime
    statuses: list[HouseholdStatus]


class Sponsorship(BaseModel):
    id: int
    household_id: int
    area_id: int
    year: int
    organization_id: int | None
    organization_kind: str | None
    sponsor_name: str
    sponsor_type: str
    created_at: datetime.datetime


class FundEntry(BaseModel):
    id: int
    unit_id: int
    kind: str
    date: datetime.date
    amount: int
    # Reversals count with the opposite sign: the entry's effect on the balance.
    signed_amount: int
    number: str
    donor: str
    donor_type: str
    household_id: int | None
    purpose: str
    confirmed: bool
    reverses_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime | None


class Initiative(BaseModel):
    id: int
    name: str
    organization_id: int
    organization_kind: str
    unit_id: int
    field_id: int
    area_id: int | None
    start_year: int
    status: str
    status_changed_on: datetime.date | None
    stopped_on: datetime.date | None


class Example(BaseModel):
    id: int
    kind: str
    name: str
    organization_id: int
    organization_kind: str
    field_id: int
    year: int
    recognition_level: str
    decision_number: str
    publicised_in: str
    publicised_on: datetime.date | None


class OutstandingArea(BaseModel):
    id: int
    program_id: int
    area_id: int
    year: int
    organization_id: int
    organization_kind: str
    result: str
    decision_number: str


class Supervision(BaseModel):
    id: int
    kind: str
    topic: str
    program_area: str
    subject: str
    held_on: datetime.date
    lead_organization_id: int
    lead_organization_kind: str
    follow_up_status: str
    follow_up_due: datetime.date | None


def page_of(item: type[BaseModel]) -> type[BaseModel]:
    """The list answer of ``item``: a page of them and the cursor of the next page (null
    on the last page)."""
    return create_model(
        f"{item.__name__}Page", __base__=BaseModel, items=(list[item], ...), next_cursor=(str | None, ...)
    )
