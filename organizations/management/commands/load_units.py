from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organizations.models import UnitLevel
from organizations.services import load_official_units


class Command(BaseCommand):
    help = (
        "Load a province or a district by its official (pre-2025) code, with all its communes, "
        "and create the Front and the five organizations at each. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", type=int, help="e.g. 64 (Gia Lai) or 631 (Đức Cơ)")
        parser.add_argument(
            "--level",
            choices=[UnitLevel.PROVINCE, UnitLevel.DISTRICT],
            help="Which level the code names when a province and a district share it "
            "(default: a province if one has the code, else a district).",
        )

    def handle(self, *args, code, level, **options):
        try:
            counts = load_official_units(code, level=level)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{counts['created']} units created, {counts['existing']} already there.")
        )
