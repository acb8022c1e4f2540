"""Database checks built from the code's own lists of values."""

from collections.abc import Iterable

from django.db import models
from django.db.models import Q


def choice_checks(prefix: str, *, blank: Iterable[str] = (), **fields) -> list[models.CheckConstraint]:
    """One check per choice field: its value is one of its enum's (``fields``: name → the
    ``models.Choices`` class, or a list of values), or empty for the fields named in
    ``blank``. Named ``<prefix>_<field>_valid``; the enum is read when the model is defined,
    so a value added to it reaches the database with the next migration."""
    checks = []
    for name, choices in fields.items():
        values = list(choices.values) if isinstance(choices, type) else list(choices)
        condition = Q(**{f"{name}__in": values})
        if name in blank:
            condition |= Q(**{name: ""})
        checks.append(models.CheckConstraint(condition=condition, name=f"{prefix}_{name}_valid"))
    unknown = set(blank) - set(fields)
    if unknown:
        raise ValueError(f"blank names fields without choices: {sorted(unknown)}")
    return checks
