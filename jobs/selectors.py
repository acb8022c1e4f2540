"""What the pages read of background work."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job, JobStatus


def files_of(user) -> QuerySet[Job]:
    """The user's own jobs, newest first: nobody sees another's files."""
    return Job.objects.filter(user=user).order_by("-created_at", "-pk")


def seconds_left(job: Job, now: datetime.datetime | None = None) -> int | None:
    """The time a running job still needs at the pace of its rows so far; None when it
    cannot be told yet."""
    if job.status != JobStatus.RUNNING or not job.started_at or not job.rows_total or not job.rows_done:
        return None
    elapsed = ((now or timezone.now()) - job.started_at).total_seconds()
    return max(0, round(elapsed / job.rows_done * (job.rows_total - job.rows_done)))


def looks_stopped(job: Job, now: datetime.datetime | None = None) -> bool:
    """A running job silent for longer than its worker would be: shown as such until the
    worker's restart or the nightly clean-up marks it failed."""
    if job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    silent = ((now or timezone.now()) - job.heartbeat_at).total_seconds()
    return silent > settings.JOB_STALE_SECONDS


def phase(job: Job) -> str:
    """What a running job is doing when its rows do not move: reading before the first
    row, writing the file after the last."""
    if job.status != JobStatus.RUNNING:
        return ""
    if not job.rows_done:
        return _("reading the data")
    if job.rows_total and job.rows_done >= job.rows_total:
        return _("writing the file")
    return ""


def progress_line(job: Job, now: datetime.datetime | None = None) -> str:
    """The line under a job's progress bar, the same on the page and in its updates:
    "Đang tạo · 34.000 / 500.000 dòng · còn khoảng 52 giây"."""
    parts = [str(job.get_status_display())]
    if job.rows_total:
        parts.append(
            _("%(done)s of %(total)s rows")
            % {"done": intcomma(job.rows_done or 0), "total": intcomma(job.rows_total)}
        )
    left = seconds_left(job, now)
    if left is not None:
        parts.append(_("about %(seconds)s s left") % {"seconds": left})
    if phase(job):
        parts.append(phase(job))
    return " · ".join(parts)
