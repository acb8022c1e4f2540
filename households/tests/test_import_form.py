"""The import form: the year taken from the list's title, and the file kept across a try
with an error so the next try needs no file."""

import io
import re

import pytest
from django.urls import reverse

from households.models import ReviewImport
from households.tests.factories import SAMPLE, review_list, row
from organizations.models import Unit, UnitLevel


@pytest.fixture
def sample(world):
    for name in ("Làng 2", "Thôn 4"):  # the sample's areas
        Unit.objects.create(name=name, level=UnitLevel.AREA, parent=world.iadom)
    with open(SAMPLE, "rb") as fh:
        return fh.read()


def _file(content, name="danh-sach-ho-ngheo-ia-dom-2017.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _kept(body: str) -> str:
    return re.search(r'<input type="hidden" name="kept" value="([^"]*)"', body).group(1)


def test_import_form_takes_the_year_from_the_title(client_for, world, sample):
    client = client_for(world.mttq_iadom)
    response = client.post(
        reverse("households:import"), {"commune": world.iadom.pk, "year": "", "file": _file(sample)}
    )
    assert response.status_code == 302
    assert ReviewImport.objects.get().year == 2017
    body = client.get(response.url).content.decode()
    assert "Năm 2017 được lấy từ tiêu đề danh sách." in body


def test_import_form_asks_for_the_year_when_the_title_has_none(client_for, world):
    client = client_for(world.mttq_iadom)
    content = review_list([row(1, "Nay Blơi", area="Làng 1")], title=False)
    response = client.post(
        reverse("households:import"), {"commune": world.iadom.pk, "year": "", "file": _file(content)}
    )
    body = response.content.decode()
    assert response.status_code == 200 and not ReviewImport.objects.exists()
    assert "Tiêu đề danh sách không ghi năm" in body
    # The file is kept: the next try with the year and no file goes on to the preview.
    assert 'id="import-kept"' in body and "danh-sach-ho-ngheo-ia-dom-2017.xlsx" in body
    response = client.post(
        reverse("households:import"), {"commune": world.iadom.pk, "year": 2017, "kept": _kept(body)}
    )
    assert response.status_code == 302
    batch = ReviewImport.objects.get()
    assert batch.year == 2017 and batch.file_name == "danh-sach-ho-ngheo-ia-dom-2017.xlsx"


def test_import_form_keeps_the_file_when_the_commune_is_missing(client_for, world, sample):
    client = client_for(world.mttq_huyen)
    response = client.post(reverse("households:import"), {"commune": "", "year": "", "file": _file(sample)})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="import-kept"' in body
    response = client.post(
        reverse("households:import"), {"commune": world.iadom.pk, "year": "", "kept": _kept(body)}
    )
    assert response.status_code == 302 and ReviewImport.objects.get().year == 2017


def test_import_form_without_a_file_asks_for_it(client_for, world):
    client = client_for(world.mttq_iadom)
    body = client.post(
        reverse("households:import"), {"commune": world.iadom.pk, "year": 2017}
    ).content.decode()
    assert "Hãy chọn tệp danh sách rà soát." in body and not ReviewImport.objects.exists()


def test_import_form_refuses_a_token_of_another_user_or_altered(client_for, world, sample):
    body = (
        client_for(world.mttq_huyen)
        .post(reverse("households:import"), {"commune": "", "file": _file(sample)})
        .content.decode()
    )
    token = _kept(body)
    other = client_for(world.mttq_iadom)
    for kept in (token, token[:-2] + "xx"):
        response = other.post(reverse("households:import"), {"commune": world.iadom.pk, "kept": kept})
        assert response.status_code == 200
        assert "Tệp đã chọn trước đó không còn được giữ" in response.content.decode()
    assert not ReviewImport.objects.exists()
