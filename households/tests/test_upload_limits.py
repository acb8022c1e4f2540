"""Uploading a review list: a crafted file whose sheet reaches far
(the template with one cell at XFD1048576 or AZ200000) is refused at upload with a Vietnamese
message and nothing is kept; the file is read once, at upload, and the preview and the
confirmation work from what that read kept; a refused list leaves nothing behind."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from households import exporters, imports
from households.models import Household, ReviewImport
from households.tests.factories import SAMPLE, review_list, row
from organizations.models import Unit, UnitLevel

YEAR = 2017


@pytest.fixture
def iadom(world):
    """Ia Dom with the four areas of the sample list."""
    for name in ("Làng 2", "Thôn 4"):
        Unit.objects.create(name=name, level=UnitLevel.AREA, parent=world.iadom)
    return world.iadom


def _template_with(cell: str) -> bytes:
    """The portal's own import template, with one more cell far away."""
    wb = load_workbook(io.BytesIO(exporters.template_workbook()))
    wb.active[cell] = "x"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _post(client, content: bytes, commune, name="ds.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("households:import"), {"commune": commune.pk, "year": YEAR, "file": upload})


def _sample() -> bytes:
    with open(SAMPLE, "rb") as fh:
        return fh.read()


@pytest.mark.parametrize(("cell", "row_number"), [("XFD1048576", "1.048.576"), ("AZ200000", "200.000")])
def test_upload_limits_a_cell_far_away_is_refused_at_upload_and_nothing_kept(
    client_for, world, iadom, cell, row_number
):
    content = _template_with(cell)
    assert len(content) < 10_000
    started = time.perf_counter()
    response = _post(client_for(world.mttq_iadom), content, iadom)
    assert time.perf_counter() - started < 5
    assert response.status_code == 200  # the form again, with the reason; no preview
    body = response.content.decode()
    assert f"kéo dài đến dòng {row_number}" in body and "Hãy xóa các dòng trống" in body
    assert not ReviewImport.objects.exists() and Household.objects.count() == 0


def test_upload_limits_the_service_refuses_it_too(world, iadom):
    with pytest.raises(ValidationError):
        imports.upload_review_list(
            commune=iadom,
            year=YEAR,
            file_name="ds.xlsx",
            content=_template_with("AZ200000"),
            by=world.mttq_iadom,
        )
    assert not ReviewImport.objects.exists()


def test_upload_limits_the_upload_keeps_no_file():
    """What an upload keeps is what its file held, not the file."""
    fields = ReviewImport._meta.get_fields()
    assert not [f.name for f in fields if isinstance(f, (models.BinaryField, models.FileField))]


def test_upload_limits_preview_and_confirm_work_from_what_the_upload_read(client_for, world, iadom):
    """The preview and the confirmation do not read the file again: what they show and apply
    is what the upload kept (changed here, as no file is there to read)."""
    client = client_for(world.mttq_iadom)
    response = _post(client, _sample(), iadom)
    assert response.status_code == 302
    batch = ReviewImport.objects.get()
    assert len(batch.parsed["rows"]) == 40
    name_at = batch.parsed["keys"].index("name") + 1
    first = batch.parsed["rows"][0]
    original = first[name_at]
    first[name_at] = "Siu H' Mai (đọc từ bản đã lưu)"
    ReviewImport.objects.filter(pk=batch.pk).update(parsed=batch.parsed)
    preview = client.get(response.url).content.decode()
    assert "Siu H&#x27; Mai (đọc từ bản đã lưu)" in preview and "Thêm mới: 40" in preview
    assert client.post(reverse("households:import_confirm", args=[batch.pk])).status_code == 302
    assert Household.objects.count() == 40
    assert Household.objects.filter(head_name="Siu H' Mai (đọc từ bản đã lưu)").exists()
    assert not Household.objects.filter(head_name=original).exists()
    applied = ReviewImport.objects.get()
    assert applied.parsed == {} and applied.summary["create"] == 40  # the summary, not the rows
    after = client.get(response.url, follow=True)
    assert after.redirect_chain[-1][0] == reverse("households:list")
    assert "Tệp này đã được nhập." in after.content.decode()


def test_upload_limits_a_list_with_errors_is_shown_and_not_kept(client_for, world, iadom):
    content = review_list([row(1, "Nay Blơi", area="Làng Xa"), row(2, "Siu H' Nga", area="Làng 2")])
    response = _post(client_for(world.mttq_iadom), content, iadom, name="danh-sach.xlsx")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in body
    assert "danh-sach.xlsx" in body and "“Làng Xa” không phải" in body
    assert 'action="/households/import/' not in body  # nothing to confirm
    assert not ReviewImport.objects.exists() and Household.objects.count() == 0


def test_upload_limits_a_file_that_cannot_be_read_is_not_kept(world, iadom):
    with pytest.raises(ValidationError):
        imports.upload_review_list(
            commune=iadom, year=YEAR, file_name="ds.xlsx", content=b"PK not a zip", by=world.mttq_iadom
        )
    assert not ReviewImport.objects.exists()
