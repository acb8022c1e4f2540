"""A replaced attachment's file leaves the storage once the change is committed, never before
and never when the change is rolled back (replaced evidence files used to stay
on disk). The item's evidence and a program document's PDF."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from devdata.activities import make_program_with_fields
from programs import services as program_services
from registrations import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _evidence(registration, item, name, by):
    return services.save_results(
        registration=registration,
        results={
            item.pk: {
                "result": "partly",
                "evidence": SimpleUploadedFile(name, PDF, content_type="application/pdf"),
            }
        },
        version=registration.version,
        by=by,
    )


def test_attachment_files_replaced_evidence_removed_after_the_commit(
    world, accepted, media, django_capture_on_commit_callbacks
):
    item = accepted.items.first()
    with django_capture_on_commit_callbacks(execute=True):
        registration = _evidence(accepted, item, "bien-ban.pdf", world.phunu_iadom)
    item.refresh_from_db()
    old = item.evidence.name
    assert default_storage.exists(old)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = _evidence(registration, item, "bien-ban-moi.pdf", world.phunu_iadom)
        assert default_storage.exists(old)  # not before the commit
    assert callbacks
    for callback in callbacks:  # the commit
        callback()
    item.refresh_from_db()
    assert item.evidence.name != old and default_storage.exists(item.evidence.name)
    assert not default_storage.exists(old)
    assert [p.name for p in (media / "evidence").rglob("*.pdf")] == [item.evidence.name.rsplit("/", 1)[-1]]


def test_attachment_files_replaced_evidence_kept_when_the_change_rolls_back(
    world, accepted, media, django_capture_on_commit_callbacks
):
    item = accepted.items.first()
    with django_capture_on_commit_callbacks(execute=True):
        registration = _evidence(accepted, item, "bien-ban.pdf", world.phunu_iadom)
    item.refresh_from_db()
    old = item.evidence.name

    class Rollback(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Rollback), transaction.atomic():
            _evidence(registration, item, "bien-ban-moi.pdf", world.phunu_iadom)
            raise Rollback
    assert callbacks == []
    item.refresh_from_db()
    assert item.evidence.name == old and default_storage.exists(old)


def test_attachment_files_evidence_refused_keeps_the_old_file(
    world, accepted, media, django_capture_on_commit_callbacks
):
    """A replacement the service refuses (not a PDF) removes nothing."""
    item = accepted.items.first()
    with django_capture_on_commit_callbacks(execute=True):
        registration = _evidence(accepted, item, "bien-ban.pdf", world.phunu_iadom)
    item.refresh_from_db()
    old = item.evidence.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        services.save_results(
            registration=registration,
            results={item.pk: {"evidence": SimpleUploadedFile("virus.pdf", b"MZ\x90", "application/pdf")}},
            version=registration.version,
            by=world.phunu_iadom,
        )
    assert callbacks == [] and default_storage.exists(old)


def test_attachment_files_replaced_document_pdf_removed_after_the_commit(
    world, media, django_capture_on_commit_callbacks
):
    program = make_program_with_fields(world)
    fields = {
        "program": program,
        "direction": "incoming",
        "number": "1002/MTTQ-BTT",
        "issued_on": datetime.date(2017, 5, 12),
        "issuing_body": "MTTQ tỉnh",
        "subject": "Đăng ký",
        "received_on": None,
        "forwarded_to": "",
        "file_number": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        document = program_services.save_document(
            by=world.admin, upload=SimpleUploadedFile("cong van.pdf", PDF), **fields
        )
    old = document.attachment.name
    assert default_storage.exists(old)

    class Rollback(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Rollback), transaction.atomic():
            program_services.save_document(
                by=world.admin, document=document, upload=SimpleUploadedFile("ban moi.pdf", PDF), **fields
            )
            raise Rollback
    assert callbacks == [] and default_storage.exists(old)
    document.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = program_services.save_document(
            by=world.admin, document=document, upload=SimpleUploadedFile("ban moi.pdf", PDF), **fields
        )
        assert default_storage.exists(old)  # not before the commit
    for callback in callbacks:
        callback()
    assert document.attachment.name != old and default_storage.exists(document.attachment.name)
    assert not default_storage.exists(old)
