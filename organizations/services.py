"""Writes on units, organizations and accounts. Every function is atomic and takes ``by``."""

from __future__ import annotations

import json
import secrets

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit

from . import access
from .access import Permission
from .models import (
    MEMBER_KINDS,
    SERVICE_ACCOUNT_PREFIX,
    Membership,
    Organization,
    OrgKind,
    Role,
    Unit,
    UnitLevel,
    User,
)

# ---------------------------------------------------------------- organizations

_ORG_NAMES = {
    # kind: (name at an administrative unit, name of the branch at a residential area)
    OrgKind.FRONT: ("Ủy ban MTTQ Việt Nam {unit}", "Ban Công tác Mặt trận {unit}"),
    OrgKind.LABOR: ("Liên đoàn Lao động {unit}", None),
    OrgKind.FARMERS: ("Hội Nông dân {unit}", "Chi hội Nông dân {unit}"),
    OrgKind.WOMEN: ("Hội Liên hiệp Phụ nữ {unit}", "Chi hội Phụ nữ {unit}"),
    OrgKind.YOUTH: ("Đoàn TNCS Hồ Chí Minh {unit}", "Chi đoàn {unit}"),
    OrgKind.VETERANS: ("Hội Cựu chiến binh {unit}", "Chi hội Cựu chiến binh {unit}"),
}
# At commune level the Labor Federation is represented by the commune's trade union.
_COMMUNE_LABOR_NAME = "Công đoàn {unit}"


def _unit_in_name(unit: Unit) -> str:
    """ "Xã Ia Dom" reads "xã Ia Dom" inside an organization's name."""
    return unit.name[:1].lower() + unit.name[1:] if unit.level != UnitLevel.AREA else unit.name


def organization_name(kind: str, unit: Unit) -> str | None:
    at_unit, at_area = _ORG_NAMES[kind]
    if unit.level == UnitLevel.AREA:
        pattern = at_area
    elif unit.level == UnitLevel.COMMUNE and kind == OrgKind.LABOR:
        pattern = _COMMUNE_LABOR_NAME
    else:
        pattern = at_unit
    return pattern.format(unit=_unit_in_name(unit)) if pattern else None


def ensure_organizations(unit: Unit) -> list[Organization]:
    """The Front and the five organizations (their branches at an area) exist at ``unit``."""
    existing = {o.kind: o for o in Organization.objects.filter(unit=unit)}
    created = []
    for kind in [OrgKind.FRONT, *MEMBER_KINDS]:
        name = organization_name(kind, unit)
        if name and kind not in existing:
            created.append(Organization(unit=unit, kind=kind, name=name))
    Organization.objects.bulk_create(created)
    return created


# ---------------------------------------------------------------- units


def _unique_name_under(parent: Unit, name: str, exclude_pk: int | None = None) -> None:
    clash = Unit.objects.filter(parent=parent, level=UnitLevel.AREA, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {
                "name": _("%(parent)s already has a unit named “%(name)s”.")
                % {"parent": parent.name, "name": name}
            }
        )


@transaction.atomic
def create_area(*, commune: Unit, name: str, kind: str = "", by: User) -> Unit:
    access.require(by, Permission.MANAGE_AREAS, commune)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter the name of the residential area.")})
    _unique_name_under(commune, name)
    area = Unit.objects.create(name=name, kind=kind, level=UnitLevel.AREA, parent=commune)
    ensure_organizations(area)
    return area


@transaction.atomic
def rename_area(*, area: Unit, name: str, kind: str | None = None, by: User) -> Unit:
    if area.level != UnitLevel.AREA:
        raise ValidationError(_("Only residential areas can be renamed here."))
    access.require(by, Permission.MANAGE_AREAS, area.parent)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter the name of the residential area.")})
    _unique_name_under(area.parent, name, exclude_pk=area.pk)
    area.name = name
    if kind is not None:
        area.kind = kind
    area.save()
    for org in Organization.objects.filter(unit=area):
        org.name = organization_name(org.kind, area)
        org.save(update_fields=["name"])
    return area


@transaction.atomic
def set_area_active(*, area: Unit, active: bool, by: User) -> Unit:
    """Retire a residential area (its history stays) or bring it back."""
    if area.level != UnitLevel.AREA:
        raise ValidationError(_("Only residential areas can be retired here."))
    access.require(by, Permission.MANAGE_AREAS, area.parent)
    area.is_active = active
    area.retired_at = None if active else timezone.now()
    area.save(update_fields=["is_active", "retired_at"])
    return area


