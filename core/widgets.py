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
