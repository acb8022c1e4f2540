import pytest

from devdata.programs import make_program
from devdata.registrations import full_items, open_year
from registrations import rules
from registrations.models import ItemKind, Registration, RegistrationItem


def _items(registration, rows):
    return [RegistrationItem(registration=registration, **row) for row in rows]


def _codes(findings, level=None):
    return [f.code for f in findings if level is None or f.level == level]


def test_rules_complete_commune_registration_has_no_finding(world, program, women_iadom):
    findings = rules.registration_findings(
        women_iadom, _items(women_iadom, full_items(world, program, women_iadom))
    )
    assert findings == []


@pytest.mark.parametrize("pledged", [0, 4, None])
def test_rules_pledge_outside_range_is_error(world, program, women_iadom, pledged):
    rows = full_items(world, program, women_iadom)
    rows[3]["households_pledged"] = pledged
    findings = rules.registration_findings(women_iadom, _items(women_iadom, rows))
    assert _codes(findings, rules.ERROR) == ["pledge_out_of_range"]
    assert findings[0].item == 4


def test_rules_range_is_read_from_the_program(world):
    program = make_program(world, min_households_per_branch=2, max_households_per_branch=5)
    period = open_year(world, program, 2019)
    reg = Registration.objects.get(period=period, organization=world.org(world.iadom, "women"))
    rows = full_items(world, program, reg)
    rows[3]["households_pledged"] = 4
    assert rules.errors(rules.registration_findings(reg, _items(reg, rows))) == []
    rows[3]["households_pledged"] = 1
    errors = rules.errors(rules.registration_findings(reg, _items(reg, rows)))
    assert "2 đến 5" in errors[0].message


def test_rules_commune_without_outstanding_area_or_content_warns(world, program, women_iadom):
    rows = [
        r
        for r in full_items(world, program, women_iadom)
        if r["kind"] not in (ItemKind.OUTSTANDING_AREA, ItemKind.CONTENT)
    ]
    findings = rules.registration_findings(women_iadom, _items(women_iadom, rows))
    assert sorted(_codes(findings, rules.WARNING)) == ["no_content", "no_outstanding_area"]
    assert rules.errors(findings) == []


def test_rules_organization_without_initiative_warns(world, program, women_iadom):
    rows = [r for r in full_items(world, program, women_iadom) if r["kind"] != ItemKind.INITIATIVE]
    assert _codes(rules.registration_findings(women_iadom, _items(women_iadom, rows))) == ["no_initiative"]


def test_rules_front_needs_no_initiative(world, program, period):
    reg = Registration.objects.get(period=period, organization=world.org(world.iadom, "front"))
    rows = [r for r in full_items(world, program, reg) if r["kind"] != ItemKind.INITIATIVE]
    assert rules.registration_findings(reg, _items(reg, rows)) == []


def test_rules_district_organization_has_no_commune_warnings(world, program, period):
    reg = Registration.objects.get(period=period, organization=world.org(world.district, "farmers"))
    rows = [{"kind": ItemKind.OTHER, "description": "Tập huấn"}]
    assert _codes(rules.registration_findings(reg, _items(reg, rows))) == ["no_initiative"]


def test_rules_area_of_another_commune_and_duplicate_pledge_are_errors(world, program, women_iadom):
    rows = full_items(world, program, women_iadom)
    rows[2]["area"] = world.iakla_areas[0]
    rows.append(dict(rows[3]))
    codes = _codes(rules.registration_findings(women_iadom, _items(women_iadom, rows)), rules.ERROR)
    assert codes == ["area_outside", "pledge_duplicate_area"]


def test_rules_empty_and_missing_fields_are_errors(world, program, women_iadom):
    assert _codes(rules.registration_findings(women_iadom, []), rules.ERROR) == ["empty"]
    rows = [
        {"kind": ItemKind.CONTENT, "description": ""},
        {"kind": ItemKind.INITIATIVE, "description": "x"},
        {"kind": ItemKind.FUND_TARGET, "description": "x"},
    ]
    codes = _codes(rules.registration_findings(women_iadom, _items(women_iadom, rows)), rules.ERROR)
    assert codes == [
        "description_missing",
        "content_missing",
        "initiative_name_missing",
        "model_field_missing",
        "amount_missing",
    ]


def test_live_rules_rendered_from_the_program(client_for, world):
    """The form carries the program's numbers and the rules' messages for the page's live check."""
    from django.urls import reverse

    program = make_program(world, min_households_per_branch=2, max_households_per_branch=5)
    period = open_year(world, program, 2019)
    reg = Registration.objects.get(period=period, organization=world.org(world.iadom, "women"))
    data = rules.live_rules(reg)
    assert data["data-min-households"] == "2" and data["data-max-households"] == "5"
    assert "2 đến 5" in data["data-msg-pledge-out-of-range"] and "{n}" in data["data-msg-pledge-out-of-range"]
    # A commune organization: warned without an outstanding area, a content or an initiative.
    warnings = [data[f"data-warning-{i}"] for i in range(1, int(data["data-warnings"]) + 1)]
    assert [w.split("|")[:2] for w in warnings] == [
        ["outstanding_area", "1"],
        ["content", "1"],
        ["initiative", "1"],
    ]
    page = (
        client_for(world.phunu_iadom)
        .get(reverse("registrations:registration_edit", args=[reg.pk]))
        .content.decode()
    )
    assert 'data-max-households="5"' in page and 'id="live-findings" aria-live="polite"' in page
    assert "<script>" not in page  # CSP: the check is the static script


def test_live_rules_front_of_district_has_no_warning(world):
    program = make_program(world)
    period = open_year(world, program, 2019)
    assert (
        rules.live_rules(Registration(period=period, organization=world.org(world.district, "front")))[
            "data-warnings"
        ]
        == "0"
    )
