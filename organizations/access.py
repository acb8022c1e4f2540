"""The one place that decides what a user may see and do.

A user's memberships give scopes: (unit subtree, organization kind, role). The Front's
scope covers every organization in its subtree; an organization's scope covers only its
own kind there (a district Farmers' Union sees the Farmers' Union of every commune).

Models say how they hang on the unit tree with two class attributes:

- ``access_unit_field``: lookup path from the model to its Unit ("" for Unit itself);
- ``access_kind_field``: lookup path to the organization kind, or None when any
  organization in scope may see the record (households, residential areas).

A model may instead define ``access_q(scope) -> Q`` for a rule of its own (a program is
also visible below its owner unit).

What a user may do is a ``Permission``, each defined once in ``RULES``: the scopes that
grant it (their roles, the Front only or any organization), the records each of them
reaches (``Reach``), and a test of the record itself where one applies. Both forms are
drawn from that one definition: ``permitted(qs, user, permission)`` filters a list in the
database; ``can()`` and ``require()`` judge one record in memory, from the scopes read once
per request.

Outside scope answers 404 so nobody learns a record exists; visible but not allowed
answers 403.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from core.ids import id_or_404

from .models import Membership, Organization, OrgKind, Role, Unit, UnitLevel, User

security_log = logging.getLogger("portal.security")

ALL_ROLES = frozenset(Role)
WRITE_ROLES = frozenset({Role.EDITOR, Role.REVIEWER})
REVIEWERS = frozenset({Role.REVIEWER})

# A filter no record passes (Django answers it without a query).
NOTHING = Q(pk__in=[])


class Permission(StrEnum):
    """What a user may do to a record; ``RULES`` says who may. A ``StrEnum``: the plain
    string ("edit_own") still names its member."""

    VIEW = "view"
    EDIT_OWN = "edit_own"
    EDIT_IN_SCOPE = "edit_in_scope"
    REVIEW = "review"
    MANAGE_FRONT_RECORDS = "manage_front_records"
    MANAGE_AREAS = "manage_areas"
    MANAGE_USERS = "manage_users"


class Reach(Enum):
    """The records a scope that grants a permission acts on."""

    VISIBLE = "whatever the user sees"
    SCOPE = "its subtree, of its organization's kind (of every kind for the Front)"
    SUBTREE = "its subtree, of every kind"
    OWN_UNIT = "its own unit's records"
    OWN_ORGANIZATION = "its own organization's records"


@dataclass(frozen=True)
class Scope:
    """What one membership gives: its organization's unit subtree, with its role."""

    organization: Organization
    unit: Unit
    role: str
    # None: every organization kind in the subtree (the Front); else only this kind.
    kind: str | None

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES

    @property
    def is_front(self) -> bool:
        return self.kind is None

    # What the scope reaches, in its two forms side by side: a filter for a list, a test of
    # one record in memory (no query). Change one, change the other: test_access checks
    # that they agree for every permission, user and kind of record.

    def q(self, model, reach: Reach = Reach.SCOPE) -> Q:
        """The records of ``model`` the scope reaches, as a filter."""
        if reach is Reach.VISIBLE:
            return Q()
        if reach is Reach.OWN_ORGANIZATION:
            field = _organization_field(model)
            return Q(**{field: self.organization.pk}) if field else NOTHING
        unit_field = getattr(model, "access_unit_field", None)
        if unit_field is None:
            return NOTHING
        if reach is Reach.OWN_UNIT:
            return Q(**{unit_field or "pk": self.unit.pk})
        q = self.unit.subtree_q(unit_field)
        kind_field = getattr(model, "access_kind_field", None)
        if reach is Reach.SCOPE and self.kind and kind_field:
            q &= Q(**{kind_field: self.kind})
        return q

    def covers(self, obj, reach: Reach = Reach.SCOPE) -> bool:
        """Whether the scope reaches the record ``obj``: ``q()`` for one record."""
        if reach is Reach.VISIBLE:
            return True
        if reach is Reach.OWN_ORGANIZATION:
            return _organization_id(obj) == self.organization.pk
        if getattr(type(obj), "access_unit_field", None) is None:
            return False
        unit = unit_of(obj)
        if reach is Reach.OWN_UNIT:
            return unit.pk == self.unit.pk
        if not unit.is_within(self.unit):
            return False
        kind_field = getattr(type(obj), "access_kind_field", None)
        if reach is Reach.SCOPE and self.kind and kind_field:
            return _resolve(obj, kind_field) == self.kind
        return True

    def visible_q(self, model) -> Q:
        """What the scope sees of ``model``: the model's own rule, else its unit and kind."""
        custom = getattr(model, "access_q", None)
        return custom(self) if custom is not None else self.q(model)


