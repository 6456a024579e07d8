"""Large imports are checked and stored in chunks, each stored by a worker thread while the
next is checked (``services.CHUNK_ROWS``; small here so a few rows make several chunks).
They must behave exactly as one write: every value logged with its stored row, nothing
written when any row of any chunk is in conflict, the analytics table as a rebuild."""

import json
import sys

import pytest
from django.db import connection

from cegah.analytics import cube
from cegah.analytics.models import Aggregate
from cegah.core.models import ChangeLog
from cegah.exchange.services import import_file
from cegah.indicators import services
from cegah.indicators.models import Approval, DataValue, Status
from tests.exchange.conftest import dhis2_csv
from tests.indicators.helpers import rule

MONTHS = [f"2026{m:02d}" for m in range(1, 13)]
ORG_UNITS = ["35.78", "35.73", "35.15"]  # regencies: the data set is reported per regency
COMMENT = 'kata "kutip", garis\\miring, tab\tdi tengah, baris\nbaru, \\N, Ünïcödé ✓'


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_ROWS", 4)
    monkeypatch.setattr(services, "COPY_BATCH", 3)  # each chunk's COPY data in two batches
    monkeypatch.setattr(cube, "LARGE_REFRESH_REGENCIES", 1)  # as for a large import


def _rows(tested=100, positive=3, comment=""):
    """(element, period, org unit, coc, value, comment) for every org unit and month:
    72 rows, 18 chunks."""
    rows = []
    for org_unit in ORG_UNITS:
        for month in MONTHS:
            rows.append(("EXC_TESTED", month, org_unit, "", tested, comment))
            rows.append(("EXC_POSITIVE", month, org_unit, "", positive, ""))
    return rows


