from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app may have a ``demo`` module with ``load(context)``; they run in this order,
# each one building on what the ones before it put in ``context``.
DEMO_APPS = ["organizations", "campaigns", "households", "reports"]


class Command(BaseCommand):
    help = "Load the Đức Cơ demo data (idempotent). Refused in production mode."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo is for demonstration only and refuses to run with DEBUG=0.")
        context: dict = {}
        with transaction.atomic():
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").load(context)
                    self.stdout.write(f"{app}: ok")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Password of every demo account: DucCo@2017"))
