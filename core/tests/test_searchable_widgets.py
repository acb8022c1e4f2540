"""The searchable choosers of core/widgets.py, drawn as a form page draws them
(``bootstrap_field``): a labelled filter box, the choices, the error state where Bootstrap
shows the message, and the script and styles in the form's media."""

import lxml.html
from django import forms
from django.template import Context, Template
from django.utils import translation

from core.widgets import SearchableSelect, SearchableSelectMultiple

CHOICES = [(1, "Rơ Mah H' Bia"), (2, "Ksor Nay"), (3, "Đinh Văn Lâm")]


class ChooserForm(forms.Form):
    many = forms.MultipleChoiceField(label="Các hộ", choices=CHOICES, widget=SearchableSelectMultiple())
    one = forms.ChoiceField(label="Hộ", choices=[("", "---"), *CHOICES], widget=SearchableSelect())


def _draw(form, name) -> lxml.html.HtmlElement:
    html = Template("{% load portal_forms %}{% bootstrap_field field %}").render(
        Context({"field": form[name]})
    )
    return lxml.html.fromstring(f"<div>{html}</div>")


def test_searchable_select_multiple_is_a_labelled_filter_over_checkboxes():
    form = ChooserForm(data={"many": ["2"]})
    form.fields["many"].widget.group_label = "Các hộ"
    with translation.override("vi"):
        doc = _draw(form, "many")
    search = doc.get_element_by_id("id_many")
    assert search.get("type") == "search" and "form-control" in search.classes
    assert doc.xpath('//label[@for="id_many"]')[0].text_content().strip().startswith("Các hộ")
    group = doc.get_element_by_id("id_many_options")
    assert group.get("role") == "group" and group.get("aria-label") == "Các hộ"
    boxes = group.xpath('.//input[@type="checkbox"][@name="many"]')
    assert [b.get("value") for b in boxes] == ["1", "2", "3"]
    assert [b.checked for b in boxes] == [False, True, False]
    assert all(doc.xpath(f'//label[@for="{b.get("id")}"]') for b in boxes)
    assert doc.get_element_by_id("id_many_status").text_content().strip() == "Đã chọn 1"
    media = str(ChooserForm().media)
    assert "js/searchable-select.js" in media and "css/searchable-select.css" in media


def test_searchable_select_multiple_in_error_marks_its_box_for_the_message():
    form = ChooserForm(data={"many": ["9"], "one": "1"})
    assert not form.is_valid()
    doc = _draw(form, "many")
    box = doc.get_element_by_id("id_many_box")
    assert "is-invalid" in box.classes
    feedback = doc.get_element_by_id("id_many_error")
    assert box in feedback.itersiblings(preceding=True)
    search = doc.get_element_by_id("id_many")
    assert search.get("aria-invalid") == "true" and "id_many_error" in search.get("aria-describedby")


def test_searchable_select_keeps_the_select_with_a_filter_box():
    form = ChooserForm(data={"one": "3"})
    with translation.override("vi"):
        doc = _draw(form, "one")
    select = doc.get_element_by_id("id_one")
    assert select.tag == "select" and "form-select" in select.classes
    assert select.xpath("option[@selected]")[0].get("value") == "3"
    search = doc.get_element_by_id("id_one_filter")
    assert search.get("aria-label") == "Lọc danh sách" and search.get("aria-controls") == "id_one"
