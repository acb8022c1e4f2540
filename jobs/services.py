"""Every write of background work: starting a job, its progress, its end, and the clean-up
of what has expired. Runners (the functions that build a file, named by ``Job.runner``)
take the job and a ``Progress`` and return an ``Output``; a ``JobError`` they raise is
shown to the user as the reason of the failure."""

from __future__ import annotations

import datetime
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Job, JobStatus, ScheduledRun

logger = logging.getLogger(__name__)

# Progress is written at most this often (the page polls every two seconds).
PROGRESS_EVERY_SECONDS = 1.0


class JobError(Exception):
    """A reason the user can act on (in Vietnamese), shown on "Tệp của tôi"."""


@dataclass
class Output:
    content: bytes
    file_name: str
    rows: int


class Progress:
    """Reports a running job's rows to its record, at most once a second, and beats its
    heart: the record tells the page how far the work is and the clean-up that the worker
    is alive."""

    def __init__(self, job: Job):
        self.job = job
        self._written_at = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - self._written_at < PROGRESS_EVERY_SECONDS and done != total:
            return
        self._written_at = now
        changes = {"rows_done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            changes["rows_total"] = total
            changes["rows_done"] = min(done, total)
        Job.objects.filter(pk=self.job.pk).update(**changes)


class Heartbeat(threading.Thread):
    """Beats a running job's heart every second from beside the runner, also through its
    long single steps (the first rows of a sorted province-wide query, the writing of the
    file), which report no rows: a job is judged stopped only when its worker is."""

    def __init__(self, job_id: int):
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(PROGRESS_EVERY_SECONDS):
                Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except DatabaseError:
            logger.warning("Heartbeat of background job %s stopped", self.job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def start_job(*, user, runner: str, title: str, params: dict, rows_total: int | None = None) -> Job:
    """Records the job and queues it for the worker once the record is committed."""
    from .tasks import run_job

    with transaction.atomic():
        job = Job.objects.create(user=user, runner=runner, title=title, params=params, rows_total=rows_total)
        transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def run_job(job_id: int) -> None:
    """Runs a queued job to its end: its file stored and kept for JOB_FILE_DAYS, or its
    reason recorded. A job already taken (by another worker, or failed as stale) is left."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not taken:
        return
    job = Job.objects.get(pk=job_id)
    heartbeat = Heartbeat(job.pk)
    heartbeat.start()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            output = import_string(job.runner)(job, Progress(job))
    except JobError as error:
        _fail(job, str(error))
        return
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.runner)
        _fail(
            job,
            _(
                "The file could not be built because of an unexpected error, recorded for the administrators. Try again later or tell them."
            ),
        )
        return
    finally:
        heartbeat.stop()
    job.refresh_from_db()
    if job.status != JobStatus.RUNNING:  # failed as stale meanwhile: its reason stands
        return
    job.file.save(output.file_name, ContentFile(output.content), save=False)
    job.file_name = output.file_name
    job.rows_done = output.rows
    job.rows_total = max(output.rows, job.rows_total or 0)
    job.status = JobStatus.DONE
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + datetime.timedelta(days=settings.JOB_FILE_DAYS)
    job.save()


def _fail(job: Job, reason: str) -> None:
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=reason, finished_at=timezone.now())


def fail_stale() -> int:
    """Jobs whose worker stopped (restarted, killed, out of memory) stop beating: after
    JOB_STALE_SECONDS they are marked failed with that reason, never left running."""
    limit = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    return Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=limit).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error=_(
            "The worker stopped while building the file (a restart or a lack of memory); nothing was kept. Build it again."
        ),
    )


def retry_job(*, job: Job, by) -> Job:
    """A failed job started again with the same parameters, for its owner."""
    return start_job(
        user=by, runner=job.runner, title=job.title, params=job.params, rows_total=job.rows_total
    )


def remove_expired() -> int:
    """Finished jobs past their keeping date, and failed ones as old, with their files."""
    now = timezone.now()
    old_failures = now - datetime.timedelta(days=settings.JOB_FILE_DAYS)
    expired = Job.objects.filter(
        Q(status=JobStatus.DONE, expires_at__lt=now)
        | Q(status=JobStatus.FAILED, finished_at__lt=old_failures)
    )
    files = list(expired.exclude(file="").values_list("file", flat=True))
    count, _by_model = expired.delete()
    storage = Job._meta.get_field("file").storage
    for name in files:
        storage.delete(name)
    return count


def record_run(*, run: ScheduledRun, ok: bool, result: str) -> None:
    ScheduledRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), ok=ok, result=result[:5000])
