"""Benchmark data for programs, registrations and initiatives (see seed_bench).

A program owned by the root unit's Front (the province at province scale) with the demo
program's contents, model fields, assignments and parties; a registration period for each
of its five years with a registration of about ten items for every expected organization,
in the mixed states of a real year (closed years reviewed, the last two in progress);
the initiatives and outstanding areas the accepted registrations created, linked to their
items, and further initiatives of the commune organizations recorded by hand. Everything
is written in bulk.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import F
from django.utils import timezone

from activities.models import Initiative, InitiativeStatus, OutstandingArea, OutstandingResult
from bench.bulk import insert, reserve_ids
from core.text import normalize
from devdata.demo.registrations import (
    ASSIGNMENTS,
    CAMPAIGN,
    COMMUNICATION,
    CONTENT_WORK,
    IMPLEMENTATION,
    LEGAL_BASES,
    PURPOSE,
    REQUIREMENTS,
    SUPERVISION,
    add_contents_and_assignments,
)
from organizations.models import Organization, OrgKind, Unit, UnitLevel
from programs.models import Campaign, ContentKind, Program, ProgramParty
from registrations import tallies
from registrations.models import (
    InitiativeNovelty,
    ItemKind,
    ItemResult,
    Registration,
    RegistrationAction,
    RegistrationEvent,
    RegistrationItem,
    RegistrationPeriod,
    RegistrationStatus,
    ResultsStatus,
)
from registrations.services import ITEM_FIELDS, RESULT_FIELDS, expected_organizations

YEARS = range(2017, 2022)
CLOSED_YEARS = (2017, 2018, 2019)
# Initiatives at each scale (20,000 at province scale).
INITIATIVES = {"tiny": 40, "district": 1_000, "province": 20_000}
# The bench program lets an organization take on up to 5 households per area and year, so
# that about 100,000 sponsorships a year fit the rule at province scale.
HOUSEHOLD_RANGE = (1, 5)


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))


def _program(root: Unit) -> Program:
    campaign, _created = Campaign.objects.get_or_create(
        name=CAMPAIGN, defaults={"launched_by": "Ủy ban Trung ương MTTQ Việt Nam"}
    )
    program = Program.objects.create(
        campaign=campaign,
        owner_unit=root,
        number="01/CTPH-MTTQ-TCCTXH",
        signed_on=datetime.date(2017, 3, 2),
        title=f'Chương trình phối hợp triển khai thực hiện Cuộc vận động "{CAMPAIGN}"',
        legal_bases=LEGAL_BASES,
        purpose=PURPOSE,
        requirements=REQUIREMENTS,
        implementation=IMPLEMENTATION,
        start_year=YEARS[0],
        end_year=YEARS[-1],
        min_households_per_branch=HOUSEHOLD_RANGE[0],
        max_households_per_branch=HOUSEHOLD_RANGE[1],
    )
    add_contents_and_assignments(program)
    ProgramParty.objects.bulk_create(
        [
            ProgramParty(program=program, organization=org, order=i)
            for i, org in enumerate(Organization.objects.filter(unit=root).order_by("kind"))
        ]
    )
    return program


def _state(year: int, roll: float) -> tuple[str, str]:
    """(registration status, results status) of a registration in ``year``."""
    if roll > 0.95:
        return RegistrationStatus.DRAFT, ResultsStatus.DRAFT  # never submitted
    if year in CLOSED_YEARS:
        return RegistrationStatus.ACCEPTED, ResultsStatus.CONFIRMED
    if year == YEARS[-2]:
        results = [
            ResultsStatus.DRAFT,
            ResultsStatus.SUBMITTED,
            ResultsStatus.RETURNED,
            ResultsStatus.CONFIRMED,
        ]
        return RegistrationStatus.ACCEPTED, results[int(roll * 4 / 0.95) % 4]
    statuses = [
        RegistrationStatus.DRAFT,
        RegistrationStatus.SUBMITTED,
        RegistrationStatus.RETURNED,
        RegistrationStatus.ACCEPTED,
    ]
    return statuses[int(roll * 4 / 0.95) % 4], ResultsStatus.DRAFT


def _items(rng, org, areas, contents, fields, with_results: bool) -> list[tuple]:
    """About ten items: (kind, description, quantity, unit, content, field, name, novelty, area,
    households, amount, initiative (none: the accepted items are linked later), result,
    achieved quantity, achieved amount, result note)."""
    rows = []
    for content in rng.sample(contents, 2):
        rows.append(
            (ItemKind.CONTENT, CONTENT_WORK[content.order - 1], rng.choice([2, 4, 6]), "buổi", content.pk)
            + (None, "", "", None, None, None)
        )
    if org.kind != OrgKind.FRONT:
        field = rng.choice(fields)
        rows.append(
            (ItemKind.INITIATIVE, "Duy trì và nhân rộng mô hình", 1, "mô hình", None, field.pk)
            + (f"Mô hình {field.title.lower()}", rng.choice(list(InitiativeNovelty.values)), None, None, None)
        )
    if areas:
        rows.append(
            (ItemKind.OUTSTANDING_AREA, "Xây dựng khu dân cư kiểu mẫu", None, "", None, None, "", "")
            + (rng.choice(areas).pk, None, None)
        )
        for area in rng.sample(areas, min(3, len(areas))):
            rows.append(
                (ItemKind.SPONSORSHIP_PLEDGE, f"Nhận giúp đỡ hộ nghèo tại {area.name}", None, "", None, None)
                + ("", "", area.pk, rng.randint(*HOUSEHOLD_RANGE), None)
            )
    rows.append(
        (
            ItemKind.FUND_TARGET,
            'Vận động ủng hộ Quỹ "Vì người nghèo"',
            None,
            "",
            None,
            None,
            "",
            "",
            None,
            None,
        )
        + (rng.choice([5, 10, 15, 20]) * 1_000_000,)
    )
    rows.append((ItemKind.COMMUNICATION, COMMUNICATION, 12, "tin, bài", None, None, "", "", None, None, None))
    rows.append((ItemKind.SUPERVISION, SUPERVISION, 1, "cuộc", None, None, "", "", None, None, None))
    rows.append(
        (ItemKind.OTHER, "Tham gia ngày hội đại đoàn kết", 1, "lần", None, None, "", "", None, None, None)
    )
    result = []
    for row in rows:
        outcome, achieved, achieved_amount, note = "", None, None, ""
        if with_results:
            roll = rng.random()
            outcome = (
                ItemResult.NOT_ACHIEVED
                if roll < 0.1
                else ItemResult.PARTLY
                if roll < 0.2
                else ItemResult.ACHIEVED
            )
            share = {ItemResult.ACHIEVED: 1, ItemResult.PARTLY: 0.5, ItemResult.NOT_ACHIEVED: 0}[outcome]
            if row[10] is not None:
                achieved_amount = int(row[10] * share)
            elif row[2] is not None:
                achieved = int(row[2] * share)
            note = "Hoàn thành theo kế hoạch" if outcome == ItemResult.ACHIEVED else "Chưa hoàn thành"
        result.append((*row, None, outcome, achieved, achieved_amount, note))
    return result


# The service's fields of an item and of its result, after the registration and the order.
ITEM_COLUMNS = ["registration", "order", *ITEM_FIELDS, *RESULT_FIELDS]
REGISTRATION_FIELDS = [
    "id",
    "period",
    "organization",
    "status",
    "first_submitted_at",
    "submitted_at",
    "is_late",
    "return_reason",
    "accepted_at",
    "results_status",
    "results_submitted_at",
    "results_is_late",
    "results_return_reason",
    "version",
    "updated_at",
]


EVENT_FIELDS = [
    "registration",
    "at",
    "by",
    "action",
    "from_status",
    "to_status",
    "reason",
    "summary",
    "snapshot",
]


def _events(row: tuple, opened: datetime.datetime, reviewer_id: int) -> list[tuple]:
    """The history (EVENT_FIELDS) a registration (a row of REGISTRATION_FIELDS) went through
    to reach its state, as the services write it: submissions by no one in particular,
    reviews by the benchmark's Front."""
    r = dict(zip(REGISTRATION_FIELDS, row, strict=True))
    pk, status, results = r["id"], r["status"], r["results_status"]
    draft, sent, actions = RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED, RegistrationAction
    events = [(pk, opened, None, actions.CREATED, "", draft, "")]
    if r["submitted_at"] is not None:
        events.append((pk, r["submitted_at"], None, actions.SUBMITTED, draft, sent, ""))
        reviewed = r["submitted_at"] + datetime.timedelta(days=5)
        if status == RegistrationStatus.RETURNED:
            events.append((pk, reviewed, reviewer_id, actions.RETURNED, sent, status, r["return_reason"]))
        elif status == RegistrationStatus.ACCEPTED:
            events.append((pk, r["accepted_at"], reviewer_id, actions.ACCEPTED, sent, status, ""))
    if results != ResultsStatus.DRAFT:
        events.append((pk, r["results_submitted_at"], None, actions.RESULTS_SUBMITTED, status, status, ""))
        checked = r["results_submitted_at"] + datetime.timedelta(days=3)
        if results == ResultsStatus.RETURNED:
            reason = r["results_return_reason"]
            events.append((pk, checked, reviewer_id, actions.RESULTS_RETURNED, status, status, reason))
        elif results == ResultsStatus.CONFIRMED:
            events.append((pk, checked, reviewer_id, actions.RESULTS_CONFIRMED, status, status, ""))
    return [(*event, "", []) for event in events]  # no summary or snapshot of the items


