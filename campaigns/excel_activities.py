"""Excel exports of the issue-5 lists: the official header (NĐ 30/2020, Appendix I),
numbers as numbers, formula-like text kept as text, write-only workbooks."""

from __future__ import annotations

import datetime
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from organizations import access
from organizations.models import UnitLevel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "Times New Roman"
FORMULA_START = ("=", "+", "-", "@")
_UNIT_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ")


def _place(unit) -> str:
    name = unit.name if unit is not None else ""
    for prefix in _UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


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


def _cell(ws, value, *, bold=False, italic=False, underline=False, center=False, wrap=False):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula
    else:
        cell = WriteOnlyCell(ws, value=value)
    cell.font = Font(name=FONT, size=12, bold=bold, italic=italic, underline="single" if underline else None)
    if center or wrap:
        cell.alignment = Alignment(horizontal="center" if center else None, wrap_text=wrap, vertical="top")
    if isinstance(value, datetime.date):
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000:
        cell.number_format = "#,##0"
    return cell


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
    today = timezone.localdate()
    right = max(ncols - 3, 3)
    pad = [None] * (right - 1)
    ws.append([_cell(ws, parent), *pad, _cell(ws, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)])
    ws.append(
        [
            _cell(ws, body, bold=True, underline=True),
            *pad,
            _cell(ws, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True),
        ]
    )
    ws.append(
        [
            None,
            *pad,
            _cell(ws, f"{place}, ngày {today.day} tháng {today.month} năm {today.year}", italic=True),
        ]
    )
    ws.append([])
    ws.append([_cell(ws, title.upper(), bold=True)])
    ws.append([])
    ws.append([_cell(ws, h, bold=True, center=True, wrap=True) for h in headers])
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
