import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.management import backup_tools


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by `manage.py backup`")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument(
            "--allow-readable",
            action="store_true",
            help="restore a backup that other users may read or change (refused by default)",
        )

    def handle(self, *args, path, interactive=True, allow_readable=False, **options):
        # Checked before the question: a refused file is refused without asking.
        if not Path(path).is_file():
            raise CommandError(f"restore failed: no such file {path}")
        if not allow_readable:
            try:
                backup_tools.refuse_if_shared(Path(path))
            except backup_tools.SharedBackup as exc:
                raise CommandError(f"restore refused: {exc}") from exc
        if interactive:
            answer = input(f"Every row of the database will be replaced by {path}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            backup_tools.restore(Path(path), allow_readable=allow_readable)
        except (
            subprocess.CalledProcessError,
            FileNotFoundError,
            NotImplementedError,
            backup_tools.SharedBackup,
        ) as exc:
            raise CommandError(f"restore failed: {getattr(exc, 'stderr', None) or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Database restored from {path}"))
