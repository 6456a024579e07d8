"""Writes to the indicator spine. Every path that stores entered or imported data values
— the entry grid, dataValueSets imports, the demo — goes through ``write_values``: one
validation, one lock check, one change-log path. Derived values (computed from sites,
assessments and other values, never typed in) have their own path, ``derived.replace``."""

from __future__ import annotations

import contextvars
import datetime
import json
import queue
import sys
import threading
from collections import defaultdict
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import BooleanField
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import bulk, changelog, numbers, periods
from cegah.core.context import current_request_id
from cegah.core.models import DATA_VALUE_TYPE, ChangeLog
from cegah.core.scope import scope_for
from cegah.regions.models import Region
from cegah.sites.models import Site, SiteType

from . import approvals, signals, validation
from .models import (
    Approval,
    DataElement,
    DataSet,
    DataSetElement,
    DataValue,
    DeletedDataValue,
    Status,
)

SEXES = ("M", "F")
AGE_BANDS = ("LT15", "15_24", "25_64", "65P")
# DHIS2's booleans (true/false in any case, t/f, 1/0) and the words people type.
_BOOLEAN = {
    "true": 1.0,
    "false": 0.0,
    "t": 1.0,
    "f": 0.0,
    "1": 1.0,
    "0": 0.0,
    "ya": 1.0,
    "tidak": 0.0,
    "yes": 1.0,
    "no": 0.0,
}


def category_option_combos(disaggregation: str) -> list[str]:
    """The valid COC codes for a disaggregation: 'default', 'M', 'F_15_24', 'smp', …"""
    if disaggregation == DataElement.Disaggregation.SEX:
        return list(SEXES)
    if disaggregation == DataElement.Disaggregation.AGE:
        return list(AGE_BANDS)
    if disaggregation == DataElement.Disaggregation.SEX_AGE:
        return [f"{s}_{a}" for s in SEXES for a in AGE_BANDS]
    if disaggregation == DataElement.Disaggregation.SITE_TYPE:
        return list(SiteType.values)
    return ["default"]


@dataclass(slots=True)
class ValueRow:
    """One incoming value, as text, with where it came from (for conflict messages)."""

    data_element: str
    period: str
    org_unit: str
    value: str
    coc: str = ""
    comment: str = ""
    ref: str = ""  # "row 12" / "dataValues[3]"
    # How the value's number is written: numbers.MACHINE (DHIS2 files, the API) or the
    # language of the person who typed it ("id", "en": the grid, spreadsheet text).
    notation: str = numbers.MACHINE
    deleted: bool = False  # DHIS2's deleted=true: the value is to be removed
    followup: bool = False
    stored_by: str = ""  # as the file says; the writing user when empty


# DHIS2's import strategies, with the older names DHIS2 still reads as the same.
CREATE, UPDATE, CREATE_AND_UPDATE, DELETE = "CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE"
STRATEGIES = {
    CREATE: CREATE,
    UPDATE: UPDATE,
    CREATE_AND_UPDATE: CREATE_AND_UPDATE,
    DELETE: DELETE,
    "NEW": CREATE,
    "UPDATES": UPDATE,
    "NEW_AND_UPDATES": CREATE_AND_UPDATE,
    "DELETES": DELETE,
}


def strategy_named(name: str | None) -> str | None:
    """The strategy a name (any case; empty: the default) stands for; None if unknown."""
    name = (name or "").strip().upper()
    return STRATEGIES.get(name) if name else CREATE_AND_UPDATE


def unknown_strategy(name: str) -> Conflict:
    return Conflict(
        "importStrategy",
        _("Unknown import strategy %(name)s: use CREATE, UPDATE, CREATE_AND_UPDATE or DELETE.")
        % {"name": name},
    )


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
            return "ERROR" if not (self.imported or self.updated or self.deleted) else "WARNING"
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

    def preload(self, codes) -> None:
        """Resolve many codes with a few queries (imports: no query per row)."""
        missing = [c for c in set(codes) if c not in self._cache]
        regions = [c for c in missing if c[:1].isdigit()]
        sites = [c for c in missing if c and not c[:1].isdigit()]
        found: dict[str, tuple[str, int | None]] = {}
        for chunk in _chunks(regions, 5000):
            for code in Region.objects.filter(code__in=chunk).values_list("code", flat=True):
                found[code] = (code, None)
        for chunk in _chunks(sites, 5000):
            for code, region_code, site_id in Site.objects.filter(code__in=chunk).values_list(
                "code", "region_id", "id"
            ):
                found[code] = (region_code, site_id)
        for code in missing:
            self._cache[code] = self._in_scope(found.get(code))

    def resolve(self, code: str) -> tuple[str, int | None] | None:
        """(region_code, site_id) of an org unit in scope, or None (unknown or out of scope)."""
        if code not in self._cache:
            self.preload([code])
        return self._cache[code]

    def resolved(self) -> set[str]:
        """The codes looked up so far that are known and in scope."""
        return {code for code, found in self._cache.items() if found is not None}

    def _in_scope(self, found):
        if found is None or self.scope is None:
            return found
        region_code, site_id = found
        if self.scope.site_id:
            return found if self.scope.site_id == site_id else None
        return found if self.scope.covers_region(region_code) else None


def _chunks(items, size):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def parse_value(element: DataElement, text: str, notation: str = numbers.MACHINE) -> float:
    """The stored float for a value written in ``notation`` (``numbers.MACHINE`` or a
    language), or ValueError with a user-facing message."""
    return value_parser(element, notation)(text)


def parse_boolean(text: str) -> float:
    raw = (text or "").strip().lower()
    if raw not in _BOOLEAN:
        raise ValueError(_("Expected yes/no (true/false, 1/0)."))
    return _BOOLEAN[raw]


def value_parser(element: DataElement, notation: str = numbers.MACHINE) -> Callable[[str], float]:
    """``parse_value`` for one element and notation, its checks chosen once (a write
    parses each of its rows with the parser of the row's element and notation).

    Machine text (DHIS2 files, the API) is read by ``numbers.read_machine``'s rules, with
    an inline path for the usual short number (the import's loop is hot); a person's text
    (the entry grid, spreadsheet text) by ``numbers.read`` in its language. Either way the
    number is kept exactly or refused (``numbers``)."""
    types = DataElement.ValueType
    value_type = element.value_type
    if value_type == types.BOOLEAN:
        return parse_boolean
    whole = value_type in (types.INTEGER, types.RUPIAH)
    percentage = value_type == types.PERCENTAGE
    low, high = element.min_value, element.max_value
    machine = notation == numbers.MACHINE
    lang = None if machine else numbers.language(notation)
    rupiah = value_type == types.RUPIAH
    usual = numbers.MACHINE_SHORT

    def read(text: str) -> float:
        if machine:
            raw = (text or "").strip()
            if usual.fullmatch(raw):  # at most 15 digits: exact in a double
                number = float(raw)
                if whole and not number.is_integer():
                    raise ValueError(_("Expected a whole number."))
            else:
                number = float(numbers.read_machine(raw, whole=whole))
        else:
            number = float(
                numbers.read(text, lang, whole=whole, currency=rupiah, percent=percentage)
            )
        if percentage and not 0 <= number <= 100:
            raise ValueError(_("A percentage is between 0 and 100."))
        if low is not None and number < low:
            raise ValueError(
                _("Below the minimum of %(min)s.") % {"min": numbers.format_number(low)}
            )
        if high is not None and number > high:
            raise ValueError(
                _("Above the maximum of %(max)s.") % {"max": numbers.format_number(high)}
            )
        return number

    return read


