"""The services that keep an uploaded review list for its preview and apply it: the views
write nothing. A confirmation runs under a lock on the upload's row, so two confirmations of
the same upload apply it once."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from households import imports
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


def _sample() -> bytes:
    with open(SAMPLE, "rb") as fh:
        return fh.read()


def _upload(world, commune, content=None, by=None):
    return imports.upload_review_list(
        commune=commune,
        year=YEAR,
        file_name="ds.xlsx",
        content=content or _sample(),
        by=by or world.mttq_iadom,
    )


def test_import_services_upload_keeps_the_rows_and_drops_old_previews(world, iadom):
    old = _upload(world, iadom)
    ReviewImport.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=2))
    batch = _upload(world, iadom)
    assert (
        len(batch.parsed["rows"]) == 40 and batch.uploaded_by == world.mttq_iadom and len(batch.sha256) == 64
    )
    assert list(ReviewImport.objects.values_list("pk", flat=True)) == [batch.pk]
    assert Household.objects.count() == 0


def test_import_services_upload_refuses_a_file_that_is_not_xlsx_and_keeps_nothing(world, iadom):
    with pytest.raises(ValidationError):
        _upload(world, iadom, content=b"not an excel file")
    assert not ReviewImport.objects.exists()


def test_import_services_upload_out_of_scope_or_read_only_is_refused(world, iadom):
    with pytest.raises(Http404):  # another commune: outside the officer's scope
        _upload(world, world.iakla)
    with pytest.raises(PermissionDenied):
        _upload(world, iadom, by=world.lanhdao)
    assert not ReviewImport.objects.exists()


def test_import_services_confirm_twice_applies_once(world, iadom):
    """The second confirmation of an upload, even with the upload as it was read before the
    first (both views read it before either applied it), changes nothing."""
    batch = _upload(world, iadom)
    stale = ReviewImport.objects.get(pk=batch.pk)
    plan = imports.confirm_review_list(batch=batch, by=world.mttq_iadom)
    assert plan.summary["create"] == 40 and Household.objects.count() == 40
    applied = ReviewImport.objects.get(pk=batch.pk)
    assert applied.applied_at is not None and applied.summary == plan.summary and applied.parsed == {}
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        imports.confirm_review_list(batch=stale, by=world.mttq_iadom)
    assert error.value.code == imports.ALREADY_APPLIED
    assert error.value.messages == ["Tệp này đã được nhập."]
    assert Household.objects.count() == 40
    assert ReviewImport.objects.get(pk=batch.pk).applied_at == applied.applied_at


def test_import_services_confirm_by_another_user_is_refused(world, iadom):
    batch = _upload(world, iadom)
    with pytest.raises(PermissionDenied):
        imports.confirm_review_list(batch=batch, by=world.mttq_huyen)
    assert Household.objects.count() == 0 and ReviewImport.objects.get().applied_at is None


def test_import_services_confirm_of_a_file_with_errors_changes_nothing(world, iadom):
    """A list with errors is refused at upload (nothing kept); one whose rows no longer fit
    the database at confirmation (its area renamed meanwhile) changes nothing either."""
    with pytest.raises(imports.ListRefused):
        _upload(world, iadom, content=review_list([row(1, "Nay Blơi", area="Làng Xa")]))
    assert not ReviewImport.objects.exists()
    batch = _upload(world, iadom, content=review_list([row(1, "Nay Blơi", area="Làng 2")]))
    Unit.objects.filter(parent=iadom, name="Làng 2").update(name="Làng Hai", name_normalized="lang hai")
    with pytest.raises(ValidationError) as error:
        imports.confirm_review_list(batch=batch, by=world.mttq_iadom)
    assert error.value.code != imports.ALREADY_APPLIED
    assert Household.objects.count() == 0
    kept = ReviewImport.objects.get()
    assert kept.applied_at is None and kept.parsed["rows"]  # still there to preview


def test_import_views_second_confirm_says_already_applied(client_for, world, iadom):
    client = client_for(world.mttq_iadom)
    batch = _upload(world, iadom)
    url = reverse("households:import_confirm", args=[batch.pk])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("households:list")
    assert "Tệp này đã được nhập." in response.content.decode()
    assert Household.objects.count() == 40


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two confirmations at once need row locks (SELECT … FOR UPDATE): SQLite locks the whole file",
)
@pytest.mark.django_db(transaction=True)
def test_import_services_two_confirms_at_once_apply_once(world, iadom):
    batch = _upload(world, iadom)
    first_done, outcome = threading.Event(), []

    def second_confirm():
        try:
            first_done.wait(5)
            imports.confirm_review_list(batch=batch, by=world.mttq_iadom)  # waits for the first's commit
        except ValidationError as error:
            outcome.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            outcome.append(error)
        else:
            outcome.append("applied twice")
        finally:
            connection.close()

    thread = threading.Thread(target=second_confirm)
    thread.start()
    with transaction.atomic():
        imports.confirm_review_list(batch=batch, by=world.mttq_iadom)
        first_done.set()
        thread.join(1)  # the second confirmation is blocked on the upload's row meanwhile
        assert thread.is_alive()
    thread.join(30)
    assert outcome == [imports.ALREADY_APPLIED]
    assert Household.objects.count() == 40
