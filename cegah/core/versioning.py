"""Optimistic concurrency: a second writer with a stale version is told, not overwritten."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class ConflictError(Exception):
    """Raised when an object changed since the writer loaded it."""

    message = _(
        "Someone else saved this record after you opened it. Reload the page to see "
        "their changes, then apply yours again."
    )


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def save_versioned(obj: Versioned, expected_version: int, fields: list[str]) -> None:
    """Write ``fields`` of ``obj`` only if its stored version is still ``expected_version``."""
    values = {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(
            **{obj._meta.get_field(k).attname: v for k, v in values.items()},
            version=F("version") + 1,
        )
    )
    if updated != 1:
        raise ConflictError(ConflictError.message)
    obj.version = expected_version + 1
