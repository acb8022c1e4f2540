"""The registration form as an Excel file: download in the official layout, upload back.

The file is written as the organization's own document (core.excel): Times New Roman, the
official header with the organization under its superior body, the table on A4 landscape
(its sixteen columns fit to the page's width), amounts grouped, the head's signature block.
Its cells show names, not codes: the item's kind, the content and the model field of the
program by their titles, the residential area by its name; a drop-down list in each of
these columns offers the names the upload reads back. The lists live on the hidden,
protected sheet "Danh mục", under defined names (an Excel list that names another sheet's
cells directly is stored as an extension whose formula the upload reader refuses).

The same hidden sheet holds the marker row: the template's version, the organization and
the year, so a file filled for another organization or year, or another file altogether,
is refused; the form sheet shows the user only the document. Files of the first layout
(sheet "Bang dang ky", marker row "Mẫu BDK-1" above the column headers) are still read.

An upload changes nothing unless every row is valid. It is read through core.spreadsheets,
the one reader of uploads: a file whose sheets reach too far, or that holds formulas, is
refused before a cell is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import zip_longest

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break

from activities.models import Initiative
from core import audit, excel, spreadsheets
from core.text import normalize, normalized_for
from households.models import Household
from organizations.exporting import issuer_of
from organizations.models import Unit
from programs.models import ContentKind, ProgramContent
from registrations import rules
from registrations.forms import area_labels
from registrations.models import (
    InitiativeNovelty,
    ItemKind,
    Registration,
    RegistrationAction,
    RegistrationItem,
)

# The layout's version, on the lists sheet. The first layout's ("BDK-1") stood on the form
# sheet, in the row above a blank row and the column headers.
TEMPLATE_MARK = "BDK-2"
OLD_TEMPLATE_MARK = "BDK-1"
# Sheet names are part of the template, whatever the downloader's language: the upload
# finds the form by them. The first layout's had no diacritics.
SHEET_TITLE = "Bảng đăng ký"
LISTS_TITLE = "Danh mục"
OLD_SHEET_TITLE = "Bang dang ky"
HOUSEHOLD_CODE = re.compile(r"#\s*(\d{1,9})")
# A continuing model named with the code of the one it continues: "Con đường hoa (#12)".
INITIATIVE_CODE = re.compile(r"\(\s*#\s*(\d{1,9})\s*\)\s*$")
# A program's content or model field as the file shows it, "1. Đoàn kết phát triển kinh
# tế", or by its number alone as the first layout wrote it.
NUMBERED = re.compile(r"^\s*(\d{1,4})\s*(?:[.:)]|$)")
MARK_SEARCH_ROWS = 20  # the marker row, and the column headers, are looked for in these
HEADING_ROW = 8  # under the official header's seven rows (core.excel.header_rows)
FIRST_ITEM_ROW = HEADING_ROW + 1  # in the files the portal writes; an upload finds it
SPARE_ROWS = 1  # an empty row of the table under a filled file's items: rows inserted
# above it get the drop-down lists
BLANK_ROWS = 10  # those of the empty template
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500
# What the columns hold (PositiveSmallIntegerField, PositiveIntegerField, BigIntegerField).
NUMBER_LIMITS = {"households_pledged": 32_767, "target_quantity": 2_147_483_647, "amount": 2**63 - 1}

# Column keys in order; the labels are translated when the file is written.
COLUMNS = [
    "number",
    "kind",
    "description",
    "content",
    "initiative_name",
    "novelty",
    "initiative_field",
    "area",
    "households_pledged",
    "target_quantity",
    "target_unit",
    "amount",
    "result",
    "achieved",
    "result_note",
    "households",
]
COL = {key: index for index, key in enumerate(COLUMNS)}
# The column widths: 132 units in all (core.excel.LANDSCAPE_MAX), so that fit to the width
# of a landscape A4 page the table prints at 10.5 pt; the column headers take three lines
# at most (they are repeated on every page), with a unit to spare (LibreOffice sets bold
# text a little wider than core.excel.line_count counts); an amount up to 999.999.999
# shows whole (a number does not wrap: too wide, Excel shows ####).
WIDTHS = [4.5, 10.5, 9.5, 9.5, 8, 8, 8.5, 8, 10.5, 6, 6, 11, 6, 11, 5.5, 9.5]
# Counts and amounts, shown grouped (15.000.000).
NUMBER_COLUMNS = tuple(COL[key] for key in ("households_pledged", "target_quantity", "amount", "achieved"))
# The drop-down lists: the column, the defined name of its list on the lists sheet, and
# whether a value outside the list is refused (a model's name may be a new one).
LISTS = [
    ("kind", "DM_Loai", True),
    ("content", "DM_NoiDung", True),
    ("novelty", "DM_MoiTiepTuc", True),
    ("initiative_field", "DM_LinhVuc", True),
    ("area", "DM_KhuDanCu", True),
    ("initiative_name", "DM_MoHinh", False),
]
LISTS_FIRST_ROW = 4  # under the marker row, a title and the lists' headers
# The printable area of a landscape A4 page within core.excel's margins, in points; and how
# wide a column-width unit prints at 100 %: 6 pt (a digit of 12 pt Times New Roman is 8 px
# at 96 dpi; LibreOffice prints this table at 10.8 pt, 6.0 pt a unit), and a little more.
PT = 72
PAGE_WIDTH = 297 / 25.4 * PT - (excel.MARGINS["left"] + excel.MARGINS["right"]) * PT
PAGE_HEIGHT = 210 / 25.4 * PT - (excel.MARGINS["top"] + excel.MARGINS["bottom"]) * PT
UNIT_POINTS = (6.0, 6.4)


def _labels() -> dict[str, str]:
    return {
        "number": _("No."),
        "kind": _("Kind"),
        "description": _("Commitment"),
        "content": _("Campaign content"),
        "initiative_name": _("Name of the model"),
        "novelty": _("New or continuing"),
        "initiative_field": _("Model field"),
        "area": _("Residential area"),
        "households_pledged": _("Poor households taken on"),
        "target_quantity": _("Target"),
        "target_unit": _("Unit of the target"),
        "amount": _("Amount (VND)"),
        "result": _("Result"),
        "achieved": _("Achieved"),
        "result_note": _("Note"),
        "households": _("Households named (code)"),
    }


def _italic(ws, value):
    """The marker row's labels."""
    return excel.cell(ws, value, italic=True)


