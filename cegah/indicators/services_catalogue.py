"""Writes to the catalogue (data elements and indicators): national admins only, with
validation, a version check and the change log in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cegah.core import changelog
from cegah.core.scope import Roles
from cegah.core.versioning import save_versioned

from . import expressions
from .models import DataElement, DataValue, Indicator

ELEMENT_FIELDS = (
    "name_id",
    "name_en",
    "definition_id",
    "definition_en",
    "value_type",
    "aggregation",
    "period_type",
    "field",
    "side",
    "disaggregation",
    "min_value",
    "max_value",
    "derived",
)
INDICATOR_FIELDS = (
    "name_id",
    "name_en",
    "definition_id",
    "definition_en",
    "numerator",
    "denominator",
    "factor",
    "unit",
    "decimals",
    "direction",
    "kind",
    "field",
)
# What stored values depend on: changing one of these would make them wrong.
FIXED_ONCE_USED = ("value_type", "period_type", "disaggregation")


def can_edit_catalogue(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and (
        user.role == Roles.NATIONAL_ADMIN
    )


def _require_admin(actor) -> None:
    if not can_edit_catalogue(actor):
        raise PermissionDenied(_("Only a national admin can change the catalogue."))


def _set(obj, values: dict, allowed) -> None:
    for key, value in values.items():
        if key not in allowed:
            raise ValidationError({key: _("This field cannot be changed.")})
        setattr(obj, key, value)


def _check_element(element: DataElement) -> None:
    errors = {}
    if element.min_value is not None and element.max_value is not None:
        if element.min_value > element.max_value:
            errors["max_value"] = _("The maximum is below the minimum.")
    if (element.aggregation == DataElement.Aggregation.COUNT) != (
        element.value_type == DataElement.ValueType.BOOLEAN
    ):
        errors["aggregation"] = _(
            "Count of yes goes with the yes/no value type, and yes/no values are counted."
        )
    if errors:
        raise ValidationError(errors)


def _check_fixed_fields(element: DataElement, stored: DataElement) -> None:
    changed = [name for name in FIXED_ONCE_USED if getattr(element, name) != getattr(stored, name)]
    if not changed:
        return
    count = DataValue.objects.filter(data_element=stored).count()
    if not count:
        return
    message = _(
        "%(code)s already has %(count)s stored values that were entered with this setting; "
        "changing it would make them wrong. Create a new data element instead."
    ) % {"code": stored.code, "count": f"{count:,}"}
    raise ValidationError(dict.fromkeys(changed, message))


@transaction.atomic
def create_data_element(actor, *, code: str, **values) -> DataElement:
    _require_admin(actor)
    element = DataElement(code=(code or "").strip().upper())
    _set(element, values, ELEMENT_FIELDS)
    element.full_clean()
    _check_element(element)
    element.save()
    changelog.record(actor, "create", element, None, changelog.snapshot(element))
    return element


@transaction.atomic
def update_data_element(
    actor, element: DataElement, expected_version: int, **values
) -> DataElement:
    """Change a data element; its code is fixed (expressions and imports name it), and its
    value type, period type and disaggregation are fixed once it has values."""
    _require_admin(actor)
    stored = DataElement.objects.select_for_update().get(pk=element.pk)
    before = changelog.snapshot(stored)
    updated = DataElement.objects.get(pk=element.pk)
    _set(updated, values, ELEMENT_FIELDS)
    updated.full_clean()
    _check_element(updated)
    _check_fixed_fields(updated, stored)
    save_versioned(updated, expected_version, list(values))
    updated.refresh_from_db()
    changelog.record(actor, "update", updated, before, changelog.snapshot(updated))
    return updated


def _check_indicator(indicator: Indicator) -> None:
    known = set(DataElement.objects.values_list("code", flat=True))
    errors = {}
    for name in ("numerator", "denominator"):
        try:
            expressions.validate(getattr(indicator, name), known)
        except expressions.ExpressionError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_indicator(actor, *, code: str, **values) -> Indicator:
    _require_admin(actor)
    indicator = Indicator(code=(code or "").strip().upper())
    _set(indicator, values, INDICATOR_FIELDS)
    indicator.full_clean()
    _check_indicator(indicator)
    indicator.save()
    changelog.record(actor, "create", indicator, None, changelog.snapshot(indicator))
    return indicator


@transaction.atomic
def update_indicator(actor, indicator: Indicator, expected_version: int, **values) -> Indicator:
    _require_admin(actor)
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = changelog.snapshot(stored)
    _set(stored, values, INDICATOR_FIELDS)
    stored.full_clean()
    _check_indicator(stored)
    save_versioned(stored, expected_version, list(values))
    stored.refresh_from_db()
    changelog.record(actor, "update", stored, before, changelog.snapshot(stored))
    return stored
