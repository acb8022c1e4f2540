"""The daily clean-up of background work: files past their keeping date removed, jobs whose
worker stopped marked failed (settings.SCHEDULE runs it; it can be run by hand)."""

from django.core.management.base import BaseCommand

from jobs import services


class Command(BaseCommand):
    help = "Remove expired background files and mark stopped jobs as failed."

    def handle(self, *args, **options):
        stale = services.fail_stale()
        removed = services.remove_expired()
        self.stdout.write(f"{removed} expired files removed, {stale} stopped jobs marked failed.")
