"""Writing many rows fast: PostgreSQL COPY of unsaved model instances, for the bulk paths
(demo at national scale, large imports) whose rows the services have already checked.
Elsewhere (SQLite) the same calls fall back to bulk_create."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

# Fewer rows than this are written with INSERT: COPY's set-up does not pay off.
COPY_FROM = 1000


class ProcessSetting:
    """A process-wide setting given ``value`` while any of several jobs runs (they may nest,
    or run side by side in a web server's threads) and set back as it was after the last."""

    def __init__(self, read: Callable[[], Any], write: Callable[[Any], Any], value):
        self._read, self._write, self._value = read, write, value
        self._lock = threading.Lock()
        self._holders = 0
        self._saved = None

    def start(self) -> None:
        with self._lock:
            if self._holders == 0:
                self._saved = self._read()
                self._write(self._value)
            self._holders += 1

    def end(self) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0:
                self._write(self._saved)

    @contextmanager
    def held(self) -> Iterator[None]:
        self.start()
        try:
            yield
        finally:
            self.end()


_COLLECTOR = ProcessSetting(gc.isenabled, lambda on: gc.enable() if on else gc.disable(), False)


def collector_paused():
    """Python's cyclic garbage collector off while a bulk job builds hundreds of thousands
    of objects that form no cycles (parsed rows, checked rows): as they piled up, the
    collector scanned them again and again, a third of a 100,000-row import's Python time
    (reading the CSV alone took twice as long). Plain reference counting still frees what
    is dropped. A context manager (or decorator); the collector is back as it was once the
    last job holding it off ends."""
    return _COLLECTOR.held()


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
