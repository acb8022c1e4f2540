"""Rule 3 of the program (seed II.1.2), each part defined once: the sponsorship service,
the gap list, the summaries, the compliance panel and the reports all ask here.

- The gap: "Không để hộ chính sách khó khăn, hộ nghèo nào mà không có tổ chức hỗ trợ". Its
  households in a year are the poor households and the policy households in difficulty
  (a policy household that is poor or near-poor in the year; one of average living
  standard is not). A household is out of the gap when anyone sponsors it that year.
  Near-poor households that are not policy households are watched beside the gap.
- 1 to 3 households a year for "mỗi tổ chức đoàn thể ở khu dân cư": the unit of counting is
  the organization kind at the residential area in the year, so the branch there and the
  commune organization of the same kind share one quota. A kind with no branch at the
  area (the Labour Federation works in agencies and enterprises) is not subject to it there.
- A sponsorship's outcome follows from the household's status in the next year's review
  (the review at the end of the sponsorship's year): no longer poor or near-poor means it
  escaped poverty; still poor or near-poor, not yet; no review yet, in progress. Nobody
  sets it by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from organizations.models import Organization, UnitLevel

from .models import NEEDY_STATUSES, AidFigure, AidSummary, HouseholdStatus, Outcome, Status


def in_gap(status: str = "status", is_policy: str = "household__is_policy") -> Q:
    """The year's gap households, given the paths from the queried model to the year's
    status and to the household's policy flag."""
    return Q(**{status: Status.POOR}) | Q(**{is_policy: True, status: Status.NEAR_POOR})


def household_in_gap(year: int) -> Q:
    """``in_gap`` as a condition on Household rows for ``year``: two EXISTS that each read the
    index on (year, status, household), where one EXISTS with the OR in it would join every
    status of the year to its household (a province's gap list: 2 s instead of a few ms)."""

    def has(status):
        return Exists(HouseholdStatus.objects.filter(household=OuterRef("pk"), year=year, status=status))

    return Q(has(Status.POOR)) | (Q(is_policy=True) & Q(has(Status.NEAR_POOR)))


def branch_kinds(area_ids: Iterable[int]) -> dict[int, set[str]]:
    """The organization kinds that have a branch at each residential area: the kinds the
    1–3 rule applies to there. One query."""
    found: dict[int, set[str]] = defaultdict(set)
    for area, kind in (
        Organization.objects.members()
        .filter(unit__in=list(area_ids), unit__level=UnitLevel.AREA)
        .values_list("unit", "kind")
    ):
        found[area].add(kind)
    return found


def applies(kind: str, area_id: int) -> bool:
    """Whether organizations of ``kind`` take on 1–3 households a year at the area."""
    return kind in branch_kinds([area_id]).get(area_id, set())


def taken(kind: str, area_id: int, year: int) -> int:
    """Households taken on at the area in the year by organizations of ``kind``: its branch
    there and the commune organization together."""
    return taken_by_kind([area_id], year).get((area_id, kind), 0)


def taken_by_kind(area_ids: Iterable[int], year: int) -> dict[tuple[int, str], int]:
    """``taken`` for every organization kind at each of the areas: {(area, kind): n}. One
    query, on the aid summary's sponsorships per area and kind, which every sponsorship's
    writer recounts in its transaction (households/aid.py); the sponsorship service reads it
    after locking the area, so it sees every committed sponsorship there."""
    return dict(
        ((area, kind), n)
        for area, kind, n in AidSummary.objects.filter(
            figure=AidFigure.SPONSORSHIPS, area_id__in=list(area_ids), year=year
        ).values_list("area_id", "key", "count")
    )


# The statuses of a household that no longer needs the program's help.
OUT_OF_POVERTY = [Status.ESCAPED, Status.ESCAPED_NEAR, Status.AVERAGE]


def outcome(next_year_status: str | None) -> str:
    """A sponsorship's outcome from its household's status in the next year's review."""
    if next_year_status in OUT_OF_POVERTY:
        return Outcome.ESCAPED
    if next_year_status in NEEDY_STATUSES:
        return Outcome.NOT_ESCAPED
    return Outcome.PENDING


def escaped() -> Exists:
    """Whether a sponsorship's household escaped poverty (``outcome`` is ESCAPED), as a
    condition on Sponsorship rows."""
    return Exists(
        HouseholdStatus.objects.filter(
            household=OuterRef("household"), year=OuterRef("year") + 1, status__in=OUT_OF_POVERTY
        )
    )
