"""The one reader of uploaded spreadsheets (.xlsx): every upload reads its cells through
``read_workbook``, which refuses a file over its limits before any cell is read.

An .xlsx is a zip of XML parts. A reader sizes its grid by how far the sheet reaches: one
cell written at XFD1048576 in a 6 KB file makes it reserve a 1,048,576 × 16,384 grid (about
512 GiB, the process dies), a cell at AZ200000 one of ten million cells. So before a cell is
read, every worksheet is measured twice against the caller's ``Limits``:

- its declared extent, the ``<dimension ref="A1:J50">`` at the head of the sheet, which
  readers may trust to size what they reserve;
- its actual extent, from the ``r`` of each ``<row>`` and ``<c>`` (or their position when
  ``r`` is left out), read with expat handlers on the zip member as it is decompressed: no
  tree is built, memory stays flat whatever the sheet holds, and the scan stops at the first
  cell over a limit.

The same scan refuses formulas (their cached values may be stale or missing), and the shared
strings' part is held to as many texts as cells (declared and actual). The container
is checked first: size, a zip with a workbook, the uncompressed size and the compression
ratio of each part (a zip bomb). The cells are then read with python-calamine (about 17
times faster than openpyxl on a 100,000-row list: DESIGN.md), from A1, empty cells as None
and whole numbers as int.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# A part bigger than 1 MB that shrank more than this much in the zip is a zip bomb: real
# sheets compress about 5 to 20 times.
MAX_COMPRESSION_RATIO = 150
CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


@dataclass(frozen=True)
class Limits:
    """What an upload may hold. ``rows`` and ``columns`` bound how far each sheet reaches
    (from A1); ``cells`` bounds both the cells a sheet writes and the grid from A1 to its last
    row and column, which is what a reader allocates."""

    file_bytes: int
    uncompressed_bytes: int
    rows: int
    columns: int
    cells: int


class _Refused(Exception):
    """Raised inside the XML handlers to stop the scan; turned into a ValidationError."""

    def __init__(self, error: ValidationError):
        self.error = error


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _position(ref: str) -> tuple[int, int] | None:
    """(row, column) of "AZ200000", or None when it is not a cell reference."""
    match = CELL_REF.match(ref)
    if match is None:
        return None
    return int(match.group(2)), _column_number(match.group(1))


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


def size_error(limits: Limits) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(size)s MB.") % {"size": max(limits.file_bytes // (1024 * 1024), 1)}
    )


def damaged() -> ValidationError:
    return ValidationError(_("The file is damaged and cannot be read."))


def not_xlsx() -> ValidationError:
    return ValidationError(
        _("This is not an Excel file (.xlsx). Save the file as .xlsx and upload it again.")
    )


def _too_far(sheet: str, row: int, column: int, cells: int, limits: Limits) -> ValidationError:
    """Why a sheet reaching ``row`` × ``column`` with ``cells`` cells written is over the
    limits (the caller found it so): its rows, else its columns, else its cells."""
    if row > limits.rows:
        return ValidationError(
            _(
                "The sheet “%(sheet)s” reaches row %(row)s, beyond the %(max)s rows a file may have "
                "here. Delete the empty rows below the list, or copy the list into a new file, then "
                "upload it again."
            )
            % {"sheet": sheet, "row": _grouped(row), "max": _grouped(limits.rows)}
        )
    if column > limits.columns:
        return ValidationError(
            _(
                "The sheet “%(sheet)s” reaches column %(column)s, beyond the %(max)s columns a file "
                "may have here (up to column %(last)s). Delete the empty columns to the right of the "
                "list, or copy the list into a new file, then upload it again."
            )
            % {
                "sheet": sheet,
                "column": column_letters(column),
                "max": limits.columns,
                "last": column_letters(limits.columns),
            }
        )
    return ValidationError(
        _(
            "The sheet “%(sheet)s” spans %(cells)s cells, more than the %(max)s a file may have "
            "here. Split it into several files."
        )
        % {"sheet": sheet, "cells": _grouped(max(row * column, cells)), "max": _grouped(limits.cells)}
    )


def _open_zip(content: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive of a safe .xlsx container; nothing of its XML is parsed yet."""
    if len(content) > limits.file_bytes:
        raise size_error(limits)
    if not content.startswith(b"PK"):
        raise not_xlsx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise damaged() from None
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise not_xlsx()
    total = sum(info.file_size for info in infos)
    if total > limits.uncompressed_bytes or any(
        info.file_size > 1024 * 1024 and info.file_size / max(info.compress_size, 1) > MAX_COMPRESSION_RATIO
        for info in infos
    ):
        raise ValidationError(_("The file is too large once uncompressed."))
    return archive


