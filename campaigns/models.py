"""What is committed and done: the campaign and the signed coordination program."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, OrgKind, Unit


class Campaign(models.Model):
    """A national campaign, e.g. "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    launched_by = models.CharField(_("launched by"), max_length=255, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name


class ProgramQuerySet(models.QuerySet):
    def active_in(self, year: int):
        return self.filter(start_year__lte=year, end_year__gte=year)


class Program(models.Model):
    """A signed coordination program (Chương trình phối hợp) owned by one unit's Front.

    The owner is a unit of any level: a district in 2017, a province or a commune now.
    The program's numeric rules are data, so another program can set its own.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="programs"
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="programs"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("program above"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_programs",
    )
    number = models.CharField(_("number and symbol"), max_length=80, blank=True)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    legal_bases = models.TextField(_("legal bases"), blank=True, help_text=_("One per line."))
    purpose = models.TextField(_("purpose"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    implementation = models.TextField(_("organization of implementation"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    # The registry stamp of the received document: "Số, ĐẾN ngày, Chuyển, Lưu hồ sơ số".
    received_number = models.CharField(_("received number"), max_length=40, blank=True)
    received_on = models.DateField(_("date received"), null=True, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    file_number = models.CharField(_("file number"), max_length=40, blank=True)

    # Rules of the program (DOMAIN.md), numbers set by the program, not by code.
    min_contents_per_commune = models.PositiveSmallIntegerField(
        _("minimum contents per commune per year"), default=1
    )
    min_outstanding_areas_per_commune = models.PositiveSmallIntegerField(
        _("minimum outstanding residential areas per commune per year"), default=1
    )
    min_households_per_branch = models.PositiveSmallIntegerField(
        _("minimum poor households taken on per organization per area per year"), default=1
    )
    max_households_per_branch = models.PositiveSmallIntegerField(
        _("maximum poor households taken on per organization per area per year"), default=3
    )
    min_initiatives_per_organization = models.PositiveSmallIntegerField(
        _("minimum initiatives per grassroots organization"), default=1
    )
    preliminary_review_years = models.PositiveSmallIntegerField(
        _("preliminary review every (years)"), default=3
    )
    final_review_years = models.PositiveSmallIntegerField(_("final review after (years)"), default=5)

    objects = ProgramQuerySet.as_manager()

    access_unit_field = "owner_unit"

    class Meta:
        verbose_name = _("coordination program")
        verbose_name_plural = _("coordination programs")
        ordering = ["-start_year", "owner_unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="program_years_in_order",
            ),
            models.CheckConstraint(
                condition=Q(max_households_per_branch__gte=models.F("min_households_per_branch")),
                name="program_household_range_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.number} – {self.title}" if self.number else self.title

    @staticmethod
    def access_q(scope) -> Q:
        """Visible to its owner's subtree and to every unit below that works under it."""
        below = Unit.objects.filter(path__startswith=scope.unit.path).values("pk")
        return Q(owner_unit__in=below) | Q(owner_unit_id__in=scope.unit.ancestor_ids())

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class ContentKind(models.TextChoices):
    CONTENT = "content", _("Campaign content")
    MODEL_FIELD = "model_field", _("Model field")


class ProgramContent(models.Model):
    """An item of one of the program's lists: the campaign's contents or the model fields."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="contents"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContentKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)

    access_unit_field = "program__owner_unit"

    class Meta:
        verbose_name = _("program content")
        verbose_name_plural = _("program contents")
        ordering = ["program", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "kind", "order"], name="program_content_order_unique"),
        ]

    def __str__(self):
        return self.title


class ProgramParty(models.Model):
    """A party that signed the program, with its signatory."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.PROTECT)
    signing_body = models.CharField(_("signing on behalf of"), max_length=255, blank=True)
    signatory = models.CharField(_("signatory"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "organization"], name="program_party_once"),
        ]

    def __str__(self):
        return f"{self.organization} – {self.signatory}"


class Assignment(models.Model):
    """The field the program assigns to one organization kind (seed section II.2)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="assignments"
    )
    organization_kind = models.CharField(_("organization"), max_length=16, choices=OrgKind.choices)
    text = models.TextField(_("assignment"))
    suggested_models = models.TextField(_("suggested models"), blank=True, help_text=_("One per line."))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["program", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "organization_kind"], name="assignment_one_per_kind"),
        ]

    def __str__(self):
        return self.get_organization_kind_display()


# ---------------------------------------------------------------- annual registration


class RegistrationPeriodQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def open(self):
        return self.filter(closed_at__isnull=True)


class RegistrationPeriod(models.Model):
    """One year of registration and results under a program, opened by the Front.

    The organizations that must register are the period's registrations: opening the
    period creates one draft registration per expected organization.
    """

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="periods"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("opens on"))
    registration_deadline = models.DateField(_("deadline for registrations"))
    results_deadline = models.DateField(_("deadline for results"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RegistrationPeriodQuerySet.as_manager()

    access_unit_field = "program__owner_unit"

    class Meta:
        verbose_name = _("registration period")
        verbose_name_plural = _("registration periods")
        ordering = ["-year", "program_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year"], name="registration_period_one_per_program_year"
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__gte=models.F("opens_on")),
                name="registration_period_deadline_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(results_deadline__gte=models.F("registration_deadline")),
                name="registration_period_results_after_registration",
            ),
        ]

    def __str__(self):
        return f"{self.year} – {self.program.number or self.program.title}"

    @staticmethod
    def access_q(scope) -> Q:
        """Visible wherever its program is: the owner's subtree and the units below it."""
        below = Unit.objects.filter(path__startswith=scope.unit.path).values("pk")
        return Q(program__owner_unit__in=below) | Q(program__owner_unit_id__in=scope.unit.ancestor_ids())

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ResultsStatus(models.TextChoices):
    DRAFT = "draft", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    CONFIRMED = "confirmed", _("Confirmed")


class RegistrationQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(period__year=year)

    def received(self):
        return self.exclude(submitted_at__isnull=True)


class Registration(models.Model):
    """The bảng đăng ký: what one organization commits to in one year, then its results."""

    period = models.ForeignKey(
        RegistrationPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="registrations"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    results_status = models.CharField(
        _("results status"), max_length=16, choices=ResultsStatus.choices, default=ResultsStatus.DRAFT
    )
    results_submitted_at = models.DateTimeField(_("results submitted at"), null=True, blank=True)
    results_is_late = models.BooleanField(_("results late"), default=False)
    results_return_reason = models.TextField(_("reason for returning the results"), blank=True)
    # Optimistic concurrency: every write bumps it; a save based on an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegistrationQuerySet.as_manager()

    access_unit_field = "organization__unit"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["period", "organization__unit__path", "organization__kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organization"], name="registration_one_per_organization_and_period"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(results_status__in=ResultsStatus.values), name="registration_results_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="registration_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(results_status="draft") | Q(status="accepted"),
                name="registration_results_only_after_acceptance",
            ),
        ]

    def __str__(self):
        return f"{self.organization} – {self.period.year}"


class ItemKind(models.TextChoices):
    CONTENT = "content", _("Campaign content")
    INITIATIVE = "initiative", _("Model (initiative)")
    OUTSTANDING_AREA = "outstanding_area", _("Outstanding residential area")
    SPONSORSHIP_PLEDGE = "sponsorship_pledge", _("Poor households taken on")
    FUND_TARGET = "fund_target", _("Fund mobilization target")
    COMMUNICATION = "communication", _("Communication")
    SUPERVISION = "supervision", _("Supervision and social criticism")
    OTHER = "other", _("Other")


class InitiativeStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTINUING = "continuing", _("Continuing")


class ItemResult(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class RegistrationItem(models.Model):
    """One commitment of a registration, and at year end its result."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=24, choices=ItemKind.choices)
    description = models.TextField(_("description"))
    target_quantity = models.PositiveIntegerField(_("target"), null=True, blank=True)
    target_unit = models.CharField(_("unit of the target"), max_length=60, blank=True)
    content = models.ForeignKey(
        ProgramContent,
        verbose_name=_("campaign content"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": ContentKind.CONTENT},
    )
    model_field = models.ForeignKey(
        ProgramContent,
        verbose_name=_("model field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": ContentKind.MODEL_FIELD},
    )
    initiative_name = models.CharField(_("name of the model"), max_length=255, blank=True)
    initiative_status = models.CharField(
        _("new or continuing"), max_length=16, choices=InitiativeStatus.choices, blank=True
    )
    area = models.ForeignKey(
        Unit,
        verbose_name=_("residential area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    households_pledged = models.PositiveSmallIntegerField(_("households taken on"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount (VND)"), null=True, blank=True)
    # Results
    result = models.CharField(_("result"), max_length=16, choices=ItemResult.choices, blank=True)
    achieved_quantity = models.PositiveIntegerField(_("achieved"), null=True, blank=True)
    achieved_amount = models.BigIntegerField(_("amount achieved (VND)"), null=True, blank=True)
    result_note = models.TextField(_("note on the result"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/", blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )

    access_unit_field = "registration__organization__unit"
    access_kind_field = "registration__organization__kind"

    class Meta:
        verbose_name = _("registration item")
        verbose_name_plural = _("registration items")
        ordering = ["registration", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values), name="registration_item_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="sponsorship_pledge", area__isnull=False, households_pledged__isnull=False)
                | (~Q(kind="sponsorship_pledge") & Q(households_pledged__isnull=True)),
                name="registration_item_pledge_has_area_and_households",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="registration_item_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(achieved_amount__isnull=True) | Q(achieved_amount__gte=0),
                name="registration_item_achieved_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(result__in=ItemResult.values),
                name="registration_item_result_valid",
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def organization(self):
        return self.registration.organization

    @property
    def is_unmet(self) -> bool:
        return self.result in (ItemResult.PARTLY, ItemResult.NOT_ACHIEVED)


class RegistrationAction(models.TextChoices):
    CREATED = "created", _("Created")
    SAVED = "saved", _("Saved")
    UPLOADED = "uploaded", _("Uploaded from Excel")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    RESULTS_SAVED = "results_saved", _("Results saved")
    RESULTS_SUBMITTED = "results_submitted", _("Results submitted")
    RESULTS_RETURNED = "results_returned", _("Results returned")
    RESULTS_CONFIRMED = "results_confirmed", _("Results confirmed")
    CARRIED_OVER = "carried_over", _("Unmet items carried over")


class RegistrationEvent(models.Model):
    """The history of a registration: who did what, when, from which status to which."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    by = models.ForeignKey(
        "organizations.User", verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=24, choices=RegistrationAction.choices)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    summary = models.TextField(_("what changed"), blank=True)
    snapshot = models.JSONField(_("snapshot of the items"), default=list, blank=True)

    access_unit_field = "registration__organization__unit"
    access_kind_field = "registration__organization__kind"

    class Meta:
        verbose_name = _("registration history entry")
        verbose_name_plural = _("registration history")
        ordering = ["registration", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["returned", "results_returned"]) | ~Q(reason=""),
                name="registration_event_return_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} – {timezone.localtime(self.at):%d/%m/%Y %H:%M}"
