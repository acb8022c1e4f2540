"""Excel exports with the official document header (core.excel.write_header), write_only."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.excel import Header, number_line, place_name, write_header
from organizations.models import Unit, UnitLevel

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
    ws.append([_text(ws, c, bold=True) for c in columns])
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
                _text(ws, name),
                gender.get(sex),
                born,
                _text(ws, ethnicity) if ethnicity else None,
                _text(ws, area),
                _text(ws, commune),
                members,
                statuses.get(status),
                "x" if policy else None,
                mask_id(national_id) or None,
                "x" if sponsored else None,
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
