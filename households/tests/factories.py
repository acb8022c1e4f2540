"""Small builders for the households tests."""

import io
from pathlib import Path

from openpyxl import Workbook

from core.text import normalize
from households import gaps
from households.imports import TEMPLATE_HEADER, TEMPLATE_SUBHEADER
from households.models import Household, HouseholdStatus, Status

# A copy of shared/samples/danh-sach-ho-ngheo-ia-dom-2017.xlsx (made up, no real persons).
SAMPLE = str(Path(__file__).parent / "data" / "danh-sach-ho-ngheo-ia-dom-2017.xlsx")


def household(area, name="Rơ Mah Jin", birth_year=1989, status=Status.POOR, year=2017, **fields):
    h = Household.objects.create(area=area, head_name=name, birth_year=birth_year, **fields)
    if status:
        HouseholdStatus.objects.create(household=h, year=year, status=status)
    # Written without the services, like the bulk loaders: count the gap summary too.
    gaps.refresh(areas=[area.pk], years=[gaps.EVERY_YEAR, year])
    return h


def review_list(rows, *, title=True, header=None, subheader=None, sheet="Danh sách") -> bytes:
    """A review list shaped like the commune ones; rows are lists of the 10 columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append(["UBND XÃ IA DOM", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
        ws.append(["DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2017"])
    ws.append(header or TEMPLATE_HEADER)
    ws.append(subheader or TEMPLATE_SUBHEADER)
    ws.append([f"({i})" for i in range(1, 11)])
    for row in rows:
        ws.append(row)
    ws.append([None, f"Tổng cộng: {len(rows)} hộ"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(
    n,
    name,
    year=1980,
    area="Làng 1",
    status="Hộ nghèo",
    female=False,
    members=4,
    ethnicity="Jrai",
    policy=None,
):
    return [
        n,
        name,
        None if female else year,
        year if female else None,
        ethnicity,
        area,
        members,
        status,
        policy,
        None,
    ]


def norm(text):
    return normalize(text)