def _registrations(program: Program, reviewer, editable_org: int | None = None) -> None:
    """``editable_org``: its last year's form is returned, so the load test can edit it."""
    contents = list(program.contents.filter(kind=ContentKind.CONTENT))
    fields = list(program.contents.filter(kind=ContentKind.MODEL_FIELD))
    orgs = list(expected_organizations(program).select_related("unit"))
    areas_by_unit: dict[int, list[Unit]] = {}
    for area in Unit.objects.filter(parent__in={o.unit_id for o in orgs}, level=UnitLevel.AREA).order_by(
        "pk"
    ):
        areas_by_unit.setdefault(area.parent_id, []).append(area)
    rng = random.Random(7)
    for year in YEARS:
        deadline = datetime.date(year, 3, 31)
        period = RegistrationPeriod.objects.create(
            program=program,
            year=year,
            opens_on=datetime.date(year, 1, 15),
            registration_deadline=deadline,
            results_deadline=datetime.date(year, 12, 15),
            closed_at=_at(year + 1, 1, 20) if year in CLOSED_YEARS else None,
            closed_by=reviewer if year in CLOSED_YEARS else None,
        )
        period_opened = _at(year, 1, 15)
        ids = reserve_ids(Registration, len(orgs))
        registrations, items = [], []
        for pk, org in zip(ids, orgs, strict=True):
            status, results = _state(year, rng.random())
            if year == YEARS[-1] and org.pk == editable_org:
                status, results = RegistrationStatus.RETURNED, ResultsStatus.DRAFT
            submitted = accepted = results_at = None
            late = results_late = False
            if status != RegistrationStatus.DRAFT or rng.random() < 0.5:
                submitted = _at(year, rng.choice([2, 3, 3, 3, 4]), rng.randint(1, 28))
                late = submitted.date() > deadline
            if status == RegistrationStatus.DRAFT:
                submitted, late = None, False
            if status == RegistrationStatus.ACCEPTED:
                accepted = submitted + datetime.timedelta(days=7)
            if results != ResultsStatus.DRAFT:
                results_at = _at(year, 12, rng.randint(1, 20))
                results_late = results_at.date() > period.results_deadline
            registrations.append(
                (pk, period.pk, org.pk, status, submitted, submitted, late)
                + (
                    "Đề nghị bổ sung chỉ tiêu cụ thể." if status == RegistrationStatus.RETURNED else "",
                    accepted,
                    results,
                    results_at,
                    results_late,
                    "Đề nghị gửi kèm minh chứng." if results == ResultsStatus.RETURNED else "",
                    1,
                    submitted or _at(year, 1, 15),
                )
            )
            if submitted is None and rng.random() < 0.5:
                continue  # an empty draft: still missing
            with_results = results != ResultsStatus.DRAFT
            for order, row in enumerate(
                _items(rng, org, areas_by_unit.get(org.unit_id, []), contents, fields, with_results), start=1
            ):
                items.append((pk, order, *row, ""))
        insert(Registration, REGISTRATION_FIELDS, registrations)
        insert(RegistrationItem, ITEM_COLUMNS, items)
        insert(
            RegistrationEvent,
            EVENT_FIELDS,
            (event for row in registrations for event in _events(row, period_opened, reviewer.pk)),
        )


