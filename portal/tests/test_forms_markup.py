"""The ``bootstrap_field`` tag draws each field as crispy-forms does, whatever its widget, its
errors and its help text."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from core.templatetags.portal_forms import bootstrap_field
from core.widgets import VietnameseDateInput


class EveryWidgetForm(forms.Form):
    commune = forms.ChoiceField(choices=[("", "---"), ("1", "Xã Ia Dom")], required=False, label="Xã")
    kinds = forms.MultipleChoiceField(
        choices=[("farmers", "Hội Nông dân"), ("women", "Hội LHPN")], help_text="Một hoặc nhiều"
    )
    name = forms.CharField(max_length=10, label="Tên <hộ>")
    households = forms.IntegerField(min_value=0, required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)
    day = forms.DateField(widget=VietnameseDateInput(), required=False)
    continuing = forms.BooleanField(required=False, help_text="Mô hình năm trước")
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput)
    status = forms.ChoiceField(choices=[("running", "Đang thực hiện")], widget=forms.RadioSelect)
    document = forms.FileField(required=False)


def _markup(html) -> str:
    # crispy's templates leave spaces and line breaks between tags and around label texts.
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize(
    "data",
    [None, {"name": "x" * 20, "households": "-1", "day": "31/02/2020", "email": "không", "status": "x"}],
    ids=["unbound", "in-error"],
)
def test_bootstrap_field_draws_every_widget_as_crispy_forms_does(data):
    form = EveryWidgetForm(data)
    if data:
        assert not form.is_valid()
    for field in form:
        assert _markup(bootstrap_field(field)) == _markup(as_crispy_field(field)), field.name
    if data:
        assert "is-invalid" in str(bootstrap_field(form["name"]))
