"""Derived data values benchmark (issue 4, item 5): how long after an assessment change the
indicator spine follows, at the national demo's size. Prints figures; asserts nothing.

Derived values (``cegah/indicators/derived.py``, ``cegah/standards/derived.py``) are
recomputed inside the transaction of the change itself, so "follows within a minute" is
the time of the verification's own transaction. Figures, on the regency/city with the most
sites:

- verify: ``services.verify_assessment`` of a submitted assessment, end to end (site status,
  change log, the regency's derived values, the analytics aggregate refresh), median of N,
  each in a transaction rolled back afterwards; budget 60 s (one minute);
- refresh: ``refresh_sites([regency])`` alone when nothing changed (read, compute every
  quarter of every site, compare), median of N;
- floor, same run: one SQL statement counting the regency's sites and functioning sites
  by type (what any recomputation must at least read), median of N;
- rebuild (info): ``cegah derive`` over every regency and province, rolled back.

Setup, only what is missing: migrations, regions, the national demo's sites (250,000) and
its assessments (``cegah.standards.demo_data`` at --scale national), then ANALYZE. Give it
a PostgreSQL database of its own (it can share bench/sites.py's):

    CEGAH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cegah_bench_sites \\
        .venv/bin/python bench/derived.py [--runs 5] [--scale national|small]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET_S = 60.0


class _Rollback(Exception):
    pass


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cegah.settings")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def setup(scale: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from cegah.demo.registry import DemoContext
    from cegah.regions.models import Region
    from cegah.regions.services import load_regions
    from cegah.sites import demo_data as sites_demo
    from cegah.sites.models import Site
    from cegah.standards import demo_data as standards_demo
    from cegah.standards.models import Assessment

    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.exists():
        load_regions()
    for label, step, present in (
        ("sites", sites_demo, Site.objects.exists()),
        ("assessments", standards_demo, Assessment.objects.exists()),
    ):
        if present:
            continue
        ctx = DemoContext(seed=2026, scale=scale, password="", rng=random.Random(2026))
        started = time.perf_counter()
        step.build(ctx)
        print(f"  built {label}: {'; '.join(ctx.summary)} ({time.perf_counter() - started:.0f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"Sites: {Site.objects.count():,}, assessments: {Assessment.objects.count():,} "
        f"({connection.vendor})"
    )


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _rolled_back(fn):
    from django.db import transaction

    def run():
        try:
            with transaction.atomic():
                fn()
                raise _Rollback
        except _Rollback:
            pass

    return run


def measure(runs: int) -> bool:
    from django.db import connection
    from django.db.models import Count

    from cegah.accounts.models import User
    from cegah.indicators import derived
    from cegah.sites.models import Site
    from cegah.standards import services
    from cegah.standards.derived import refresh_sites
    from cegah.standards.models import Assessment

    by_regency: dict[str, int] = {}
    for region_id, n in Site.objects.values_list("region_id").annotate(n=Count("id")):
        by_regency[region_id[:5]] = by_regency.get(region_id[:5], 0) + n
    if not by_regency:
        print("No sites.")
        return False
    regency = max(by_regency, key=by_regency.get)
    sites = by_regency[regency]
    assessments = Assessment.objects.filter(site__region__code__startswith=regency).count()
    print(f"Regency {regency}: {sites:,} sites, {assessments:,} assessments")

    submitted = (
        Assessment.objects.filter(
            site__region__code__startswith=regency, status=Assessment.Status.SUBMITTED
        )
        .select_related("site", "assessor")
        .first()
    )
    verifier = User.objects.filter(role="national_admin", is_active=True).first()
    if verifier is None:
        from cegah.accounts.services import create_user
        from cegah.regions.models import Office

        verifier = create_user(
            None,
            username="bench-derived",
            password=None,
            role="national_admin",
            office=Office.objects.get(code="BNN-RI"),
        )

    refresh_s = _median(lambda: refresh_sites([regency]), runs)
    floor_sql = (
        "SELECT site_type, COUNT(*), SUM(CASE WHEN functioning THEN 1 ELSE 0 END) "
        "FROM sites_site WHERE region_id = %s OR region_id LIKE %s GROUP BY site_type"
    )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, [regency, regency + ".%"])
            cursor.fetchall()

    floor_s = _median(floor, runs)
    verify_s = None
    if submitted is not None:
        verify_s = _median(
            _rolled_back(lambda: services.verify_assessment(verifier, submitted)), runs
        )
    rebuild_s = _median(_rolled_back(derived.rebuild), 1)

    print(f"  refresh of the regency, nothing changed: {refresh_s * 1000:9.1f} ms")
    print(f"  floor: one SQL count by type:            {floor_s * 1000:9.1f} ms")
    print(f"  refresh / floor:                         {refresh_s / floor_s:9.1f} ×")
    ok = True
    if verify_s is None:
        print("  verify: no submitted assessment in this regency (not measured)")
    else:
        ok = verify_s <= BUDGET_S
        print(
            f"  verify end to end (derived values and analytics included): "
            f"{verify_s * 1000:.1f} ms — budget {BUDGET_S:.0f} s: {'MET' if ok else 'NOT MET'}"
        )
    print(f"  (info) cegah derive, every regency and province: {rebuild_s:.1f} s")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", choices=("national", "small"), default="national")
    args = parser.parse_args(argv)
    _django()
    setup(args.scale)
    return 0 if measure(args.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
