"""Excel exports with the official document header (portal.excel.write_header), write_only."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from organizations.models import Unit, UnitLevel
from portal.excel import Header, number_line, place_name, write_header

from .models import mask_id

FONT = "Times New Roman"
DANGEROUS = ("=", "+", "-", "@")


def _text(ws, value, **font):
    if not font and not (isinstance(value, str) and value.startswith(DANGEROUS)):
        return value  # a plain value: a cell object per value made 100,000 rows 2x slower
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(DANGEROUS):
        cell.data_type = "s"  # never a formula
    if font:
        cell.font = Font(name=FONT, **font)
    return cell


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


def households_workbook(rows, *, unit: Unit, year: int, status_labels: dict) -> bytes:
    """rows: Household objects annotated with ``year_status`` and ``sponsored``."""
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
    ws.append([_text(ws, c, bold=True) for c in columns])
    gender = {"male": "Nam", "female": "Nữ"}
    count = 0
    for count, h in enumerate(rows, start=1):
        ws.append(
            [
                count,
                _text(ws, h.head_name),
                gender.get(h.gender, ""),
                h.birth_year,
                _text(ws, h.ethnicity.name if h.ethnicity else ""),
                _text(ws, h.area.name),
                _text(ws, h.area.parent.name),
                h.members,
                str(status_labels.get(h.year_status, "")),
                "x" if h.is_policy else "",
                mask_id(h.national_id),
                "x" if h.sponsored else "",
            ]
        )
    ws.append([])
    ws.append([None, _text(ws, f"Tổng cộng: {count} hộ", bold=True)])
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
    ws.append([_text(ws, c, bold=True) for c in ["Năm", "Tồn đầu kỳ", "Thu", "Chi", "Tồn cuối kỳ"]])
    for y in years:
        ws.append([y["year"], y["opening"], y["receipts"], y["spending"], y["closing"]])
    ws.append([])
    ws.append([_text(ws, c, bold=True) for c in columns])
    count = 0
    for count, e in enumerate(entries, start=1):
        target = e.household.head_name if e.household_id else e.project
        date_cell = WriteOnlyCell(ws, value=e.date)
        date_cell.number_format = "DD/MM/YYYY"
        ws.append(
            [
                count,
                date_cell,
                str(kind_labels[e.kind]),
                _text(ws, e.number),
                _text(ws, e.donor),
                str(donor_labels.get(e.donor_type, "")),
                _text(ws, target),
                _text(ws, e.purpose),
                e.amount,
                e.reverses_id or "",
            ]
        )
    return _save(wb), count
