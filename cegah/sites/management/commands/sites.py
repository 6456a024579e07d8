"""cegah sites: the site registry from the command line.

    cegah sites import FILE [--dry-run] [--user USERNAME]
    cegah sites template FILE            (the import template; .xlsx or .csv by its name)

The command is named after the app (Django has no `sites` command of its own, and
django.contrib.sites is not installed), like `cegah regions load`.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cegah.accounts.models import User
from cegah.sites import imports


class Command(BaseCommand):
    help = "Site registry commands: `import FILE [--dry-run] [--user USERNAME]`, `template FILE`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import", help="import sites from a CSV or XLSX file (all or nothing)"
        )
        load.add_argument("file", type=Path)
        load.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        load.add_argument(
            "--user",
            help="act as this user: their jurisdiction limits the rows (default: the system, "
            "no limit)",
        )
        template = sub.add_parser("template", help="write the import template")
        template.add_argument("file", type=Path, help="a .xlsx or .csv path")

    def handle(self, *args, **opts):
        if opts["action"] == "template":
            return self._template(opts["file"])
        return self._import(opts)

    def _template(self, path: Path):
        data = imports.template_csv() if path.suffix.lower() == ".csv" else imports.template_xlsx()
        path.write_bytes(data)
        self.stdout.write(f"Template written to {path}.")

    def _import(self, opts):
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = None
        if opts["user"]:
            actor = User.objects.filter(username=opts["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {opts['user']!r}.")
        started = time.monotonic()
        with tqdm(
            total=None,
            desc="rows",
            unit="rows",
            file=self.stderr._out,
            disable=opts["verbosity"] == 0,
        ) as bar:
            result = imports.import_sites(
                actor, path.read_bytes(), path.name, dry_run=opts["dry_run"], progress=bar
            )
        seconds = time.monotonic() - started
        for problem in result.problems:
            where = f"row {problem.row}" if problem.row else "file"
            column = f", {problem.column}" if problem.column else ""
            value = f" {problem.value!r}" if problem.value else ""
            self.stderr.write(f"{where}{column}{value}: {problem.reason}")
        if not result.ok:
            raise CommandError(f"{len(result.problems)} problems; nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(f"{result.summary()} ({result.rows:,} rows, {seconds:.1f} s)")
        )