INITIATIVE_FIELDS = [
    "organization",
    "field",
    "area",
    "name",
    "name_normalized",
    "start_year",
    "status",
    "status_changed_on",
    "stopped_on",
    "description",
]
OUTSTANDING_AREA_FIELDS = ["program", "area", "year", "organization", "result", "decision_number", "note"]


def _write_records(model, fields: list[str], creating: list[tuple[dict, tuple]], values) -> dict:
    """Write the ``model`` records that accepted items create, one per (item, key) of
    ``creating``: ``values(n, item, key)`` gives its ``fields`` (``n``: its place in
    ``creating``). Returns the new ids by key."""
    ids = dict(zip([key for _item, key in creating], reserve_ids(model, len(creating)), strict=True))
    insert(
        model,
        ["id", *fields],
        [(ids[key], *values(n, item, key)) for n, (item, key) in enumerate(creating)],
    )
    return ids


def _records_from_registrations(program: Program) -> None:
    """What accepting the registrations creates (registrations.services.records_from_accepted_
    registration), in bulk: one initiative per organization and name from the first accepted
    "new" item naming it, later items naming it linked to it; one outstanding area per area
    and year from the first accepted item, its result from the confirmed results."""
    accepted = RegistrationItem.objects.filter(
        registration__period__program=program,
        registration__status=RegistrationStatus.ACCEPTED,
        registration__organization__unit__level=UnitLevel.COMMUNE,
    ).order_by("registration__period__year", "pk")
    creating, links, known = [], [], set()
    for row in accepted.filter(kind=ItemKind.INITIATIVE).values(
        "pk",
        "description",
        "initiative_name",
        "novelty",
        "initiative_field_id",
        "area_id",
        "area__parent_id",
        "registration__organization_id",
        "registration__organization__unit_id",
        "registration__period__year",
    ):
        key = (row["registration__organization_id"], normalize(row["initiative_name"]))
        if key in known:
            links.append((row["pk"], key))
        elif row["novelty"] == InitiativeNovelty.NEW and row["initiative_field_id"] and key[1]:
            known.add(key)
            creating.append((row, key))

    def initiative(_n, row, key):
        year = row["registration__period__year"]
        status = InitiativeStatus.PLANNED if year == YEARS[-1] else InitiativeStatus.RUNNING
        in_commune = row["area__parent_id"] == row["registration__organization__unit_id"]
        return (
            (row["registration__organization_id"], row["initiative_field_id"])
            + (row["area_id"] if in_commune else None, row["initiative_name"].strip(), key[1], year)
            + (status, datetime.date(year, 4, 15), None, row["description"])
        )

    ids = _write_records(Initiative, INITIATIVE_FIELDS, creating, initiative)
    RegistrationItem.objects.bulk_update(
        [
            RegistrationItem(pk=row["pk"], initiative_id=ids[key], created_initiative_id=ids[key])
            for row, key in creating
        ]
        + [RegistrationItem(pk=pk, initiative_id=ids[key], created_initiative_id=None) for pk, key in links],
        ["initiative", "created_initiative"],
        batch_size=2000,
    )

    recognized = {ItemResult.ACHIEVED: OutstandingResult.RECOGNIZED}
    creating, areas = [], set()
    for row in accepted.filter(
        kind=ItemKind.OUTSTANDING_AREA, area__parent_id=F("registration__organization__unit_id")
    ).values(
        "pk",
        "area_id",
        "result",
        "registration__organization_id",
        "registration__period__year",
        "registration__results_status",
    ):
        key = (row["area_id"], row["registration__period__year"])
        if key not in areas:
            areas.add(key)
            creating.append((row, key))

    def outstanding_area(n, row, key):
        result = OutstandingResult.PENDING
        if row["registration__results_status"] == ResultsStatus.CONFIRMED:
            result = recognized.get(row["result"], OutstandingResult.NOT_RECOGNIZED)
        return (program.pk, row["area_id"], key[1], row["registration__organization_id"], result) + (
            f"{n + 1}/QĐ-UBND" if result == OutstandingResult.RECOGNIZED else "",
            "",
        )

    ids = _write_records(OutstandingArea, OUTSTANDING_AREA_FIELDS, creating, outstanding_area)
    RegistrationItem.objects.bulk_update(
        [RegistrationItem(pk=row["pk"], outstanding_area_id=ids[key]) for row, key in creating],
        ["outstanding_area"],
        batch_size=2000,
    )


