"""Uploading a filled-in registration form: the form with one cell far
away (XFD1048576, AZ200000), on the form's sheet or on the lists sheet, is refused at upload
with a Vietnamese message before a cell is read; the draft stays as it was."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from devdata.registrations import full_items
from registrations import excel, services


@pytest.fixture
def filled(world, program, women_iadom):
    return services.save_items(
        registration=women_iadom,
        items=full_items(world, program, women_iadom),
        version=1,
        by=world.phunu_iadom,
    )


def _with_cell(data: bytes, sheet: str, cell: str) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    wb[sheet][cell] = "x"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _items(registration):
    return list(registration.items.order_by("order").values_list("kind", "description", "amount"))


@pytest.mark.parametrize(
    ("sheet", "cell", "reach"),
    [
        (excel.SHEET_TITLE, "XFD1048576", "dòng 1.048.576"),
        (excel.SHEET_TITLE, "AZ200000", "dòng 200.000"),
        (excel.LISTS_TITLE, "AZ200000", "dòng 200.000"),
        (excel.SHEET_TITLE, "AZ20", "cột AZ"),
    ],
)
def test_upload_limits_a_cell_far_away_is_refused_and_nothing_changes(
    client_for, world, filled, sheet, cell, reach
):
    client = client_for(world.phunu_iadom)
    data = client.get(reverse("registrations:registration_xlsx", args=[filled.pk])).content
    content = _with_cell(data, sheet, cell)
    assert len(content) < 20_000
    before = _items(filled)
    started = time.perf_counter()
    response = client.post(
        reverse("registrations:registration_upload", args=[filled.pk]),
        {"file": SimpleUploadedFile("bang-dang-ky.xlsx", content), "version": filled.version},
        follow=True,
    )
    assert time.perf_counter() - started < 5
    errors = [str(m) for m in response.context["messages"]]
    assert len(errors) == 1 and reach in errors[0] and "Trang tính" in errors[0], errors
    assert _items(filled) == before
    assert not filled.events.filter(action="uploaded").exists()


def test_upload_limits_the_reader_refuses_before_the_template_is_looked_at(world, filled):
    """parse_upload itself (the view's only reader) refuses the file."""
    data = excel.workbook_bytes(filled)
    result = excel.parse_upload(
        filled, SimpleUploadedFile("bang-dang-ky.xlsx", _with_cell(data, excel.SHEET_TITLE, "XFD1048576"))
    )
    assert result.items == [] and len(result.errors) == 1 and "1.048.576" in result.errors[0]
