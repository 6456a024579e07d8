"""Property tests: on random data values the engine equals a brute-force Python aggregate,
for every aggregation type, at province, regency, district and site level, for years,
halves, quarters and months, on the aggregate table and on the raw values alike, also
after incremental refreshes, updates and deletes."""

import math

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cegah.analytics import cube
from cegah.analytics.engine import analytics
from cegah.core import periods
from cegah.indicators.models import DataValue
from tests.analytics.helpers import (
    Value,
    as_table,
    brute_element,
    brute_indicator,
    bulk_create,
    keys_of,
)

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MONTHS = [f"{y}{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
QUARTERS = [f"{y}Q{q}" for y in (2025, 2026) for q in range(1, 5)]
REQUESTED_PERIODS = ["2025", "2026", "2025S2", "2026S1", "2025Q4", "2026Q1", "2026Q3", "202511"]
STATUSES = ["draft", "submitted", "approved", "accepted"]

# Leaves (element × where × coc), each with several periods: LAST and AVERAGE only differ
# from SUM when one org unit has more than one value inside the requested period.
raw_values = st.lists(
    st.tuples(
        st.integers(0, 9),  # element
        st.integers(0, 16),  # where: a region of any level (14), or the site
        st.integers(0, 1),  # coc (M/F for the disaggregated elements)
        st.lists(
            st.tuples(
                st.integers(0, 23),  # period index (months; quarters use index % 8)
                st.integers(0, 40),  # value; zeros matter for COUNT
                st.sampled_from(STATUSES),
            ),
            min_size=1,
            max_size=8,
        ),
    ),
    max_size=10,
)


def build_values(raw, catalogue, places) -> list[Value]:
    regions = places.value_regions
    seen, values = set(), []
    for element_index, where, coc_index, entries in raw:
        element = catalogue.elements[element_index]
        coc = ("M", "F")[coc_index] if element.disaggregation else "default"
        if where >= len(regions):
            org_unit, region_code, site_id = places.site_code, places.site_region, places.site_id
        else:
            region_code = regions[where]
            org_unit, site_id = region_code, None
        for period_index, number, status in entries:
            if element.period_type == periods.MONTHLY:
                period = MONTHS[period_index]
            else:
                period = QUARTERS[period_index % len(QUARTERS)]
            key = (element.pk, period, org_unit, coc)
            if key in seen:
                continue
            seen.add(key)
            values.append(
                Value(element, period, org_unit, region_code, float(number), coc, status, site_id)
            )
    return values


def expected_table(values, catalogue, places, approved_only=False, cocs=False):
    sites = {places.site_code: places.site_id}
    table = {}
    for pe in REQUESTED_PERIODS:
        for ou in places.requested:
            for element in catalogue.elements:
                value = brute_element(values, element, None, pe, ou, sites, approved_only)
                if value is not None:
                    table[(element.code, pe, ou)] = value
                if cocs and element.disaggregation:
                    for coc in ("M", "F"):
                        value = brute_element(values, element, coc, pe, ou, sites, approved_only)
                        if value is not None:
                            table[(f"{element.code}.{coc}", pe, ou)] = value
            for ind in catalogue.indicators:
                value = brute_indicator(
                    values, ind, catalogue.by_code, pe, ou, sites, approved_only
                )
                if value is not None:
                    table[(ind.code, pe, ou)] = value
    return table


def engine_table(user, catalogue, places, approved_only=False, cocs=False, use_cube=True):
    dx = [e.code for e in catalogue.elements] + [i.code for i in catalogue.indicators]
    if cocs:
        dx += [f"{e.code}.{c}" for e in catalogue.elements if e.disaggregation for c in "MF"]
    rows = analytics(
        user, dx, REQUESTED_PERIODS, places.requested, approved_only, use_cube=use_cube
    )
    return as_table(rows)


def assert_same(actual: dict, expected: dict):
    assert actual.keys() == expected.keys()
    for key, value in expected.items():
        assert math.isclose(actual[key], value, rel_tol=1e-9, abs_tol=1e-9), key


@SETTINGS
@given(raw=raw_values, approved_only=st.booleans())
def test_engine_equals_brute_force(admin_user, catalogue, places, raw, approved_only):
    with transaction.atomic():
        values = build_values(raw, catalogue, places)
        bulk_create(values)
        cube.refresh(keys_of(values))

        expected = expected_table(values, catalogue, places, approved_only, cocs=True)
        for use_cube in (True, False):
            actual = engine_table(admin_user, catalogue, places, approved_only, True, use_cube)
            assert_same(actual, expected)
        transaction.set_rollback(True)


@SETTINGS
@given(first=raw_values, second=raw_values, changes=st.lists(st.integers(0, 60), max_size=10))
def test_incremental_refresh_equals_rebuild(admin_user, catalogue, places, first, second, changes):
    """Values arrive in two batches, some are then updated (value and status) and some
    deleted; refreshing only the touched keys each time leaves the aggregate table exactly
    as a full rebuild would."""
    with transaction.atomic():
        values = build_values(first, catalogue, places)
        bulk_create(values)
        cube.refresh(keys_of(values))
        stored_keys = {(v.element.pk, v.period, v.org_unit, v.coc) for v in values}
        later = [
            v
            for v in build_values(second, catalogue, places)
            if (v.element.pk, v.period, v.org_unit, v.coc) not in stored_keys
        ]
        bulk_create(later)
        cube.refresh(keys_of(later))
        values += later

        stored = list(DataValue.objects.filter(data_element__in=catalogue.elements).order_by("pk"))
        touched = set()
        for n in changes:
            if not stored:
                break
            dv = stored[n % len(stored)]
            touched.add((dv.data_element_id, dv.region_code, dv.year))
            if n % 3 == 0:
                dv.delete()
                stored.remove(dv)
            else:
                dv.value = dv.value + n
                dv.status = STATUSES[n % 4]
                dv.save()
        cube.refresh(touched)

        current = _table_rows()
        cube.rebuild()
        assert current == _table_rows()

        by_pk = {e.pk: e for e in catalogue.elements}
        now = [
            Value(
                by_pk[d.data_element_id],
                d.period,
                d.org_unit,
                d.region_code,
                d.value,
                d.coc,
                d.status,
                d.site_id,
            )
            for d in DataValue.objects.filter(data_element__in=catalogue.elements)
        ]
        assert_same(
            engine_table(admin_user, catalogue, places), expected_table(now, catalogue, places)
        )
        transaction.set_rollback(True)


def _table_rows():
    from cegah.analytics.models import Aggregate

    fields = [f.attname for f in Aggregate._meta.concrete_fields if f.attname != "id"]
    return sorted(
        tuple(round(x, 9) if isinstance(x, float) else x for x in row)
        for row in Aggregate.objects.values_list(*fields)
    )
