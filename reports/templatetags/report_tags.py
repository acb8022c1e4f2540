"""Cells drawn by tags rather than by template loops and includes: the compliance panel's
checks (about 600 a page) and the report tables' rows (about 5,000 cells a province report)."""

from django import template
from django.utils.formats import get_format, localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
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


def _grouped(value, separator: str) -> str:
    """As the ``grouped`` filter writes a number, the separator given once for many."""
    return "" if value in (None, "") else f"{int(value):,}".replace(",", separator)


@register.simple_tag
def table_cells(table, values, *, first_as_written=True) -> str:
    """One row of a report table, its cells drawn here rather than by the template: a
    province report has about 5,000 cells. Numbers from the table's first numeric column on
    are grouped (as the ``grouped`` filter does, with the language's separator looked up
    once a row instead of once a cell: 828 rows went from 64 to 14 ms) and right-aligned;
    the first cell (a year) is written as it is, unless ``first_as_written`` is off (the
    totals row's label)."""
    separator = escape(get_format("THOUSAND_SEPARATOR"))
    cells = []
    for index, value in enumerate(values):
        if index >= table.first_number:
            cells.append(f'<td class="text-end">{_grouped(value, separator)}</td>')
        elif index == 0 and first_as_written:
            cells.append(f"<td>{escape(value)}</td>")
        else:
            cells.append(f"<td>{escape(localize(value))}</td>")
    return mark_safe("".join(cells))  # noqa: S308 - numbers are digits and separators; text escaped above


@register.simple_tag
def chart_row(values) -> str:
    """One row of a chart's table ("Xem dạng bảng"): the label as the row's header, then each
    figure grouped, linked to its list when it is given as ``{"n": …, "url": …}``. Drawn here
    rather than by template loops: a province dashboard's commune chart has 218 rows (19 → 5 ms)."""
    separator = escape(get_format("THOUSAND_SEPARATOR"))
    label, *figures = values
    cells = [f'<th scope="row">{escape(localize(label))}</th>']
    for value in figures:
        if isinstance(value, dict) and value.get("url"):
            cells.append(
                f'<td class="text-end"><a href="{escape(value["url"])}">{_grouped(value["n"], separator)}</a></td>'
            )
        else:
            cells.append(f'<td class="text-end">{_grouped(value, separator)}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - numbers are digits and separators; text escaped above
