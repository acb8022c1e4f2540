"""The dashboard's headline: the few indicators a leader reads first, each with its target
where the program or the registrations set one, the rate reached, the change since last
year and whether it is on track.

The figures are the catalogue's (reports/indicators.py) and the program's rules' own checks
(activities/selectors.py); this module only compares them with their targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

# A value on track reaches this share of its target; at risk, the second; below, off track.
ON_TRACK_FROM = 0.9
AT_RISK_FROM = 0.7


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


STATUS_LABELS = {
    Status.ON_TRACK: _("On track"),
    Status.AT_RISK: _("At risk"),
    Status.OFF_TRACK: _("Off track"),
    Status.NO_TARGET: _("No target set"),
    Status.NO_DATA: _("No figures yet"),
}
# Bootstrap's colour of each status; the label always says it in words too.
STATUS_COLOURS = {
    Status.ON_TRACK: "success",
    Status.AT_RISK: "warning",
    Status.OFF_TRACK: "danger",
    Status.NO_TARGET: "secondary",
    Status.NO_DATA: "secondary",
}


def status(value: int, target: int | None) -> Status:
    """Whether ``value`` is on track for ``target``.

    The rule: on track when the value reaches 90 % of its target (ON_TRACK_FROM), at risk
    from 70 % (AT_RISK_FROM), off track below 70 %. Without a target there is nothing to
    judge (NO_TARGET); a target of 0 (nothing expected yet: no registration period, no
    household reviewed) is NO_DATA rather than a success.
    """
    if target is None:
        return Status.NO_TARGET
    if target <= 0:
        return Status.NO_DATA
    reached = value / target
    if reached >= ON_TRACK_FROM:
        return Status.ON_TRACK
    if reached >= AT_RISK_FROM:
        return Status.AT_RISK
    return Status.OFF_TRACK


def rate(value: int, of: int | None) -> int | None:
    """``value`` as a whole percentage of ``of``, rounded down: 100 % only when all of it is
    reached (199 of 200 is 99 %, not 100 %)."""
    if not of:
        return None
    return 100 * value // of


@dataclass
class Headline:
    """One headline indicator of the year.

    ``target``: what the program or the registrations set for the year (None: no target);
    ``of``: what the rate is of, the target by default; ``before``: last year's value
    (None when it cannot be compared)."""

    key: str
    label: str
    value: int
    url: str
    definition: str
    target: int | None = None
    of: int | None = None
    before: int | None = None
    unit: str = ""
    target_text: str = ""  # how the target reads ("every household in difficulty")
    rate_text: str = ""  # what the rate is a share of, when it is not the target
    money: bool = False

    @property
    def rate(self) -> int | None:
        return rate(self.value, self.of if self.of is not None else self.target)

    @property
    def change(self) -> int | None:
        return None if self.before is None else self.value - self.before

    @property
    def change_size(self) -> int | None:
        """The change without its sign (its arrow says which way)."""
        return None if self.before is None else abs(self.value - self.before)

    @property
    def status(self) -> Status:
        return status(self.value, self.target)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]
