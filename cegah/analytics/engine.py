"""The analytics engine: one function for dashboards, reports and the API.

``analytics(user, dx, pe, ou, approved_only=False)`` answers rows of
(dx, pe, ou, value, numerator, denominator, factor) with DHIS2's semantics:

1. Each data element is aggregated first over the requested period and org unit:
   a value counts when its period lies inside the requested period (months roll into
   quarters, halves and years; finer requested periods than the element's own get nothing)
   and its region code is the org unit's or starts with it followed by a dot (a site's
   values roll up through its region). The element's aggregation type decides how:
   SUM; AVERAGE (of every value); MAX; COUNT (of non-zero values: yes = 1); LAST (per org
   unit and disaggregation, the value of the last period inside the requested one that has
   a value, summed over org units).
2. An indicator is then numerator ÷ denominator × factor, both expressions evaluated on
   those aggregates: a province's ratio is the sum of its numerators over the sum of its
   denominators, never the mean of its regencies' ratios. A missing element counts as 0;
   no row when the denominator is 0 or none of the indicator's elements has a value.

Data come from the aggregate table for provinces and regencies (``cube``) and from the
data values for districts, villages and sites: one query per source × period type ×
(element totals | single disaggregations) [× LAST or not, on data values], never a query
per org unit or period. ``approved_only`` counts only approved and accepted values.
Which org units a user may ask for is decided in ``dimensions`` (scope; 404 outside).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils.translation import gettext as _

from cegah.core import periods
from cegah.core.scope import Scope, scope_for
from cegah.indicators import expressions
from cegah.indicators.models import DataElement, DataValue
from cegah.regions.models import Region

from . import cube
from .dimensions import (
    CODE_LENGTH,
    SITE_LEVEL,
    AnalyticsError,
    DataItem,
    OrgUnit,
    resolve_data,
    resolve_org_units,
    resolve_periods,
)
from .models import Aggregate

__all__ = ["AnalyticsError", "Query", "Row", "analytics", "resolve", "run"]

MAX_CELLS = 500_000  # dx × pe × ou per request
LISTED_REGIONS = 1000  # above this many org units of one level, filter by scope instead

Agg = DataElement.Aggregation

# Columns that identify a period of each type, finest last.
_PERIOD_COLUMNS = {
    periods.YEARLY: ("year",),
    periods.SIX_MONTHLY: ("year", "half"),
    periods.QUARTERLY: ("year", "quarter"),
    periods.MONTHLY: ("year", "month"),
}
# The aggregate-table column holding LAST for a requested period type.
_CUBE_LAST = {
    periods.YEARLY: "last_year",
    periods.SIX_MONTHLY: "last_half",
    periods.QUARTERLY: "last_quarter",
    periods.MONTHLY: "total",
}


@dataclass(frozen=True)
class Row:
    dx: str
    pe: str
    ou: str
    value: float
    numerator: float | None = None
    denominator: float | None = None
    factor: float | None = None


@dataclass
class Query:
    """A resolved request: what to compute, for which periods and org units."""

    items: list[DataItem]
    elements: dict[str, DataElement]
    periods: list[periods.Period]
    org_units: list[OrgUnit]
    scope: Scope
    approved_only: bool = False
    # Levels asked for whole (LEVEL-n by a national user): no need to list their codes.
    complete_levels: frozenset[int] = frozenset()

    @property
    def cells(self) -> int:
        return len(self.items) * len(self.periods) * len(self.org_units)


def _value(aggregation: str, totals: tuple) -> float | None:
    """An element's value from its (total, count, maximum, true_count, last) aggregates."""
    total, count, maximum, true_count, last = totals
    if not count:
        return None
    if aggregation == Agg.SUM:
        return float(total)
    if aggregation == Agg.AVERAGE:
        return total / count
    if aggregation == Agg.MAX:
        return maximum
    if aggregation == Agg.COUNT:
        return float(true_count)
    return last  # LAST


