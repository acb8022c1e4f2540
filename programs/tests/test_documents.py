import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from devdata.activities import make_program_with_fields
from programs import services as program_services
from programs.models import ProgramDocument

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def program(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_program_with_fields(world)


def _form(program, **overrides):
    data = {
        "program": program.pk,
        "direction": "incoming",
        "number": "1002/MTTQ-BTT",
        "issued_on": "12/05/2017",
        "issuing_body": "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Gia Lai",
        "subject": "Đăng ký nội dung thực hiện Cuộc vận động",
        "received_on": "15/05/2017",
        "forwarded_to": "Văn phòng",
        "file_number": "12",
    }
    data.update(overrides)
    return data


def _document(world, program, content=PDF):
    return program_services.save_document(
        by=world.admin,
        upload=SimpleUploadedFile("cong van.pdf", content, content_type="application/pdf"),
        program=program,
        direction="incoming",
        number="1002/MTTQ-BTT",
        issued_on=datetime.date(2017, 5, 12),
        issuing_body="MTTQ tỉnh",
        subject="Đăng ký",
        received_on=None,
        forwarded_to="",
        file_number="",
    )


def test_document_recorded_with_pdf_and_downloaded(client_for, world, program):
    client = client_for(world.mttq_huyen)
    upload = SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("programs:document_create"), {**_form(program), "upload": upload})
    assert response.status_code == 302
    document = ProgramDocument.objects.get()
    assert document.attachment_size == len(PDF)
    page = client.get(reverse("programs:document_list")).content.decode()
    assert "1002/MTTQ-BTT" in page and "15/05/2017" in page and "Văn bản đến" in page
    download = client.get(reverse("programs:document_file", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_document_fake_pdf_refused(client_for, world, program):
    upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(world.mttq_huyen).post(
        reverse("programs:document_create"), {**_form(program), "upload": upload}
    )
    assert response.status_code == 200 and "không phải văn bản PDF" in response.content.decode()
    assert not ProgramDocument.objects.exists()


def test_document_oversize_refused(client_for, world, program, monkeypatch):
    monkeypatch.setattr(program_services, "DOCUMENT_MAX_BYTES", 1024)
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = client_for(world.mttq_huyen).post(
        reverse("programs:document_create"), {**_form(program), "upload": upload}
    )
    assert response.status_code == 200 and "Tệp quá lớn" in response.content.decode()
    assert not ProgramDocument.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"received_on": "01/05/2017"}, "Ngày đến không được trước"),
        ({"issued_on": "01/01/2999"}, "tương lai"),
        ({"number": ""}, "bắt buộc"),
    ],
)
def test_document_bad_dates_refused(client_for, world, program, overrides, message):
    response = client_for(world.mttq_huyen).post(
        reverse("programs:document_create"), _form(program, **overrides)
    )
    assert response.status_code == 200 and message in response.content.decode()


def test_document_served_only_in_scope(client_for, world, program):
    document = _document(world, program)
    # A commune sees the district program but not the district Front's document registry.
    for user in (world.mttq_iadom, world.phunu_iadom):
        client = client_for(user)
        assert client.get(reverse("programs:document_file", args=[document.pk])).status_code == 404
        assert client.get(reverse("programs:document_update", args=[document.pk])).status_code == 404
    viewer = client_for(world.lanhdao)
    assert viewer.get(reverse("programs:document_file", args=[document.pk])).status_code == 200
    assert (
        viewer.post(reverse("programs:document_update", args=[document.pk]), _form(program)).status_code
        == 403
    )
    assert client_for(world.nongdan_huyen).get(reverse("programs:document_create")).status_code == 403


def test_document_anonymous_redirected(client, world, program):
    document = _document(world, program)
    assert client.get(reverse("programs:document_file", args=[document.pk])).status_code == 302
