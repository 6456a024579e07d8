"""The change log: who changed which domain object, when, in which request, from what to what."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The change log cannot be edited.")

    def delete(self):
        raise PermissionDenied("The change log cannot be deleted.")


# The object type of data values' entries (``indicators.DataValue``), read by key, not id.
DATA_VALUE_TYPE = "indicators.datavalue"


class TextJSONField(models.JSONField):
    """JSON kept as it was written: PostgreSQL's ``json`` (the text, checked) instead of
    ``jsonb`` (parsed into a binary form on every write). For the change log's before and
    after, written far more often than read (an import of 100,000 values writes 100,000
    entries; as jsonb that cost PostgreSQL a fifth more time) and never searched inside:
    ``json`` has no equality or containment operators. SQLite stores text either way."""

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value is not None and not isinstance(value, str):
            return value  # decoded by the driver already (psycopg reads json itself)
        return super().from_db_value(value, expression, connection)


class ChangeLog(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    # Its index is not in Meta: BRIN on PostgreSQL (a few pages for millions of entries,
    # next to nothing to keep current), a B-tree on SQLite; migration 0003.
    timestamp = models.DateTimeField(_("time"), auto_now_add=True)
    # No index on user, request id or region code alone: see Meta.indexes.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        # The log is append-only: deleting a user or office must not rewrite it.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    office = models.ForeignKey(
        "regions.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    # For matching entries with server logs; nothing in Cegah looks entries up by it.
    request_id = models.CharField(_("request id"), max_length=64)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    # Where the object lives, for scoping the log like the object itself.
    region_code = models.CharField(_("region code"), max_length=13, blank=True)
    site_id = models.BigIntegerField(null=True, blank=True)
    before = TextJSONField(_("before"), null=True, blank=True)
    after = TextJSONField(_("after"), null=True, blank=True)

    objects = ChangeLogQuerySet.as_manager()

    scope_region_path = "region_code"
    scope_site_path = "site_id"

    class Meta:
        # Newest first by id, the order entries were written in: the primary key serves it.
        ordering = ["-id"]
        # Every index is paid for by each entry written (an import of 100,000 values writes
        # 100,000 entries), so there is one per way the log is read:
        # - one object's history (``changelog.history_for``): (object type, object id), not
        #   in this list because it differs per database (migration 0003): on PostgreSQL it
        #   leaves data values' entries out (a value's history spans its deletions and
        #   re-entries and is read by key, see below), so an import does not pay for it;
        # - the log page (/riwayat/), newest first: scoped by region code prefix, filtered
        #   by office and dates (the timestamp index, migration 0003); one value's history
        #   (``entry.value_history``): region code and object name prefix. The pattern
        #   operator classes let PostgreSQL use them for LIKE 'prefix%' under any collation
        #   (SQLite ignores them).
        indexes = [
            models.Index(
                fields=["region_code", "object_repr"],
                name="changelog_region_repr",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["office", "id"], name="changelog_office_id"),
        ]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The change log cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The change log cannot be deleted.")

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
