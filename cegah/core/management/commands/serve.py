"""cegah serve: the web server for the embedded set-up (one process, static files included)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Cegah at http://HOST:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **opts):
        self.stdout.write(f"Serving Cegah at http://{opts['host']}:{opts['port']}/ (Ctrl+C stops)")
        call_command(
            "runserver",
            f"{opts['host']}:{opts['port']}",
            use_reloader=False,
            skip_checks=True,
        )
