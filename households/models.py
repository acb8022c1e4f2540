"""Who is helped: households, their yearly status, sponsorships, support given, the fund.

Scoped models say how they hang on the unit tree (``access_unit_field``) so that
``organizations.access.visible`` restricts them; see that module's docstring.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.constraints import choice_checks
from core.text import normalize, normalized_for
from organizations.models import Organization, OrgKind, Unit, UnitLevel


class PovertyStandard(models.Model):
    """A legal poverty standard and the years it applies to; thresholds are data."""

    code = models.CharField(pgettext_lazy("poverty standard", "legal basis"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    # e.g. {"rural_poor": 700000, "rural_near_poor": 1000000, "urban_poor": 900000, ...}
    thresholds = models.JSONField(_("thresholds (VND per person per month)"), default=dict, blank=True)
    indicators = models.JSONField(_("deprivation indicators"), default=list, blank=True)

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="poverty_standard_years_in_order"
            ),
        ]

    def __str__(self):
        return self.code

    @classmethod
    def for_year(cls, year: int) -> "PovertyStandard | None":
        """The standard in force in ``year``: the most recent one that covers it."""
        return cls.objects.filter(first_year__lte=year, last_year__gte=year).order_by("-first_year").first()


class Ethnicity(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    name_normalized = models.CharField(max_length=80, editable=False, db_index=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("ethnicity")
        verbose_name_plural = _("ethnicities")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_normalized = normalized_for(Ethnicity, self.name)
        super().save(*args, **kwargs)


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PolicyKind(models.TextChoices):
    MERIT = "merit", _("Person with merit to the revolution")
    MARTYR = "martyr", _("Family of a war martyr")
    INVALID = "invalid", _("War invalid or sick soldier")
    OTHER = "other", _("Other policy household")


class HouseholdQuerySet(models.QuerySet):
    def in_areas(self, units):
        return self.filter(area__in=units)

    def search(self, text: str):
        words = normalize(text).split()
        qs = self
        for word in words:
            qs = qs.filter(name_normalized__contains=word)
        return qs


def created_by_field() -> models.ForeignKey:
    """Who entered a record (shown in the change log as "Người tạo")."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


HOUSEHOLD_IDENTITY_UNIQUE = "household_identity_unique"


