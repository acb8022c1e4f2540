"""The Excel layouts of the households app: the household list, the "Vì người nghèo" fund
ledger and the template of a review list to import. The official document header
(core.excel.write_header), write_only where the file can be long, formula-like text kept as
text (core.excel.cell)."""

from __future__ import annotations

import datetime
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.excel import Header, cell, number_line, place_name, write_header, xlsx_response
from organizations.models import Unit, UnitLevel

from .imports import TEMPLATE_HEADER, TEMPLATE_SUBHEADER
from .models import DonorType, EntryKind, Status, mask_id


def _header(ws, unit: Unit, title: str, width: int, today: datetime.date, doc_type: str) -> None:
    front_unit = unit if unit.level != UnitLevel.AREA else unit.parent
    header = Header(
        parent_body=f"ỦY BAN MTTQ VIỆT NAM {front_unit.name.upper()}",
        issuing_body="BAN THƯỜNG TRỰC",
        number=number_line(doc_type, "MTTQ-BTT"),
        place=place_name(front_unit),
        title=title,
        day=today,
    )
    write_header(ws, header, width)


def _save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


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


def households_workbook(households, *, unit: Unit, year: int, status_labels: dict) -> bytes:
    """households: the household list's queryset, annotated with ``year_status`` and
    ``sponsored`` (households.selectors.households)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách hộ")
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
    for i, width in enumerate([6, 28, 10, 10, 12, 16, 16, 10, 20, 12, 16, 14]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    _header(ws, unit, f"Danh sách hộ gia đình năm {year}", len(columns), timezone.localdate(), "DS")
    ws.append([cell(ws, c, bold=True, size=None) for c in columns])
    gender = {"male": "Nam", "female": "Nữ"}
    statuses = {code: str(label) for code, label in status_labels.items()}
    count = 0
    rows = households.values_list(*HOUSEHOLD_COLUMNS).iterator(chunk_size=2000)
    # An empty cell is written as None, which the write-only sheet leaves out of the file.
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
                count,
                cell(ws, name, plain=True),
                gender.get(sex),
                born,
                cell(ws, ethnicity, plain=True) if ethnicity else None,
                cell(ws, area, plain=True),
                cell(ws, commune, plain=True),
                members,
                statuses.get(status),
                "x" if policy else None,
                mask_id(national_id) or None,
                "x" if sponsored else None,
            ]
        )
    ws.append([])
    ws.append([None, cell(ws, f"Tổng cộng: {count} hộ", bold=True, size=None)])
    return _save(wb), count


def fund_workbook(entries, *, unit: Unit, years: list[dict], kind_labels: dict, donor_labels: dict):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sổ quỹ")
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
    for i, width in enumerate([6, 12, 10, 16, 26, 14, 26, 30, 16, 12]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    _header(ws, unit, 'Sổ quỹ "Vì người nghèo"', len(columns), timezone.localdate(), "BC")
    ws.append([cell(ws, c, bold=True, size=None) for c in ["Năm", "Tồn đầu kỳ", "Thu", "Chi", "Tồn cuối kỳ"]])
    for y in years:
        ws.append([y["year"], y["opening"], y["receipts"], y["spending"], y["closing"]])
    ws.append([])
    ws.append([cell(ws, c, bold=True, size=None) for c in columns])
    count = 0
    for count, e in enumerate(entries, start=1):
        target = e.household.head_name if e.household_id else e.project
        ws.append(
            [
                count,
                cell(ws, e.date, plain=True),
                str(kind_labels[e.kind]),
                cell(ws, e.number, plain=True),
                cell(ws, e.donor, plain=True),
                str(donor_labels.get(e.donor_type, "")),
                cell(ws, target, plain=True),
                cell(ws, e.purpose, plain=True),
                e.amount,
                e.reverses_id or "",
            ]
        )
    return _save(wb), count


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


def template_workbook() -> bytes:
    """The import template: the same header as the commune review lists (households.imports
    reads it back)."""
    wb = Workbook()
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
    top = write_header(ws, header, len(TEMPLATE_HEADER), right_column=5) + 1
    ws.append(TEMPLATE_HEADER)
    ws.append(TEMPLATE_SUBHEADER)
    ws.append([f"({i})" for i in range(1, 11)])
    ws.append([1, "Rơ Mah Jin", 1989, None, "Jrai", "Làng 1", 7, "Hộ nghèo", None, None])
    ws.merge_cells(f"C{top}:D{top}")
    for col in "ABEFGHIJ":
        ws.merge_cells(f"{col}{top}:{col}{top + 1}")
    for row in ws.iter_rows(min_row=top, max_row=top + 2):
        for header_cell in row:
            header_cell.font = Font(bold=True, name="Times New Roman")
            header_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["F"].width = 16
    ws.column_dimensions["H"].width = 18
    ws.column_dimensions["I"].width = 14
    return _save(wb)


def import_template() -> HttpResponse:
    return xlsx_response(template_workbook(), "mau-danh-sach-ho")
