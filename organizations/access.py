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

Outside scope answers 404 so nobody learns a record exists; visible but not writable
answers 403.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from core.ids import id_or_404

from .models import Membership, Organization, OrgKind, Role, Unit, UnitLevel, User

security_log = logging.getLogger("portal.security")

WRITE_ROLES = {Role.EDITOR, Role.REVIEWER}


@dataclass(frozen=True)
class Scope:
    organization: Organization
    unit: Unit
    role: str
    # None: every organization kind in the subtree (the Front); else only this kind.
    kind: str | None

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES

    def covers_unit(self, unit: Unit) -> bool:
        return unit.path.startswith(self.unit.path)

    def covers_kind(self, kind: str | None) -> bool:
        return self.kind is None or kind is None or self.kind == kind


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


def is_read_only(user) -> bool:
    return not user.is_superuser and not any(s.can_write for s in scopes(user))


def sees_whole_communes(user) -> bool:
    """Whether none of the user's scopes is a residential area's: figures kept per commune
    then cover exactly what the user may see (an area's officer sees only part of a commune)."""
    return user.is_superuser or all(s.unit.level != UnitLevel.AREA for s in scopes(user))


# ---------------------------------------------------------------- visibility


def _scope_q(model, scope: Scope) -> Q:
    custom = getattr(model, "access_q", None)
    if custom is not None:
        return custom(scope)
    unit_field = model.access_unit_field
    kind_field = getattr(model, "access_kind_field", None)
    q = scope.unit.subtree_q(unit_field)
    if scope.kind and kind_field:
        q &= Q(**{kind_field: scope.kind})
    return q


def visible(qs: QuerySet, user) -> QuerySet:
    """Restrict any queryset of a scoped model to what the user may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    user_scopes = scopes(user)
    if not user_scopes:
        return qs.none()
    return qs.filter(reduce(or_, (_scope_q(qs.model, s) for s in user_scopes)))


def get_visible_or_404(user, model_or_qs, **lookup) -> Model:
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    if "pk" in lookup:
        # A URL's <int:pk> takes any digits: one past the column's range names no row (and
        # SQLite cannot even put it in a query).
        lookup["pk"] = id_or_404(lookup["pk"], qs.model)
    try:
        return visible(qs, user).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None


def visible_units(user) -> QuerySet:
    return visible(Unit.objects.all(), user)


def visible_organizations(user) -> QuerySet:
    return visible(Organization.objects.all(), user)


# ---------------------------------------------------------------- the change log


def audit_scopes(user) -> list[Scope]:
    """The scopes whose change log the user may read: the Front's staff (editors and
    reviewers of a Front organization) see the changes of every record kept in their
    subtree; the member organizations and the read-only leaders do not."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [s for s in scopes(user) if s.kind is None and s.can_write]


