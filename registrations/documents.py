"""A registration as an official document: the print view (an A4 landscape page with a
print button) and the Word file, from the same header, rows and signature as its Excel
file (registrations.excel), behind the same access check and the same log of exported
household names."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import documents
from registrations import excel, selectors
from registrations.models import Registration
from registrations.views import _registration, log_named_export

# Always shown, even empty: which item it is and what was committed.
KEPT_COLUMNS = ("number", "kind", "description")


def registration_document(registration: Registration, named: dict) -> documents.Document:
    """The registration's items with their results, one table on landscape pages; the
    columns no item fills are left out (a form of contents alone has no models' columns).
    ``named``: item id -> the households it names that the reader may see."""
    header, signature = excel.issued(registration)
    items = registration.items.select_related("content", "initiative_field", "area")
    rows = [
        excel.item_values(item, number, {}, named, codes=False) for number, item in enumerate(items, start=1)
    ]
    labels = excel._labels()
    kept = [
        i
        for i, key in enumerate(excel.COLUMNS)
        if key in KEPT_COLUMNS or any(row[i] not in (None, "") for row in rows)
    ]
    table = documents.DocumentTable(
        title=_("Registered contents and results"),
        columns=[labels[excel.COLUMNS[i]] for i in kept],
        rows=[[row[i] for i in kept] for row in rows],
        numbers=frozenset(n for n, i in enumerate(kept) if i in excel.NUMBER_COLUMNS),
    )
    return documents.Document(header=header, signature=signature, tables=[table], landscape=True)


def _document(request, pk) -> tuple[Registration, documents.Document]:
    registration = _registration(request, pk)
    named = selectors.named_households(registration, request.user)
    log_named_export(request, registration, named)
    return registration, registration_document(registration, named)


@login_required
def registration_print(request, pk):
    registration, document = _document(request, pk)
    return render(
        request,
        "registrations/print_registration.html",
        {
            "document": document,
            "title": document.header.title,
            "back": reverse("registrations:registration_detail", args=[registration.pk]),
        },
    )


@login_required
def registration_docx(request, pk):
    registration, document = _document(request, pk)
    return documents.docx_response(documents.word_document(document), excel.file_stem(registration))
