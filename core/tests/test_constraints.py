"""Every choice field of the project has a database check built from its enum, and the
database refuses a value outside it, whatever wrote it (a bulk update, the shell, SQL)."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

PROJECT_APPS = {"organizations", "programs", "activities", "households", "registrations"}


def _choice_fields():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


def _check_of(model, field) -> models.CheckConstraint:
    found = [
        c
        for c in model._meta.constraints
        if isinstance(c, models.CheckConstraint)
        and c.name.endswith(f"_{field.name}_valid")
        and {lookup.split("__")[0] for lookup, _value in _lookups(c.condition)} == {field.name}
    ]
    assert len(found) == 1, f"{model._meta.label}.{field.name} has no check of its choices"
    return found[0]


def _lookups(q):
    for child in q.children:
        yield from _lookups(child) if isinstance(child, models.Q) else [child]


def test_every_choice_field_has_a_check_of_exactly_its_choices():
    fields = list(_choice_fields())
    assert len(fields) >= 30  # the user's language, the unit level, the organization kind, ...
    for model, field in fields:
        allowed = set()
        for lookup, value in _lookups(_check_of(model, field).condition):
            allowed |= set(value) if lookup.endswith("__in") else {value}
        expected = {value for value, _label in field.flatchoices} | ({""} if field.blank else set())
        assert allowed == expected, f"{model._meta.label}.{field.name}"


def test_database_refuses_a_value_outside_the_choices(demo):
    refused = []
    for model, field in _choice_fields():
        row = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if row is None:
            continue
        with pytest.raises(IntegrityError), transaction.atomic():
            model._default_manager.filter(pk=row).update(**{field.name: "zz"})
        refused.append(f"{model._meta.label}.{field.name}")
    # The demo has rows for nearly every model: the level of a unit, the kind of an
    # organization and the sign of money (a fund entry's kind) are among those refused.
    assert {
        "organizations.Unit.level",
        "organizations.Organization.kind",
        "households.FundEntry.kind",
    } <= set(refused)
    assert len(refused) >= 25, refused
