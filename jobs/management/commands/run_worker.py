"""The worker: queues the schedule's missing runs, then runs tasks as they come (the
database backend's ``db_worker``). `make run` starts it beside the web server; production
runs it as its own service (docs/deployment.md)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs import schedule, services


class Command(BaseCommand):
    help = "Run background tasks and the daily schedule."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then stop")

    def handle(self, *args, batch=False, **options):
        services.fail_stale()
        schedule.ensure_scheduled()
        worker = ["db_worker", "--no-startup-delay"]
        if batch:
            worker.append("--batch")
        call_command(*worker)
