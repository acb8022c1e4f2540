"""Every write of the households app: keyword-only, atomic, checked against access.py."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, transaction
from django.db.models import DateField, Q, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.text import normalize, normalized_for
from organizations import access
from organizations.access import Permission
from organizations.models import Organization, OrgKind, Unit, UnitLevel, User
from programs.models import Program

from . import aid, fund, gaps, rules, standards
from .models import (
    HOUSEHOLD_IDENTITY_UNIQUE,
    AccessAction,
    DonorType,
    EntryKind,
    FundEntry,
    FundingSource,
    Household,
    HouseholdStatus,
    PersonalDataAccess,
    Sponsorship,
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


def _duplicate_allowed(allow_duplicate: bool, duplicates) -> bool:
    """Whether the household is saved as a confirmed other household: only when the user
    confirmed and one with the same identity is there, so that a needless confirmation does
    not take the household out of the database's guard (household_identity_unique)."""
    return allow_duplicate and duplicates.exists()


def _save_household(household: Household) -> None:
    """Save; a household saved with the same identity by someone else since the read
    check (two identical creates sent at the same moment) gets the read check's answer."""
    try:
        with transaction.atomic():  # a savepoint: the error leaves the transaction usable
            household.save()
    except IntegrityError as error:
        if HOUSEHOLD_IDENTITY_UNIQUE not in str(error):
            raise
        raise ValidationError({"head_name": _duplicate_error()}) from error


