import time

from django.core.management.base import BaseCommand

from core.summaries import SUMMARIES


class Command(BaseCommand):
    help = (
        "Recount the summary figures from the raw records: the households' (the sponsorship gap; "
        "sponsorships, supports and funding) per residential area and per commune and year, the "
        "fund per Front level and year, and the registrations' items per kind and result; "
        "--check only reports rows that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="compare only, change nothing")

    def handle(self, *args, check, **options):
        differ_total = 0
        for name, summary in SUMMARIES:
            started = time.monotonic()
            if not check:
                rows = summary.rebuild()
                self.stdout.write(
                    self.style.SUCCESS(f"{name}: {rows} rows rebuilt ({time.monotonic() - started:.1f} s).")
                )
                continue
            counted, stored = summary.recount_all(), summary.stored()
            counted = {key: row for key, row in counted.items() if any(row.values())}
            differ = sorted(set(counted) ^ set(stored) | {k for k in counted if stored.get(k) != counted[k]})
            for key in differ[:20]:
                self.stdout.write(f"{name} {key}: {stored.get(key)} != {counted.get(key)}")
            self.stdout.write(f"{name}: {len(differ)} rows differ ({time.monotonic() - started:.1f} s)")
            differ_total += len(differ)
        if differ_total:
            raise SystemExit(1)