def _stored_json(pk: int) -> dict:
    """What a log entry's ``after`` is: the value's ``log_fields`` as the database itself
    writes the stored row to JSON."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pairs = ", ".join(f"'{c}', dv.{c}" for c in DataValue.log_fields)
            build = f"jsonb_build_object({pairs})"
        else:  # SQLite keeps a boolean as 1/0; the log writes true/false
            build = services.sqlite_log_json("dv")
        cursor.execute(f"SELECT {build} FROM indicators_datavalue dv WHERE id = %s", [pk])  # noqa: S608
        found = cursor.fetchone()[0]
        return found if isinstance(found, dict) else json.loads(found)


def _assert_updates_logged(before: dict, value_and_comment: tuple) -> list:
    """The 36 update entries: each logs the value as it was (``before``: pk → JSON) and as
    stored now, with the new value and comment."""
    updates = list(_log("update"))
    assert len(updates) == 36
    for entry in updates:
        pk = int(entry.object_id)
        assert entry.before == before[pk]
        assert entry.after == _stored_json(pk)
        assert (entry.after["value"], entry.after["comment"]) == value_and_comment
    return updates


def _aggregate_rows():
    fields = [f.attname for f in Aggregate._meta.concrete_fields if f.attname != "id"]
    return sorted(
        tuple(round(x, 9) if isinstance(x, float) else x for x in row)
        for row in Aggregate.objects.values_list(*fields)
    )


def _log(action):
    return ChangeLog.objects.filter(object_type="indicators.datavalue", action=action)


def test_an_import_of_many_chunks_stores_and_logs_every_value(admin_user, elements, data_set):
    result = import_file(admin_user, dhis2_csv(_rows(comment=COMMENT))).as_dict()

    assert result["status"] == "SUCCESS", result["conflicts"][:3]
    assert result["importCount"] == {"imported": 72, "updated": 0, "ignored": 0, "deleted": 0}
    assert DataValue.objects.count() == 72
    assert DataValue.objects.filter(data_element__code="EXC_TESTED")[0].comment == COMMENT
    entries = {int(e.object_id): e for e in _log("create")}
    assert set(entries) == set(DataValue.objects.values_list("pk", flat=True))
    for value in DataValue.objects.all():
        entry = entries[value.pk]
        assert entry.before is None
        assert entry.after == _stored_json(value.pk)
        key, number = entry.object_repr.split("=")
        assert key == f"{value.data_element_id}/{value.period}/{value.org_unit}/{value.coc}"
        assert float(number) == value.value
        assert (entry.region_code, entry.username) == (value.region_code, "nasional")
    # The draft approvals of the data set, once per org unit that reports it and month.
    assert Approval.objects.filter(status=Status.DRAFT).count() == 3 * 12
    # The analytics table was refreshed as one write: exactly what a rebuild gives.
    refreshed = _aggregate_rows()
    assert refreshed
    cube.rebuild()
    assert refreshed == _aggregate_rows()


def test_decimal_values_are_logged_as_the_database_writes_them(admin_user, elements):
    """New values are sent by COPY with their log entries composed beside them: a value's
    text in the entry (its JSON, its name) must be what the database makes of the row."""
    shares = ["12.5", "0.1", "33.333333333333336", "99.99", "0.00001", "100", "0", "66.7",
              "0.00000025", "50.05", "7", "0.3"]  # fmt: skip
    quarters = [f"2026Q{q}" for q in range(1, 5)]
    rows = [
        ("EXC_SHARE", quarter, org_unit, "", share, "")
        for (org_unit, quarter), share in zip(
            ((o, q) for o in ORG_UNITS for q in quarters), shares, strict=True
        )
    ]

    result = import_file(admin_user, dhis2_csv(rows)).as_dict()

    assert result["importCount"]["imported"] == 12, result["conflicts"][:3]
    entries = {int(e.object_id): e for e in _log("create")}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, CAST(value AS text) FROM indicators_datavalue")
        as_text = dict(cursor.fetchall())
    assert len(as_text) == 12 and set(entries) == set(as_text)
    for pk, text in as_text.items():
        assert entries[pk].after == _stored_json(pk)
        assert entries[pk].object_repr.rsplit("=", 1)[1] == text


def test_a_second_import_logs_before_and_after_of_what_changed_only(admin_user, elements):
    import_file(admin_user, dhis2_csv(_rows()))
    before = {dv.pk: _stored_json(dv.pk) for dv in DataValue.objects.all()}
    rows = _rows()
    rows[1::2] = [(*row[:4], 5, "dikoreksi") for row in rows[1::2]]  # every positive: 3 → 5

    result = import_file(admin_user, dhis2_csv(rows)).as_dict()

    assert result["importCount"] == {"imported": 0, "updated": 36, "ignored": 36, "deleted": 0}
    _assert_updates_logged(before, (5, "dikoreksi"))
    refreshed = _aggregate_rows()
    cube.rebuild()
    assert refreshed == _aggregate_rows()


def test_values_whose_comments_need_escaping_are_logged_before_and_after(admin_user, elements):
    """PostgreSQL sends rows and log entries as COPY text: backslashes, tabs, line breaks
    (and a comment holding \\N) must arrive as they were."""
    import_file(admin_user, dhis2_csv(_rows(comment=COMMENT)))
    before = {dv.pk: _stored_json(dv.pk) for dv in DataValue.objects.all()}
    rows = [(*row[:4], 200, COMMENT + "!") if row[0] == "EXC_TESTED" else row for row in _rows()]

    result = import_file(admin_user, dhis2_csv(rows)).as_dict()

    assert result["importCount"] == {"imported": 0, "updated": 36, "ignored": 36, "deleted": 0}
    updates = _assert_updates_logged(before, (200, COMMENT + "!"))
    assert {entry.before["comment"] for entry in updates} == {COMMENT}


def test_chunks_mixing_new_and_stored_values_are_upserted(admin_user, elements):
    """PostgreSQL stores a chunk with a plain INSERT first; at a stored key it undoes it and
    upserts the chunk."""
    rows = _rows()
    import_file(admin_user, dhis2_csv(rows[1::3]))  # every third row, from the second
    before = {dv.pk: _stored_json(dv.pk) for dv in DataValue.objects.all()}
    rows[1::6] = [(*row[:4], 7, "") for row in rows[1::6]]  # half of those: a new value

    result = import_file(admin_user, dhis2_csv(rows)).as_dict()

    assert result["importCount"] == {"imported": 48, "updated": 12, "ignored": 12, "deleted": 0}
    assert DataValue.objects.count() == 72
    assert _log("create").count() == 72
    updates = list(_log("update"))
    assert len(updates) == 12
    for entry in updates:
        assert entry.before == before[int(entry.object_id)]
        assert entry.after == _stored_json(int(entry.object_id))
    refreshed = _aggregate_rows()
    cube.rebuild()
    assert refreshed == _aggregate_rows()


def test_a_bad_row_in_a_late_chunk_writes_nothing_from_earlier_chunks(admin_user, elements):
    rows = _rows()
    rows[-3] = (*rows[-3][:4], "banyak", "")

    result = import_file(admin_user, dhis2_csv(rows)).as_dict()

    assert result["status"] == "ERROR"
    assert result["importCount"] == {"imported": 0, "updated": 0, "ignored": 72, "deleted": 0}
    assert [c["object"] for c in result["conflicts"]] == ["row 71"]
    assert not DataValue.objects.exists()
    assert not _log("create").exists()
    assert not Approval.objects.exists()
    assert not Aggregate.objects.exists()


def test_a_failure_while_storing_a_chunk_stops_the_import_and_writes_nothing(
    admin_user, elements, data_set, monkeypatch
):
    """The storing thread fails on its third chunk: the chunks and work queued after it
    are skipped, the error reaches the caller, the transaction is rolled back, and the
    connection and the interpreter's switch interval are given back."""
    switch_interval = sys.getswitchinterval()
    stored = []
    real_store = services._Store._store

    def store(self, valid):
        if len(stored) == 2:
            raise RuntimeError("disk full")
        stored.append(len(valid))
        real_store(self, valid)

    monkeypatch.setattr(services._Store, "_store", store)

    with pytest.raises(RuntimeError, match="disk full"):
        import_file(admin_user, dhis2_csv(_rows()))

    assert stored == [4, 4]
    assert not DataValue.objects.exists()
    assert not _log("create").exists()
    assert not Approval.objects.exists()
    assert not connection.allow_thread_sharing
    assert sys.getswitchinterval() == switch_interval


