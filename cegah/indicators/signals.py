"""Signals of the indicator spine.

``data_values_changed`` tells derived data (the analytics aggregate table) which data
values changed. Every path that creates, updates, deletes or changes the status of data
values sends it inside its transaction, through ``values_changed``: ``services.write_values``,
approvals, bulk imports and ``derived.replace``. The analytics app listens (its aggregate
table), and so does ``derived`` (values derived from entered values); this app never
imports the analytics app.
"""

from collections.abc import Iterable

from django.dispatch import Signal

# keys: set of (data_element_id, region_code, year) of the values written.
data_values_changed = Signal()


def values_changed(keys: Iterable[tuple[int, str, int]]) -> None:
    """Announce changed values by (data_element_id, region_code, year); cheap when empty."""
    keys = set(keys)
    if keys:
        data_values_changed.send(sender=None, keys=keys)


def changed_keys(queryset) -> set[tuple[int, str, int]]:
    """The keys of a DataValue queryset, for a bulk ``update()`` or ``delete()``: call it
    before a delete (afterwards the rows are gone) and send ``values_changed`` after."""
    return set(queryset.values_list("data_element_id", "region_code", "year").distinct())
