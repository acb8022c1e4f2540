"""Tệp của tôi: the files the worker built for the user, with their progress; the download,
for the owner only (another user's file does not exist for them: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.ids import read_ids

from . import selectors, services
from .models import Job, JobStatus


def _state(job, now) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "line": selectors.progress_line(job, now),
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "seconds_left": selectors.seconds_left(job, now),
        "stopped": selectors.looks_stopped(job, now),
        "phase": selectors.phase(job),
        "error": job.error,
        "download_url": reverse("jobs:download", args=[job.pk]) if job.status == JobStatus.DONE else "",
    }


@login_required
def my_files(request):
    now = timezone.now()
    jobs = list(selectors.files_of(request.user)[:100])
    rows = [(job, _state(job, now)) for job in jobs]
    active = any(job.status in (JobStatus.QUEUED, JobStatus.RUNNING) for job in jobs)
    return render(request, "jobs/my_files.html", {"rows": rows, "active": active})


@login_required
def status(request):
    """The progress of the user's unfinished and just-finished jobs, polled by the page."""
    now = timezone.now()
    ids = read_ids(request.GET.getlist("id")[:100], Job)
    jobs = selectors.files_of(request.user).filter(pk__in=ids)
    return JsonResponse({"jobs": [_state(job, now) for job in jobs]})


@login_required
def download(request, pk: int):
    job = get_object_or_404(selectors.files_of(request.user), pk=pk, status=JobStatus.DONE)
    if not job.file or not job.file.storage.exists(job.file.name):
        raise Http404
    # The runner's own record of the download (the personal-data log of a household list).
    on_download = getattr(import_string(job.runner), "on_download", None)
    if on_download is not None:
        on_download(job)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)


@login_required
@require_POST
def retry(request, pk: int):
    job = get_object_or_404(selectors.files_of(request.user), pk=pk, status=JobStatus.FAILED)
    services.retry_job(job=job, by=request.user)
    messages.success(request, _("The file is being built again."))
    return redirect("jobs:my_files")
