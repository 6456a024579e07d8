"""Analytics benchmark (issue 3, item 10): the engine on the national dataset of
10,000,000 data values, on PostgreSQL and on SQLite, each figure printed beside its budget
and beside a floor measured in the same run. Asserts nothing.

- (a) national view: 12 indicators × 38 provinces × 8 quarters through
  ``cegah.analytics.engine.analytics`` as a national analyst; budget 300 ms on PostgreSQL
  and at most 1.5× the same aggregate written as one raw SQL query over the data values
  (timed in the same run, ratio printed). Also printed: the same aggregate as one SQL query
  over the aggregate table the engine reads (the engine's own overhead).
- (b) one province's regencies × 12 months (Jawa Timur, 38 regencies, as its BNNP
  manager with ``LEVEL-2``); budget 100 ms; the same two floors.

Each figure is the median of ``--runs`` runs after one warm-up run (three runs for a
floor that takes seconds). The engine's answer
is checked against the raw SQL floor's numbers (same rows, same values).

Then, when ``bench/exchange.py`` exists, its import/export figures on the same database,
so one command prints every figure of the issue.

Setup, only what is missing: migrations, the Kemendagri regions, the national dataset
(``cegah.analytics.national``, exactly 10,000,000 generated values; its build time is
printed), the bench users. PostgreSQL is the database of ``CEGAH_DATABASE_URL``; SQLite is
``--sqlite`` (default ``var/bench/national.sqlite3``).

    CEGAH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cegah_bench \\
        .venv/bin/python bench/analytics.py [--database both|postgresql|sqlite] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = REPO / "var" / "bench" / "national.sqlite3"
BUDGET_NATIONAL_MS = 300.0
BUDGET_NATIONAL_RATIO = 1.5
BUDGET_PROVINCE_MS = 100.0
PROVINCE = "35"  # Jawa Timur: 38 regencies/cities
ANALYST, MANAGER = "bench-analytics-nasional", "bench-analytics-jatim"


# ---------------------------------------------------------------------------------------
# Orchestration: one child process per database (Django binds its database at start-up).


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["both", "postgresql", "sqlite"], default="both")
    parser.add_argument("--sqlite", default=str(DEFAULT_SQLITE), help="SQLite file to use")
    parser.add_argument("--runs", type=int, default=9, help="timed runs per figure (median)")
    parser.add_argument("--no-exchange", action="store_true", help="skip bench/exchange.py")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    print_machine()
    targets = []
    if args.database in ("both", "postgresql"):
        url = os.environ.get("CEGAH_DATABASE_URL", "")
        if url.startswith("postgres"):
            targets.append(("PostgreSQL", url))
        else:
            print("PostgreSQL: skipped (set CEGAH_DATABASE_URL=postgres://…)\n")
    if args.database in ("both", "sqlite"):
        Path(args.sqlite).parent.mkdir(parents=True, exist_ok=True)
        targets.append(("SQLite", f"sqlite:///{Path(args.sqlite).resolve()}"))
    for label, url in targets:
        print(f"=== {label} ===", flush=True)
        command = [sys.executable, __file__, "--child", "--runs", str(args.runs)]
        if args.no_exchange:
            command.append("--no-exchange")
        env = {**os.environ, "CEGAH_DATABASE_URL": url}
        result = subprocess.run(command, env=env, check=False)
        if result.returncode:
            print(f"{label}: the benchmark failed (exit {result.returncode})")
        print(flush=True)


def print_machine() -> None:
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
            memory = f", {kb / 2**20:.0f} GB memory"
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Machine: {os.cpu_count()} CPUs{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average at start {load:.1f}\n",
        flush=True,
    )


# ---------------------------------------------------------------------------------------
# Measuring (inside the child, with Django set up on one database)


def child(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cegah.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.db import connection

    analyst, manager = setup()
    describe_database(connection)
    from cegah.analytics import national

    indicators = national.bench_indicators()
    year = latest_year()
    quarters = [f"{y}Q{q}" for y in (year - 1, year) for q in (1, 2, 3, 4)]
    months = [f"{year - 1}{m:02d}" for m in range(1, 13)]

    print(f"  indicators: {', '.join(indicators)}")
    span = f"{quarters[0]}…{quarters[-1]}"
    print(f"\n  (a) national view: {len(indicators)} indicators × LEVEL-1 × {span}")
    engine_ms, rows = time_engine(args.runs, analyst, indicators, quarters, ["LEVEL-1"])
    raw_ms, raw_rows = time_sql(args.runs, *floor_sql(indicators, "quarter", quarters, 1))
    cube_ms, _ = time_sql(args.runs, *cube_sql(indicators, "quarter", quarters, 1))
    agree = check(rows, raw_rows, indicators, quarters)
    provinces = len({r.ou for r in rows})
    print(f"    engine answer: {len(rows):,} rows for {provinces} provinces; {agree}")
    line("engine, median", engine_ms, f"<= {BUDGET_NATIONAL_MS:.0f} ms",
         engine_ms <= BUDGET_NATIONAL_MS)  # fmt: skip
    line("floor: one SQL query over the data values", raw_ms, "", None)
    ratio = engine_ms / raw_ms
    print(
        f"    {'engine / raw-SQL floor':<46} {ratio:>15.3f} ×   budget <= {BUDGET_NATIONAL_RATIO}"
        f"{'':<9} {'within budget' if ratio <= BUDGET_NATIONAL_RATIO else 'OVER BUDGET'}"
    )
    line("(info) one SQL query over the aggregate table", cube_ms, "", None)
    print(f"    {'(info) engine / aggregate-table SQL':<46} {engine_ms / cube_ms:>15.2f} ×")

    print(
        f"\n  (b) province view: {len(indicators)} indicators × Jawa Timur's regencies "
        f"(LEVEL-2 as its BNNP manager) × {months[0]}…{months[-1]}"
    )
    engine_ms, rows = time_engine(args.runs, manager, indicators, months, ["LEVEL-2"])
    raw_ms, raw_rows = time_sql(args.runs, *floor_sql(indicators, "month", months, 2, PROVINCE))
    cube_ms, _ = time_sql(args.runs, *cube_sql(indicators, "month", months, 2, PROVINCE))
    agree = check(rows, raw_rows, indicators, months)
    regencies = len({r.ou for r in rows})
    print(f"    engine answer: {len(rows):,} rows for {regencies} regencies; {agree}")
    line("engine, median", engine_ms, f"<= {BUDGET_PROVINCE_MS:.0f} ms",
         engine_ms <= BUDGET_PROVINCE_MS)  # fmt: skip
    line("(info) one SQL query over the data values", raw_ms, "", None)
    line("(info) one SQL query over the aggregate table", cube_ms, "", None)
    print(flush=True)

    if not args.no_exchange:
        run_exchange()


def setup():
    from django.core.management import call_command

    from cegah.accounts.models import User
    from cegah.accounts.services import create_user
    from cegah.analytics import national
    from cegah.core.scope import Roles
    from cegah.regions.models import Office, Region
    from cegah.regions.services import load_regions

    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.exists():
        load_regions()
    started = time.perf_counter()
    result = national.ensure(national.TARGET, progress=progress_bar)
    if result.reused:
        print(f"  national dataset: {result.rows:,} generated data values present (reused)")
    else:
        print(
            f"  national dataset built: {result.rows:,} data values in "
            f"{result.seconds_values:.0f} s, aggregate table ({result.aggregate_rows:,} rows) "
            f"in {result.seconds_aggregate:.0f} s; {time.perf_counter() - started:.0f} s in all"
        )
    users = []
    for username, role, office in (
        (ANALYST, Roles.NATIONAL_ANALYST, "BNN-RI"),
        (MANAGER, Roles.MANAGER, f"BNNP-{PROVINCE}"),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(
                None,
                username=username,
                password=os.urandom(16).hex(),
                role=role,
                office=Office.objects.get(code=office),
            )
        users.append(user)
    return users


def progress_bar(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"  {desc}", unit="rows", unit_scale=True, leave=False)


def describe_database(connection) -> None:
    from cegah.analytics.models import Aggregate
    from cegah.indicators.models import DataValue

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]
    values = DataValue.objects.count()
    aggregates = Aggregate.objects.count()
    print(f"  {version}, {values:,} data values, {aggregates:,} aggregate-table rows")


def latest_year() -> int:
    from cegah.indicators.models import DataValue

    return DataValue.objects.order_by("-year").values_list("year", flat=True).first()


def median_ms(runs: int, call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()  # warm-up: caches, query plans, connection
    if time.perf_counter() - started > 2:
        runs = min(runs, 3)  # a floor of seconds: three runs show it well enough
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def time_engine(runs, user, dx, pe, ou):
    from cegah.analytics.engine import analytics

    return median_ms(runs, lambda: analytics(user, dx, pe, ou))


def time_sql(runs, sql, params):
    from django.db import connection

    def call():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return median_ms(runs, call)


def line(label: str, ms: float, budget: str, ok: bool | None) -> None:
    verdict = "" if ok is None else ("within budget" if ok else "OVER BUDGET")
    budget = f"budget {budget}" if budget else ""
    print(f"    {label:<46} {ms:>12.1f} ms   {budget:<16} {verdict}")


# ---------------------------------------------------------------------------------------
# The floors: the same aggregate as one hand-written SQL query


def _elements(indicators: list[str]) -> dict[str, tuple[int, str]]:
    """code → (id, aggregation) of every data element the indicators use."""
    from cegah.indicators import expressions
    from cegah.indicators.models import DataElement, Indicator

    codes = set()
    for indicator in Indicator.objects.filter(code__in=indicators):
        for text in (indicator.numerator, indicator.denominator):
            codes |= expressions.references(expressions.parse(text))
    return {
        e.code: (e.pk, e.aggregation)
        for e in DataElement.objects.filter(code__in=codes).only("id", "code", "aggregation")
    }


def _periods(column: str, ids: list[str]) -> tuple[list[int], list[tuple[int, int]]]:
    from cegah.core import periods
    from cegah.indicators.models import DataValue

    pairs = []
    for pid in ids:
        columns = DataValue.period_columns(periods.parse(pid))
        pairs.append((columns["year"], columns[column]))
    return sorted({y for y, _ in pairs}), pairs


def floor_sql(indicators, column, period_ids, level, province=None):
    """Per data element × org unit × period, by aggregation type, straight from the data
    values: one statement (LAST by a window per org unit and disaggregation)."""
    from django.db import connection

    elements = _elements(indicators)
    years, pairs = _periods(column, period_ids)
    length = {1: 2, 2: 5}[level]
    ids = [pk for pk, _a in elements.values()]
    ph = lambda items: ", ".join(["%s"] * len(items))  # noqa: E731
    periods_sql = " OR ".join([f"(dv.year = %s AND dv.{column} = %s)"] * len(pairs))
    region = ""
    params = [*ids, *years, *[x for pair in pairs for x in pair]]
    if province:
        region = " AND dv.region_code LIKE %s"
        params.append(province + ".%")
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    sql = f"""
        WITH v AS (
            SELECT dv.data_element_id, SUBSTR(dv.region_code, 1, {length}) AS ou, dv.year,
                   dv.{column} AS sub, dv.value, de.aggregation,
                   ROW_NUMBER() OVER (
                       PARTITION BY dv.data_element_id, dv.org_unit{collate}, dv.coc{collate},
                                    dv.year, dv.{column}
                       ORDER BY COALESCE(dv.month, dv.quarter * 3, dv.half * 6, 12) DESC
                   ) AS rn
            FROM indicators_datavalue dv
            JOIN indicators_dataelement de ON de.id = dv.data_element_id
            WHERE dv.data_element_id IN ({ph(ids)}) AND dv.year IN ({ph(years)})
              AND ({periods_sql}){region}
              AND LENGTH(dv.region_code) >= {length}
        )
        SELECT data_element_id, ou, year, sub,
               CASE MAX(aggregation)
                   WHEN 'AVERAGE' THEN AVG(value)
                   WHEN 'MAX' THEN MAX(value)
                   WHEN 'COUNT' THEN SUM(CASE WHEN value <> 0 THEN 1 ELSE 0 END)
                   WHEN 'LAST' THEN SUM(CASE WHEN rn = 1 THEN value ELSE 0 END)
                   ELSE SUM(value)
               END
        FROM v GROUP BY data_element_id, ou, year, sub
    """
    return sql, params


def cube_sql(indicators, column, period_ids, level, province=None):
    """The same aggregate from the aggregate table the engine reads."""
    elements = _elements(indicators)
    years, pairs = _periods(column, period_ids)
    ids = [pk for pk, _a in elements.values()]
    ph = lambda items: ", ".join(["%s"] * len(items))  # noqa: E731
    periods_sql = " OR ".join([f"(a.year = %s AND a.{column} = %s)"] * len(pairs))
    last = {"quarter": "last_quarter", "month": "total"}[column]
    params = [level, False, *ids, *years, *[x for pair in pairs for x in pair]]
    region = ""
    if province:  # its regencies, listed (as the engine lists the org units it was asked for)
        from cegah.regions.models import Region

        codes = list(Region.objects.filter(parent_id=province).values_list("code", flat=True))
        region = f" AND a.region IN ({ph(codes)})"
        params += codes
    sql = f"""
        SELECT a.data_element_id, a.region, a.year, a.{column},
               CASE MAX(de.aggregation)
                   WHEN 'AVERAGE' THEN SUM(a.total) / SUM(a.count)
                   WHEN 'MAX' THEN MAX(a.maximum)
                   WHEN 'COUNT' THEN SUM(a.true_count)
                   WHEN 'LAST' THEN SUM(a.{last})
                   ELSE SUM(a.total)
               END
        FROM analytics_aggregate a
        JOIN indicators_dataelement de ON de.id = a.data_element_id
        WHERE a.level = %s AND a.approved = %s AND a.data_element_id IN ({ph(ids)})
          AND a.year IN ({ph(years)}) AND ({periods_sql}){region}
        GROUP BY a.data_element_id, a.region, a.year, a.{column}
    """
    return sql, params


def check(rows, raw_rows, indicators, period_ids) -> str:
    """Indicator values recomputed from the raw-SQL floor's element aggregates."""
    from cegah.core import periods
    from cegah.indicators import expressions
    from cegah.indicators.models import DataValue, Indicator

    elements = _elements(indicators)
    code_of = {pk: code for code, (pk, _a) in elements.items()}
    column = "quarter" if periods.parse(period_ids[0]).type == periods.QUARTERLY else "month"
    period_of = {}
    for pid in period_ids:
        c = DataValue.period_columns(periods.parse(pid))
        period_of[(c["year"], c[column])] = pid
    aggregates: dict[tuple[str, str], dict[str, float]] = {}
    for element_id, ou, year, sub, value in raw_rows:
        pid = period_of.get((year, sub))
        if pid is not None and value is not None:
            aggregates.setdefault((pid, ou), {})[code_of[element_id]] = float(value)
    expected = {}
    for indicator in Indicator.objects.filter(code__in=indicators):
        numerator = expressions.parse(indicator.numerator)
        denominator = expressions.parse(indicator.denominator)
        own = expressions.references(numerator) | expressions.references(denominator)
        for (pid, ou), values in aggregates.items():
            if not own & values.keys():
                continue  # none of its data elements has a value here: no row
            num = expressions.evaluate(numerator, values)
            den = expressions.evaluate(denominator, values)
            if num is not None and den:
                expected[(indicator.code, pid, ou)] = num / den * indicator.factor
    got = {(r.dx, r.pe, r.ou): r.value for r in rows}
    if got.keys() != expected.keys():
        return f"DIFFERS from the raw SQL: {len(got):,} vs {len(expected):,} cells"
    worst = max((abs(got[k] - v) / max(abs(v), 1e-9) for k, v in expected.items()), default=0)
    if worst > 1e-9:
        return f"DIFFERS from the raw SQL (relative difference up to {worst:.1e})"
    return "identical to the raw SQL floor's numbers"


def run_exchange() -> None:
    try:
        from bench.exchange import run
    except ImportError as exc:
        print(f"  (bench/exchange.py not available: {exc})")
        return
    run()


if __name__ == "__main__":
    main()
