"""Site list benchmark (issue 4, item 9): the filtered site list at 250,000 sites on
PostgreSQL. Prints each figure beside its budget; asserts nothing.

- server time per page: the median of N requests through Django's test Client (the whole
  stack: middleware, session, scope, filter, count, page, template), production settings
  (CEGAH_DEBUG=0), for several filters and users (national, province, regency); budget
  150 ms;
  also the CPU time of this process per request (Django and the template, without the
  database), which other load on the machine changes much less than the wall time;
- the floor, in the same run: the SQL that page ran on the site table (its count and its
  page), executed directly on the same connection;
- SQL queries per page at page sizes 25, 50 and 100, for the page and the API list: must be
  the same for every size.

Setup, only what is missing: migrations, the Kemendagri regions, the national demo's
250,000 sites (``cegah.sites.demo_data`` at --scale national, through the same bulk
service as the demo; its time is printed), and, when no site has been assessed yet, a
bench-only assessment status on 70 % of them (one SQL UPDATE, deterministic by id; the
standards app's national demo sets real ones), then VACUUM ANALYZE (as autovacuum would).

    CEGAH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cegah_bench_sites \\
        .venv/bin/python bench/sites.py [--requests 21]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_SITES = 250_000
BUDGET_MS = 150.0
PAGE_SIZES = (25, 50, 100)
BENCH_PASSWORD = secrets.token_urlsafe(16)

# (label, user, query string of the list page)
SCENARIOS = [
    ("national, no filter, by name", "bench-nasional", ""),
    (
        "national, SMP at maturity 3-4, highest first",
        "bench-nasional",
        "site_type=smp&maturity=3-4&sort=-maturity",
    ),
    ("national, not functioning and review overdue", "bench-nasional", "functioning=no&overdue=1"),
    ("national, never assessed in Jawa Barat", "bench-nasional", "maturity=none&region=32"),
    ("national, text search 'negeri 7 su'", "bench-nasional", "q=negeri+7+su"),
    ("national, identifier search (NPSN)", "bench-nasional", "q=93500101"),
    ("national, page 200 by last assessed", "bench-nasional", "sort=-last_assessed&page=200"),
    ("province (BNNP Jawa Timur), SD, by type", "bench-jatim", "site_type=sd&sort=type"),
    ("province (BNNP Jawa Timur), functioning", "bench-jatim", "functioning=yes&sort=-maturity"),
    ("regency (BNNK Kota Surabaya), all", "bench-surabaya", ""),
    ("regency (BNNK Kota Surabaya), district 35.78.01", "bench-surabaya", "region=35.78.01"),
]
USERS = {
    "bench-nasional": ("national_admin", "BNN-RI"),
    "bench-jatim": ("manager", "BNNP-35"),
    "bench-surabaya": ("manager", "BNNK-35.78"),
}


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cegah.settings")
    # Production settings: what a national deployment serves (no debug toolbar of queries).
    os.environ.setdefault("CEGAH_DEBUG", "0")
    os.environ.setdefault("CEGAH_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("CEGAH_ALLOWED_HOSTS", "testserver")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def setup() -> None:
    from django.core.management import call_command
    from django.db import connection

    from cegah.regions.models import Region
    from cegah.regions.services import load_regions
    from cegah.sites.models import Site

    if connection.vendor != "postgresql":
        print("!!! This benchmark is meant for PostgreSQL (set CEGAH_DATABASE_URL).")
    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.exists():
        load_regions()
    count = Site.objects.count()
    if count < TARGET_SITES:
        from cegah.demo.registry import DemoContext
        from cegah.sites import demo_data

        print(f"Building the national demo's sites ({count:,} present)…", flush=True)
        ctx = DemoContext(seed=2026, scale="national", password="", rng=random.Random(2026))
        started = time.perf_counter()
        demo_data.build(ctx)
        print(f"  {ctx.summary[-1]}; wall time {time.perf_counter() - started:.1f} s")
    if not Site.objects.filter(maturity__isnull=False).exists():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE sites_site SET
                  maturity = ((id * 7919) %% 401) / 100.0,
                  functioning = ((id * 7919) %% 401) >= 300,
                  last_assessed_on = DATE '2024-01-01' + (id %% 900)::int,
                  next_review_due = DATE '2025-01-01' + (id %% 900)::int
                WHERE id %% 10 < 7
                """,
                [],
            )
            print(f"  bench-only assessment status on {cursor.rowcount:,} sites")
    with connection.cursor() as cursor:  # what autovacuum does on a live database
        cursor.execute("VACUUM ANALYZE sites_site")
    print(f"Sites: {Site.objects.count():,}")


