"""Form fields drawn as crispy-bootstrap5's ``|as_crispy_field`` draws them, without its
templates."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _widget_class(field, bootstrap: str) -> str:
    """The widget's classes as crispy-forms writes them: its own, its type's name, Bootstrap's."""
    widget = field.field.widget
    classes = widget.attrs.get("class", "")
    name = type(widget).__name__.lower()
    if name not in classes:
        classes = f"{classes} {name}" if classes else name
    for css in (f"{bootstrap} is-invalid" if field.errors else bootstrap).split():
        if css not in classes.split():
            classes += f" {css}"
    return classes


@register.simple_tag
def bootstrap_field(field):
    """A field as crispy-bootstrap5's ``|as_crispy_field`` draws it (the same label, classes,
    errors, help text and ids; Django adds aria-invalid and aria-describedby), drawn here
    for speed rather than by crispy's nest of templates: about 0.6 ms a field, which the
    filter bars of the lists paid on every page, and the registration edit page of the
    province benchmark (196 fields) went from 730 to 380 ms (medians, test client).
    Select, text, number, textarea and checkbox widgets; any other (a file, radio buttons,
    a fieldset) is left to crispy-forms."""
    widget = field.field.widget
    if field.is_hidden or field.use_fieldset or isinstance(widget, forms.FileInput):
        return as_crispy_field(field)
    auto_id, required = field.auto_id, field.field.required
    star = mark_safe('<span class="asteriskField">*</span>') if required else ""  # noqa: S308 - constant
    more = field.css_classes()
    errors = help_text = ""
    if field.errors:
        errors = format_html(
            '\n<div id="{}_error" class="invalid-feedback">{}</div>',
            auto_id,
            format_html_join(
                "\n",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, auto_id, error) for n, error in enumerate(field.errors, start=1)),
            ),
        )
    if field.help_text:
        # As crispy-forms (and Django) write it: help texts are the code's, not escaped.
        help_text = format_html(
            '\n<div id="{}_helptext" class="form-text">{}</div>',
            auto_id,
            mark_safe(field.help_text),  # noqa: S308 - the form's own help text
        )
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}\n'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}{}</div></div>',
            auto_id,
            f" {more}" if more else "",
            field.as_widget(attrs={"class": _widget_class(field, "form-check-input")}),
            field.id_for_label,
            " requiredField" if required else "",
            field.label,
            star,
            errors,
            help_text,
        )
    bootstrap = "form-select" if isinstance(widget, forms.Select) else "form-control"
    label = ""
    if field.label:
        label = format_html(
            '<label for="{}" class="form-label{}">{}{}</label>\n',
            field.id_for_label,
            " requiredField" if required else "",
            field.label,
            star,
        )
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>',
        auto_id,
        f" {more}" if more else "",
        label,
        field.as_widget(attrs={"class": _widget_class(field, bootstrap)}),
        errors,
        help_text,
    )
