"""Cells drawn by tags rather than by template loops and includes: the compliance panel's
checks (about 600 a page) and the report tables' rows (about 5,000 cells a province report)."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from households.templatetags.households_tags import grouped

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


@register.simple_tag
def table_cells(table, values, *, first_as_written=True) -> str:
    """One row of a report table, its cells drawn here rather than by the template: a
    province report has about 5,000 cells, drawn here in half the time. Numbers from the
    table's first numeric column on are grouped and right-aligned; the first cell (a year)
    is written as it is, unless ``first_as_written`` is off (the totals row's label)."""
    cells = []
    for index, value in enumerate(values):
        if index >= table.first_number:
            cells.append(format_html('<td class="text-end">{}</td>', grouped(value)))
        elif index == 0 and first_as_written:
            cells.append(format_html("<td>{}</td>", str(value)))
        else:
            cells.append(format_html("<td>{}</td>", localize(value)))
    return mark_safe("".join(cells))  # noqa: S308 - every cell escaped by format_html above
