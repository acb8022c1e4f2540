"""Official documents (NĐ 30/2020/NĐ-CP, Appendix I; DOMAIN.md) in the forms the portal
gives them: the Excel file (core.excel), the print view and the Word document (here).

One content for the three forms:
- ``Header``: the superior body over the issuing body, the number line, the place and the
  date, the title; the national motto beside them is the same on every document;
- ``Signature``: for whom and in which position the document is signed, where it goes
  ("Nơi nhận:") or who drew up a list;
- ``Document``: a header, tables, an appendix ("Phụ lục") and a signature. Its tables say
  which columns hold counts and amounts (shown grouped, 2.631) and are set on a landscape
  page when they are wide.

The apps compute the header's content (organizations.exporting: who issues what a user
exports); ``word_document`` writes a ``Document`` as a .docx the office edits and signs,
and the print templates (templates/includes/_official_header.html) show the same object.

The fixed words of the layout (the motto, "Số:", "Nơi nhận:", the signer's position) are
the legal form of a Vietnamese document, written in Vietnamese whatever the page's language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

UNIT_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
FRONT_BODY = "BAN THƯỜNG TRỰC"
FRONT_SIGNER = ("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH")
PREPARER = "NGƯỜI LẬP BIỂU"
RECIPIENTS = ("Nơi nhận:", "- …;", "- …;", "- Lưu: VT.")  # the office names them
NAME_LINE = "……………………………"  # the signer writes the name under the signature
APPENDIX = "PHỤ LỤC"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
# A table of more columns goes on a landscape page: at 12 pt a portrait A4 page (165 mm
# between NĐ 30's margins) holds about seven columns of figures with their headers.
PORTRAIT_COLUMNS = 7


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


def grouped(number: int) -> str:
    """3450 -> "3.450": a count inside a sentence of the document, grouped as Vietnamese is."""
    return f"{number:,}".replace(",", ".")


# ---------------------------------------------------------------- the content


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

    motto = MOTTO

    @property
    def date_line(self) -> str:
        return date_line(self.place, self.day)

    @property
    def parent_lines(self) -> list[str]:
        return [line for line in self.parent_body.split("\n") if line]


OfficialHeader = Header


@dataclass(frozen=True)
class Signature:
    """The block under a document's body. On the right, for whom and in which position the
    document is signed (NĐ 30/2020: "TM. BAN THƯỜNG TRỰC" over "CHỦ TỊCH"), room for the
    signature and seal, a line for the signer's name. On the left, where a report goes
    ("Nơi nhận:"), or who drew up a list, with room to sign."""

    position: tuple[str, ...] = FRONT_SIGNER
    recipients: tuple[str, ...] = ()
    preparer: str = ""

    name_line = NAME_LINE

    @classmethod
    def for_report(cls, position: tuple[str, ...] = FRONT_SIGNER) -> Signature:
        return cls(position=position, recipients=RECIPIENTS)

    @classmethod
    def for_list(cls, position: tuple[str, ...] = FRONT_SIGNER, preparer: str = PREPARER) -> Signature:
        return cls(position=position, preparer=preparer)


def shown(value, number: bool) -> str:
    """A cell as the document writes it: counts and amounts grouped (2.631), dates
    dd/mm/yyyy, nothing for an empty value; a year stays 2019."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if number and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if value == int(value):
            return grouped(int(value))
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return str(value)


@dataclass
class DocumentTable:
    """A table of the document: its title, column headers, rows, a totals row (or None).
    ``numbers``: the indexes of the columns of counts and amounts."""

    title: str
    columns: list[str]
    rows: list[list]
    totals: list | None = None
    numbers: frozenset[int] = frozenset()
    note: str = ""

    @property
    def labelled(self) -> bool:
        """Whether the first column names its rows (an indicator, a kind) rather than a year:
        it is given room for its words."""
        return any(isinstance(row[0], str) and len(row[0]) > 12 for row in self.rows if row)

    @property
    def wide(self) -> bool:
        return len(self.columns) > PORTRAIT_COLUMNS

    def is_empty(self, row) -> bool:
        """No figure in the row: each count and amount zero or missing."""
        return all(not row[i] for i in self.numbers if i < len(row))

    def without_empty_rows(self) -> DocumentTable:
        """The table without its rows of no figures (an appendix of a whole province's
        communes by organization kind is mostly zeros); the totals stay as they are."""
        if not self.numbers:
            return self
        return replace(self, rows=[r for r in self.rows if not self.is_empty(r)])

    def cells(self, row) -> list[tuple[str, bool]]:
        return [(shown(v, i in self.numbers), i in self.numbers) for i, v in enumerate(row)]

    @property
    def shown_rows(self) -> list[list[tuple[str, bool]]]:
        """Each row as (text, is a number) cells: what the print view and Word write."""
        return [self.cells(row) for row in self.rows]

    @property
    def shown_totals(self) -> list[tuple[str, bool]] | None:
        return self.cells(self.totals) if self.totals is not None else None


