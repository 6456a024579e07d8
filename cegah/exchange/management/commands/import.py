"""cegah import FILE: import data values from a DHIS2 dataValueSets JSON, DHIS2 CSV or XLSX
template file through the one write path. Prints the DHIS2-shaped summary; the exit code
is 1 when there are conflicts."""

import json
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cegah.exchange import services


class Command(BaseCommand):
    help = "Import data values from a JSON (DHIS2 dataValueSets), CSV (DHIS2) or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--user",
            help="import as this user (their jurisdiction applies); default: the system",
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="write the valid rows even if others are in conflict (atomicMode NONE)",
        )
        parser.add_argument(
            "--strategy",
            default="CREATE_AND_UPDATE",
            help="DHIS2's importStrategy: CREATE, UPDATE, CREATE_AND_UPDATE (default) or DELETE",
        )
        parser.add_argument(
            "--language",
            choices=["id", "en"],
            default=None,
            help="how people wrote numbers in a spreadsheet (';' CSV, XLSX text cells): "
            "id (3.000 is three thousand; the default) or en",
        )
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, **opts):
        actor = None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"]).first()
            if actor is None:
                raise CommandError(f"No user {opts['user']!r}.")
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No file {str(path)!r}.")
        size = path.stat().st_size
        if size > services.max_bytes():
            data = b""  # not read: refused below with the size conflict
        else:
            data = path.read_bytes()
        bar = tqdm(
            total=0,
            desc="Checking rows",
            unit="rows",
            file=sys.stderr,
            disable=opts["json"] or opts["verbosity"] == 0,
            leave=False,
        )

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.set_description("Writing" if done == total else "Checking rows")
            bar.refresh()

        started = time.perf_counter()
        if size > services.max_bytes():
            summary = services.refused(services.too_large_conflict(size), opts["dry_run"])
        else:
            try:
                summary = services.import_file(
                    actor,
                    data,
                    filename=path.name,
                    dry_run=opts["dry_run"],
                    atomic=not opts["partial"],
                    progress=progress,
                    strategy=opts["strategy"],
                    language=opts["language"] or settings.LANGUAGE_CODE,
                )
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from None
        seconds = time.perf_counter() - started
        bar.close()
        result = summary.as_dict()
        if opts["json"]:
            self.stdout.write(json.dumps({**result, "seconds": round(seconds, 3)}))
        else:
            self._print(result, seconds)
        if summary.conflicts:
            raise CommandError(
                f"{len(summary.conflicts)} conflict(s)"
                + ("; nothing was written." if not (summary.imported or summary.updated) else "."),
                returncode=1,
            )

    def _print(self, result, seconds):
        count = result["importCount"]
        style = {"SUCCESS": self.style.SUCCESS, "WARNING": self.style.WARNING}.get(
            result["status"], self.style.ERROR
        )
        dry = " (dry run: nothing written)" if result["dryRun"] else ""
        self.stdout.write(style(f"{result['status']}{dry}"))
        self.stdout.write(
            f"imported {count['imported']}, updated {count['updated']}, "
            f"ignored {count['ignored']}, deleted {count['deleted']} in {seconds:.2f} s"
        )
        for conflict in result["conflicts"][:200]:
            self.stdout.write(f"  {conflict['object']}: {conflict['value']}")
        if len(result["conflicts"]) > 200:
            self.stdout.write(f"  … and {len(result['conflicts']) - 200} more")
