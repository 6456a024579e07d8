"""Writing many rows fast: PostgreSQL COPY of unsaved model instances, for the bulk paths
(demo at national scale, large imports) whose rows the services have already checked.
Elsewhere (SQLite) the same calls fall back to bulk_create."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.db.models import Model
from django.utils import timezone

# Fewer rows than this are written with INSERT: COPY's set-up does not pay off.
COPY_FROM = 1000


_collector_lock = threading.Lock()
_collector_pauses = 0  # bulk jobs running with the collector paused
_collector_was_on = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a bulk job builds hundreds of thousands
    of objects that form no cycles (parsed rows, checked rows): as they piled up, the
    collector scanned them again and again, a third of a 100,000-row import's Python time
    (reading the CSV alone took twice as long). Plain reference counting still frees what
    is dropped. Jobs may nest or run side by side in threads: the collector is back as it
    was once the last of them ends."""
    global _collector_pauses, _collector_was_on
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            if _collector_pauses == 0 and _collector_was_on:
                gc.enable()


def copy_supported() -> bool:
    return connection.vendor == "postgresql"


_SEQUENCES: dict[tuple[str, str], str] = {}  # (table, column) → its sequence


def reserve_ids(model: type[Model], count: int, cursor=None) -> Sequence[int]:
    """``count`` primary keys from the table's sequence, so rows can be copied with their
    ids known (and referred to) before they are written: a range when they are consecutive
    (nobody else drew one meanwhile, the usual case: no list of ids comes back), else the
    list. ``cursor``: a PostgreSQL cursor to use instead of Django's."""
    if count == 0:
        return []
    if cursor is None:
        with connection.cursor() as cursor:
            return reserve_ids(model, count, cursor)
    table, column = model._meta.db_table, model._meta.pk.column
    sequence = _SEQUENCES.get((table, column))
    if sequence is None:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        sequence = _SEQUENCES[(table, column)] = cursor.fetchone()[0]
    # The sequence named as a constant: looked up per row, drawing cost six times as much.
    cursor.execute(
        "WITH drawn AS (SELECT nextval(%s) AS id FROM generate_series(1, %s)) "
        "SELECT min(id), max(id), "
        "CASE WHEN max(id) - min(id) + 1 <> count(*) THEN array_agg(id ORDER BY id) END "
        "FROM drawn",
        [sequence, count],
    )
    low, high, ids = cursor.fetchone()
    return range(low, high + 1) if ids is None else ids


def copy_objects(model: type[Model], objs: Sequence[Model]) -> None:
    """COPY unsaved instances (primary keys set, see ``reserve_ids``) into their table:
    every concrete field, auto_now(_add) stamped as ``save`` would."""
    if not objs:
        return
    now = timezone.now()
    fields = list(model._meta.concrete_fields)
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row(
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
            )
