"""Form widgets for the Vietnamese UI.

``VietnameseDateInput``: a text input for dates written dd/mm/yyyy (what officials type
and what the settings' DATE_INPUT_FORMATS accept; the ambiguous US order is rejected by
the form), with a small calendar popup (static/js/datepicker.js) that shows month and day
names in the page's language. Native ``<input type="date">`` is not used: its picker
follows the browser's locale, not the portal's, and its value format differs by browser.

Use it on any DateField::

    from core.widgets import VietnameseDateInput

    class MyForm(forms.ModelForm):
        class Meta:
            widgets = {"signed_on": VietnameseDateInput()}

or ``forms.DateField(widget=VietnameseDateInput())``. The form's template needs
``{{ form.media }}`` (or include static/js/datepicker.js in its scripts block).
"""

import json

from django import forms
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext, pgettext

DATE_FORMAT = "%d/%m/%Y"


def _short_weekdays() -> list[str]:
    return [
        pgettext("weekday, 2 letters", "Mo"),
        pgettext("weekday, 2 letters", "Tu"),
        pgettext("weekday, 2 letters", "We"),
        pgettext("weekday, 2 letters", "Th"),
        pgettext("weekday, 2 letters", "Fr"),
        pgettext("weekday, 2 letters", "Sa"),
        pgettext("weekday, 2 letters", "Su"),
    ]


class VietnameseDateInput(forms.DateInput):
    """dd/mm/yyyy text input with a calendar popup in the page's language."""

    input_type = "text"

    class Media:
        js = ["js/datepicker.js"]

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "data-datepicker": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DATE_FORMAT)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Translated when rendered, so the calendar follows the user's language.
        labels = {
            "months": [str(MONTHS[i]) for i in range(1, 13)],
            "days": _short_weekdays(),
            "dayNames": [str(WEEKDAYS[i]) for i in range(7)],
            "open": gettext("Choose a date"),
            "prev": gettext("Previous month"),
            "next": gettext("Next month"),
            "close": gettext("Close"),
            "today": gettext("Today"),
        }
        context["widget"]["attrs"]["data-datepicker"] = json.dumps(labels, ensure_ascii=False)
        context["widget"]["attrs"].setdefault("title", gettext("Date as day/month/year, e.g. 25/12/2017"))
        return context


class SearchableSelectMultiple(forms.SelectMultiple):
    """A list of checkboxes under a filter box, for choosing a few among many (the households
    of a residential area): typing filters the list, accents ignored; Enter in the box ticks
    the first match, the arrow keys move through the list (static/js/searchable-select.js).
    Without the script the whole list shows and the checkboxes still work.

    The field's label points at the filter box; ``group_label`` names the list of checkboxes
    for screen readers (set it to the field's label). The page needs ``{{ form.media }}``.
    Each option's ``attrs`` (``create_option``) land on its row, e.g. a ``data-area``."""

    template_name = "core/widgets/searchable_select_multiple.html"
    group_label = ""

    class Media:
        css = {"all": ["css/searchable-select.css"]}
        js = ["js/searchable-select.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        classes = widget["attrs"].pop("class", "").split()
        # The field's Bootstrap look goes to the filter box; the invalid state also to the
        # box around the list, which the error message follows.
        widget["box_classes"] = " ".join(c for c in classes if c not in ("form-select", "form-control"))
        widget["filter_invalid"] = "is-invalid" in classes
        widget["group_label"] = self.group_label
        widget["chosen"] = sum(1 for _g, options, _i in widget["optgroups"] for o in options if o["selected"])
        return context


class SearchableSelect(forms.Select):
    """A select with a filter box above it: typing hides the options that do not match,
    accents ignored (static/js/searchable-select.js), for a long list such as a commune's
    households. Without the script it is a plain select. The page needs ``{{ form.media }}``."""

    template_name = "core/widgets/searchable_select.html"

    class Media:
        css = {"all": ["css/searchable-select.css"]}
        js = ["js/searchable-select.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["box_invalid"] = "is-invalid" in context["widget"]["attrs"].get("class", "").split()
        return context
