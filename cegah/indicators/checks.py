"""Checks of stored data against the catalogue's rules, for values stored before a rule
existed or by means other than the write path.

A data set takes values only for its org-unit level (``services.org_unit_levels``); a
value at another level (a district's, say, in a regency data set) would be counted twice
up the hierarchy. ``values_at_wrong_level`` finds them; ``cegah check --database default``
reports them (a warning per data set, with examples to correct or delete).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import checks
from django.db.models import Q

from .models import DataElement, DataValue
from .services import REGENCY_KIND, SITE_KIND, org_unit_levels

# A regency/city code: two digits, a point, two digits (35.78).
_REGENCY_CODE = r"^[0-9]{2}\.[0-9]{2}$"
EXAMPLES = 5


@dataclass(frozen=True)
class WrongLevel:
    data_set: str
    count: int
    examples: list[str]  # element/period/org unit/coc of a few of them


def _at_kind(kind: str) -> Q:
    if kind == SITE_KIND:
        return Q(site__isnull=False)
    if kind == REGENCY_KIND:
        return Q(site__isnull=True, org_unit__regex=_REGENCY_CODE)
    return Q(pk__in=[])


def values_at_wrong_level() -> list[WrongLevel]:
    """Per data set, the stored values of its elements at an org-unit level none of the
    element's data sets takes (one query per group of elements sharing their levels)."""
    elements = list(DataElement.objects.filter(data_sets__isnull=False).distinct())
    levels = org_unit_levels(elements)
    groups: dict[tuple, list[DataElement]] = {}
    for element in elements:
        groups.setdefault(levels[element.code], []).append(element)
    found = []
    for (kinds, data_set), members in sorted(groups.items(), key=lambda item: item[0][1]):
        allowed = Q(pk__in=[])
        for kind in kinds:
            allowed |= _at_kind(kind)
        wrong = DataValue.objects.filter(data_element__in=members).exclude(allowed)
        count = wrong.count()
        if count:
            codes = {e.id: e.code for e in members}
            examples = [
                f"{codes[e]}/{p}/{o}/{c}"
                for e, p, o, c in wrong.order_by("id").values_list(
                    "data_element_id", "period", "org_unit", "coc"
                )[:EXAMPLES]
            ]
            found.append(WrongLevel(data_set, count, examples))
    return found


@checks.register(checks.Tags.database)
def check_value_levels(app_configs=None, databases=None, **kwargs):
    """``cegah check --database default``: values stored at a level their data set does
    not take."""
    if not databases:
        return []
    return [
        checks.Warning(
            f"{wrong.count} value(s) of data set {wrong.data_set} are stored for org units "
            "it does not take values for; analytics would count them twice up the hierarchy.",
            hint="Move each to the org unit that reports the data set, or delete it: "
            + ", ".join(wrong.examples)
            + ("…" if wrong.count > len(wrong.examples) else ""),
            id="cegah.W101",
        )
        for wrong in values_at_wrong_level()
    ]
