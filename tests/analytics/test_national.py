"""The national dataset generator at a small target: exact count, deterministic, coherent
numbers, a consistent aggregate table, and reuse."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count

from cegah.analytics import national
from cegah.analytics.engine import analytics
from cegah.indicators.models import DataValue
from tests.analytics.helpers import as_table

TODAY = date(2026, 11, 27)
TARGET = 60_000


def _fingerprint():
    values = DataValue.objects.filter(stored_by=national.MARKER)
    every = values.values_list("data_element_id", "period", "org_unit", "coc", "value", "status")
    return (
        values.count(),
        hash(tuple(sorted(every))),
        sorted(values.values_list("status").annotate(n=Count("id"))),
    )


@pytest.fixture
def built(db):
    return national.build(TARGET, today=TODAY)


def _schema():
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, DataValue._meta.db_table)
    return {name: (c["columns"], c["unique"], c["foreign_key"]) for name, c in found.items()}


def test_builds_exactly_the_target_deterministically(db):
    schema = _schema()
    built = national.build(TARGET, today=TODAY, bulk_mode=True)
    assert _schema() == schema  # indexes and constraints dropped for the load are back
    assert built.rows == TARGET
    first = _fingerprint()
    assert first[0] == TARGET
    national.build(TARGET, today=TODAY, bulk_mode=False)  # replaces its values with the same
    assert _fingerprint() == first
    statuses = dict(first[2])
    assert statuses.keys() >= {"accepted", "approved", "submitted", "draft"}


def test_covers_every_province_every_period_type_and_no_future(built):
    values = DataValue.objects.filter(stored_by=national.MARKER)
    assert values.values("region_code").order_by().annotate(n=Count("id")).count() > 200
    provinces = {code[:2] for code in values.values_list("region_code", flat=True).distinct()}
    assert len(provinces) == 38
    assert set(values.values_list("year", flat=True).distinct()) == {2024, 2025, 2026}
    assert not values.filter(year=2026, month=12).exists()
    assert values.filter(month__isnull=False).exists()
    assert values.filter(quarter__isnull=False, month__isnull=True).exists()
    assert values.filter(half__isnull=True).exists()  # yearly, by regency
    assert values.filter(half__isnull=True, region_code__regex=r"^\d\d\.\d\d$").exists()


def test_related_numbers_agree(built):
    values = DataValue.objects.filter(stored_by=national.MARKER)
    tested = dict(
        ((ou, p, c), v)
        for ou, p, c, v in values.filter(data_element__code__endswith="URINE_TESTED").values_list(
            "org_unit", "period", "coc", "value"
        )
    )
    positives = values.filter(data_element__code__endswith="URINE_POSITIVE")
    assert tested and positives.exists()
    for ou, p, c, v in positives.values_list("org_unit", "period", "coc", "value"):
        assert 0 <= v <= tested[(ou, p, c)]


def test_aggregate_table_matches_the_values(built, admin_user):
    indicators = national.bench_indicators()
    assert len(indicators) == national.BENCH_INDICATORS
    quarters = [f"{y}Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)]
    fast = as_table(analytics(admin_user, indicators, quarters, ["LEVEL-1"]))
    slow = as_table(analytics(admin_user, indicators, quarters, ["LEVEL-1"], use_cube=False))
    assert fast.keys() == slow.keys()
    assert len({ou for _dx, _pe, ou in fast}) > 20  # not a vacuous comparison
    for key, value in slow.items():
        assert fast[key] == pytest.approx(value, rel=1e-9)


def test_ensure_reuses_a_complete_dataset(built):
    assert national.ensure(TARGET, today=TODAY).reused
    DataValue.objects.filter(stored_by=national.MARKER).order_by("pk").first().delete()
    rebuilt = national.ensure(TARGET, today=TODAY)
    assert not rebuilt.reused
    assert national.generated_count() == TARGET


def test_demo_step_builds_the_national_dataset_and_keeps_the_table_current(db, monkeypatch):
    import random

    from cegah.analytics import demo_data
    from cegah.analytics.models import Aggregate
    from cegah.demo.registry import DemoContext

    monkeypatch.setattr(national, "TARGET", 30_000)
    ctx = DemoContext(seed=7, scale="national", password="x", rng=random.Random(7))
    demo_data.build(ctx)
    assert national.generated_count() == 30_000
    assert "30,000" in ctx.summary[-1]
    rows = Aggregate.objects.count()
    assert rows > 0

    Aggregate.objects.all().delete()  # as if values had been bulk-created without the signal
    small = DemoContext(seed=7, scale="small", password="x", rng=random.Random(7))
    demo_data.build(small)
    assert Aggregate.objects.count() == rows


def test_generated_site_counts_replace_the_derived_ones_instead_of_adding_to_them(
    db, surabaya_site
):
    derived = DataValue.objects.filter(source=DataValue.Source.DERIVED)
    assert derived.filter(data_element__code="SITES_REGISTERED", org_unit="35.78").exists()
    # Not the restore-style load: the site's own writes are pending in this transaction.
    national.build(TARGET, today=TODAY, bulk_mode=False)
    assert not derived.exists()  # the generated numbers stand in for them
    assert DataValue.objects.count() == TARGET
