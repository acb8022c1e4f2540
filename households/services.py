"""Every write of the households app: keyword-only, atomic, checked against access.py."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.text import normalized_for
from organizations import access
from organizations.access import Permission
from organizations.models import Organization, OrgKind, Unit, UnitLevel, User
from programs.models import Program

from . import aid, fund, gaps
from .models import (
    AccessAction,
    EntryKind,
    FundEntry,
    FundingSource,
    Household,
    HouseholdStatus,
    Outcome,
    PersonalDataAccess,
    PovertyStandard,
    Sponsorship,
    Status,
    Support,
    SupportFunding,
)

HOUSEHOLD_FIELDS = [
    "head_name",
    "gender",
    "birth_year",
    "ethnicity",
    "members",
    "address",
    "phone",
    "national_id",
    "member_kinds",
    "is_policy",
    "policy_kind",
    "note",
]


# ---------------------------------------------------------------- rules as data


def program_for(unit: Unit, year: int) -> Program | None:
    """The program active in ``year`` whose owner is the nearest ancestor of ``unit``."""
    programs = Program.objects.active_in(year).filter(owner_unit_id__in=unit.ancestor_ids())
    return max(programs.select_related("owner_unit"), key=lambda p: len(p.owner_unit.path), default=None)


def household_range(unit: Unit, year: int) -> tuple[int, int]:
    """(min, max) households an organization takes on per area per year, set by the program.

    Without a program for that year the defaults of the program record apply.
    """
    program = program_for(unit, year)
    if program is None:
        fields = Program._meta
        return (
            fields.get_field("min_households_per_branch").default,
            fields.get_field("max_households_per_branch").default,
        )
    return program.min_households_per_branch, program.max_households_per_branch


# ---------------------------------------------------------------- households


def likely_duplicates(*, area: Unit, head_name: str, birth_year: int | None, exclude_pk: int | None = None):
    qs = Household.objects.filter(
        area=area, name_normalized=normalized_for(Household, head_name), birth_year=birth_year
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def _clean_household(data: dict) -> dict:
    data = dict(data)
    data["head_name"] = " ".join((data.get("head_name") or "").split())
    if not data["head_name"]:
        raise ValidationError({"head_name": _("Enter the name of the head of household.")})
    national_id = (data.get("national_id") or "").strip()
    if national_id and (
        not (national_id.isascii() and national_id.isdigit()) or len(national_id) not in (9, 12)
    ):
        raise ValidationError({"national_id": _("An ID number has 9 or 12 digits.")})
    data["national_id"] = national_id
    kinds = [k for k in data.get("member_kinds") or [] if k in OrgKind.values and k != OrgKind.FRONT]
    data["member_kinds"] = sorted(set(kinds))
    if not data.get("is_policy"):
        data["policy_kind"] = ""
    return data


def _duplicate_error() -> ValidationError:
    return ValidationError(
        _(
            "A household with the same head, year of birth and residential area already exists. "
            "Check the list, or confirm that this is another household."
        ),
        code="duplicate",
    )


def _check_area(area: Unit) -> None:
    if area.level != UnitLevel.AREA:
        raise ValidationError({"area": _("Choose a residential area.")})


@transaction.atomic
def create_household(*, area: Unit, by: User, allow_duplicate: bool = False, **fields) -> Household:
    _check_area(area)
    access.require(by, Permission.EDIT_IN_SCOPE, area)
    data = _clean_household(fields)
    if (
        not allow_duplicate
        and likely_duplicates(
            area=area, head_name=data["head_name"], birth_year=data.get("birth_year")
        ).exists()
    ):
        raise ValidationError({"head_name": _duplicate_error()})
    household = Household(
        area=area, created_by=by, **{k: v for k, v in data.items() if k in HOUSEHOLD_FIELDS}
    )
    household.save()
    gaps.refresh(areas=[household.area_id], years=[gaps.EVERY_YEAR])
    return household


@transaction.atomic
def update_household(
    *,
    household: Household,
    version: int,
    by: User,
    area: Unit | None = None,
    allow_duplicate: bool = False,
    **fields,
) -> Household:
    access.require(by, Permission.EDIT_IN_SCOPE, household)
    # Lock the row, then compare versions: a stale form never overwrites a newer save.
    household = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    if household.version != version:
        raise ValidationError(
            _("Someone else changed this household while you were editing. Reload the page and try again.")
        )
    old_area, old_policy = household.area_id, household.is_policy
    if area is not None and area.pk != household.area_id:
        _check_area(area)
        access.require(by, Permission.EDIT_IN_SCOPE, area)
        household.area = area
    data = _clean_household(fields)
    if (
        not allow_duplicate
        and likely_duplicates(
            area=household.area,
            head_name=data["head_name"],
            birth_year=data.get("birth_year"),
            exclude_pk=household.pk,
        ).exists()
    ):
        raise ValidationError({"head_name": _duplicate_error()})
    for key in HOUSEHOLD_FIELDS:
        if key in data:
            setattr(household, key, data[key])
    household.version = version + 1
    household.save()  # through save(), so the audit log records old → new
    if household.area_id != old_area or household.is_policy != old_policy:
        gaps.refresh(areas=[old_area, household.area_id], years=gaps.household_years([household.pk]))
    if household.area_id != old_area:
        aid.refresh(areas=[old_area, household.area_id], years=aid.household_years([household.pk]))
    return household


@transaction.atomic
def set_status(
    *, household: Household, year: int, status: str, by: User, deprivations: list[str] | None = None
) -> HouseholdStatus:
    access.require(by, Permission.EDIT_IN_SCOPE, household)
    if status not in Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if not 1990 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 1990 and 2100.")})
    standard = PovertyStandard.for_year(year)
    deprivations = list(deprivations or [])
    if deprivations and (standard is None or not set(deprivations) <= set(standard.indicators)):
        raise ValidationError(
            {
                "deprivations": _(
                    "These indicators are not those of the poverty standard in force in %(year)s."
                )
                % {"year": year}
            }
        )
    record, _created = HouseholdStatus.objects.update_or_create(
        household=household,
        year=year,
        defaults={
            "status": status,
            "standard": standard,
            "deprivations": deprivations,
            "recorded_by": by,
        },
    )
    gaps.refresh(areas=[household.area_id], years=[year])
    return record


# ---------------------------------------------------------------- sponsorship


def sponsor_candidates(household: Household):
    """Organizations that may take on the household: its area's branches and the commune's."""
    return Organization.objects.members().filter(
        Q(unit_id=household.area_id) | Q(unit_id=household.area.parent_id)
    )


@transaction.atomic
def sponsor(
    *, household: Household, organization: Organization, year: int, by: User, note: str = ""
) -> Sponsorship:
    access.require(by, Permission.EDIT_IN_SCOPE, household)
    access.require(by, Permission.EDIT_IN_SCOPE, organization)
    for validator in (MinValueValidator(1990), MaxValueValidator(2100)):
        try:
            validator(year)
        except ValidationError as error:
            raise ValidationError({"year": error.messages}) from None
    if not sponsor_candidates(household).filter(pk=organization.pk).exists():
        raise ValidationError(
            {"organization": _("Choose an organization of the household's residential area or commune.")}
        )
    # Serialize sponsorships of this organization so two clerks cannot both take the last place.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    existing = Sponsorship.objects.filter(household=household, year=year)
    if existing.filter(organization=organization).exists():
        raise ValidationError(
            _("This organization already sponsors this household in %(year)s.") % {"year": year}
        )
    note = " ".join(note.split())
    if existing.exists() and not note:
        raise ValidationError(
            {
                "note": _(
                    "Another organization already sponsors this household in %(year)s; "
                    "write a note explaining why a second one does."
                )
                % {"year": year}
            }
        )
    _low, high = household_range(household.area, year)
    taken = Sponsorship.objects.filter(
        organization=organization, household__area=household.area, year=year
    ).count()
    if taken >= high:
        raise ValidationError(
            {
                "organization": _(
                    "%(organization)s already takes on %(count)s households in %(area)s in %(year)s; "
                    "the program allows at most %(max)s."
                )
                % {
                    "organization": organization.name,
                    "count": taken,
                    "area": household.area.name,
                    "year": year,
                    "max": high,
                }
            }
        )
    sponsorship = Sponsorship.objects.create(
        organization=organization, household=household, year=year, note=note, created_by=by
    )
    gaps.refresh(areas=[household.area_id], years=[year])
    aid.refresh(areas=[household.area_id], years=[year])
    return sponsorship


@transaction.atomic
def set_outcome(*, sponsorship: Sponsorship, outcome: str, by: User) -> Sponsorship:
    access.require(by, Permission.EDIT_IN_SCOPE, sponsorship)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose a valid outcome.")})
    sponsorship.outcome = outcome
    sponsorship.save(update_fields=["outcome"])
    aid.refresh(areas=[sponsorship.household.area_id], years=[sponsorship.year])
    return sponsorship


@transaction.atomic
def record_support(
    *,
    household: Household,
    date: datetime.date,
    kind: str,
    value: int,
    by: User,
    fundings: dict[str, int] | None = None,
    sponsorship: Sponsorship | None = None,
    note: str = "",
) -> Support:
    access.require(by, Permission.EDIT_IN_SCOPE, household)
    if value is None or value < 0:
        raise ValidationError({"value": _("The value cannot be negative.")})
    fundings = {source: int(amount) for source, amount in (fundings or {}).items() if amount}
    for source, amount in fundings.items():
        if source not in FundingSource.values or amount < 0:
            raise ValidationError(_("Funding amounts must be positive."))
    if fundings and sum(fundings.values()) != value:
        raise ValidationError(
            {
                "value": _("The funding sources add up to %(sum)s đ, not to the value of the support.")
                % {"sum": sum(fundings.values())}
            }
        )
    if sponsorship is not None and sponsorship.household_id != household.pk:
        raise ValidationError(_("This sponsorship is for another household."))
    support = Support.objects.create(
        household=household,
        sponsorship=sponsorship,
        date=date,
        kind=kind,
        value=value,
        note=note,
        created_by=by,
    )
    SupportFunding.objects.bulk_create(
        [SupportFunding(support=support, source=source, amount=amount) for source, amount in fundings.items()]
    )
    aid.refresh(areas=[household.area_id], years=[date.year])
    return support


# ---------------------------------------------------------------- the fund


def fund_balance(unit: Unit, until: datetime.date | None = None) -> int:
    qs = FundEntry.objects.filter(unit=unit, confirmed=True)
    if until is not None:
        qs = qs.filter(date__lte=until)
    sums = qs.aggregate(
        receipts=Sum("amount", filter=Q(kind=EntryKind.RECEIPT, reverses__isnull=True), default=0),
        receipts_reversed=Sum("amount", filter=Q(kind=EntryKind.RECEIPT, reverses__isnull=False), default=0),
        spending=Sum("amount", filter=Q(kind=EntryKind.SPENDING, reverses__isnull=True), default=0),
        spending_reversed=Sum("amount", filter=Q(kind=EntryKind.SPENDING, reverses__isnull=False), default=0),
    )
    return sums["receipts"] - sums["receipts_reversed"] - sums["spending"] + sums["spending_reversed"]


def _check_fund_unit(unit: Unit, by: User) -> None:
    if unit.level not in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        raise ValidationError(_("The fund is kept by the Front of a province, district or commune."))
    access.require(by, Permission.MANAGE_FRONT_RECORDS, unit)


def _lock_ledger(unit: Unit) -> None:
    Unit.objects.select_for_update().filter(pk=unit.pk).first()


def _refuse_overdraft(unit: Unit, amount: int) -> None:
    balance = fund_balance(unit)
    if amount > balance:
        raise ValidationError(
            {
                "amount": _("The fund holds only %(balance)s đ; %(amount)s đ cannot be spent.")
                % {"balance": f"{balance:,}".replace(",", "."), "amount": f"{amount:,}".replace(",", ".")}
            }
        )


@transaction.atomic
def record_fund_entry(
    *,
    unit: Unit,
    kind: str,
    date: datetime.date,
    amount: int,
    by: User,
    number: str = "",
    donor: str = "",
    donor_type: str = "",
    campaign_period: str = "",
    household: Household | None = None,
    project: str = "",
    purpose: str = "",
) -> FundEntry:
    _check_fund_unit(unit, by)
    if kind not in EntryKind.values:
        raise ValidationError({"kind": _("Choose receipt or spending.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    _lock_ledger(unit)
    if kind == EntryKind.RECEIPT:
        if not donor.strip():
            raise ValidationError({"donor": _("Enter the donor.")})
    else:
        if household is None and not project.strip():
            raise ValidationError({"household": _("Spending goes to a household or to a project.")})
        if household is not None:
            access.require(by, Permission.VIEW, household)
            if not household.area.is_within(unit):
                raise ValidationError({"household": _("The household is not in this Front's area.")})
        if not purpose.strip():
            raise ValidationError({"purpose": _("Enter the purpose of the spending.")})
        _refuse_overdraft(unit, amount)
    entry = FundEntry.objects.create(
        unit=unit,
        kind=kind,
        date=date,
        amount=amount,
        number=number.strip(),
        donor=donor.strip(),
        donor_type=donor_type,
        campaign_period=campaign_period.strip(),
        household=household,
        project=project.strip(),
        purpose=purpose.strip(),
        confirmed=True,
        created_by=by,
    )
    fund.refresh(unit_id=unit.pk, years=[date.year])
    return entry


def _stale_entry_error(entry: FundEntry) -> ValidationError:
    moment = entry.updated_at or entry.created_at
    return ValidationError(
        _(
            "This entry was changed by %(user)s at %(time)s. Reload the page to see the change; nothing was saved."
        )
        % {
            "user": entry.updated_by or "—",
            "time": date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT"),
        },
        code="stale",
    )


@transaction.atomic
def reverse_fund_entry(
    *, entry: FundEntry, by: User, date: datetime.date, reason: str, version: int | None = None
) -> FundEntry:
    """Correct a confirmed entry: a new entry of the same kind that cancels it. Both stay.

    ``version`` is the entry's version the form was based on: if someone changed the entry
    since (reversed it), the reversal is refused and nothing is written."""
    _check_fund_unit(entry.unit, by)
    _lock_ledger(entry.unit)
    entry = FundEntry.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=entry.pk)
    if version is not None and int(version) != entry.version:
        raise _stale_entry_error(entry)
    if entry.reverses_id:
        raise ValidationError(_("A reversing entry cannot itself be reversed; record a new entry instead."))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the reversal.")})
    if entry.kind == EntryKind.RECEIPT:
        _refuse_overdraft(entry.unit, entry.amount)
    entry.version += 1
    entry.updated_by = by
    entry.updated_at = timezone.now()
    entry.save(update_fields=["version", "updated_by", "updated_at"])
    reversal = FundEntry.objects.create(
        unit=entry.unit,
        kind=entry.kind,
        date=date,
        amount=entry.amount,
        number=entry.number,
        donor=entry.donor,
        donor_type=entry.donor_type,
        household=entry.household,
        project=entry.project,
        purpose=reason,
        reverses=entry,
        confirmed=True,
        created_by=by,
    )
    fund.refresh(unit_id=entry.unit_id, years=[date.year])
    return reversal


# ---------------------------------------------------------------- personal data log


def log_access(
    *,
    user: User,
    action: str,
    unit: Unit,
    household: Household | None = None,
    what: str = "",
    filters: str = "",
    row_count: int = 0,
) -> PersonalDataAccess:
    if action not in AccessAction.values:
        raise PermissionDenied
    return PersonalDataAccess.objects.create(
        user=user,
        action=action,
        unit=unit,
        household=household,
        what=what,
        filters=filters[:500],
        row_count=row_count,
    )
