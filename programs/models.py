"""What is committed and done: the campaign and the signed coordination program."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constraints import choice_checks
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
            *choice_checks("program_content", kind=ContentKind),
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
            *choice_checks("assignment", organization_kind=OrgKind),
            models.UniqueConstraint(fields=["program", "organization_kind"], name="assignment_one_per_kind"),
        ]

    def __str__(self):
        return self.get_organization_kind_display()


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
        constraints = [*choice_checks("program_document", direction=DocumentDirection)]

    def __str__(self):
        return f"{self.number} – {self.subject}"
