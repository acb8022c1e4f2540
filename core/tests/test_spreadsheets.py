"""The one reader of uploads (core/spreadsheets.py): a sheet reaching too far, by what it
declares or by the cells it holds, is refused before a cell is read, quickly and without the
memory a reader would reserve for it (a 5.7 KB file with one cell at XFD1048576
made the reader reserve about 512 GiB and the worker died)."""

import io
import resource
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from core import spreadsheets

LIMITS = spreadsheets.Limits(
    file_bytes=10 * 1024 * 1024,
    uncompressed_bytes=150 * 1024 * 1024,
    rows=50_200,
    columns=50,
    cells=1_000_000,
)
SHEET = "xl/worksheets/sheet1.xml"


def _book(cells: dict[str, object], title="Danh sách") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["STT", "Họ và tên chủ hộ", "Năm sinh"])
    ws.append([1, "Nay Blơi", 1980])
    for ref, value in cells.items():
        ws[ref] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, member: str, edit) -> bytes:
    """The same .xlsx with one part's XML edited (what a crafted file does)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, edit(data) if info.filename == member else data)
    return out.getvalue()


def _refusal(content: bytes, limits=LIMITS) -> str:
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        spreadsheets.read_workbook(content, limits=limits)
    return " ".join(error.value.messages)


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.mark.parametrize(("cell", "reach"), [("XFD1048576", "dòng 1.048.576"), ("AZ200000", "dòng 200.000")])
def test_spreadsheets_cell_far_away_refused_quickly_without_memory(cell, reach):
    content = _book({cell: "x"})
    assert len(content) < 10_000  # a few KB
    peak = _peak_kib()
    tracemalloc.start()
    started = time.perf_counter()
    message = _refusal(content)
    elapsed = time.perf_counter() - started
    _current, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert reach in message and "Danh sách" in message and "50.200 dòng" in message
    assert elapsed < 1
    assert python_peak < 5 * 1024 * 1024
    assert _peak_kib() - peak < 50 * 1024  # the process did not grow (KiB)


def test_spreadsheets_cell_far_away_refused_when_the_sheet_declares_less():
    """The actual extent is scanned too: a sheet whose <dimension> lies."""
    content = _rewrite(
        _book({"XFD1048576": "x"}), SHEET, lambda xml: xml.replace(b'ref="A1:XFD1048576"', b'ref="A1:C2"')
    )
    assert b'ref="A1:C2"' in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    assert "dòng 1.048.576" in _refusal(content)


def test_spreadsheets_declared_extent_alone_is_refused():
    """A sheet declaring a far extent (readers may size their grid by it) with no cell there."""
    content = _rewrite(_book({}), SHEET, lambda xml: xml.replace(b'ref="A1:C2"', b'ref="A1:AZ200000"'))
    assert "dòng 200.000" in _refusal(content)


def test_spreadsheets_cells_without_references_are_counted_by_position():
    """<row> and <c> may leave out their "r": they follow the one before."""
    cells = b"".join(b'<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(60))
    content = _rewrite(
        _book({}), SHEET, lambda xml: xml.replace(b"</sheetData>", b"<row>" + cells + b"</row></sheetData>")
    )
    message = _refusal(content)
    assert "cột AY" in message and "50 cột" in message and "(đến cột AX)" in message  # the 51st


def test_spreadsheets_too_many_cells_within_the_rows_and_columns_refused():
    limits = spreadsheets.Limits(**{**LIMITS.__dict__, "cells": 100})
    message = _refusal(_book({"C40": "x"}), limits)  # A1:C40, what a reader allocates
    assert "120 ô" in message and "100 ô" in message


def test_spreadsheets_columns_over_the_limit_refused():
    assert "cột BA" in _refusal(_book({"BA1": "ghi chú"}))


def test_spreadsheets_formula_refused_with_its_cell():
    message = _refusal(_book({"B5": "=SUM(C1:C2)"}))
    assert "B5" in message and "công thức" in message


def test_spreadsheets_a_sheet_the_workbook_links_outside_the_usual_folder_is_measured():
    """A reader follows the workbook's links: a sheet moved out of xl/worksheets/ is checked."""
    content = _book({"AZ200000": "x"})
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            name = "xl/hidden/data.xml" if info.filename == SHEET else info.filename
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"/xl/worksheets/sheet1.xml", b"/xl/hidden/data.xml")
                data = data.replace(b'"worksheets/sheet1.xml"', b'"hidden/data.xml"')
            target.writestr(name, data)
    assert "xl/worksheets/sheet1.xml" not in zipfile.ZipFile(out).namelist()
    assert "dòng 200.000" in _refusal(out.getvalue())


