"""cegah derive: recompute every derived data value (sites registered and functioning,
mean maturity, drug-prone areas by category …) from the records they come from, in every
regency and province. The services keep them current on every change; run this after
loading records by other means, or to repair."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from cegah.indicators import derived


class Command(BaseCommand):
    help = "Recompute every derived data value from the records it comes from."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **opts):
        started = time.monotonic()
        bar = None if opts["quiet"] else tqdm(desc="Derived values", unit=" regions")
        with transaction.atomic():
            change = derived.rebuild(progress=bar)
        if bar is not None:
            bar.close()
        self.stdout.write(
            f"Derived data values: {change.created:,} created, {change.updated:,} updated, "
            f"{change.deleted:,} deleted ({time.monotonic() - started:.1f} s)."
        )
