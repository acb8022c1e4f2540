"""The Excel layout of the reports and of the 3- and 5-year reviews: the summary (reviews)
and each table (a)–(g) on a sheet of its own, under the official header of the exporting
user's own unit and signed below (core.excel.report_workbook)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core import excel
from organizations import access
from organizations.exporting import Issuer, issuer

from . import selectors
from .labels import report_title
from .selectors import Filters


def header(by: Issuer, f: Filters, title: str) -> excel.Header:
    """The header of a report: issued by the exporting user's own unit (``by``: a district
    officer's report on one commune is the district's), the commune reported on named
    beside the years."""
    years = f"{f.years[0]}–{f.years[-1]}" if len(f.years) > 1 else str(f.years[0])
    subtitle = _("Years %(years)s") % {"years": years}
    if f.commune is not None:
        subtitle = f"{f.commune.name} – {subtitle}"
    return by.header(doc_type="BC", title=title, subtitle=subtitle)


def report_workbook(user, f: Filters, review: int | None) -> bytes:
    drawn = selectors.report(user, f, review=review)
    tables, summary = drawn["tables"], drawn["summary"]
    sheets = [
        excel.Sheet(t.title, t.columns, t.rows, t.totals, note=t.note, first_number=t.first_number)
        for t in ([summary] if summary else []) + tables
    ]
    # An administrator, who has no unit of their own, issues as the program's owner.
    owner = f.program.owner_unit if f.program and access.primary_scope(user) is None else None
    by = issuer(user, unit=owner)
    return excel.report_workbook(
        header(by, f, report_title(review)), sheets, excel.Signature.for_report(by.position)
    )


def report(request, f: Filters, *, review: int | None, filename: str) -> HttpResponse:
    """The report's file; kept as the figures are (core.figures.kept) until the data changes."""
    content = report_workbook(request.user, f, review)
    return excel.xlsx_response(content, filename)
