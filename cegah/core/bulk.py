"""Writing many rows fast: PostgreSQL COPY of unsaved model instances, for the bulk paths
(demo at national scale, large imports) whose rows the services have already checked.
Elsewhere (SQLite) the same calls fall back to bulk_create."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model
from django.utils import timezone

# Fewer rows than this are written with INSERT: COPY's set-up does not pay off.
COPY_FROM = 1000


def copy_supported() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` primary keys from the table's sequence, so rows can be copied with their
    ids known (and referred to) before they are written."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, count],
        )
        return [row[0] for row in cursor.fetchall()]


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
