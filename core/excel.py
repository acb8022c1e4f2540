"""The shared writer of official Excel reports (NĐ 30/2020/NĐ-CP, Appendix I; DOMAIN.md).

Write-only workbooks: the official header (issuing body, national motto, number, place and
date, title), column headers frozen under it, numbers stored as numbers, text that starts
like a formula stored as text, column widths, A4 print setup and totals rows.
``write_header`` is the one writer of the header: every Excel file of the portal uses it.
"""

from __future__ import annotations

import datetime
from copy import copy
from dataclasses import dataclass, field
from io import BytesIO
from weakref import WeakKeyDictionary

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "Times New Roman"
FORMULA_START = ("=", "+", "-", "@")
UNIT_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def place_name(unit) -> str:
    """ "Đức Cơ" for "Huyện Đức Cơ": the place of the date line."""
    name = unit.name if unit is not None else ""
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def date_line(place: str, day: datetime.date | None) -> str:
    """ "Đức Cơ, ngày 21 tháng 7 năm 2017": NĐ 30/2020 writes a 0 before days under 10 and
    before months 1 and 2 only. Without a day: the blanks of a form to fill in."""
    if day is None:
        return f"{place}, ngày … tháng … năm …"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(doc_type: str, issuer: str = "") -> str:
    """ "Số:      /BC-MTTQ-BTT": the number is left blank for the office to write in."""
    symbol = f"{doc_type}-{issuer}" if issuer else doc_type
    return f"Số:      /{symbol}"


# Per workbook, the style of each combination of cell() options, as openpyxl stores it on a
# cell: a row of ids into the workbook's fonts, alignments and borders.
_STYLES: WeakKeyDictionary[Workbook, dict[tuple, StyleArray]] = WeakKeyDictionary()


def cell(
    ws,
    value,
    *,
    bold=False,
    italic=False,
    underline=False,
    center=False,
    wrap=False,
    top=False,
    box=False,
    size: int | None = 12,
    plain=False,
):
    """One write-only cell; text that looks like a formula (``= + - @``) stays text.

    The one cell writer of the portal's Excel files. ``size=None`` leaves the font's size to
    Excel's default; ``top`` aligns wrapped text to the top of its cell. ``plain``: no font,
    no number format, the value itself where it needs no cell (a cell object per value made
    an export of 100,000 rows twice as slow): only text that looks like a formula and dates
    (dd/mm/yyyy) get one.
    """
    formula_like = isinstance(value, str) and value.startswith(FORMULA_START)
    if plain:
        if formula_like:
            c = WriteOnlyCell(ws, value=value)
            c.data_type = "s"  # never a formula
            return c
        if isinstance(value, datetime.date):
            c = WriteOnlyCell(ws, value=value)
            c.number_format = "DD/MM/YYYY"
            return c
        return value
    c = WriteOnlyCell(ws, value=value)
    if formula_like:
        c.data_type = "s"
    # openpyxl looks up every font, alignment and border given to a cell among the
    # workbook's by hashing it field by field: 25 µs a cell, 0.3 s for the 10,000 cells of
    # a province's report. Each combination is given once, then its ids are copied.
    styles = _STYLES.setdefault(ws.parent, {})
    key = (bold, italic, underline, center, wrap, top, box, size)
    if key in styles:
        c._style = copy(styles[key])
    else:
        c.font = Font(
            name=FONT, size=size, bold=bold, italic=italic, underline="single" if underline else None
        )
        if center or wrap:
            c.alignment = Alignment(
                horizontal="center" if center else None, vertical="top" if top else "center", wrap_text=wrap
            )
        if box:
            c.border = BOX
        styles[key] = copy(c._style)
    if isinstance(value, datetime.date):
        c.number_format = "DD/MM/YYYY"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000:  # not years
        c.number_format = "#,##0"
    return c


@dataclass
class Header:
    """The official header's lines."""

    parent_body: str
    issuing_body: str
    number: str
    place: str
    title: str
    subtitle: str = ""
    day: datetime.date | None = field(default_factory=datetime.date.today)


@dataclass
class Sheet:
    """A table to write: column headers, rows of values, a totals row (or None)."""

    title: str
    columns: list[str]
    rows: list[list]
    totals: list | None = None
    widths: list[int] | None = None


def header_rows(header: Header) -> int:
    """How many rows ``write_header`` writes (a blank row under the title included)."""
    return 7 if header.subtitle else 6


def write_header(ws, header: Header, ncols: int, *, right_column: int | None = None) -> int:
    """The official header on a write-only sheet; returns the number of rows written.

    Rows: parent body | national name; issuing body (bold, underlined) | motto (bold,
    underlined); number | place and date (italic); blank; TITLE (bold); subtitle; blank.
    ``right_column`` (0-based) places the right block; by default near the last column.
    """
    right = right_column if right_column is not None else max(ncols - 3, 3)
    pad = [None] * (right - 1)
    ws.append([cell(ws, header.parent_body), *pad, cell(ws, MOTTO[0], bold=True)])
    ws.append(
        [
            cell(ws, header.issuing_body, bold=True, underline=True),
            *pad,
            cell(ws, MOTTO[1], bold=True, underline=True),
        ]
    )
    ws.append([cell(ws, header.number), *pad, cell(ws, date_line(header.place, header.day), italic=True)])
    ws.append([])
    ws.append([cell(ws, header.title.upper(), bold=True)])
    rows = 5
    if header.subtitle:
        ws.append([cell(ws, header.subtitle, italic=True)])
        rows += 1
    ws.append([])
    return rows + 1


def _widths(sheet: Sheet) -> list[int]:
    """Each column as wide as its longest header or value (grouped digits included), 10–45."""
    found = [len(c) for c in sheet.columns]
    for row in [*sheet.rows[:500], sheet.totals or []]:
        for i, value in enumerate(row[: len(found)]):
            size = len(f"{value:,}") if isinstance(value, int) else len(str(value or ""))
            found[i] = max(found[i], size)
    return [max(10, min(45, n + 3)) for n in found]


def report_workbook(header: Header, sheets: list[Sheet]) -> bytes:
    """One worksheet per table, each under the official header."""
    wb = Workbook(write_only=True)
    for index, sheet in enumerate(sheets, start=1):
        name = f"{index}. {sheet.title}"[:31]
        for bad in "[]:*?/\\":
            name = name.replace(bad, " ")
        ws = wb.create_sheet(title=name)
        ncols = len(sheet.columns)
        widths = sheet.widths or _widths(sheet)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.orientation = "landscape" if ncols > 6 else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        # The header takes 6 rows (7 with a subtitle), then the table's title, then its columns.
        header_row = header_rows(header) + 2
        ws.freeze_panes = f"A{header_row + 1}"  # write-only: set before the first row
        ws.print_title_rows = f"{header_row}:{header_row}"
        write_header(ws, header, ncols)
        ws.append([cell(ws, sheet.title, bold=True)])
        ws.append([cell(ws, c, bold=True, center=True, wrap=True, box=True) for c in sheet.columns])
        for row in sheet.rows:
            ws.append([cell(ws, v, box=True) for v in row])
        if sheet.totals is not None:
            ws.append([cell(ws, v, bold=True, box=True) for v in sheet.totals])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """The one response of an Excel file: ``filename`` without its ``.xlsx``."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