def _initiatives(program: Program, count: int) -> None:
    fields = list(program.contents.filter(kind=ContentKind.MODEL_FIELD))
    orgs = list(
        Organization.objects.filter(
            unit__path__startswith=program.owner_unit.path, unit__level=UnitLevel.COMMUNE
        ).exclude(kind=OrgKind.FRONT)
    )
    areas_by_unit: dict[int, list[int]] = {}
    for area_id, parent_id in Unit.objects.filter(
        path__startswith=program.owner_unit.path, level=UnitLevel.AREA
    ).values_list("pk", "parent_id"):
        areas_by_unit.setdefault(parent_id, []).append(area_id)
    suggested = {kind: models.splitlines() for kind, (_text, models) in ASSIGNMENTS.items()}
    rng = random.Random(5)
    statuses = [InitiativeStatus.RUNNING] * 5 + [InitiativeStatus.RECOGNIZED] * 3 + [InitiativeStatus.PLANNED]
    rows = []
    for i in range(count):
        org = orgs[i % len(orgs)]
        areas = areas_by_unit.get(org.unit_id, [])
        name = f"{rng.choice(suggested.get(org.kind) or ['Mô hình tự quản'])} số {i // len(orgs) + 1}"
        start = rng.choice(YEARS)
        status = rng.choice(statuses + [InitiativeStatus.STOPPED] * (i % 20 == 0))
        rows.append(
            (
                org.pk,
                rng.choice(fields).pk,
                rng.choice(areas) if areas else None,
                name,
                normalize(name),
                start,
            )
            + (
                status,
                datetime.date(start, 6, 1),
                datetime.date(start + 1, 4, 15) if status == InitiativeStatus.STOPPED else None,
                "",
            )
        )
    insert(Initiative, INITIATIVE_FIELDS, rows)


def load(context: dict) -> None:
    root: Unit = context["root"]
    program = _program(root)
    context["program"] = program
    officer = context["accounts"]["bench.commune"].memberships.get().organization_id
    _registrations(program, context["accounts"]["bench.front"], editable_org=officer)
    tallies.rebuild()  # the items were inserted past the services
    _records_from_registrations(program)
    _initiatives(program, INITIATIVES[context["scale"]])


def pages(users: dict) -> list[dict]:
    latest = RegistrationPeriod.objects.order_by("-year").first()
    return [
        {
            "label": "tracking view (latest year)",
            "url": f"/registration-periods/{latest.pk}/",
            "user": users["bench.front"],
            "target": 15,
        },
        {
            "label": "registrations: Front",
            "url": "/registrations/",
            "user": users["bench.front"],
            "target": 15,
        },
        {
            "label": "registrations: commune officer",
            "url": "/registrations/",
            "user": users["bench.commune"],
            "target": 15,
        },
        {"label": "initiatives: Front", "url": "/initiatives/", "user": users["bench.front"], "target": 15},
        {
            "label": "initiatives: search",
            "url": "/initiatives/?q=hop tac xa",
            "user": users["bench.front"],
            "target": 15,
        },
    ]