@transaction.atomic
def create_household(*, area: Unit, by: User, allow_duplicate: bool = False, **fields) -> Household:
    _check_area(area)
    access.require(by, Permission.EDIT_IN_SCOPE, area)
    data = _clean_household(fields)
    duplicates = likely_duplicates(area=area, head_name=data["head_name"], birth_year=data.get("birth_year"))
    if not allow_duplicate and duplicates.exists():
        raise ValidationError({"head_name": _duplicate_error()})
    household = Household(
        area=area,
        created_by=by,
        duplicate_allowed=_duplicate_allowed(allow_duplicate, duplicates),
        **{k: v for k, v in data.items() if k in HOUSEHOLD_FIELDS},
    )
    _save_household(household)
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
    duplicates = likely_duplicates(
        area=household.area,
        head_name=data["head_name"],
        birth_year=data.get("birth_year"),
        exclude_pk=household.pk,
    )
    if not allow_duplicate and duplicates.exists():
        raise ValidationError({"head_name": _duplicate_error()})
    for key in HOUSEHOLD_FIELDS:
        if key in data:
            setattr(household, key, data[key])
    household.duplicate_allowed = _duplicate_allowed(allow_duplicate, duplicates)
    household.version = version + 1
    _save_household(household)  # through save(), so the audit log records old → new
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
    deprivations = list(deprivations or [])
    standard = standards.check_status(year=year, status=status, deprivations=deprivations)
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
    # The year's review decides the outcome of the year before's sponsorships (rules.outcome).
    aid.refresh(areas=[household.area_id], years=[year - 1])
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
    _check_sponsorship_year(year)
    if not sponsor_candidates(household).filter(pk=organization.pk).exists():
        raise ValidationError(
            {"organization": _("Choose an organization of the household's residential area or commune.")}
        )
    # Serialize sponsorships at the area, whose quota the organizations of a kind there share,
    # so two clerks cannot both take the last place.
    Unit.objects.select_for_update(no_key=True).filter(pk=household.area_id).first()
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
    # Rule 3's quota is the organization kind's at the area: its branch there and the
    # commune organization share it (households/rules.py).
    _low, high = household_range(household.area, year)
    taken = rules.taken(organization.kind, household.area_id, year)
    if rules.applies(organization.kind, household.area_id) and taken >= high:
        raise ValidationError(
            {
                "organization": _(
                    "The %(kind)s organizations of %(area)s (its branch and the commune's) already "
                    "take on %(count)s households in %(year)s; the program allows at most %(max)s."
                )
                % {
                    "kind": organization.get_kind_display(),
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


def _check_sponsorship_year(year: int) -> None:
    for validator in (MinValueValidator(1990), MaxValueValidator(2100)):
        try:
            validator(year)
        except ValidationError as error:
            raise ValidationError({"year": error.messages}) from None


@transaction.atomic
def sponsor_other(
    *, household: Household, year: int, sponsor_name: str, sponsor_type: str, by: User, note: str = ""
) -> Sponsorship:
    """A sponsor beyond the organizations (an enterprise, a person, an agency) the Front of the
    household's commune mobilized takes the household on for the year: it closes the gap for
    the household, and counts toward no organization's 1-3 households."""
    access.require(by, Permission.EDIT_IN_SCOPE, household)
    access.require(by, Permission.MANAGE_FRONT_RECORDS, household.area.parent)
    _check_sponsorship_year(year)
    sponsor_name = " ".join((sponsor_name or "").split())
    if not sponsor_name:
        raise ValidationError({"sponsor_name": _("Enter the sponsor's name.")})
    if sponsor_type not in DonorType.values:
        raise ValidationError({"sponsor_type": _("Choose the kind of sponsor.")})
    # The area's sponsorships are written one after the other (as ``sponsor`` does).
    Unit.objects.select_for_update(no_key=True).filter(pk=household.area_id).first()
    # The same sponsor written with other case or accents ("ông a" for "Ông A"): compared
    # normalized, in Python, over the household's few sponsors of the year.
    named = Sponsorship.objects.filter(household=household, year=year, organization__isnull=True)
    if normalize(sponsor_name) in {normalize(n) for n in named.values_list("sponsor_name", flat=True)}:
        raise ValidationError(
            {
                "sponsor_name": _("%(sponsor)s already sponsors this household in %(year)s.")
                % {"sponsor": sponsor_name, "year": year}
            }
        )
    sponsorship = Sponsorship.objects.create(
        household=household,
        year=year,
        sponsor_name=sponsor_name,
        sponsor_type=sponsor_type,
        note=" ".join(note.split()),
        created_by=by,
    )
    gaps.refresh(areas=[household.area_id], years=[year])
    aid.refresh(areas=[household.area_id], years=[year])
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
    from_fund = fundings.get(FundingSource.FUND)
    if from_fund:
        ledger = _support_ledger(household, by)
        # Checked before anything is written, with the ledger locked until the commit.
        _check_entry_date(ledger, date, field=FUND_FIELD)
        _refuse_overdraft(ledger, date, from_fund, field=FUND_FIELD)
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
    if from_fund:
        FundEntry.objects.create(
            unit=ledger,
            kind=EntryKind.SPENDING,
            date=date,
            amount=from_fund,
            household=household,
            purpose=(" ".join(note.split()) or support.get_kind_display())[:500],
            support=support,
            confirmed=True,
            created_by=by,
        )
        fund.refresh(unit_id=ledger.pk, years=[date.year])
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


def _lock_area(areas) -> int | None:
    """Lock a residential area's row as ``aid.refresh`` does; returns its parent's id.
    ``areas``: a list of its id, or a query of it."""
    units = Unit.objects.select_for_update(no_key=True).filter(pk__in=areas)
    return units.values_list("parent_id", flat=True).first()


# The support form's field of the amount paid from the fund: where its refusals are shown.
FUND_FIELD = f"source_{FundingSource.FUND}"
# The fund's first year where no program covers a Front level (QĐ 1198/QĐ-MTTW-ĐCT, 2016).
FIRST_FUND_YEAR = 2016


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _support_ledger(household: Household, by: User) -> Unit:
    """The ledger that pays a household's support from the fund: its commune Front's."""
    # The area locked before the ledger, as ``aid.refresh`` locks an area before its commune:
    # two writers of the area and the commune never wait for each other in a circle.
    parent = _lock_area([household.area_id])
    commune = Unit.objects.select_for_update().filter(pk=parent, level=UnitLevel.COMMUNE).first()
    if commune is None:
        raise ValidationError({FUND_FIELD: _("The household's residential area belongs to no commune.")})
    if not access.can(by, Permission.MANAGE_FRONT_RECORDS, commune):
        raise ValidationError(
            {
                FUND_FIELD: _(
                    "Only the Front of %(commune)s can pay from its fund; ask it to record this support."
                )
                % {"commune": commune.name}
            }
        )
    return commune


def _campaign_years(unit: Unit) -> list[tuple[int, int]]:
    """The campaign periods (first, last year) of the programs whose owner contains ``unit``,
    overlapping ones joined, in order."""
    periods: list[tuple[int, int]] = []
    for first, last in sorted(
        Program.objects.filter(owner_unit_id__in=unit.ancestor_ids()).values_list("start_year", "end_year")
    ):
        if periods and first <= periods[-1][1] + 1:
            periods[-1] = (periods[-1][0], max(periods[-1][1], last))
        else:
            periods.append((first, last))
    return periods


def latest_entry_date(unit: Unit) -> datetime.date:
    """The latest date a ledger entry of ``unit`` may have: today, or the last day of its
    programs' latest campaign period when that ended (what the ledger's forms offer)."""
    today = timezone.localdate()
    periods = _campaign_years(unit)
    return min(today, datetime.date(periods[-1][1], 12, 31)) if periods else today


def _check_entry_date(unit: Unit, date: datetime.date, *, field: str = "date") -> None:
    """A ledger's entry is dated within a campaign period of a program covering its Front
    level (from 2016 where none does), and not in the future."""
    today = timezone.localdate()
    if date > today:
        raise ValidationError(
            {field: _("The date cannot be later than today (%(today)s).") % {"today": _day(today)}}
        )
    periods = _campaign_years(unit)
    if not periods:
        if date.year < FIRST_FUND_YEAR:
            raise ValidationError(
                {
                    field: _("The fund's ledger starts in %(year)s: enter a date from 01/01/%(year)s on.")
                    % {"year": FIRST_FUND_YEAR}
                }
            )
        return
    if not any(first <= date.year <= last for first, last in periods):
        raise ValidationError(
            {
                field: _(
                    "%(date)s is outside the campaign periods of the programs of this Front level (%(periods)s)."
                )
                % {
                    "date": _day(date),
                    "periods": ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in periods),
                }
            }
        )


def _refuse_overdraft(unit: Unit, date: datetime.date, amount: int, *, field: str = "amount") -> None:
    """Refuse taking ``amount`` out of the ledger from ``date`` on if its balance at the end of
    that day or of any later day with entries would fall below zero (a back-dated spending
    must not overdraw the days after it). One grouped query: the entries before ``date``
    are grouped onto ``date``, so each row is a day from ``date`` on and its net change."""
    net = fund.signed(EntryKind.RECEIPT) - fund.signed(EntryKind.SPENDING)
    days = (
        FundEntry.objects.filter(unit=unit, confirmed=True)
        .annotate(day=Greatest("date", Value(date, output_field=DateField())))
        .values("day")
        .annotate(net=Sum(net))
        .order_by("day")
    )
    rows = list(days)
    if not rows or rows[0]["day"] > date:
        rows.insert(0, {"day": date, "net": 0})  # nothing on or before ``date``
    balance = 0
    for row in rows:
        balance += row["net"]
        if balance < amount:
            break
    else:
        return
    raise ValidationError(
        {
            field: _("On %(date)s the fund holds only %(balance)s đ; %(shortfall)s đ short.")
            % {"date": _day(row["day"]), "balance": _vnd(balance), "shortfall": _vnd(amount - balance)}
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
    _check_entry_date(unit, date)
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
        _refuse_overdraft(unit, date, amount)
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
    if entry.support_id:
        # Report (c) is recounted for the support's area: locked first, as record_support does.
        _lock_area(Support.objects.filter(pk=entry.support_id).values("household__area_id"))
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
    if date < entry.date:
        raise ValidationError(
            {
                "date": _("A reversal cannot be dated before the entry it reverses (%(date)s).")
                % {"date": _day(entry.date)}
            }
        )
    _check_entry_date(entry.unit, date)
    if entry.kind == EntryKind.RECEIPT:
        # The receipt's money leaves the ledger on the reversal's date.
        _refuse_overdraft(entry.unit, date, entry.amount, field="date")
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
    if entry.support_id:
        # Report (c) counts the fund's share of a support from its unreversed entry.
        area, date = Support.objects.values_list("household__area_id", "date").get(pk=entry.support_id)
        aid.refresh(areas=[area], years=[date.year])
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
