"""A registration as a document to print or to edit in Word: the same header, rows and
signature as its Excel file, behind the same access check and personal-data log."""

import io

import pytest
from django.urls import reverse
from docx import Document

from core.documents import MOTTO
from devdata.registrations import full_items
from households.models import AccessAction, Household, PersonalDataAccess
from registrations import services

PLEDGE = 3  # the position of the pledge among full_items


@pytest.fixture
def filled(world, program, women_iadom):
    return services.save_items(
        registration=women_iadom,
        items=full_items(world, program, women_iadom),
        version=1,
        by=world.phunu_iadom,
    )


def _texts(doc) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def _docx(client, registration):
    response = client.get(reverse("registrations:registration_docx", args=[registration.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2017.docx"')
    return Document(io.BytesIO(response.content))


def test_docx_has_the_official_header_items_and_signature(client_for, world, filled):
    doc = _docx(client_for(world.phunu_iadom), filled)
    texts = _texts(doc)
    assert MOTTO[0] in texts and MOTTO[1] in texts
    assert "HỘI LIÊN HIỆP PHỤ NỮ HUYỆN ĐỨC CƠ" in texts  # the superior body
    assert "HỘI LIÊN HIỆP PHỤ NỮ XÃ IA DOM" in texts  # the issuing organization
    assert "Số:      /ĐK" in texts and any(t.startswith("Ia Dom, ngày ") for t in texts)
    assert "BẢNG ĐĂNG KÝ NĂM 2017" in texts
    assert "TM. BAN CHẤP HÀNH" in texts and "CHỦ TỊCH" in texts
    items = doc.tables[1]
    cells = [[c.text for c in row.cells] for row in items.rows]
    assert cells[1][2] == "Phát triển kinh tế hộ"
    assert "5.000.000" in [c for row in cells for c in row]  # the fund target, grouped
    # A form of sixteen columns: A4 landscape.
    assert {round(s.page_width.mm) for s in doc.sections} == {297}
    assert {round(s.page_height.mm) for s in doc.sections} == {210}


def test_print_view_shows_the_document(client_for, world, filled):
    response = client_for(world.phunu_iadom).get(
        reverse("registrations:registration_print", args=[filled.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert MOTTO[0] in body and "HỘI LIÊN HIỆP PHỤ NỮ XÃ IA DOM" in body
    assert "BẢNG ĐĂNG KÝ NĂM 2017" in body and "TM. BAN CHẤP HÀNH" in body
    assert "Phát triển kinh tế hộ" in body and "5.000.000" in body
    assert "data-print" in body and "<script>" not in body


def test_named_households_are_shown_by_name_and_the_export_logged(client_for, world, program, women_iadom):
    bia = Household.objects.create(area=world.iadom_areas[0], head_name="Rơ Mah H' Bia")
    rows = full_items(world, program, women_iadom)
    rows[PLEDGE]["households"] = [bia]
    services.save_items(registration=women_iadom, items=rows, version=1, by=world.phunu_iadom)
    client = client_for(world.phunu_iadom)
    texts = _texts(_docx(client, women_iadom))
    assert "Rơ Mah H' Bia" in texts  # a name to read, without the upload's code
    assert client.get(reverse("registrations:registration_print", args=[women_iadom.pk])).status_code == 200
    logged = PersonalDataAccess.objects.filter(user=world.phunu_iadom, action=AccessAction.EXPORT)
    assert logged.count() == 2 and {log.row_count for log in logged} == {1}


def test_a_registration_without_named_households_logs_nothing(client_for, world, filled):
    _docx(client_for(world.phunu_iadom), filled)
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("name", ["registrations:registration_print", "registrations:registration_docx"])
def test_a_registration_outside_scope_is_404(client_for, world, women_iakla, name):
    assert client_for(world.phunu_iadom).get(reverse(name, args=[women_iakla.pk])).status_code == 404


def test_detail_page_offers_print_and_word(client_for, world, filled):
    body = client_for(world.phunu_iadom).get(reverse("registrations:registration_detail", args=[filled.pk]))
    body = body.content.decode()
    assert f'href="/registrations/{filled.pk}/print/"' in body
    assert f'href="/registrations/{filled.pk}/docx/"' in body
