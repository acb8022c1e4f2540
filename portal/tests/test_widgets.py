import datetime

from django import forms
from django.utils import translation

from portal.widgets import VietnameseDateInput


class EventForm(forms.Form):
    day = forms.DateField(label="Day", widget=VietnameseDateInput())


def test_widgets_date_input_accepts_day_first():
    with translation.override("vi"):
        form = EventForm({"day": "25/12/2017"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2017, 12, 25)


def test_widgets_date_input_rejects_us_order():
    with translation.override("vi"):
        assert not EventForm({"day": "12/25/2017"}).is_valid()


def test_widgets_date_input_renders_day_first_with_hints():
    with translation.override("vi"):
        html = str(EventForm(initial={"day": datetime.date(2017, 7, 1)})["day"])
    assert 'type="text"' in html and 'value="01/07/2017"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html
    assert "data-datepicker=" in html


def test_widgets_date_input_calendar_names_follow_the_language():
    with translation.override("vi"):
        html = str(EventForm()["day"])
    assert "Tháng 12" in html and "T2" in html and "CN" in html and "Chọn ngày" in html
    with translation.override("en"):
        html = str(EventForm()["day"])
    assert "December" in html and "Mo" in html and "Choose a date" in html


def test_widgets_date_input_brings_its_script():
    assert "js/datepicker.js" in str(EventForm().media)


def test_widgets_audit_value_shows_no_python_words():
    from portal.templatetags.portal_format import audit_value

    with translation.override("vi"):
        assert audit_value("None") == "—" and audit_value(None) == "—"
        assert audit_value("True") == "có" and audit_value("False") == "không"
        assert audit_value("Làng 1") == "Làng 1"
        assert audit_value("organizations.Membership.None") == "—"


def test_widgets_chart_include_has_a_table_equivalent():
    from django.template.loader import render_to_string

    chart = {"id": "reg", "title": "Đăng ký", "columns": ["Xã", "Số nội dung"], "rows": [["Xã Ia Dom", 1234]]}
    with translation.override("vi"):
        html = render_to_string("includes/_chart.html", {"chart": chart})
    assert 'role="img" aria-label="Đăng ký"' in html
    assert "<summary>Xem dạng bảng</summary>" in html
    assert '<th scope="row">Xã Ia Dom</th><td class="text-end">1.234</td>' in html
