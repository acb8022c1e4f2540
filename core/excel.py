"""The shared writer of official Excel documents (NĐ 30/2020/NĐ-CP, Appendix I; DOMAIN.md).

Every Excel file of the portal is laid out here, in one place:
- the workbook's own default font is Times New Roman (``new_workbook``): an empty cell, or
  one typed in later, is not Calibri;
- the official header (``write_header``): issuing body under its superior body on the left,
  the national motto on the right, the number and the place and date under them, the
  title; each block merged and centred over its columns as on paper;
- A4 page setup (``setup_page``): portrait or landscape by the table's columns, fit to the
  page's width and never to one page's height, NĐ 30 margins, the column headers frozen
  and printed on every page, page numbers from page 2;
- sheet names cut at a word (``sheet_name``), numbers with thousands separators and dates
  as dates (``cell``), text that starts like a formula stored as text;
- the signature block under the body (``write_signature``).
``OfficialSheet`` puts these together for a table; ``report_workbook`` writes a report's
tables, one sheet each.

The fixed words of the layout (the motto, "Số:", "Nơi nhận:", the signer's position) are
the legal form of a Vietnamese document, written in Vietnamese whatever the page's language.
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from weakref import WeakKeyDictionary

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.styles.borders import DEFAULT_BORDER
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.writer.theme import theme_xml

# The content of the header and the signature block is shared with the print view and the
# Word document (core.documents); the names stay importable from here.
from core.documents import FRONT_BODY as FRONT_BODY
from core.documents import FRONT_SIGNER as FRONT_SIGNER
from core.documents import MOTTO as MOTTO
from core.documents import NAME_LINE as NAME_LINE
from core.documents import PREPARER as PREPARER
from core.documents import RECIPIENTS as RECIPIENTS
from core.documents import UNIT_PREFIXES as UNIT_PREFIXES
from core.documents import Header as Header
from core.documents import Signature as Signature
from core.documents import date_line as date_line
from core.documents import grouped as grouped
from core.documents import number_line as number_line
from core.documents import place_name as place_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT = "Times New Roman"
SIZE = 12  # NĐ 30/2020: the body in 13–14 pt on paper; tables in 12
TITLE_SIZE = 14
FORMULA_START = ("=", "+", "-", "@")
NUMBER = "#,##0"  # shown with the reader's separator: 2.631 in a Vietnamese Excel
DECIMAL = "#,##0.0"
DATE = "DD/MM/YYYY"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHEET_NAME_MAX = 31  # Excel's limit, in UTF-16 code units
SHEET_NAME_BAD = "[]:*?/\\"

# A4 and NĐ 30/2020's margins (top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm), in
# inches as openpyxl wants them; the page number sits in the top margin.
MM = 1 / 25.4
MARGINS = {
    "top": 20 * MM,
    "bottom": 20 * MM,
    "left": 30 * MM,
    "right": 15 * MM,
    "header": 10 * MM,
    "footer": 10 * MM,
}
A4 = "9"
# Widths are in column-width units: a digit of the default 12 pt font. Measured through
# LibreOffice, the printable width of A4 (165 mm portrait, 252 mm landscape) holds about 75
# and 115 of them at 100 %; a wider table is scaled down to the page's width.
PORTRAIT_WIDTH = 75  # a narrower table is widened to it, as a paper table fills the page
PORTRAIT_MAX = 82  # wider, a portrait page would print the 12 pt text below 11 pt
LANDSCAPE_COLUMNS = 8  # so many columns go landscape whatever their widths: a report keeps
# its orientation from one year's figures to the next
LANDSCAPE_MAX = 132  # at most: the text still prints at about 10.5 pt (fit_widths)


# ---------------------------------------------------------------- the workbook


def new_workbook(*, write_only: bool = True) -> Workbook:
    """A workbook whose own default font is Times New Roman 12: the Normal style, the font of
    every cell written without one, and the theme's body and heading fonts. openpyxl has no
    public setting for these, so its style tables are replaced before any cell is written."""
    wb = Workbook(write_only=write_only)
    default = Font(name=FONT, size=SIZE)  # no "scheme": a scheme font would show the theme's
    wb._fonts = IndexedList([default])
    wb._named_styles = type(wb._named_styles)()
    wb.add_named_style(
        NamedStyle(name="Normal", font=copy(default), border=copy(DEFAULT_BORDER), builtinId=0)
    )
    wb.loaded_theme = theme_xml.replace('typeface="Calibri"', f'typeface="{FONT}"').replace(
        'typeface="Cambria"', f'typeface="{FONT}"'
    )
    return wb


# Where a title too long for a sheet name is best cut: before the last of these that leaves
# enough of it ("(e) Gương điển hình | và khu dân cư nổi bật", not "… và khu dân"), else
# after a whole word, then without a word that only leads to the next one.
SHEET_NAME_BREAKS = (", ", ". ", " – ", " - ", " (", " và ", " theo ", " của ", " so với ", " and ", " by ",
                     " of ")  # fmt: skip
DANGLING_WORDS = {"và", "theo", "của", "với", "so", "cho", "các", "từng", "qua", "được", "and", "by", "of",
                  "the"}  # fmt: skip


def sheet_name(title: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts, cut at a word: at most 31 characters, none of
    ``[]:*?/\\``, unlike the names ``taken`` (Excel compares them without case)."""
    name = " ".join("".join(" " if c in SHEET_NAME_BAD else c for c in title).split()).strip("'")
    taken = {t.casefold() for t in taken}

    def fits(text: str) -> bool:
        return len(text.encode("utf-16-le")) // 2 <= SHEET_NAME_MAX

    def cut(text: str, room_for: str = "") -> str:
        if fits(text + room_for):
            return text + room_for
        breaks = [
            i for b in SHEET_NAME_BREAKS for i in _find_all(text, b) if i >= 8 and fits(text[:i] + room_for)
        ]
        if breaks:
            return text[: max(breaks)].rstrip(" ,.;–-(") + room_for
        words = text.split(" ")
        while len(words) > 1 and not fits(" ".join(words) + room_for):
            words.pop()
        while len(words) > 2 and words[-1].casefold() in DANGLING_WORDS:
            words.pop()
        kept = " ".join(words).rstrip(" ,.;–-(")
        if not fits(kept + room_for):  # one word longer than the limit: cut inside it
            kept = kept[: SHEET_NAME_MAX - len(room_for)]
        return kept + room_for

    candidate = cut(name) or "Sheet"
    number = 2
    while candidate.casefold() in taken:
        candidate = cut(name, f" ({number})")
        number += 1
    return candidate


