"""Test catalogue objects and a brute-force aggregator the engine is checked against.

The tests create their own data elements and indicators (codes T_…), independent of the
shipped default catalogue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cegah.core import periods
from cegah.indicators import expressions
from cegah.indicators.models import DataElement, DataValue, Indicator

Agg = DataElement.Aggregation
APPROVED = {"approved", "accepted"}


def element(code, aggregation=Agg.SUM, period_type=periods.MONTHLY, disaggregation="", **extra):
    return DataElement.objects.create(
        code=code,
        name_id=code,
        name_en=f"{code} (en)",
        definition_id="uji",
        definition_en="test",
        value_type=extra.pop("value_type", DataElement.ValueType.INTEGER),
        aggregation=aggregation,
        period_type=period_type,
        field="pencegahan",
        disaggregation=disaggregation,
        **extra,
    )


def indicator(code, numerator, denominator="1", factor=1.0):
    return Indicator.objects.create(
        code=code,
        name_id=code,
        name_en=f"{code} (en)",
        definition_id="uji",
        definition_en="test",
        numerator=numerator,
        denominator=denominator,
        factor=factor,
        direction="higher",
        kind="outcome",
        field="pencegahan",
    )


@dataclass(frozen=True)
class Value:
    """A data value as the brute force sees it."""

    element: DataElement
    period: str
    org_unit: str
    region_code: str
    value: float
    coc: str = "default"
    status: str = "draft"
    site_id: int | None = None


def bulk_create(values: list[Value]) -> list[DataValue]:
    """Store values directly (the engine tests do not need the write path's checks)."""
    rows = [
        DataValue(
            data_element=v.element,
            period=v.period,
            org_unit=v.org_unit,
            region_code=v.region_code,
            site_id=v.site_id,
            coc=v.coc,
            value=v.value,
            status=v.status,
            **DataValue.period_columns(periods.parse(v.period)),
        )
        for v in values
    ]
    return DataValue.objects.bulk_create(rows)


def keys_of(values) -> set[tuple[int, str, int]]:
    return {(v.element.pk, v.region_code, periods.parse(v.period).year) for v in values}


def _in_org_unit(value: Value, org_unit: str, site_codes: dict[str, int]) -> bool:
    if org_unit in site_codes:
        return value.site_id == site_codes[org_unit]
    return value.region_code == org_unit or value.region_code.startswith(org_unit + ".")


def brute_element(values, element, coc, period_id, org_unit, site_codes, approved_only=False):
    """The DHIS2 aggregate of one element in one period and org unit, by plain Python."""
    requested = periods.parse(period_id)
    chosen = [
        v
        for v in values
        if v.element.pk == element.pk
        and (coc is None or v.coc == coc)
        and requested.contains(periods.parse(v.period))
        and _in_org_unit(v, org_unit, site_codes)
        and (not approved_only or v.status in APPROVED)
    ]
    if not chosen:
        return None
    numbers = [v.value for v in chosen]
    aggregation = element.aggregation
    if aggregation == Agg.SUM:
        return sum(numbers)
    if aggregation == Agg.AVERAGE:
        return sum(numbers) / len(numbers)
    if aggregation == Agg.MAX:
        return max(numbers)
    if aggregation == Agg.COUNT:
        return float(sum(1 for n in numbers if n != 0))
    last: dict[tuple, Value] = {}
    for v in chosen:  # LAST: per org unit and disaggregation, the latest period's value
        leaf = (v.org_unit, v.coc)
        rank = (periods.parse(v.period).end, v.period)
        if leaf not in last or rank > (periods.parse(last[leaf].period).end, last[leaf].period):
            last[leaf] = v
    return sum(v.value for v in last.values())


def brute_indicator(
    values, ind: Indicator, elements_by_code, period_id, org_unit, site_codes, approved_only=False
):
    numerator = expressions.parse(ind.numerator)
    denominator = expressions.parse(ind.denominator)
    aggregates = {}
    for code in expressions.references(numerator) | expressions.references(denominator):
        value = brute_element(
            values, elements_by_code[code], None, period_id, org_unit, site_codes, approved_only
        )
        if value is not None:
            aggregates[code] = value
    if not aggregates:
        return None
    num = expressions.evaluate(numerator, aggregates)
    den = expressions.evaluate(denominator, aggregates)
    if num is None or not den:
        return None
    return num / den * ind.factor


def as_table(rows) -> dict[tuple[str, str, str], float]:
    table = defaultdict(float)
    for row in rows:
        table[(row.dx, row.pe, row.ou)] = row.value
    return dict(table)
