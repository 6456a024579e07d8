"""The aggregate table (``models.Aggregate``): DHIS2's analytics tables, kept current.

Each row holds sum, count, maximum, count of non-zero values and the LAST contributions of
the data values of one data element × category option combo × period inside one regency
(level 2) or province (level 1), once over every value and once over approved/accepted
values only. The engine reads provinces and regencies from here instead of scanning
millions of data values; districts, villages and sites it reads from the values themselves.

Consistency: ``refresh(keys)`` recomputes, inside the caller's transaction, the rows of
every (data element, year, regency) touched and of their provinces. It runs on the
``indicators.signals.data_values_changed`` signal that every write path sends.
``rebuild()`` recomputes the whole table from the data values (after a bulk load that
bypassed the signal, or to repair). Partitions are locked while they are recomputed
(PostgreSQL advisory locks), so two concurrent writers cannot both insert the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, transaction

from cegah.indicators.models import LOCKED_STATUSES, DataElement, DataValue
from cegah.regions.models import Region

from .models import Aggregate

PROVINCE, REGENCY = 1, 2
REGENCY_CODE_LENGTH = 5
APPROVED_STATUSES = tuple(str(s) for s in LOCKED_STATUSES)  # approved, accepted
# Past this many raw region codes a refresh scans the data element's year instead of
# listing every district and village of the touched regencies.
MAX_LISTED_CODES = 2000
_LOCK_NAMESPACE = 0x43474148  # "CGAH": advisory locks of this module

# The month a stored period ends in: its rank for LAST (the latest period wins; ties, which
# only mixed period types produce, go to the larger period id).
PERIOD_END_SQL = "COALESCE(month, quarter * 3, half * 6, 12)"
_REGENCY_KEY_SQL = (
    "CASE WHEN LENGTH(region_code) >= 5 THEN SUBSTR(region_code, 1, 5) ELSE region_code END"
)
_COLUMNS = (
    "data_element_id, coc, level, region, approved, period, year, half, quarter, month, "
    "total, count, maximum, true_count, last_quarter, last_half, last_year"
)


def regency_key(region_code: str) -> str:
    """The level-2 row a value belongs to: its regency, or its province for province values."""
    return region_code[:REGENCY_CODE_LENGTH]


def on_values_changed(sender, keys, **kwargs) -> None:
    refresh(keys)


def _tables() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(Aggregate._meta.db_table), quote(DataValue._meta.db_table)


def _c(column: str) -> str:
    """A text column compared byte by byte: sorting under a libc locale (PostgreSQL's
    default collation) is several times slower, and codes need no linguistic order."""
    return f'{column} COLLATE "C"' if connection.vendor == "postgresql" else column


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _insert_regencies_sql(where: str, approved: bool, last: bool, by_kind: bool = True) -> str:
    """Level-2 rows from data values matching ``where``, for the LAST data elements
    (``last``) or for all others.

    Other elements: a plain GROUP BY, and no LAST columns (NULL: the engine reads LAST
    from the data values should an element become LAST before its rows are refreshed).
    LAST elements: one window per leaf (element × org unit × coc × year), latest period
    first. The first row of the year is the year's last value; a row whose quarter (half)
    differs from the row before it is the last of its quarter (half). One sort serves all
    three because a data element's values share its period type (the write path enforces
    it), so the rows of one quarter are adjacent.
    """
    agg, dv = _tables()
    de = connection.ops.quote_name(DataElement._meta.db_table)
    status = f" AND status IN ({_placeholders(APPROVED_STATUSES)})" if approved else ""
    flag = "TRUE" if approved else "FALSE"
    which = "=" if last else "<>"
    # ``by_kind`` False: ``where`` already names elements of the one kind only.
    elements = (
        f"data_element_id IN (SELECT id FROM {de} WHERE aggregation {which} 'LAST')"
        if by_kind
        else "TRUE"
    )
    common = "SUM(value), COUNT(*), MAX(value), SUM(CASE WHEN value <> 0 THEN 1 ELSE 0 END)"
    if not last:
        return f"""
            INSERT INTO {agg} ({_COLUMNS})
            SELECT data_element_id, coc, {REGENCY}, {_REGENCY_KEY_SQL}, {flag}, period, year,
                   half, quarter, month, {common}, NULL, NULL, NULL
            FROM {dv}
            WHERE {where}{status} AND {elements}
            GROUP BY data_element_id, coc, {_REGENCY_KEY_SQL}, period, year, half, quarter, month
        """
    return f"""
        INSERT INTO {agg} ({_COLUMNS})
        SELECT data_element_id, coc, {REGENCY}, rkey, {flag}, period, year, half, quarter, month,
               {common},
               SUM(CASE WHEN first_of_quarter THEN value ELSE 0 END),
               SUM(CASE WHEN first_of_half THEN value ELSE 0 END),
               SUM(CASE WHEN first_of_year THEN value ELSE 0 END)
        FROM (
            SELECT data_element_id, coc, {_REGENCY_KEY_SQL} AS rkey, period, year, half,
                   quarter, month, value,
                   COALESCE(LAG(quarter) OVER leaf, 0) <> COALESCE(quarter, 0)
                       AS first_of_quarter,
                   COALESCE(LAG(half) OVER leaf, 0) <> COALESCE(half, 0) AS first_of_half,
                   ROW_NUMBER() OVER leaf = 1 AS first_of_year
            FROM {dv}
            WHERE {where}{status} AND {elements}
            WINDOW leaf AS (
                PARTITION BY data_element_id, {_c("org_unit")}, {_c("coc")}, year
                ORDER BY {PERIOD_END_SQL} DESC, {_c("period")} DESC
            )
        ) ranked
        GROUP BY data_element_id, coc, rkey, period, year, half, quarter, month
    """


def _insert_provinces_sql(where: str) -> str:
    agg, _dv = _tables()
    return f"""
        INSERT INTO {agg} ({_COLUMNS})
        SELECT data_element_id, coc, {PROVINCE}, SUBSTR(region, 1, 2), approved, period, year,
               half, quarter, month, SUM(total), SUM(count), MAX(maximum), SUM(true_count),
               {complete_sum("last_quarter")}, {complete_sum("last_half")},
               {complete_sum("last_year")}
        FROM {agg}
        WHERE level = {REGENCY} AND {where}
        GROUP BY data_element_id, coc, SUBSTR(region, 1, 2), approved, period, year, half,
                 quarter, month
    """


def complete_sum(column: str) -> str:
    """SUM of a LAST column, NULL unless every row has it: rows computed before their element
    became LAST must not yield a partial sum."""
    return f"CASE WHEN COUNT({column}) = COUNT(*) THEN SUM({column}) END"


def _execute(cursor, sql: str, params=()) -> None:
    cursor.execute(sql, list(params))


def _insert_regencies(cursor, where: str, params: list, last: bool | None = None) -> None:
    """Both kinds of elements (``last`` None), or, when ``where`` names elements of one
    kind only, that kind without asking the element table for it."""
    for approved in (False, True):
        extra = list(APPROVED_STATUSES) if approved else []
        for kind in (False, True) if last is None else (last,):
            sql = _insert_regencies_sql(where, approved, kind, by_kind=last is None)
            _execute(cursor, sql, params + extra)


@transaction.atomic
def rebuild() -> int:
    """Recompute the whole table from the data values; returns the number of rows.

    On PostgreSQL the table is emptied with TRUNCATE (no dead rows left behind) and then
    stored in its index's order (CLUSTER), so a query for some elements, a level and a
    year reads a few adjacent pages instead of one page per row."""
    agg, _dv = _tables()
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            _execute(cursor, "SET LOCAL work_mem = '256MB'")
            _execute(cursor, f"TRUNCATE {agg}")
        else:
            _execute(cursor, f"DELETE FROM {agg}")
        _insert_regencies(cursor, "1 = 1", [])
        _execute(cursor, _insert_provinces_sql("1 = 1"))
        if postgres:
            index = connection.ops.quote_name(Aggregate._meta.indexes[0].name)
            _execute(cursor, f"CLUSTER {agg} USING {index}")
            _execute(cursor, f"ANALYZE {agg}")
    return Aggregate.objects.count()


def refresh(keys: Iterable[tuple[int, str, int]]) -> None:
    """Recompute the rows behind changed values, given as (data_element_id, region_code, year).

    Per year, every touched data element is recomputed in every touched regency (a small
    over-cover that keeps it to a few statements), then their provinces from the regencies.
    """
    by_year: dict[int, tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
    for element_id, region_code, year in keys:
        elements, regencies = by_year[int(year)]
        elements.add(int(element_id))
        regencies.add(regency_key(region_code))
    if not by_year:
        return
    touched = {e for els, _r in by_year.values() for e in els}
    last_elements = set(
        DataElement.objects.filter(
            pk__in=touched, aggregation=DataElement.Aggregation.LAST
        ).values_list("pk", flat=True)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor, sorted((y, e) for y, (els, _r) in by_year.items() for e in els))
        regencies = sum(len(r) for _e, r in by_year.values())
        with _large_refresh(cursor, regencies >= LARGE_REFRESH_REGENCIES):
            for year in sorted(by_year):
                elements, regencies = by_year[year]
                _refresh_year(cursor, year, sorted(elements), sorted(regencies), last_elements)


# A refresh touching this many regencies (a large import) runs with other settings.
LARGE_REFRESH_REGENCIES = 50


# PostgreSQL settings while a large refresh runs (see ``_large_refresh``).
_LARGE_REFRESH_SETTINGS = {
    "work_mem": "128MB",
    "enable_sort": "off",
    "enable_incremental_sort": "off",
    "jit": "off",
}


@contextmanager
def _large_refresh(cursor, large: bool):
    """PostgreSQL, while a large refresh runs, for this transaction only (like SET LOCAL,
    and set back afterwards):

    - a larger work_mem: its GROUP BY of a hundred thousand values otherwise spills to disk;
    - grouping by hashing rather than sorting. The planner has no statistics yet for the
      rows just written (a new year: it expects one row), so it sorted 100,000 rows by text
      columns to group them, three times slower than hashing them. Where only a sort will
      do (LAST's window) it still sorts; with sorting priced out every plan looks costly,
      so JIT compilation, which would then set in (0.4 s), is off too.
    """
    if not large or connection.vendor != "postgresql":
        yield
        return
    names = list(_LARGE_REFRESH_SETTINGS)
    cursor.execute(
        "SELECT " + ", ".join("current_setting(%s)" for _name in names),  # noqa: S608
        names,
    )
    previous = dict(zip(names, cursor.fetchone(), strict=True))
    _set_local(cursor, _LARGE_REFRESH_SETTINGS)
    yield  # on an error the transaction (or savepoint) is rolled back, the settings with it
    _set_local(cursor, previous)


def _set_local(cursor, settings: dict[str, str]) -> None:
    cursor.execute(
        "SELECT " + ", ".join("set_config(%s, %s, true)" for _name in settings),  # noqa: S608
        [x for item in settings.items() for x in item],
    )


def _lock(cursor, partitions: list[tuple[int, int]]) -> None:
    """Serialise recomputations of the same (year, data element) until commit; always in
    the same order, so two writers cannot deadlock on each other's partitions."""
    if connection.vendor != "postgresql":
        return  # SQLite writers are serialised by the database lock already
    for year, element_id in partitions:
        _execute(
            cursor,
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [_LOCK_NAMESPACE, (year << 20) ^ element_id],
        )


def _refresh_year(
    cursor, year: int, elements: list[int], regencies: list[str], last_elements: set[int]
) -> None:
    agg, _dv = _tables()
    provinces = sorted({r[:2] for r in regencies})
    el = _placeholders(elements)

    _execute(
        cursor,
        f"DELETE FROM {agg} WHERE data_element_id IN ({el}) AND level = {REGENCY} "
        f"AND year = %s AND region IN ({_placeholders(regencies)})",
        [*elements, year, *regencies],
    )
    codes = _region_codes_under(regencies)
    # Each kind of element (LAST or not) with its own statements, the elements listed: a
    # join to the element table let PostgreSQL misjudge the rows and loop over the values
    # once per element (a 100,000-value import: 2.5 s instead of 0.1 s).
    for last in (False, True):
        kind = [e for e in elements if (e in last_elements) == last]
        if not kind:
            continue
        el_kind = _placeholders(kind)
        if codes is not None:
            where = (
                f"data_element_id IN ({el_kind}) AND year = %s "
                f"AND region_code IN ({_placeholders(codes)})"
            )
            _insert_regencies(cursor, where, [*kind, year, *codes], last=last)
        else:
            where = (
                f"data_element_id IN ({el_kind}) AND year = %s "
                f"AND {_REGENCY_KEY_SQL} IN ({_placeholders(regencies)})"
            )
            _insert_regencies(cursor, where, [*kind, year, *regencies], last=last)

    _execute(
        cursor,
        f"DELETE FROM {agg} WHERE data_element_id IN ({el}) AND level = {PROVINCE} "
        f"AND year = %s AND region IN ({_placeholders(provinces)})",
        [*elements, year, *provinces],
    )
    members = provinces + list(
        Region.objects.filter(parent_id__in=provinces).values_list("code", flat=True)
    )
    _execute(
        cursor,
        _insert_provinces_sql(
            f"data_element_id IN ({el}) AND year = %s AND region IN ({_placeholders(members)})"
        ),
        [*elements, year, *members],
    )


def _region_codes_under(regencies: list[str]) -> list[str] | None:
    """Every region code a value of these regencies can carry (the regencies, their
    districts and villages), or None when listing them would cost more than a scan."""
    if len(regencies) > MAX_LISTED_CODES // 400:
        return None
    codes = set(regencies)  # province keys (a province's own values) stand for themselves
    parents = [r for r in regencies if len(r) == REGENCY_CODE_LENGTH]
    # Two lookups on the parent index (districts, then their villages): one query with an
    # OR over a join scanned every region (40 ms on SQLite, paid by every write).
    districts = list(Region.objects.filter(parent_id__in=parents).values_list("code", flat=True))
    codes.update(districts)
    if len(codes) > MAX_LISTED_CODES:
        return None
    codes.update(Region.objects.filter(parent_id__in=districts).values_list("code", flat=True))
    return sorted(codes) if len(codes) <= MAX_LISTED_CODES else None