@dataclass(slots=True)
class _Valid:
    """A validated row, ready to store."""

    element_id: int
    period: periods.Period
    org_unit: str
    coc: str
    region_code: str
    site_id: int | None
    value: float | None  # None: a deleted row whose value was not given or not read
    comment: str
    ref: str
    stored_by: str = ""
    followup: bool = False
    deleted: bool = False  # to be removed (DELETE, or deleted=true)


# Rows are checked and stored in chunks of this many. When a write has more than one chunk
# and is atomic, each chunk is stored (by a worker thread, on the same connection and
# transaction) while the next ones are checked: PostgreSQL or SQLite works on one core while
# Python checks rows on the other.
CHUNK_ROWS = 10_000
# Python's thread switch interval while a storing thread runs (see ``_Store._submit``).
STORE_SWITCH_INTERVAL = 0.0005
_switching = bulk.ProcessSetting(
    sys.getswitchinterval, sys.setswitchinterval, STORE_SWITCH_INTERVAL
)
# COPY data is sent in batches of this many rows: the database reads one batch while the
# next is composed, instead of waiting for the whole chunk's text.
COPY_BATCH = 1_000


def write_values(
    actor,
    rows: list[ValueRow],
    *,
    source: str = DataValue.Source.ENTERED,
    dry_run: bool = False,
    atomic: bool = True,
    progress: Callable[[int, int], None] | None = None,
    check_rules: bool = True,
    strategy: str = CREATE_AND_UPDATE,
    data_set: DataSet | None = None,
) -> WriteSummary:
    """Validate every row; write nothing if any row is in conflict (``atomic``).

    ``strategy`` is DHIS2's import strategy (one of ``STRATEGIES``' values): CREATE stores
    new values only (a stored key is ignored), UPDATE changes stored values only (a new key
    is ignored), CREATE_AND_UPDATE both, DELETE removes the rows' values (a key holding
    none is ignored; the value need not be given). A row with ``deleted`` removes its value
    under any strategy but CREATE (there a stored key is ignored); with no value stored it
    counts as imported and leaves a tombstone, as DHIS2 stores such a row deleted. Removed
    values leave a tombstone (``DeletedDataValue``) for ``includeDeleted`` exports.
    ``data_set``: the data set a file names; its org-unit level then decides which org
    units are taken (otherwise the levels of the data sets each element is in).

    Re-sending the same values changes nothing (counted as ignored). Values in locked
    periods (see ``approvals.approval_states``), for org units outside the actor's scope,
    or that break a validation rule together with the stored values (``check_rules``; the
    entry grid saves first and shows violations instead) are conflicts. Writing opens the
    draft approval rows of the data sets written to, so inboxes list them. ``progress(done,
    total)`` is called while rows are checked.

    What the checks need from the database is read first, in a few queries (``_Checks``);
    then rows are checked in chunks with dict lookups, and the write is set-based per chunk
    (see ``_Store``), so a 100,000-row import costs a few dozen statements, not one per
    row. An atomic write stores each chunk while the following ones are checked, and rolls
    everything back if any row turns out to be in conflict: nothing is written unless every
    row is valid, as when all rows were checked first. Without ``atomic``, every row is
    checked first and only the valid ones are stored.
    """
    if actor is not None and not scope_for(actor).can_write:
        raise PermissionDenied(_("Your role cannot enter data."))
    summary = WriteSummary(dry_run=dry_run)
    conflicts = summary.conflicts
    total = len(rows)
    checks = _Checks(actor, rows, check_rules, strategy, data_set)
    valid: list[_Valid] = []
    deletes: list[_Valid] = []
    with transaction.atomic():
        store = _Store(actor, source, background=atomic and total > CHUNK_ROWS, strategy=strategy)
        # For the draft approvals; read before a storing thread takes the connection.
        elements = [e.id for e in checks.elements.values()]
        data_sets = {} if dry_run else approvals.data_sets_of(elements)

        def announce(run: Callable[[Callable[[], None]], None]) -> None:
            """What follows a write, each step handed to ``run``: the analytics refresh,
            then the draft approvals (worked out here, in the caller's thread)."""
            run(lambda: signals.values_changed(store.written))
            groups = [
                (v.element_id, v.org_unit, v.region_code, v.site_id, v.period.id) for v in valid
            ]
            drafts = approvals.draft_approvals(groups, data_sets)
            run(lambda: approvals.create_drafts(drafts))

        announced = False
        try:
            for start in range(0, total, CHUNK_ROWS):
                if progress is not None:
                    progress(start, total)
                checked = checks.check(rows[start : start + CHUNK_ROWS], conflicts)
                if any(v.deleted for v in checked):
                    deletes += [v for v in checked if v.deleted]
                    checked = [v for v in checked if not v.deleted]
                valid += checked
                if atomic and not conflicts:
                    store.write(checked)
            if store.background and valid and not (conflicts or dry_run):
                # Done by the storing thread while the rules are checked here: should one be
                # broken, everything is rolled back anyway.
                announce(store.after)
                announced = True
            if check_rules:
                valid = checks.within_rules(valid, conflicts)
            store.wait()
            if conflicts and atomic:
                transaction.set_rollback(True)
                summary.ignored = total
                return summary
            if not atomic:
                for start in range(0, len(valid), CHUNK_ROWS):
                    store.write(valid[start : start + CHUNK_ROWS])
            store.close()
        finally:
            store.abandon()
        if deletes:
            removed, buried = _delete_rows(actor, deletes, strategy)
            summary.deleted += removed
            summary.imported += buried
        summary.imported += store.created
        summary.updated += store.changed
        summary.ignored += total - summary.imported - summary.updated - summary.deleted
        if dry_run:
            transaction.set_rollback(True)
        elif valid and not announced:
            announce(lambda step: step())
    if progress is not None:
        progress(total, total)
    return summary