def program_item_label(content: ProgramContent | None) -> str | None:
    """ "1. Đoàn kết phát triển kinh tế": a content or model field of the program by its
    number and title, as the program lists them; the upload reads either back."""
    return f"{content.order}. {content.title}" if content else None


def initiative_cell(item: RegistrationItem) -> str | None:
    """The model's name, with the code of the model it continues: "Con đường hoa (#12)". The
    code is read back on upload, so the file keeps the link the web form made."""
    if item.initiative_id:
        return f"{item.initiative_name} (#{item.initiative_id})".strip()
    return item.initiative_name or None


def household_cell(households) -> str | None:
    """ "Rơ Mah H' Bia (#12); Ksor Nay (#15)": names to read, codes to upload back."""
    return "; ".join(f"{h.head_name} (#{h.pk})" for h in households) or None


def item_values(
    item: RegistrationItem, number: int, labels: dict[int, str], named: dict, *, codes: bool = True
) -> list:
    """An item's row as the file, the print view and the Word document show it. ``codes``:
    the codes the upload reads back beside the names of models and households (the printed
    document shows the names alone)."""
    achieved = item.achieved_amount if item.amount is not None else item.achieved_quantity
    values = [
        number,
        item.get_kind_display(),
        item.description,
        program_item_label(item.content),
        initiative_cell(item) if codes else item.initiative_name or None,
        item.get_novelty_display() if item.novelty else None,
        program_item_label(item.initiative_field),
        labels.get(item.area_id, item.area.name) if item.area else None,
        item.households_pledged,
        item.target_quantity,
        item.target_unit,
        item.amount,
        item.get_result_display() if item.result else None,
        achieved,
        item.result_note,
        household_cell(named.get(item.pk, []))
        if codes
        else "; ".join(h.head_name for h in named.get(item.pk, [])) or None,
    ]
    return [None if v == "" else v for v in values]