@dataclass
class Document:
    """An official document: the header, the body's tables, an appendix of detail tables,
    the signature. ``landscape``: the whole document (a registration's wide form)."""

    header: Header
    signature: Signature | None
    tables: list[DocumentTable]
    appendix: list[DocumentTable] = field(default_factory=list)
    appendix_note: str = ""
    landscape: bool = False

    appendix_title = APPENDIX

    @property
    def body_wide(self) -> bool:
        """The header and the body on landscape pages when one of its tables is wide (a
        5-year review's figures year by year), rather than the header alone on a page."""
        return self.landscape or any(t.wide for t in self.tables)

    @property
    def appendix_wide(self) -> bool:
        """The appendix goes on landscape pages as a whole when one of its tables is wide:
        turning the page for each wide table would start each table on a page of its own."""
        return self.landscape or any(t.wide for t in self.appendix)


# ---------------------------------------------------------------- Word


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """The one response of a Word file: ``filename`` without its ``.docx``."""
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.docx"'
    return response


# A4 and NĐ 30/2020's margins: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
A4_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
BODY_PT = 13  # NĐ 30: the body in 13–14 pt
TITLE_PT = 14
TABLE_PT = 12
WIDE_TABLE_PT = 10.5  # an appendix on landscape pages, a table of many columns
HEADER_LEFT_SHARE = 0.42  # the issuing body's column, as on paper


def word_document(document: Document) -> bytes:
    """The document as a .docx: A4, NĐ 30's margins, Times New Roman; the header as a
    borderless table of two centred columns (issuing body, motto), the number and the
    place and date under them, the title; the tables boxed, their column headers repeated
    on each page, wide ones on landscape pages; "Nơi nhận" and the signature block."""
    doc = new_docx()
    _base_style(doc)
    section = doc.sections[0]
    _page(section, landscape=document.body_wide)
    _page_numbers(section)
    _header(doc, document.header, _text_width(section))
    for table in document.tables:
        _table(doc, table, size=TABLE_PT)
    _signature(doc, document.signature, _text_width(section))
    if document.appendix:
        # The appendix follows the signature on pages of its own, in one orientation.
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False  # numbered on its first page too
        _page(section, landscape=document.appendix_wide)
        _paragraph(doc, APPENDIX, bold=True, size=TITLE_PT, center=True)
        if document.appendix_note:
            _paragraph(doc, document.appendix_note, italic=True, center=True)
        for table in document.appendix:
            _table(doc, table, size=WIDE_TABLE_PT if document.appendix_wide else TABLE_PT)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _fonts(element, name: str = FONT) -> None:
    """The font for every script (Word takes Vietnamese letters from more than one)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _base_style(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    _fonts(style.element)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def _page(section, *, landscape: bool) -> None:
    width, height = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _page_numbers(section) -> None:
    """NĐ 30: the page number at the top, centred, from the second page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = OxmlElement("w:fldSimple")
    number.set(qn("w:instr"), "PAGE")
    paragraph._p.append(number)


def _text_width(section):
    return section.page_width - section.left_margin - section.right_margin


def _paragraph(
    where, text: str, *, bold=False, italic=False, underline=False, center=False, right=False, size=None
):
    paragraph = where.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, text, bold=bold, italic=italic, underline=underline, size=size)
    return paragraph


def _run(paragraph, text: str, *, bold=False, italic=False, underline=False, size=None):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size:
        run.font.size = Pt(size)
    return run


def _cell_lines(cell, lines: list[tuple[str, dict]]) -> None:
    """Lines of text in a cell, each a paragraph of its own, centred."""
    first = True
    for text, style in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if style.get("left") else WD_ALIGN_PARAGRAPH.CENTER
        _run(
            paragraph,
            text,
            bold=style.get("bold", False),
            italic=style.get("italic", False),
            underline=style.get("underline", False),
            size=style.get("size", BODY_PT),
        )


