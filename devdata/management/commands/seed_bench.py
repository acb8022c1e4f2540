import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from devdata import bench
from organizations.models import Unit


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with benchmark data: tiny (tests), district (Đức Cơ) or province "
        "(the whole of Gia Lai before 2025). Builders: devdata/bench/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["tiny", "district", "province"], default="district")

    def handle(self, *args, scale, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_bench refuses to run with DEBUG=0.")
        if Unit.objects.exists():
            raise CommandError("seed_bench needs an empty database (migrate a fresh one).")
        context: dict = {"scale": scale}
        with transaction.atomic():
            for builder in bench.BUILDERS:
                started = time.monotonic()
                builder.load(context)
                self.stdout.write(
                    f"{builder.__name__.rsplit('.', 1)[-1]}: {time.monotonic() - started:.1f} s"
                )
        if connection.vendor == "postgresql":
            # Fresh bulk loads have no planner statistics (without them PostgreSQL picks
            # nested loops that take seconds) and no visibility map (every index-only scan
            # then reads the table too); autovacuum does both in production.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Benchmark data ({scale}) loaded."))
