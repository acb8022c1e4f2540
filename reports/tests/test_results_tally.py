"""The results report read from the registrations' tallies (campaigns/tallies.py) shows what
a count of the items themselves shows, for every scope and filter."""

import pytest
from django.db.models import Count, Q, Sum

from devdata.programs import make_program
from devdata.registrations import full_items, open_year
from organizations import access
from organizations.models import OrgKind
from registrations import services
from registrations.models import ItemResult, RegistrationItem
from reports import selectors
from reports.labels import labels


def direct_rows(user, f) -> list[list]:
    """The report's rows counted from the visible items of the submitted registrations."""
    kinds = dict(RegistrationItem._meta.get_field("kind").choices)
    items = access.visible(
        RegistrationItem.objects.filter(
            registration__period__year__in=f.years, registration__submitted_at__isnull=False
        ),
        user,
    )
    if f.commune is not None:
        items = items.filter(registration__organization__unit__path__startswith=f.commune.path)
    if f.kind:
        items = items.filter(registration__organization__kind=f.kind)
    rows = (
        items.values("registration__period__year", "kind")
        .annotate(
            n=Count("pk"),
            achieved=Count("pk", filter=Q(result=ItemResult.ACHIEVED)),
            partly=Count("pk", filter=Q(result=ItemResult.PARTLY)),
            not_achieved=Count("pk", filter=Q(result=ItemResult.NOT_ACHIEVED)),
            pledged=Sum("households_pledged"),
        )
        .order_by("registration__period__year", "kind")
    )
    return [
        [r["registration__period__year"], str(kinds[r["kind"]]), r["n"], r["achieved"], r["partly"],
         r["not_achieved"], r["pledged"] or 0]
        for r in rows
    ]  # fmt: skip


@pytest.fixture
def registrations(world, replayed):
    """2017 and 2018: the women of Ia Dom submitted, were accepted and reported results; the
    Front of Ia Kla submitted; the farmers of Ia Dom have items but never submitted."""
    return replayed("results tally registrations", lambda: _registrations(world))


def _registrations(world):
    program = make_program(world)
    found = {}
    for year in (2017, 2018):
        period = open_year(world, program, year)
        for unit, kind, by in (
            (world.iadom, OrgKind.WOMEN, world.phunu_iadom),
            (world.iakla, OrgKind.FRONT, world.mttq_iakla),
            (world.iadom, OrgKind.FARMERS, world.admin),
        ):
            reg = period.registrations.get(organization=world.org(unit, kind))
            reg = services.save_items(
                registration=reg, items=full_items(world, program, reg), version=reg.version, by=by
            )
            if kind != OrgKind.FARMERS:
                reg = services.submit(registration=reg, by=by, acknowledge_warnings=True)
            found[(year, unit.pk, kind)] = reg
        reg = services.accept(registration=found[(year, world.iadom.pk, OrgKind.WOMEN)], by=world.mttq_huyen)
        items = list(reg.items.order_by("order"))
        results = [ItemResult.ACHIEVED, ItemResult.PARTLY, ItemResult.NOT_ACHIEVED, ItemResult.ACHIEVED]
        services.save_results(
            registration=reg,
            results={i.pk: {"result": r} for i, r in zip(items, results, strict=False)},
            version=reg.version,
            by=world.phunu_iadom,
        )
    return program, found


@pytest.mark.parametrize("username", ["mttq.huyen", "lanhdao", "phunu.iadom", "mttq.iakla", "nongdan.huyen"])
@pytest.mark.parametrize("commune", [None, "iadom", "iakla"])
@pytest.mark.parametrize("kind", ["", OrgKind.WOMEN, OrgKind.FRONT])
def test_results_report_counts_the_items_in_scope(world, registrations, username, commune, kind):
    program, _ = registrations
    user = world.users[username]
    f = selectors.Filters(
        program=program, years=[2017, 2018], commune=getattr(world, commune) if commune else None, kind=kind
    )
    table = selectors.results_table(user, f, labels())
    assert table.rows == direct_rows(user, f)


def test_results_report_each_scope_sees_its_own(world, registrations):
    program, found = registrations
    f = selectors.Filters(program=program, years=[2017, 2018])

    def committed(user):
        return selectors.results_table(user, f, labels()).totals[2]

    women = sum(found[(y, world.iadom.pk, OrgKind.WOMEN)].items.count() for y in (2017, 2018))
    front = sum(found[(y, world.iakla.pk, OrgKind.FRONT)].items.count() for y in (2017, 2018))
    assert committed(world.mttq_huyen) == women + front  # not the farmers' unsubmitted drafts
    assert committed(world.phunu_iadom) == women
    assert committed(world.mttq_iakla) == front
    assert selectors.results_table(world.nongdan_huyen, f, labels()).rows == []
    table = selectors.results_table(world.phunu_iadom, f, labels())
    assert table.totals[2:] == [women, 4, 2, 2, 4]  # two pledges of two households each
