"""Reads behind the data-entry pages: which org units and periods a user can pick, and the
grid of one data set × org unit × period. Writes go through ``services`` and ``approvals``."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cegah.core import numbers, periods
from cegah.core.models import DATA_VALUE_TYPE, ChangeLog
from cegah.core.scope import scope_for, scoped
from cegah.regions.models import Region
from cegah.regions.queries import ServingOffices
from cegah.sites.models import Site

from . import approvals
from .models import Approval, DataElement, DataSet, DataSetElement, DataValue
from .services import OrgUnits, category_option_combos
from .validation import check_data_set

COC_LABELS = {
    "default": gettext_lazy("Value"),
    "M": gettext_lazy("Male"),
    "F": gettext_lazy("Female"),
    "LT15": "<15",
    "15_24": "15–24",
    "25_64": "25–64",
    "65P": "65+",
}


def coc_label(coc: str) -> str:
    if coc in COC_LABELS:
        return str(COC_LABELS[coc])
    sex, _sep, age = coc.partition("_")
    return f"{COC_LABELS.get(sex, sex)} {COC_LABELS.get(age, age)}"


def format_value(element: DataElement, value: float | None) -> str:
    """A stored value as the entry grid shows it, in the active language (``3.000``,
    ``2,5`` in Indonesian), so that ``parse_value`` in that language reads it back; a
    boolean as the select's 1/0."""
    if value is None:
        return ""
    if element.value_type == DataElement.ValueType.BOOLEAN:
        return "1" if value else "0"
    return numbers.format_number(value)


def today() -> datetime.date:
    return timezone.localdate()


def recent_periods(period_type: str, years: int = 3, on: datetime.date | None = None):
    """Periods of a type that have started, most recent first, over the last ``years``."""
    on = on or today()
    found = []
    for year in range(on.year, on.year - years, -1):
        found += [p for p in periods.periods_of_type(period_type, year) if p.start <= on]
    return sorted(found, key=lambda p: p.start, reverse=True)


def regencies_in_scope(user):
    scope = scope_for(user)
    if scope.nothing or scope.site_id is not None:
        return Region.objects.none()
    return Region.objects.filter(scope.region_q("code"), level=Region.Level.REGENCY).order_by(
        "code"
    )


def sites_in_scope(user, q: str = "", limit: int = 20):
    sites = scoped(user, Site).select_related("region")
    q = (q or "").strip()
    if q:
        sites = sites.filter(Q(name__icontains=q) | Q(code__iexact=q) | Q(official_id__iexact=q))
    return sites.order_by("name", "id")[:limit]


def org_unit_names(codes) -> dict[str, str]:
    """Display names of org unit codes (regions and sites), in two queries."""
    codes = set(codes)
    regions = [c for c in codes if c[:1].isdigit()]
    sites = [c for c in codes if c and not c[:1].isdigit()]
    names = dict(Region.objects.filter(code__in=regions).values_list("code", "name"))
    names.update(Site.objects.filter(code__in=sites).values_list("code", "name"))
    return names


@dataclass
class OrgUnit:
    code: str
    name: str
    region_code: str
    site_id: int | None

    @property
    def location(self) -> tuple[str, int | None]:
        return self.region_code, self.site_id


def resolve_org_unit(user, code: str) -> OrgUnit:
    """An org unit in the user's scope, or 404 (unknown and out of scope look the same)."""
    code = (code or "").strip()
    location = OrgUnits(user).resolve(code) if code else None
    if location is None:
        raise Http404("Not found")
    region_code, site_id = location
    if site_id is not None:
        name = Site.objects.filter(pk=site_id).values_list("name", flat=True).first()
    else:
        name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return OrgUnit(code, name or code, region_code, site_id)


def kind_problem(data_set: DataSet, org_unit: OrgUnit) -> str | None:
    """Why an org unit cannot report this data set (a site for a regency form, …)."""
    if data_set.org_unit_kind == DataSet.OrgUnitKind.SITE:
        if org_unit.site_id is None:
            return _("%(data_set)s is reported by sites; pick a site.") % {
                "data_set": data_set.name
            }
        return None
    if org_unit.site_id is not None or org_unit.code.count(".") != 1:
        return _("%(data_set)s is reported per regency/city; pick a regency or city.") % {
            "data_set": data_set.name
        }
    return None


def parse_period_for(data_set: DataSet, value: str) -> periods.Period | None:
    try:
        period = periods.parse(value)
    except periods.InvalidPeriod:
        return None
    return period if period.type == data_set.period_type else None


@dataclass
class Cell:
    element: DataElement
    coc: str
    value: DataValue | None

    @property
    def id(self) -> str:
        return f"{self.element.code}-{self.coc}"

    @property
    def label(self) -> str:
        return coc_label(self.coc)

    @property
    def text(self) -> str:
        return format_value(self.element, self.value.value if self.value else None)

    @property
    def comment(self) -> str:
        return self.value.comment if self.value else ""

    @property
    def version(self) -> str:
        """What the grid sends back with a save of this cell: the stored value's last
        change ("" when there is none), so that a save over someone else's newer change
        is refused (``views_entry.entry_value``)."""
        return version_of(self.value)


def version_of(value: DataValue | None) -> str:
    return value.updated_at.isoformat() if value is not None else ""