def scopes(user) -> list[Scope]:
    """The user's scopes, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_portal_scopes", None)
    if cached is None:
        memberships = Membership.objects.filter(user=user).select_related("organization__unit")
        cached = [
            Scope(
                organization=m.organization,
                unit=m.organization.unit,
                role=m.role,
                kind=None if m.organization.kind == OrgKind.FRONT else m.organization.kind,
            )
            for m in memberships
        ]
        user._portal_scopes = cached
    return cached


def primary_scope(user) -> Scope | None:
    """The widest scope, used to pick the home page and the default unit."""
    found = scopes(user)
    if not found:
        return None
    return min(found, key=lambda s: (s.unit.depth, s.kind is not None))


def is_reviewer(user) -> bool:
    return user.is_superuser or any(s.role == Role.REVIEWER for s in scopes(user))


def is_front_reviewer(user) -> bool:
    """Whether the user reviews for a Front (``Permission.REVIEW``), or administers."""
    return user.is_superuser or bool(RULES[Permission.REVIEW].granting(user))


def is_read_only(user) -> bool:
    return not user.is_superuser and not any(s.can_write for s in scopes(user))


def sees_whole_communes(user) -> bool:
    """Whether none of the user's scopes is a residential area's: figures kept per commune
    then cover exactly what the user may see (an area's officer sees only part of a commune)."""
    return user.is_superuser or all(s.unit.level != UnitLevel.AREA for s in scopes(user))


def _is_active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


# ---------------------------------------------------------------- visibility


def visible(qs: QuerySet, user) -> QuerySet:
    """Restrict any queryset of a scoped model to what the user may see."""
    if not _is_active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    user_scopes = scopes(user)
    if not user_scopes:
        return qs.none()
    return qs.filter(reduce(or_, (s.visible_q(qs.model) for s in user_scopes)))


def get_visible_or_404(user, model_or_qs, **lookup) -> Model:
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    if "pk" in lookup:
        # A URL's <int:pk> takes any digits: one past the column's range names no row (and
        # SQLite cannot even put it in a query).
        lookup["pk"] = id_or_404(lookup["pk"], qs.model)
    try:
        found = visible(qs, user).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None
    # Fetched through visible(): a permission check on it later in the request need not ask
    # the database again whether the user sees it (models with a rule of their own).
    found._portal_visible_to = user.pk
    return found


def visible_units(user) -> QuerySet:
    return visible(Unit.objects.all(), user)


def visible_organizations(user) -> QuerySet:
    return visible(Organization.objects.all(), user)


def _is_visible(user, obj) -> bool:
    """``visible()``'s rule for one record. A record on the unit tree is judged in memory on
    its unit's path and its kind (``Scope.covers``), which the permission checks have mostly
    read already: no query (each took about 1 ms a check). A saved record of a model with a
    rule of its own asks the database; one not saved yet is judged by the unit and kind it
    will hang on."""
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    model = type(obj)
    if obj.pk is not None and getattr(model, "access_q", None) is not None:
        if getattr(obj, "_portal_visible_to", None) == user.pk:
            return True
        return visible(model._default_manager.filter(pk=obj.pk), user).exists()
    return any(s.covers(obj) for s in scopes(user))


# ---------------------------------------------------------------- the change log

# The Front's staff (editors and reviewers of a Front organization) read the changes of
# every record kept in their subtree; the member organizations and the leaders do not.
AUDIT_ROLES = WRITE_ROLES


def audit_scopes(user) -> list[Scope]:
    """The scopes whose change log the user may read."""
    if not _is_active(user):
        return []
    return [s for s in scopes(user) if s.is_front and s.role in AUDIT_ROLES]


def can_view_audit(user) -> bool:
    if not _is_active(user):
        return False
    return user.is_superuser or bool(audit_scopes(user))


def _audit_q(model, scope: Scope) -> Q:
    """Records kept in the scope's subtree: not the records above it that it may read
    (a commune reads the province's program, but does not see who changed it)."""
    if getattr(model, "access_unit_field", None) is not None:
        return scope.q(model, Reach.SUBTREE)
    custom = getattr(model, "access_q", None)
    return custom(scope) if custom is not None else NOTHING


def audit_visible(qs: QuerySet, user) -> QuerySet:
    """Restrict a queryset of an audited model to the records whose changes the user may read."""
    if not can_view_audit(user):
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(reduce(or_, (_audit_q(qs.model, s) for s in audit_scopes(user))))


# ---------------------------------------------------------------- the records


def _resolve(obj, lookup: str):
    for part in lookup.split("__") if lookup else []:
        obj = getattr(obj, part)
    return obj


def unit_of(obj) -> Unit:
    if isinstance(obj, Unit):
        return obj
    return _resolve(obj, obj.access_unit_field)


def _organization_field(model) -> str | None:
    """The lookup from a model to the organization that keeps its records: the
    organization itself, its ``organization``, or None (a unit, a supervision)."""
    if model is Organization:
        return "pk"
    try:
        field = model._meta.get_field("organization")
    except FieldDoesNotExist:
        return None
    return "organization" if field.many_to_one and field.related_model is Organization else None


def _organization_id(obj) -> int | None:
    field = _organization_field(type(obj))
    if field is None:
        return None
    # The id, not the organization: no query for a record read without it.
    return obj.pk if field == "pk" else obj.organization_id


# ---------------------------------------------------------------- permissions


@dataclass(frozen=True)
class Grant:
    """Scopes of these roles (of the Front only, when ``front_only``) act on the records
    they ``reach``."""

    roles: frozenset
    reach: Reach
    front_only: bool = False

    def given_by(self, scope: Scope) -> bool:
        return scope.role in self.roles and (scope.is_front or not self.front_only)


class RecordTest:
    """A test of the record itself, whoever asks, in the two forms of ``Scope.q`` and
    ``Scope.covers``. This one lets every record through."""

    def q(self, model) -> Q:
        return Q()

    def holds(self, obj) -> bool:
        return True


class AtCommune(RecordTest):
    """Residential areas are managed through their commune: the record is a commune's."""

    def q(self, model) -> Q:
        unit_field = getattr(model, "access_unit_field", None)
        if unit_field is None:
            return NOTHING
        return Q(**{f"{unit_field}__level" if unit_field else "level": UnitLevel.COMMUNE})

    def holds(self, obj) -> bool:
        if getattr(type(obj), "access_unit_field", None) is None:
            return False
        return unit_of(obj).level == UnitLevel.COMMUNE


class NotPrivilegedAccount(RecordTest):
    """A manager who could reset the password of a superuser or staff account (one that
    also works for an organization in scope) could log in as it: only superusers manage
    those."""

    def q(self, model) -> Q:
        return Q(is_superuser=False, is_staff=False) if model is User else Q()

    def holds(self, obj) -> bool:
        return not (isinstance(obj, User) and (obj.is_superuser or obj.is_staff))


@dataclass(frozen=True)
class Rule:
    """Who may do a permission: any scope one of the grants is given by, on the records it
    reaches, when the record passes ``record``."""

    grants: tuple[Grant, ...]
    record: RecordTest = RecordTest()

    def granting(self, user) -> list[tuple[Scope, Reach]]:
        return [(s, g.reach) for g in self.grants for s in scopes(user) if g.given_by(s)]


RULES: dict[Permission, Rule] = {
    # Seeing is enough: visible() decides.
    Permission.VIEW: Rule((Grant(ALL_ROLES, Reach.VISIBLE),)),
    # Editors of the record's own organization write it (its registrations).
    Permission.EDIT_OWN: Rule((Grant(WRITE_ROLES, Reach.OWN_ORGANIZATION),)),
    # Any editor whose scope covers the record's unit (and kind) writes it.
    Permission.EDIT_IN_SCOPE: Rule((Grant(WRITE_ROLES, Reach.SCOPE),)),
    # Front reviewers review what the organizations of their subtree register.
    Permission.REVIEW: Rule((Grant(REVIEWERS, Reach.SUBTREE, front_only=True),)),
    # Records kept by the Front (fund, programs, documents): its editors and reviewers.
    Permission.MANAGE_FRONT_RECORDS: Rule((Grant(WRITE_ROLES, Reach.SUBTREE, front_only=True),)),
    # Residential areas of a commune: the Front at or above it, or the commune's editors.
    Permission.MANAGE_AREAS: Rule(
        (Grant(WRITE_ROLES, Reach.SUBTREE, front_only=True), Grant(WRITE_ROLES, Reach.OWN_UNIT)),
        AtCommune(),
    ),
    # Reviewers manage the accounts of the organizations of their subtree: an organization
    # (to give it an account) or a person, who must belong only to such organizations.
    Permission.MANAGE_USERS: Rule((Grant(REVIEWERS, Reach.SUBTREE),), NotPrivilegedAccount()),
}


def _reach_q(model, granting: list[tuple[Scope, Reach]]) -> Q:
    """The records of ``model`` one of the granting scopes reaches, as a filter."""
    if not granting:
        return NOTHING
    if any(reach is Reach.VISIBLE for _, reach in granting):
        return Q()
    if model is User:
        # A person is reached when every one of their memberships is.
        reached = reduce(or_, (s.q(Membership, reach) for s, reach in granting))
        memberships = Membership.objects.all()
        return Q(pk__in=memberships.values("user")) & ~Q(pk__in=memberships.exclude(reached).values("user"))
    return reduce(or_, (s.q(model, reach) for s, reach in granting))


def _reaches(obj, granting: list[tuple[Scope, Reach]]) -> bool:
    """``_reach_q`` for one record."""
    if any(reach is Reach.VISIBLE for _, reach in granting):
        return True
    if isinstance(obj, User):
        memberships = list(obj.memberships.select_related("organization__unit"))
        return bool(memberships) and all(
            any(s.covers(m, reach) for s, reach in granting) for m in memberships
        )
    return any(s.covers(obj, reach) for s, reach in granting)


def _allows(user, permission: Permission, obj) -> bool:
    """The permission's rule, visibility aside: the test of the record first (no query),
    then the scopes that grant it."""
    rule = RULES[permission]
    return rule.record.holds(obj) and _reaches(obj, rule.granting(user))


def permitted(qs: QuerySet, user, permission: Permission) -> QuerySet:
    """The records of ``qs`` the user sees and may ``permission``: ``can()`` for a whole
    list, as one filter in the database."""
    if not _is_active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    rule = RULES[permission]
    granting = rule.granting(user)
    if not granting:
        return qs.none()
    model = qs.model
    seen = reduce(or_, (s.visible_q(model) for s in scopes(user)))
    return qs.filter(seen & rule.record.q(model) & _reach_q(model, granting))


def can(user, permission: Permission, obj) -> bool:
    """True when the user sees ``obj`` and may do ``permission`` on it."""
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    return _allows(user, permission, obj) and _is_visible(user, obj)


def require(user, permission: Permission, obj) -> None:
    """404 when the record is outside the user's scope, 403 when they see it but may not
    do ``permission``.

    A record not saved yet (a create) is judged by the unit and kind it will hang on, and
    refused with 403: there is no record to hide, and the caller fetched what it hangs on
    through ``visible()``."""
    if user.is_superuser and user.is_active:
        return
    seen = _is_visible(user, obj)
    if not seen and obj.pk is not None:
        raise Http404
    if not seen or not _allows(user, permission, obj):
        security_log.warning(
            "permission refused: user=%s permission=%s object=%s:%s",
            user.pk,
            permission,
            type(obj).__name__,
            obj.pk,
        )
        raise PermissionDenied


def own_writing_organization_ids(user) -> list[int]:
    """The organizations the user writes for (an editor's or reviewer's membership): whose
    deadlines are the user's own. Not every organization the user may write to."""
    return [s.organization.pk for s in scopes(user) if s.can_write]


def writable_organizations(user, *, levels=(UnitLevel.COMMUNE,)) -> QuerySet:
    """Organizations whose records the user may write (edit_in_scope), at these unit levels."""
    organizations = Organization.objects.filter(unit__level__in=levels).select_related("unit")
    return permitted(organizations, user, Permission.EDIT_IN_SCOPE).in_program_order()


def front_managed_units(user, *, level=UnitLevel.COMMUNE) -> QuerySet:
    """Units whose Front records (programs, documents) the user may keep."""
    units = Unit.objects.all() if level is None else Unit.objects.filter(level=level)
    return permitted(units, user, Permission.MANAGE_FRONT_RECORDS)