class Household(models.Model):
    """A household of a residential area, known by its head."""

    area = models.ForeignKey(
        Unit,
        verbose_name=_("residential area"),
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"level": "area"},
    )
    head_name = models.CharField(_("head of household"), max_length=150)
    name_normalized = models.CharField(
        _("name without accents"), max_length=150, editable=False, db_index=True
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    ethnicity = models.ForeignKey(
        Ethnicity, verbose_name=_("ethnicity"), on_delete=models.PROTECT, null=True, blank=True
    )
    members = models.PositiveSmallIntegerField(_("number of members"), default=1)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    national_id = models.CharField(_("national ID number"), max_length=12, blank=True)
    # Organization kinds the household has members in (a list of OrgKind values).
    member_kinds = models.JSONField(_("organizations it has members in"), default=list, blank=True)
    is_policy = models.BooleanField(_("policy household"), default=False)
    policy_kind = models.CharField(_("policy kind"), max_length=16, choices=PolicyKind.choices, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # Set when the user confirmed that this is another household with the same head, year
    # of birth and area as one already listed: only such households may share that
    # identity (household_identity_unique). The database default lets the bulk loaders
    # (COPY, bulk_create) leave it out.
    duplicate_allowed = models.BooleanField(
        _("confirmed as another household with the same head, year of birth and area"),
        default=False,
        db_default=False,
        editable=False,
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = created_by_field()

    objects = HouseholdQuerySet.as_manager()

    access_unit_field = "area"
    access_kind_field = None

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["area__path", "name_normalized", "pk"]
        indexes = [models.Index(fields=["area", "name_normalized", "birth_year"], name="household_dedup_key")]
        constraints = [
            *choice_checks(
                "household", gender=Gender, policy_kind=PolicyKind, blank=["gender", "policy_kind"]
            ),
            models.CheckConstraint(condition=Q(members__gte=1), name="household_members_positive"),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="household_birth_year_plausible",
            ),
            # One household per head (name without accents), year of birth and area, unless
            # the user confirmed another one: two identical creates sent at the same moment
            # both pass the services' read check, and the second is stopped here. A missing
            # year of birth counts as one value (NULLs would never collide in an index).
            models.UniqueConstraint(
                F("area"),
                F("name_normalized"),
                Coalesce(F("birth_year"), Value(0)),
                condition=Q(duplicate_allowed=False),
                name=HOUSEHOLD_IDENTITY_UNIQUE,
            ),
        ]

    def __str__(self):
        return self.head_name

    def save(self, *args, **kwargs):
        self.name_normalized = normalized_for(Household, self.head_name)
        super().save(*args, **kwargs)

    @property
    def masked_national_id(self) -> str:
        return mask_id(self.national_id)

    def member_kind_labels(self) -> list[str]:
        labels = dict(OrgKind.choices)
        return [str(labels[k]) for k in self.member_kinds if k in labels]


def mask_id(value: str) -> str:
    """Show only the last three digits of an ID number."""
    if not value:
        return ""
    return "•" * max(len(value) - 3, 0) + value[-3:]


class Status(models.TextChoices):
    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    ESCAPED = "escaped", _("Escaped poverty")
    ESCAPED_NEAR = "escaped_near", _("Escaped near-poverty")
    AVERAGE = "average", _("Average living standard")
    NONE = "none", _("Not classified")


# Statuses the program's promise covers (with policy households).
NEEDY_STATUSES = [Status.POOR, Status.NEAR_POOR]


class HouseholdStatus(models.Model):
    """The status one official review gave a household for one year."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="statuses"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(pgettext_lazy("household", "status"), max_length=16, choices=Status.choices)
    standard = models.ForeignKey(
        PovertyStandard, verbose_name=_("poverty standard"), on_delete=models.PROTECT, null=True, blank=True
    )
    deprivations = models.JSONField(_("deprivation indicators"), default=list, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    access_unit_field = "household__area"
    access_kind_field = None

    class Meta:
        verbose_name = _("yearly status")
        verbose_name_plural = _("yearly statuses")
        ordering = ["household", "year"]
        # With the household, the gap's "needy this year" test reads the index alone: a
        # province's 67,000 needy households of a year in 7 ms instead of 100 from the table.
        indexes = [models.Index(fields=["year", "status", "household"], name="household_status_by_year")]
        constraints = [
            *choice_checks("household_status", status=Status),
            models.UniqueConstraint(fields=["household", "year"], name="household_status_one_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="household_status_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.household} {self.year}: {self.get_status_display()}"


class DonorType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    AGENCY = "agency", _("Agency")
    ENTERPRISE = "enterprise", _("Enterprise")
    ORGANIZATION = "organization", _("Organization")


class Outcome(models.TextChoices):
    PENDING = "pending", _("In progress")
    ESCAPED = "escaped", _("Escaped poverty")
    NOT_ESCAPED = "not_escaped", _("Not yet escaped")


class Sponsorship(models.Model):
    """A household taken on for a year: by an organization (its branch at the area, or the
    commune organization), or by another sponsor the Front mobilized (seed II.1.2:
    enterprises, individuals, agencies), named and typed instead."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="sponsorships",
        null=True,
        blank=True,
    )
    sponsor_name = models.CharField(_("other sponsor"), max_length=255, blank=True)
    sponsor_type = models.CharField(
        _("kind of sponsor"), max_length=16, choices=DonorType.choices, blank=True
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="sponsorships"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = created_by_field()

    access_unit_field = "household__area"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        ordering = ["year", "household"]
        indexes = [
            models.Index(fields=["household", "year"], name="sponsorship_household_year"),
            # A year's sponsored households from the index alone, for the gap's "no sponsor"
            # test over many households (a province's year: 5 ms instead of a 28 ms scan).
            models.Index(fields=["year", "household"], name="sponsorship_year_household"),
        ]
        constraints = [
            *choice_checks("sponsorship", blank=["sponsor_type"], sponsor_type=DonorType),
            models.UniqueConstraint(
                fields=["organization", "household", "year"], name="sponsorship_once_per_org_household_year"
            ),
            models.UniqueConstraint(
                fields=["sponsor_name", "household", "year"],
                condition=Q(organization__isnull=True),
                name="sponsorship_once_per_other_sponsor_household_year",
            ),
            # An organization, or another sponsor with its name and kind: never both, never neither.
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(sponsor_name="") & Q(sponsor_type=""))
                | (Q(organization__isnull=True) & ~Q(sponsor_name="") & ~Q(sponsor_type="")),
                name="sponsorship_organization_or_other_sponsor",
            ),
        ]

    def __str__(self):
        return f"{self.sponsor} → {self.household} ({self.year})"

    @property
    def sponsor(self) -> str:
        """Who takes the household on: the organization, or the other sponsor and its kind."""
        if self.organization_id:
            return str(self.organization)
        return f"{self.sponsor_name} ({self.get_sponsor_type_display()})"


