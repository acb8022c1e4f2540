"""The Excel layouts of the households app: the household list, the "Vì người nghèo" fund
ledger and the template of a review list to import, laid out by core.excel: the official
header of the Front of the list's unit, A4 page setup, the column headers frozen and
printed on every page, Times New Roman, the signature block; write_only where the file can
be long, formula-like text kept as text (core.excel.cell)."""

from __future__ import annotations

from django.http import HttpResponse
from openpyxl.styles import Alignment, Font

from core import excel
from core.excel import Header, cell, write_header, xlsx_response
from organizations.exporting import front_issuer
from organizations.models import Unit

from .imports import TEMPLATE_HEADER, TEMPLATE_SUBHEADER
from .models import DonorType, EntryKind, Status, mask_id


def _header(unit: Unit, title: str, doc_type: str) -> Header:
    """The list's header: the Front of ``unit`` (an area's: its commune's) issues it."""
    return front_issuer(unit).header(doc_type=doc_type, title=title)


# The columns the household list export reads: values rather than Household objects with
# their area, commune and ethnicity (four model instances a row made the fetch of 100,000
# households take 12 s of the export's 29).
HOUSEHOLD_COLUMNS = (
    "head_name",
    "gender",
    "birth_year",
    "ethnicity__name",
    "area__name",
    "area__parent__name",
    "members",
    "year_status",
    "is_policy",
    "national_id",
    "sponsored",
)
# Landscape A4 at 10 pt or more (core.excel.LANDSCAPE_MAX); the column headers wrap.
HOUSEHOLD_WIDTHS = [7, 22, 6, 7, 9, 13, 14, 8, 18, 8, 12, 8]
FUND_WIDTHS = [5, 12, 9, 12, 18, 11, 18, 22, 14, 10]


def households_workbook(
    households, *, unit: Unit, year: int, status_labels: dict, progress=None
) -> tuple[bytes, int]:
    """households: the household list's queryset, annotated with ``year_status`` and
    ``sponsored`` (households.selectors.households). ``progress(done, total)``, when given
    (a background export), hears of the rows written every few thousand."""
    wb = excel.new_workbook()
    columns = [
        "STT",
        "Họ và tên chủ hộ",
        "Giới tính",
        "Năm sinh",
        "Dân tộc",
        "Thôn, làng",
        "Xã",
        "Số nhân khẩu",
        f"Phân loại hộ năm {year}",
        "Hộ chính sách",
        "Số CCCD",
        "Có tổ chức nhận đỡ đầu",
    ]
    title = f"Danh sách hộ gia đình năm {year}"
    page = excel.OfficialSheet(
        wb, "Danh sách hộ", header=_header(unit, title, "DS"), columns=columns, widths=HOUSEHOLD_WIDTHS
    )
    page.start()
    ws = page.ws
    gender = {"male": "Nam", "female": "Nữ"}
    statuses = {code: str(label) for code, label in status_labels.items()}
    count = 0
    total = None
    if progress is not None:
        total = households.count()
        progress(0, total)
    rows = households.values_list(*HOUSEHOLD_COLUMNS).iterator(chunk_size=2000)
    # Plain values, a cell object only for text that looks like a formula and for the numbers
    # shown grouped (row number, household size), those with one style shared by all: a
    # styled cell per value made a 100,000-row export twice as slow; the number cells add
    # about a tenth. An empty cell is written as None, which the write-only sheet leaves out.
    for count, (
        name,
        sex,
        born,
        ethnicity,
        area,
        commune,
        members,
        status,
        policy,
        national_id,
        sponsored,
    ) in enumerate(rows, start=1):
        ws.append(
            [
                cell(ws, count, plain=True, number=True),
                cell(ws, name, plain=True),
                gender.get(sex),
                born,
                cell(ws, ethnicity, plain=True) if ethnicity else None,
                cell(ws, area, plain=True),
                cell(ws, commune, plain=True),
                cell(ws, members, plain=True, number=True),
                statuses.get(status),
                "x" if policy else None,
                mask_id(national_id) or None,
                "x" if sponsored else None,
            ]
        )
        if progress is not None and count % 2000 == 0:
            progress(count, total)
    page.row += count
    page.append([])
    page.append([None, cell(ws, f"Tổng cộng: {excel.grouped(count)} hộ", bold=True)])
    page.sign(excel.Signature.for_list())
    return excel.save(wb), count


