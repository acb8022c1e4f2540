"""What is committed and done: the campaign and the signed coordination program."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constraints import choice_checks
from organizations.models import Organization, Unit
from programs.models import ContentKind, Program, ProgramContent


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

    def running_in(self, year: int):
        """Running in ``year`` (rule 4, "≥ 1 model per grassroots organization", for a year)."""
        return self.filter(running_in(year))


def running_in(year: int, prefix: str = "") -> Q:
    """An initiative runs in ``year`` when it started by then and is running or recognized,
    or was stopped in that year or later; a planned one does not run yet. ``prefix`` is
    the path from the queried model to the initiative ("initiatives__")."""
    return Q(**{f"{prefix}start_year__lte": year}) & (
        Q(**{f"{prefix}status__in": ACTIVE_INITIATIVE_STATUSES})
        | Q(**{f"{prefix}status": InitiativeStatus.STOPPED, f"{prefix}stopped_on__year__gte": year})
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
    name_normalized = models.CharField(
        _("name without accents"), max_length=255, editable=False, db_index=True
    )
    start_year = models.PositiveSmallIntegerField(_("start year"))
    status = models.CharField(
        _("status"), max_length=16, choices=InitiativeStatus.choices, default=InitiativeStatus.PLANNED
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    objects = InitiativeQuerySet.as_manager()

    access_unit_field = "organization__unit"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["organization__unit__path", "name"]
        constraints = [
            *choice_checks("initiative", status=InitiativeStatus),
            models.CheckConstraint(
                condition=Q(status=InitiativeStatus.STOPPED) | Q(stopped_on__isnull=True),
                name="initiative_stopped_on_only_when_stopped",
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
        constraints = [*choice_checks("initiative_status_change", status=InitiativeStatus)]

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
            *choice_checks(
                "supervision",
                kind=SupervisionKind,
                program_area=SupervisionArea,
                follow_up_status=FollowUpStatus,
            ),
            models.CheckConstraint(
                condition=~Q(follow_up_status=FollowUpStatus.OPEN) | Q(follow_up_due__isnull=False),
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
    name_normalized = models.CharField(
        _("name without accents"), max_length=255, editable=False, db_index=True
    )
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
        constraints = [
            *choice_checks(
                "exemplary_example",
                kind=ExampleKind,
                recognition_level=RecognitionLevel,
                blank=["recognition_level"],
            )
        ]

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
    access_unit_field = "area"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("outstanding residential area")
        verbose_name_plural = _("outstanding residential areas")
        ordering = ["-year", "area__path"]
        constraints = [
            *choice_checks("outstanding_area", result=OutstandingResult),
            models.UniqueConstraint(fields=["program", "area", "year"], name="outstanding_area_once_a_year"),
        ]

    def __str__(self):
        return f"{self.area} {self.year}"
