"""What is committed and done: the campaign and the signed coordination program."""

from django.db import models
from django.db.models import Q
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
    # Filled when the annual registration that brought it is accepted (registrations, issue 3).
    registration_reference = models.CharField(_("registration item"), max_length=120, blank=True)

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

    access_unit_field = "area"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("outstanding residential area")
        verbose_name_plural = _("outstanding residential areas")
        ordering = ["-year", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["program", "area", "year"], name="outstanding_area_once_a_year"),
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
