"""The three dimensions of an analytics request, resolved against the catalogue, the
calendar and the user's scope.

- dx: indicator codes, data element codes, or ``ELEMENT.COC`` for one disaggregation.
- pe: DHIS2 periods (``2026``, ``2026S1``, ``2026Q1``, ``202603``) and relative periods
  (``THIS_YEAR``, ``LAST_4_QUARTERS``, … see ``RELATIVE_PERIODS``), counted from today in
  Asia/Jakarta.
- ou: region codes, site codes, ``LEVEL-n`` (every region of level n inside the user's
  scope) and ``CODE:CHILDREN`` (the child regions of a region).

Scope rule: a region or site named explicitly (also as ``CODE`` of ``CODE:CHILDREN``) must
lie inside the user's scope, else 404, as for any object out of scope; an unknown site code
is a 404 too, so site codes outside the scope are not revealed (regions are public
reference data: an unknown region code is a 422). ``LEVEL-n`` lists only the regions of
that level inside the scope: for a BNNK user ``LEVEL-1`` is empty (a province is not inside
a regency) and ``LEVEL-2`` is their own regency; for a site focal point every ``LEVEL-n``
is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import periods
from cegah.core.scope import Scope
from cegah.indicators import expressions
from cegah.indicators.models import DataElement, Indicator
from cegah.indicators.services import category_option_combos
from cegah.regions.models import Region
from cegah.sites.models import Site

MAX_ITEMS = 200  # per dimension as written in the request
MAX_PERIODS = 400  # after relative periods are expanded
CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}  # region code length per level
SITE_LEVEL = 0


class AnalyticsError(ValueError):
    """A request the engine cannot answer as asked (a 422 over HTTP)."""


@dataclass(frozen=True)
class DataItem:
    """One dx item: an indicator, a data element total, or one disaggregation of it."""

    code: str
    name: str
    indicator: Indicator | None = None
    element: DataElement | None = None
    coc: str | None = None
    numerator: object = None  # parsed expressions of an indicator
    denominator: object = None
    references: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OrgUnit:
    code: str
    name: str
    level: int  # 1 province … 4 village; 0 for a site
    site_id: int | None = None


# ---------------------------------------------------------------------------------------
# dx


def resolve_data(codes: list[str]) -> tuple[list[DataItem], dict[str, DataElement]]:
    """The dx items in order, and every data element they need (by code). Two queries."""
    wanted = _unique(code.strip().upper() for code in codes)
    if not wanted:
        raise AnalyticsError(_("Name at least one indicator or data element (dx)."))
    _check_count(wanted, "dx")
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=wanted)}
    parsed = {}
    for code, indicator in indicators.items():
        try:
            numerator = expressions.parse(indicator.numerator)
            denominator = expressions.parse(indicator.denominator)
        except expressions.ExpressionError as exc:
            raise AnalyticsError(
                _("Indicator %(code)s has an invalid formula: %(error)s")
                % {"code": code, "error": exc}
            ) from exc
        parsed[code] = (numerator, denominator)
    element_codes = {c.split(".", 1)[0] for c in wanted if c not in indicators}
    for numerator, denominator in parsed.values():
        element_codes |= expressions.references(numerator) | expressions.references(denominator)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=element_codes)}

    items = []
    for code in wanted:
        if code in indicators:
            indicator = indicators[code]
            numerator, denominator = parsed[code]
            refs = expressions.references(numerator) | expressions.references(denominator)
            missing = sorted(refs - elements.keys())
            if missing:
                raise AnalyticsError(
                    _("Indicator %(code)s uses unknown data elements: %(codes)s.")
                    % {"code": code, "codes": ", ".join(missing)}
                )
            items.append(
                DataItem(
                    code,
                    indicator.name,
                    indicator=indicator,
                    numerator=numerator,
                    denominator=denominator,
                    references=frozenset(refs),
                )
            )
            continue
        element_code, _dot, coc = code.partition(".")
        element = elements.get(element_code)
        if element is None:
            raise AnalyticsError(
                _("%(code)s is neither an indicator nor a data element.") % {"code": code}
            )
        if not _dot:
            items.append(DataItem(code, element.name, element=element))
            continue
        coc = _find_coc(element, coc)
        items.append(
            DataItem(f"{element.code}.{coc}", f"{element.name} ({coc})", element=element, coc=coc)
        )
    return items, elements


def _find_coc(element: DataElement, coc: str) -> str:
    combos = category_option_combos(element.disaggregation)
    for combo in combos:
        if combo.upper() == coc.upper():
            return combo
    raise AnalyticsError(
        _("%(coc)s is not a disaggregation of %(code)s (use one of: %(combos)s).")
        % {"coc": coc, "code": element.code, "combos": ", ".join(combos)}
    )


# ---------------------------------------------------------------------------------------
# pe


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _months(today: date, back: int, count: int) -> list[str]:
    """``count`` months ending ``back`` months before today's month."""
    out = []
    for i in range(count - 1, -1, -1):
        y, m = _shift_month(today.year, today.month, -(back + i))
        out.append(f"{y}{m:02d}")
    return out


