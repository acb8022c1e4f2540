"""Reads of the unit tree that several apps' forms share."""

from django.db.models import Q, QuerySet

from . import access
from .models import Unit, UnitLevel


def scope_and_next_level(user) -> QuerySet:
    """The units of the user's scopes and the units just below them, among those the user
    sees: a province's own and its districts', a district's own and its communes', a
    commune's own and its residential areas'. Forms that choose among a scope's
    organizations list these: a province's every commune would make thousands."""
    if user.is_superuser:
        roots = Unit.objects.filter(parent__isnull=True).values("pk")
    else:
        roots = [s.unit.pk for s in access.scopes(user)]
    return access.visible_units(user).filter(Q(pk__in=roots) | Q(parent__in=roots))


def visible_communes(user) -> QuerySet:
    """The communes the user sees, by name."""
    return access.visible_units(user).filter(level=UnitLevel.COMMUNE).order_by("name")