def resolve(
    user,
    dx: list[str],
    pe: list[str],
    ou: list[str],
    approved_only: bool = False,
    *,
    today: date | None = None,
) -> Query:
    """Check and expand a request (AnalyticsError: 422; Http404: an org unit out of scope)."""
    scope = scope_for(user)
    items, elements = resolve_data(dx)
    found_periods = resolve_periods(pe, today)
    org_units = resolve_org_units(scope, ou)
    complete = frozenset(
        int(item.strip()[6:])
        for item in ou
        if scope.everything and item.strip().upper().startswith("LEVEL-")
    )
    query = Query(items, elements, found_periods, org_units, scope, approved_only, complete)
    if query.cells > MAX_CELLS:
        raise AnalyticsError(
            _(
                "The request asks for %(cells)s cells (data × periods × org units); at most "
                "%(max)s at once."
            )
            % {"cells": f"{query.cells:,}", "max": f"{MAX_CELLS:,}"}
        )
    return query


def analytics(
    user,
    dx: list[str],
    pe: list[str],
    ou: list[str],
    approved_only: bool = False,
    *,
    today: date | None = None,
    use_cube: bool = True,
) -> list[Row]:
    """Rows of value, numerator and denominator for data × periods × org units in scope."""
    return run(resolve(user, dx, pe, ou, approved_only, today=today), use_cube=use_cube)


def run(query: Query, *, use_cube: bool = True) -> list[Row]:
    """Compute a resolved query. ``use_cube=False`` reads every org unit from the data
    values (the engine's own cross-check; the aggregate table is the fast path)."""
    data = _fetch(query, use_cube)
    period_ids = [p.id for p in query.periods]
    ou_codes = [u.code for u in query.org_units]
    rows: list[Row] = []
    for item in query.items:
        if item.element is not None:
            element_id, coc, aggregation = item.element.id, item.coc, item.element.aggregation
            for pe in period_ids:
                for ou in ou_codes:
                    totals = data.get((element_id, coc, pe, ou))
                    value = _value(aggregation, totals) if totals else None
                    if value is not None:
                        rows.append(Row(item.code, pe, ou, value))
            continue
        references = [
            (code, query.elements[code].id, query.elements[code].aggregation)
            for code in item.references
        ]
        factor = item.indicator.factor
        for pe in period_ids:
            for ou in ou_codes:
                values = {}
                for code, element_id, aggregation in references:
                    totals = data.get((element_id, None, pe, ou))
                    if totals:
                        value = _value(aggregation, totals)
                        if value is not None:
                            values[code] = value
                if not values:
                    continue
                numerator = expressions.evaluate(item.numerator, values)
                denominator = expressions.evaluate(item.denominator, values)
                if numerator is None or not denominator:
                    continue
                value = numerator / denominator * factor
                rows.append(Row(item.code, pe, ou, value, numerator, denominator, factor))
    return rows


# ---------------------------------------------------------------------------------------
# Fetching aggregates


@dataclass
class _Wanted:
    """Which element totals and which single disaggregations a query needs."""

    totals: set[int] = field(default_factory=set)
    cocs: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))


def _wanted(query: Query) -> _Wanted:
    wanted = _Wanted()
    for item in query.items:
        if item.element is None:
            wanted.totals |= {query.elements[c].pk for c in item.references}
        elif item.coc is None:
            wanted.totals.add(item.element.pk)
        else:
            wanted.cocs[item.element.pk].add(item.coc)
    return wanted


