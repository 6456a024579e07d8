"""The national benchmark dataset: 10,000,000 deterministic data values.

``cegah demo --scale national`` builds it (the analytics demo step), and
``bench/analytics.py`` calls ``ensure`` directly. Values are loaded with PostgreSQL's
``COPY`` (psycopg ``cursor.copy``) or, on SQLite, batched ``executemany``, in one
transaction, then the aggregate table is rebuilt once (the signal-driven refresh is for
ordinary writes). On a 2-CPU machine: 1.5 to 4 minutes for the values and 0.5 to 2 for
the aggregate table, depending on the database and the load (bench/README.md).
Generated values carry ``stored_by = "national-demo"`` and are not in the change log:
they are benchmark data, not anyone's entry.

Shape: the current year and the two before it, every period up to the current one.
Yearly data elements are reported by the 514 regencies; monthly and quarterly ones by
every district and then by villages spread over the country, as many as it takes to reach
the target exactly (about 19,000 org units for the default catalogue). The data elements
are the catalogue's when it is installed, otherwise a bench catalogue of its own
(``BENCH_*``), so the dataset never depends on what else has been built. Numbers are a
pure function of (seed, element, org unit, period, disaggregation): related elements agree
(positives ≤ tested, forwarded ≤ reports, functioning ≤ registered), trends move slowly
and older periods are approved or accepted while recent ones are submitted or drafts.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from cegah.core import periods
from cegah.indicators import expressions
from cegah.indicators.models import DataElement, DataValue, Indicator
from cegah.indicators.services import category_option_combos
from cegah.regions.models import Region

from . import cube

TARGET = 10_000_000
MARKER = "national-demo"  # stored_by of every generated value
YEARS_BACK = 2
BENCH_INDICATORS = 12
_SQLITE_BATCH = 50_000
_COPY_CHUNK = 20_000


@dataclass
class Result:
    rows: int
    org_units: int
    elements: list[str]
    seconds_values: float
    seconds_aggregate: float
    aggregate_rows: int
    reused: bool = False

    def summary(self) -> str:
        if self.reused:
            return f"National dataset: {self.rows:,} data values (kept)"
        return (
            f"National dataset: {self.rows:,} data values for {self.org_units:,} org units and "
            f"{len(self.elements)} data elements in {self.seconds_values:.0f} s; aggregate "
            f"table {self.aggregate_rows:,} rows in {self.seconds_aggregate:.0f} s"
        )


# ---------------------------------------------------------------------------------------
# Deterministic numbers


def _mix(*keys: int) -> float:
    """A uniform number in [0, 1) from integer keys. CPython hashes a tuple of ints the same
    way in every process (no hash randomisation for ints), and fast."""
    return (hash(keys) & 0xFFFFFFFFFFFF) / 281474976710656.0


def _cocs(element: DataElement) -> list[str]:
    """The disaggregations generated for an element. Site counts (by site type in the
    catalogue) get one stand-in type, so the dataset keeps one row per org unit and period
    for them, as when they had no disaggregation; totals over types are unchanged."""
    combos = category_option_combos(element.disaggregation)
    if element.disaggregation == DataElement.Disaggregation.SITE_TYPE:
        return combos[:1]
    return combos


class Cell(NamedTuple):
    """Where and when a number is drawn: org unit index, period, coc index."""

    unit: int
    size: float  # the org unit's population factor, 0.5 … 3
    step: int  # months since the first period's start: drives trends
    month: int  # calendar month of the period's end: drives season
    coc: int
    cocs: int


SEASON = (0.8, 0.95, 1.0, 1.0, 0.95, 0.7, 0.9, 1.25, 1.2, 1.15, 1.1, 0.75)


class Recipes:
    """Numbers per data element code; unknown codes get a default by value type."""

    def __init__(self, seed: int, elements: dict[str, DataElement]):
        self.seed = seed
        self.elements = elements
        self.ids = {code: e.pk for code, e in elements.items()}

    def u(self, code: str, cell: Cell, salt: int = 0) -> float:
        return _mix(self.seed, self.ids.get(code, 0), cell.unit, cell.step, cell.coc, salt)

    def tested(self, cell: Cell) -> int:
        season = SEASON[cell.month - 1]
        return int(cell.size * 40 * season * (0.7 + 0.6 * self.u("URINE_TESTED", cell)) / cell.cocs)

    def positive(self, cell: Cell) -> int:
        rate = 0.06 - 0.0006 * cell.step + 0.02 * self.u("URINE_POSITIVE", cell)
        return int(self.tested(cell) * max(rate, 0.005))

    def value(self, element: DataElement, cell: Cell) -> float:
        code = element.code.removeprefix("BENCH_")
        recipe = getattr(self, "_" + code.lower(), None)
        if recipe is not None:
            return recipe(cell)
        return self._default(element, cell)

    # Screening (monthly)
    def _urine_tested(self, cell):
        return self.tested(cell)

    def _urine_positive(self, cell):
        return self.positive(cell)

    def _rehab_referred(self, cell):
        positives = self.positive(Cell(cell.unit, cell.size, cell.step, cell.month, 0, 2))
        return int(positives * (0.3 + 0.5 * self.u("REHAB_REFERRED", cell)))

    def _screening_target(self, cell):
        return int(cell.size * 120)

    # Sites and commitments (quarterly, derived in real use)
    def _sites_registered(self, cell):
        return int(cell.size * 8 + cell.step / 6)

    def _sites_functioning(self, cell):
        share = min(0.9, 0.15 + 0.015 * cell.step + 0.2 * self.u("SITES_FUNCTIONING", cell))
        return int(self._sites_registered(cell) * share)

    def _school_sites_registered(self, cell):
        return int(self._sites_registered(cell) * 0.6)

    def _school_sites_functioning(self, cell):
        return min(self._school_sites_registered(cell), self._sites_functioning(cell))

    def _sites_assessed(self, cell):
        return int(self._sites_registered(cell) * 0.8)

    def _maturity_sum(self, cell):
        return round(self._sites_assessed(cell) * (1.2 + 0.04 * cell.step), 2)

    def _commitments_due(self, cell):
        return int(6 * self.u("COMMITMENTS_DUE", cell))

    def _commitments_fulfilled(self, cell):
        return int(
            self._commitments_due(cell) * (0.4 + 0.5 * self.u("COMMITMENTS_FULFILLED", cell))
        )

    def _trafficking_reports(self, cell):
        return int(8 * self.u("TRAFFICKING_REPORTS", cell) ** 2)

    def _trafficking_forwarded(self, cell):
        reports = self._trafficking_reports(cell)
        return int(reports * (0.5 + 0.5 * self.u("TRAFFICKING_FORWARDED", cell)))

    # Regency commitments and indices (yearly)
    def _adopted(self, code, cell, start):
        return 1.0 if self.u(code, cell) < start + 0.1 * cell.step / 12 else 0.0

    def _perda_p4gn_adopted(self, cell):
        return self._adopted("PERDA_P4GN_ADOPTED", Cell(cell.unit, 1, 0, 12, 0, 1), 0.3)

    def _rad_p4gn_adopted(self, cell):
        return self._adopted("RAD_P4GN_ADOPTED", Cell(cell.unit, 1, 0, 12, 0, 1), 0.4)

    def _tim_terpadu_formed(self, cell):
        return self._adopted("TIM_TERPADU_FORMED", Cell(cell.unit, 1, 0, 12, 0, 1), 0.5)

    def _regencies(self, cell):
        return 1

    def _ikotan_score(self, cell):
        return round(1.5 + 2.0 * self.u("IKOTAN_SCORE", cell) + 0.01 * cell.step, 2)

    def _ikotan_tanggap(self, cell):
        return 1.0 if self._ikotan_score(cell) >= 3.0 else 0.0

    def _ikdr_score(self, cell):
        return round(45 + 40 * self.u("IKDR_SCORE", cell) + 0.2 * cell.step, 1)

    def _family_resilience_index(self, cell):
        return round(50 + 35 * self.u("FAMILY_RESILIENCE_INDEX", cell), 1)

    def _kawasan_rawan_assessed(self, cell):
        return int(cell.size * 20)

    def _kawasan_rawan_bahaya(self, cell):
        return int(self._kawasan_rawan_assessed(cell) * 0.1 * self.u("KAWASAN_RAWAN_BAHAYA", cell))

    def _kawasan_rawan_waspada(self, cell):
        return int(self._kawasan_rawan_assessed(cell) * 0.2 * self.u("KAWASAN_RAWAN_WASPADA", cell))

    def _kawasan_rawan_siaga(self, cell):
        return int(self._kawasan_rawan_assessed(cell) * 0.3 * self.u("KAWASAN_RAWAN_SIAGA", cell))

    def _kawasan_rawan_aman(self, cell):
        return (
            self._kawasan_rawan_assessed(cell)
            - self._kawasan_rawan_bahaya(cell)
            - self._kawasan_rawan_waspada(cell)
            - self._kawasan_rawan_siaga(cell)
        )

    def _default(self, element: DataElement, cell: Cell) -> float:
        u = self.u(element.code, cell)
        kind = element.value_type
        if kind == DataElement.ValueType.BOOLEAN:
            return 1.0 if u < 0.5 + cell.step / 100 else 0.0
        if kind == DataElement.ValueType.RUPIAH:
            return float(int(cell.size * (5e7 + 1e9 * u)))
        low = element.min_value if element.min_value is not None else 0.0
        high = element.max_value if element.max_value is not None else low + 40 * cell.size
        if kind == DataElement.ValueType.PERCENTAGE:
            high = min(high, 100.0)
        number = low + (high - low) * u
        if kind in (DataElement.ValueType.INTEGER,):
            return float(int(number))
        return round(number, 2)


# ---------------------------------------------------------------------------------------
# Catalogue


# code, value type, aggregation, period type, disaggregation — a stand-in for the default
# catalogue when it is not installed.
_BENCH_ELEMENTS = [
    ("BENCH_URINE_TESTED", "INTEGER", "SUM", periods.MONTHLY, "sex"),
    ("BENCH_URINE_POSITIVE", "INTEGER", "SUM", periods.MONTHLY, "sex"),
    ("BENCH_REHAB_REFERRED", "INTEGER", "SUM", periods.MONTHLY, ""),
    ("BENCH_SCREENING_TARGET", "INTEGER", "LAST", periods.MONTHLY, ""),
    *[
        (f"BENCH_Q{i:02d}", "INTEGER", agg, periods.QUARTERLY, "sex_age" if i == 1 else "")
        for i, agg in enumerate(["SUM", "SUM", "LAST", "MAX", "AVERAGE"] * 4, start=1)
    ],
    ("BENCH_SITES_REGISTERED", "INTEGER", "LAST", periods.QUARTERLY, ""),
    ("BENCH_SITES_FUNCTIONING", "INTEGER", "LAST", periods.QUARTERLY, ""),
    ("BENCH_TRAFFICKING_REPORTS", "INTEGER", "SUM", periods.QUARTERLY, ""),
    ("BENCH_TRAFFICKING_FORWARDED", "INTEGER", "SUM", periods.QUARTERLY, ""),
    *[(f"BENCH_Y{i:02d}", "BOOLEAN", "COUNT", periods.YEARLY, "") for i in range(1, 8)],
    *[(f"BENCH_Y{i:02d}", "NUMBER", "LAST", periods.YEARLY, "") for i in range(8, 20)],
]
_BENCH_RATIOS = [
    ("BENCH_URINE_POSITIVE", "BENCH_URINE_TESTED", 100),
    ("BENCH_URINE_TESTED", "BENCH_SCREENING_TARGET", 100),
    ("BENCH_REHAB_REFERRED", "BENCH_URINE_POSITIVE", 100),
    ("BENCH_SITES_FUNCTIONING", "BENCH_SITES_REGISTERED", 100),
    ("BENCH_TRAFFICKING_FORWARDED", "BENCH_TRAFFICKING_REPORTS", 100),
    *[(f"BENCH_Q{2 * i + 1:02d}", f"BENCH_Q{2 * i + 2:02d}", 1) for i in range(7)],
]


def catalogue_elements() -> list[DataElement]:
    """The catalogue's data elements, or the bench's own when no catalogue is installed."""
    elements = list(DataElement.objects.exclude(code__startswith="BENCH_").order_by("code"))
    if len(elements) >= 10:
        return elements
    for code, value_type, aggregation, period_type, disaggregation in _BENCH_ELEMENTS:
        DataElement.objects.get_or_create(
            code=code,
            defaults={
                "name_id": code.replace("_", " ").title(),
                "name_en": code.replace("_", " ").title(),
                "definition_id": "Elemen data tolok ukur (benchmark) nasional.",
                "definition_en": "National benchmark data element.",
                "value_type": value_type,
                "aggregation": aggregation,
                "period_type": period_type,
                "field": "pencegahan",
                "disaggregation": disaggregation,
                "min_value": 0,
            },
        )
    return list(DataElement.objects.filter(code__startswith="BENCH_").order_by("code"))


def bench_indicators(count: int = BENCH_INDICATORS) -> list[str]:
    """``count`` indicator codes whose every data element has values in every quarter of
    the national dataset (monthly or quarterly elements), creating bench ratios when the
    catalogue has fewer."""
    elements = {e.code: e for e in DataElement.objects.all()}
    chosen = []
    for indicator in Indicator.objects.order_by("code"):
        try:
            codes = expressions.references(expressions.parse(indicator.numerator))
            codes |= expressions.references(expressions.parse(indicator.denominator))
        except expressions.ExpressionError:
            continue
        if codes and all(
            c in elements and elements[c].period_type in (periods.MONTHLY, periods.QUARTERLY)
            for c in codes
        ):
            chosen.append(indicator.code)
    if len(chosen) >= count:
        return chosen[:count]
    catalogue_elements()  # the bench elements the ratios use
    for n, (numerator, denominator, factor) in enumerate(_BENCH_RATIOS, start=1):
        code = f"BENCH_RATIO_{n:02d}"
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name_id": code,
                "name_en": code,
                "definition_id": "Indikator tolok ukur (benchmark).",
                "definition_en": "Benchmark indicator.",
                "numerator": f"#{{{numerator}}}",
                "denominator": f"#{{{denominator}}}",
                "factor": factor,
                "direction": "higher",
                "kind": "outcome",
                "field": "pencegahan",
            },
        )
        chosen.append(code)
        if len(chosen) >= count:
            break
    return chosen


# ---------------------------------------------------------------------------------------
# Org units and periods


@dataclass(frozen=True)
class Unit:
    code: str
    regency: int  # index of its regency, for the approval status
    size: float


def _spread(codes: list[str], count: int) -> list[str]:
    """``count`` codes picked evenly over a sorted list (all of them if fewer)."""
    if count >= len(codes):
        return list(codes)
    return [codes[(i * len(codes)) // count] for i in range(count)]


def _units(local_needed: int) -> tuple[list[Unit], list[Unit]]:
    """(regencies, local units): every district, then villages spread over the country."""
    regency_codes = list(
        Region.objects.filter(level=2).order_by("code").values_list("code", flat=True)
    )
    regency_index = {code: i for i, code in enumerate(regency_codes)}
    districts = list(Region.objects.filter(level=3).order_by("code").values_list("code", flat=True))
    if local_needed <= len(districts):
        local = _spread(districts, local_needed)
    else:
        villages = list(
            Region.objects.filter(level=4).order_by("code").values_list("code", flat=True)
        )
        local = districts + _spread(villages, local_needed - len(districts))
    local.sort()

    def size(code: str, salt: int) -> float:
        return 0.5 + 2.5 * _mix(salt, *(int(p) for p in code.split("."))) ** 2

    regencies = [Unit(c, i, size(c, 1)) for i, c in enumerate(regency_codes)]
    local_units = [Unit(c, regency_index.get(c[:5], 0), size(c, 2)) for c in local]
    return regencies, local_units


def _periods(period_type: str, today: date) -> list[periods.Period]:
    """Every period of a type from the first year up to the one containing today."""
    found = []
    for year in range(today.year - YEARS_BACK, today.year + 1):
        for period in periods.periods_of_type(period_type, year):
            if period.start <= today:
                found.append(period)
    return found


def _status(regency: int, period: periods.Period, today: date, seed: int) -> str:
    """Older periods accepted/approved, the last months submitted or approved, the current
    one a draft (DHIS2's send-up chain as the demo tells it)."""
    age = (today.year - period.end.year) * 12 + today.month - period.end.month
    u = _mix(seed, 7, regency, period.start.toordinal())
    if age >= 12:
        return "accepted" if u < 0.9 else "approved"
    if age >= 3:
        return "approved" if u < 0.6 else ("accepted" if u < 0.8 else "submitted")
    if age >= 0:
        return "submitted" if u < 0.5 else ("approved" if u < 0.7 else "draft")
    return "draft"


# ---------------------------------------------------------------------------------------
# Building


def generated_count() -> int:
    return DataValue.objects.filter(stored_by=MARKER).count()


def ensure(target: int = TARGET, **kwargs) -> Result:
    """Reuse the dataset when exactly ``target`` generated values are present, else build."""
    present = generated_count()
    if present == target:
        return Result(present, 0, [], 0.0, 0.0, 0, reused=True)
    return build(target, **kwargs)


def build(
    target: int = TARGET,
    *,
    seed: int = 2026,
    today: date | None = None,
    progress: Callable | None = None,
    rebuild_aggregates: bool = True,
    bulk_mode: bool | None = None,
) -> Result:
    """Replace the generated values by ``target`` new ones, then rebuild the aggregate table.

    ``bulk_mode`` (default: when the table holds few other values) loads like a database
    restore: the data value table's secondary indexes and constraints are dropped, the rows
    copied, and the same indexes and constraints created again, all in one transaction, so
    a failure leaves the schema as it was. Building an index once is far cheaper than
    updating six of them for every row. (The values' references to elements and sites are
    checked by one statement-level trigger over the whole COPY, indicators migration 0004.)
    """
    today = today or timezone.localdate()
    started = time.perf_counter()
    elements = catalogue_elements()
    by_code = {e.code: e for e in elements}
    recipes = Recipes(seed, by_code)

    yearly = [e for e in elements if e.period_type == periods.YEARLY]
    local = [e for e in elements if e.period_type != periods.YEARLY]
    plan_periods = {t: _periods(t, today) for t in periods.PERIOD_TYPES}

    def rows_per_unit(group):
        return sum(len(_cocs(e)) * len(plan_periods[e.period_type]) for e in group)

    regency_count = Region.objects.filter(level=2).count()
    yearly_rows = rows_per_unit(yearly) * regency_count
    if yearly_rows > target // 2:  # tiny targets (tests): local units only
        yearly, yearly_rows = [], 0
    per_local = rows_per_unit(local)
    local_needed = math.ceil((target - yearly_rows) / per_local) if per_local else 0
    regencies, local_units = _units(local_needed)
    surplus = yearly_rows + per_local * len(local_units) - target

    first = today.replace(year=today.year - YEARS_BACK, month=1, day=1)
    bar = progress(total=target, desc="National data values") if progress else None

    status_of: dict[str, dict[int, str]] = defaultdict(dict)  # period → regency → status

    def generate():
        """Rows in (element, period, org unit, coc) order, the unique index's order; the
        last org unit drops its first ``surplus`` rows so the total is exactly ``target``."""
        dropped = 0
        last_unit = local_units[-1].code if local_units else None
        for group, units in ((yearly, regencies), (local, local_units)):
            for element in group:
                cocs = _cocs(element)
                for period in plan_periods[element.period_type]:
                    step = (period.end.year - first.year) * 12 + period.end.month - first.month
                    statuses = status_of[period.id]
                    for index, unit in enumerate(units):
                        status = statuses.get(unit.regency)
                        if status is None:
                            status = statuses[unit.regency] = _status(
                                unit.regency, period, today, seed
                            )
                        for c, coc in enumerate(cocs):
                            if unit.code == last_unit and dropped < surplus:
                                dropped += 1
                                continue
                            cell = Cell(index, unit.size, step, period.end.month, c, len(cocs))
                            value = recipes.value(element, cell)
                            yield element, period, unit.code, coc, value, status

    with transaction.atomic():
        DataValue.objects.filter(stored_by=MARKER).delete()
        # The generated site and drug-prone counts stand in for the derived ones (which
        # `cegah derive` computes again from the registry, replacing these).
        DataValue.objects.filter(source=DataValue.Source.DERIVED).delete()
        if bulk_mode is None:
            bulk_mode = DataValue.objects.count() < target // 4
        with _indexes_dropped(bulk_mode):
            load = _copy if connection.vendor == "postgresql" else _executemany
            written = load(generate(), bar)
    if bar is not None:
        bar.close()
    seconds_values = time.perf_counter() - started
    aggregate_rows, seconds_aggregate = 0, 0.0
    if rebuild_aggregates:
        t = time.perf_counter()
        aggregate_rows = cube.rebuild()
        seconds_aggregate = time.perf_counter() - t
    return Result(
        written,
        len(regencies) * bool(yearly) + len(local_units),
        [e.code for e in elements],
        seconds_values,
        seconds_aggregate,
        aggregate_rows,
    )


_COLUMNS = [
    "data_element_id", "period", "year", "half", "quarter", "month", "org_unit",
    "region_code", "coc", "value", "status",
]  # fmt: skip


def _constant_columns() -> dict[str, object]:
    """Every other column of the data value table, with the value generated rows carry."""
    now = timezone.now()
    constants = {}
    for f in DataValue._meta.concrete_fields:
        if f.primary_key or f.attname in _COLUMNS:
            continue
        if f.attname == "stored_by":
            constants[f.column] = MARKER
        elif f.attname == "source":
            constants[f.column] = DataValue.Source.IMPORTED.value
        elif f.attname == "updated_at":
            constants[f.column] = now
        else:
            constants[f.column] = f.get_default()
    return constants


def _period_parts(period: periods.Period) -> tuple:
    c = DataValue.period_columns(period)
    return (period.id, c["year"], c["half"], c["quarter"], c["month"])


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(float(value))


def _copy(rows, bar) -> int:
    constants = _constant_columns()
    columns = [*_COLUMNS, *constants]
    tail = "\t".join(_copy_text(v) for v in constants.values())
    table = connection.ops.quote_name(DataValue._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    period_text: dict[str, str] = {}
    written = 0
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            lines = []
            for element, period, org_unit, coc, value, status in rows:
                p = period_text.get(period.id)
                if p is None:
                    p = period_text[period.id] = "\t".join(
                        _copy_text(v) for v in _period_parts(period)
                    )
                region = org_unit  # generated values are recorded at regions
                lines.append(
                    f"{element.id}\t{p}\t{org_unit}\t{region}\t{coc}\t{_number(value)}\t"
                    f"{status}\t{tail}\n"
                )
                if len(lines) >= _COPY_CHUNK:
                    copy.write("".join(lines))
                    written += len(lines)
                    if bar is not None:
                        bar.update(len(lines))
                    lines = []
            if lines:
                copy.write("".join(lines))
                written += len(lines)
                if bar is not None:
                    bar.update(len(lines))
        cursor.execute(f"ANALYZE {table}")
    return written


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _executemany(rows, bar) -> int:
    """SQLite: executemany in batches, inside the caller's transaction."""
    constants = _constant_columns()
    columns = [*_COLUMNS, *constants]
    tail = tuple(
        connection.ops.adapt_datetimefield_value(v) if hasattr(v, "isoformat") else v
        for v in constants.values()
    )  # adapted once, not per row
    table = connection.ops.quote_name(DataValue._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    parts: dict[str, tuple] = {}
    written = 0
    batch = []
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size = -1000000")  # 1 GB: keep the indexes in memory
        for element, period, org_unit, coc, value, status in rows:
            p = parts.get(period.id)
            if p is None:
                p = parts[period.id] = _period_parts(period)
            batch.append((element.id, *p, org_unit, org_unit, coc, value, status, *tail))
            if len(batch) >= _SQLITE_BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                if bar is not None:
                    bar.update(len(batch))
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
            if bar is not None:
                bar.update(len(batch))
    return written


@contextmanager
def _indexes_dropped(enabled: bool):
    """Drop the data value table's secondary indexes and constraints (not its primary key)
    for the block, then create them again from their own definitions. Must run inside a
    transaction (both databases roll DDL back)."""
    if not enabled:
        yield
        return
    table = DataValue._meta.db_table
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f', 'p')",
                [table],
            )
            constraints = cursor.fetchall()
            owned = {name for name, _t, _d in constraints}
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = %s",
                [table],
            )
            indexes = [(n, d) for n, d in cursor.fetchall() if n not in owned]
            constraints = [(n, t, d) for n, t, d in constraints if t != "p"]
            for name, _type, _definition in constraints:
                cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {_q(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {_q(name)}")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            indexes, constraints = cursor.fetchall(), []
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {_q(name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for kind in ("u", "f"):  # unique constraints, then foreign keys
            for name, _type, definition in (c for c in constraints if c[1] == kind):
                cursor.execute(f"ALTER TABLE {quoted} ADD CONSTRAINT {_q(name)} {definition}")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)
