"""Recording changes. Services call ``record`` inside their transaction; nothing else writes."""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.db import models

from . import bulk
from .context import current_request_id
from .models import ChangeLog

# Fields never copied into the log (secrets, bookkeeping).
_SKIP_FIELDS = {"password", "token_hash", "last_login"}


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model) -> dict:
    """A JSON-ready dict of an object's concrete fields (foreign keys as their ids), or of
    the fields its model names in ``log_fields`` (attnames) when the others only repeat
    what the entry itself records."""
    data = {}
    only = getattr(obj, "log_fields", None)
    for field in obj._meta.concrete_fields:
        if field.name in _SKIP_FIELDS or (only is not None and field.attname not in only):
            continue
        data[field.attname if field.is_relation else field.name] = _plain(
            getattr(obj, field.attname)
        )
    return data


def _walk(obj, path: str):
    """Follow a scope path such as ``office__region__code`` without loading the last object
    (``region__code`` is read as ``region_id``)."""
    parts = path.split("__")
    if len(parts) >= 2 and parts[-1] == "code":
        parts = [*parts[:-2], parts[-2] + "_id"]
    value = obj
    for part in parts:
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def _location(obj: models.Model) -> tuple[str, int | None]:
    """The region code and site id the object is scoped by (see core.scope)."""
    region_path = getattr(obj, "scope_region_path", None)
    site_path = getattr(obj, "scope_site_path", None)
    region_code = (_walk(obj, region_path) if region_path else None) or ""
    site_id = _walk(obj, site_path) if site_path else None
    return region_code, site_id


def _entry(actor, action: str, obj: models.Model, before: dict | None, after: dict | None):
    region_code, site_id = _location(obj)
    return ChangeLog(
        user=actor if actor is not None and actor.pk else None,
        username=actor.get_username() if actor is not None else "system",
        office_id=getattr(actor, "office_id", None),
        request_id=current_request_id(),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        region_code=region_code,
        site_id=site_id,
        before=before,
        after=after,
    )


def record(actor, action: str, obj: models.Model, before: dict | None, after: dict | None):
    """Append one entry. ``actor`` may be None for system jobs (regions load, demo)."""
    entry = _entry(actor, action, obj, before, after)
    entry.save()
    return entry


def record_many(actor, action: str, items, batch_size: int = 2000) -> int:
    """Append one entry per (obj, before, after) in a few INSERTs (a COPY on PostgreSQL),
    for bulk writes (imports, the demo) that would otherwise spend most of their time
    logging row by row."""
    entries = [_entry(actor, action, obj, before, after) for obj, before, after in items]
    if bulk.copy_supported() and len(entries) >= bulk.COPY_FROM:
        for entry, pk in zip(entries, bulk.reserve_ids(ChangeLog, len(entries)), strict=True):
            entry.pk = pk
        bulk.copy_objects(ChangeLog, entries)
    else:
        ChangeLog.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)


def history_for(obj: models.Model):
    """Entries for one object, newest first. The caller has already scoped ``obj``."""
    return ChangeLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("user", "office")
