"""The registrations' tallies (registrations/tallies.py) never drift from the items.

After each kind of write that changes items, the stored tallies equal a recount done here
item by item; a write that fails leaves them as they were; the migration, the loaders and
``rebuild_summaries`` fill or repair them."""

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from devdata.registrations import full_items, open_year
from organizations.models import Organization
from registrations import excel, services, tallies
from registrations.models import (
    ItemKind,
    ItemResult,
    Registration,
    RegistrationItem,
    RegistrationPeriod,
    RegistrationTally,
)

from .test_excel import _rewrite, _upload

RESULT_FIELD = {
    ItemResult.ACHIEVED: "achieved",
    ItemResult.PARTLY: "partly",
    ItemResult.NOT_ACHIEVED: "not_achieved",
}


def independent_recount() -> dict:
    """(registration, kind) → the figures, counted item by item, and what the report filters
    on, read from the registration."""
    figures = {}
    for item in RegistrationItem.objects.select_related("registration__period", "registration__organization"):
        reg = item.registration
        row = figures.setdefault(
            (reg.pk, item.kind),
            {"program_id": reg.period.program_id, "year": reg.period.year, "unit_id": reg.organization.unit_id, "org_kind": reg.organization.kind,
             "submitted": reg.submitted_at is not None,
             "committed": 0, "achieved": 0, "partly": 0, "not_achieved": 0, "pledged": 0},
        )  # fmt: skip
        row["committed"] += 1
        if item.result:
            row[RESULT_FIELD[item.result]] += 1
        row["pledged"] += item.households_pledged or 0
    return figures


def _save(world, registration, items, by=None):
    registration.refresh_from_db()
    return services.save_items(
        registration=registration, items=items, version=registration.version, by=by or world.phunu_iadom
    )


def _results(registration, *results):
    items = registration.items.order_by("order")
    return {i.pk: {"result": r, "achieved_quantity": 1} for i, r in zip(items, results, strict=False)}