@dataclass
class OtherChange:
    """The change made to a cell elsewhere (by someone else, or in another page) since the
    grid was loaded, as the cell's conflict message shows it: the value (as the grid shows
    it; "" when it was deleted), who and when, and the version to save over it."""

    text: str
    who: str
    when: datetime.datetime | None
    version: str

    @property
    def deleted(self) -> bool:
        return self.text == ""


@dataclass
class Row:
    member: DataSetElement
    cells: list[Cell]
    locked: bool = False
    entry_period: bool = True  # the element is reported per the data set's period type
    editable: bool = False  # the user may type into this row now

    @property
    def element(self) -> DataElement:
        return self.member.data_element

    @property
    def editable_reason(self) -> str:
        if self.element.derived:
            return _("Derived by Cegah from its records; not typed in.")
        if not self.entry_period:
            return _("Reported per %(type)s period in another form.") % {
                "type": self.element.get_period_type_display().lower()
            }
        return ""


@dataclass
class Section:
    cocs: list[str]
    rows: list[Row] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [coc_label(c) for c in self.cocs]


@dataclass
class Grid:
    data_set: DataSet
    org_unit: OrgUnit
    period: periods.Period
    approval: Approval
    chain: approvals.Chain
    sections: list[Section]
    violations: list
    can_write: bool
    locked: bool
    actions: list[str]

    @property
    def editable(self) -> bool:
        return self.can_write and not self.locked

    @property
    def hx_vals(self) -> str:
        """The grid's key, sent with every cell's request (HTMX merges it with the cell's)."""
        return json.dumps(
            {"dataSet": self.data_set.code, "orgUnit": self.org_unit.code, "period": self.period.id}
        )


def build_grid(user, data_set: DataSet, org_unit: OrgUnit, period: periods.Period) -> Grid:
    members = list(
        DataSetElement.objects.filter(data_set=data_set)
        .select_related("data_element")
        .order_by("order", "id")
    )
    stored = {
        (dv.data_element_id, dv.coc): dv
        for dv in DataValue.objects.filter(
            data_element_id__in=[m.data_element_id for m in members],
            org_unit=org_unit.code,
            period=period.id,
        )
    }
    states = approvals.approval_states(
        (m.data_element_id, org_unit.code, period.id) for m in members
    )
    sections: list[Section] = []
    for member in members:
        element = member.data_element
        cocs = category_option_combos(element.disaggregation)
        if not sections or sections[-1].cocs != cocs:
            sections.append(Section(cocs))
        sections[-1].rows.append(
            Row(
                member,
                [Cell(element, coc, stored.get((element.pk, coc))) for coc in cocs],
                locked=approvals.is_locked(states.get((element.pk, org_unit.code, period.id))),
                entry_period=element.period_type == data_set.period_type,
            )
        )
    approval = approvals.get_or_draft(
        data_set, org_unit.code, org_unit.region_code, org_unit.site_id, period.id
    )
    chain = approvals.chain_for(org_unit.region_code, ServingOffices())
    can_write = scope_for(user).can_write
    for section in sections:
        for row in section.rows:
            row.editable = (
                can_write and not row.locked and not row.element.derived and row.entry_period
            )
    return Grid(
        data_set=data_set,
        org_unit=org_unit,
        period=period,
        approval=approval,
        chain=chain,
        sections=sections,
        violations=check_data_set(data_set, org_unit.code, period.id),
        can_write=can_write,
        locked=approvals.is_locked(approval.status),
        actions=approvals.allowed_actions(user, approval, chain),
    )


def _changes(element: DataElement, org_unit: OrgUnit, period: str, coc: str):
    prefix = f"{element.pk}/{period}/{org_unit.code}/{coc}="
    return ChangeLog.objects.filter(
        object_type=DATA_VALUE_TYPE,
        region_code=org_unit.region_code,
        object_repr__startswith=prefix,
    ).order_by("-id")


def value_history(element: DataElement, org_unit: OrgUnit, period: str, coc: str):
    """Change-log entries of one value key, newest first, across deletions and re-entries
    (matched by the key at the start of the logged object name, within the org unit's region
    so the region-code index narrows the search)."""
    return _changes(element, org_unit, period, coc)[:50]


def other_change(
    element: DataElement, org_unit: OrgUnit, period: str, coc: str, stored: DataValue | None
) -> OtherChange:
    """What a cell holds now and who put it there (the key's latest change-log entry; the
    value's ``stored_by`` and time if the log has none), for the conflict message."""
    latest = _changes(element, org_unit, period, coc).select_related("user").first()
    if latest is not None:
        who = (latest.user.get_full_name() if latest.user else "") or latest.username
        when = latest.timestamp
    else:
        who = stored.stored_by if stored is not None else ""
        when = stored.updated_at if stored is not None else None
    return OtherChange(
        text=format_value(element, stored.value if stored is not None else None),
        who=who,
        when=when,
        version=version_of(stored),
    )


def history_rows(entries) -> list[dict]:
    rows = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        rows.append(
            {
                "entry": entry,
                "before": numbers.format_number(before.get("value")) if before else "",
                "after": numbers.format_number(after.get("value")) if after else "",
                "comment": (after or before).get("comment", ""),
                "status": (after or before).get("status", ""),
            }
        )
    return rows