def _fetch(query: Query, use_cube: bool) -> dict[tuple, tuple]:
    """(element id, coc or None, period id, org unit code) →
    (total, count, maximum, true_count, last)."""
    wanted = _wanted(query)
    by_type: dict[str, list[periods.Period]] = defaultdict(list)
    for period in query.periods:
        by_type[period.type].append(period)
    by_level: dict[int, list[OrgUnit]] = defaultdict(list)
    for unit in query.org_units:
        by_level[unit.level].append(unit)
    aggregation = {e.pk: e.aggregation for e in query.elements.values()}

    data: dict[tuple, tuple] = {}
    for period_type, chosen in by_type.items():
        for level, units in by_level.items():
            from_cube = use_cube and level in (cube.PROVINCE, cube.REGENCY)
            for element_ids, cocs in _element_groups(wanted):
                by_coc = cocs is not None
                if from_cube:
                    sql, params = _cube_sql(
                        query, level, units, period_type, chosen, element_ids, cocs
                    )
                    no_last = _collect(data, sql, params, period_type, chosen, units, by_coc)
                    # An element that became LAST after its rows were computed has no LAST
                    # columns yet: read it from the data values until it is refreshed.
                    element_ids = [e for e in no_last if aggregation[e] == Agg.LAST]
                    if not element_ids:
                        continue
                # On data values LAST needs a window: query LAST elements apart.
                last = [e for e in element_ids if aggregation[e] == Agg.LAST]
                other = [e for e in element_ids if aggregation[e] != Agg.LAST]
                for ids, is_last in ((other, False), (last, True)):
                    if ids:
                        sql, params = _raw_sql(
                            query, level, units, period_type, chosen, ids, cocs, is_last
                        )
                        _collect(data, sql, params, period_type, chosen, units, by_coc)
    return data


def _element_groups(wanted: _Wanted):
    """(element ids, None) for totals, then (element ids, cocs) for single disaggregations."""
    if wanted.totals:
        yield sorted(wanted.totals), None
    if wanted.cocs:
        cocs = sorted({c for combos in wanted.cocs.values() for c in combos})
        yield sorted(wanted.cocs), cocs


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _period_filter(period_type: str, chosen: list[periods.Period]) -> tuple[str, list]:
    columns = _PERIOD_COLUMNS[period_type]
    years = sorted({p.year for p in chosen})
    sql = f"year IN ({_placeholders(years)})"
    params: list = list(years)
    if len(columns) == 2:
        pairs = sorted({_period_key(p) for p in chosen})
        sql += " AND (" + " OR ".join([f"(year = %s AND {columns[1]} = %s)"] * len(pairs)) + ")"
        for pair in pairs:
            params.extend(pair)
    return sql, params


def _period_key(period: periods.Period):
    """The stored columns that identify a period: the year, or (year, half|quarter|month)."""
    columns = DataValue.period_columns(period)
    key = tuple(columns[c] for c in _PERIOD_COLUMNS[period.type])
    return key[0] if len(key) == 1 else key


def _cube_sql(query, level, units, period_type, chosen, element_ids, cocs):
    agg = connection.ops.quote_name(Aggregate._meta.db_table)
    columns = ", ".join(_PERIOD_COLUMNS[period_type])
    coc = "coc, " if cocs is not None else ""
    period_sql, period_params = _period_filter(period_type, chosen)
    codes = [] if level in query.complete_levels else [u.code for u in units]
    regions = f" AND region IN ({_placeholders(codes)})" if codes else ""
    sql = (
        f"SELECT data_element_id, {coc}region, {columns}, SUM(total), SUM(count), "
        f"MAX(maximum), SUM(true_count), {cube.complete_sum(_CUBE_LAST[period_type])} FROM {agg} "
        f"WHERE level = %s AND approved = %s AND data_element_id IN ({_placeholders(element_ids)})"
        f"{regions} AND {period_sql}"
    )
    params = [level, query.approved_only, *element_ids, *codes, *period_params]
    if cocs is not None:
        sql += f" AND coc IN ({_placeholders(cocs)})"
        params += cocs
    sql += f" GROUP BY data_element_id, {coc}region, {columns}"
    return sql, params


