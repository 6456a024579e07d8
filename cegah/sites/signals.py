"""Signals of the site registry.

``sites_changed`` tells whoever derives figures from the registry (the standards app's
derived data values: sites registered and functioning per regency) which regions gained,
lost or changed sites. Every write path of ``services`` sends it inside its transaction,
with the region codes involved (for a moved site, the old and the new one). This app never
imports its listeners.
"""

from collections.abc import Iterable

from django.dispatch import Signal

# region_codes: set of region codes whose sites changed.
sites_changed = Signal()


def announce(region_codes: Iterable[str]) -> None:
    codes = {code for code in region_codes if code}
    if codes:
        sites_changed.send(sender=None, region_codes=codes)
