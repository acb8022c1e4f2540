"""What a list was filtered by, for the sentence an empty list says (includes/_list_page.html)."""

from __future__ import annotations

from django import forms, template
from django.utils.formats import date_format

register = template.Library()


def _choice_label(field: forms.ChoiceField, value) -> str:
    for key, label in field.choices:
        if isinstance(label, (list, tuple)):  # a group of options
            for inner_key, inner_label in label:
                if str(inner_key) == str(value):
                    return str(inner_label)
        elif str(key) == str(value):
            return str(label)
    return str(value)


def _shown(field: forms.Field, value) -> str:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(v) for v in value)
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.MultipleChoiceField):
        return ", ".join(_choice_label(field, v) for v in value)
    if isinstance(field, forms.ChoiceField):
        return _choice_label(field, value)
    if isinstance(field, forms.DateField):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


@register.simple_tag
def searched(form) -> str:
    """The filters of a bound filter form that hold a value, as "Label: “value”; …"; empty
    when nothing was filtered (a value that is not valid filtered nothing)."""
    if form is None or not getattr(form, "is_bound", False):
        return ""
    form.is_valid()
    parts = []
    for bound in form:
        value = form.cleaned_data.get(bound.name)
        empty = value is None or value is False or (not isinstance(value, (int, float)) and not value)
        if bound.is_hidden or empty:
            continue
        if value is True:
            parts.append(str(bound.label))
        else:
            parts.append(f"{bound.label}: “{_shown(bound.field, value)}”")
    return "; ".join(parts)
