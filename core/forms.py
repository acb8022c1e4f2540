from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import Form
from django.utils.translation import gettext_lazy as _

from core.ids import read_id, read_ids
from core.widgets import VietnameseDateInput

# Upper bounds of the numbers users type: within the database's columns (a 10^40 typed
# into a count reached the database as an error page), far above any real figure.
MAX_COUNT = 2**31 - 1  # people, households, quantities (integer columns)
MAX_VND = 10**15  # a million billion đồng (amounts in bigint columns)


def list_only(form: Form, name: str, listed: Q) -> None:
    """Draw the options of the model choice field ``name`` that match ``listed``, and those
    already chosen; its queryset still decides what is accepted. A province Front may give
    an account to, or name in a supervision, any of its 12,000 organizations, but a select
    of all of them can be neither read nor drawn quickly (0.2 s)."""
    field = form.fields[name]
    value = form[name].value()
    chosen = value if isinstance(value, list | tuple) else [value]
    pks = read_ids(chosen, field.queryset.model)
    rows = field.queryset.filter(listed | Q(pk__in=pks)).values_list("pk", "name")
    empty = [] if getattr(field, "empty_label", None) is None else [("", field.empty_label)]
    field.widget.choices = [*empty, *rows]


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def use_vietnamese_date_input(field: forms.DateField) -> None:
    """Give a date field the project's date input, keeping the field's own attributes."""
    widget = VietnameseDateInput(attrs=field.widget.attrs)
    widget.is_required = field.required
    widget.is_localized = field.localize
    widget.attrs.update(field.widget_attrs(widget))
    field.widget = widget
    # Django's "Enter a valid date." does not say what was wrong with 12/25/2017.
    if field.error_messages.get("invalid") == forms.DateField.default_error_messages["invalid"]:
        field.error_messages["invalid"] = _("Enter the date as day/month/year, e.g. 25/12/2017.")


class VietnameseDatesMixin:
    """Every date field of the form is typed dd/mm/yyyy with the calendar popup
    (``core.widgets.VietnameseDateInput``), whether the form declares it or takes it
    from the model (ModelForm), and whatever widget it was declared with. Put it first in
    the bases::

        class SupportForm(VietnameseDatesMixin, forms.Form): ...

    portal/tests/test_widgets.py fails for a form class with a date field without it.
    The input formats (dd/mm/yyyy, and ISO for machines) come from core/formats/vi.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field.widget, VietnameseDateInput):
                use_vietnamese_date_input(field)


class PlainChoiceIterator(forms.models.ModelChoiceIterator):
    """A ModelChoiceField's options read by one plain query. Django's iterator reads them
    through QuerySet.iterator(), which on PostgreSQL opens a server-side cursor WITH HOLD
    (outside a transaction): a DECLARE, a FETCH and a CLOSE, the rows copied aside first
    (the initiative filter's ten fields: 5 → 2.5 ms). The longest list of options here, a
    commune's households, is a few thousand rows: no burden read at once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """The project's choice of one model object: its options read by one plain query, and
    a posted value that cannot be an id (``core.ids``) refused as any other wrong choice
    (Django's own field put 10^20 in the query, a server error on SQLite)."""

    iterator = PlainChoiceIterator

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            if self.to_field_name is None and read_id(value, self.queryset.model) is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The project's choice of several model objects: its options read by one plain query,
    each posted value checked as ``ModelChoiceField`` checks its one."""

    iterator = PlainChoiceIterator

    def _check_values(self, value):
        for pk in value if self.to_field_name is None else ():
            if read_id(pk, self.queryset.model) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class NameChoiceIterator(forms.models.ModelChoiceIterator):
    """A ModelChoiceField's options read as (pk, name) values instead of model objects."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in self.queryset.values_list("pk", "name"):
            yield (forms.models.ModelChoiceIteratorValue(pk, None), name)


class NameChoiceField(ModelChoiceField):
    """A choice of a model with a ``name`` (a unit), labelled by its name. Its options are
    read as values: a province's 218 communes as Unit objects took 2 ms of every list
    filtered by commune. What it cleans to is still the object."""

    iterator = NameChoiceIterator


def commune_choices(communes) -> list:
    """The options of a choice among ``communes`` (a queryset of units): by name, grouped by
    district when they lie in more than one, as a province's do (its 218 communes repeat
    some names: Gia Lai has two "Xã Ia O")."""
    rows = communes.order_by("parent__name", "name").values_list("pk", "name", "parent__name")
    districts: dict[str, list] = {}
    for pk, name, district in rows:
        districts.setdefault(district, []).append((pk, name))
    if len(districts) > 1:
        return list(districts.items())
    return next(iter(districts.values()), [])


def draw_communes_by_district(field: forms.ModelChoiceField) -> None:
    """Draw a choice of communes (a field whose queryset is units) with ``commune_choices``;
    its queryset still decides what is accepted."""
    field.widget.choices = [("", field.empty_label), *commune_choices(field.queryset)]


class YearInput(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={"min": 1990, "max": 2100, **(attrs or {})})
