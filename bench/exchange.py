"""Import/export benchmark (issue 3, item 10): prints each figure beside its budget.

- import of 100,000 DHIS2-CSV rows through ``cegah import`` (the one write path: parse,
  validate, upsert, change log): rows/s, budget >= 10,000 rows/s;
- the floor, measured in the same run: PostgreSQL ``COPY`` of the same rows, as they are
  stored, into a scratch table shaped like the data value table (same columns, same
  indexes); budget: the import reaches >= 25 % of its rows/s;
- peak memory (max RSS) of the importing process, budget <= 300 MB;
- export of 1,000,000 values as CSV through ``GET /api/v1/dataValueSets?format=csv``:
  peak memory of the exporting process, budget <= 200 MB.

Runs against the configured database (CEGAH_DATABASE_URL, default the SQLite file under
CEGAH_DATA_DIR). Imported rows go to the year 2040 and are removed afterwards; the export
reuses existing values (the national demo dataset has 10,000,000) or, when the database
holds fewer than a million, generates them for 2041 and removes them afterwards.

    .venv/bin/python bench/exchange.py            # or: from bench.exchange import run
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMPORT_YEAR = 2040
# The import file's years, latest first: the early-detection data set is reported per
# regency/city (a district's value is refused), 514 × 12 months × 6 values = 37,008 rows
# a year, so 100,000 rows take three years.
IMPORT_YEARS = (2040, 2039, 2038, 2037)
REPEATS = 3  # the import and its COPY floor, each measured this many times (medians)
EXPORT_YEAR = 2041
BENCH_USER = "bench-exchange"
# The monthly early-detection data set: six values per org unit and month, consistent with
# its validation rules (target >= tested >= positive >= referred).
ELEMENTS = ("SCREENING_TARGET", "URINE_TESTED", "URINE_POSITIVE", "REHAB_REFERRED")

BUDGET_IMPORT_ROWS_PER_S = 10_000
BUDGET_COPY_SHARE = 0.25
BUDGET_IMPORT_MB = 300
BUDGET_EXPORT_MB = 200


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cegah.settings")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def _child(args: list[str]) -> tuple[str, float, int]:
    """Run a child process; its stdout, wall seconds and peak RSS in bytes.

    The peak comes from GNU time (``/usr/bin/time -f %M``), which starts the child from its
    own small process: Linux keeps ru_maxrss across exec, so a child forked straight from
    this (large) process would report this process's size as its own peak."""
    timer = Path("/usr/bin/time")
    prefix = [str(timer), "-f", "cegah-maxrss-kb=%M"] if timer.exists() else []
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([*prefix, *args], stdout=out, stderr=err, cwd=REPO)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise RuntimeError(f"{args[2:4]} failed:\n{text}\n{errors[-3000:]}")
    peak_kb = usage.ru_maxrss  # KiB on Linux; an upper bound without GNU time
    for line in errors.splitlines():
        if line.startswith("cegah-maxrss-kb="):
            peak_kb = int(line.split("=", 1)[1])
    return text, seconds, peak_kb * 1024


def _setup():
    from django.core.management import call_command

    from cegah.accounts.models import User
    from cegah.accounts.services import create_user
    from cegah.core.scope import Roles
    from cegah.regions.models import Office, Region
    from cegah.regions.services import load_regions

    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.exists():
        load_regions()
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = create_user(
            None,
            username=BENCH_USER,
            password=os.urandom(16).hex(),
            role=Roles.NATIONAL_ADMIN,
            office=Office.objects.get(code="BNN-RI"),
        )
    return user


def _regencies() -> list[str]:
    from cegah.regions.models import Region

    return list(Region.objects.filter(level=2).order_by("code").values_list("code", flat=True))


