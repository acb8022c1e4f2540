"""The items of each registration counted by kind and result (RegistrationTally).

The results report (reports.selectors.results_table, also behind the 3- and 5-year reviews
and the Excel exports) counts the items of the submitted registrations per year and kind:
counted from the items that is an aggregate over about 65,000 rows at province scale on
every report page. The counts are therefore kept in ``RegistrationTally`` rows, recounted
for the registrations a write touches, in the write's own transaction (``refresh``), as the
households' summaries are (households/gaps.py, aid.py, fund.py), and read with one SUM.

Each row also repeats what the report filters on (the period's program and year, the organization's unit
and kind, whether the registration was submitted), so the report reads one table: the
services refresh a registration's rows when it is submitted too, and the admin when it
changes a registration or a period (an organization's unit and kind cannot be changed).

``refresh`` recounts rather than adding deltas: a registration has a few dozen items at
most, and a recount cannot drift. It first locks the registrations' rows (FOR NO KEY
UPDATE, in a fixed order), so two writers of one registration recount one after the other
and the second one sees the first one's items. ``rebuild`` recounts everything (the bulk
loaders, the migration and the ``rebuild_summaries`` command).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from core.summaries import replace_all
from registrations.models import ItemResult, Registration, RegistrationItem, RegistrationTally

Key = tuple[int, str]


def _count(registration_ids: list[int] | None) -> dict[Key, dict[str, int]]:
    """Figures per (registration, kind) from the items; every registration when
    ``registration_ids`` is None. One grouped query."""
    records = RegistrationItem.objects.annotate(
        program_id=F("registration__period__program"),
        year=F("registration__period__year"),
        unit_id=F("registration__organization__unit"),
        org_kind=F("registration__organization__kind"),
        submitted=ExpressionWrapper(Q(registration__submitted_at__isnull=False), output_field=BooleanField()),
    )
    if registration_ids is not None:
        records = records.filter(registration_id__in=registration_ids)
    return {
        (r.pop("registration_id"), r.pop("kind")): r
        for r in records.values(
            "registration_id", "kind", "program_id", "year", "unit_id", "org_kind", "submitted"
        )
        .annotate(
            committed=Count("pk"),
            achieved=Count("pk", filter=Q(result=ItemResult.ACHIEVED)),
            partly=Count("pk", filter=Q(result=ItemResult.PARTLY)),
            not_achieved=Count("pk", filter=Q(result=ItemResult.NOT_ACHIEVED)),
            pledged=Coalesce(Sum("households_pledged"), 0),
        )
        .order_by()
    }


def _rows(model, counted: dict[Key, dict[str, int]]) -> list:
    return [
        model(registration_id=registration, kind=kind, **figures)
        for (registration, kind), figures in sorted(counted.items())
    ]


def refresh(*, registrations: Iterable[int]) -> None:
    """Recount the tallies of ``registrations`` (ids) from their items. Call it inside the
    write's transaction, after the write."""
    ids = sorted({int(pk) for pk in registrations if pk})
    if not ids:
        return
    with transaction.atomic(savepoint=False):
        # NO KEY UPDATE: refreshers of a registration wait for each other (the services
        # already hold its FOR UPDATE lock, which this does not weaken), while the rows that
        # merely point at it (its tallies, events) do not wait.
        locked = Registration.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
        list(locked.values_list("pk"))
        RegistrationTally.objects.filter(registration_id__in=ids).delete()
        RegistrationTally.objects.bulk_create(_rows(RegistrationTally, _count(ids)), batch_size=2000)


def recount_all() -> dict[Key, dict[str, int]]:
    return _count(None)


def rebuild() -> int:
    """Replace every tally with a recount of the items; returns the rows written."""
    return replace_all(RegistrationTally, lambda: _rows(RegistrationTally, recount_all()))


def stored() -> dict[Key, dict[str, int]]:
    """The tallies, as ``recount_all`` returns them."""
    return {
        (r.pop("registration_id"), r.pop("kind")): r
        for r in RegistrationTally.objects.values(
            "registration_id",
            "kind",
            "program_id",
            "year",
            "unit_id",
            "org_kind",
            "submitted",
            "committed",
            "achieved",
            "partly",
            "not_achieved",
            "pledged",
        )  # fmt: skip
    }