class _Checks:
    """What rows are checked against, read from the database before the first row is
    checked (a large write then stores chunks while checking others, on the same
    connection): the data elements, the org units in scope, the approvals that lock
    periods and the stored values the validation rules need. Keeps the keys already seen,
    so a key twice in one write is a conflict across chunks too."""

    def __init__(
        self,
        actor,
        rows: list[ValueRow],
        check_rules: bool,
        strategy: str = CREATE_AND_UPDATE,
        data_set: DataSet | None = None,
    ):
        self.username = actor.get_username() if actor is not None else "system"
        self.delete_all = strategy == DELETE
        raw_codes, raw_org_units, raw_periods = set(), set(), set()
        for row in rows:
            raw_codes.add(row.data_element)
            raw_org_units.add(row.org_unit)
            raw_periods.add(row.period)
        codes = {code.strip().upper() for code in raw_codes}
        self.elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
        self.cocs = {
            code: frozenset(category_option_combos(e.disaggregation))
            for code, e in self.elements.items()
        }
        # (code, notation) → the value parser, made when first needed
        self.parsers: dict[tuple[str, str], Callable[[str], float]] = {}
        self.levels = org_unit_levels(self.elements.values(), data_set)
        self.org_units = OrgUnits(actor)
        self.org_units.preload(code.strip() for code in raw_org_units)
        # A period text → its Period, or the message saying why it is not one.
        self.periods: dict[str, periods.Period | str] = {}
        for text in raw_periods:
            try:
                self.periods[text] = periods.parse_import(text)
            except periods.InvalidPeriod as exc:
                self.periods[text] = str(exc)
        in_scope = self.org_units.resolved()
        period_ids = {p.id for p in self.periods.values() if not isinstance(p, str)}
        self.locks = approvals.ApprovalStates(in_scope, {p[:4] for p in period_ids})
        self.rules = (
            validation.ImportRuleCheck(set(self.elements), in_scope, period_ids)
            if check_rules
            else None
        )
        self.seen: dict[tuple, str] = {}

    def check(self, rows: list[ValueRow], conflicts: list[Conflict]) -> list[_Valid]:
        """The rows that pass every check but the rules; a conflict for each other row.
        Reads nothing from the database."""
        elements, cocs, parsers, parsed_periods = (
            self.elements,
            self.cocs,
            self.parsers,
            self.periods,
        )
        resolve, lock_of, seen = self.org_units.resolve, self.locks.get, self.seen
        levels, delete_all, username = self.levels, self.delete_all, self.username
        valid: list[_Valid] = []
        for row in rows:
            ref = row.ref or f"{row.data_element}/{row.period}/{row.org_unit}"
            code = row.data_element.strip().upper()
            element = elements.get(code)
            if element is None:
                conflicts.append(
                    Conflict(ref, _("Unknown data element %(code)s.") % {"code": row.data_element})
                )
                continue
            if element.derived:
                conflicts.append(
                    Conflict(
                        ref,
                        _("%(code)s is derived by Cegah and cannot be entered.") % {"code": code},
                    )
                )
                continue
            period = parsed_periods[row.period]
            if isinstance(period, str):
                conflicts.append(Conflict(ref, period))
                continue
            if period.type != element.period_type:
                conflicts.append(
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
            location = resolve(org_unit)
            if location is None:
                conflicts.append(
                    Conflict(
                        ref,
                        _("Org unit %(code)s is unknown or outside your jurisdiction.")
                        % {"code": org_unit},
                    )
                )
                continue
            region_code, site_id = location
            kinds, data_set_code = levels[code]
            kind = SITE_KIND if site_id is not None else _REGION_KINDS[org_unit.count(".")]
            if kind not in kinds:
                conflicts.append(
                    Conflict(ref, _level_refused(org_unit, kind, kinds, data_set_code))
                )
                continue
            coc = (row.coc or "").strip() or "default"
            if coc not in cocs[code]:
                conflicts.append(
                    Conflict(
                        ref,
                        _("Category option combo %(coc)s does not apply to %(code)s.")
                        % {"coc": coc, "code": code},
                    )
                )
                continue
            parser = parsers.get((code, row.notation))
            if parser is None:
                parser = parsers[(code, row.notation)] = value_parser(element, row.notation)
            deleted = delete_all or row.deleted
            if deleted:  # the value is not needed; kept in the tombstone when it reads
                try:
                    number = parser(row.value) if row.value else None
                except ValueError:
                    number = None
            else:
                try:
                    number = parser(row.value)
                except ValueError as exc:
                    conflicts.append(Conflict(ref, f"{row.value!s}: {exc}"))
                    continue
            element_id = element.id
            key = (element_id, period.id, org_unit, coc)
            if key in seen:
                conflicts.append(
                    Conflict(
                        ref, _("Duplicate of %(other)s in the same file.") % {"other": seen[key]}
                    )
                )
                continue
            seen[key] = ref
            if approvals.is_locked(lock_of(element_id, org_unit, period.id)):
                conflicts.append(
                    Conflict(
                        ref,
                        _(
                            "%(period)s is approved for %(org_unit)s and locked; "
                            "ask for it to be reopened."
                        )
                        % {"period": period.id, "org_unit": org_unit},
                    )
                )
                continue
            valid.append(
                _Valid(
                    element_id,
                    period,
                    org_unit,
                    coc,
                    region_code,
                    site_id,
                    number,
                    (row.comment or "").strip()[:500],
                    ref,
                    (row.stored_by or "").strip()[:150] or username,
                    row.followup,
                    deleted,
                )
            )
        return valid

    def within_rules(self, valid: list[_Valid], conflicts: list[Conflict]) -> list[_Valid]:
        """The rows that break no validation rule; a conflict naming each broken rule."""
        codes = {e.id: code for code, e in self.elements.items()}
        broken = self.rules.conflicts(
            [
                (v.element_id, codes[v.element_id], v.org_unit, v.period.id, v.coc, v.value, v.ref)
                for v in valid
            ]
        )
        if not broken:
            return valid
        dropped = set()
        for problem in broken:
            conflicts.append(
                Conflict(problem.refs[0], f"{problem.org_unit} {problem.period}: {problem.message}")
            )
            dropped.update(problem.refs)
        return [v for v in valid if v.ref not in dropped]


# Which org units a data set takes values for: a value at another level would be counted
# twice up the hierarchy (a district's value inside its regency's, say).
REGENCY_KIND, SITE_KIND = DataSet.OrgUnitKind.REGENCY.value, DataSet.OrgUnitKind.SITE.value
# A region's kind by the dots in its code: 35, 35.78, 35.78.01, 35.78.01.1001.
_REGION_KINDS = {0: "province", 1: REGENCY_KIND, 2: "district", 3: "village"}
ANY_KIND = frozenset({*_REGION_KINDS.values(), SITE_KIND})


def _kind_name(kind: str) -> str:
    return {
        "province": _("a province"),
        REGENCY_KIND: _("a regency/city"),
        "district": _("a district"),
        "village": _("a village"),
        SITE_KIND: _("a site"),
    }[kind]


def org_unit_levels(elements, data_set: DataSet | None = None) -> dict[str, tuple]:
    """Per data element code: (the org-unit kinds its values are taken for, the data set
    code that says so or ""). With ``data_set`` (a file naming one), that data set's kind;
    otherwise the kinds of the data sets the element is in; an element in none is not
    reported through a data set, and takes values for any org unit."""
    elements = list(elements)
    if data_set is not None:
        return {e.code: (frozenset({data_set.org_unit_kind}), data_set.code) for e in elements}
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for element_id, kind, code in DataSetElement.objects.filter(
        data_element__in=elements
    ).values_list("data_element_id", "data_set__org_unit_kind", "data_set__code"):
        found[element_id].append((kind, code))
    levels = {}
    for e in elements:
        sets = sorted(found.get(e.id, []), key=lambda pair: pair[1])
        if sets:
            levels[e.code] = (frozenset(kind for kind, _code in sets), sets[0][1])
        else:
            levels[e.code] = (ANY_KIND, "")
    return levels


def _level_refused(org_unit: str, kind: str, kinds, data_set_code: str) -> str:
    return _(
        "Data set %(data_set)s is not usable with org unit %(org_unit)s: it takes values "
        "for %(expected)s, not for %(kind)s (a value there would be counted twice up the "
        "hierarchy)."
    ) % {
        "data_set": data_set_code,
        "org_unit": org_unit,
        "expected": _(" or ").join(_kind_name(k) for k in sorted(kinds)),
        "kind": _kind_name(kind),
    }


def delete_value(actor, data_element: str, period: str, org_unit: str, coc: str = "default"):
    """Delete one stored value (the entry grid's cleared cell), with the same scope and lock
    checks as ``write_values`` and a change-log entry. Returns a WriteSummary (deleted=1, or
    a conflict)."""
    if actor is not None and not scope_for(actor).can_write:
        raise PermissionDenied(_("Your role cannot enter data."))
    summary = WriteSummary()
    ref = f"{data_element}/{period}/{org_unit}"
    location = OrgUnits(actor).resolve(org_unit)
    value = (
        DataValue.objects.filter(
            data_element__code=data_element, period=period, org_unit=org_unit, coc=coc or "default"
        )
        .select_related("data_element")
        .first()
        if location is not None
        else None
    )
    if value is None:
        summary.conflicts.append(Conflict(ref, _("There is no such value to delete.")))
        return summary
    if value.data_element.derived:
        summary.conflicts.append(
            Conflict(
                ref,
                _("%(code)s is derived by Cegah and cannot be entered.")
                % {"code": value.data_element.code},
            )
        )
        return summary
    key = (value.data_element_id, org_unit, period)
    if approvals.is_locked(approvals.approval_states([key]).get(key)):
        summary.conflicts.append(
            Conflict(
                ref,
                _("%(period)s is approved for %(org_unit)s and locked; ask for it to be reopened.")
                % {"period": period, "org_unit": org_unit},
            )
        )
        return summary
    with transaction.atomic():
        before = changelog.snapshot(value)
        changelog.record(actor, "delete", value, before, None)
        _bury([value], timezone.now())
        value.delete()
        signals.values_changed([(key[0], value.region_code, value.year)])
    summary.deleted = 1
    return summary


# A tombstone keeps every column of the value it replaces (``ValueKey``'s and the element,
# site, value and follow-up); its key is the value's.
_TOMBSTONE_KEY = ("data_element", "period", "org_unit", "coc")
_TOMBSTONE_FIELDS = [
    f.attname for f in DeletedDataValue._meta.concrete_fields if f.name not in ("id", "deleted_at")
]


def _bury(values, when) -> None:
    """Keep tombstones of ``values`` (DataValues, stored or as a deleted row describes
    them), replacing an older tombstone of the same key."""
    DeletedDataValue.objects.bulk_create(
        [
            DeletedDataValue(
                **{name: getattr(v, name) for name in _TOMBSTONE_FIELDS}, deleted_at=when
            )
            for v in values
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=list(_TOMBSTONE_KEY),
        update_fields=[
            f.name
            for f in DeletedDataValue._meta.concrete_fields
            if f.name not in ("id", *_TOMBSTONE_KEY)
        ],
    )


def _delete_rows(actor, rows: list[_Valid], strategy: str) -> tuple[int, int]:
    """Remove the stored values of ``rows`` (checked rows to delete), each with a change-log
    entry and a tombstone. Returns (values removed, rows counted as imported): a
    ``deleted`` row whose key holds no value is stored as a tombstone and counted as
    imported, as DHIS2 does, except under UPDATE and DELETE (ignored); under CREATE a
    stored key is left alone (ignored)."""
    by_key = {(v.element_id, v.period.id, v.org_unit, v.coc): v for v in rows}
    stored: dict[tuple, DataValue] = {}
    element_ids = sorted({v.element_id for v in rows})
    period_ids = sorted({v.period.id for v in rows})
    for chunk in _chunks(sorted({v.org_unit for v in rows}), 2000):
        for value in (
            DataValue.objects.select_for_update()
            .filter(data_element_id__in=element_ids, period__in=period_ids, org_unit__in=chunk)
            .order_by("id")
        ):
            key = (value.data_element_id, value.period, value.org_unit, value.coc)
            if key in by_key:
                stored[key] = value
    now = timezone.now()
    removed = [] if strategy == CREATE else list(stored.values())
    if removed:
        changelog.record_many(
            actor, "delete", [(value, changelog.snapshot(value), None) for value in removed]
        )
        _bury(removed, now)
        for chunk in _chunks([value.pk for value in removed], 2000):
            DataValue.objects.filter(pk__in=chunk).delete()
        signals.values_changed({(v.data_element_id, v.region_code, v.year) for v in removed})
    kept: list[DataValue] = []
    if strategy in (CREATE, CREATE_AND_UPDATE):
        for key, v in by_key.items():
            if key in stored:
                continue
            columns = DataValue.period_columns(v.period)
            kept.append(
                DataValue(
                    data_element_id=v.element_id,
                    period=v.period.id,
                    org_unit=v.org_unit,
                    region_code=v.region_code,
                    site_id=v.site_id,
                    coc=v.coc,
                    value=v.value,
                    comment=v.comment,
                    stored_by=v.stored_by,
                    followup=v.followup,
                    created_at=now,
                    **columns,
                )
            )
        _bury(kept, now)
    return len(removed), len(kept)


# The columns of the incoming table: a data value's key, where it lives and what it says.
_INCOMING = (
    ("data_element_id", "bigint"),
    ("period", "varchar(7)"),
    ("year", "smallint"),
    ("half", "smallint"),
    ("quarter", "smallint"),
    ("month", "smallint"),
    ("org_unit", "varchar(32)"),
    ("region_code", "varchar(13)"),
    ("site_id", "bigint"),
    ("coc", "varchar(32)"),
    ("value", "double precision"),
    ("comment", "varchar(500)"),
    ("stored_by", "varchar(150)"),
    ("followup", "boolean"),
)
_KEY = ("data_element_id", "period", "org_unit", "coc")


def _incoming_tuples(valid: list[_Valid]):
    columns_of = {}
    for v in valid:
        pc = columns_of.get(v.period.id)
        if pc is None:
            pc = columns_of[v.period.id] = DataValue.period_columns(v.period)
        yield (
            v.element_id,
            v.period.id,
            pc["year"],
            pc["half"],
            pc["quarter"],
            pc["month"],
            v.org_unit,
            v.region_code,
            v.site_id,
            v.coc,
            v.value,
            v.comment,
            v.stored_by,
            v.followup,
        )


# A unique violation as Django's cursor raises it and as the driver's own cursor does.
_UNIQUE_VIOLATIONS: tuple[type[Exception], ...] = (IntegrityError,)
if connection.vendor == "postgresql":
    from psycopg import errors as _pg_errors

    _UNIQUE_VIOLATIONS += (_pg_errors.UniqueViolation,)
_json_string = json.encoder.encode_basestring  # a str as a JSON string, unicode kept
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A field of PostgreSQL's COPY text format: ``\\N`` for None, specials escaped."""
    if value is None:
        return "\\N"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_COPY_ESCAPES)
    return text


def _copy_json(text: str | None) -> str:
    """JSON text as a COPY field: JSON has no raw tabs or line breaks, only backslashes."""
    if text is None:
        return "\\N"
    return text.replace("\\", "\\\\") if "\\" in text else text


_JSON_BOOL = {True: "true", False: "false"}


def sqlite_log_json(alias: str) -> str:
    """SQLite's JSON of a value row's ``log_fields``, as ``changelog.snapshot`` writes
    them (a boolean as true/false: SQLite keeps it as 1/0)."""
    pairs = []
    for name in DataValue.log_fields:
        column = f"{alias}.{name}"
        if isinstance(DataValue._meta.get_field(name.removesuffix("_id")), BooleanField):
            column = f"json(CASE WHEN {column} THEN 'true' ELSE 'false' END)"
        pairs.append(f"'{name}', {column}")
    return f"json_object({', '.join(pairs)})"


def _number_text(number: float) -> str:
    """A finite float in its shortest exact text, as PostgreSQL writes it below 1e15
    (``float8out``: Python's ``repr`` without a trailing ``.0``); above, both stay exact
    but may differ in form (PostgreSQL switches to an exponent sooner)."""
    text = repr(number)
    return text[:-2] if text.endswith(".0") else text


def _incoming_copy_text(valid: list[_Valid], ids=None, tail: str = "") -> str:
    """Rows as COPY text in ``_INCOMING``'s column order, the period's and the place's
    columns composed once per period and org unit; with ``ids``, each row starts with its
    id and ends with ``tail`` (the value table's own columns: status, source, …)."""
    periods_text: dict[str, str] = {}
    places: dict[tuple, str] = {}
    stored_by: dict[str, str] = {}
    lines = []
    for i, v in enumerate(valid):
        period_text = periods_text.get(v.period.id)
        if period_text is None:
            pc = DataValue.period_columns(v.period)
            period_text = periods_text[v.period.id] = "\t".join(
                _copy_text(x)
                for x in (v.period.id, pc["year"], pc["half"], pc["quarter"], pc["month"])
            )
        place = places.get((v.org_unit, v.site_id))
        if place is None:
            place = places[(v.org_unit, v.site_id)] = "\t".join(
                _copy_text(x) for x in (v.org_unit, v.region_code, v.site_id)
            )
        comment = _copy_text(v.comment) if v.comment else ""
        coc = _copy_text(v.coc)
        who = stored_by.get(v.stored_by)
        if who is None:
            who = stored_by[v.stored_by] = _copy_text(v.stored_by)
        line = (
            f"{v.element_id}\t{period_text}\t{place}\t{coc}\t{v.value!r}\t{comment}\t"
            f"{who}\t{'t' if v.followup else 'f'}"
        )
        lines.append(f"{ids[i]}\t{line}\t{tail}\n" if ids else f"{line}\n")
    return "".join(lines)


def _copy_rows(cursor, target: str, valid: list[_Valid], ids=None, tail: str = "") -> None:
    """COPY rows into ``target`` (a table and its columns), as ``_incoming_copy_text``
    composes them, ``COPY_BATCH`` at a time."""
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for start in range(0, len(valid), COPY_BATCH):
            end = start + COPY_BATCH
            batch_ids = ids[start:end] if ids is not None else None
            copy.write(_incoming_copy_text(valid[start:end], batch_ids, tail))


class _Store:
    """Upserts validated rows and logs each change, set-based, one chunk at a time, in the
    caller's transaction.

    PostgreSQL first tries a chunk as new values: COPY straight into the value table with
    ids drawn beforehand, then a COPY of their change-log entries (``_copy_new``). A chunk
    holding a stored key, and every chunk on SQLite, goes into a temporary table (COPY;
    SQLite: executemany); one INSERT … ON CONFLICT DO UPDATE … WHERE the value or comment
    changed stores it, and a change-log entry is written per created or changed value,
    with the value as it was before (``before``) and after. Unchanged rows are left alone
    (ignored).

    With ``background``, ``write`` returns at once and the chunk is stored by a worker
    thread, in order, through the same database connection (so in the same transaction),
    while the caller checks the next chunks; ``after`` queues a function to run there
    once those are stored, with Django's connection lent to the thread. The caller must
    not use the connection until ``wait`` (which ``close`` calls) returns. Without it,
    statements go through Django's cursor like any other query.
    """

    def __init__(self, actor, source: str, *, background: bool, strategy: str = CREATE_AND_UPDATE):
        self.postgres = connection.vendor == "postgresql"
        self.background = background
        self.created = self.changed = 0
        self.written: set[tuple] = set()  # (data_element_id, region_code, year)
        self._thread: threading.Thread | None = None
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._abandoned = False
        self._tables = False
        self._chunks = 0
        stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        username = actor.get_username() if actor is not None else "system"
        # New values only (CREATE: a stored key is left alone), stored values only (UPDATE:
        # no new key is stored), or both.
        self.creates = strategy in (CREATE, CREATE_AND_UPDATE)
        self.updates = strategy in (UPDATE, CREATE_AND_UPDATE)
        # status, source, updated and (for a new value) created
        self._upsert_params = [str(Status.DRAFT), str(source), stamp, stamp]
        # Read here, in the caller's thread: the request id is a context variable.
        self._log_params = [
            stamp,
            actor.pk if actor is not None else None,
            username,
            getattr(actor, "office_id", None),
            current_request_id(),
        ]
        self._stamp = stamp
        if background:
            connection.ensure_connection()
            self._raw = connection.connection

    # -- the caller's side

    def write(self, valid: list[_Valid]) -> None:
        if not valid:
            return
        if not self.background:
            self._store(valid)
            return
        if self._error is not None:
            self.wait()  # raises it: no use checking further rows
        self._submit(self._store, valid)

    def after(self, function: Callable[[], None]) -> None:
        """Background only: run ``function()`` in the storing thread once the chunks
        written so far are stored, through Django's connection (same transaction)."""
        assert self.background
        self._submit(function)

    def _submit(self, function, *args) -> None:
        if self._thread is None:
            # Lend Django's connection to the thread, and the caller's context variables
            # (the request id of log entries): it works for the caller.
            self._connection = connections[DEFAULT_DB_ALIAS]
            self._connection.inc_thread_sharing()
            # The storing thread mostly waits for the database and needs the interpreter
            # only for moments (a statement, a batch of COPY data); with Python's default
            # 5 ms between switches it waited up to that long for each while this thread
            # checked rows, and the database waited with it.
            _switching.start()
            self._thread = threading.Thread(
                target=contextvars.copy_context().run,
                args=(self._work,),
                name="cegah-store",
                daemon=True,
            )
            self._thread.start()
        self._jobs.put((function, args))

    def wait(self) -> None:
        """Until every chunk written is stored (and the functions queued after them have
        run); re-raises what went wrong there."""
        self._join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def close(self) -> None:
        """Wait for the last chunk and drop the temporary tables (a later write in the same
        transaction creates them again)."""
        self.wait()
        if self._tables:
            self._tables = False
            with self._cursor() as cursor:
                cursor.execute("DROP TABLE _cegah_incoming")
                if not self.postgres:
                    cursor.execute("DROP TABLE _cegah_old")

    def abandon(self) -> None:
        """On the way out of an error or a rollback: let the running job finish (the
        connection is shared), skip the others and drop any error; the rollback undoes
        the rest."""
        if self._thread is not None:
            self._abandoned = True
            self._join()
        self._abandoned = False
        self._error = None

    def _join(self) -> None:
        """Let the storing thread finish its queue and end; take back what it was lent."""
        if self._thread is None:
            return
        self._jobs.put(None)
        self._thread.join()
        self._thread = None
        self._connection.dec_thread_sharing()
        _switching.end()

    # -- the storing side

    def _work(self) -> None:
        """The storing thread: runs the queued jobs in order until ``wait``'s None; after an
        error, skips the rest (``wait`` re-raises it)."""
        connections[DEFAULT_DB_ALIAS] = self._connection
        try:
            while (job := self._jobs.get()) is not None:
                if self._error is not None or self._abandoned:
                    continue
                function, args = job
                try:
                    with self._connection.wrap_database_errors:
                        function(*args)
                except BaseException as exc:  # handed to the caller's thread by wait()
                    self._error = exc
        finally:
            del connections[DEFAULT_DB_ALIAS]

    def _cursor(self):
        # closing(): a raw sqlite3 cursor is no context manager.
        return closing(self._raw.cursor()) if self.background else connection.cursor()

    def _sql(self, sql: str) -> str:
        # Django's SQLite cursor turns %s into ?; the raw sqlite3 cursor does not.
        return sql.replace("%s", "?") if self.background and not self.postgres else sql

    def _store(self, valid: list[_Valid]) -> None:
        with self._cursor() as cursor:
            if self.postgres:
                written = self._copy_new(cursor, valid) if self.creates else None
                if written is None:
                    written = self._upsert_postgres(cursor, valid)
            else:
                written = self._store_sqlite(cursor, valid)
        self._chunks += 1
        for element_id, region_code, year, count, count_old in written:
            self.created += count - count_old
            self.changed += count_old
            self.written.add((element_id, region_code, year))

    def _incoming_table(self, cursor) -> None:
        """The temporary table a chunk goes into before it is upserted, made for the first
        chunk and emptied for the others."""
        if not self._tables:
            types = ", ".join(f"{name} {type_}" for name, type_ in _INCOMING)
            drop = " ON COMMIT DROP" if self.postgres else ""
            cursor.execute(f"CREATE TEMP TABLE _cegah_incoming ({types}){drop}")
            self._tables = True
        elif self.postgres:
            cursor.execute("TRUNCATE _cegah_incoming")
        else:
            cursor.execute("DELETE FROM _cegah_incoming")

    def _upsert_sql(self) -> str:
        """One statement storing the incoming table: new keys inserted (unless UPDATE), a
        stored value changed where its value, comment or follow-up differ (unless CREATE);
        an unchanged one is left alone. Parameters: ``_upsert_params``."""
        dv_table = DataValue._meta.db_table
        incoming = ", ".join(name for name, _type in _INCOMING)
        distinct = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        key = ", ".join(_KEY)
        stored = (
            "true"
            if self.creates
            else f"EXISTS (SELECT 1 FROM {dv_table} dv WHERE "  # noqa: S608
            + " AND ".join(f"dv.{c} = _cegah_incoming.{c}" for c in _KEY)
            + ")"
        )
        if not self.updates:
            on_conflict = f"ON CONFLICT ({key}) DO NOTHING"
        else:
            on_conflict = (
                f"ON CONFLICT ({key}) DO UPDATE SET value = excluded.value, "
                "comment = excluded.comment, followup = excluded.followup, "
                "source = excluded.source, stored_by = excluded.stored_by, "
                "updated_at = excluded.updated_at "
                f"WHERE {dv_table}.value {distinct} excluded.value "
                f"OR {dv_table}.comment {distinct} excluded.comment "
                f"OR {dv_table}.followup {distinct} excluded.followup"
            )
        return (
            f"INSERT INTO {dv_table} ({incoming}, status, source, updated_at, created_at) "  # noqa: S608
            f"SELECT {incoming}, %s, %s, %s, %s FROM _cegah_incoming WHERE {stored} "
            f"{on_conflict}"
        )

    _LOG_COLUMNS = (
        "timestamp, user_id, username, office_id, request_id, action, object_type, "
        "object_id, object_repr, region_code, site_id, before, after"
    )

    def _copy_new(self, cursor, valid: list[_Valid]) -> list[tuple] | None:
        """PostgreSQL: the chunk straight into the value table by COPY, with ids drawn from
        its sequence first, then a log entry per value; None, with nothing stored, as soon
        as one of its keys is stored already (the caller then upserts the chunk). A first
        import of its values takes this way, as fast as a COPY into the value table can
        be; a file of stored values turns back at its first row. (Asking first whether any
        key is stored cost as much as the COPY saves over an INSERT from a scratch table.)"""
        dv_table = DataValue._meta.db_table
        incoming = ", ".join(name for name, _type in _INCOMING)
        ids = bulk.reserve_ids(DataValue, len(valid), cursor)
        tail = "\t".join(_copy_text(x) for x in self._upsert_params)
        cursor.execute("SAVEPOINT cegah_new_values")
        try:
            _copy_rows(
                cursor,
                f"{dv_table} (id, {incoming}, status, source, updated_at, created_at)",
                valid,
                ids,
                tail,
            )
        except _UNIQUE_VIOLATIONS:
            cursor.execute("ROLLBACK TO SAVEPOINT cegah_new_values")
            return None
        cursor.execute("RELEASE SAVEPOINT cegah_new_values")
        return self._copy_log(
            cursor,
            (
                (value_id, v, _number_text(v.value), None, None, v.region_code, v.site_id)
                for value_id, v in zip(ids, valid, strict=True)
            ),
        )

    def _upsert_postgres(self, cursor, valid: list[_Valid]) -> list[tuple]:
        """PostgreSQL: the chunk by COPY into the incoming table, then the upsert in one
        statement, returning the id of each value it created or changed and, for a changed
        one, what the log keeps of it as it was (read before the upsert, in the same
        snapshot); then a log entry per value."""
        self._incoming_table(cursor)
        dv_table = DataValue._meta.db_table
        incoming = ", ".join(name for name, _type in _INCOMING)
        join = " AND ".join(f"dv.{c} = i.{c}" for c in _KEY)
        _copy_rows(cursor, f"_cegah_incoming ({incoming})", valid)
        logged = ", ".join(f"'{f}', dv.{f}" for f in DataValue.log_fields)
        cursor.execute(
            f"""
            WITH old AS (
                SELECT dv.id, jsonb_build_object({logged})::text AS snapshot,
                    dv.status, dv.region_code, dv.site_id
                FROM {dv_table} dv JOIN _cegah_incoming i ON {join}
            ), up AS (
                {self._upsert_sql()}
                RETURNING {dv_table}.id, data_element_id, period, org_unit, coc, value
            )
            SELECT up.id, up.data_element_id, up.period, up.org_unit, up.coc,
                up.value::text, old.snapshot, old.status, old.region_code, old.site_id
            FROM up LEFT JOIN old ON old.id = up.id
            """,  # noqa: S608 (table and column names from the models, values as params)
            self._upsert_params,
        )
        stored = cursor.fetchall()
        if not stored:
            return []
        by_key = {(v.element_id, v.period.id, v.org_unit, v.coc): v for v in valid}
        return self._copy_log(
            cursor,
            (
                (value_id, v, number, before, status, region_code, site_id)
                if before is not None
                else (value_id, v, number, None, None, v.region_code, v.site_id)
                for (
                    value_id, element_id, period_id, org_unit, coc, number,
                    before, status, region_code, site_id,
                ) in stored
                for v in (by_key[(element_id, period_id, org_unit, coc)],)
            ),
        )  # fmt: skip

    def _copy_log(self, cursor, stored) -> list[tuple]:
        """PostgreSQL: a log entry per stored value by COPY. ``stored``: (value id, the
        row, the value as text, the JSON it had before or None if it was created, its
        status before, its region code, its site). An entry's ``after`` holds the value's
        ``log_fields`` as stored, composed here (the JSON PostgreSQL would build from the
        row: it then only reads it). Returns (data element id, region code, year, count,
        count of updates) per group, for the analytics refresh and the summary."""
        _draft, source, _updated, _created = self._upsert_params
        esc = _json_string
        # The end of every entry's JSON: the status (created: draft), then the source.
        tails = {None: f', "status": {esc(str(Status.DRAFT))}, "source": {esc(source)}}}'}
        counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        entries = []
        # What every entry of this write has in common: who, when, which request, the type.
        head = "".join(_copy_text(x) + "\t" for x in (*self._log_params, DATA_VALUE_TYPE))
        columns = (
            "timestamp, user_id, username, office_id, request_id, object_type, "
            "action, object_id, object_repr, region_code, site_id, before, after"
        )
        table = ChangeLog._meta.db_table
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            # ``number``: the value as PostgreSQL writes a float, which jsonb reads as a JSON
            # number (so the entry holds what jsonb_build_object of the row would).
            for value_id, v, number, before, status, region_code, site_id in stored:
                element_id, period_id, org_unit, coc = v.element_id, v.period.id, v.org_unit, v.coc
                # An update changes value, comment and source; the status stays as stored.
                tail = tails.get(status)
                if tail is None:
                    tail = tails[status] = f', "status": {esc(status)}, "source": {esc(source)}}}'
                after = (
                    f'{{"data_element_id": {element_id}, "period": {esc(period_id)}, '
                    f'"org_unit": {esc(org_unit)}, "coc": {esc(coc)}, "value": {number}, '
                    f'"comment": {esc(v.comment)}, "followup": {_JSON_BOOL[v.followup]}{tail}'
                )
                repr_ = _copy_text(f"{element_id}/{period_id}/{org_unit}/{coc}={number}"[:255])
                entries.append(
                    f"{head}{'create' if before is None else 'update'}\t{value_id}\t{repr_}\t"
                    f"{_copy_text(region_code)}\t{_copy_text(site_id)}\t{_copy_json(before)}\t"
                    f"{_copy_json(after)}\n"
                )
                count = counts[(element_id, region_code, v.period.year)]
                count[0] += 1
                count[1] += before is not None
                if len(entries) == COPY_BATCH:  # the database takes these while we go on
                    copy.write("".join(entries))
                    entries.clear()
            copy.write("".join(entries))
        return [(*key, n, n_old) for key, (n, n_old) in counts.items()]

    def _store_sqlite(self, cursor, valid: list[_Valid]) -> list[tuple]:
        dv_table = DataValue._meta.db_table
        log_table = ChangeLog._meta.db_table
        incoming = ", ".join(name for name, _type in _INCOMING)
        join = " AND ".join(f"dv.{c} = i.{c}" for c in _KEY)
        snapshot = sqlite_log_json("dv")
        sql = self._sql
        self._incoming_table(cursor)
        cursor.executemany(
            sql(
                f"INSERT INTO _cegah_incoming ({incoming}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(_INCOMING))})"
            ),
            list(_incoming_tuples(valid)),
        )
        # Every join starts from this chunk's rows (CROSS JOIN fixes SQLite's join order):
        # left to itself, SQLite read the whole value table in index order to save the
        # GROUP BY below a sort, 5 s a chunk at 10,000,000 values.
        rows = f"_cegah_incoming i CROSS JOIN {dv_table} dv ON {join}"
        old = f"SELECT dv.id, {snapshot} FROM {rows}"  # noqa: S608
        if self._chunks == 0:
            cursor.execute("CREATE TEMP TABLE _cegah_old (id integer PRIMARY KEY, snapshot text)")
        else:
            cursor.execute("DELETE FROM _cegah_old")
        cursor.execute(f"INSERT INTO _cegah_old (id, snapshot) {old}")
        cursor.execute(sql(self._upsert_sql()), self._upsert_params)
        # What the upsert created or changed carries this write's exact timestamp.
        cursor.execute(
            sql(
                f"""
                INSERT INTO {log_table} ({self._LOG_COLUMNS})
                SELECT %s, %s, %s, %s, %s,
                    CASE WHEN old.id IS NULL THEN 'create' ELSE 'update' END,
                    'indicators.datavalue', CAST(dv.id AS text),
                    substr(dv.data_element_id || '/' || dv.period || '/' || dv.org_unit
                           || '/' || dv.coc || '=' || dv.value, 1, 255),
                    dv.region_code, dv.site_id, old.snapshot, {snapshot}
                FROM {rows} LEFT JOIN _cegah_old old ON old.id = dv.id
                WHERE dv.updated_at = %s
                """  # noqa: S608
            ),
            [*self._log_params, self._stamp],
        )
        cursor.execute(
            sql(
                "SELECT dv.data_element_id, dv.region_code, dv.year, count(*), count(old.id) "  # noqa: S608
                f"FROM {rows} LEFT JOIN _cegah_old old ON old.id = dv.id "
                "WHERE dv.updated_at = %s "
                "GROUP BY dv.data_element_id, dv.region_code, dv.year"
            ),
            [self._stamp],
        )
        return cursor.fetchall()


# ---------------------------------------------------------------------------------------
# Bulk approval states, for system jobs (the demo; loading a legacy archive). Interactive
# transitions, with their chain of offices and checks, are ``approvals.transition``; this
# sets many data set × org unit × period states at once and can later be routed through
# the approvals module. It does what a transition does to the data: the approval row,
# the status of the data set's values there, the change log and the analytics signal.


@dataclass(frozen=True)
class ApprovalState:
    org_unit: str
    region_code: str
    period: str
    status: str
    site_id: int | None = None
    submitted_at: datetime.datetime | None = None


def _period_ids_within(period: periods.Period) -> list[str]:
    """The period and every finer period inside it (2026Q1 → 2026Q1, 202601, 202602, …)."""
    ids = [period.id]
    rank = periods.PERIOD_TYPES.index(period.type)
    for finer in periods.PERIOD_TYPES[:rank]:
        ids += [p.id for p in periods.periods_of_type(finer, period.year) if period.contains(p)]
    return ids


@transaction.atomic
def set_approval_states(actor, states: dict) -> int:
    """Put each data set's (org unit, period) in the given status: ``states`` maps a data
    set to its ApprovalStates. Returns how many approval rows changed. System use only
    (``actor`` None or a national admin)."""
    if actor is not None and not scope_for(actor).everything:
        raise PermissionDenied(_("Only a national job can set approval states in bulk."))
    changed, keys = 0, set()
    for data_set, data_set_states in states.items():
        rows = _set_states(actor, data_set, data_set_states)
        changed += len(rows)
        if rows:
            keys |= _give_values_their_status(data_set, rows)
    signals.values_changed(keys)  # once: the analytics table is refreshed in one pass
    return changed


def _set_states(actor, data_set, states: list[ApprovalState]) -> list:
    from .models import Approval

    wanted = {(s.org_unit, s.period): s for s in states}
    for state in wanted.values():
        if state.status not in Status.values:
            raise ValueError(f"unknown status {state.status!r}")
        if periods.parse(state.period).type != data_set.period_type:
            raise ValueError(f"{state.period} is not a {data_set.period_type} period")
    existing: dict[tuple[str, str], Approval] = {}
    for chunk in _chunks(sorted({o for o, _p in wanted}), 2000):
        for approval in Approval.objects.filter(
            data_set=data_set, org_unit__in=chunk, period__in={p for _o, p in wanted}
        ):
            approval.data_set = data_set  # for its str() in the log, without a query each
            existing[(approval.org_unit, approval.period)] = approval
    now = timezone.now()
    user = actor if actor is not None and actor.pk else None
    creates, updates, log = [], [], []
    for key, state in wanted.items():
        submitted_at = state.submitted_at if state.status != Status.DRAFT else None
        if submitted_at is None and state.status != Status.DRAFT:
            submitted_at = now
        approval = existing.get(key)
        if approval is None:
            creates.append(
                Approval(
                    data_set=data_set,
                    org_unit=state.org_unit,
                    region_code=state.region_code,
                    site_id=state.site_id,
                    period=state.period,
                    status=state.status,
                    submitted_at=submitted_at,
                    updated_by=user,
                )
            )
            continue
        if approval.status == state.status:
            continue
        before = changelog.snapshot(approval)
        approval.status, approval.submitted_at = state.status, submitted_at
        approval.updated_by, approval.updated_at = user, now
        updates.append(approval)
        log.append((approval, before))
    Approval.objects.bulk_create(creates, batch_size=2000)
    if updates:  # one parametrised UPDATE run many times: bulk_update's CASE is slow here
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Approval._meta.db_table} SET status = %s, submitted_at = %s, "  # noqa: S608
                "updated_by_id = %s, updated_at = %s WHERE id = %s",
                [(a.status, a.submitted_at, a.updated_by_id, now, a.pk) for a in updates],
            )
    changelog.record_many(actor, "create", [(a, None, changelog.snapshot(a)) for a in creates])
    changelog.record_many(actor, "update", [(a, b, changelog.snapshot(a)) for a, b in log])
    return [*creates, *updates]


