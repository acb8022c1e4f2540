from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devdata import demo


class Command(BaseCommand):
    help = "Load the Đức Cơ demo data (idempotent). Refused in production mode."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo is for demonstration only and refuses to run with DEBUG=0.")
        context: dict = {}
        with transaction.atomic():
            for builder in demo.BUILDERS:
                builder.load(context)
                self.stdout.write(f"{builder.__name__.rsplit('.', 1)[-1]}: ok")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Password of every demo account: DucCo@2017"))
