"""The compliance panel's check cell, drawn by a tag rather than an included template: a
page of 20 communes draws about 600 of them, and an include costs ten times as much."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def check_cell(check) -> str:
    """Not applicable / Met (value) / a link to where the failing check is fixed."""
    if check.ok is None:
        return format_html('<span class="text-muted">{}</span>', _("Not applicable"))
    value = check.value
    if check.ok:
        detail = format_html(' <span class="small">{}</span>', value) if value else ""
        return format_html('<span class="badge text-bg-success">{}</span>{}', _("Met"), detail)
    return format_html(
        '<a class="badge text-bg-danger text-decoration-none compliance-fail" href="{}">{}{}</a>',
        check.url,
        _("Not met"),
        f" ({value})" if value else "",
    )