def _screening_rows(org_units, year, rng, months=None):
    """(element, period, org unit, coc, value) in file order, six per org unit × month
    (``months``: (year, month) pairs instead of the twelve of ``year``)."""
    months = months or [(year, m) for m in range(1, 13)]
    for org_unit in org_units:
        for year, month in months:
            period = f"{year}{month:02d}"
            tested = {"M": rng.randint(50, 400), "F": rng.randint(50, 400)}
            positive = {sex: rng.randint(0, n // 20) for sex, n in tested.items()}
            yield ("SCREENING_TARGET", period, org_unit, "", sum(tested.values()) * 3)
            for sex in ("M", "F"):
                yield ("URINE_TESTED", period, org_unit, sex, tested[sex])
            for sex in ("M", "F"):
                yield ("URINE_POSITIVE", period, org_unit, sex, positive[sex])
            yield ("REHAB_REFERRED", period, org_unit, "", sum(positive.values()) // 2)


def make_import_csv(path: Path, rows: int) -> int:
    """A DHIS2 CSV of at least ``rows`` values (every regency × whole months, back from
    December of IMPORT_YEAR); returns the count."""
    units = _regencies()
    needed = -(-rows // (len(units) * 6))  # months
    if needed > 12 * len(IMPORT_YEARS):
        raise ValueError(f"{rows:,} rows need more than {len(IMPORT_YEARS)} import years")
    months = [(y, m) for y in IMPORT_YEARS for m in range(12, 0, -1)][:needed]
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "dataelement",
                "period",
                "orgunit",
                "categoryoptioncombo",
                "attributeoptioncombo",
                "value",
                "storedby",
                "lastupdated",
                "comment",
                "followup",
            ]
        )
        rng = random.Random(2026)
        for de, pe, ou, coc, value in _screening_rows(units, IMPORT_YEAR, rng, months):
            writer.writerow([de, pe, ou, coc, "", value, "", "", "", "false"])
            count += 1
    return count


def _remove_years(years) -> int:
    return sum(_remove_year(year) for year in years)


def _remove_year(year: int) -> int:
    """Remove the benchmark's values of ``year`` (and their log entries, approvals)."""
    from django.db import connection, transaction

    from cegah.core.models import DATA_VALUE_TYPE, ChangeLog
    from cegah.indicators import signals
    from cegah.indicators.models import Approval, DataElement, DataValue

    element_ids = list(DataElement.objects.filter(code__in=ELEMENTS).values_list("id", flat=True))
    values = DataValue.objects.filter(year=year, data_element_id__in=element_ids)
    with transaction.atomic():
        keys = signals.changed_keys(values)
        with connection.cursor() as cursor:
            # The change log refuses deletes through the ORM; these are the benchmark's own
            # (only the benchmark's imports write data values as its user).
            cursor.execute(
                f"DELETE FROM {ChangeLog._meta.db_table} "  # noqa: S608
                "WHERE object_type = %s AND username = %s",
                [DATA_VALUE_TYPE, BENCH_USER],
            )
        removed, _detail = values.delete()
        Approval.objects.filter(period__startswith=str(year)).delete()
        signals.values_changed(keys)
    return removed


def _vacuum() -> None:
    """PostgreSQL: reclaim the rows ``_remove_year`` deleted, so each run starts from the
    database as it was (autovacuum would do it in time; it may be off, and a run deletes
    up to 1,100,000 values and their log entries, which would slow the next run's import)."""
    from django.db import connection

    from cegah.analytics.models import Aggregate
    from cegah.core.models import ChangeLog
    from cegah.indicators.models import Approval, DataValue

    if connection.vendor != "postgresql":
        return
    tables = ", ".join(m._meta.db_table for m in (DataValue, ChangeLog, Approval, Aggregate))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    _checkpoint()


def _checkpoint() -> None:
    """PostgreSQL: write out what earlier work left dirty (CHECKPOINT), so the measurement
    that follows — the import or its COPY floor — does not pay for the one before it: a
    COPY timed right after a 100,000-row import ran at 48,000-63,000 rows/s here, after a
    checkpoint at 59,000-88,000, and the slower floor flattered the import's share."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")


def measure_copy(csv_path: Path) -> dict:
    """PostgreSQL COPY of the same rows into scratch tables: shaped like the data value
    table (the floor), and as the CSV's text columns (for information)."""
    from django.db import connection
    from django.utils import timezone

    from cegah.core import periods
    from cegah.indicators.models import DataElement, DataValue
    from cegah.regions.models import Region

    ids = dict(DataElement.objects.values_list("code", "id"))
    now = timezone.now()
    stored = []
    with open(csv_path, encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for de, pe, ou, coc, _aoc, value, *_rest in reader:
            pc = DataValue.period_columns(periods.parse(pe))
            stored.append(
                (
                    ids[de],
                    pe,
                    pc["year"],
                    pc["half"],
                    pc["quarter"],
                    pc["month"],
                    ou,
                    ou,
                    None,
                    coc or "default",
                    float(value),
                    "draft",
                    "",
                    "imported",
                    BENCH_USER,
                    now,
                    now,
                )
            )
    assert Region.objects.filter(code=stored[0][6]).exists()
    columns = (
        "data_element_id, period, year, half, quarter, month, org_unit, region_code, site_id, "
        "coc, value, status, comment, source, stored_by, updated_at, created_at"
    )
    table = DataValue._meta.db_table
    result = {}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_scratch")
        cursor.execute(f"CREATE TABLE bench_copy_scratch (LIKE {table} INCLUDING ALL)")
        started = time.perf_counter()
        with connection.cursor() as copy_cursor:
            with copy_cursor.copy(f"COPY bench_copy_scratch ({columns}) FROM STDIN") as copy:
                for row in stored:
                    copy.write_row(row)
        result["shaped_seconds"] = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy_scratch")

        cursor.execute("DROP TABLE IF EXISTS bench_copy_plain")
        cursor.execute(
            "CREATE TABLE bench_copy_plain (dataelement text, period text, orgunit text, "
            "categoryoptioncombo text, attributeoptioncombo text, value text, storedby text, "
            "lastupdated text, comment text, followup text)"
        )
        data = csv_path.read_bytes()
        started = time.perf_counter()
        with cursor.copy("COPY bench_copy_plain FROM STDIN WITH (FORMAT csv, HEADER true)") as c:
            c.write(data)
        result["plain_seconds"] = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy_plain")
    result["rows"] = len(stored)
    return result


def _ensure_export_values(target: int) -> tuple[dict, int, bool]:
    """Query parameters selecting at least ``target`` values, their count, and whether the
    values were generated for this run (to be removed afterwards)."""
    from django.db.models import Count

    from cegah.indicators.models import DataValue

    by_year = list(
        DataValue.objects.exclude(year__in=IMPORT_YEARS)
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    if by_year and by_year[0]["n"] >= target:
        year = by_year[0]["year"]
        per_element = (
            DataValue.objects.filter(year=year)
            .values("data_element__code")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        chosen, total = [], 0
        for item in per_element:
            chosen.append(item["data_element__code"])
            total += item["n"]
            if total >= target:
                break
        return {"period": str(year), "dataElement": chosen, "format": "csv"}, total, False
    generated = _generate_export_values(target)
    return (
        {"period": str(EXPORT_YEAR), "dataElement": list(ELEMENTS), "format": "csv"},
        (generated),
        True,
    )


def _generate_export_values(target: int) -> int:
    """Insert ``target`` screening values for EXPORT_YEAR directly (COPY / executemany):
    data for the export to read, not a measurement of the write path."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cegah.core import periods
    from cegah.indicators.models import DataElement, DataValue
    from cegah.regions.models import Region

    _remove_year(EXPORT_YEAR)
    ids = dict(DataElement.objects.filter(code__in=ELEMENTS).values_list("code", "id"))
    units = list(
        Region.objects.filter(level__in=(2, 3, 4))
        .order_by("level", "code")
        .values_list("code", flat=True)[: -(-target // 72)]
    )
    now = timezone.now()
    columns_of = {
        f"{EXPORT_YEAR}{m:02d}": DataValue.period_columns(periods.parse(f"{EXPORT_YEAR}{m:02d}"))
        for m in range(1, 13)
    }

    def rows():
        count = 0
        for de, pe, ou, coc, value in _screening_rows(units, EXPORT_YEAR, random.Random(98)):
            pc = columns_of[pe]
            yield (
                ids[de], pe, pc["year"], pc["half"], pc["quarter"], pc["month"], ou, ou,
                coc or "default", float(value), "draft", "", "imported", BENCH_USER, now,
            )  # fmt: skip
            count += 1
            if count >= target:
                return

    columns = (
        "data_element_id, period, year, half, quarter, month, org_unit, region_code, coc, "
        "value, status, comment, source, stored_by, updated_at"
    )
    table = DataValue._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            batch = []
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 15)})"  # noqa: S608
            for row in rows():
                batch.append(row)
                if len(batch) == 20_000:
                    cursor.executemany(sql, batch)
                    batch.clear()
            cursor.executemany(sql, batch)
    return DataValue.objects.filter(year=EXPORT_YEAR).count()


def export_child(params_json: str) -> None:
    """In a child process: GET the export through the real endpoint and read it all."""
    _django()
    from django.test import Client

    from cegah.accounts.models import User
    from cegah.accounts.services import create_token

    user = User.objects.get(username=BENCH_USER)
    _token, secret = create_token(user, "bench export", days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    started = time.perf_counter()
    response = client.get("/api/v1/dataValueSets", json.loads(params_json))
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    print(
        json.dumps(
            {
                "status": response.status_code,
                "bytes": size,
                "rows": lines - 1,
                "seconds": time.perf_counter() - started,
            }
        )
    )


def _line(label: str, value: str, budget: str, ok: bool | None, out) -> None:
    verdict = "" if ok is None else ("within budget" if ok else "OVER BUDGET")
    out(f"  {label:<46} {value:>18}   budget {budget:<14} {verdict}")


def run(
    rows: int = 100_000, export_values: int = 1_000_000, out=print, repeats: int = REPEATS
) -> dict:
    """Measure and print; returns the figures. The import and its COPY floor are measured
    ``repeats`` times, one after the other, and compared by their medians: on a shared
    machine a single COPY of a few seconds varies by half from one run to the next."""
    _django()
    from django.db import connection

    user = _setup()
    vendor = connection.vendor
    figures: dict = {"database": vendor}
    out(f"Exchange benchmark on {vendor} ({connection.settings_dict['NAME']})")

    with tempfile.TemporaryDirectory() as workdir:
        csv_path = Path(workdir) / "import.csv"
        _remove_years(IMPORT_YEARS)
        _vacuum()
        count = make_import_csv(csv_path, rows)
        runs = []  # (import seconds, process seconds, peak bytes, copy dict or None)
        for attempt in range(repeats):
            if attempt:
                _remove_years(IMPORT_YEARS)
                _vacuum()  # and a checkpoint
            connection.close()
            text, wall, rss = _child(
                [sys.executable, "-m", "cegah", "import", str(csv_path), "--user",
                 user.username, "--json"]
            )  # fmt: skip
            summary = json.loads(text.strip().splitlines()[-1])
            if summary["importCount"]["imported"] != count:
                raise RuntimeError(f"the import did not write every row: {summary}")
            _checkpoint()
            copy = measure_copy(csv_path) if vendor == "postgresql" else None
            runs.append((summary["seconds"], wall, rss, copy))
            share = f", COPY floor {count / copy['shaped_seconds']:,.0f} rows/s" if copy else ""
            out(f"    run {attempt + 1}: import {count / summary['seconds']:,.0f} rows/s{share}")
        seconds = statistics.median(r[0] for r in runs)
        rate = count / seconds
        figures.update(
            import_rows=count,
            import_seconds=seconds,
            import_process_seconds=statistics.median(r[1] for r in runs),
            import_rows_per_s=rate,
            import_peak_mb=max(r[2] for r in runs) / 2**20,
        )
        if vendor == "postgresql":
            figures.update(
                copy_rows_per_s=count / statistics.median(r[3]["shaped_seconds"] for r in runs),
                copy_plain_rows_per_s=count
                / statistics.median(r[3]["plain_seconds"] for r in runs),
            )
            figures["import_share_of_copy"] = rate / figures["copy_rows_per_s"]
            figures["import_share_of_plain_copy"] = rate / figures["copy_plain_rows_per_s"]
        # Re-importing the same file: every row is checked and ignored.
        text, _wall, _rss = _child(
            [sys.executable, "-m", "cegah", "import", str(csv_path), "--user", user.username,
             "--json"]
        )  # fmt: skip
        again = json.loads(text.strip().splitlines()[-1])
        figures["reimport_rows_per_s"] = count / again["seconds"]
        figures["reimport_ignored"] = again["importCount"]["ignored"]
        _remove_years(IMPORT_YEARS)
        _vacuum()

    params, available, generated = _ensure_export_values(export_values)
    connection.close()
    try:
        text, wall, rss = _child(
            [sys.executable, str(Path(__file__).resolve()), "--export-child", json.dumps(params)]
        )
        result = json.loads(text.strip().splitlines()[-1])
    finally:
        if generated:
            _remove_year(EXPORT_YEAR)
            _vacuum()
    figures.update(
        export_rows=result["rows"],
        export_mb_written=result["bytes"] / 2**20,
        export_seconds=result["seconds"],
        export_peak_mb=rss / 2**20,
        export_generated=generated,
    )

    out(
        f"  import file: {count:,} DHIS2 CSV rows ({csv_path.name}), as a national admin; "
        f"medians of {repeats} runs"
    )
    _line(
        "import rate (parse, validate, write, log)",
        f"{rate:,.0f} rows/s",
        f">= {BUDGET_IMPORT_ROWS_PER_S:,}",
        rate >= BUDGET_IMPORT_ROWS_PER_S,
        out,
    )
    out(
        f"    {count:,} rows in {figures['import_seconds']:.2f} s "
        f"(whole process with start-up: {figures['import_process_seconds']:.2f} s)"
    )
    if vendor == "postgresql":
        _line(
            "floor: COPY into a data-value-shaped table",
            f"{figures['copy_rows_per_s']:,.0f} rows/s",
            "",
            None,
            out,
        )
        share = figures["import_share_of_copy"]
        _line(
            "import rate / COPY rate",
            f"{share:.0%}",
            f">= {BUDGET_COPY_SHARE:.0%}",
            share >= BUDGET_COPY_SHARE,
            out,
        )
        _line(
            "(info) COPY of the raw CSV into a text table",
            f"{figures['copy_plain_rows_per_s']:,.0f} rows/s",
            "",
            None,
            out,
        )
        _line(
            "(info) import rate / raw-CSV COPY rate",
            f"{figures['import_share_of_plain_copy']:.0%}",
            "",
            None,
            out,
        )
    else:
        out("    (COPY floor: PostgreSQL only)")
    _line(
        "import process peak memory (max RSS)",
        f"{figures['import_peak_mb']:.0f} MB",
        f"<= {BUDGET_IMPORT_MB} MB",
        figures["import_peak_mb"] <= BUDGET_IMPORT_MB,
        out,
    )
    _line(
        "(info) re-import of the same file (all ignored)",
        f"{figures['reimport_rows_per_s']:,.0f} rows/s",
        "",
        None,
        out,
    )
    out(
        f"  export: {figures['export_rows']:,} values as CSV "
        f"({figures['export_mb_written']:.0f} MB in {figures['export_seconds']:.1f} s"
        f"{', generated for this run' if generated else ''})"
    )
    _line(
        "export process peak memory (max RSS)",
        f"{figures['export_peak_mb']:.0f} MB",
        f"<= {BUDGET_EXPORT_MB} MB",
        figures["export_peak_mb"] <= BUDGET_EXPORT_MB,
        out,
    )
    if figures["export_rows"] < export_values:
        out(f"    note: only {figures['export_rows']:,} values were exported")
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--export-child":
        export_child(sys.argv[2])
    else:
        run()
