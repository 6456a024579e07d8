"""cegah demo: migrate, load regions and offices, build demo data, print logins, serve."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from cegah.demo import registry

DEFAULT_PASSWORD = "cegah-demo-2026"  # noqa: S105 - printed for the demo on purpose


class Command(BaseCommand):
    help = "Build the demo database (deterministic for a seed), print the logins, then serve."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "national"], default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument("--no-serve", action="store_true", help="build only, do not serve")
        parser.add_argument("--reset", action="store_true", help="start from an empty database")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **opts):
        if opts["reset"]:
            self._reset()
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        from cegah.accounts.models import User

        if User.objects.filter(username="nasional").exists() and not opts["reset"]:
            self.stdout.write(
                "Demo data already present; use --reset to rebuild it. Regions are checked:"
            )
        self.stdout.write(f"Building demo data (scale={opts['scale']}, seed={opts['seed']})…")
        ctx = registry.build(
            seed=opts["seed"],
            scale=opts["scale"],
            password=opts["password"],
            progress_factory=lambda total, desc: tqdm(
                total=total, desc=desc, unit="rows", leave=False, file=self.stderr._out
            ),
        )
        for line in ctx.summary:
            self.stdout.write(line)
        self._print_logins(ctx)
        if not opts["no_serve"]:
            call_command("serve", port=opts["port"], host=opts["host"])

    def _print_logins(self, ctx):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {ctx.password})"))
        width = max(len(u) for u, _r, _w in ctx.logins)
        role_width = max(len(str(r)) for _u, r, _w in ctx.logins)
        for username, role, where in ctx.logins:
            self.stdout.write(f"  {username.ljust(width)}  {str(role).ljust(role_width)}  {where}")
        self.stdout.write("")

    def _reset(self):
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                path = Path(str(db["NAME"]) + suffix)
                if path.exists():
                    path.unlink()
        else:
            if os.environ.get("CEGAH_ALLOW_RESET") != "1" and not settings.DEBUG:
                raise CommandError("Refusing to reset a production database (CEGAH_DEBUG=0).")
            call_command("flush", interactive=False, verbosity=0)
