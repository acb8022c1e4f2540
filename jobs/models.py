"""Long work done by the worker instead of the request: a file to build for a user (an
export of the province's households takes tens of seconds), and the runs of the schedule
(reminders, clean-up, backup). The queue itself is Django's task framework (django-tasks,
its database backend); these records are what users and administrators read: progress,
the finished file, the reason of a failure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", pgettext_lazy("background job", "Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A file built in the background for its owner, who alone may download it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    # The dotted path of the function that builds the file (set by code, never by a user).
    runner = models.CharField(_("runner"), max_length=200)
    title = models.CharField(_("name of the file"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Written with the progress: a running job whose worker died stops beating.
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("reason of the failure"), blank=True)
    file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        verbose_name = _("background file")
        verbose_name_plural = _("background files")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="jobs_job_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_total__isnull=True) | Q(rows_done__lte=models.F("rows_total")),
                name="jobs_job_done_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""),
                name="jobs_job_done_has_file",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


class ScheduledRun(models.Model):
    """One run of a scheduled piece of work (settings.SCHEDULE): when it was due, when it
    ran and what came of it. One row per name and due time, so two workers never run the
    same slot twice."""

    name = models.CharField(_("work"), max_length=50)
    due_at = models.DateTimeField(_("due at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), null=True)
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "due_at"], name="jobs_scheduledrun_once_per_slot")
        ]

    def __str__(self):
        return f"{self.name} {self.due_at:%Y-%m-%d %H:%M}"