def _write_lists(wb, registration: Registration, contents, areas, labels) -> dict[str, str]:
    """The hidden, protected lists sheet: the marker row, then one list per column of the
    form that offers a drop-down. Returns column key -> the defined name of its list."""
    org = registration.organization
    ws = wb.create_sheet(LISTS_TITLE)
    ws.sheet_state = "hidden"  # out of the user's way, and not printed
    ws.protection.sheet = True  # no password: it guards against a slip, not a person
    for index in range(1, 7):
        ws.column_dimensions[get_column_letter(index)].width = 30
    ws.append(
        [
            _italic(ws, _("Template")),
            excel.cell(ws, TEMPLATE_MARK),
            _italic(ws, _("Organization code")),
            org.pk,
            _italic(ws, _("Year")),
            registration.period.year,
            _italic(ws, org.name),
        ]
    )
    ws.append([excel.cell(ws, _("Lists used in the columns"), bold=True)])
    headings = {**_labels(), "initiative_name": _("Model it continues (#code)")}
    values = {
        "kind": [str(kind.label) for kind in ItemKind],
        "content": [program_item_label(c) for c in contents if c.kind == ContentKind.CONTENT],
        "novelty": [str(status.label) for status in InitiativeNovelty],
        "initiative_field": [program_item_label(c) for c in contents if c.kind == ContentKind.MODEL_FIELD],
        "area": [labels[area.pk] for area in areas if area.is_active],
        # The models a continuing item may name, with the code the upload reads back.
        "initiative_name": [
            f"{name} (#{code})"
            for code, name in org.initiatives.order_by("name", "pk").values_list("pk", "name")
        ],
    }
    keys = [key for key, _name, _strict in LISTS]
    ws.append([excel.cell(ws, headings[key], bold=True) for key in keys])
    for row in zip_longest(*(values[key] for key in keys)):
        ws.append([excel.cell(ws, value, plain=True) if value is not None else None for value in row])
    names = {}
    for column, (key, name, _strict) in enumerate(LISTS, start=1):
        if values[key]:  # a defined name of no cell is not a list
            letter = get_column_letter(column)
            last = LISTS_FIRST_ROW + len(values[key]) - 1
            reference = f"{quote_sheetname(LISTS_TITLE)}!${letter}${LISTS_FIRST_ROW}:${letter}${last}"
            wb.defined_names[name] = DefinedName(name, attr_text=reference)
            names[key] = name
    return names


def _drop_downs(ws, names: dict[str, str], first_row: int, last_row: int) -> None:
    """A drop-down list in each column that has one, over the rows of the table (rows
    inserted among them get it too)."""
    for key, _name, strict in LISTS:
        if key not in names:
            continue
        letter = get_column_letter(COL[key] + 1)
        validation = DataValidation(type="list", formula1=names[key], allow_blank=True)
        if strict:
            validation.showErrorMessage = True
            validation.errorTitle = _labels()[key]
            validation.error = _("Choose a value from the list.")
        else:
            validation.showErrorMessage = False  # a new model's name is any text
            validation.showInputMessage = True
            validation.promptTitle = _labels()[key]
            validation.prompt = _("Choose the model it continues, or write the name of a new model.")
        validation.add(f"{letter}{first_row}:{letter}{last_row}")
        ws.data_validations.append(validation)


def _pages(heights: list[float], capacity: float, titles: float, heading_row: int) -> list[int]:
    """The page of each row (``heights[0]`` is row 1's) when rows are laid down one after
    another on pages ``capacity`` high, the column headers (``titles`` high) repeated at the
    top of every page after the first."""
    pages, page, used = [], 1, 0.0
    for number, height in enumerate(heights, start=1):
        if used + height > capacity and number > heading_row + 1:
            page, used = page + 1, titles
        used += height
        pages.append(page)
    return pages


def keep_signature_with_table(
    ws, widths: list[float], *, heading_row: int, keep_from: int, last_row: int
) -> None:
    """A manual page break before row ``keep_from`` (the last item) when the signature
    block under the table, down to ``last_row``, would otherwise be cut from it: part of
    it at the foot of a page,
    the rest, or all of it, on a page of its own under the repeated column headers. Excel
    and LibreOffice lay the rows down at the scale that fits the table to the page's width;
    the pages are estimated at two widths of a column unit around theirs, and the break put
    in when either cuts the block away."""
    default = excel.row_height(1)
    heights = []
    for row in range(1, last_row + 1):
        dimension = ws.row_dimensions.get(row)
        heights.append(dimension.height if dimension is not None and dimension.height else default)
    if keep_from <= heading_row or keep_from > last_row:
        return
    for unit in UNIT_POINTS:
        scale = min(1.0, PAGE_WIDTH / (sum(widths) * unit))
        capacity = PAGE_HEIGHT / scale - default / 2  # room for what is not measured (the title's 14 pt)
        pages = _pages(heights, capacity, heights[heading_row - 1], heading_row)
        if pages[keep_from - 1] != pages[-1]:
            ws.row_breaks.append(Break(id=keep_from - 1))  # the new page starts at keep_from
            return