def _quarters(today: date, back: int, count: int) -> list[str]:
    index = today.year * 4 + (today.month - 1) // 3
    return [
        f"{(index - back - i) // 4}Q{(index - back - i) % 4 + 1}" for i in range(count - 1, -1, -1)
    ]


def _halves(today: date, back: int, count: int) -> list[str]:
    index = today.year * 2 + (today.month - 1) // 6
    return [
        f"{(index - back - i) // 2}S{(index - back - i) % 2 + 1}" for i in range(count - 1, -1, -1)
    ]


def _years(today: date, back: int, count: int) -> list[str]:
    return [str(today.year - back - i) for i in range(count - 1, -1, -1)]


RELATIVE_PERIODS: dict[str, Callable[[date], list[str]]] = {
    "THIS_MONTH": lambda t: _months(t, 0, 1),
    "LAST_MONTH": lambda t: _months(t, 1, 1),
    "LAST_3_MONTHS": lambda t: _months(t, 1, 3),
    "LAST_6_MONTHS": lambda t: _months(t, 1, 6),
    "LAST_12_MONTHS": lambda t: _months(t, 1, 12),
    "MONTHS_THIS_YEAR": lambda t: [f"{t.year}{m:02d}" for m in range(1, 13)],
    "THIS_QUARTER": lambda t: _quarters(t, 0, 1),
    "LAST_QUARTER": lambda t: _quarters(t, 1, 1),
    "LAST_4_QUARTERS": lambda t: _quarters(t, 1, 4),
    "QUARTERS_THIS_YEAR": lambda t: [f"{t.year}Q{q}" for q in range(1, 5)],
    "THIS_SIX_MONTH": lambda t: _halves(t, 0, 1),
    "LAST_SIX_MONTH": lambda t: _halves(t, 1, 1),
    "LAST_2_SIXMONTHS": lambda t: _halves(t, 1, 2),
    "THIS_YEAR": lambda t: _years(t, 0, 1),
    "LAST_YEAR": lambda t: _years(t, 1, 1),
    "LAST_3_YEARS": lambda t: _years(t, 1, 3),
    "LAST_5_YEARS": lambda t: _years(t, 1, 5),
}


def resolve_periods(ids: list[str], today: date | None = None) -> list[periods.Period]:
    """Periods in the order asked, relative ones expanded, duplicates dropped."""
    wanted = _unique(i.strip() for i in ids)
    if not wanted:
        raise AnalyticsError(_("Name at least one period (pe), for example 2026Q1."))
    _check_count(wanted, "pe")
    today = today or timezone.localdate()
    expanded = []
    for item in wanted:
        relative = RELATIVE_PERIODS.get(item.upper())
        expanded.extend(relative(today) if relative else [item])
    found = []
    for item in _unique(expanded):
        try:
            found.append(periods.parse(item))
        except periods.InvalidPeriod as exc:
            raise AnalyticsError(str(exc)) from exc
    if len(found) > MAX_PERIODS:
        raise AnalyticsError(_("At most %(n)s periods per request.") % {"n": MAX_PERIODS})
    return found


# ---------------------------------------------------------------------------------------
# ou


