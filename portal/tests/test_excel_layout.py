"""Every Excel export prints as an official document on A4: downloaded
through the client as the users who can, each sheet is checked with openpyxl for its page
setup (fit to the page's width, never to one page's height; print titles; orientation;
NĐ 30 margins; frozen column headers), its header merged and centred, Times New Roman in
every cell and nowhere Calibri, grouped numbers, dates as dates, whole-word sheet names
and the signature block.

Printed through LibreOffice (A4), the widths checked here are those that keep 12 pt text
at 10 pt or more (core.excel.LANDSCAPE_MAX, PORTRAIT_MAX)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core import excel
from households.models import Household, HouseholdStatus, Status

NUMBER = "#,##0"


@dataclass
class Expect:
    """What one sheet of an export should hold (``None``: decided by the table's width)."""

    orientation: str | None
    numbers: tuple[int, ...] = ()  # columns of counts and amounts, shown grouped
    years: tuple[int, ...] = ()  # columns of years, not grouped
    dates: tuple[int, ...] = ()
    signed: bool = True
    heading_rows: int = 1


@dataclass
class Export:
    name: str
    kwargs: object = None  # Target -> kwargs
    query: dict = field(default_factory=dict)
    sheets: list[Expect] | None = None  # None: a report, every sheet as REPORT_SHEET


# A report's tables: the year in the first column, counts and amounts after the labels.
REPORT_SHEET = Expect(None, years=(0,))

EXPORTS = [
    Export("reports:report_export", query={"year_from": 2017, "year": 2019}),
    Export("reports:review_export", kwargs=lambda t: {"length": 3}),
    Export(
        "households:export",
        query={"year": 2024},
        sheets=[Expect("landscape", numbers=(0, 7), years=(3,))],
    ),
    Export(
        "households:fund_export",
        kwargs=lambda t: {"unit": t.commune.pk},
        sheets=[
            Expect("landscape", numbers=(8,), dates=(1,)),
            Expect("portrait", numbers=(1, 2, 3, 4), years=(0,)),
        ],
    ),
    Export(
        "households:import_template",
        sheets=[Expect("landscape", years=(2,), signed=False, heading_rows=3)],
    ),
    Export(
        "activities:initiative_list",
        query={"export": "xlsx"},
        sheets=[Expect("landscape", numbers=(8, 9), years=(6,))],
    ),
    Export(
        "activities:supervision_list",
        query={"export": "xlsx"},
        sheets=[Expect("landscape", dates=(1, 12))],
    ),
    Export("activities:example_list", query={"export": "xlsx"}, sheets=[Expect("landscape", years=(5,))]),
    Export("activities:outstanding_list", query={"export": "xlsx"}, sheets=[Expect("landscape", years=(1,))]),
    Export(
        "programs:document_list",
        query={"export": "xlsx"},
        sheets=[Expect("landscape", dates=(3, 6), signed=False)],
    ),
]


@pytest.fixture
def target(matrix):
    """The permission matrix's Ia Dom: a record of each kind in every export."""
    target = matrix.target("mttq.iadom", True)
    HouseholdStatus.objects.create(household=target.household, year=2024, status=Status.POOR)
    return target


def _download(user, export: Export, target) -> bytes:
    client = Client()
    client.force_login(user)
    kwargs = export.kwargs(target) if export.kwargs else None
    response = client.get(reverse(export.name, kwargs=kwargs), export.query)
    assert response.status_code == 200, export.name
    return b"".join(response.streaming_content) if response.streaming else response.content


def _heading_row(ws) -> tuple[int, int]:
    """The first and last rows of the column headers, as printed on every page."""
    first, last = re.fullmatch(r"\$?(\d+):\$?(\d+)", ws.print_title_rows).groups()
    return int(first), int(last)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", str(text).casefold()))


def _check_sheet(ws, expect: Expect, where: str) -> None:
    ncols = ws.max_column
    widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, ncols + 1)]
    setup = ws.page_setup
    landscape = setup.orientation == "landscape"

    # A4, as wide as the page and as long as it takes: never squeezed onto one page.
    assert int(setup.paperSize) == 9, where
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0, where
    assert ws.sheet_properties.pageSetUpPr.fitToPage, where
    if expect.orientation:
        assert setup.orientation == expect.orientation, where
    elif ncols >= 8:
        assert landscape, where
    elif ncols <= 4:
        assert not landscape, where
    # Narrow enough that the scaled text still reads at 10 pt or more.
    assert sum(widths) <= (excel.LANDSCAPE_MAX if landscape else excel.PORTRAIT_MAX) + 0.5, where
    # NĐ 30/2020's margins, in millimetres.
    margins = ws.page_margins
    assert 30 <= round(margins.left * 25.4) <= 35 and 15 <= round(margins.right * 25.4) <= 20, where
    assert 20 <= round(margins.top * 25.4) <= 25 and 20 <= round(margins.bottom * 25.4) <= 25, where

    # The column headers: printed on every page, frozen on screen, bold and boxed.
    first, last = _heading_row(ws)
    assert last - first + 1 == expect.heading_rows, where
    assert ws.freeze_panes == f"A{last + 1}", where
    heading = [c for c in ws[first] if c.value is not None]
    assert len(heading) >= ncols - 1 and all(c.font.b and c.border.left.style == "thin" for c in heading), (
        where
    )

    # The header as on paper: the left block and the national name merged and centred,
    # the title merged over the whole width.
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    motto = next(c for c in ws[1] if c.value == excel.MOTTO[0])
    assert ws["A1"].value and ws["A1"].alignment.horizontal == "center", where
    assert motto.alignment.horizontal == "center" and motto.font.b, where
    assert merged[(1, motto.column)].max_col == ncols, where
    assert (1, 1) in merged or motto.column == 2, where
    assert ws["A2"].font.b and ws["A2"].font.u == "single", where
    title = ws["A5"]
    assert title.value and title.value == title.value.upper() and title.font.b, where
    assert merged[(5, 1)].max_col == ncols and title.alignment.horizontal == "center", where

    # Times New Roman in every cell.
    used = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert {c.font.name for c in used} == {excel.FONT}, where

    # Counts and amounts grouped (2.631), years not, dates as dates.
    body = [row for row in ws.iter_rows(min_row=last + 1)]
    for row in body:
        for c in row:
            if isinstance(c.value, bool) or not isinstance(c.value, int | float):
                continue
            column = c.column - 1
            if column in expect.years:
                assert c.number_format == "General", f"{where}!{c.coordinate}"
            elif expect.numbers or expect.orientation is None:
                if column in expect.numbers or (expect.orientation is None and column not in expect.years):
                    assert c.number_format == NUMBER, f"{where}!{c.coordinate}"
    dated = [c for row in body for c in row if getattr(c, "is_date", False)]
    assert all(c.number_format == excel.DATE for c in dated), where
    assert {c.column - 1 for c in dated} <= set(expect.dates), where

    # The sheet's name: whole words of its title or caption, within Excel's 31 characters.
    assert 0 < len(ws.title) <= 31 and ws.title == ws.title.strip(), where
    titles = set().union(
        *(_words(c.value) for row in ws.iter_rows(max_row=first - 1) for c in row if c.value)
    )
    assert _words(ws.title) <= titles, f"{where}: {ws.title!r} is not cut at a word"

    # The signature block under the body: the position, room to sign, a line for the name.
    tail = [[c.value for c in row] for row in ws.iter_rows(min_row=last + 1)]
    positions = [i for i, row in enumerate(tail) if any(v in ("CHỦ TỊCH", "BÍ THƯ") for v in row)]
    if expect.signed:
        assert positions, f"{where}: no signature block"
        assert any(excel.NAME_LINE in row for row in tail[positions[-1] :]), where
    else:
        assert not positions, where