def issued(registration: Registration) -> tuple[excel.Header, excel.Signature]:
    """The header and the signature block of the registration in every form it takes: the
    organization under its superior, signed by its head."""
    program = registration.period.program
    by = issuer_of(registration.organization)
    header = by.header(
        doc_type="ĐK",
        title=_("REGISTRATION FORM %(year)s") % {"year": registration.period.year},
        subtitle=f"{program.campaign.name} – {program.number or program.title}",
    )
    return header, excel.Signature(position=by.position)


def workbook_bytes(
    registration: Registration, *, with_items: bool = True, named: dict | None = None
) -> bytes:
    """The registration as the organization's official document, write-only. ``named``:
    item id -> the households it names that the downloader may see."""
    org = registration.organization
    program = registration.period.program
    header, signature = issued(registration)
    headings = _labels()
    wb = excel.new_workbook()
    page = excel.OfficialSheet(
        wb,
        SHEET_TITLE,
        header=header,
        columns=[headings[key] for key in COLUMNS],
        widths=WIDTHS,
        numbers=NUMBER_COLUMNS,
        landscape=True,
    )
    # The organization's areas as the upload reads them back: beside their commune when
    # they lie in several (a district's "Làng Krêl").
    areas = list(Unit.objects.areas().subtree_of(org.unit).select_related("parent").order_by("path"))
    labels = area_labels(areas)
    contents = list(program.contents.order_by("kind", "order"))
    names = _write_lists(wb, registration, contents, areas, labels)
    page.start()
    first_row = page.row + 1
    number = 0
    if with_items:
        items = registration.items.select_related("content", "initiative_field", "area")
        for number, item in enumerate(items, start=1):
            page.add(item_values(item, number, labels, named or {}))
    for _blank in range(SPARE_ROWS if with_items else BLANK_ROWS):
        page.add([None] * len(COLUMNS))
    _drop_downs(page.ws, names, first_row, page.row)
    page.sign(signature)
    # The last item goes over with the signature when they would be parted; the empty
    # template's first empty row.
    keep_from = first_row + number - 1 if with_items and number else first_row
    keep_signature_with_table(
        page.ws, page.widths, heading_row=HEADING_ROW, keep_from=keep_from, last_row=page.row
    )
    return excel.save(wb)


def file_stem(registration: Registration) -> str:
    return f"bang-dang-ky-{slugify(normalize(registration.organization.name))}-{registration.period.year}"


def download(registration: Registration, *, blank: bool = False, named: dict | None = None) -> HttpResponse:
    """The registration's file: filled in (``named``: as for ``workbook_bytes``), or the
    empty template (``blank``)."""
    content = workbook_bytes(registration, with_items=not blank, named=named)
    return excel.xlsx_response(content, f"{file_stem(registration)}{'-mau-trong' if blank else ''}")


# ---------------------------------------------------------------- upload


@dataclass
class UploadResult:
    items: list[dict]
    errors: list[str]


def _choices_by_label(choices) -> dict[str, str]:
    """Accept a choice by its code or by its label in any language of the portal."""
    found = {}
    for value, _label in choices.choices:
        found[normalize(value)] = value
        for language in ("vi", "en"):
            with override(language):
                found[normalize(str(choices(value).label))] = value
    return found


def _cell_error(row: int, key: str, message: str) -> str:
    return _("Row %(row)s, column %(column)s (%(label)s): %(message)s") % {
        "row": row,
        "column": get_column_letter(COL[key] + 1),
        "label": _labels()[key],
        "message": message,
    }


def upload_limits() -> spreadsheets.Limits:
    """How far the sheets of an uploaded registration file may reach (core.spreadsheets
    checks it before reading a cell). The form sheet holds at most MAX_ROWS items under about
    twenty header rows, in sixteen columns (A to P), and the signature block; the lists sheet
    names the kinds, the contents, the model fields, the organization's areas and its models
    in six columns: a province's organization lists a few thousand areas. Rows: 20,000; columns: 30 (up to AD) leave room
    for a user's own notes; cells: 200,000 keep the grid the reader allocates a few MB."""
    return spreadsheets.Limits(
        file_bytes=MAX_UPLOAD_BYTES,
        uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
        rows=20_000,
        columns=30,
        cells=200_000,
    )