def test_spreadsheets_entity_declarations_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
    content = _rewrite(_book({}), SHEET, lambda xml: bomb + xml.split(b"?>", 1)[-1])
    assert "hỏng" in _refusal(content)


def test_spreadsheets_container_checks():
    assert "xlsx" in _refusal(b"STT;Ho ten\n1;Nay Blon\n")
    content = _book({})
    assert "hỏng" in _refusal(content[: len(content) // 2])
    assert "MB" in _refusal(content, spreadsheets.Limits(**{**LIMITS.__dict__, "file_bytes": 1000}))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(SHEET, b"\0" * (20 * 1024 * 1024))
    assert "giải nén" in _refusal(bomb.getvalue())


def test_spreadsheets_a_file_within_the_limits_reads_from_a1():
    book = spreadsheets.read_workbook(_book({"AX3": 2.5, "C3": "Làng 1"}), limits=LIMITS)
    assert book.sheet_names == ["Danh sách"]
    rows = book.rows("Danh sách")
    assert len(rows) == 3 and all(len(row) == 50 for row in rows)
    assert rows[1][:3] == [1, "Nay Blơi", 1980] and isinstance(rows[1][2], int)  # whole numbers as int
    assert rows[2][2] == "Làng 1" and rows[2][49] == 2.5 and rows[2][0] is None
    assert len(book.rows("Danh sách", limit=2)) == 2


def _with_shared_strings(unique_count: int, texts: int) -> bytes:
    """A workbook whose cells point to a shared strings' part (as Excel writes them)."""
    strings = "".join(f"<si><t>Hộ nghèo {n}</t></si>" for n in range(texts)).encode()
    part = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
        b'uniqueCount="%d">%s</sst>' % (texts, unique_count, strings)
    )
    source = zipfile.ZipFile(io.BytesIO(_book({})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Target="sharedStrings.xml" Type="http://schemas.openxmlformats'
                    b'.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
                )
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == SHEET:
                data = data.replace(
                    b'<c r="A1" t="inlineStr"><is><t>STT</t></is></c>', b'<c r="A1" t="s"><v>0</v></c>'
                )
                assert b't="s"' in data
            target.writestr(info.filename, data)
        target.writestr("xl/sharedStrings.xml", part)
    return out.getvalue()


def test_spreadsheets_shared_strings_read_when_within_the_limits():
    rows = spreadsheets.read_workbook(_with_shared_strings(3, 3), limits=LIMITS).rows("Danh sách")
    assert rows[0][0] == "Hộ nghèo 0"


def test_spreadsheets_shared_strings_declaring_more_texts_than_cells_refused():
    """A reader reserves room for the declared count before reading a text: a count in the
    hundreds of billions aborts the process; ten million, over the limit, shows it refused."""
    message = _refusal(_with_shared_strings(10_000_000, 3))
    assert "10.000.000 đoạn văn bản" in message and "1.000.000" in message


def test_spreadsheets_shared_strings_holding_more_texts_than_cells_refused():
    limits = spreadsheets.Limits(**{**LIMITS.__dict__, "cells": 20})
    assert "21 đoạn văn bản" in _refusal(_with_shared_strings(0, 40), limits)