def _users() -> dict:
    from cegah.accounts.models import User
    from cegah.accounts.services import create_user
    from cegah.regions.models import Office

    users = {}
    for username, (role, office) in USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                None,
                username=username,
                password=BENCH_PASSWORD,
                role=role,
                office=Office.objects.get(code=office),
            )
        users[username] = user
    return users


def _client(user):
    from django.conf import settings
    from django.test import Client

    # The backend that loads users (axes only guards logins).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if not b.startswith("axes."))
    client = Client()
    client.force_login(user, backend=backend)
    return client


def _get(client, url):
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    return response


def _captured(client, url) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return [q["sql"] for q in queries.captured_queries]


def _median_ms(fn, n: int) -> tuple[float, float]:
    """Median wall and CPU (this process) milliseconds of ``fn`` over ``n`` calls."""
    for _ in range(3):
        fn()
    wall, cpu = [], []
    for _ in range(n):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _raw(statements: list[str]):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def _count(statements: list[str]) -> int:
    """The sites the filter matched, as the page's own COUNT query counts them (it stops
    one past the list's cap: "more than 10,000")."""
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            if sql.lstrip().upper().startswith("SELECT COUNT(*)"):
                cursor.execute(sql)
                return cursor.fetchone()[0]
    return 0


def measure(requests: int) -> bool:
    from cegah.sites.views import COUNT_CAP

    users = _users()
    clients = {name: _client(user) for name, user in users.items()}
    ok = True
    print()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine: {os.cpu_count()} CPUs, load average {load} (other work inflates times)")
    print(
        f"Filtered site list, {TARGET_SITES:,} sites: median of {requests} requests "
        f"(budget {BUDGET_MS:.0f} ms); floor = the page's own SQL on the site table"
    )
    print(
        f"  {'scenario':<50} {'rows':>8} {'page ms':>8} {'CPU ms':>7} {'SQL ms':>7} "
        f"{'queries':>7}  verdict"
    )
    for label, username, query in SCENARIOS:
        client = clients[username]
        url = f"/sites/?{query}"
        sql = [s for s in _captured(client, url) if 'FROM "sites_site"' in s]
        rows = _count(sql)
        page_ms, cpu_ms = _median_ms(lambda client=client, url=url: _get(client, url), requests)
        floor_ms, _cpu = _median_ms(_raw(sql), requests)
        verdict = "ok" if page_ms <= BUDGET_MS else "OVER BUDGET"
        ok &= page_ms <= BUDGET_MS
        shown = f"{rows - 1:,}+" if rows > COUNT_CAP else f"{rows:,}"
        print(
            f"  {label:<50} {shown:>8} {page_ms:>8.1f} {cpu_ms:>7.1f} {floor_ms:>7.1f} "
            f"{len(sql):>7}  {verdict}"
        )

    print()
    print("SQL queries per request by page size (must not grow with the page size):")
    client = clients["bench-jatim"]
    for kind, url in (
        ("list page", "/sites/?site_type=sd&maturity=2-3&sort=-maturity&per_page={size}"),
        ("API list", "/api/v1/sites?site_type=sd&maturity=2-3&sort=-maturity&limit={size}"),
    ):
        counts = {size: len(_captured(client, url.format(size=size))) for size in PAGE_SIZES}
        same = len(set(counts.values())) == 1
        ok &= same
        shown = ", ".join(f"{size}: {n}" for size, n in counts.items())
        print(f"  {kind:<10} {shown}  {'ok (constant)' if same else 'GROWS WITH PAGE SIZE'}")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=21, help="timed requests per scenario")
    args = parser.parse_args(argv)
    _django()
    setup()
    ok = measure(args.requests)
    print()
    print("All within budget." if ok else "Some figures are over budget (see above).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
