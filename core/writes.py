"""Checks the services share: years and dates within reason, and only the fields a service
allows set on a record."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR = 1990


def today() -> datetime.date:
    return timezone.localdate()


def check_year(year: int | None, field: str, *, latest: int | None = None) -> None:
    latest = latest if latest is not None else today().year + 1
    if year is None or not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            {field: _("Enter a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": latest}}
        )


def check_date(value: datetime.date | None, field: str, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return
    if value.year < FIRST_YEAR:
        raise ValidationError({field: _("The date is too early.")})
    if value > today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def apply_fields(obj, data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for key, value in data.items():
        setattr(obj, key, value)
