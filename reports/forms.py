"""The filters of the dashboard, the compliance panel and the reports."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ModelChoiceField, VietnameseDatesMixin
from organizations.models import OrgKind

YEAR = {"min_value": 1990, "max_value": 2100}


class BootstrapFilterMixin:
    """Every field of the filter form gets Bootstrap's class: form-select for a list,
    form-control otherwise. Put it first in the bases, so that it sees the widgets the
    other bases chose (VietnameseDatesMixin's date input)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


class ReportFilterForm(BootstrapFilterMixin, forms.Form):
    year_from = forms.IntegerField(label=_("From year"), required=False, **YEAR)
    year = forms.IntegerField(label=_("To year"), required=False, **YEAR)
    commune = forms.TypedChoiceField(label=_("Commune"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Organization"), required=False)

    def __init__(self, *args, communes, with_range=True, with_kind=True, **kwargs):
        """``communes``: the choices of ``core.forms.commune_choices``."""
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", _("All")), *communes]
        self.fields["kind"].choices = [("", _("All")), *OrgKind.choices]
        if not with_range:
            del self.fields["year_from"]
            self.fields["year"].label = _("Year")
        if not with_kind:
            del self.fields["kind"]

    def clean(self):
        data = super().clean()
        low, high = data.get("year_from"), data.get("year")
        if low and high and low > high:
            raise forms.ValidationError(_("The first year comes after the last one."))
        if low and high and high - low > 20:
            raise forms.ValidationError(_("Choose at most 20 years."))
        return data


def _within_years(day: datetime.date | None) -> datetime.date | None:
    """A day of the years every filter here accepts (YEAR)."""
    if day is not None and not YEAR["min_value"] <= day.year <= YEAR["max_value"]:
        raise forms.ValidationError(
            _("Choose a day between %(first)s and %(last)s.")
            % {"first": YEAR["min_value"], "last": YEAR["max_value"]}
        )
    return day


class AuditFilterForm(BootstrapFilterMixin, VietnameseDatesMixin, forms.Form):
    """The filters of the change log: who, which kind of record, from and to which day."""

    actor = ModelChoiceField(label=_("User"), queryset=None, required=False, empty_label=_("All"))
    model = forms.ChoiceField(label=_("Kind of record"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, help_text=_("dd/mm/yyyy"))
    date_to = forms.DateField(label=_("To"), required=False, help_text=_("dd/mm/yyyy"))
    # Set by the link of a household's history: its changes and those of its parts.
    household = forms.IntegerField(
        label=_("Household"), required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def __init__(self, *args, actors, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        self.fields["actor"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.username})" if u.full_name and u.full_name != u.username else u.username
        )
        self.fields["model"].choices = [("", _("All")), *models]

    def clean_date_from(self):
        return _within_years(self.cleaned_data["date_from"])

    def clean_date_to(self):
        # The log is read up to the end of this day: 31/12/9999 had no next day to end at.
        return _within_years(self.cleaned_data["date_to"])

    def clean(self):
        data = super().clean()
        low, high = data.get("date_from"), data.get("date_to")
        if low and high and low > high:
            raise forms.ValidationError(_("The first day comes after the last one."))
        return data
