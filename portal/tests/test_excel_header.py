"""One writer of the official header (NĐ 30/2020, Appendix I) for every Excel file."""

import datetime
import io
import pathlib

import pytest
from openpyxl import load_workbook

from core import excel
from devdata.programs import make_program
from devdata.registrations import open_year
from households import exporters
from households import selectors as household_selectors
from organizations.exporting import workbook_response
from organizations.models import OrgKind
from registrations import excel as registration_excel
from registrations.models import Registration

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _rows(content: bytes, sheet=None):
    wb = load_workbook(io.BytesIO(content))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows(max_row=8)]


def _assert_official(rows, place):
    assert excel.MOTTO[0] in rows[0] and excel.MOTTO[1] in rows[1]
    assert rows[0][0] and rows[1][0]  # parent body over issuing body
    assert rows[2][0].startswith("Số:      /")
    assert any(isinstance(v, str) and v.startswith(f"{place}, ngày ") for v in rows[2])


def test_date_line_pads_days_under_10_and_months_1_and_2():
    assert excel.date_line("Đức Cơ", datetime.date(2017, 7, 21)) == "Đức Cơ, ngày 21 tháng 7 năm 2017"
    assert excel.date_line("Ia Dom", datetime.date(2018, 2, 5)) == "Ia Dom, ngày 05 tháng 02 năm 2018"
    assert excel.date_line("Ia Dom", datetime.date(2018, 11, 30)) == "Ia Dom, ngày 30 tháng 11 năm 2018"


@pytest.mark.django_db
def test_every_excel_writer_has_the_full_official_header(world):
    program = make_program(world)
    period = open_year(world, program, 2017)
    registration = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.WOMEN))
    _assert_official(
        _rows(registration_excel.workbook_bytes(registration), registration_excel.SHEET_TITLE), "Ia Dom"
    )
    content, _count = exporters.households_workbook(
        household_selectors.households(world.mttq_iadom, year=2017),
        unit=world.iadom,
        year=2017,
        status_labels={},
    )
    _assert_official(_rows(content), "Ia Dom")
    content, _count = exporters.fund_workbook(
        [], unit=world.district, years=[], kind_labels={}, donor_labels={}
    )
    _assert_official(_rows(content), "Đức Cơ")
    response = workbook_response(
        user=world.mttq_huyen, title="Mô hình", filename="x", headers=["A", "B"], rows=[]
    )
    _assert_official(_rows(response.content), "Đức Cơ")
    header = excel.Header(
        "ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ", "BAN THƯỜNG TRỰC", "Số:      /BC-MTTQ-BTT", "Đức Cơ", "Báo cáo"
    )
    _assert_official(
        _rows(excel.report_workbook(header, [excel.Sheet("Bảng", ["A", "B"], [[1, 2]])])), "Đức Cơ"
    )


def test_no_other_module_writes_its_own_header():
    """The national motto is written in one place, core/documents.py, for the Excel file,
    the print view and the Word document alike (tests and browser tests aside)."""
    writers = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and "e2e" not in path.parts
        and "Độc lập - Tự do - Hạnh phúc" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["core/documents.py"]


def test_report_cells_keep_their_own_styles_across_sheets():
    """Cells of one combination of options share its font and border, in every sheet of
    the workbook; counts are grouped whatever their size, a year in the first column is not."""
    header = excel.Header(
        parent_body="ỦY BAN MTTQ",
        issuing_body="BAN THƯỜNG TRỰC",
        number="Số: /BC",
        place="Đức Cơ",
        title="Báo cáo",
    )
    sheets = [
        excel.Sheet("Một", ["Xã", "Số hộ"], [["Ia Dom", 12], ["Ia Kla", 12_500]], ["Tổng", 12_512]),
        excel.Sheet("Hai", ["Năm", "Giá trị"], [[2017, 5_000_000], ["=SUM(A1)", 3]], None),
    ]
    wb = load_workbook(io.BytesIO(excel.report_workbook(header, sheets)))
    for ws, columns in zip(wb.worksheets, (["Xã", "Số hộ"], ["Năm", "Giá trị"]), strict=True):
        heading = next(
            [c for c in row if c.value is not None] for row in ws.iter_rows() if row[0].value == columns[0]
        )
        assert [c.value for c in heading] == columns
        assert all(
            c.font.b and c.alignment.horizontal == "center" and c.border.left.style == "thin" for c in heading
        )
    one, two = wb.worksheets
    body = {
        c.coordinate: c for row in one.iter_rows() for c in row if c.value in ("Ia Dom", 12, "Ia Kla", 12_500)
    }
    plain = list(body.values())
    assert len(plain) == 4
    assert all(not c.font.b and c.font.name == excel.FONT and c.border.top.style == "thin" for c in plain)
    assert {c.value: c.number_format for c in plain}[12] == "#,##0"
    assert {c.value: c.number_format for c in plain}[12_500] == "#,##0"
    totals = next(
        [c for c in row if c.value is not None] for row in one.iter_rows() if row[0].value == "Tổng"
    )
    assert all(c.font.b for c in totals) and totals[1].number_format == "#,##0"
    values = {c.value: c for row in two.iter_rows() for c in row}
    assert values[2017].number_format == "General" and values[5_000_000].number_format == "#,##0"
    assert values["=SUM(A1)"].data_type == "s" and not values["=SUM(A1)"].font.b
