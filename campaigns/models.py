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
        return scope.unit.subtree_q("owner_unit") | Q(owner_unit_id__in=scope.unit.ancestor_ids())

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
        return scope.unit.subtree_q("program__owner_unit") | Q(
            program__owner_unit_id__in=scope.unit.ancestor_ids()
        )

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ExpectedChangeAction(models.TextChoices):
    ADDED = "added", _("Added to the organizations expected to register")
    REMOVED = "removed", _("Removed from the organizations expected to register")


class ExpectedChange(models.Model):
    """A change to who must register after the period was opened, with the reviewer's reason."""

    period = models.ForeignKey(
        RegistrationPeriod,
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        related_name="expected_changes",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=ExpectedChangeAction.choices)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        "organizations.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    access_unit_field = "period__program__owner_unit"

    class Meta:
        verbose_name = _("change to the organizations expected to register")
        verbose_name_plural = _("changes to the organizations expected to register")
        ordering = ["period", "-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ExpectedChangeAction.values), name="expected_change_action_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="expected_change_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.organization}"

    @staticmethod
    def access_q(scope) -> Q:
        """Visible wherever its period is."""
        return scope.unit.subtree_q("period__program__owner_unit") | Q(
            period__program__owner_unit_id__in=scope.unit.ancestor_ids()
        )


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


class InitiativeNovelty(models.TextChoices):
    """Whether a registered initiative is new this year or continues an existing one."""

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
        _("new or continuing"), max_length=16, choices=InitiativeNovelty.choices, blank=True
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
    # Optionally, the households of the pledge's area that are taken on, by name.
    households = models.ManyToManyField(
        "households.Household",
        verbose_name=_("households named"),
        blank=True,
        related_name="registration_items",
    )
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
    # A continuing initiative names the one it continues; a new one points here once the
    # accepted registration has created it (or found it already recorded under that name).
    initiative = models.ForeignKey(
        "Initiative",
        verbose_name=_("initiative continued"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registration_items",
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


class RegistrationTally(models.Model):
    """The items of one registration of one kind: how many were committed, how many of them
    achieved, partly or not achieved, and the households pledged. Kept in step with the items
    by the campaigns services in the write's own transaction (campaigns/tallies.py), so the
    results report of a province sums about 50,000 narrow rows of one table instead of
    joining every item to its registration, period, organization and unit.

    ``year``, ``unit``, ``org_kind`` and ``submitted`` repeat the registration's period year,
    its organization's unit and kind, and whether it was ever submitted (``submitted_at``
    set), the only things the report filters on: read from the registration through three
    joins they cost the report half its time. They are recounted with the items, and also
    when a registration is submitted or its period is changed (the admin; an organization's
    unit and kind cannot be changed).
    There is a row for every registration with items of the kind, submitted or not; a kind
    without items has no row."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="tallies"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ItemKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # Indexed by registration_tally_by_unit below, which leads with it.
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    org_kind = models.CharField(_("organization"), max_length=16, choices=OrgKind.choices)
    submitted = models.BooleanField(_("ever submitted"))
    committed = models.PositiveIntegerField(_("items committed"))
    achieved = models.PositiveIntegerField(_("items achieved"), default=0)
    partly = models.PositiveIntegerField(_("items partly achieved"), default=0)
    not_achieved = models.PositiveIntegerField(_("items not achieved"), default=0)
    # The sum of the items' households_pledged (0 for the kinds that pledge none).
    pledged = models.PositiveIntegerField(_("households taken on"), default=0)

    access_unit_field = "unit"
    access_kind_field = "org_kind"

    class Meta:
        verbose_name = _("registration tally")
        verbose_name_plural = _("registration tallies")
        # Every column the report reads, so a commune's report reads its few rows from the
        # index alone (province data: 4.6 → 0.2 ms). Without it the planner scans the whole
        # table: a unit's rows lie apart, one group per year, as their registrations do.
        indexes = [
            models.Index(
                fields=["unit", "year", "submitted", "org_kind", "kind",
                        "committed", "achieved", "partly", "not_achieved", "pledged"],
                name="registration_tally_by_unit",
            ),
        ]  # fmt: skip
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="registration_tally_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values), name="registration_tally_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(org_kind__in=OrgKind.values), name="registration_tally_org_kind_valid"
            ),
            # A row stands for at least one item; results are counted among the items committed.
            models.CheckConstraint(condition=Q(committed__gte=1), name="registration_tally_has_items"),
            models.CheckConstraint(
                condition=Q(achieved__gte=0, partly__gte=0, not_achieved__gte=0, pledged__gte=0),
                name="registration_tally_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    committed__gte=models.F("achieved") + models.F("partly") + models.F("not_achieved")
                ),
                name="registration_tally_results_within_committed",
            ),
        ]

    def __str__(self):
        return f"{self.registration_id} {self.kind}"


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


# ---- Initiatives, exemplary examples, supervision, documents (issue 5)


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    RECOGNIZED = "recognized", _("Recognized effective")
    STOPPED = "stopped", _("Stopped")


# Statuses that count as a running initiative for rule 4 (a recognized one still runs).
ACTIVE_INITIATIVE_STATUSES = [InitiativeStatus.RUNNING, InitiativeStatus.RECOGNIZED]


class InitiativeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_INITIATIVE_STATUSES)

    def in_year(self, year: int):
        """Started by ``year`` and not stopped before it."""
        return self.filter(start_year__lte=year).filter(
            Q(stopped_on__isnull=True) | Q(stopped_on__year__gte=year)
        )


class Initiative(models.Model):
    """A model (mô hình): a named, lasting initiative of a grassroots organization (rule 4)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="initiatives"
    )
    field = models.ForeignKey(
        ProgramContent,
        verbose_name=_("field"),
        on_delete=models.PROTECT,
        related_name="initiatives",
        limit_choices_to={"kind": ContentKind.MODEL_FIELD},
    )
    area = models.ForeignKey(
        Unit,
        verbose_name=_("residential area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    name = models.CharField(_("name"), max_length=255)
    name_normalized = models.CharField(max_length=255, editable=False, db_index=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    status = models.CharField(
        _("status"), max_length=16, choices=InitiativeStatus.choices, default=InitiativeStatus.PLANNED
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The registration item that created it when its registration was accepted. PROTECT:
    # an accepted registration is locked, so the workflow never deletes its items; the
    # database refuses any other delete that would leave the initiative without the record
    # of where it came from (SET_NULL would lose that record silently, CASCADE the initiative).
    registration_item = models.ForeignKey(
        RegistrationItem,
        verbose_name=_("registration item"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="created_initiatives",
    )

    objects = InitiativeQuerySet.as_manager()

    access_unit_field = "organization__unit"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["organization__unit__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="stopped") | Q(stopped_on__isnull=True),
                name="initiative_stopped_on_only_when_stopped",
            ),
            # One registration item creates at most one initiative.
            models.UniqueConstraint(
                fields=["registration_item"], name="initiative_one_per_registration_item"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def commune(self) -> Unit:
        return self.organization.unit


class InitiativeStatusChange(models.Model):
    """One change of an initiative's status: the date and the reason."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=16, choices=InitiativeStatus.choices)
    changed_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        "organizations.User", verbose_name=_("changed by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    access_unit_field = "initiative__organization__unit"
    access_kind_field = "initiative__organization__kind"

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["initiative", "changed_on", "id"]

    def __str__(self):
        return f"{self.get_status_display()} ({self.changed_on:%d/%m/%Y})"


class InitiativeYear(models.Model):
    """What an initiative reached in one year."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    households = models.PositiveIntegerField(_("households reached"), default=0)
    value_vnd = models.BigIntegerField(_("value (VND)"), default=0)

    access_unit_field = "initiative__organization__unit"
    access_kind_field = "initiative__organization__kind"

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        ordering = ["initiative", "year"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="initiative_year_once"),
            models.CheckConstraint(condition=Q(value_vnd__gte=0), name="initiative_year_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.initiative} {self.year}"


class SupervisionKind(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision")
    CRITICISM = "criticism", _("Social criticism")


class SupervisionArea(models.TextChoices):
    POVERTY = "poverty", _("Poverty reduction")
    NEW_RURAL = "new_rural", _("New rural areas")
    URBAN = "urban", _("Civilized urban areas")


class FollowUpStatus(models.TextChoices):
    NONE = "none", _("No follow-up needed")
    OPEN = "open", _("Follow-up pending")
    DONE = "done", _("Follow-up done")


class SupervisionQuerySet(models.QuerySet):
    def overdue(self, today):
        return self.filter(follow_up_status=FollowUpStatus.OPEN, follow_up_due__lt=today)


class Supervision(models.Model):
    """A supervision or a social criticism (II.1.5) led by one organization."""

    kind = models.CharField(_("type"), max_length=16, choices=SupervisionKind.choices)
    topic = models.CharField(_("topic"), max_length=500)
    program_area = models.CharField(_("program area"), max_length=16, choices=SupervisionArea.choices)
    subject = models.CharField(_("body supervised or draft criticised"), max_length=500)
    held_on = models.DateField(_("date"))
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("lead organization"),
        on_delete=models.PROTECT,
        related_name="supervisions_led",
    )
    participants = models.ManyToManyField(
        Organization,
        verbose_name=_("participating organizations"),
        blank=True,
        related_name="supervisions_joined",
    )
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    response = models.TextField(_("response from the body"), blank=True)
    follow_up_status = models.CharField(
        _("follow-up"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.NONE
    )
    follow_up_due = models.DateField(_("follow-up due date"), null=True, blank=True)

    objects = SupervisionQuerySet.as_manager()

    access_unit_field = "lead_organization__unit"
    access_kind_field = "lead_organization__kind"

    class Meta:
        verbose_name = _("supervision or criticism")
        verbose_name_plural = _("supervision and criticism")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(follow_up_status="open") | Q(follow_up_due__isnull=False),
                name="supervision_open_follow_up_has_due_date",
            ),
        ]

    def __str__(self):
        return self.topic

    @property
    def organization(self):
        return self.lead_organization


class ExampleKind(models.TextChoices):
    PERSON = "person", _("Person")
    HOUSEHOLD = "household", _("Household")
    COLLECTIVE = "collective", _("Collective")


class RecognitionLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


class ExemplaryExample(models.Model):
    """An exemplary person, household or collective (gương điển hình tiên tiến, II.1.4)."""

    kind = models.CharField(_("kind"), max_length=16, choices=ExampleKind.choices)
    name = models.CharField(_("name"), max_length=255)
    name_normalized = models.CharField(max_length=255, editable=False, db_index=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="examples"
    )
    field = models.ForeignKey(
        ProgramContent, verbose_name=_("field"), on_delete=models.PROTECT, related_name="examples"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    achievement = models.TextField(_("achievement"))
    certificate = models.CharField(_("certificate"), max_length=255, blank=True)
    recognition_level = models.CharField(
        _("recognition level"), max_length=16, choices=RecognitionLevel.choices, blank=True
    )
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    publicised_in = models.CharField(_("publicised in"), max_length=255, blank=True)
    publicised_on = models.DateField(_("publicised on"), null=True, blank=True)

    access_unit_field = "organization__unit"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("exemplary example")
        verbose_name_plural = _("exemplary examples")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name


class OutstandingResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    RECOGNIZED = "recognized", _("Recognized")
    NOT_RECOGNIZED = "not_recognized", _("Not recognized")


class OutstandingArea(models.Model):
    """A residential area registered as outstanding for a year (rule 2), and its result."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="outstanding_areas"
    )
    area = models.ForeignKey(
        Unit, verbose_name=_("residential area"), on_delete=models.PROTECT, related_name="outstanding_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="outstanding_areas",
    )
    result = models.CharField(
        _("result at year end"),
        max_length=16,
        choices=OutstandingResult.choices,
        default=OutstandingResult.PENDING,
    )
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The registration item that registered it (filled when the registration is accepted);
    # its confirmed result gives the result at year end. PROTECT for the same reason as
    # Initiative.registration_item.
    registration_item = models.ForeignKey(
        RegistrationItem,
        verbose_name=_("registration item"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="outstanding_areas",
    )

    access_unit_field = "area"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("outstanding residential area")
        verbose_name_plural = _("outstanding residential areas")
        ordering = ["-year", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["program", "area", "year"], name="outstanding_area_once_a_year"),
            models.UniqueConstraint(
                fields=["registration_item"], name="outstanding_area_one_per_registration_item"
            ),
        ]

    def __str__(self):
        return f"{self.area} {self.year}"


class DocumentDirection(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")


def document_upload_to(instance, filename):
    return f"program_documents/{instance.program_id}/{filename}"


class ProgramDocument(models.Model):
    """A document around a program, with the registry stamp ("Số, ĐẾN ngày, Chuyển, Lưu hồ sơ số")."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="documents"
    )
    direction = models.CharField(_("direction"), max_length=8, choices=DocumentDirection.choices)
    number = models.CharField(_("number and symbol"), max_length=80)
    issued_on = models.DateField(_("date issued"))
    issuing_body = models.CharField(_("issuing body"), max_length=255)
    subject = models.CharField(_("subject"), max_length=500)
    received_on = models.DateField(_("date received"), null=True, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    file_number = models.CharField(_("file number"), max_length=40, blank=True)
    attachment = models.FileField(_("attachment (PDF)"), upload_to=document_upload_to, blank=True)
    attachment_size = models.PositiveIntegerField(_("attachment size"), default=0)

    access_unit_field = "program__owner_unit"
    access_kind_field = None

    class Meta:
        verbose_name = _("program document")
        verbose_name_plural = _("program documents")
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return f"{self.number} – {self.subject}"
