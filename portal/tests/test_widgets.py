import datetime
import re

from django import forms
from django.utils import translation

from core.widgets import VietnameseDateInput


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


def test_widgets_chart_include_has_a_table_equivalent():
    from django.template.loader import render_to_string

    chart = {"id": "reg", "title": "Đăng ký", "columns": ["Xã", "Số nội dung"], "rows": [["Xã Ia Dom", 1234]]}
    with translation.override("vi"):
        html = render_to_string("includes/_chart.html", {"chart": chart})
    assert 'role="img" aria-label="Đăng ký"' in html
    assert "<summary>Xem dạng bảng</summary>" in html
    assert '<th scope="row">Xã Ia Dom</th><td class="text-end">1.234</td>' in html


# ---------------------------------------------------------------- every date field of the project

PROJECT_PACKAGES = [
    "portal",
    "core",
    "organizations",
    "programs",
    "activities",
    "households",
    "registrations",
    "reports",
]
SKIPPED_MODULES = re.compile(r"\.(tests|migrations)(\.|$)|^portal\.(wsgi|asgi)$")


def _project_form_classes():
    """Every form class defined in the project's own modules (tests and migrations aside)."""
    import importlib
    import pkgutil

    for name in PROJECT_PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if not SKIPPED_MODULES.search(info.name):
                importlib.import_module(info.name)
    found, stack = set(), [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            module = sub.__module__
            if module.split(".")[0] in PROJECT_PACKAGES and ".tests" not in module:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_widgets_every_date_field_of_every_form_uses_the_vietnamese_date_input():
    """A new form with a date field (declared or from its model) fails here until it uses
    core.forms.VietnameseDatesMixin (or VietnameseDateInput)."""
    from core.forms import VietnameseDatesMixin

    classes = _project_form_classes()
    with_dates, offenders = [], []
    for cls in classes:
        dates = [name for name, field in cls.base_fields.items() if isinstance(field, forms.DateField)]
        if dates:
            with_dates.append(cls.__name__)
        for name in dates:
            widget = cls.base_fields[name].widget
            if not isinstance(widget, VietnameseDateInput) and not issubclass(cls, VietnameseDatesMixin):
                offenders.append(f"{cls.__module__}.{cls.__qualname__}.{name}: {type(widget).__name__}")
    # The walk really reached the forms of every app that has date fields.
    assert {"PeriodForm", "DocumentForm", "SupervisionForm", "SupportForm", "FundEntryForm"} <= set(
        with_dates
    )
    assert offenders == []


def test_widgets_dates_mixin_replaces_declared_and_model_widgets():
    from core.forms import VietnameseDatesMixin
    from programs.models import ProgramDocument

    class PlainForm(VietnameseDatesMixin, forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"class": "js-day"}))
        later = forms.DateField(required=False)

    class DocumentDates(VietnameseDatesMixin, forms.ModelForm):
        class Meta:
            model = ProgramDocument
            fields = ["issued_on", "received_on"]

    with translation.override("vi"):
        plain = PlainForm(initial={"day": datetime.date(2017, 7, 1)})
        html = str(plain["day"])
        assert 'value="01/07/2017"' in html and "data-datepicker=" in html and "required" in html
        assert 'class="js-day"' in html
        assert "required" not in str(plain["later"])
        model_form = DocumentDates()
        for name in ("issued_on", "received_on"):
            assert isinstance(model_form.fields[name].widget, VietnameseDateInput)
        bound = DocumentDates({"issued_on": "25/12/2017", "received_on": "12/25/2017"})
        assert not bound.is_valid() and list(bound.errors) == ["received_on"]
        assert bound.errors["received_on"] == ["Nhập ngày theo dạng ngày/tháng/năm, ví dụ 25/12/2017."]
        assert bound.cleaned_data["issued_on"] == datetime.date(2017, 12, 25)
    # The class itself is left alone: other forms built from the same fields are unaffected.
    assert not isinstance(PlainForm.base_fields["day"].widget, VietnameseDateInput)