def test_imports_side_by_side_set_the_switch_interval_back_after_the_last():
    original = sys.getswitchinterval()
    switching = services._switching
    switching.start()  # one import's storing thread
    switching.start()  # another's, in another thread of the same process
    switching.end()
    assert sys.getswitchinterval() == services.STORE_SWITCH_INTERVAL
    switching.end()
    assert sys.getswitchinterval() == original


def test_a_rule_broken_across_chunks_writes_nothing(admin_user, elements):
    rule("EXC_POS_LE_TESTED", "#{EXC_POSITIVE}", "<=", "#{EXC_TESTED}")
    rows = _rows()
    last = rows.pop()  # EXC_POSITIVE of the last org unit and month: into the first chunk,
    rows.insert(0, (*last[:4], 500, ""))  # more than tested, which is in the last chunk

    result = import_file(admin_user, dhis2_csv(rows)).as_dict()

    assert result["status"] == "ERROR"
    assert [c["object"] for c in result["conflicts"]] == ["row 2"]
    assert "EXC_POS_LE_TESTED" in result["conflicts"][0]["value"]
    assert not DataValue.objects.exists()
    assert not _log("create").exists()


def test_a_locked_period_in_a_late_chunk_writes_nothing(admin_user, elements, data_set):
    Approval.objects.create(
        data_set=data_set, org_unit="35.73", region_code="35.73", period="202612",
        status=Status.APPROVED,
    )  # fmt: skip

    result = import_file(admin_user, dhis2_csv(_rows())).as_dict()

    assert result["status"] == "ERROR"
    assert {c["object"] for c in result["conflicts"]} == {"row 48", "row 49"}
    assert not DataValue.objects.exists()


def test_a_partial_import_of_many_chunks_stores_the_valid_rows(admin_user, elements):
    rows = _rows()
    rows[-3] = (*rows[-3][:4], "banyak", "")

    result = import_file(admin_user, dhis2_csv(rows), atomic=False).as_dict()

    assert result["status"] == "WARNING"
    assert result["importCount"] == {"imported": 71, "updated": 0, "ignored": 1, "deleted": 0}
    assert DataValue.objects.count() == 71
    assert _log("create").count() == 71


def test_a_dry_run_of_many_chunks_counts_and_writes_nothing(admin_user, elements):
    result = import_file(admin_user, dhis2_csv(_rows()), dry_run=True).as_dict()

    assert result["importCount"] == {"imported": 72, "updated": 0, "ignored": 0, "deleted": 0}
    assert not DataValue.objects.exists()
    assert not _log("create").exists()