def can_view_audit(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or bool(audit_scopes(user))


def _audit_q(model, scope: Scope) -> Q:
    """Records kept in the scope's subtree: not the records above it that it may read
    (a commune reads the province's program, but does not see who changed it)."""
    unit_field = getattr(model, "access_unit_field", None)
    if unit_field is not None:
        return scope.unit.subtree_q(unit_field)
    custom = getattr(model, "access_q", None)
    return custom(scope) if custom is not None else Q(pk__in=[])


def audit_visible(qs: QuerySet, user) -> QuerySet:
    """Restrict a queryset of an audited model to the records whose changes the user may read."""
    if not can_view_audit(user):
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(reduce(or_, (_audit_q(qs.model, s) for s in audit_scopes(user))))


# ---------------------------------------------------------------- permissions


def _resolve(obj, lookup: str):
    for part in lookup.split("__") if lookup else []:
        obj = getattr(obj, part)
    return obj


def unit_of(obj) -> Unit:
    if isinstance(obj, Unit):
        return obj
    return _resolve(obj, obj.access_unit_field)


def organization_of(obj) -> Organization | None:
    if isinstance(obj, Organization):
        return obj
    return getattr(obj, "organization", None)


def _kind_of(obj) -> str | None:
    kind_field = getattr(type(obj), "access_kind_field", None)
    return _resolve(obj, kind_field) if kind_field else None


def _can_edit_own(user, obj) -> bool:
    """Editors of the record's own organization write it."""
    org = organization_of(obj)
    return org is not None and any(s.can_write and s.organization.pk == org.pk for s in scopes(user))


def _can_edit_in_scope(user, obj) -> bool:
    """Any editor whose scope covers the record's unit (and kind) writes it."""
    unit, kind = unit_of(obj), _kind_of(obj)
    return any(s.can_write and s.covers_unit(unit) and s.covers_kind(kind) for s in scopes(user))


def _can_review(user, obj) -> bool:
    """Front reviewers review what organizations in their subtree register."""
    unit = unit_of(obj)
    return any(s.role == Role.REVIEWER and s.kind is None and s.covers_unit(unit) for s in scopes(user))


def _can_manage_front_records(user, obj) -> bool:
    """Records kept by the Front (fund, programs, documents): its editors and reviewers."""
    unit = unit_of(obj)
    return any(s.can_write and s.kind is None and s.covers_unit(unit) for s in scopes(user))


def _can_manage_areas(user, obj) -> bool:
    """Residential areas of a commune: the commune's editors, or the Front above it."""
    commune = unit_of(obj)
    if commune.level != UnitLevel.COMMUNE:
        return False
    return any(
        s.can_write and s.covers_unit(commune) and (s.kind is None or s.unit.pk == commune.pk)
        for s in scopes(user)
    )


def _can_manage_users(user, obj) -> bool:
    """Front reviewers manage the accounts of organizations in their subtree.

    ``obj`` is an organization (to give it an account) or a user, who must belong only
    to organizations in the reviewer's subtree.
    """
    if isinstance(obj, User):
        # A reviewer who could reset the password of a superuser or staff account (one that
        # also works for an organization in scope) could log in as it: only superusers
        # manage those.
        if obj.is_superuser or obj.is_staff:
            return False
        units = [m.organization.unit for m in obj.memberships.select_related("organization__unit")]
    else:
        units = [unit_of(obj)]
    return bool(units) and all(
        any(s.role == Role.REVIEWER and s.covers_unit(unit) for s in scopes(user)) for unit in units
    )


PERMISSIONS = {
    "view": lambda user, obj: True,  # visibility itself is checked by require()
    "edit_own": _can_edit_own,
    "edit_in_scope": _can_edit_in_scope,
    "review": _can_review,
    "manage_front_records": _can_manage_front_records,
    "manage_areas": _can_manage_areas,
    "manage_users": _can_manage_users,
}


def _is_visible(user, obj) -> bool:
    """``visible()``'s rule for one saved object. A record on the unit tree is judged on its
    unit's path and its kind, which the permission checks have mostly read already: no query
    (each took about 1 ms a check); a model with a rule of its own asks the database."""
    model = type(obj)
    if obj.pk is None or getattr(model, "access_q", None) is not None:
        return visible(model._default_manager.filter(pk=obj.pk), user).exists()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    unit = unit_of(obj)
    kind_field = getattr(model, "access_kind_field", None)
    kind = _resolve(obj, kind_field) if kind_field else None
    return any(
        s.covers_unit(unit) and (s.kind is None or kind_field is None or kind == s.kind) for s in scopes(user)
    )


def can(user, permission: str, obj) -> bool:
    """True when the user may do ``permission`` on ``obj`` (which must be visible)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return PERMISSIONS[permission](user, obj) and _is_visible(user, obj)


def permitted(user, permission: str, qs: QuerySet) -> list:
    """The records of ``qs`` the user sees and may ``permission``: ``can()`` for each, in one
    query. The query is filtered by ``visible()`` instead of asking for each record whether
    it is visible (a query each for a model with a rule of its own, such as a program); ``qs``
    should join what the permission reads (a program's owner unit)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    records = list(visible(qs, user))
    if user.is_superuser:
        return records
    check = PERMISSIONS[permission]
    return [obj for obj in records if check(user, obj)]


def require(user, permission: str, obj) -> None:
    """404 when the object is outside the user's scope, 403 when it is read-only to them."""
    if user.is_superuser and user.is_active:
        return
    if not _is_visible(user, obj):
        raise Http404
    if not PERMISSIONS[permission](user, obj):
        security_log.warning(
            "permission refused: user=%s permission=%s object=%s:%s",
            user.pk,
            permission,
            type(obj).__name__,
            obj.pk,
        )
        raise PermissionDenied


def require_for_write(by, permission: str, obj) -> None:
    """Like require, but also for records not saved yet (scope of their unit)."""
    if by.is_superuser and by.is_active:
        return
    if not by.is_active or not PERMISSIONS[permission](by, obj):
        raise PermissionDenied
    if obj.pk is not None and not visible(type(obj)._default_manager.filter(pk=obj.pk), by).exists():
        raise PermissionDenied


def writable_organizations(user, *, levels=(UnitLevel.COMMUNE,)) -> QuerySet:
    """Organizations whose records the user may write (edit_in_scope), at these unit levels."""
    qs = Organization.objects.filter(unit__level__in=levels).select_related("unit")
    if user.is_superuser:
        return qs.in_program_order()
    qs_scopes = [s for s in scopes(user) if s.can_write]
    if not qs_scopes:
        return qs.none()
    q = reduce(
        or_,
        (Q(unit__path__startswith=s.unit.path) & (Q(kind=s.kind) if s.kind else Q()) for s in qs_scopes),
    )
    return qs.filter(q).in_program_order()


def front_managed_units(user, *, level=UnitLevel.COMMUNE) -> QuerySet:
    """Units whose Front records (programs, documents) the user may keep."""
    qs = Unit.objects.all() if level is None else Unit.objects.filter(level=level)
    if user.is_superuser:
        return qs
    front = [s for s in scopes(user) if s.can_write and s.kind is None]
    if not front:
        return qs.none()
    return qs.filter(reduce(or_, (Q(path__startswith=s.unit.path) for s in front)))
