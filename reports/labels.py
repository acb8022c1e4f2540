"""The texts of the reports: the report tables' titles and Vietnamese column headers and
the reports' titles (the figures' names are the indicator catalogue's). Used by the pages,
the Excel files and the selectors that build the tables."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def labels() -> dict:
    """Titles and Vietnamese column headers of the report tables."""
    year, commune, org = _("Year"), _("Commune"), _("Organization")
    return {
        "total": _("Total"),
        "district": _("District"),
        "by_district": _(
            "One row per district, its communes added in; choose a commune to see its own figures."
        ),
        "fund_by_district": _(
            "One row per district: the district Front's fund and its communes' funds added together; "
            "choose a commune to see its own fund."
        ),
        "registrations": _("(a) Registrations by organization and commune"),
        "registrations_cols": [
            year,
            commune,
            org,
            _("Expected"),
            _("Received"),
            _("Late"),
            _("Accepted"),
            _("Results reported"),
        ],  # fmt: skip
        "results": _("(b) Results against commitments"),
        "results_cols": [
            year,
            _("Kind of commitment"),
            _("Committed"),
            _("Achieved"),
            _("Partly achieved"),
            _("Not achieved"),
            _("Households pledged"),
        ],  # fmt: skip
        "poverty": _("(c) Households by status and commune"),
        "poverty_cols": [
            year,
            commune,
            _("Poor"),
            _("Near-poor"),
            _("Poor and policy households in difficulty"),
            _("Of them with a sponsor"),
            _("Without a sponsor (the gap)"),
            _("Near-poor households without a sponsor"),
            _("Escaped poverty"),
            _("Escaped near-poverty"),
        ],  # fmt: skip
        "stocks_note": _(
            "The total row's household counts are those of %(year)s: a count at a date is not added "
            "over years."
        ),
        "sponsorships": _("(c) Households taken on by organization"),
        "sponsorships_cols": [year, org, _("Households taken on"), _("Escaped poverty")],
        "support": _("(c) Support by kind"),
        "support_cols": [year, _("Kind of support"), _("Times"), _("Value (VND)")],
        "funding": _("(c) Support by funding source"),
        "funding_cols": [year, _("Funding source"), _("Amount (VND)")],
        "initiatives": _("(d) Initiatives"),
        "initiatives_cols": [
            year,
            org,
            _("Initiatives"),
            _("Participants"),
            _("Households reached"),
            _("Value (VND)"),
        ],  # fmt: skip
        "examples": _("(e) Exemplary examples and outstanding areas"),
        "examples_cols": [year, _("Exemplary examples"), _("Outstanding areas registered"), _("Recognized")],
        "fund": _("(f) The “For the Poor” fund"),
        "fund_cols": [
            year,
            _("Front level"),
            _("Opening balance"),
            _("Receipts"),
            _("Spending"),
            _("Closing balance"),
        ],  # fmt: skip
        "supervision": _("(g) Supervision and social criticism"),
        "supervision_cols": [
            year,
            _("Type"),
            _("Program area"),
            _("Held"),
            _("Follow-up pending"),
            _("Follow-up done"),
        ],  # fmt: skip
        "summary": _("Key figures year by year"),
        "indicator": _("Indicator"),
        "change": pgettext("year over year", "Change"),
        "period": _("Whole period"),
    }


def report_title(review: int | None) -> str:
    """The title of a report, or of the 3- or 5-year review of the program."""
    if review == 3:
        return _("Preliminary review (3 years) of the coordination program")
    if review == 5:
        return _("Final review (5 years) of the coordination program")
    return _("Report on the coordination program")
