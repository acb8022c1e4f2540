"""A household's yearly status checked against the poverty standard in force (DOMAIN.md,
"Household poverty standards").

Every number is the standard's data (``PovertyStandard.thresholds``), not code:
``poor_min_deprivations`` (a poor household lacks at least that many indicators) and
``near_poor_max_deprivations`` (a near-poor one at most that many). A standard without them
(QĐ 59/2015, where income alone can make a household poor) sets no count. Used by
``services.set_status`` and, per row, by the review-list import.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PovertyStandard, Status

# The oldest year a status can hold (the table's check constraint).
FIRST_YEAR = 1990

POOR_MIN = "poor_min_deprivations"
NEAR_POOR_MAX = "near_poor_max_deprivations"

# ``check_status``'s "look the standard up": None is a real answer (no standard in force).
_LOOK_UP = object()


def check_status(
    *, year: int, status: str, deprivations: list[str], standard: PovertyStandard | None | object = _LOOK_UP
) -> PovertyStandard | None:
    """The standard in force in ``year`` for a household recorded as ``status`` with those
    ``deprivations``, or ValidationError by field (year, status, deprivations).

    ``standard``: ``PovertyStandard.for_year(year)`` when the caller already has it (an
    import checking many rows of one year); looked up otherwise.
    """
    this_year = timezone.localdate().year
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if year > this_year:
        raise ValidationError(
            {
                "year": _(
                    "The status for %(year)s cannot be recorded yet: that year has not come "
                    "(this year is %(this_year)s)."
                )
                % {"year": year, "this_year": this_year}
            }
        )
    if year < FIRST_YEAR:
        raise ValidationError(
            {
                "year": _("Enter a year between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": this_year}
            }
        )
    if standard is _LOOK_UP:
        standard = PovertyStandard.for_year(year)
    if standard is None and status != Status.NONE:
        raise ValidationError(
            {
                "year": _(
                    "No poverty standard is in force in %(year)s: a household can only be "
                    "recorded as not classified that year."
                )
                % {"year": year}
            }
        )
    chosen = set(deprivations or [])
    if chosen and (standard is None or not chosen <= set(standard.indicators)):
        raise ValidationError(
            {
                "deprivations": _(
                    "These indicators are not those of the poverty standard in force in %(year)s."
                )
                % {"year": year}
            }
        )
    if standard is not None:
        _check_count(standard, year, status, len(chosen))
    return standard


def _check_count(standard: PovertyStandard, year: int, status: str, count: int) -> None:
    rule = standard.thresholds or {}
    at_least, at_most = rule.get(POOR_MIN), rule.get(NEAR_POOR_MAX)
    values = {"standard": standard.code, "year": year, "count": count}
    if status == Status.POOR and at_least is not None and count < at_least:
        if not standard.indicators:
            message = _(
                "The deprivation indicators of %(standard)s are not entered yet: ask the "
                "administrator to enter them before recording poor households."
            )
        else:
            message = _(
                "Under %(standard)s (in force in %(year)s) a poor household lacks at least "
                "%(min)s indicators; %(count)s are ticked. Tick every indicator the household "
                "lacks, or record it as near-poor."
            )
        raise ValidationError({"deprivations": message % {**values, "min": at_least}})
    if status == Status.NEAR_POOR and at_most is not None and count > at_most:
        raise ValidationError(
            {
                "deprivations": _(
                    "Under %(standard)s (in force in %(year)s) a near-poor household lacks at "
                    "most %(max)s indicators; %(count)s are ticked, which makes it poor."
                )
                % {**values, "max": at_most}
            }
        )


def rule_text(standard: PovertyStandard) -> str:
    """The standard's deprivation rule as the status form shows it."""
    rule = standard.thresholds or {}
    parts = []
    if rule.get(POOR_MIN) is not None:
        parts.append(_("poor: at least %(n)s deprivations") % {"n": rule[POOR_MIN]})
    if rule.get(NEAR_POOR_MAX) is not None:
        parts.append(_("near-poor: at most %(n)s deprivations") % {"n": rule[NEAR_POOR_MAX]})
    if not parts:
        return _("classified by income: no number of deprivations is required")
    return "; ".join(parts)