def _parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], set[str]]:
    """The parts to measure: zip member -> sheet name, for every sheet the workbook names
    (whatever its kind: a reader follows the workbook's links, which may point anywhere in
    the zip) and every part under xl/worksheets/ besides (named by its file); and the shared
    strings' parts (the workbook's link, and the usual place)."""
    names = set(archive.namelist())
    sheets = {
        name: name.rsplit("/", 1)[-1]
        for name in names
        if name.startswith("xl/worksheets/") and name.endswith(".xml")
    }
    try:
        workbook = fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
        links = []
        if "xl/_rels/workbook.xml.rels" in names:
            links = list(fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True))
    except Exception:  # noqa: BLE001 - any parser failure (or a DTD) means a damaged file
        raise damaged() from None
    targets = {}
    strings = {"xl/sharedStrings.xml"} & names
    for link in links:
        if link.get("TargetMode") != "External":
            target = link.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[link.get("Id")] = path
            if link.get("Type", "").endswith("/sharedStrings") and path in names:
                strings.add(path)
    for element in workbook.iter():
        if element.tag.rpartition("}")[2] != "sheet":
            continue
        link = next((value for key, value in element.attrib.items() if key.rpartition("}")[2] == "id"), None)
        path = targets.get(link)
        if path is not None:
            if path not in names:
                raise damaged()
            sheets[path] = element.get("name") or path
    return sheets, strings


class _SheetScan:
    """The expat handlers measuring one worksheet as it is parsed: its declared extent, how
    far its rows and cells reach, and its formulas. Only the start of each element is seen
    and nothing is kept of it, so memory stays flat; the parse stops (``_Refused``) at the
    first thing over a limit. Kept lean: it sees every element of every sheet."""

    def __init__(self, sheet: str, limits: Limits):
        self.sheet, self.limits = sheet, limits
        # The row and column of the element being read (a <c> or <row> may leave out its
        # "r": it then follows the one before), how far the sheet reaches, and its cells.
        self.row = self.column = self.last_row = self.last_column = self.cells = 0
        self.handlers = {
            "c": self.cell,
            "row": self.row_start,
            "f": self.formula,
            "dimension": self.dimension,
        }

    def start(self, name: str, attributes: dict) -> None:
        handler = self.handlers.get(name)
        if handler is None:
            if ":" not in name:
                return
            handler = self.handlers.get(name.rpartition(":")[2])  # a prefixed name: "x:c"
            if handler is None:
                return
        handler(attributes)

    def cell(self, attributes: dict) -> None:
        ref = attributes.get("r")
        if ref is None:
            row, column = self.row or 1, self.column + 1
        else:
            position = _position(ref)
            if position is None:
                raise _Refused(damaged())
            row, column = position
        self.row, self.column = row, column
        self.cells += 1
        if row > self.last_row:
            self.last_row = row
        if column > self.last_column:
            self.last_column = column
        self.check(self.last_row, self.last_column)

    def row_start(self, attributes: dict) -> None:
        ref = attributes.get("r")
        if ref is None:
            row = self.row + 1
        elif ref.isdecimal() and len(ref) <= 7:
            row = int(ref)
        else:
            raise _Refused(damaged())
        self.row, self.column = row, 0
        if row > self.last_row:
            self.last_row = row
        self.check(self.last_row, max(self.last_column, 1))

    def formula(self, _attributes: dict) -> None:
        cell = f"{column_letters(self.column)}{self.row}" if self.column else "?"
        raise _Refused(
            ValidationError(
                _(
                    "Cell %(cell)s holds a formula. Copy the cells and paste them as values only, "
                    "then upload the file again."
                )
                % {"cell": cell}
            )
        )

    def dimension(self, attributes: dict) -> None:
        position = _position(attributes.get("ref", "").rpartition(":")[2])
        if position is None:
            raise _Refused(damaged())
        self.check(*position)

    def check(self, row: int, column: int) -> None:
        limits = self.limits
        if row > limits.rows or column > limits.columns or max(row * column, self.cells) > limits.cells:
            raise _Refused(_too_far(self.sheet, row, column, self.cells, limits))