def _not_the_template() -> str:
    return _("This is not the registration template of the portal. Download the template and fill it in.")


@dataclass
class _Form:
    """What an upload holds: the form sheet's rows, and the first rows of the lists sheet
    (where this layout's marker row is; none in a file of the first layout)."""

    rows: list[list]
    lists: list[list]


def _open(upload) -> tuple[_Form | None, list[str]]:
    """The rows of the form of a safe, readable .xlsx; else a list of errors."""
    limits = upload_limits()
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > limits.file_bytes:
        return None, spreadsheets.size_error(limits).messages
    if not name.endswith(".xlsx"):
        return None, [_("The file is not an Excel .xlsx file.")]
    try:
        book = spreadsheets.read_workbook(upload.read(), limits=limits)
        sheet = next((s for s in (SHEET_TITLE, OLD_SHEET_TITLE) if s in book.sheet_names), None)
        if sheet is None:
            return None, [_not_the_template()]
        rows = book.rows(sheet, limit=MARK_SEARCH_ROWS + FIRST_ITEM_ROW + MAX_ROWS + 1)
        lists = book.rows(LISTS_TITLE, limit=MARK_SEARCH_ROWS) if LISTS_TITLE in book.sheet_names else []
        return _Form(rows, lists), []
    except ValidationError as error:
        return None, error.messages


def _mark_row(rows: list[list], mark: str) -> int | None:
    """The number of the marker row of ``mark`` among the first rows."""
    return next(
        (n for n, row in enumerate(rows[:MARK_SEARCH_ROWS], start=1) if len(row) > 1 and row[1] == mark),
        None,
    )


def _heading_row(rows: list[list]) -> int | None:
    """The number of the row of the column headers, found by their labels in either
    language of the portal (half of them are enough: a user may retype one)."""
    known = set()
    for language in ("vi", "en"):
        with override(language):
            known |= {(COL[key], normalize(label)) for key, label in _labels().items()}
    for n, row in enumerate(rows[:MARK_SEARCH_ROWS], start=1):
        found = sum((i, normalize(str(v))) in known for i, v in enumerate(row) if isinstance(v, str))
        if found * 2 >= len(COLUMNS):
            return n
    return None


# The lines of a signature block (core.excel, organizations.exporting), in capitals: a row
# holding nothing else ends the items, should a user fill the blank row above it too.
SIGNER_TITLES = {"CHỦ TỊCH", "BÍ THƯ", "TRƯỞNG BAN", excel.NAME_LINE, excel.PREPARER}


def _is_signature(values) -> bool:
    filled = [v for v in values if v not in (None, "")]
    return bool(filled) and all(
        isinstance(v, str) and (v.strip() in SIGNER_TITLES or (v.startswith("TM. ") and v == v.upper()))
        for v in filled
    )


