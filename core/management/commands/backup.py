import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.management import backup_tools


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc for PostgreSQL, a consistent copy for SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="file to write; default backups/portal-<time>.<ext>")

    def handle(self, *args, path=None, **options):
        if path is None:
            ext = "dump" if backup_tools.vendor() == "postgresql" else "sqlite3"
            path = f"backups/portal-{timezone.now():%Y%m%d-%H%M%S}.{ext}"
        try:
            written = backup_tools.backup(Path(path))
        except (subprocess.CalledProcessError, FileNotFoundError, NotImplementedError) as exc:
            raise CommandError(f"backup failed: {getattr(exc, 'stderr', None) or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written} ({written.stat().st_size} bytes)"))