def _raw_sql(query, level, units, period_type, chosen, element_ids, cocs, is_last):
    dv = connection.ops.quote_name(DataValue._meta.db_table)
    columns = ", ".join(_PERIOD_COLUMNS[period_type])
    coc = "coc, " if cocs is not None else ""
    period_sql, period_params = _period_filter(period_type, chosen)
    where = f"data_element_id IN ({_placeholders(element_ids)}) AND {period_sql}"
    params: list = [*element_ids, *period_params]
    if cocs is not None:
        where += f" AND coc IN ({_placeholders(cocs)})"
        params += cocs
    if query.approved_only:
        where += f" AND status IN ({_placeholders(cube.APPROVED_STATUSES)})"
        params += cube.APPROVED_STATUSES
    if level == SITE_LEVEL:
        key = "site_id"
        ids = [u.site_id for u in units]
        where += f" AND site_id IN ({_placeholders(ids)})"
        params += ids
    else:
        key = f"SUBSTR(region_code, 1, {CODE_LENGTH[level]})"
        codes = [u.code for u in units]
        subtree = _subtree_codes(codes, level) if len(codes) <= LISTED_REGIONS else None
        if subtree is not None:
            # Every region code a value under these org units can carry: an index lookup.
            where += f" AND region_code IN ({_placeholders(subtree)})"
            params += subtree
        elif len(codes) <= LISTED_REGIONS:
            where += f" AND {key} IN ({_placeholders(codes)})"
            params += codes
        else:  # every org unit of a level in scope: filter by scope, extra keys are dropped
            where += f" AND LENGTH(region_code) >= {CODE_LENGTH[level]}"
            if not query.scope.everything:
                where += " AND (region_code = %s OR region_code LIKE %s)"
                params += [query.scope.region_code, query.scope.region_code + ".%"]
    if is_last:
        rank = (
            f"ROW_NUMBER() OVER (PARTITION BY data_element_id, org_unit, coc, {columns} "
            f"ORDER BY {cube.PERIOD_END_SQL} DESC, period DESC)"
        )
        last = "SUM(CASE WHEN rn = 1 THEN value ELSE 0 END)"
    else:
        rank, last = "1", "SUM(value)"
    sql = (
        f"SELECT data_element_id, {coc}ou_key, {columns}, SUM(value), COUNT(*), MAX(value), "
        f"SUM(CASE WHEN value <> 0 THEN 1 ELSE 0 END), {last} FROM ("
        f"SELECT data_element_id, coc, {key} AS ou_key, {columns}, value, {rank} AS rn "
        f"FROM {dv} WHERE {where}) AS v GROUP BY data_element_id, {coc}ou_key, {columns}"
    )
    return sql, params


def _subtree_codes(codes: list[str], level: int) -> list[str] | None:
    """The codes and every descendant code of some districts or villages (one query), or
    None when there are too many to list (then the region codes are matched by prefix)."""
    if level == 4:
        return codes
    if level != 3:
        return None
    children = Region.objects.filter(parent_id__in=codes).values_list("code", flat=True)
    found = codes + list(children)
    return found if len(found) <= cube.MAX_LISTED_CODES else None


def _collect(data, sql, params, period_type, chosen, units, by_coc: bool) -> set[int]:
    """Store the query's aggregates in ``data``; the element ids that came without LAST."""
    width = len(_PERIOD_COLUMNS[period_type])
    period_ids = {_period_key(p): p.id for p in chosen}
    site_codes = {u.site_id: u.code for u in units if u.level == SITE_LEVEL}
    requested = {u.code for u in units}
    key_at = 2 if by_coc else 1
    first, last = key_at + 1, key_at + 1 + width
    no_last = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            ou = row[key_at]
            if site_codes:
                ou = site_codes.get(ou)
            period = period_ids.get(row[first] if width == 1 else tuple(row[first:last]))
            if ou not in requested or period is None:
                continue
            totals = row[last:]
            if totals[4] is None:
                no_last.add(row[0])
            data[(row[0], row[1] if by_coc else None, period, ou)] = totals
    return no_last