def fund_workbook(entries, *, unit: Unit, years: list[dict], kind_labels: dict, donor_labels: dict):
    """The ledger's entries on its first sheet; each year's opening balance, receipts,
    spending and closing balance on the second (it used to sit between the header and the
    entries' column headers, which could then be neither frozen nor repeated); both signed."""
    wb = excel.new_workbook()
    columns = [
        "STT",
        "Ngày",
        "Loại",
        "Số phiếu/quyết định",
        "Người, đơn vị ủng hộ",
        "Loại nhà tài trợ",
        "Hộ được hỗ trợ / công trình",
        "Nội dung",
        "Số tiền (đồng)",
        "Điều chỉnh bút toán số",
    ]
    title = 'Sổ quỹ "Vì người nghèo"'
    signature = excel.Signature.for_list(preparer="NGƯỜI GHI SỔ")
    ledger = excel.OfficialSheet(
        wb, "Sổ quỹ", header=_header(unit, title, "BC"), columns=columns, widths=FUND_WIDTHS, numbers=(8,)
    )
    ledger.start()
    count = 0
    for count, e in enumerate(entries, start=1):
        target = e.household.head_name if e.household_id else e.project
        ledger.add(
            [
                count,
                e.date,
                str(kind_labels[e.kind]),
                e.number,
                e.donor,
                str(donor_labels.get(e.donor_type, "")),
                target,
                e.purpose,
                e.amount,
                e.reverses_id or "",
            ]
        )
    ledger.sign(signature)
    summary = excel.OfficialSheet(
        wb,
        "Tổng hợp theo năm",
        header=_header(unit, f"{title} – tổng hợp theo năm", "BC"),
        columns=["Năm", "Tồn đầu kỳ", "Thu", "Chi", "Tồn cuối kỳ"],
        widths=[8, 16, 16, 16, 16],
        numbers=(1, 2, 3, 4),
    )
    summary.start()
    for y in years:
        summary.add([y["year"], y["opening"], y["receipts"], y["spending"], y["closing"]])
    summary.sign(signature)
    return excel.save(wb), count


def household_list(households, *, unit: Unit, year: int) -> tuple[HttpResponse, int]:
    """The household list as the page filters it: the file and how many households it lists."""
    content, count = households_workbook(households, unit=unit, year=year, status_labels=dict(Status.choices))
    return xlsx_response(content, f"danh-sach-ho-{year}"), count


def fund_ledger(entries, *, unit: Unit, years: list[dict]) -> tuple[HttpResponse, int]:
    """A Front's fund ledger: the file and how many entries it lists."""
    content, count = fund_workbook(
        entries,
        unit=unit,
        years=years,
        kind_labels=dict(EntryKind.choices),
        donor_labels=dict(DonorType.choices),
    )
    return xlsx_response(content, "so-quy-vi-nguoi-ngheo"), count


TEMPLATE_WIDTHS = [6, 26, 7, 7, 10, 14, 9, 16, 10, 12]


def template_workbook() -> bytes:
    """The import template: the same header as the commune review lists (households.imports
    reads it back)."""
    wb = excel.new_workbook(write_only=False)
    ws = wb.active
    ws.title = "Danh sách"
    header = Header(
        parent_body="UBND XÃ …",
        issuing_body="BCĐ RÀ SOÁT HỘ NGHÈO",
        number="Số:      /DS-BCĐ",
        place="…",
        title="Danh sách hộ nghèo, hộ cận nghèo năm …",
        day=None,  # the commune writes the date
    )
    top = excel.header_rows(header) + 1
    # Two rows of column headers and the row of column numbers, frozen and repeated.
    excel.setup_page(ws, TEMPLATE_WIDTHS, heading_row=top, heading_rows=3)
    write_header(ws, header, len(TEMPLATE_HEADER), right_column=5)
    ws.append(TEMPLATE_HEADER)
    ws.append(TEMPLATE_SUBHEADER)
    ws.append([f"({i})" for i in range(1, 11)])
    ws.append([1, "Rơ Mah Jin", 1989, None, "Jrai", "Làng 1", 7, "Hộ nghèo", None, None])
    ws.merge_cells(f"C{top}:D{top}")
    for col in "ABEFGHIJ":
        ws.merge_cells(f"{col}{top}:{col}{top + 1}")
    for row in ws.iter_rows(min_row=top, max_row=top + 2):
        for header_cell in row:
            header_cell.font = Font(bold=True, name=excel.FONT, size=excel.SIZE)
            header_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header_cell.border = excel.BOX
    return excel.save(wb)


def import_template() -> HttpResponse:
    return xlsx_response(template_workbook(), "mau-danh-sach-ho")