def _program_item(raw, catalogue: dict[int, ProgramContent], titles: dict[str, ProgramContent]):
    """The program's content or model field a cell names: "1. Đoàn kết phát triển kinh
    tế" or its number (its order), or its title alone. KeyError when none."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw != int(raw):
            raise KeyError(raw)
        return catalogue[int(raw)]
    text = str(raw).strip()
    number = NUMBERED.match(text)
    if number:
        return catalogue[int(number.group(1))]
    return titles[normalize(text)]


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "").removesuffix("đ")
    return int(text)


# "Làng Krêl — Xã Ia Krêl", "Làng Krêl - Ia Krêl" or "Làng Krêl (Xã Ia Krêl)": an area
# named with its commune.
AREA_WITH_COMMUNE = re.compile(r"^(?P<name>.+?)\s*(?:[—–-]\s*(?P<after>[^—–-]+)|\((?P<within>[^()]+)\))\s*$")


class AreaFinder:
    """The residential areas of the registration's organization (its unit's subtree), found
    by what a user writes: the name ("Làng Krêl"; without accents too, when that is not
    ambiguous), or the name and the commune ("Làng Krêl — Xã Ia Krêl")."""

    def __init__(self, registration: Registration):
        self.unit = registration.organization.unit
        self.areas = list(
            Unit.objects.areas().subtree_of(self.unit).select_related("parent").order_by("path")
        )
        self.labels = area_labels(self.areas)

    def _named(self, name: str, areas) -> list[Unit]:
        # The exact name first: two areas of a commune may differ by their accents only.
        exact = [a for a in areas if a.name.casefold() == name.casefold()]
        key = normalized_for(Unit, name)
        return exact or [a for a in areas if a.name_normalized == key]

    def find(self, value) -> tuple[Unit | None, str]:
        """(the area, "") or (None, why not)."""
        text = " ".join(str(value).split())
        found = self._named(text, self.areas)
        match = AREA_WITH_COMMUNE.match(text)
        if not found and match:
            commune = normalize(match.group("after") or match.group("within"))
            within = [
                a
                for a in self.areas
                if a.parent_id
                and (normalize(a.parent.name) == commune or normalize(a.parent.name).endswith(" " + commune))
            ]
            found = self._named(match.group("name"), within)
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, _("no residential area “%(value)s” in %(unit)s.") % {
                "value": text,
                "unit": self.unit.name,
            }
        return None, _(
            "“%(value)s” matches %(count)s residential areas of %(unit)s: %(areas)s. Write one of them as shown here."
        ) % {
            "value": text,
            "count": len(found),
            "unit": self.unit.name,
            "areas": "; ".join(self.labels[a.pk] for a in found),
        }


def parse_upload(registration: Registration, upload) -> UploadResult:
    form, errors = _open(upload)
    if errors:
        return UploadResult([], errors)
    rows = form.rows
    # This layout: the marker row on the lists sheet, the items under the column headers
    # wherever they are (a user may add a row above them). The first layout: the marker
    # row on the form sheet, then a blank row and the column headers.
    mark_row = _mark_row(form.lists, TEMPLATE_MARK)
    if mark_row is not None:
        mark = form.lists[mark_row - 1]
        heading = _heading_row(rows)
        first_item_row = heading + 1 if heading else None
    else:
        mark_row = _mark_row(rows, OLD_TEMPLATE_MARK)
        mark = rows[mark_row - 1] if mark_row else []
        first_item_row = mark_row + 3 if mark_row else None
    if first_item_row is None:
        return UploadResult([], [_not_the_template()])
    mark = list(mark) + [None] * 6
    try:
        org_id, year = int(mark[3]), int(mark[5])
    except (TypeError, ValueError):
        return UploadResult([], [_("The organization code or the year of the file is missing.")])
    if org_id != registration.organization_id:
        return UploadResult([], [_("This file was filled for another organization.")])
    if year != registration.period.year:
        return UploadResult(
            [],
            [
                _("This file is for %(file)s, not for %(year)s.")
                % {"file": year, "year": registration.period.year}
            ],
        )

    program = registration.period.program
    kinds = _choices_by_label(ItemKind)
    statuses = _choices_by_label(InitiativeNovelty)
    listed = list(program.contents.all())
    catalogues = {
        kind: (
            {c.order: c for c in listed if c.kind == kind},
            {normalize(c.title): c for c in listed if c.kind == kind},
        )
        for kind in (ContentKind.CONTENT, ContentKind.MODEL_FIELD)
    }
    areas = AreaFinder(registration)
    own_initiatives = Initiative.objects.filter(organization_id=registration.organization_id).in_bulk()
    items: list[dict] = []
    for row_number, values in enumerate(rows[first_item_row - 1 :], start=first_item_row):
        values = list(values) + [None] * len(COLUMNS)
        cells = {key: values[i] for i, key in enumerate(COLUMNS)}
        if all(v in (None, "") for k, v in cells.items() if k != "number") or _is_signature(values):
            break  # the items end at the first empty row, or at the signature block
        if row_number >= first_item_row + MAX_ROWS:
            errors.append(_("The file has more than %(n)s items.") % {"n": MAX_ROWS})
            break
        item: dict = {}
        row_errors: list[str] = []
        kind = kinds.get(normalize(str(cells["kind"] or "")))
        if kind is None:
            row_errors.append(
                _cell_error(
                    row_number, "kind", _("unknown kind “%(value)s”.") % {"value": cells["kind"] or ""}
                )
            )
        item["kind"] = kind
        item["description"] = str(cells["description"] or "").strip()
        item["initiative_name"] = str(cells["initiative_name"] or "").strip()
        item["initiative"] = None
        code = INITIATIVE_CODE.search(item["initiative_name"])
        if code:
            item["initiative_name"] = item["initiative_name"][: code.start()].strip()
            item["initiative"] = own_initiatives.get(int(code.group(1)))
            if item["initiative"] is None:
                row_errors.append(
                    _cell_error(
                        row_number,
                        "initiative_name",
                        _("no model with the code #%(code)s among your organization's.")
                        % {"code": code.group(1)},
                    )
                )
        item["target_unit"] = str(cells["target_unit"] or "").strip()
        for key in ("households_pledged", "target_quantity", "amount"):
            item[key] = None
            try:
                value = _number(cells[key])
                if value is not None and value < 0:
                    raise ValueError
            except (TypeError, ValueError, OverflowError):
                row_errors.append(_cell_error(row_number, key, _("enter a whole number.")))
                continue
            if value is not None and value > NUMBER_LIMITS[key]:
                row_errors.append(_cell_error(row_number, key, _("the number is too large.")))
                continue
            item[key] = value
        for key, kind in (("content", ContentKind.CONTENT), ("initiative_field", ContentKind.MODEL_FIELD)):
            raw = cells[key]
            item[key] = None
            if raw not in (None, ""):
                try:
                    item[key] = _program_item(raw, *catalogues[kind])
                except KeyError:
                    message = (
                        _("no item numbered “%(value)s” in the program.")
                        if isinstance(raw, int | float) or NUMBERED.match(str(raw))
                        else _("no item “%(value)s” in the program: choose one from the list.")
                    )
                    row_errors.append(_cell_error(row_number, key, message % {"value": raw}))
        raw_status = cells["novelty"]
        item["novelty"] = ""
        if raw_status not in (None, ""):
            item["novelty"] = statuses.get(normalize(str(raw_status)))
            if item["novelty"] is None:
                row_errors.append(_cell_error(row_number, "novelty", _("write “new” or “continuing”.")))
        if code and not item["novelty"]:
            item["novelty"] = InitiativeNovelty.CONTINUING  # a code names what it continues
        elif code and item["novelty"] == InitiativeNovelty.NEW:
            row_errors.append(
                _cell_error(
                    row_number,
                    "novelty",
                    _("a new model continues none: write “continuing” or remove the code."),
                )
            )
        item["area"] = None
        if str(cells["area"] or "").strip():
            item["area"], problem = areas.find(cells["area"])
            if problem:
                row_errors.append(_cell_error(row_number, "area", problem))
        item["households"] = []
        codes = [int(code) for code in HOUSEHOLD_CODE.findall(str(cells["households"] or ""))]
        if codes:
            found = Household.objects.select_related("area").in_bulk(codes)
            unknown = [code for code in codes if code not in found]
            if unknown:
                row_errors.append(
                    _cell_error(
                        row_number,
                        "households",
                        _("no household with the code %(codes)s.")
                        % {"codes": ", ".join(f"#{c}" for c in unknown)},
                    )
                )
            item["households"] = [found[code] for code in codes if code in found]
        elif str(cells["households"] or "").strip():
            row_errors.append(
                _cell_error(row_number, "households", _("write each household with its code, e.g. (#12)."))
            )
        if not row_errors:
            item_fields = {k: v for k, v in item.items() if k != "households"}
            built = RegistrationItem(registration=registration, **item_fields)
            if kind == ItemKind.SPONSORSHIP_PLEDGE:
                built.named_households = item["households"]
            for finding in rules.item_findings(registration, built, len(items) + 1):
                row_errors.append(
                    _("Row %(row)s: %(message)s") % {"row": row_number, "message": finding.message}
                )
        errors.extend(row_errors)
        items.append(item)
    if not items and not errors:
        errors.append(_("The file has no item."))
    return UploadResult(items, errors)


@transaction.atomic
def apply_upload(*, registration: Registration, items: list[dict], version: int, by) -> Registration:
    """Replace the draft's items with those ``parse_upload`` read, all or nothing.

    The change log gets an entry per item: the items removed through their delete signal,
    the items added here (written in bulk, they send none), unless the service has logged
    them itself."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from registrations import services

    registration = services.save_items(
        registration=registration, items=items, version=version, by=by, action=RegistrationAction.UPLOADED
    )
    added = list(RegistrationItem.objects.filter(registration=registration))
    logged = set(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(RegistrationItem),
            action=LogEntry.Action.CREATE,
            object_id__in=[item.pk for item in added],
        ).values_list("object_id", flat=True)
    )
    audit.audit_created([item for item in added if item.pk not in logged], by)
    return registration
