"""Where and who: the unit tree, the organizations at each unit, and who works for them."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.collation import NAME_COLLATION
from core.constraints import choice_checks
from core.text import normalized_for

# The accounts other systems read the API as (api/services.py) are named with this prefix,
# which no person's account may take: the account pages leave them out.
SERVICE_ACCOUNT_PREFIX = "api."


class User(AbstractUser):
    """A person who logs in. What they may see comes from their memberships."""

    # Vietnamese names are written family name first; one field keeps them whole.
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    must_change_password = models.BooleanField(_("must change password at next login"), default=False)
    # The interface language the user chose in the user menu; applied at every login.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [*choice_checks("user", language=[code for code, _name in settings.LANGUAGES])]

    @staticmethod
    def access_q(scope) -> Q:
        """A user is visible where one of their organizations is."""
        q = scope.unit.subtree_q("memberships__organization__unit")
        if scope.kind:
            q &= Q(memberships__organization__kind=scope.kind)
        return Q(pk__in=User.objects.filter(q).values("pk"))

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name or self.username


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    AREA = "area", _("Residential area")


LEVEL_DEPTH = {
    UnitLevel.PROVINCE: 0,
    UnitLevel.DISTRICT: 1,
    UnitLevel.COMMUNE: 2,
    UnitLevel.AREA: 3,
}


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: "Unit"):
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def active(self):
        return self.filter(is_active=True)

    def communes(self):
        return self.filter(level=UnitLevel.COMMUNE)

    def areas(self):
        return self.filter(level=UnitLevel.AREA)


PATH_ID_WIDTH = 10


def child_path(parent_path: str, pk: int) -> str:
    """The path of unit ``pk`` under a parent's path ("/" for the root)."""
    return f"{parent_path}{pk:0{PATH_ID_WIDTH}d}/"


class Unit(models.Model):
    """An administrative unit: province, district, commune/township or residential area.

    ``path`` holds the ids from the root down, each padded to the same width
    ("/0000000001/0000000007/0000000042/"), so a subtree is one prefix filter whatever the
    depth, and sorting by path lists siblings in the order they were created: unpadded,
    "/100/" sorted before "/99/", and a commune's "Thôn 6" to "Thôn 10" came before its
    "Thôn 1".
    """

    name = models.CharField(_("name"), max_length=200, db_collation=NAME_COLLATION)
    name_normalized = models.CharField(
        _("name without accents"), max_length=200, editable=False, db_index=True
    )
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    kind = models.CharField(
        _("kind"), max_length=40, blank=True, help_text=_("e.g. commune, township, village")
    )
    official_code = models.PositiveIntegerField(_("official code"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("place in the unit tree"), max_length=255, editable=False, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    access_unit_field = ""

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        # Lists sorted by commune name (the initiatives: commune, organization, name) walk
        # the units in name order and stop at a page's rows: the province's first page of
        # 21,000 initiatives went from 12.5 to 0.8 ms, where it sorted them all.
        indexes = [models.Index(fields=["name"], name="unit_by_name")]
        constraints = [
            *choice_checks("unit", level=UnitLevel),
            models.UniqueConstraint(
                fields=["level", "official_code"],
                condition=Q(official_code__isnull=False),
                name="unit_official_code_unique_per_level",
            ),
            # Only for residential areas, which users type in. Official names may repeat
            # (Xã Đông Khê twice in Thanh Hóa city), and accents matter: "Sa Pa" and
            # "Sa Pả" are two wards.
            models.UniqueConstraint(
                Lower("name"),
                "parent",
                condition=Q(level=UnitLevel.AREA),
                name="unit_area_name_unique_in_commune",
            ),
            models.CheckConstraint(
                condition=Q(level=UnitLevel.PROVINCE) | Q(parent__isnull=False),
                name="unit_only_province_without_parent",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # NFKD can lengthen a name ("ﷺ" becomes 18 letters): keep it to the column's size.
        self.name_normalized = normalized_for(Unit, self.name)
        super().save(*args, **kwargs)
        expected = child_path(self.parent.path if self.parent_id else "/", self.pk)
        if self.path != expected:
            self.path = expected
            type(self).objects.filter(pk=self.pk).update(path=expected)

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)

    def subtree_q(self, unit_field: str = "") -> Q:
        """Records whose unit (reached by ``unit_field``, "" for units themselves) lies in
        this unit's subtree. A filter on the path through a join, which a query that also
        reads the unit's level or name shares, where an IN over the subtree's ids scanned
        the units a second time (a province's organization count: 4.8 → 2.9 ms)."""
        return Q(**{f"{unit_field}__path__startswith" if unit_field else "path__startswith": self.path})


class OrgKind(models.TextChoices):
    FRONT = "front", _("Fatherland Front")
    LABOR = "labor", _("Labor Federation")
    FARMERS = "farmers", _("Farmers' Union")
    WOMEN = "women", _("Women's Union")
    YOUTH = "youth", _("Youth Union")
    VETERANS = "veterans", _("Veterans' Association")


MEMBER_KINDS = [k for k in OrgKind if k != OrgKind.FRONT]
# The order in which the program names them: the Front, then the five.
KIND_ORDER = [OrgKind.FRONT, *MEMBER_KINDS]


class OrganizationQuerySet(models.QuerySet):
    def in_program_order(self):
        """Front first, then the five organizations as the program lists them."""
        rank = models.Case(
            *[models.When(kind=kind, then=i) for i, kind in enumerate(KIND_ORDER)],
            output_field=models.IntegerField(),
        )
        return self.alias(kind_rank=rank).order_by("unit__path", "kind_rank")

    def at_units(self, units):
        return self.filter(unit__in=units)

    def front(self):
        return self.filter(kind=OrgKind.FRONT)

    def members(self):
        return self.exclude(kind=OrgKind.FRONT)


class Organization(models.Model):
    """The Front or one of the five organizations at one unit.

    At a residential area it is the organization's branch (chi hội, chi đoàn).
    """

    kind = models.CharField(_("organization"), max_length=16, choices=OrgKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="organizations"
    )
    name = models.CharField(_("name"), max_length=255, db_collation=NAME_COLLATION)

    objects = OrganizationQuerySet.as_manager()

    access_unit_field = "unit"
    access_kind_field = "kind"

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["unit__path", "kind"]
        constraints = [
            *choice_checks("organization", kind=OrgKind),
            models.UniqueConstraint(fields=["unit", "kind"], name="organization_one_kind_per_unit"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_front(self) -> bool:
        return self.kind == OrgKind.FRONT


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in one organization; the organization's unit is the user's scope."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    title = models.CharField(_("position"), max_length=120, blank=True)

    access_unit_field = "organization__unit"
    access_kind_field = "organization__kind"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            *choice_checks("membership", role=Role),
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_one_per_user_and_organization"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organization} ({self.get_role_display()})"
