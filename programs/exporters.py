"""The Excel layout of the programs' lists: the register of program documents, under the
official header of the user's own unit (organizations.exporting.workbook_response). A
register is kept, not signed: no signature block."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from organizations.exporting import workbook_response


def documents(*, user, qs) -> HttpResponse:
    """``qs``: programs.selectors.documents as the list filters it."""
    return workbook_response(
        user=user,
        title=_("Register of program documents"),
        filename="so-van-ban",
        headers=[
            _("No."),
            _("Direction"),
            _("Number and symbol"),
            _("Date issued"),
            _("Issuing body"),
            _("Subject"),
            _("Date received"),
            _("Forwarded to"),
            _("File number"),
            _("Program"),
        ],
        rows=(
            [
                i,
                d.get_direction_display(),
                d.number,
                d.issued_on,
                d.issuing_body,
                d.subject,
                d.received_on,
                d.forwarded_to,
                d.file_number,
                d.program.number or d.program.title,
            ]
            for i, d in enumerate(qs.iterator(chunk_size=2000), start=1)
        ),
        widths=[5, 10, 14, 12, 16, 26, 12, 13, 9, 15],
        signed=False,
    )
