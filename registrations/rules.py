"""The program's rules for a registration, as findings.

Every number comes from the program (DOMAIN.md "The rules the program sets"); nothing
here is a constant of the 2017 program. Errors block submission; warnings must be
acknowledged by the submitter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.models import UnitLevel
from registrations.models import ItemKind, Registration, RegistrationItem

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR or WARNING
    code: str
    message: str
    item: int | None = None  # 1-based position of the item the finding is about

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def item_findings(registration: Registration, item: RegistrationItem, position: int) -> list[Finding]:
    """What one item lacks for its kind, and the household range of a pledge (rule 3)."""
    program = registration.period.program
    found: list[Finding] = []

    def error(code, message):
        found.append(Finding(ERROR, code, message, position))

    if not (item.description or "").strip():
        error("description_missing", _("Item %(n)s: enter a description.") % {"n": position})
    if item.kind == ItemKind.CONTENT and item.content_id is None:
        error("content_missing", _("Item %(n)s: choose the content of the campaign.") % {"n": position})
    if item.kind == ItemKind.INITIATIVE:
        if not (item.initiative_name or "").strip():
            error("initiative_name_missing", _("Item %(n)s: enter the name of the model.") % {"n": position})
        if item.initiative_field_id is None:
            error("model_field_missing", _("Item %(n)s: choose the field of the model.") % {"n": position})
    if item.kind in (ItemKind.OUTSTANDING_AREA, ItemKind.SPONSORSHIP_PLEDGE) and item.area_id is None:
        error("area_missing", _("Item %(n)s: choose the residential area.") % {"n": position})
    if item.area_id is not None and item.area is not None:
        org_unit = registration.organization.unit
        if item.area.level != UnitLevel.AREA or not item.area.is_within(org_unit):
            error(
                "area_outside",
                _("Item %(n)s: %(area)s is not a residential area of %(unit)s.")
                % {"n": position, "area": item.area.name, "unit": org_unit.name},
            )
    if item.kind == ItemKind.SPONSORSHIP_PLEDGE:
        low, high = program.min_households_per_branch, program.max_households_per_branch
        pledged = item.households_pledged
        if pledged is None or not low <= pledged <= high:
            error(
                "pledge_out_of_range",
                _(
                    "Item %(n)s: each organization takes on %(low)s to %(high)s poor households per residential area a year (here: %(value)s)."
                )
                % {"n": position, "low": low, "high": high, "value": "—" if pledged is None else pledged},
            )
    named = getattr(item, "named_households", None) or []
    if item.kind == ItemKind.SPONSORSHIP_PLEDGE and named:
        if item.households_pledged is not None and len(named) > item.households_pledged:
            error(
                "named_exceeds_pledge",
                _("Item %(n)s: %(named)s households are named but only %(pledged)s are taken on.")
                % {"n": position, "named": len(named), "pledged": item.households_pledged},
            )
        for household in named:
            if item.area_id is not None and household.area_id != item.area_id:
                error(
                    "household_outside_area",
                    _("Item %(n)s: the household of %(name)s does not live in %(area)s.")
                    % {
                        "n": position,
                        "name": household.head_name,
                        "area": item.area.name if item.area else "—",
                    },
                )
    if item.kind == ItemKind.FUND_TARGET and item.amount is None:
        error("amount_missing", _("Item %(n)s: enter the amount in VND.") % {"n": position})
    return found


def registration_findings(registration: Registration, items: Iterable[RegistrationItem]) -> list[Finding]:
    """Every finding of a registration with these items (saved or not)."""
    items = list(items)
    program = registration.period.program
    org = registration.organization
    found: list[Finding] = []
    if not items:
        found.append(Finding(ERROR, "empty", _("Add at least one item before submitting.")))
    pledged_areas: dict[int, int] = {}
    for position, item in enumerate(items, start=1):
        found.extend(item_findings(registration, item, position))
        if item.kind == ItemKind.SPONSORSHIP_PLEDGE and item.area_id:
            if item.area_id in pledged_areas:
                found.append(
                    Finding(
                        ERROR,
                        "pledge_duplicate_area",
                        _("Item %(n)s: this residential area already has a pledge in item %(first)s.")
                        % {"n": position, "first": pledged_areas[item.area_id]},
                        position,
                    )
                )
            else:
                pledged_areas[item.area_id] = position

    kinds = [item.kind for item in items]
    if org.unit.level == UnitLevel.COMMUNE:
        need = program.min_outstanding_areas_per_commune
        if kinds.count(ItemKind.OUTSTANDING_AREA) < need:
            found.append(
                Finding(
                    WARNING,
                    "no_outstanding_area",
                    ngettext(
                        "A commune registers at least %(n)s outstanding residential area a year.",
                        "A commune registers at least %(n)s outstanding residential areas a year.",
                        need,
                    )
                    % {"n": need},
                )
            )
        need = program.min_contents_per_commune
        if kinds.count(ItemKind.CONTENT) < need:
            found.append(
                Finding(
                    WARNING,
                    "no_content",
                    ngettext(
                        "A commune registers at least %(n)s content of the campaign a year.",
                        "A commune registers at least %(n)s contents of the campaign a year.",
                        need,
                    )
                    % {"n": need},
                )
            )
    if not org.is_front:
        need = program.min_initiatives_per_organization
        if kinds.count(ItemKind.INITIATIVE) < need:
            found.append(
                Finding(
                    WARNING,
                    "no_initiative",
                    ngettext(
                        "Each organization has at least %(n)s model (initiative).",
                        "Each organization has at least %(n)s models (initiatives).",
                        need,
                    )
                    % {"n": need},
                )
            )
    return found


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == ERROR]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == WARNING]


def live_rules(registration: Registration) -> dict[str, str]:
    """The rules as data attributes of the registration form, for the page to check them
    as the user types (static/js/registration-form.js). The numbers are the program's and
    the messages the ones above, with {n}-style blanks for the page to fill; the server
    checks everything again on save and on submit."""
    program = registration.period.program
    blanks = {
        "n": "{n}",
        "low": program.min_households_per_branch,
        "high": program.max_households_per_branch,
        "value": "{value}",
        "first": "{first}",
        "named": "{named}",
        "pledged": "{pledged}",
        "name": "{name}",
        "area": "{area}",
    }
    messages = {
        "description-missing": _("Item %(n)s: enter a description."),
        "content-missing": _("Item %(n)s: choose the content of the campaign."),
        "initiative-name-missing": _("Item %(n)s: enter the name of the model."),
        "model-field-missing": _("Item %(n)s: choose the field of the model."),
        "area-missing": _("Item %(n)s: choose the residential area."),
        "pledge-out-of-range": _(
            "Item %(n)s: each organization takes on %(low)s to %(high)s poor households per residential area a year (here: %(value)s)."
        ),
        "pledge-duplicate-area": _(
            "Item %(n)s: this residential area already has a pledge in item %(first)s."
        ),
        "named-exceeds-pledge": _(
            "Item %(n)s: %(named)s households are named but only %(pledged)s are taken on."
        ),
        "household-outside-area": _("Item %(n)s: the household of %(name)s does not live in %(area)s."),
        "amount-missing": _("Item %(n)s: enter the amount in VND."),
        "empty": _("Add at least one item before submitting."),
    }
    data = {f"data-msg-{code}": message % blanks for code, message in messages.items()}
    data["data-min-households"] = str(program.min_households_per_branch)
    data["data-max-households"] = str(program.max_households_per_branch)
    # Form-wide warnings: given whole (their numbers are the program's), with the number of
    # items of the kind they count that the registration needs.
    warnings = [finding for finding in registration_findings(registration, []) if finding.level == WARNING]
    kinds = {
        "no_outstanding_area": (ItemKind.OUTSTANDING_AREA, program.min_outstanding_areas_per_commune),
        "no_content": (ItemKind.CONTENT, program.min_contents_per_commune),
        "no_initiative": (ItemKind.INITIATIVE, program.min_initiatives_per_organization),
    }
    for number, finding in enumerate(warnings, start=1):
        kind, need = kinds[finding.code]
        data[f"data-warning-{number}"] = f"{kind}|{need}|{finding.message}"
    data["data-warnings"] = str(len(warnings))
    return data
