import time

from django.core.management.base import BaseCommand

from households import gaps


class Command(BaseCommand):
    help = (
        "Recount the sponsorship gap's summary figures (per residential area and year) from the "
        "households, their statuses and sponsorships; --check only reports rows that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only, change nothing")

    def handle(self, *args, check, **options):
        started = time.monotonic()
        if check:
            counted, stored = gaps.recount_all(), gaps.stored()
            counted = {key: row for key, row in counted.items() if any(row.values())}
            differ = sorted(set(counted) ^ set(stored) | {k for k in counted if stored.get(k) != counted[k]})
            for area, year in differ[:20]:
                self.stdout.write(
                    f"area {area} year {year}: {stored.get((area, year))} != {counted.get((area, year))}"
                )
            self.stdout.write(f"{len(differ)} rows differ ({time.monotonic() - started:.1f} s)")
            if differ:
                raise SystemExit(1)
            return
        rows = gaps.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Gap summary rebuilt: {rows} rows ({time.monotonic() - started:.1f} s).")
        )