class _StringsScan:
    """The expat handler counting the shared strings (the texts cells point to): a reader
    reserves room for as many as the part declares (``uniqueCount``) before reading one, so a
    crafted count kills it as a far cell does. Both the declared and the actual count are
    held to ``limits.cells``: a file has no more different texts than cells."""

    def __init__(self, limits: Limits):
        self.limits, self.count = limits, 0

    def start(self, name: str, attributes: dict) -> None:
        tag = name.rpartition(":")[2]
        if tag == "si":
            self.count += 1
            self.check(self.count)
        elif tag == "sst":
            declared = attributes.get("uniqueCount", "0")
            if not (declared.isdecimal() and len(declared) <= 12):
                raise _Refused(damaged())
            self.check(int(declared))

    def check(self, count: int) -> None:
        if count > self.limits.cells:
            raise _Refused(
                ValidationError(
                    _(
                        "The file holds %(count)s different texts, more than the %(max)s a file may "
                        "have here. Split it into several files."
                    )
                    % {"count": _grouped(count), "max": _grouped(self.limits.cells)}
                )
            )


def _forbidden(*_args):
    """A DTD can declare entities that expand without end: a sheet has none."""
    raise _Refused(damaged())


def _measure(archive: zipfile.ZipFile, member: str, scan: _SheetScan | _StringsScan) -> None:
    """Scan one part's XML, streamed from the zip, with ``scan``'s handler."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = scan.start
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.UnparsedEntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    try:
        with archive.open(member) as stream:
            parser.ParseFile(stream)
    except _Refused as refused:
        raise refused.error from None
    except (expat.ExpatError, zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise damaged() from None


def check(content: bytes, *, limits: Limits) -> None:
    """Refuse (ValidationError, in the user's language) what is not a safe .xlsx within the
    limits: nothing of its cells is read."""
    archive = _open_zip(content, limits)
    sheets, strings = _parts(archive)
    for member in sorted(strings):
        _measure(archive, member, _StringsScan(limits))
    for member, sheet in sorted(sheets.items()):
        _measure(archive, member, _SheetScan(sheet, limits))


def _value(value):
    if value == "":
        return None
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        if not math.isfinite(value):
            return str(value)
    return value


class Workbook:
    """A checked workbook whose sheets are read as rows of values from A1."""

    def __init__(self, content: bytes, limits: Limits):
        from python_calamine import CalamineWorkbook

        check(content, limits=limits)
        self.limits = limits
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(content))
            self.sheet_names = list(self._book.sheet_names)
        except Exception:  # noqa: BLE001 - any parser failure means a damaged file
            raise damaged() from None

    def rows(self, name: str, *, limit: int | None = None) -> list[list]:
        """The sheet's rows (at most ``limit``), each as long as the widest, empty cells None."""
        count = min(limit or self.limits.rows, self.limits.rows)
        try:
            rows = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=count)
        except Exception:  # noqa: BLE001
            raise damaged() from None
        return [[_value(value) for value in row] for row in rows]


def read_workbook(content: bytes, *, limits: Limits) -> Workbook:
    """The workbook of an uploaded .xlsx once it passed ``check``; raises ValidationError."""
    return Workbook(content, limits)