def test_tallies_follow_every_write(world, program, women_iadom, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Created: five items of five kinds, two households pledged.
    reg = _save(world, women_iadom, full_items(world, program, women_iadom))
    assert tallies.stored() == independent_recount()
    assert tallies.stored()[(reg.pk, ItemKind.SPONSORSHIP_PLEDGE)] == {
        "program_id": program.pk, "year": 2017, "unit_id": world.iadom.pk, "org_kind": "women",
        "submitted": False, "committed": 1, "achieved": 0, "partly": 0, "not_achieved": 0, "pledged": 2,
    }  # fmt: skip

    # Edited: one item dropped, another pledge added, a kind changed.
    items = full_items(world, program, women_iadom)
    items[2] = {"kind": ItemKind.COMMUNICATION, "description": "Tuyên truyền"}
    items[4] = {
        **items[3],
        "description": "Nhận giúp thêm",
        "area": world.iadom_areas[1],
        "households_pledged": 3,
    }
    reg = _save(world, reg, items)
    assert tallies.stored() == independent_recount()
    assert (reg.pk, ItemKind.OUTSTANDING_AREA) not in tallies.stored()
    assert (reg.pk, ItemKind.FUND_TARGET) not in tallies.stored()
    assert tallies.stored()[(reg.pk, ItemKind.SPONSORSHIP_PLEDGE)]["pledged"] == 5

    # Results entered, then changed.
    reg = services.submit(registration=reg, by=world.phunu_iadom, acknowledge_warnings=True)
    assert tallies.stored() == independent_recount()
    assert all(row["submitted"] for (r, _), row in tallies.stored().items() if r == reg.pk)
    reg = services.accept(registration=reg, by=world.mttq_huyen)
    reg = services.save_results(
        registration=reg,
        results=_results(
            reg, ItemResult.ACHIEVED, ItemResult.PARTLY, ItemResult.NOT_ACHIEVED, ItemResult.PARTLY
        ),
        version=reg.version,
        by=world.phunu_iadom,
    )
    assert tallies.stored() == independent_recount()
    reg = services.save_results(
        registration=reg,
        results=_results(reg, ItemResult.ACHIEVED, ItemResult.ACHIEVED),
        version=reg.version,
        by=world.phunu_iadom,
    )
    assert tallies.stored() == independent_recount()
    assert sum(row["partly"] for row in tallies.stored().values()) == 1

    # Copied into next year: the unmet items.
    open_year(world, program, 2018)
    target = services.carry_over(registration=reg, by=world.phunu_iadom)
    assert target.items.count() == 2
    assert tallies.stored() == independent_recount()
    assert sum(n["committed"] for (r, _), n in tallies.stored().items() if r == target.pk) == 2

    # Emptied.
    _save(world, target, [])
    assert tallies.stored() == independent_recount()
    assert not RegistrationTally.objects.filter(registration=target).exists()


def test_tallies_follow_an_excel_import(client_for, world, program, women_iadom):
    reg = _save(world, women_iadom, full_items(world, program, women_iadom))
    client = client_for(world.phunu_iadom)
    data = client.get(reverse("registrations:registration_xlsx", args=[reg.pk])).content

    def edit(ws):
        ws.cell(row=excel.FIRST_ITEM_ROW + 3, column=9, value=3)  # the pledge: 2 → 3 households

    response = client.post(
        reverse("registrations:registration_upload", args=[reg.pk]),
        {"file": _upload(_rewrite(data, edit)), "version": reg.version},
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][-1:] == ["Đã đọc 5 nội dung từ tệp."]
    assert reg.events.filter(action="uploaded").exists()
    assert tallies.stored() == independent_recount()
    assert tallies.stored()[(reg.pk, ItemKind.SPONSORSHIP_PLEDGE)]["pledged"] == 3


def test_tallies_follow_an_admin_edit(rf, world, program, women_iadom):
    reg = _save(world, women_iadom, full_items(world, program, women_iadom))
    # What the admin's inline formset does past the services, then its save_related hook.
    RegistrationItem.objects.filter(registration=reg, kind=ItemKind.CONTENT).update(
        result=ItemResult.ACHIEVED
    )
    RegistrationItem.objects.filter(registration=reg, kind=ItemKind.FUND_TARGET).delete()
    request = rf.post("/admin/")
    request.user = world.admin
    form = SimpleNamespace(instance=reg, save_m2m=lambda: None)
    admin.site._registry[Registration].save_related(request, form, [], True)
    assert tallies.stored() == independent_recount()
    assert tallies.stored()[(reg.pk, ItemKind.CONTENT)]["achieved"] == 1

    # The period's year and the organization's unit, which the tallies repeat.
    period = reg.period
    period.year = 2016
    admin.site._registry[RegistrationPeriod].save_model(request, period, None, True)
    assert tallies.stored() == independent_recount()
    assert {row["year"] for row in tallies.stored().values()} == {2016}
    # The organization's unit and kind, which the tallies repeat too, cannot be changed there.
    organization_admin = admin.site._registry[Organization]
    assert {"unit", "kind"} <= set(organization_admin.get_readonly_fields(request, reg.organization))
    assert not organization_admin.get_readonly_fields(request, None)


def test_tallies_unchanged_when_a_write_fails(world, program, women_iadom, monkeypatch):
    reg = _save(world, women_iadom, full_items(world, program, women_iadom))
    before = tallies.stored()
    # Refused by the service: a pledge without its area, then a save based on an old version.
    broken = full_items(world, program, women_iadom)
    broken[3] = {**broken[3], "area": None}
    with pytest.raises(ValidationError):
        _save(world, reg, broken)
    with pytest.raises(ValidationError):
        services.save_items(registration=reg, items=[], version=reg.version - 1, by=world.phunu_iadom)
    assert tallies.stored() == before == independent_recount()

    # Failing after the tallies were written: the items and the tallies roll back together.
    real_rows = tallies._rows

    def rows_then_fail(*args, **kwargs):
        RegistrationTally.objects.bulk_create(real_rows(*args, **kwargs))
        raise RuntimeError("disk full")

    monkeypatch.setattr(tallies, "_rows", rows_then_fail)
    with pytest.raises(RuntimeError):
        _save(world, reg, full_items(world, program, women_iadom)[:2])
    monkeypatch.undo()
    assert reg.items.count() == 5
    assert tallies.stored() == before == independent_recount()


def test_tallies_rebuild_command_repairs_drift(world, program, women_iadom):
    reg = _save(world, women_iadom, full_items(world, program, women_iadom))
    call_command("rebuild_summaries", "--check")
    RegistrationItem.objects.filter(registration=reg).update(
        result=ItemResult.PARTLY
    )  # bypassing the services
    RegistrationTally.objects.create(
        registration=reg, kind=ItemKind.OTHER, program=program, year=2017, unit=world.iadom, org_kind="women",
        submitted=False, committed=1,
    )  # fmt: skip
    with pytest.raises(SystemExit):
        call_command("rebuild_summaries", "--check")
    assert tallies.stored() != independent_recount()
    call_command("rebuild_summaries")
    assert tallies.stored() == independent_recount()
    call_command("rebuild_summaries", "--check")


def test_tallies_filled_by_the_demo_loader(demo):
    assert RegistrationItem.objects.exists()
    assert tallies.stored() == independent_recount()