def _borderless(table, widths) -> None:
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _header(doc, header: Header, width) -> None:
    """Two columns: the superior body over the issuing body (bold, underlined), the number
    under them; the motto (the national name bold, the motto bold and underlined), the place
    and date (italic) under it. Then the title (bold capitals) and the subtitle."""
    left = int(width * HEADER_LEFT_SHARE)
    widths = [left, width - left]
    table = doc.add_table(rows=2, cols=2)
    _borderless(table, widths)
    _cell_lines(
        table.cell(0, 0),
        [*((line, {"size": TABLE_PT + 1}) for line in header.parent_lines),
         (header.issuing_body, {"bold": True, "underline": True, "size": TABLE_PT + 1})],
    )  # fmt: skip
    _cell_lines(
        table.cell(0, 1),
        [(MOTTO[0], {"bold": True, "size": TABLE_PT + 1}), (MOTTO[1], {"bold": True, "underline": True})],
    )
    _cell_lines(table.cell(1, 0), [(header.number, {})])
    _cell_lines(table.cell(1, 1), [(header.date_line, {"italic": True})])
    doc.add_paragraph()
    _paragraph(doc, header.title.upper(), bold=True, center=True, size=TITLE_PT)
    if header.subtitle:
        _paragraph(doc, header.subtitle, italic=True, center=True)
    doc.add_paragraph()


def _repeat_heading(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _column_widths(table: DocumentTable, width) -> list[int]:
    """Each column as wide as its longest value and its header's longest word, shared out
    over the page's width."""
    needs = []
    for i, label in enumerate(table.columns):
        need = max((len(word) for word in str(label).split()), default=4)
        for row in table.shown_rows[:300]:
            if i < len(row):
                need = max(need, min(len(row[i][0]), 40))
        needs.append(max(need, 4))
    total = sum(needs)
    return [int(width * need / total) for need in needs]


def _table(doc, table: DocumentTable, *, size: float) -> None:
    """One table under its title (and its note), as wide as the page it is on."""
    width = _text_width(doc.sections[-1])
    size = min(size, WIDE_TABLE_PT) if len(table.columns) > 10 else size
    title = _paragraph(doc, table.title, bold=True)
    title.paragraph_format.space_before = Pt(6)
    title.paragraph_format.keep_with_next = True
    if table.note:
        note = _paragraph(doc, table.note, italic=True, size=size)
        note.paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = _column_widths(table, width)
    heading = grid.rows[0]
    _repeat_heading(heading)
    for cell, label, w in zip(heading.cells, table.columns, widths, strict=True):
        cell.width = w
        _cell_lines(cell, [(str(label), {"bold": True, "size": size})])
    rows = table.shown_rows or []
    if not rows:
        row = grid.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _cell_lines(merged, [(NO_FIGURES, {"italic": True, "size": size})])
    for values in rows:
        _row(grid, values, widths, size)
    if table.totals is not None:
        _row(grid, table.shown_totals, widths, size, bold=True)


NO_FIGURES = "Không có số liệu."


def _row(grid, values, widths, size, *, bold=False) -> None:
    row = grid.add_row()
    for cell, (text, number), w in zip(row.cells, values, widths, strict=False):
        cell.width = w
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if number else WD_ALIGN_PARAGRAPH.LEFT
        _run(paragraph, text, bold=bold, size=size)


SIGNATURE_SPACE = 4  # blank lines for the signature and the seal


def _signature(doc, signature: Signature | None, width) -> None:
    """ "Nơi nhận:" (bold italic, 12 pt) and the recipients (11 pt) on the left, or who drew
    up a list; the signer's position (bold, centred), room to sign, the name's line."""
    if signature is None:
        return
    doc.add_paragraph()
    left_width = int(width * HEADER_LEFT_SHARE)
    table = doc.add_table(rows=1, cols=2)
    _borderless(table, [left_width, width - left_width])
    if signature.recipients:
        first, *rest = signature.recipients
        lines = [(first, {"bold": True, "italic": True, "size": 12, "left": True})]
        lines += [(line, {"size": 11, "left": True}) for line in rest]
        _cell_lines(table.cell(0, 0), lines)
    elif signature.preparer:
        blank = [("", {})] * SIGNATURE_SPACE
        _cell_lines(
            table.cell(0, 0), [(signature.preparer, {"bold": True}), *blank, (NAME_LINE, {"bold": True})]
        )
    blank = [("", {})] * SIGNATURE_SPACE
    _cell_lines(
        table.cell(0, 1),
        [*((line, {"bold": True}) for line in signature.position), *blank, (NAME_LINE, {"bold": True})],
    )
