"""cegah serve: the web server for the embedded set-up (one process, static files included),
with a background worker beside it (imports run there), stopped when the server stops."""

import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM if the server dies without stopping it (SIGKILL)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_worker(stdout=None) -> subprocess.Popen:
    """``cegah worker`` as a child process with the same settings and database."""
    return subprocess.Popen(
        [sys.executable, "-m", "cegah", "worker", "--interval", "1", "--verbosity", "0"],
        stdout=stdout,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()  # the worker finishes the task it is running, then exits
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


class Command(BaseCommand):
    help = "Serve Cegah at http://HOST:PORT (default 127.0.0.1:8000) with a background worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a background worker (run `cegah worker` elsewhere)",
        )

    def handle(self, *args, **opts):
        # SIGTERM (a service manager, a test) ends the server like Ctrl+C, so the worker
        # is stopped below rather than left running.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        worker = None if opts["no_worker"] else start_worker()
        if worker is not None:
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        self.stdout.write(f"Serving Cegah at http://{opts['host']}:{opts['port']}/ (Ctrl+C stops)")
        try:
            call_command(
                "runserver",
                f"{opts['host']}:{opts['port']}",
                use_reloader=False,
                skip_checks=True,
            )
        finally:
            if worker is not None:
                stop_worker(worker)