def resolve_org_units(scope: Scope, items: list[str]) -> list[OrgUnit]:
    """Org units in the order asked (selectors expanded in code order), within scope."""
    wanted = _unique(i.strip() for i in items)
    if not wanted:
        raise AnalyticsError(_("Name at least one org unit (ou), for example LEVEL-1."))
    _check_count(wanted, "ou")
    region_codes, site_codes, parents, levels = set(), set(), set(), set()
    for item in wanted:
        upper = item.upper()
        if upper.startswith("LEVEL-"):
            level = upper.removeprefix("LEVEL-")
            if level not in {"1", "2", "3", "4"}:
                raise AnalyticsError(
                    _("%(item)s: the level must be LEVEL-1 (provinces) to LEVEL-4 (villages).")
                    % {"item": item}
                )
            levels.add(int(level))
        elif upper.endswith(":CHILDREN"):
            parent = item[: -len(":CHILDREN")]
            if not parent[:1].isdigit():
                raise AnalyticsError(
                    _("%(item)s: only a region has children (for example 35:CHILDREN).")
                    % {"item": item}
                )
            parents.add(parent)
        elif item[:1].isdigit():
            region_codes.add(item)
        else:
            site_codes.add(item)

    regions = {
        r.code: r
        for r in Region.objects.filter(code__in=region_codes | parents).only(
            "code", "name", "level"
        )
    }
    unknown = sorted((region_codes | parents) - regions.keys())
    if unknown:
        raise AnalyticsError(_("Unknown region %(code)s.") % {"code": unknown[0]})
    for code in sorted(region_codes | parents):
        if not scope.covers_region(code):
            raise Http404(code)
    sites = {}
    if site_codes:
        sites = {
            s.code: s
            for s in Site.objects.filter(code__in=site_codes).only("id", "code", "name", "region")
        }
        for code in sorted(site_codes):
            site = sites.get(code)
            if site is None or not _site_in_scope(scope, site):
                raise Http404(code)

    children: dict[str, list[OrgUnit]] = {p: [] for p in parents}
    if parents:
        for code, name, level, parent in (
            Region.objects.filter(parent_id__in=parents)
            .order_by("code")
            .values_list("code", "name", "level", "parent_id")
        ):
            children[parent].append(OrgUnit(code, name, level))
    by_level: dict[int, list[OrgUnit]] = {n: [] for n in levels}
    if levels:
        rows = Region.objects.filter(level__in=levels).filter(_scope_q(scope)).order_by("code")
        for code, name, level in rows.values_list("code", "name", "level"):
            by_level[level].append(OrgUnit(code, name, level))

    found: list[OrgUnit] = []
    for item in wanted:
        upper = item.upper()
        if upper.startswith("LEVEL-"):
            found.extend(by_level[int(upper.removeprefix("LEVEL-"))])
        elif upper.endswith(":CHILDREN"):
            found.extend(children[item[: -len(":CHILDREN")]])
        elif item in regions:
            region = regions[item]
            found.append(OrgUnit(region.code, region.name, region.level))
        else:
            site = sites[item]
            found.append(OrgUnit(site.code, site.name, SITE_LEVEL, site.pk))
    return _unique_units(found)


def _site_in_scope(scope: Scope, site: Site) -> bool:
    if scope.site_id is not None:
        return site.pk == scope.site_id
    return scope.covers_region(site.region_id)


def _scope_q(scope: Scope) -> Q:
    """Regions inside the scope; a site-only or empty scope holds no region."""
    if scope.everything:
        return Q()
    if scope.site_id is not None or scope.region_code is None:
        return Q(pk__in=[])
    return scope.region_q("code")


# ---------------------------------------------------------------------------------------


def _unique(items) -> list:
    seen, out = set(), []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _unique_units(units: list[OrgUnit]) -> list[OrgUnit]:
    seen, out = set(), []
    for unit in units:
        if unit.code not in seen:
            seen.add(unit.code)
            out.append(unit)
    return out


def _check_count(items: list, dimension: str) -> None:
    if len(items) > MAX_ITEMS:
        raise AnalyticsError(
            _("At most %(n)s items in %(dimension)s.") % {"n": MAX_ITEMS, "dimension": dimension}
        )
