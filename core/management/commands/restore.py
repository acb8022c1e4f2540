import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.management import backup_tools


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by `manage.py backup`")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, path, interactive=True, **options):
        if interactive:
            answer = input(f"Every row of the database will be replaced by {path}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            backup_tools.restore(Path(path))
        except (subprocess.CalledProcessError, FileNotFoundError, NotImplementedError) as exc:
            raise CommandError(f"restore failed: {getattr(exc, 'stderr', None) or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Database restored from {path}"))
