"""The official documents of the reports and of the 3- and 5-year reviews, in three forms
from one content: the Excel file (each table (a)–(g), and a review's summary, on a sheet of
its own: core.excel.report_workbook), the print view and the Word document (the key figures
first, the tables as the appendix without their rows of no figures: core.documents). All
are issued by the exporting user's own unit and signed below."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core import documents, excel
from organizations import access
from organizations.exporting import Issuer, issuer

from . import selectors
from .labels import labels as report_labels
from .labels import report_title
from .selectors import Filters, Table


def header(by: Issuer, f: Filters, title: str) -> excel.Header:
    """The header of a report: issued by the exporting user's own unit (``by``: a district
    officer's report on one commune is the district's), the commune reported on named
    beside the years."""
    years = f"{f.years[0]}–{f.years[-1]}" if len(f.years) > 1 else str(f.years[0])
    subtitle = _("Years %(years)s") % {"years": years}
    if f.commune is not None:
        subtitle = f"{f.commune.name} – {subtitle}"
    return by.header(doc_type="BC", title=title, subtitle=subtitle)


def issued(user, f: Filters, review: int | None) -> tuple[documents.Header, documents.Signature]:
    """The header and the signature block of a report in every form it takes."""
    # An administrator, who has no unit of their own, issues as the program's owner.
    owner = f.program.owner_unit if f.program and access.primary_scope(user) is None else None
    by = issuer(user, unit=owner)
    return header(by, f, report_title(review)), documents.Signature.for_report(by.position)


def report_workbook(user, f: Filters, review: int | None) -> bytes:
    drawn = selectors.report(user, f, review=review)
    tables, summary = drawn["tables"], drawn["summary"]
    sheets = [
        excel.Sheet(t.title, t.columns, t.rows, t.totals, note=t.note, first_number=t.first_number)
        for t in ([summary] if summary else []) + tables
    ]
    head, signature = issued(user, f, review)
    return excel.report_workbook(head, sheets, signature)


def report(request, f: Filters, *, review: int | None, filename: str) -> HttpResponse:
    """The report's Excel file."""
    content = report_workbook(request.user, f, review)
    return excel.xlsx_response(content, filename)


def document_table(table: Table) -> documents.DocumentTable:
    return documents.DocumentTable(
        title=table.title,
        columns=list(table.columns),
        rows=table.rows,
        totals=table.totals,
        numbers=frozenset(range(table.first_number, len(table.columns))),
        note=table.note,
    )


# Report (a)'s figures after its year, place and organization columns.
REGISTRATION_FIGURES = ("registrations_expected", "registrations_received", "registrations_late",
                        "registrations_accepted", "results_reported")  # fmt: skip


def registrations_by_place(user, f: Filters, names: dict, figures) -> documents.DocumentTable:
    """Report (a) a row per year and commune (per district over a province), its
    organizations added in by the catalogue: the summary of the organizations' rows."""
    districts = selectors.by_district(user, f)
    columns = list(names["registrations_cols"])
    if districts:
        columns[1] = names["district"]
    del columns[2]  # the organization
    table = Table("registrations_by_place", _("(a) Registrations by commune"), columns, first_number=2)
    table.rows = [
        [r["year"], r["place"], *(r[code] for code in REGISTRATION_FIGURES)]
        for r in figures.breakdown("registrations", ("place",), districts=districts)
    ]
    table.add_totals(names["total"])
    return document_table(table)


def _in_order(row) -> bool:
    """An organization's registration of report (a) sent on time and accepted: counted in
    the summary, not listed again in the appendix."""
    expected, received, late, accepted = row[3:7]
    return received == expected and not late and accepted == received


def report_document(user, f: Filters, review: int | None) -> documents.Document:
    """The report as a document to print or to edit in Word: the catalogue's key figures
    year by year (a review's summary) and the registrations by commune; then the tables
    (a)–(g) as the appendix, without the rows that hold no figure, and table (a) with only
    the organizations whose registration is missing, late or not accepted (a district's
    every organization over five years is 300-odd rows of ones)."""
    names = report_labels()
    figures = selectors.catalogue_figures(user, f)
    summary = document_table(selectors.review_summary(user, f, names, figures))
    if len(f.years) == 1:  # one year: its figures alone, no period or change to show
        summary.columns = summary.columns[:2]
        summary.rows = [row[:2] for row in summary.rows]
    detail = [
        document_table(t).without_empty_rows() for t in selectors.report_tables(user, f, names, figures)
    ]
    registrations = detail[0]
    registrations.rows = [row for row in registrations.rows if not _in_order(row)]
    registrations.totals = None  # the summary's
    registrations.title = _("(a) Registrations missing, late or not accepted")
    head, signature = issued(user, f, review)
    return documents.Document(
        header=head,
        signature=signature,
        tables=[summary, registrations_by_place(user, f, names, figures)],
        appendix=detail,
        appendix_note=_("The tables' rows without any figure are left out."),
    )
