"""Writes to the indicator spine. Every path that stores data values — the entry grid,
dataValueSets imports, derived data — goes through ``write_values``: one validation,
one lock check, one change-log path."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import changelog, periods
from cegah.core.context import current_request_id
from cegah.core.models import ChangeLog
from cegah.core.scope import scope_for
from cegah.regions.models import Region
from cegah.sites.models import Site

from .models import LOCKED_STATUSES, Approval, DataElement, DataValue

SEXES = ("M", "F")
AGE_BANDS = ("LT15", "15_24", "25_64", "65P")
_BOOLEAN = {
    "true": 1.0,
    "false": 0.0,
    "1": 1.0,
    "0": 0.0,
    "ya": 1.0,
    "tidak": 0.0,
    "yes": 1.0,
    "no": 0.0,
}


def category_option_combos(disaggregation: str) -> list[str]:
    """The valid COC codes for a disaggregation: 'default', 'M', 'F_15_24', …"""
    if disaggregation == DataElement.Disaggregation.SEX:
        return list(SEXES)
    if disaggregation == DataElement.Disaggregation.AGE:
        return list(AGE_BANDS)
    if disaggregation == DataElement.Disaggregation.SEX_AGE:
        return [f"{s}_{a}" for s in SEXES for a in AGE_BANDS]
    return ["default"]


@dataclass
class ValueRow:
    """One incoming value, as text, with where it came from (for conflict messages)."""

    data_element: str
    period: str
    org_unit: str
    value: str
    coc: str = ""
    comment: str = ""
    ref: str = ""  # "row 12" / "dataValues[3]"


@dataclass
class Conflict:
    object: str
    value: str

    def as_dict(self):
        return {"object": self.object, "value": self.value}


@dataclass
class WriteSummary:
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def status(self) -> str:
        if self.conflicts:
            return "ERROR" if not (self.imported or self.updated) else "WARNING"
        return "SUCCESS"

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "dryRun": self.dry_run,
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored,
                "deleted": self.deleted,
            },
            "conflicts": [c.as_dict() for c in self.conflicts],
        }


class OrgUnits:
    """Resolves org unit codes (region codes or site codes) inside one scope, with caches."""

    def __init__(self, actor):
        self.scope = scope_for(actor) if actor is not None else None
        self._cache: dict[str, tuple[str, int | None] | None] = {}

    def resolve(self, code: str) -> tuple[str, int | None] | None:
        """(region_code, site_id) of an org unit in scope, or None (unknown or out of scope)."""
        if code in self._cache:
            return self._cache[code]
        found = None
        if code[:1].isdigit():
            if Region.objects.filter(code=code).exists():
                found = (code, None)
        else:
            site = Site.objects.filter(code=code).values_list("region_id", "id").first()
            found = site
        if found is not None and self.scope is not None:
            region_code, site_id = found
            in_scope = (
                (self.scope.site_id == site_id)
                if self.scope.site_id
                else (self.scope.covers_region(region_code))
            )
            if not in_scope:
                found = None
        self._cache[code] = found
        return found


def parse_value(element: DataElement, text: str) -> float:
    """The stored float for a typed value, or ValueError with a user-facing message."""
    raw = (text or "").strip().replace(" ", "")
    if element.value_type == DataElement.ValueType.BOOLEAN:
        if raw.lower() not in _BOOLEAN:
            raise ValueError(_("Expected yes/no (true/false, 1/0)."))
        return _BOOLEAN[raw.lower()]
    if element.value_type == DataElement.ValueType.RUPIAH:
        raw = raw.removeprefix("Rp").replace(".", "").replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        raise ValueError(_("Expected a number.")) from None
    if not math.isfinite(number):
        raise ValueError(_("Expected a number."))
    if element.value_type in (DataElement.ValueType.INTEGER, DataElement.ValueType.RUPIAH):
        if number != int(number):
            raise ValueError(_("Expected a whole number."))
    if element.value_type == DataElement.ValueType.PERCENTAGE and not 0 <= number <= 100:
        raise ValueError(_("A percentage is between 0 and 100."))
    if element.min_value is not None and number < element.min_value:
        raise ValueError(_("Below the minimum of %(min)s.") % {"min": element.min_value})
    if element.max_value is not None and number > element.max_value:
        raise ValueError(_("Above the maximum of %(max)s.") % {"max": element.max_value})
    return number


def locked_keys(pairs) -> set[tuple[str, str]]:
    """(org_unit, period) pairs locked by an approved or accepted data set covering them."""
    pairs = set(pairs)
    if not pairs:
        return set()
    org_units = {o for o, _p in pairs}
    locked = set()
    approvals = Approval.objects.filter(org_unit__in=org_units, status__in=LOCKED_STATUSES)
    for org_unit, period in approvals.values_list("org_unit", "period"):
        approved = periods.parse(period)
        for o, p in pairs:
            if o == org_unit and approved.contains(periods.parse(p)):
                locked.add((o, p))
    return locked


def write_values(
    actor,
    rows: list[ValueRow],
    *,
    source: str = DataValue.Source.ENTERED,
    dry_run: bool = False,
    atomic: bool = True,
) -> WriteSummary:
    """Validate every row first; write nothing if any row is in conflict (``atomic``).

    Re-sending the same values changes nothing (counted as ignored). Values in locked
    periods or for org units outside the actor's scope are conflicts.
    """
    if actor is not None and not scope_for(actor).can_write:
        raise PermissionDenied(_("Your role cannot enter data."))
    summary = WriteSummary(dry_run=dry_run)
    elements = {
        e.code: e
        for e in DataElement.objects.filter(code__in={r.data_element.strip().upper() for r in rows})
    }
    org_units = OrgUnits(actor)
    parsed = []
    seen: dict[tuple, str] = {}
    for row in rows:
        ref = row.ref or f"{row.data_element}/{row.period}/{row.org_unit}"
        code = row.data_element.strip().upper()
        element = elements.get(code)
        if element is None:
            summary.conflicts.append(
                Conflict(ref, _("Unknown data element %(code)s.") % {"code": row.data_element})
            )
            continue
        if element.derived:
            summary.conflicts.append(
                Conflict(
                    ref, _("%(code)s is derived by Cegah and cannot be entered.") % {"code": code}
                )
            )
            continue
        try:
            period = periods.parse(row.period)
        except periods.InvalidPeriod as exc:
            summary.conflicts.append(Conflict(ref, str(exc)))
            continue
        if period.type != element.period_type:
            summary.conflicts.append(
                Conflict(
                    ref,
                    _("%(code)s is reported per %(expected)s period, not %(period)s.")
                    % {
                        "code": code,
                        "expected": element.get_period_type_display().lower(),
                        "period": period.id,
                    },
                )
            )
            continue
        org_unit = row.org_unit.strip()
        location = org_units.resolve(org_unit)
        if location is None:
            summary.conflicts.append(
                Conflict(
                    ref,
                    _("Org unit %(code)s is unknown or outside your jurisdiction.")
                    % {"code": org_unit},
                )
            )
            continue
        coc = (row.coc or "").strip() or "default"
        if coc not in category_option_combos(element.disaggregation):
            summary.conflicts.append(
                Conflict(
                    ref,
                    _("Category option combo %(coc)s does not apply to %(code)s.")
                    % {"coc": coc, "code": code},
                )
            )
            continue
        try:
            number = parse_value(element, row.value)
        except ValueError as exc:
            summary.conflicts.append(Conflict(ref, f"{row.value!s}: {exc}"))
            continue
        key = (element.pk, period.id, org_unit, coc)
        if key in seen:
            summary.conflicts.append(
                Conflict(ref, _("Duplicate of %(other)s in the same file.") % {"other": seen[key]})
            )
            continue
        seen[key] = ref
        parsed.append((key, element, period, location, number, row.comment.strip()[:500], ref))
    locked = locked_keys((key[2], key[1]) for key, *_rest in parsed)
    for key, _e, period, _l, _n, _c, ref in parsed:
        if (key[2], key[1]) in locked:
            summary.conflicts.append(
                Conflict(
                    ref,
                    _(
                        "%(period)s is approved for %(org_unit)s and locked; ask for it to be reopened."
                    )
                    % {"period": period.id, "org_unit": key[2]},
                )
            )
    if summary.conflicts and atomic:
        summary.ignored = len(rows)
        return summary
    parsed = [p for p in parsed if (p[0][2], p[0][1]) not in locked]
    summary.ignored += len(rows) - len(parsed)
    with transaction.atomic():
        _upsert(actor, parsed, source, summary, dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _upsert(actor, parsed, source, summary: WriteSummary, dry_run: bool) -> None:
    existing: dict[tuple, DataValue] = {}
    by_element: dict[int, set] = {}
    for key, *_rest in parsed:
        by_element.setdefault(key[0], set()).add(key[2])
    for element_id, org_units in by_element.items():
        periods_ = {k[1] for k, *_r in parsed if k[0] == element_id}
        for dv in DataValue.objects.filter(
            data_element_id=element_id, org_unit__in=org_units, period__in=periods_
        ):
            existing[(dv.data_element_id, dv.period, dv.org_unit, dv.coc)] = dv
    username = actor.get_username() if actor is not None else "system"
    creates, updates, log = [], [], []
    request_id = current_request_id()
    now = timezone.now()
    office_id = getattr(actor, "office_id", None)
    user_id = actor.pk if actor is not None else None
    for key, element, period, (region_code, site_id), number, comment, _ref in parsed:
        current = existing.get(key)
        if current is None:
            dv = DataValue(
                data_element=element,
                period=period.id,
                org_unit=key[2],
                region_code=region_code,
                site_id=site_id,
                coc=key[3],
                value=number,
                comment=comment,
                source=source,
                stored_by=username,
                **DataValue.period_columns(period),
            )
            creates.append(dv)
            continue
        if current.value == number and current.comment == comment:
            summary.ignored += 1
            continue
        before = changelog.snapshot(current)
        current.value, current.comment = number, comment
        current.source, current.stored_by = source, username
        current.updated_at = now  # bulk_update does not apply auto_now
        updates.append(current)
        log.append((current, before))
    summary.imported += len(creates)
    summary.updated += len(updates)
    if dry_run:
        return
    DataValue.objects.bulk_create(creates, batch_size=2000)
    if updates:
        DataValue.objects.bulk_update(
            updates, ["value", "comment", "source", "stored_by", "updated_at"], batch_size=2000
        )
    entries = []
    for dv in creates:
        entries.append(_log_entry("create", dv, None, user_id, username, office_id, request_id))
    for dv, before in log:
        entries.append(_log_entry("update", dv, before, user_id, username, office_id, request_id))
    ChangeLog.objects.bulk_create(entries, batch_size=2000)


def _log_entry(action, dv, before, user_id, username, office_id, request_id) -> ChangeLog:
    return ChangeLog(
        user_id=user_id,
        username=username,
        office_id=office_id,
        request_id=request_id,
        action=action,
        object_type="indicators.datavalue",
        object_id=str(dv.pk),
        object_repr=str(dv)[:255],
        region_code=dv.region_code,
        site_id=dv.site_id,
        before=before,
        after=changelog.snapshot(dv),
    )