@pytest.mark.parametrize("export", EXPORTS, ids=[e.name for e in EXPORTS])
def test_every_export_prints_as_an_official_a4_document(world, target, export):
    content = _download(world.mttq_iadom, export, target)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for member in archive.namelist():  # styles, theme, sheets: not even a default
            assert b"Calibri" not in archive.read(member), f"{export.name}: Calibri in {member}"
    workbook = load_workbook(io.BytesIO(content))
    assert workbook._named_styles["Normal"].font.name == excel.FONT
    names = [ws.title.casefold() for ws in workbook.worksheets]
    assert len(set(names)) == len(names)
    expected = export.sheets or [REPORT_SHEET] * len(workbook.worksheets)
    assert len(workbook.worksheets) == len(expected)
    for ws, expect in zip(workbook.worksheets, expected, strict=True):
        _check_sheet(ws, expect, f"{export.name}/{ws.title}")


def test_report_of_a_commune_is_issued_by_the_district_that_exports_it(world, target):
    """A district officer's report on one commune is the district Front's document; the
    commune is named under the title."""
    content = _download(
        world.mttq_huyen,
        Export("reports:report_export", query={"year": 2019, "commune": world.iadom.pk}),
        target,
    )
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    assert ws["A1"].value == "ỦY BAN MTTQ VIỆT NAM\nHUYỆN ĐỨC CƠ" and ws["A2"].value == "BAN THƯỜNG TRỰC"
    assert ws["A6"].value.startswith("Xã Ia Dom – ")
    assert any(str(c.value).startswith("Đức Cơ, ngày ") for c in ws[3])


def test_household_list_counts_its_households_with_a_separator(world, target):
    """ "Tổng cộng: 1.001 hộ", not "1001 hộ"; the row numbers are grouped as the count is."""
    Household.objects.bulk_create(
        Household(area=target.area, head_name=f"Hộ số {i}", name_normalized=f"ho so {i}") for i in range(1000)
    )
    content = _download(world.mttq_iadom, EXPORTS[2], target)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows())
    assert any(row[1].value == "Tổng cộng: 1.001 hộ" for row in rows)
    number = next(row[0] for row in rows if row[0].value == 1001)
    assert number.number_format == NUMBER


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Các chỉ tiêu chính qua từng năm", "Các chỉ tiêu chính qua từng năm"),  # 31: kept whole
        ("1. Các chỉ tiêu chính qua từng năm", "1. Các chỉ tiêu chính"),  # not "… qua từng "
        ("(c) Hộ được nhận giúp đỡ theo tổ chức", "(c) Hộ được nhận giúp đỡ"),
        ("(e) Gương điển hình và khu dân cư nổi bật", "(e) Gương điển hình"),  # not "… khu dân"
        ("Sổ quỹ: thu/chi [2024]?", "Sổ quỹ thu chi 2024"),
    ],
)
def test_sheet_names_are_cut_at_a_word(title, name):
    assert excel.sheet_name(title) == name
    assert excel.sheet_name(title, taken=[name.upper()]).endswith(" (2)")
    assert len(excel.sheet_name("x" * 40)) == 31


def test_superior_body_breaks_before_its_unit_when_too_long():
    assert (
        excel.break_at_unit("ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ", 30) == "ỦY BAN MTTQ VIỆT NAM\nHUYỆN ĐỨC CƠ"
    )
    assert excel.break_at_unit("HỘI NÔNG DÂN TỈNH GIA LAI", 20) == "HỘI NÔNG DÂN\nTỈNH GIA LAI"
    assert excel.break_at_unit("ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ", 60) == "ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ"