def _find_all(text: str, part: str) -> list[int]:
    found, at = [], text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


# ---------------------------------------------------------------- cells

# Per workbook, the style of each combination of cell() options, as openpyxl stores it on a
# cell: a row of ids into the workbook's fonts, alignments, borders and number formats.
_STYLES: WeakKeyDictionary[Workbook, dict[tuple, StyleArray]] = WeakKeyDictionary()


def number_format(value, number: bool | None = None) -> str | None:
    """The format a value is shown with: dates dd/mm/yyyy; with ``number``, counts and money
    grouped (2.631), other numbers with one decimal; without it (None) only numbers of five
    digits or more, so that a year stays 2017."""
    if isinstance(value, datetime.date):
        return DATE
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or number is False:
        return None
    if isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value()):
        return NUMBER if number or abs(value) >= 10000 else None
    return DECIMAL


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
    bottom=False,
    box=False,
    size: int | None = SIZE,
    plain=False,
    number: bool | None = None,
):
    """One write-only cell; text that looks like a formula (``= + - @``) stays text.

    The one cell writer of the portal's Excel files. ``size=None`` leaves the font's size to
    the workbook's default; ``top`` (``bottom``) aligns text to the top (bottom) of its
    cell. ``number``: the value is a count or an amount, shown grouped (``number_format``).
    ``plain``: no font,
    no border, the value itself where it needs no cell (a cell object per value made an
    export of 100,000 rows twice as slow): only text that looks like a formula, dates and
    numbers to group get one, with a style shared by every cell of its kind.
    """
    if plain and value.__class__ is str and not value.startswith(FORMULA_START):
        return value  # the common case of a long list, first
    formula_like = isinstance(value, str) and value.startswith(FORMULA_START)
    fmt = number_format(value, number)
    if plain and not formula_like and fmt is None:
        return value
    c = WriteOnlyCell(ws, value=value)
    if formula_like:
        c.data_type = "s"  # never a formula
    if plain:
        key = ("plain", fmt)
    else:
        key = (bold, italic, underline, center, wrap, top, bottom, box, size, fmt)
    # openpyxl looks up every font, alignment and border given to a cell among the
    # workbook's by hashing it field by field: 25 µs a cell, 0.3 s for the 10,000 cells of
    # a province's report. Each combination is given once, then its ids are copied.
    styles = _STYLES.setdefault(ws.parent, {})
    if key in styles:
        c._style = copy(styles[key])
        return c
    if not plain:
        c.font = Font(
            name=FONT, size=size, bold=bold, italic=italic, underline="single" if underline else None
        )
        if center or wrap or top or bottom:
            vertical = "top" if top else "bottom" if bottom else "center"
            c.alignment = Alignment(
                horizontal="center" if center else None, vertical=vertical, wrap_text=wrap
            )
        if box:
            c.border = BOX
    if fmt:
        c.number_format = fmt
    styles[key] = copy(c._style)
    return c