def _official_divisions():
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    with open(NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def _commune_kind(name: str) -> str:
    for prefix in ("Thị trấn", "Phường", "Xã"):
        if name.startswith(prefix):
            return prefix.lower()
    return "xã"


@transaction.atomic
def load_official_units(code: int, level: str | None = None) -> dict[str, int]:
    """Load a province or a district (pre-2025 official codes) with its communes.

    The Front and the five organizations are created at every loaded unit.
    Running it twice creates nothing new.
    """
    provinces = _official_divisions()
    province_data = district_data = None
    if level in (None, UnitLevel.PROVINCE):
        province_data = next((p for p in provinces if p["code"] == code), None)
    if province_data is None and level in (None, UnitLevel.DISTRICT):
        for p in provinces:
            district_data = next((d for d in p["districts"] if d["code"] == code), None)
            if district_data:
                province_data = p
                break
    if province_data is None:
        raise ValidationError(_("No province or district has the official code %(code)s.") % {"code": code})

    counts = {"created": 0, "existing": 0}
    loaded: list[Unit] = []

    def upsert(level: str, data: dict, kind: str, parent: Unit | None) -> Unit:
        unit = Unit.objects.filter(level=level, official_code=data["code"]).first()
        counts["existing" if unit else "created"] += 1
        if unit is None:
            unit = Unit.objects.create(
                level=level, official_code=data["code"], name=data["name"], kind=kind, parent=parent
            )
        loaded.append(unit)
        return unit

    province = upsert(UnitLevel.PROVINCE, province_data, province_data["division_type"], None)
    for d in [district_data] if district_data else province_data["districts"]:
        district = upsert(UnitLevel.DISTRICT, d, d["division_type"], province)
        for w in d["wards"]:
            upsert(UnitLevel.COMMUNE, w, _commune_kind(w["name"]), district)
    for unit in loaded:
        ensure_organizations(unit)
    return counts


# ---------------------------------------------------------------- accounts


def _check_membership_target(by: User, organization: Organization, role: str) -> None:
    access.require(by, Permission.MANAGE_USERS, organization)
    if role == Role.REVIEWER and organization.kind != OrgKind.FRONT:
        raise ValidationError({"role": _("Only the Fatherland Front can have reviewers.")})


@transaction.atomic
def create_account(
    *,
    username: str,
    full_name: str,
    email: str,
    organization: Organization,
    role: str,
    title: str = "",
    password: str,
    by: User,
) -> User:
    _check_membership_target(by, organization, role)
    if username.lower().startswith(SERVICE_ACCOUNT_PREFIX):
        raise ValidationError(
            {"username": _("Usernames starting with “%(prefix)s” are kept for the API's systems.")
             % {"prefix": SERVICE_ACCOUNT_PREFIX}}
        )  # fmt: skip
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username, email=email, full_name=" ".join(full_name.split()))
    user.set_password(password)
    user.must_change_password = True
    user.save()
    Membership.objects.create(user=user, organization=organization, role=role, title=title)
    return user


@transaction.atomic
def update_account(
    *,
    user: User,
    full_name: str,
    email: str,
    organization: Organization,
    role: str,
    title: str = "",
    by: User,
) -> User:
    access.require(by, Permission.MANAGE_USERS, user)
    _check_membership_target(by, organization, role)
    if user.pk == by.pk and role != Role.REVIEWER and not by.is_superuser:
        raise ValidationError({"role": _("You cannot remove your own reviewer role.")})
    user.full_name = " ".join(full_name.split())
    user.email = email
    user.save(update_fields=["full_name", "email"])
    Membership.objects.filter(user=user).exclude(organization=organization).delete()
    Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": role, "title": title}
    )
    return user


@transaction.atomic
def set_account_active(*, user: User, active: bool, by: User) -> User:
    """Deactivating ends the account's open sessions at once: the auth backend refuses it."""
    access.require(by, Permission.MANAGE_USERS, user)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def reset_password(*, user: User, by: User) -> str:
    """Give the account a one-time password; the user must choose a new one at next login."""
    access.require(by, Permission.MANAGE_USERS, user)
    temporary = secrets.token_urlsafe(9)
    old = audit.before([user])
    user.set_password(temporary)
    user.must_change_password = True
    _save_with_event(user, by, audit.PASSWORD_RESET, old[user.pk], ["password", "must_change_password"])
    return temporary


@transaction.atomic
def password_changed(*, by: User) -> User:
    """The user has chosen their own password: the one-time one no longer has to be changed."""
    old = audit.before([by])
    by.must_change_password = False
    _save_with_event(by, by, audit.PASSWORD_CHANGED, old[by.pk], ["must_change_password"])
    return by


def _save_with_event(user: User, by: User, event: str, old: User, fields: list[str]) -> None:
    """The change log gets one entry for the event, whether the must-change flag changed
    or was already set (the password itself is never logged: it is excluded from the log)."""
    with disable_auditlog():
        user.save(update_fields=fields)
    audit.audit_event(user, by, event, old=old, fields=["must_change_password"])


@transaction.atomic
def remember_language(*, language: str, by: User) -> User:
    """The language the user chose, kept for their next logins. Nothing is written for a
    language the portal does not offer (Django's ``set_language`` ignores it too) or one
    that is already theirs."""
    if language in dict(settings.LANGUAGES) and by.language != language:
        User.objects.filter(pk=by.pk).update(language=language)
        by.language = language
    return by