def test_widgets_date_form_page_brings_the_calendar(client_for, world):
    from django.urls import reverse

    response = client_for(world.mttq_iadom).get(reverse("households:fund", args=[world.iadom.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="date"' in html and "data-datepicker=" in html and 'placeholder="dd/mm/yyyy"' in html
    assert "js/datepicker" in html


def test_widgets_every_chart_template_has_a_show_as_table_toggle():
    """A chart (a <canvas>) in any template comes with its table under "Show as table"."""
    from pathlib import Path

    base = Path(__file__).resolve().parents[2]
    templates = [p for p in base.glob("**/templates/**/*.html") if ".venv" not in p.parts]
    charts = {}
    for path in templates:
        text = path.read_text(encoding="utf-8")
        if "<canvas" in text:
            charts[path.relative_to(base).as_posix()] = (
                text.count("<canvas"),
                text.count('{% translate "Show as table" %}'),
            )
    assert "reports/templates/reports/_dashboard_figures.html" in charts
    assert {name: counts for name, counts in charts.items() if counts[1] < counts[0]} == {}


def test_widgets_every_typed_number_has_an_upper_bound():
    """A number field a form declares has a maximum (core.forms.MAX_COUNT, MAX_VND, a
    year's range): a 10^40 typed into one reached the database as an error page. Fields a
    ModelForm takes from its model are checked by the model's own range validators."""
    offenders, checked = [], 0
    for cls in _project_form_classes():
        model = getattr(getattr(cls, "_meta", None), "model", None)
        model_fields = {f.name for f in model._meta.get_fields()} if model else set()
        for name, field in cls.base_fields.items():
            if not isinstance(field, forms.IntegerField) or name in model_fields:
                continue
            checked += 1
            if field.max_value is None:
                offenders.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert checked >= 10
    assert offenders == []


class ChoicesForm(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "—"), ("a", 'A & <b>"quoted"</b>'), ("Nhóm <1>", [("1", "một"), ("2", "hai")])]
    )
    many = forms.MultipleChoiceField(choices=[("p", "P"), ("q", "Q"), ("r", "R")])
    typed = forms.TypedChoiceField(choices=[(1, "one"), (2, "two")], coerce=int, required=False)


def _between_tags(html: str) -> str:
    """The markup without the line breaks between tags (Django's template files end with one)."""
    return re.sub(r">\s+<", "><", html)


def test_widgets_select_written_as_djangos_own_templates_write_it():
    """The project's select.html writes its options with a tag: the markup is Django's own
    (escaping, optgroups, selected options, multiple choices), only faster."""
    from django.forms.renderers import DjangoTemplates

    data = {"plain": "2", "many": ["p", "r"], "typed": "2"}
    form = ChoicesForm(data)
    # Django's bundled widget templates, not the project's:
    djangos = ChoicesForm(data, renderer=DjangoTemplates())
    for name in form.fields:
        assert _between_tags(str(form[name])) == _between_tags(str(djangos[name]))
    html = str(form["plain"])
    assert html.count("<option") == 4
    assert "A &amp; &lt;b&gt;&quot;quoted&quot;&lt;/b&gt;" in html
    assert '<optgroup label="Nhóm &lt;1&gt;">' in html and '<option value="2" selected>hai</option>' in html
    assert html.count(" selected") == 1
    assert str(form["many"]).count(" selected") == 2


def test_name_choice_field_lists_names_and_cleans_to_the_object(world):
    from core.forms import NameChoiceField
    from organizations.models import Unit, UnitLevel

    class CommuneForm(forms.Form):
        commune = NameChoiceField(queryset=Unit.objects.filter(level=UnitLevel.COMMUNE).order_by("name"))

    form = CommuneForm({"commune": str(world.iakla.pk)})
    assert form.is_valid() and form.cleaned_data["commune"] == world.iakla
    html = str(form["commune"])
    assert f'<option value="{world.iakla.pk}" selected>{world.iakla.name}</option>' in html
    assert f'<option value="{world.iadom.pk}">{world.iadom.name}</option>' in html
    assert html.index(world.iadom.name) < html.index(world.iakla.name)
    assert not CommuneForm({"commune": str(world.district.pk)}).is_valid()


def test_model_choice_field_reads_its_options_by_one_plain_query(world):
    """Django's ModelChoiceField reads its options through a server-side cursor on
    PostgreSQL (DECLARE, FETCH, CLOSE); the project's reads them by one SELECT, and lists
    and cleans them as Django's does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.forms import ModelChoiceField, ModelMultipleChoiceField
    from organizations.models import Unit, UnitLevel

    communes = Unit.objects.filter(level=UnitLevel.COMMUNE).order_by("name")

    class CommunesForm(forms.Form):
        one = ModelChoiceField(queryset=communes, empty_label="—")
        many = ModelMultipleChoiceField(queryset=communes)

    form = CommunesForm({"one": str(world.iakla.pk), "many": [str(world.iadom.pk)]})
    assert form.is_valid()
    assert form.cleaned_data["one"] == world.iakla and list(form.cleaned_data["many"]) == [world.iadom]
    with CaptureQueriesContext(connection) as queries:
        one, many = str(form["one"]), str(form["many"])
    assert [q["sql"].split()[0] for q in queries] == ["SELECT", "SELECT"]
    assert '<option value="">—</option>' in one
    assert f'<option value="{world.iakla.pk}" selected>{world.iakla.name}</option>' in one
    assert f'<option value="{world.iadom.pk}" selected>{world.iadom.name}</option>' in many
    assert one.index(world.iadom.name) < one.index(world.iakla.name)


def test_every_model_choice_of_every_form_reads_its_options_by_one_query():
    """A form's choice of model objects is core.forms' ModelChoiceField (or
    ModelMultipleChoiceField, NameChoiceField), declared or from its model."""
    from core.forms import NameChoiceIterator, PlainChoiceIterator

    checked, offenders = 0, []
    for cls in _project_form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.ModelChoiceField):
                checked += 1
                if not issubclass(field.iterator, (PlainChoiceIterator, NameChoiceIterator)):
                    offenders.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert checked >= 15
    assert offenders == []
