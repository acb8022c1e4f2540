"""Accepting a registration creates its new initiatives and outstanding areas; confirming
the results gives each outstanding area its result (the activities an accepted registration registers)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import selectors as activity_selectors
from activities import services as activity_services
from activities.models import Initiative, InitiativeStatus, OutstandingArea, OutstandingResult
from devdata.registrations import full_items
from organizations import access
from organizations.models import OrgKind
from programs.models import ContentKind
from registrations import services
from registrations import services as registration_services
from registrations.models import ItemKind, Registration, RegistrationItem, RegistrationStatus


def _field(program):
    return program.contents.filter(kind=ContentKind.MODEL_FIELD).first()


def _submit(world, registration, items, by):
    services.save_items(registration=registration, items=items, version=registration.version, by=by)
    registration.refresh_from_db()
    return services.submit(registration=registration, by=by, acknowledge_warnings=True)


def _items(world, program, initiatives: int, areas: int) -> list[dict]:
    content = program.contents.filter(kind=ContentKind.CONTENT).first()
    rows = [{"kind": ItemKind.CONTENT, "description": "Phát triển kinh tế hộ", "content": content}]
    for n in range(initiatives):
        rows.append(
            {
                "kind": ItemKind.INITIATIVE,
                "description": "Mô hình mới",
                "initiative_name": f"Con đường hoa số {n + 1}",
                "novelty": "new",
                "initiative_field": _field(program),
                "area": world.iadom_areas[n % 2],
                "target_quantity": 2,
                "target_unit": "km",
            }
        )
    for n in range(areas):
        rows.append(
            {
                "kind": ItemKind.OUTSTANDING_AREA,
                "description": "Khu dân cư kiểu mẫu",
                "area": world.iadom_areas[n % 2],
            }
        )
    return rows


@pytest.fixture
def submit_iadom(world, program, period):
    """Submits the 2017 registration of an Ia Dom organization with a content item,
    ``initiatives`` new initiatives and ``areas`` outstanding areas; returns it read afresh."""

    def submit(kind, initiatives, areas, by=None):
        registration = Registration.objects.get(period=period, organization=world.org(world.iadom, kind))
        registration = _submit(
            world, registration, _items(world, program, initiatives, areas), by or world.admin
        )
        return Registration.objects.get(pk=registration.pk)

    return submit


def test_records_accept_creates_one_initiative_and_one_outstanding_area_per_item(world, program, accepted):
    initiative_item = accepted.items.get(kind=ItemKind.INITIATIVE)
    area_item = accepted.items.get(kind=ItemKind.OUTSTANDING_AREA)
    initiative = Initiative.objects.get()
    assert initiative.registration_item == initiative_item
    assert (initiative.name, initiative.status, initiative.start_year) == (
        "Hàng rào xanh",
        InitiativeStatus.PLANNED,
        2017,
    )
    assert initiative.organization == accepted.organization
    assert initiative.field == initiative_item.initiative_field and initiative.area == world.iadom_areas[0]
    assert initiative.status_changes.count() == 1
    initiative_item.refresh_from_db()
    assert initiative_item.initiative == initiative
    record = OutstandingArea.objects.get()
    assert record.registration_item == area_item
    assert (record.program, record.area, record.year, record.organization) == (
        program,
        world.iadom_areas[0],
        2017,
        accepted.organization,
    )
    assert record.result == OutstandingResult.PENDING


def test_records_are_audited(world, accepted):
    from auditlog.models import LogEntry

    initiative = Initiative.objects.get()
    entry = LogEntry.objects.get_for_object(initiative).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == world.mttq_huyen
    assert LogEntry.objects.get_for_object(OutstandingArea.objects.get()).count() == 1


def test_records_rolled_back_when_one_creation_fails(world, submitted, monkeypatch):
    def boom(*args, **kwargs):
        raise IntegrityError("injected failure")

    monkeypatch.setattr(OutstandingArea.objects, "bulk_create", boom)
    with pytest.raises(IntegrityError):
        services.accept(registration=submitted, by=world.mttq_huyen)
    submitted.refresh_from_db()
    assert submitted.status == RegistrationStatus.SUBMITTED and submitted.accepted_at is None
    assert not Initiative.objects.exists() and not OutstandingArea.objects.exists()
    assert not submitted.items.filter(initiative__isnull=False).exists()
    assert not submitted.events.filter(action="accepted").exists()


def test_records_bulk_accept_rolled_back_when_one_creation_fails(world, submitted, submit_iadom, monkeypatch):
    other = submit_iadom(OrgKind.FARMERS, 1, 0)
    calls = []

    real = Initiative.objects.bulk_create

    def fail_second(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise IntegrityError("injected failure")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Initiative.objects, "bulk_create", fail_second)
    with pytest.raises(IntegrityError):
        services.accept_many(registrations=[submitted, other], by=world.mttq_huyen)
    assert not Initiative.objects.exists() and not OutstandingArea.objects.exists()
    assert set(
        Registration.objects.filter(pk__in=[submitted.pk, other.pk]).values_list("status", flat=True)
    ) == {RegistrationStatus.SUBMITTED}


def test_records_no_duplicates_on_second_accept_or_after_return(world, accepted):
    with pytest.raises(ValidationError):
        services.accept(registration=accepted, by=world.mttq_huyen)
    # A registration accepted again after being sent back (the workflow reopened it).
    Registration.objects.filter(pk=accepted.pk).update(status=RegistrationStatus.SUBMITTED)
    services.accept(registration=Registration.objects.get(pk=accepted.pk), by=world.mttq_huyen)
    registration_services.records_from_accepted_registration(registration=accepted, by=world.mttq_huyen)
    assert Initiative.objects.count() == 1 and OutstandingArea.objects.count() == 1


def test_records_database_refuses_a_second_item_for_one_record(world, accepted):
    """An initiative (an outstanding area) is created by one registration item at most."""
    item = accepted.items.get(kind=ItemKind.INITIATIVE)
    other = accepted.items.exclude(pk=item.pk).first()
    assert item.created_initiative == Initiative.objects.get()
    with pytest.raises(IntegrityError):
        RegistrationItem.objects.filter(pk=other.pk).update(created_initiative=item.created_initiative)


def test_records_same_area_twice_makes_one_outstanding_area(world, submitted, submit_iadom):
    farmers = submit_iadom(OrgKind.FARMERS, 0, 2)
    services.accept_many(registrations=[submitted, farmers], by=world.mttq_huyen)
    # Ia Dom's two areas, each once, although three items name them.
    assert OutstandingArea.objects.count() == 2
    assert OutstandingArea.objects.filter(registration_item__isnull=False).count() == 2


def test_records_area_recorded_by_hand_gets_linked(world, program, submitted):
    manual = activity_services.save_outstanding_area(
        by=world.mttq_iadom,
        program=program,
        area=world.iadom_areas[0],
        year=2017,
        organization=world.org(world.iadom, OrgKind.FRONT),
    )
    services.accept(registration=submitted, by=world.mttq_huyen)
    manual.refresh_from_db()
    assert OutstandingArea.objects.count() == 1
    assert manual.registration_item == submitted.items.get(kind=ItemKind.OUTSTANDING_AREA)


def test_records_continuing_item_links_to_the_existing_initiative(world, program, women_iadom):
    existing = activity_services.create_initiative(
        by=world.admin,
        organization=women_iadom.organization,
        field=_field(program),
        name="Gia đình 5 không, 3 sạch",
        start_year=2016,
        status=InitiativeStatus.RUNNING,
    )
    items = full_items(world, program, women_iadom)
    items[1].update(initiative_name="Gia đình 5 KHÔNG, 3 sạch", novelty="continuing")
    registration = _submit(world, women_iadom, items, world.phunu_iadom)
    services.accept(registration=registration, by=world.mttq_huyen)
    assert Initiative.objects.count() == 1
    assert registration.items.get(kind=ItemKind.INITIATIVE).initiative == existing


def test_records_new_item_naming_a_recorded_initiative_makes_no_copy(world, program, accepted):
    from devdata.registrations import open_year

    period_2018 = open_year(world, program, 2018)
    next_year = Registration.objects.get(period=period_2018, organization=accepted.organization)
    next_year = _submit(world, next_year, full_items(world, program, next_year), world.phunu_iadom)
    services.accept(registration=next_year, by=world.mttq_huyen)
    initiative = Initiative.objects.get()
    assert next_year.items.get(kind=ItemKind.INITIATIVE).initiative == initiative
    assert initiative.start_year == 2017
    assert OutstandingArea.objects.filter(year=2018).count() == 1


def test_records_organization_above_the_communes_creates_none(world, program, period):
    district_farmers = Registration.objects.get(
        period=period, organization=world.org(world.district, OrgKind.FARMERS)
    )
    items = [
        {
            "kind": ItemKind.INITIATIVE,
            "description": "Mô hình",
            "initiative_name": "Nông dân sản xuất kinh doanh giỏi",
            "novelty": "new",
            "initiative_field": _field(program),
        }
    ]
    registration = _submit(world, district_farmers, items, world.nongdan_huyen)
    services.accept(registration=registration, by=world.mttq_huyen)
    assert not Initiative.objects.exists()


def test_records_initiative_visible_to_the_same_scopes_as_its_registration(world, accepted):
    initiative = Initiative.objects.get()
    record = OutstandingArea.objects.get()
    for user in world.users.values():
        sees_registration = access.visible(Registration.objects.filter(pk=accepted.pk), user).exists()
        assert access.visible(Initiative.objects.filter(pk=initiative.pk), user).exists() == sees_registration
        assert (
            access.visible(OutstandingArea.objects.filter(pk=record.pk), user).exists() == sees_registration
        )
    assert not access.visible(Initiative.objects.all(), world.mttq_iakla).exists()
    assert access.can(world.phunu_iadom, "edit_in_scope", initiative)


ACCEPT_QUERIES = 26


@pytest.mark.parametrize("size", [3, 30])
def test_records_accept_query_count_is_bounded(world, submit_iadom, size, django_assert_max_num_queries):
    initiatives = (size - 1) // 2
    registration = submit_iadom(OrgKind.WOMEN, initiatives, size - 1 - initiatives, by=world.phunu_iadom)
    with django_assert_max_num_queries(ACCEPT_QUERIES):
        services.accept(registration=registration, by=world.mttq_huyen)
    assert Initiative.objects.count() == initiatives
    assert OutstandingArea.objects.count() == min(size - 1 - initiatives, 2)


def test_records_accept_query_count_does_not_grow(world, submit_iadom):
    counts = []
    for kind, size in ((OrgKind.WOMEN, 3), (OrgKind.FARMERS, 30)):
        registration = submit_iadom(kind, size // 2, size - 1 - size // 2)
        with CaptureQueriesContext(connection) as queries:
            services.accept(registration=registration, by=world.mttq_huyen)
        counts.append(len(queries))
    assert counts[1] <= counts[0], counts


@pytest.mark.parametrize(
    ("result", "expected"),
    [("achieved", OutstandingResult.RECOGNIZED), ("partly", OutstandingResult.NOT_RECOGNIZED)],
)
def test_records_confirmed_results_set_the_outstanding_result(world, accepted, result, expected):
    registration = Registration.objects.get(pk=accepted.pk)
    services.save_results(
        registration=registration,
        results={
            i.pk: {"result": result if i.kind == ItemKind.OUTSTANDING_AREA else "achieved"}
            for i in registration.items.all()
        },
        version=registration.version,
        by=world.phunu_iadom,
    )
    registration.refresh_from_db()
    services.submit_results(registration=registration, by=world.phunu_iadom)
    assert OutstandingArea.objects.get().result == OutstandingResult.PENDING  # not before confirmation
    services.confirm_results(registration=registration, by=world.mttq_huyen)
    assert OutstandingArea.objects.get().result == expected


def test_records_rule_two_check_counts_registered_areas(world, program, accepted):
    rows = {r["commune"].pk: r for r in activity_selectors.outstanding_check(world.mttq_huyen, program, 2017)}
    assert rows[world.iadom.pk]["ok"] and rows[world.iadom.pk]["registered"] == 1
    assert not rows[world.iakla.pk]["ok"]


def test_records_pages_link_initiative_and_registration(client_for, world, accepted):
    initiative = Initiative.objects.get()
    client = client_for(world.phunu_iadom)
    page = client.get(reverse("registrations:registration_detail", args=[accepted.pk])).content.decode()
    assert reverse("activities:initiative_detail", args=[initiative.pk]) in page
    assert "item-outstanding" in page
    page = client.get(reverse("activities:initiative_detail", args=[initiative.pk])).content.decode()
    assert 'id="initiative-origin"' in page
    assert reverse("registrations:registration_detail", args=[accepted.pk]) in page and "km</span>" in page
    assert (
        client_for(world.mttq_iakla)
        .get(reverse("activities:initiative_detail", args=[initiative.pk]))
        .status_code
        == 404
    )


def test_records_item_form_offers_only_the_organizations_initiatives(client_for, world, program, women_iadom):
    own = activity_services.create_initiative(
        by=world.admin,
        organization=women_iadom.organization,
        field=_field(program),
        name="Con đường hoa",
        start_year=2016,
    )
    other = activity_services.create_initiative(
        by=world.admin,
        organization=world.org(world.iakla, OrgKind.WOMEN),
        field=_field(program),
        name="Hàng rào xanh Ia Kla",
        start_year=2016,
    )
    client = client_for(world.phunu_iadom)
    page = client.get(reverse("registrations:registration_edit", args=[women_iadom.pk])).content.decode()
    assert "Con đường hoa" in page and "Hàng rào xanh Ia Kla" not in page
    from .test_views import _formset_post

    row = {
        "kind": ItemKind.INITIATIVE,
        "description": "Tiếp tục mô hình",
        "novelty": "continuing",
        "initiative": other.pk,
    }
    response = client.post(
        reverse("registrations:registration_edit", args=[women_iadom.pk]),
        _formset_post(women_iadom, [row], women_iadom.version),
    )
    assert response.status_code == 200 and not women_iadom.items.exists()
    row["initiative"] = own.pk
    response = client.post(
        reverse("registrations:registration_edit", args=[women_iadom.pk]),
        _formset_post(women_iadom, [row], women_iadom.version),
    )
    assert response.status_code == 302
    item = women_iadom.items.get()
    # The name and the field come from the initiative chosen.
    assert (item.initiative, item.initiative_name, item.initiative_field) == (own, "Con đường hoa", own.field)


def test_records_service_refuses_another_organizations_initiative(world, program, women_iadom):
    other = activity_services.create_initiative(
        by=world.admin,
        organization=world.org(world.iakla, OrgKind.WOMEN),
        field=_field(program),
        name="Hàng rào xanh",
        start_year=2016,
    )
    items = full_items(world, program, women_iadom)
    items[1].update(initiative=other, novelty="continuing")
    with pytest.raises(ValidationError):
        services.save_items(
            registration=women_iadom, items=items, version=women_iadom.version, by=world.phunu_iadom
        )
    assert not women_iadom.items.exists()


def test_records_confirmation_keeps_a_result_the_front_recorded(world, program, accepted):
    record = OutstandingArea.objects.get()
    activity_services.save_outstanding_area(
        by=world.mttq_iadom, record=record, result=OutstandingResult.RECOGNIZED, decision_number="12/QĐ-UBND"
    )
    registration = Registration.objects.get(pk=accepted.pk)
    services.save_results(
        registration=registration,
        results={i.pk: {"result": "not_achieved"} for i in registration.items.all()},
        version=registration.version,
        by=world.phunu_iadom,
    )
    registration.refresh_from_db()
    services.submit_results(registration=registration, by=world.phunu_iadom)
    services.confirm_results(registration=registration, by=world.mttq_huyen)
    record.refresh_from_db()
    assert (record.result, record.decision_number) == (OutstandingResult.RECOGNIZED, "12/QĐ-UBND")


def test_records_demo_links_registrations(demo):
    created = Initiative.objects.exclude(registration_item=None)
    assert created.exists()
    assert not created.exclude(registration_item__registration__status=RegistrationStatus.ACCEPTED).exists()
    # Every accepted new-initiative item of a commune organization has its initiative.
    assert not (
        Registration.objects.filter(status=RegistrationStatus.ACCEPTED, organization__unit__level="commune")
        .filter(items__kind=ItemKind.INITIATIVE, items__initiative__isnull=True, items__novelty="new")
        .exists()
    )
    linked = OutstandingArea.objects.exclude(registration_item=None)
    assert linked.exists()
    assert linked.exclude(result=OutstandingResult.PENDING).exists()


def test_records_bulk_accept_from_the_tracking_view(client_for, world, period, submitted, submit_iadom):
    farmers = submit_iadom(OrgKind.FARMERS, 2, 1)
    response = client_for(world.mttq_huyen).post(
        reverse("registrations:period_accept", args=[period.pk]),
        {"registration": [submitted.pk, farmers.pk], "confirm": "1"},
    )
    assert response.status_code == 302
    assert Initiative.objects.count() == 3
    assert set(Initiative.objects.values_list("organization", flat=True)) == {
        submitted.organization_id,
        farmers.organization_id,
    }
    assert OutstandingArea.objects.count() == 1  # both name Ia Dom's first area


def test_records_outstanding_list_links_the_registration(client_for, world, accepted):
    page = (
        client_for(world.mttq_iadom)
        .get(reverse("activities:outstanding_list"), {"year": 2017})
        .content.decode()
    )
    assert reverse("registrations:registration_detail", args=[accepted.pk]) in page
