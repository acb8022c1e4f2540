"""Excel lists with the official header of the user's scope (core.excel.write_header):
numbers as numbers, formula-like text kept as text, write-only workbooks."""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from core.excel import Header, number_line, write_header, xlsx_response
from core.excel import cell as _cell
from core.excel import place_name as _place
from organizations import access
from organizations.models import UnitLevel


def header_lines(user) -> tuple[str, str, str]:
    """(parent body, issuing body, place) for the user's widest scope."""
    scope = access.primary_scope(user)
    if scope is None:
        return "ỦY BAN MTTQ VIỆT NAM", "BAN THƯỜNG TRỰC", ""
    unit = scope.unit
    if scope.kind is None:
        parent = f"ỦY BAN MTTQ VIỆT NAM {unit.name.upper()}"
        body = "BAN THƯỜNG TRỰC"
    else:
        parent = unit.parent.name.upper() if unit.parent_id and unit.level != UnitLevel.PROVINCE else ""
        body = scope.organization.name.upper()
    place_unit = unit if unit.level != UnitLevel.AREA else unit.parent
    return parent, body, _place(place_unit)


def workbook_response(
    *, user, title: str, filename: str, headers: list[str], rows, widths=None
) -> HttpResponse:
    """A write-only workbook: official header, title, column headers, then ``rows``."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape"
    ncols = len(headers)
    for i, width in enumerate(widths or [18] * ncols):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    parent, body, place = header_lines(user)
    issuer = "MTTQ-BTT" if body == "BAN THƯỜNG TRỰC" else ""
    header = Header(
        parent_body=parent,
        issuing_body=body,
        number=number_line("DS", issuer),
        place=place,
        title=title,
        day=timezone.localdate(),
    )
    write_header(ws, header, ncols)
    ws.append([_cell(ws, h, bold=True, center=True, wrap=True) for h in headers])
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    out = BytesIO()
    wb.save(out)
    return xlsx_response(out.getvalue(), filename)
