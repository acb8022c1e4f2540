"""What is committed and done: the campaign and the signed coordination program."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constraints import choice_checks
from organizations.models import Organization, OrgKind, Unit
from programs.models import ContentKind, Program, ProgramContent


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
            *choice_checks("expected_change", action=ExpectedChangeAction),
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
    # The first submission decides whether the registration was on time: a form sent on
    # time, returned and sent again after the deadline stays on time. ``submitted_at`` is
    # the latest submission.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
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
            *choice_checks("registration", status=RegistrationStatus, results_status=ResultsStatus),
            models.UniqueConstraint(
                fields=["period", "organization"], name="registration_one_per_organization_and_period"
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="registration_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(results_status=ResultsStatus.DRAFT) | Q(status=RegistrationStatus.ACCEPTED),
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
    initiative_field = models.ForeignKey(
        ProgramContent,
        verbose_name=_("model field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": ContentKind.MODEL_FIELD},
    )
    initiative_name = models.CharField(_("name of the model"), max_length=255, blank=True)
    novelty = models.CharField(
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
        "activities.Initiative",
        verbose_name=_("initiative continued"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registration_items",
    )
    # The records an accepted registration created from this item (the initiative it
    # registered as new, the outstanding area it registered); the registration keeps where
    # they came from, the records need not know. PROTECT: the record is not deleted while
    # the registration names it.
    created_initiative = models.OneToOneField(
        "activities.Initiative",
        verbose_name=_("initiative created"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="registration_item",
    )
    outstanding_area = models.OneToOneField(
        "activities.OutstandingArea",
        verbose_name=_("outstanding area recorded"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="registration_item",
    )

    access_unit_field = "registration__organization__unit"
    access_kind_field = "registration__organization__kind"

    class Meta:
        verbose_name = _("registration item")
        verbose_name_plural = _("registration items")
        ordering = ["registration", "order", "id"]
        constraints = [
            *choice_checks(
                "registration_item",
                kind=ItemKind,
                novelty=InitiativeNovelty,
                result=ItemResult,
                blank=["novelty", "result"],
            ),
            models.CheckConstraint(
                condition=Q(
                    kind=ItemKind.SPONSORSHIP_PLEDGE, area__isnull=False, households_pledged__isnull=False
                )
                | (~Q(kind=ItemKind.SPONSORSHIP_PLEDGE) & Q(households_pledged__isnull=True)),
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

    ``program``, ``year``, ``unit``, ``org_kind`` and ``submitted`` repeat the registration's
    period's program and year, its organization's unit and kind, and whether it was ever
    submitted (``submitted_at`` set), the only things the report filters on: read from the
    registration through its joins they cost the report half its time. They are recounted
    with the items, and also when a registration is submitted or its period is changed (the
    admin; an organization's unit and kind cannot be changed).
    There is a row for every registration with items of the kind, submitted or not; a kind
    without items has no row."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="tallies"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ItemKind.choices)
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
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
                fields=["unit", "year", "submitted", "org_kind", "kind", "program",
                        "committed", "achieved", "partly", "not_achieved", "pledged"],
                name="registration_tally_by_unit",
            ),
        ]  # fmt: skip
        constraints = [
            *choice_checks("registration_tally", kind=ItemKind, org_kind=OrgKind),
            models.UniqueConstraint(fields=["registration", "kind"], name="registration_tally_one_per_kind"),
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
            *choice_checks("registration_event", action=RegistrationAction),
            models.CheckConstraint(
                condition=~Q(action__in=[RegistrationAction.RETURNED, RegistrationAction.RESULTS_RETURNED])
                | ~Q(reason=""),
                name="registration_event_return_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} – {timezone.localtime(self.at):%d/%m/%Y %H:%M}"
