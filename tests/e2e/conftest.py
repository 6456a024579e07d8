"""Browser tests: Playwright driving Debian's chromium against a real `cegah serve`.

The server runs in a subprocess on a demo database of its own, built by the real
`cegah demo --no-serve` command: a SQLite file in a temporary directory, or, when
CEGAH_DATABASE_URL points at PostgreSQL, a fresh database `<name>_e2e` next to the test
database (dropped first and at the end). The pytest test database is never touched, so
these tests do not use pytest-django's `db` or `live_server` (whose flush would remove the
regions loaded once per test database).

The server runs with production settings (CEGAH_DEBUG=0): users get the real 404 page,
not Django's debug page.

Without /usr/bin/chromium the tests are skipped with a loud reason, unless
CEGAH_REQUIRE_BROWSER=1, which makes a missing browser a failure.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "e2e-Demo-pass-2026"  # noqa: S105 - the throwaway demo database's password
REPO = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 300
START_TIMEOUT = 30


def _require_browser() -> None:
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return
    reason = (
        f"!!! BROWSER TESTS NOT RUN: {CHROMIUM} is missing. Install Debian's chromium "
        "(apt-get install chromium; `make test` does it when it may). "
        "Set CEGAH_REQUIRE_BROWSER=1 to make this a failure."
    )
    if os.environ.get("CEGAH_REQUIRE_BROWSER") == "1":
        pytest.fail(reason.replace("NOT RUN", "REQUIRED (CEGAH_REQUIRE_BROWSER=1)"), pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _E2EDatabase:
    """Where the e2e server keeps its data: SQLite in tmp, or a fresh PostgreSQL database."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.url = None
        self.admin_url = None
        self.name = None
        source = os.environ.get("CEGAH_DATABASE_URL", "")
        if source.startswith(("postgres://", "postgresql://")):
            parts = urllib.parse.urlsplit(source)
            base = parts.path.lstrip("/") or "cegah"
            self.name = f"{base}_e2e"
            self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))
            self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))

    def _admin(self, sql: str) -> None:
        import psycopg
        from psycopg import sql as pgsql

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(pgsql.SQL(sql).format(pgsql.Identifier(self.name)))

    def create(self) -> None:
        if self.name:
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            self._admin("CREATE DATABASE {}")

    def drop(self) -> None:
        if self.name:
            with contextlib.suppress(Exception):
                self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CEGAH_", "PYTEST_"))}
        env["CEGAH_DATA_DIR"] = str(self.data_dir)
        env["DJANGO_SETTINGS_MODULE"] = "cegah.settings"
        if self.url:
            env["CEGAH_DATABASE_URL"] = self.url
        return env

    def __str__(self) -> str:
        return f"PostgreSQL {self.name}" if self.name else f"SQLite in {self.data_dir}"


@dataclass
class DemoServer:
    url: str
    password: str
    database: str
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"cegah serve exited with {process.returncode}:\n{log.read_text(errors='replace')}"
            )
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"cegah serve did not answer /healthz in {START_TIMEOUT}s:\n"
        f"{log.read_text(errors='replace')}"
    )


@pytest.fixture(scope="package")
def demo_server(tmp_path_factory) -> DemoServer:
    """`cegah demo --no-serve` into a database of its own, then `cegah serve` on a free port."""
    _require_browser()
    data_dir = tmp_path_factory.mktemp("e2e-demo")
    database = _E2EDatabase(data_dir)
    database.create()
    env = database.env()
    build = subprocess.run(
        [sys.executable, "-m", "cegah", "demo", "--no-serve", "--password", PASSWORD],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if build.returncode != 0:
        database.drop()
        pytest.fail(
            f"cegah demo failed ({build.returncode}):\n{build.stdout}\n{build.stderr}",
            pytrace=False,
        )
    port = _free_port()
    serve_env = {
        **env,
        "CEGAH_DEBUG": "0",
        "CEGAH_SECRET_KEY": secrets.token_urlsafe(50),
        "CEGAH_ALLOWED_HOSTS": "127.0.0.1",
        "CEGAH_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    log = data_dir / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "cegah", "serve", "--port", str(port)],
            cwd=REPO,
            env=serve_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield DemoServer(url=url, password=PASSWORD, database=str(database), log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        database.drop()


@pytest.fixture(scope="package")
def chromium(demo_server):
    """Debian's chromium, headless, for the e2e package (closed before other tests run)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM in the same
    # process (other tests' fixtures) would refuse to run beside it. Allowed while we run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Reports every CSP violation in any page of the context, across navigations. Init scripts
# are injected by the browser itself, not as inline <script>, so the page's CSP allows them.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cegahCspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${document.location.href}`);
});
"""


@dataclass
class Browsing:
    """A fresh browser context and page for one test, recording what went wrong in it."""

    server: DemoServer
    context: object
    page: object
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    expected_statuses: dict[str, int] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.server.url + path

    def expect_status(self, path: str, status: int) -> None:
        """A document answered with an error status on purpose (Chromium logs those)."""
        self.expected_statuses[self.url(path).split("?")[0]] = status

    def goto(self, path: str, status: int = 200):
        if status >= 400:
            self.expect_status(path, status)
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.status == status, f"{path}: {response.status}, expected {status}"
        return response

    def login(self, username: str, password: str | None = None, expect_ok: bool = True):
        self.goto("/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password or self.server.password)
        with self.page.expect_navigation():
            self.page.locator("form[action$='/login/'] button[type=submit]").click()
        if expect_ok:
            assert not self.page.url.endswith("/login/"), f"login as {username} failed"

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        where = (message.location or {}).get("url", "").split("?")[0]
        if text.startswith("Failed to load resource"):
            for url, status in self.expected_statuses.items():
                if where == url and f"status of {status}" in text:
                    return
        self.console_errors.append(f"{text} ({where})")

    def problems(self) -> list[str]:
        return (
            [f"CSP violation: {v}" for v in self.csp_violations]
            + [f"console error: {e}" for e in self.console_errors]
            + [f"page error: {e}" for e in self.page_errors]
        )


@contextlib.contextmanager
def browser_context(chromium, demo_server, viewport: dict):
    """A new context (own cookies) and page, as ``Browsing``; fails on any CSP violation,
    console error or uncaught page error in the pages it visited."""
    context = chromium.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    state = Browsing(server=demo_server, context=context, page=page)
    context.expose_function("__cegahCspViolation", lambda text: state.csp_violations.append(text))
    context.add_init_script(_CSP_LISTENER)
    page.on("console", state._on_console)
    page.on("pageerror", lambda exc: state.page_errors.append(str(exc)))
    try:
        yield state
        # Late reports (deferred scripts, fonts) arrive asynchronously: let them land.
        page.wait_for_timeout(100)
        problems = state.problems()
        assert not problems, (
            "the browser reported problems:\n"
            + "\n".join(problems)
            + "\n--- server log (tail) ---\n"
            + state.server.log_tail()
        )
    finally:
        context.close()


@pytest.fixture
def browsing(chromium, demo_server, request):
    """A browser context and page for one test (``browser_context``); a parametrised
    viewport (``indirect=True``) or a desk-sized one."""
    viewport = getattr(request, "param", None) or {"width": 1280, "height": 900}
    with browser_context(chromium, demo_server, viewport) as state:
        yield state
