"""Previews of review lists never confirmed hold personal data: the nightly clean-up deletes
those older than a day, and keeps the recent and the applied ones."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from households.imports import PREVIEW_KEPT
from households.models import ReviewImport


def _preview(world, *, age: datetime.timedelta, applied: bool = False) -> ReviewImport:
    preview = ReviewImport.objects.create(
        commune=world.iadom, year=2017, file_name="danh-sach.xlsx", sha256="0" * 64, uploaded_by=world.admin
    )
    ReviewImport.objects.filter(pk=preview.pk).update(
        uploaded_at=timezone.now() - age, applied_at=timezone.now() if applied else None
    )
    return preview


def test_the_nightly_clean_up_deletes_only_unconfirmed_previews_past_their_time(world):
    old = _preview(world, age=PREVIEW_KEPT + datetime.timedelta(minutes=5))
    recent = _preview(world, age=datetime.timedelta(hours=1))
    applied = _preview(world, age=PREVIEW_KEPT * 30, applied=True)
    out = io.StringIO()
    call_command("remove_expired_previews", stdout=out)
    assert set(ReviewImport.objects.values_list("pk", flat=True)) == {recent.pk, applied.pk}
    assert not ReviewImport.objects.filter(pk=old.pk).exists()
    assert out.getvalue().startswith("1 ")
