import datetime

from django import forms
from django.template import Context, Template
from django.utils import translation


class DateForm(forms.Form):
    day = forms.DateField()


def test_formats_date_input_is_day_first():
    with translation.override("vi"):
        form = DateForm({"day": "25/12/2017"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2017, 12, 25)
        form = DateForm({"day": "01/02/2017"})
        assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2017, 2, 1)


def test_formats_us_order_is_rejected():
    with translation.override("vi"):
        assert not DateForm({"day": "12/25/2017"}).is_valid()


def test_formats_numbers_grouped_with_dots():
    with translation.override("vi"):
        assert Template("{{ n }}").render(Context({"n": 1234567})) == "1.234.567"


def test_formats_dates_shown_day_first():
    with translation.override("vi"):
        rendered = Template('{{ d|date:"SHORT_DATE_FORMAT" }}').render(
            Context({"d": datetime.date(2017, 7, 21)})
        )
        assert rendered == "21/07/2017"
