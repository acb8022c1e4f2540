"""The schedule the worker keeps (settings.SCHEDULE): each piece of work is a management
command run once a day at a local time. Every run is a ScheduledRun row, queued as a task
to run at its time (django-tasks' ``run_after``); when it has run, the next day's is queued.
No cron on the server: a worker that starts queues whatever is missing.

    SCHEDULE = {"reminders": {"at": "07:00", "command": ["send_reminders", "--days", "7"]}}
"""

from __future__ import annotations

import datetime
import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services
from .models import ScheduledRun

logger = logging.getLogger(__name__)


def entries() -> dict[str, dict]:
    return {name: entry for name, entry in settings.SCHEDULE.items() if entry.get("enabled", True)}


def next_due(at: str, now: datetime.datetime) -> datetime.datetime:
    """The next time of day ``at`` ("HH:MM", local time) after ``now``."""
    hour, minute = (int(part) for part in at.split(":"))
    local = timezone.localtime(now)
    due = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if due <= local:
        due += datetime.timedelta(days=1)
    return due


def ensure_scheduled(now: datetime.datetime | None = None) -> list[ScheduledRun]:
    """Queues the next run of each piece of work that has none waiting; returns those
    queued. Two workers starting together queue each slot once (unique name and time)."""
    from .tasks import run_scheduled

    now = now or timezone.now()
    queued = []
    for name, entry in entries().items():
        if ScheduledRun.objects.filter(name=name, started_at__isnull=True, due_at__gt=now).exists():
            continue
        # After the latest slot too: a run done early (by hand) does not queue its own slot again.
        latest = (
            ScheduledRun.objects.filter(name=name)
            .order_by("-due_at")
            .values_list("due_at", flat=True)
            .first()
        )
        due = next_due(entry["at"], max(now, latest) if latest else now)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=name, due_at=due)
                transaction.on_commit(
                    lambda run=run: run_scheduled.using(run_after=run.due_at).enqueue(run.pk)
                )
        except IntegrityError:
            continue
        queued.append(run)
    return queued


def run(run_id: int) -> None:
    """Runs one scheduled run's command (once, whoever asks twice), records what it printed
    or why it failed, then queues the next day's."""
    started = ScheduledRun.objects.filter(pk=run_id, started_at__isnull=True).update(
        started_at=timezone.now()
    )
    if not started:
        return
    scheduled = ScheduledRun.objects.get(pk=run_id)
    entry = settings.SCHEDULE.get(scheduled.name)
    output = io.StringIO()
    try:
        if entry is None:
            raise LookupError(f"{scheduled.name} is no longer in SCHEDULE")
        call_command(*entry["command"], stdout=output, stderr=output)
    except Exception as error:  # logged and recorded for the administrators' page, never lost
        logger.exception("Scheduled run %s (%s) failed", scheduled.pk, scheduled.name)
        services.record_run(
            run=scheduled, ok=False, result=f"{output.getvalue()}\n{type(error).__name__}: {error}"
        )
    else:
        services.record_run(run=scheduled, ok=True, result=output.getvalue())
    ensure_scheduled()