class SupportKind(models.TextChoices):
    CASH = "cash", _("Cash")
    GOODS = "goods", _("Goods")
    SEEDLINGS = "seedlings", _("Seedlings or livestock")
    HOUSE = "house", _("Great-unity house")
    REPAIR = "repair", _("House repair")
    CAPITAL = "capital", _("Production capital or loan")
    LABOUR = "labour", _("Labour days")
    TRAINING = "training", _("Training")
    HEALTH = "health", _("Health care")
    SCHOOLING = "schooling", _("Schooling")


class Support(models.Model):
    """Help given to a household, with its value in VND and where the money came from."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="supports"
    )
    sponsorship = models.ForeignKey(
        Sponsorship,
        verbose_name=_("sponsorship"),
        on_delete=models.PROTECT,
        related_name="supports",
        null=True,
        blank=True,
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of support"), max_length=16, choices=SupportKind.choices)
    value = models.BigIntegerField(_("value (VND)"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = created_by_field()

    access_unit_field = "household__area"
    access_kind_field = None

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["-date", "-pk"]
        constraints = [
            *choice_checks("support", kind=SupportKind),
            models.CheckConstraint(condition=Q(value__gte=0), name="support_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value}"


class FundingSource(models.TextChoices):
    FUND = "fund", _("“For the Poor” fund")
    ORGANIZATION = "organization", _("Organization")
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUALS = "individuals", _("Individuals")
    STATE = "state", pgettext_lazy("funding source", "State")
    FAMILY = "family", _("Family")


class SupportFunding(models.Model):
    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("source"), max_length=16, choices=FundingSource.choices)
    amount = models.BigIntegerField(_("amount (VND)"))

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            *choice_checks("support_funding", source=FundingSource),
            models.CheckConstraint(condition=Q(amount__gt=0), name="support_funding_amount_positive"),
            models.UniqueConstraint(fields=["support", "source"], name="support_funding_one_per_source"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.amount}"


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    SPENDING = "spending", _("Spending")


class FundEntry(models.Model):
    """One line of the "Vì người nghèo" fund ledger of one Front level.

    Confirmed entries are never edited or deleted: a mistake is corrected by a reversing
    entry (same kind, ``reverses`` set) that counts with the opposite sign.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("Front level"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    date = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (VND)"))
    number = models.CharField(_("receipt or decision number"), max_length=60, blank=True)
    donor = models.CharField(_("donor"), max_length=255, blank=True)
    donor_type = models.CharField(_("donor type"), max_length=16, choices=DonorType.choices, blank=True)
    campaign_period = models.CharField(_("campaign period"), max_length=120, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="fund_entries",
        null=True,
        blank=True,
    )
    project = models.CharField(_("project"), max_length=255, blank=True)
    purpose = models.CharField(pgettext_lazy("fund ledger", "purpose"), max_length=500, blank=True)
    confirmed = models.BooleanField(pgettext_lazy("fund ledger", "confirmed"), default=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses entry"),
        on_delete=models.PROTECT,
        related_name="reversed_by",
        null=True,
        blank=True,
    )
    # The support this spending paid for (the support's "from the fund" part): report (c)
    # counts the fund's share of support from these entries, so it cannot differ from the
    # ledger. No accessor on Support: the change log would read it on every support saved.
    support = models.OneToOneField(
        Support,
        verbose_name=_("support"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = created_by_field()
    # Optimistic concurrency: a reversal is the one change an entry undergoes; the form
    # carries the version it was based on, and a stale one is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    access_unit_field = "unit"
    access_kind_field = None

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["unit", "date"], name="fund_entry_unit_date")]
        constraints = [
            *choice_checks("fund_entry", kind=EntryKind, donor_type=DonorType, blank=["donor_type"]),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_entry_amount_positive"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reverses=F("pk")),
                name="fund_entry_not_self_reversing",
            ),
            # Only a spending pays for a support; its reversal points at it, not at the support.
            models.CheckConstraint(
                condition=Q(support__isnull=True) | Q(kind=EntryKind.SPENDING, reverses__isnull=True),
                name="fund_entry_support_is_a_spending",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def signed_amount(self) -> int:
        """Effect on the balance."""
        sign = 1 if self.kind == EntryKind.RECEIPT else -1
        return -sign * self.amount if self.reverses_id else sign * self.amount


class FundYear(models.Model):
    """Receipts and spending of one Front level's fund in one year, reversals counted with
    their opposite sign (as ``households.selectors.fund_years`` counts them), kept in step
    with the ledger by the households services in the write's transaction
    (households/fund.py), so the fund report of a province sums about a thousand rows
    instead of every entry. ``entries`` counts the year's entries: a year whose entries
    cancel out is still a year of the ledger."""

    unit = models.ForeignKey(Unit, verbose_name=_("Front level"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    entries = models.PositiveIntegerField(default=0)
    receipts = models.BigIntegerField(default=0)
    spending = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("fund year")
        verbose_name_plural = _("fund years")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="fund_year_one_per_unit_year")]

    def __str__(self):
        return f"{self.unit_id} {self.year}"


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed a household")
    EXPORT = "export", _("Exported a list")


class PersonalDataAccess(models.Model):
    """Who viewed a household's page or exported personal data, when, with which filter."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=8, choices=AccessAction.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("what"), max_length=120, blank=True)
    filters = models.CharField(_("filter"), max_length=500, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)

    access_unit_field = "unit"
    access_kind_field = None

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-pk"]
        constraints = [*choice_checks("personal_data_access", action=AccessAction)]

    def __str__(self):
        return f"{self.user} {self.action} {self.at}"


class ReviewImport(models.Model):
    """An uploaded review list, kept between the preview and the confirmation: what its file
    held, read once at upload (``parsed``: households.imports.ReviewRows), not the file itself.
    The applied upload keeps its summary; a refused one is not kept."""

    commune = models.ForeignKey(Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    file_name = models.CharField(_("file"), max_length=255)
    parsed = models.JSONField(default=dict, blank=True)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    access_unit_field = "commune"
    access_kind_field = None

    class Meta:
        verbose_name = _("review list import")
        verbose_name_plural = _("review list imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.file_name


def communes_in_scope_q(scope) -> Q:
    """Summary rows per commune (``commune``) visible in a scope: its subtree's communes. A
    residential area's scope sees none, as a commune's figures include its other areas: its
    pages read the areas' rows (``access.sees_whole_communes``)."""
    if scope.unit.level == UnitLevel.AREA:
        return Q(pk__in=[])
    return scope.unit.subtree_q("commune")


class GapFigures(models.Model):
    """Summary figures of the sponsorship gap of one place and year.

    The gap (rule 3, "không để hộ chính sách khó khăn, hộ nghèo nào mà không có tổ chức hỗ
    trợ") is counted over the year's *gap households*: poor households, and policy households
    in difficulty (a policy household that is poor or near-poor in the year; one of average
    living standard is not). Near-poor households that are not policy households are
    watched beside the gap, not counted in it. Every figure of a year's row is a stock at
    the year's review, except ``escaped`` and ``escaped_near`` (the year's escapes).
    ``year`` 0 is the row for every year: all the place's households (the list's length).
    """

    year = models.PositiveSmallIntegerField(_("year"))
    poor = models.PositiveIntegerField(default=0)
    near_poor = models.PositiveIntegerField(default=0)
    poor_sponsored = models.PositiveIntegerField(default=0)
    near_poor_sponsored = models.PositiveIntegerField(default=0)
    escaped = models.PositiveIntegerField(default=0)
    escaped_near = models.PositiveIntegerField(default=0)
    # Policy households that are poor or near-poor in the year ("in difficulty").
    policy_needy = models.PositiveIntegerField(default=0)
    # The gap households (poor, or policy and near-poor), and those of them with no sponsor.
    gap_households = models.PositiveIntegerField(default=0)
    gap = models.PositiveIntegerField(default=0)
    # Near-poor households outside the gap (not policy households) with no sponsor.
    near_poor_unsponsored = models.PositiveIntegerField(default=0)
    # Households with a status of any kind in the year (the reports list a commune's year
    # when it has one).
    reviewed = models.PositiveIntegerField(default=0)
    # Year 0 only: every household of the place (the household list's length).
    households = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class GapSummary(GapFigures):
    """The gap figures of one residential area, kept in step with the raw records by every
    households service in the same transaction (households/gaps.py)."""

    area = models.ForeignKey(
        Unit, verbose_name=_("residential area"), on_delete=models.CASCADE, related_name="+"
    )

    access_unit_field = "area"
    access_kind_field = None

    class Meta:
        verbose_name = _("gap summary")
        verbose_name_plural = _("gap summaries")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="gap_summary_one_per_area_year"),
            models.CheckConstraint(
                condition=Q(year=0) | Q(year__gte=1990, year__lte=2100), name="gap_summary_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.area_id} {self.year}"


class GapCommuneSummary(GapFigures):
    """The residential areas' GapSummary rows added up per commune, kept in step with them
    (households/gaps.py): a province's pages sum 1,300 rows instead of 13,000. An area never
    moves to another commune, so its rows always add up into the same commune's."""

    commune = models.ForeignKey(Unit, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("gap summary of a commune")
        verbose_name_plural = _("gap summaries of communes")
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="gap_commune_summary_one_per_year"),
        ]

    def __str__(self):
        return f"{self.commune_id} {self.year}"

    @staticmethod
    def access_q(scope) -> Q:
        return communes_in_scope_q(scope)


class AidFigure(models.TextChoices):
    SPONSORSHIPS = "sponsorships", _("Sponsorships by organization")
    SUPPORTS = "supports", _("Support by kind")
    FUNDING = "funding", _("Support by funding source")


class AidFigures(models.Model):
    """One figure of sponsorships, supports or their funding in one year, by kind.

    ``key`` is the sponsoring organization's kind, the kind of support or the funding
    source, as ``figure`` says. ``count`` counts sponsorships or supports, ``escaped`` the
    sponsorships whose household escaped poverty, ``value`` the supports' value or the
    funding's amount (VND). A support's year is the year of its date."""

    year = models.PositiveSmallIntegerField(_("year"))
    figure = models.CharField(max_length=16, choices=AidFigure.choices)
    key = models.CharField(max_length=16)
    count = models.PositiveIntegerField(default=0)
    escaped = models.PositiveIntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    @staticmethod
    def kind_q(scope) -> Q:
        """An organization's scope sees the sponsorships of its own kind only (as
        Sponsorship.access_kind_field), and every support and funding (Support has no kind)."""
        return ~Q(figure=AidFigure.SPONSORSHIPS) | Q(key=scope.kind) if scope.kind else Q()


class AidSummary(AidFigures):
    """Sponsorships, supports and their funding of one residential area and year, by kind,
    kept in step with the raw records by the households services in the same transaction
    (households/aid.py), so report (c) sums a few thousand rows instead of half a million."""

    area = models.ForeignKey(
        Unit, verbose_name=_("residential area"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("aid summary")
        verbose_name_plural = _("aid summaries")
        constraints = [
            *choice_checks("aid_summary", figure=AidFigure),
            models.UniqueConstraint(
                fields=["area", "year", "figure", "key"], name="aid_summary_one_per_area_year_key"
            ),
        ]

    def __str__(self):
        return f"{self.area_id} {self.year} {self.figure} {self.key}"

    @classmethod
    def access_q(cls, scope) -> Q:
        """Like the records it counts: the areas of the scope's subtree, and the kind rule."""
        return scope.unit.subtree_q("area") & cls.kind_q(scope)


class AidCommuneSummary(AidFigures):
    """The residential areas' AidSummary rows added up per commune, kept in step with them
    (households/aid.py): a province's report (c) sums 14,000 rows instead of 140,000. An area
    never moves to another commune, so its rows always add up into the same commune's."""

    commune = models.ForeignKey(Unit, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("aid summary of a commune")
        verbose_name_plural = _("aid summaries of communes")
        constraints = [
            *choice_checks("aid_commune_summary", figure=AidFigure),
            models.UniqueConstraint(
                fields=["commune", "year", "figure", "key"], name="aid_commune_summary_one_per_year_key"
            ),
        ]

    def __str__(self):
        return f"{self.commune_id} {self.year} {self.figure} {self.key}"

    @classmethod
    def access_q(cls, scope) -> Q:
        return communes_in_scope_q(scope) & cls.kind_q(scope)