# ---------------------------------------------------------------- widths and heights


# Advance widths of Times New Roman (Adobe's Times metrics, thousandths of an em; Liberation
# Serif, LibreOffice's stand-in, has the same): a Vietnamese letter is as wide as its base
# letter ("ệ" as "e"). A column-width unit is a digit, 500.
_TIMES = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278,
         500, 500, 722, 500, 500, 444, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722,
         722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611],
        strict=True,
    )
)  # fmt: skip
_TIMES_BOLD = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333,
         556, 500, 722, 500, 500, 444, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722,
         778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667],
        strict=True,
    )
)  # fmt: skip
_PUNCTUATION = {" ": 250, ",": 250, ".": 250, ":": 278, ";": 278, "/": 278, "-": 333, "(": 333, ")": 333,
                "…": 1000, "–": 500, "•": 350, '"': 444, "“": 444, "”": 444, "'": 278}  # fmt: skip


def _base_letter(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    return unicodedata.normalize("NFD", ch)[0]


def text_width(text: str, *, bold: bool = False, size: int | None = SIZE) -> float:
    """How wide ``text`` is in column-width units (a digit of the default 12 pt Times New
    Roman): from the font's advance widths, 500 for what they do not list."""
    table = _TIMES_BOLD if bold else _TIMES
    thousandths = 0
    for ch in str(text):
        width = _PUNCTUATION.get(ch) or table.get(ch)
        if width is None:
            width = table.get(_base_letter(ch), 500)
        thousandths += width
    return thousandths / 500 * (size or SIZE) / SIZE


def line_count(text: str, width: float, *, bold: bool = False, size: int | None = SIZE) -> int:
    """How many lines ``text`` takes wrapped at the words in a cell ``width`` units wide."""
    room = max(width * 0.97 - 0.3, 1.0)  # the cell's padding, measured through LibreOffice
    space = text_width(" ", bold=bold, size=size)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            w = text_width(word, bold=bold, size=size)
            if used and used + space + w > room:
                lines += 1
                used = 0.0
            used += (space if used else 0.0) + w
            while used > room:  # a word wider than the cell goes on over more lines
                lines += 1
                used -= room
    return lines


def row_height(lines: int, size: int | None = SIZE) -> float:
    """Points for ``lines`` lines of text (Excel's 15.75 pt row for 12 pt Times New Roman)."""
    return round(lines * (size or SIZE) * 1.3125 + 0.5, 2)


def break_at_unit(text: str, width: float, *, bold: bool = False) -> str:
    """A body's name too long for its block broken before its unit, as on paper:
    "ỦY BAN MTTQ VIỆT NAM" over "HUYỆN ĐỨC CƠ", "HỘI NÔNG DÂN" over "TỈNH GIA LAI"."""
    if "\n" in text or line_count(text, width, bold=bold) == 1:
        return text
    found = [i for prefix in UNIT_PREFIXES if (i := text.find(f" {prefix.strip().upper()} ")) > 0]
    return f"{text[: min(found)]}\n{text[min(found) + 1 :]}" if found else text


def _widths_of(ws, ncols: int) -> list[float]:
    """The sheet's column widths as set so far (Excel's default where none is)."""
    found = []
    for i in range(1, ncols + 1):
        letter = get_column_letter(i)
        width = ws.column_dimensions[letter].width if letter in ws.column_dimensions else None
        found.append(float(width or 9))
    return found


def header_needs(header: Header | None) -> tuple[float, float]:
    """How wide the header's left and right blocks must be for each line to stay on one
    line (the superior body on two, broken before its unit)."""
    right = [(MOTTO[0], True), (MOTTO[1], True)]
    left: list[tuple[str, bool]] = []
    if header is not None:
        left = [(line, False) for line in break_at_unit(header.parent_body, 0).split("\n")]
        left += [(header.issuing_body, True), (header.number, False)]
        right.append((date_line(header.place, header.day), False))

    def need(lines) -> float:
        return max((text_width(text, bold=bold) + 0.3) / 0.97 for text, bold in lines) if lines else 0.0

    return need(left), need(right)


def split_column(widths: list[float], header: Header | None = None) -> int:
    """Where the header's right block starts (0-based): the left block takes about two fifths
    of the width, as on paper, where both blocks keep their lines whole (``header_needs``),
    else where the national name does; at least one column each side."""
    if len(widths) < 2:
        return 1
    total = sum(widths)
    left, right = header_needs(header)
    ks = range(1, len(widths))
    both = [k for k in ks if sum(widths[:k]) >= left and sum(widths[k:]) >= right]
    roomy = [k for k in ks if sum(widths[k:]) >= right]
    return min(both or roomy or [1], key=lambda k: abs(sum(widths[:k]) - 0.4 * total))


def balance_widths(widths: list[float], header: Header, least: float = 6) -> list[float]:
    """``widths`` with the border of two neighbouring columns moved by the least amount that
    lets the header's blocks keep their lines whole (``split_column``), when no border
    between columns does and the table is wide enough for both."""
    left, right = header_needs(header)
    total = sum(widths)
    ks = range(1, len(widths))
    if total < left + right or any(sum(widths[:k]) >= left and sum(widths[k:]) >= right for k in ks):
        return widths
    moves = []
    for k in ks:
        border = sum(widths[:k])
        delta = min(max(border, left), total - right) - border  # > 0: column k gives to k - 1
        if widths[k] - delta >= least and widths[k - 1] + delta >= least:
            moves.append((abs(delta), k, delta))
    if not moves:
        return widths
    _size, k, delta = min(moves)
    widths = list(widths)
    widths[k - 1] = math.ceil((widths[k - 1] + delta) * 10) / 10
    widths[k] = math.floor((widths[k] - delta) * 10) / 10
    return widths


def fit_widths(widths: list[float], limit: float = LANDSCAPE_MAX, floor: float = 8) -> list[float]:
    """``widths`` narrowed, widest first, to ``limit`` at most (text then wraps): a wider table
    would print below 10 pt. A table narrower than the portrait page is widened to it, as a
    paper table fills the page's width."""
    widths = list(widths)
    total = sum(widths)
    if 0 < total < PORTRAIT_WIDTH:
        widths = [w * PORTRAIT_WIDTH / total for w in widths]
    while sum(widths) > limit and max(widths) > floor:
        i = widths.index(max(widths))
        widths[i] = max(floor, widths[i] - 1)
    return [math.floor(w * 10) / 10 for w in widths]


def _merge(ws, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Merge a block; on a write-only sheet too (openpyxl writes its merges at the end)."""
    if last_col <= first_col and last_row <= first_row:
        return
    block = CellRange(min_row=first_row, min_col=first_col, max_row=last_row, max_col=last_col)
    if hasattr(ws, "merge_cells"):
        ws.merge_cells(block.coord)
    else:
        ws.merged_cells.add(block)


# ---------------------------------------------------------------- the page


def setup_page(
    ws, widths: list[float], *, heading_row: int, heading_rows: int = 1, landscape: bool | None = None
) -> None:
    """A4 print setup of a table whose column headers are rows ``heading_row`` to
    ``heading_row + heading_rows - 1``: the column widths; the rows down to the column
    headers frozen on screen and the column headers printed on every page; landscape for
    eight columns or more or when the table would print below 11 pt on a portrait page
    (unless ``landscape`` says); fit to the page's width, never to one page's height (a
    long list goes on over as many pages as it needs, at the same size); NĐ 30 margins;
    the page number at the top from page 2.

    A write-only sheet fixes its widths and frozen rows at its first row: call this first.
    """
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = heading_row + heading_rows - 1
    ws.freeze_panes = f"A{last + 1}"
    ws.print_title_rows = f"{heading_row}:{last}"
    if landscape is None:
        landscape = len(widths) >= LANDSCAPE_COLUMNS or sum(widths) > PORTRAIT_MAX
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(**MARGINS)
    ws.HeaderFooter.differentFirst = True  # NĐ 30: no number on the first page
    ws.oddHeader.center.text = "&P"
    ws.oddHeader.center.font = f"{FONT},Regular"
    ws.oddHeader.center.size = SIZE


# ---------------------------------------------------------------- the header


def header_rows(header: Header) -> int:
    """How many rows ``write_header`` writes (a blank row under the title included)."""
    return 7 if header.subtitle else 6


def write_header(ws, header: Header, ncols: int, *, right_column: int | None = None) -> int:
    """The official header at the top of a sheet (row 1 on); returns the number of rows.

    Rows: superior body | national name; issuing body (bold, underlined) | motto (bold,
    underlined); number | place and date (italic); blank; TITLE (bold, 14 pt); subtitle
    (italic); blank. The left block is merged and centred over the first columns, the right
    one over the others (from ``right_column``, 0-based; by default about three fifths of
    the width), the title lines over the whole width; rows are as tall as their wrapped
    text. Set the column widths first: the blocks are split and wrapped by them.
    """
    ncols = max(ncols, 2)
    widths = _widths_of(ws, ncols)
    right = right_column if right_column is not None else split_column(widths, header)
    left_width, right_width = sum(widths[:right]), sum(widths[right:])
    pad = [None] * (right - 1)
    blocks = [
        ((break_at_unit(header.parent_body, left_width), {}), (MOTTO[0], {"bold": True})),
        (
            (break_at_unit(header.issuing_body, left_width, bold=True), {"bold": True, "underline": True}),
            (MOTTO[1], {"bold": True, "underline": True}),
        ),
        ((header.number, {}), (date_line(header.place, header.day), {"italic": True})),
    ]
    for row, (left, right_text) in enumerate(blocks, start=1):
        left_lines = line_count(left[0], left_width, bold=left[1].get("bold", False))
        right_lines = line_count(right_text[0], right_width, bold=right_text[1].get("bold", False))
        if max(left_lines, right_lines) > 1:
            ws.row_dimensions[row].height = row_height(max(left_lines, right_lines))
        # A superior body on two lines ("ỦY BAN MTTQ VIỆT NAM / HUYỆN ĐỨC CƠ"): the national
        # name sits on its second line, right above the motto, the two kept together.
        ws.append(
            [
                cell(ws, left[0], center=True, wrap=True, top=True, **left[1]),
                *pad,
                cell(
                    ws,
                    right_text[0],
                    center=True,
                    wrap=True,
                    top=right_lines >= left_lines,
                    bottom=right_lines < left_lines,
                    **right_text[1],
                ),
            ]
        )
        _merge(ws, row, 1, row, right)
        _merge(ws, row, right + 1, row, ncols)
    ws.append([])
    total = sum(widths)
    rows = 4
    for text, style in ((header.title.upper(), {"bold": True, "size": TITLE_SIZE}), (header.subtitle, {})):
        if not text:
            continue
        rows += 1
        italic = not style
        lines = line_count(text, total, bold=style.get("bold", False), size=style.get("size", SIZE))
        if lines > 1:
            ws.row_dimensions[rows].height = row_height(lines, style.get("size", SIZE))
        ws.append([cell(ws, text, center=True, wrap=True, italic=italic, **style)])
        _merge(ws, rows, 1, rows, ncols)
    ws.append([])
    return rows + 1


# ---------------------------------------------------------------- the signature


SIGNATURE_SPACE = 4  # blank rows for the signature and the seal
REPORT_SIGNATURE = Signature.for_report()


def write_signature(
    ws, signature: Signature, *, row: int, ncols: int, right_column: int | None = None
) -> int:
    """The signature block from ``row`` (the next row of the sheet), after a blank row;
    returns the number of rows written. Its blocks are merged over the header's columns."""
    ncols = max(ncols, 2)
    widths = _widths_of(ws, ncols)
    right = right_column if right_column is not None else split_column(widths)
    pad = [None] * (right - 1)
    ws.append([])
    written = 1
    left_lines = list(signature.recipients) or ([signature.preparer] if signature.preparer else [])
    lines = max(len(signature.position), len(left_lines))
    for i in range(lines):
        left = left_lines[i] if i < len(left_lines) else None
        position = signature.position[i] if i < len(signature.position) else None
        if signature.recipients:
            # NĐ 30: "Nơi nhận:" in bold italics at 12 pt, the recipients at 11 pt.
            left_cell = (
                cell(ws, left, bold=i == 0, italic=i == 0, size=SIZE if i == 0 else 11) if left else None
            )
        else:
            left_cell = cell(ws, left, bold=True, center=True) if left else None
        right_cell = cell(ws, position, bold=True, center=True) if position else None
        ws.append([left_cell, *pad, right_cell])
        written += 1
        if signature.preparer or not signature.recipients:
            _merge(ws, row + written - 1, 1, row + written - 1, right)
        _merge(ws, row + written - 1, right + 1, row + written - 1, ncols)
    for _blank in range(SIGNATURE_SPACE):
        ws.append([])
        written += 1
    name = cell(ws, NAME_LINE, bold=True, center=True)
    ws.append([name if signature.preparer else None, *pad, name])
    written += 1
    if signature.preparer:
        _merge(ws, row + written - 1, 1, row + written - 1, right)
    _merge(ws, row + written - 1, right + 1, row + written - 1, ncols)
    return written


# ---------------------------------------------------------------- a document's table


class OfficialSheet:
    """A worksheet printed as an official document: the header, a caption, the column
    headers, the rows, the signature. Counts the rows it writes, for the merged blocks.

    ``numbers``: the indexes of the columns of counts and amounts (shown 2.631; a column of
    years is not one). ``widths``: as set; ``fit_widths`` keeps them printable at 10 pt.
    """

    def __init__(
        self,
        wb,
        title: str,
        *,
        header: Header,
        columns: list[str],
        widths: list[float],
        numbers: Iterable[int] = (),
        caption: str = "",
        landscape: bool | None = None,
    ):
        self.ws = wb.create_sheet(sheet_name(title, wb.sheetnames))
        self.header = header
        self.columns = columns
        self.ncols = len(columns)
        self.widths = balance_widths(fit_widths(widths), header)
        self.right = split_column(self.widths, header)  # the header's and signature's blocks
        self.numbers = frozenset(numbers)
        self.caption = caption
        self.row = 0
        heading = header_rows(header) + (1 if caption else 0) + 1
        setup_page(self.ws, self.widths, heading_row=heading, landscape=landscape)

    def start(self) -> None:
        """The header, the caption and the column headers."""
        ws = self.ws
        self.row = write_header(ws, self.header, self.ncols, right_column=self.right)
        if self.caption:
            lines = line_count(self.caption, sum(self.widths), bold=True)
            if lines > 1:
                ws.row_dimensions[self.row + 1].height = row_height(lines)
            self.append([cell(ws, self.caption, bold=True, wrap=True)])
            _merge(ws, self.row, 1, self.row, self.ncols)
        self._fit_height(self.columns, bold=True)
        self.append([cell(ws, c, bold=True, center=True, wrap=True, box=True) for c in self.columns])

    def append(self, values) -> None:
        self.ws.append(values)
        self.row += 1

    def _fit_height(self, values, *, bold: bool = False) -> None:
        """The next row as tall as its wrapped text: Excel and LibreOffice do not fit a row
        to its text when they open a file, so its height is written with it."""
        lines = max(
            (
                line_count(v, w, bold=bold)
                for v, w in zip(values, self.widths, strict=False)
                if isinstance(v, str)
            ),
            default=1,
        )
        if lines > 1:
            self.ws.row_dimensions[self.row + 1].height = row_height(lines)

    def add(self, values, *, bold: bool = False) -> None:
        """A row of the table, boxed, text wrapped, every cell aligned to the top."""
        ws, numbers = self.ws, self.numbers
        self._fit_height(values, bold=bold)
        self.append(
            [
                cell(ws, v, bold=bold, box=True, wrap=isinstance(v, str), top=True, number=i in numbers)
                for i, v in enumerate(values)
            ]
        )

    def sign(self, signature: Signature | None) -> None:
        if signature is not None:
            self.row += write_signature(
                self.ws, signature, row=self.row + 1, ncols=self.ncols, right_column=self.right
            )


def save(wb) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- reports


@dataclass
class Sheet:
    """A table to write: column headers, rows of values, a totals row (or None). Columns from
    ``first_number`` on hold counts and amounts; ``note`` is said under the title."""

    title: str
    columns: list[str]
    rows: list[list]
    totals: list | None = None
    widths: list[int] | None = None
    note: str = ""
    first_number: int = 1


def _widths(sheet: Sheet) -> list[float]:
    """Each column as wide as its values (grouped digits included) and as its header on up
    to three lines (never narrower than its longest word), 8–40."""
    found = []
    for i, label in enumerate(sheet.columns):
        words = max((text_width(w, bold=True) for w in str(label).split()), default=0)
        width = max(words, text_width(label, bold=True) / 3)
        for row in [*sheet.rows[:500], sheet.totals or []]:
            if i < len(row) and row[i] not in (None, ""):
                value = row[i]
                shown = grouped(value) if isinstance(value, int) and not isinstance(value, bool) else value
                width = max(width, text_width(str(shown)))
        found.append(max(8, min(40, math.ceil(width) + 2)))
    return found


def report_workbook(
    header: Header, sheets: list[Sheet], signature: Signature | None = REPORT_SIGNATURE
) -> bytes:
    """One worksheet per table, each under the official header and signed below."""
    wb = new_workbook()
    for sheet in sheets:
        caption = f"{sheet.title}. {sheet.note}" if sheet.note else sheet.title
        page = OfficialSheet(
            wb,
            sheet.title,
            header=header,
            columns=sheet.columns,
            widths=sheet.widths or _widths(sheet),
            numbers=range(sheet.first_number, len(sheet.columns)),
            caption=caption,
        )
        page.start()
        for row in sheet.rows:
            page.add(row)
        if sheet.totals is not None:
            page.add(sheet.totals, bold=True)
        page.sign(signature)
    return save(wb)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """The one response of an Excel file: ``filename`` without its ``.xlsx``."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
