"""``core.bulk``: ids drawn ahead of a COPY, and the collector paused for bulk work."""

import gc

import pytest
from django.db import connection

from cegah.core import bulk
from cegah.exchange import parsers
from cegah.exchange.services import import_file
from cegah.indicators.models import DataValue

needs_sequences = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ids are drawn from PostgreSQL sequences"
)


def _next_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('indicators_datavalue', 'id'))")
        return cursor.fetchone()[0]


@needs_sequences
def test_ids_drawn_together_come_back_as_a_range(db):
    ids = bulk.reserve_ids(DataValue, 500)

    assert isinstance(ids, range) and len(ids) == 500
    assert _next_id() == ids[-1] + 1


@needs_sequences
def test_ids_that_are_not_consecutive_come_back_one_by_one(db):
    """Another writer drawing ids meanwhile leaves holes: then every id is listed (here the
    sequence steps by 3, as if two others drew between each of ours)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER SEQUENCE indicators_datavalue_id_seq INCREMENT BY 3")
    first = _next_id()

    ids = bulk.reserve_ids(DataValue, 5)

    assert list(ids) == [first + 3 * k for k in range(1, 6)]


def test_the_collector_is_paused_for_bulk_work_and_resumed_after():
    assert gc.isenabled()
    with bulk.collector_paused():
        assert not gc.isenabled()
        with bulk.collector_paused():  # nested: the outer one turns it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), bulk.collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_bulk_jobs_side_by_side_resume_the_collector_after_the_last():
    first, second = bulk.collector_paused(), bulk.collector_paused()
    first.__enter__()
    second.__enter__()  # another thread's job starts while the first runs
    first.__exit__(None, None, None)  # the first ends before the second
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with bulk.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_import_runs_with_the_collector_paused(admin_user, monkeypatch):
    seen = []
    real_parse = parsers.parse
    monkeypatch.setattr(
        parsers, "parse", lambda *a, **k: (seen.append(gc.isenabled()), real_parse(*a, **k))[1]
    )

    import_file(admin_user, b"dataelement,period,orgunit,value\nNOPE,2026,35.78,1\n")

    assert seen == [False]
    assert gc.isenabled()