def _give_values_their_status(data_set, changed) -> set[tuple]:
    """The data set's values at the changed approvals take their status; returns the
    analytics keys touched. Elements reported per the data set's period type: one UPDATE
    per status, joined to the approval rows. Finer elements (months of a quarterly data
    set): per approval period, since their period only lies inside the approval's."""
    from django.db.models import Exists, OuterRef

    from .models import Approval

    members = list(data_set.members.values_list("data_element_id", "data_element__period_type"))
    same = [e for e, period_type in members if period_type == data_set.period_type]
    finer = [e for e, period_type in members if period_type != data_set.period_type]
    keys = set()
    for status in sorted({a.status for a in changed}):
        if not same:
            break
        approval = Approval.objects.filter(
            data_set=data_set,
            status=status,
            org_unit=OuterRef("org_unit"),
            period=OuterRef("period"),
        )
        values = (
            DataValue.objects.filter(data_element_id__in=same)
            .filter(Exists(approval))
            .exclude(status=status)
        )
        keys |= signals.changed_keys(values)
        values.update(status=status)
    if finer:
        groups: dict[tuple[str, str], list[str]] = {}
        for approval in changed:
            groups.setdefault((approval.status, approval.period), []).append(approval.org_unit)
        for (status, period_id), org_units in groups.items():
            within = _period_ids_within(periods.parse(period_id))
            for chunk in _chunks(org_units, 2000):
                values = DataValue.objects.filter(
                    data_element_id__in=finer, period__in=within, org_unit__in=chunk
                ).exclude(status=status)
                keys |= signals.changed_keys(values)
                values.update(status=status)
    return keys
