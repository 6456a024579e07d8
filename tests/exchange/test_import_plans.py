"""The statements that store an import chunk start from the chunk's rows and look each one
up in the data value table by its key; none reads the value table through. On SQLite a
GROUP BY once made the planner scan every stored value in index order (5 s a chunk at
10,000,000 values, an import of 100,000 rows at 1,800 rows/s): each statement's plan is
read here, just before it runs, on a first import and on one that updates."""

import re

import pytest
from django.db import connection

from cegah.exchange.services import import_file
from tests.exchange.conftest import dhis2_csv

MONTHS = [f"2026{m:02d}" for m in range(1, 7)]
# A full scan of the values table, under the alias the write path gives it.
SCANS_VALUES = re.compile(r"\bSCAN (dv|indicators_datavalue)\b")


def _rows(tested):
    return [("EXC_TESTED", month, "35.78", "", tested) for month in MONTHS]


def _plans_of_writes(actor, data: bytes) -> dict[str, list[str]]:
    """Import ``data`` and return the query plan of every statement that reads the data
    value table while storing it."""
    plans = {}

    def explain(execute, sql, params, many, context):
        if not many and "indicators_datavalue" in sql and "_cegah_" in sql:
            cursor = context["cursor"].cursor  # the backend's own: not wrapped again
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plans[sql] = [row[3] for row in cursor.fetchall()]
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        result = import_file(actor, dhis2_csv(data)).as_dict()
    assert result["status"] == "SUCCESS", result["conflicts"]
    return plans


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_storing_a_chunk_never_scans_the_value_table(admin_user, elements, data_set):
    for tested in (100, 120):  # the first import creates the values, the second updates
        plans = _plans_of_writes(admin_user, _rows(tested))
        assert len(plans) >= 3  # the old rows, the log entries, the counts
        for sql, plan in plans.items():
            assert not [step for step in plan if SCANS_VALUES.search(step)], (sql, plan)
