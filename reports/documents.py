"""The reports and the 3- and 5-year reviews as official documents: the print view (an A4
page with a print button) and the Word file, from the same content as the Excel file
(exporters.report_document) and behind the same filters and access checks as the page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from core import documents

from . import exporters
from .labels import report_title
from .views import _filters, _review_filters


def _review_name(length: int) -> str:
    return "so-ket-3-nam" if length == 3 else "tong-ket-5-nam"


def _print(request, f, review: int | None, back: str):
    document = exporters.report_document(request.user, f, review)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/print_report.html",
        {
            "document": document,
            "title": report_title(review),
            "back": f"{back}?{query}" if query else back,
        },
    )


@login_required
def report_print(request):
    _form, f = _filters(request, with_range=True)
    return _print(request, f, None, reverse("reports:report"))


@login_required
def review_print(request, length: int):
    f = _review_filters(request, length)
    return _print(request, f, length, reverse("reports:review", args=[length]))


@login_required
def report_docx(request):
    _form, f = _filters(request, with_range=True)
    content = documents.word_document(exporters.report_document(request.user, f, None))
    return documents.docx_response(content, f"bao-cao-{f.years[0]}-{f.years[-1]}")


@login_required
def review_docx(request, length: int):
    f = _review_filters(request, length)
    content = documents.word_document(exporters.report_document(request.user, f, length))
    return documents.docx_response(content, f"{_review_name(length)}-{f.years[0]}-{f.years[-1]}")
