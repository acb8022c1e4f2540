"""The Excel layout of the reports and of the 3- and 5-year reviews: the summary (reviews)
and each table (a)–(g) on a sheet of its own, under the official header of the Front's
Standing Committee of the user's scope (core.excel.report_workbook)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import excel
from organizations import access
from organizations.models import UnitLevel

from . import selectors
from .labels import report_title
from .selectors import Filters


def header(user, f: Filters, title: str) -> excel.Header:
    """The header of a report: the Front of the commune chosen, else of the user's scope."""
    scope = access.primary_scope(user)
    unit = f.commune or (scope.unit if scope else (f.program.owner_unit if f.program else None))
    if unit is not None and unit.level == UnitLevel.AREA:
        unit = unit.parent
    years = f"{f.years[0]}–{f.years[-1]}" if len(f.years) > 1 else str(f.years[0])
    return excel.Header(
        parent_body=f"ỦY BAN MTTQ VIỆT NAM {unit.name.upper()}" if unit else "ỦY BAN MTTQ VIỆT NAM",
        issuing_body="BAN THƯỜNG TRỰC",
        number="Số:      /BC-MTTQ-BTT",
        place=excel.place_name(unit),
        title=title,
        subtitle=_("Years %(years)s") % {"years": years},
        day=timezone.localdate(),
    )


def report_workbook(user, f: Filters, review: int | None) -> bytes:
    drawn = selectors.report(user, f, review=review)
    tables, summary = drawn["tables"], drawn["summary"]
    sheets = [
        excel.Sheet(f"{t.title}. {t.note}" if t.note else t.title, t.columns, t.rows, t.totals)
        for t in ([summary] if summary else []) + tables
    ]
    return excel.report_workbook(header(user, f, report_title(review)), sheets)


def report(request, f: Filters, *, review: int | None, filename: str) -> HttpResponse:
    """The report's file; kept as the figures are (core.figures.kept) until the data changes."""
    content = report_workbook(request.user, f, review)
    return excel.xlsx_response(content, filename)
