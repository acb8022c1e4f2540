"""Review-list previews never confirmed, deleted once they are a day old (they hold the
list's personal data); run nightly by the worker's schedule (settings.SCHEDULE)."""

from django.core.management.base import BaseCommand

from households.imports import remove_expired_previews


class Command(BaseCommand):
    help = "Delete review-list previews left unconfirmed past their keeping time."

    def handle(self, *args, **options):
        self.stdout.write(f"{remove_expired_previews()} expired previews deleted.")
