"""Writes to the indicator spine. Every path that stores data values — the entry grid,
dataValueSets imports, derived data — goes through ``write_values``: one validation,
one lock check, one change-log path."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import changelog, periods
from cegah.core.context import current_request_id
from cegah.core.models import ChangeLog
from cegah.core.scope import scope_for
from cegah.regions.models import Region
from cegah.sites.models import Site, SiteType

from . import approvals, signals, validation
from .models import Approval, DataElement, DataValue, Status

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


@dataclass(slots=True)
class _Valid:
    """A validated row, ready to store."""

    element_id: int
    period: periods.Period
    org_unit: str
    coc: str
    region_code: str
    site_id: int | None
    value: float
    comment: str
    ref: str


def write_values(
    actor,
    rows: list[ValueRow],
    *,
    source: str = DataValue.Source.ENTERED,
    dry_run: bool = False,
    atomic: bool = True,
    progress: Callable[[int, int], None] | None = None,
    check_rules: bool = True,
) -> WriteSummary:
    """Validate every row first; write nothing if any row is in conflict (``atomic``).

    Re-sending the same values changes nothing (counted as ignored). Values in locked
    periods (see ``approvals.approval_states``), for org units outside the actor's scope,
    or that break a validation rule together with the stored values (``check_rules``; the
    entry grid saves first and shows violations instead) are conflicts. Writing opens the
    draft approval rows of the data sets written to, so inboxes list them. ``progress(done,
    total)`` is called while rows are validated. Validation looks everything up in a few
    queries, and the write is set-based (see ``_store``), so a 100,000-row import costs a
    handful of statements, not one per row.
    """
    if actor is not None and not scope_for(actor).can_write:
        raise PermissionDenied(_("Your role cannot enter data."))
    summary = WriteSummary(dry_run=dry_run)
    valid = _validate(actor, rows, summary, progress, check_rules)
    if summary.conflicts and atomic:
        summary.ignored = len(rows)
        return summary
    summary.ignored += len(rows) - len(valid)
    if valid:
        with transaction.atomic():
            written = _store(actor, valid, source, summary)
            if dry_run:
                transaction.set_rollback(True)
            else:
                signals.values_changed(written)
                approvals.ensure_drafts(
                    [
                        (v.element_id, v.org_unit, v.region_code, v.site_id, v.period.id)
                        for v in valid
                    ]
                )
    if progress is not None:
        progress(len(rows), len(rows))
    return summary


def _validate(actor, rows, summary: WriteSummary, progress, check_rules: bool) -> list[_Valid]:
    """Every row checked with dict lookups; conflicts are added to ``summary``."""
    codes = {r.data_element.strip().upper() for r in rows}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
    cocs = {code: set(category_option_combos(e.disaggregation)) for code, e in elements.items()}
    org_units = OrgUnits(actor)
    org_units.preload(r.org_unit.strip() for r in rows)
    conflicts = summary.conflicts
    valid: list[_Valid] = []
    seen: dict[tuple, str] = {}
    total = len(rows)
    for index, row in enumerate(rows):
        if progress is not None and index % 5000 == 0:
            progress(index, total)
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
                    ref, _("%(code)s is derived by Cegah and cannot be entered.") % {"code": code}
                )
            )
            continue
        try:
            period = periods.parse(row.period)
        except periods.InvalidPeriod as exc:
            conflicts.append(Conflict(ref, str(exc)))
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
        location = org_units.resolve(org_unit)
        if location is None:
            conflicts.append(
                Conflict(
                    ref,
                    _("Org unit %(code)s is unknown or outside your jurisdiction.")
                    % {"code": org_unit},
                )
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
        try:
            number = parse_value(element, row.value)
        except ValueError as exc:
            conflicts.append(Conflict(ref, f"{row.value!s}: {exc}"))
            continue
        key = (element.pk, period.id, org_unit, coc)
        if key in seen:
            conflicts.append(
                Conflict(ref, _("Duplicate of %(other)s in the same file.") % {"other": seen[key]})
            )
            continue
        seen[key] = ref
        region_code, site_id = location
        valid.append(
            _Valid(
                element.pk,
                period,
                org_unit,
                coc,
                region_code,
                site_id,
                number,
                (row.comment or "").strip()[:500],
                ref,
            )
        )
    valid = _unlocked(valid, conflicts)
    if check_rules:
        valid = _within_rules(valid, {e.pk: code for code, e in elements.items()}, conflicts)
    return valid


def _unlocked(valid: list[_Valid], conflicts: list[Conflict]) -> list[_Valid]:
    """The rows no approved or accepted data set locks; a conflict for each locked one."""
    states = approvals.approval_states([(v.element_id, v.org_unit, v.period.id) for v in valid])
    if not states:
        return valid
    kept = []
    for v in valid:
        if approvals.is_locked(states.get((v.element_id, v.org_unit, v.period.id))):
            conflicts.append(
                Conflict(
                    v.ref,
                    _(
                        "%(period)s is approved for %(org_unit)s and locked; "
                        "ask for it to be reopened."
                    )
                    % {"period": v.period.id, "org_unit": v.org_unit},
                )
            )
        else:
            kept.append(v)
    return kept


def _within_rules(valid: list[_Valid], codes: dict[int, str], conflicts) -> list[_Valid]:
    """The rows that break no validation rule; a conflict naming each broken rule."""
    broken = validation.import_rule_conflicts(
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
        value.delete()
        signals.values_changed([(key[0], value.region_code, value.year)])
    summary.deleted = 1
    return summary


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
        )


def _store(actor, valid: list[_Valid], source: str, summary: WriteSummary) -> set[tuple]:
    """Upsert the validated rows and log each change, set-based, in the caller's transaction.

    The rows go into a temporary table (PostgreSQL: COPY; SQLite: executemany). Then one
    INSERT … ON CONFLICT DO UPDATE … WHERE the value or comment changed stores them, and
    one INSERT … SELECT writes a change-log entry per created or changed value, with the
    value as it was before (``before``) and after. Unchanged rows are left alone (ignored).
    Returns the (data element, region code, year) keys of what was created or changed.
    """
    dv_table = DataValue._meta.db_table
    log_table = ChangeLog._meta.db_table
    columns = [f.column for f in DataValue._meta.concrete_fields]
    incoming = ", ".join(name for name, _type in _INCOMING)
    join = " AND ".join(f"dv.{c} = i.{c}" for c in _KEY)
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    actor_fields = {
        "user_id": actor.pk if actor is not None else None,
        "username": actor.get_username() if actor is not None else "system",
        "office_id": getattr(actor, "office_id", None),
        "request_id": current_request_id(),
    }
    postgres = connection.vendor == "postgresql"
    distinct = "IS DISTINCT FROM" if postgres else "IS NOT"
    upsert = (
        f"INSERT INTO {dv_table} ({incoming}, status, source, stored_by, updated_at) "  # noqa: S608
        f"SELECT {incoming}, %s, %s, %s, %s FROM _cegah_incoming WHERE true "
        f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET value = excluded.value, "
        "comment = excluded.comment, source = excluded.source, "
        "stored_by = excluded.stored_by, updated_at = excluded.updated_at "
        f"WHERE {dv_table}.value {distinct} excluded.value "
        f"OR {dv_table}.comment {distinct} excluded.comment"
    )
    upsert_params = [Status.DRAFT, source, actor_fields["username"], stamp]
    log_columns = (
        "timestamp, user_id, username, office_id, request_id, action, object_type, "
        "object_id, object_repr, region_code, site_id, before, after"
    )
    log_params = [stamp, *actor_fields.values()]
    with connection.cursor() as cursor:
        types = ", ".join(f"{name} {type_}" for name, type_ in _INCOMING)
        if postgres:
            cursor.execute(f"CREATE TEMP TABLE _cegah_incoming ({types}) ON COMMIT DROP")
            with cursor.copy(f"COPY _cegah_incoming ({incoming}) FROM STDIN") as copy:
                for row in _incoming_tuples(valid):
                    copy.write_row(row)
            # One statement: the old rows (read before the upsert, same snapshot), the
            # upsert, and the log entries of what it created or changed.
            cursor.execute(
                f"""
                WITH old AS (
                    SELECT dv.id, to_jsonb(dv) AS snapshot
                    FROM {dv_table} dv JOIN _cegah_incoming i ON {join}
                ), up AS (
                    {upsert} RETURNING {dv_table}.*
                ), logged AS (
                    INSERT INTO {log_table} ({log_columns})
                    SELECT %s, %s, %s, %s, %s,
                        CASE WHEN old.id IS NULL THEN 'create' ELSE 'update' END,
                        'indicators.datavalue', up.id::text,
                        left(concat_ws('/', up.data_element_id, up.period, up.org_unit,
                                       up.coc) || '=' || up.value::text, 255),
                        up.region_code, up.site_id, old.snapshot, to_jsonb(up)
                    FROM up LEFT JOIN old ON old.id = up.id
                    RETURNING action
                )
                SELECT up.data_element_id, up.region_code, up.year, count(*), count(old.id)
                FROM up LEFT JOIN old ON old.id = up.id
                GROUP BY up.data_element_id, up.region_code, up.year
                """,  # noqa: S608 (table and column names from the models, values as params)
                [*upsert_params, *log_params],
            )
            written = cursor.fetchall()
        else:
            snapshot = "json_object({})".format(", ".join(f"'{c}', dv.{c}" for c in columns))
            cursor.execute(f"CREATE TEMP TABLE _cegah_incoming ({types})")
            cursor.executemany(
                f"INSERT INTO _cegah_incoming ({incoming}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(_INCOMING))})",
                list(_incoming_tuples(valid)),
            )
            cursor.execute(
                f"CREATE TEMP TABLE _cegah_old AS SELECT dv.id AS id, {snapshot} AS snapshot "  # noqa: S608
                f"FROM {dv_table} dv JOIN _cegah_incoming i ON {join}"
            )
            cursor.execute(upsert, upsert_params)
            # What the upsert created or changed carries this write's exact timestamp.
            cursor.execute(
                f"""
                INSERT INTO {log_table} ({log_columns})
                SELECT %s, %s, %s, %s, %s,
                    CASE WHEN old.id IS NULL THEN 'create' ELSE 'update' END,
                    'indicators.datavalue', CAST(dv.id AS text),
                    substr(dv.data_element_id || '/' || dv.period || '/' || dv.org_unit
                           || '/' || dv.coc || '=' || dv.value, 1, 255),
                    dv.region_code, dv.site_id, old.snapshot, {snapshot}
                FROM {dv_table} dv JOIN _cegah_incoming i ON {join}
                LEFT JOIN _cegah_old old ON old.id = dv.id
                WHERE dv.updated_at = %s
                """,  # noqa: S608
                [*log_params, stamp],
            )
            cursor.execute(
                "SELECT dv.data_element_id, dv.region_code, dv.year, count(*), count(old.id) "  # noqa: S608
                f"FROM {dv_table} dv JOIN _cegah_incoming i ON {join} "
                "LEFT JOIN _cegah_old old ON old.id = dv.id WHERE dv.updated_at = %s "
                "GROUP BY dv.data_element_id, dv.region_code, dv.year",
                [stamp],
            )
            written = cursor.fetchall()
            cursor.execute("DROP TABLE _cegah_old")
        cursor.execute("DROP TABLE _cegah_incoming")
    changed = sum(row[4] for row in written)
    created = sum(row[3] for row in written) - changed
    summary.imported += created
    summary.updated += changed
    summary.ignored += len(valid) - created - changed
    return {(element_id, region_code, year) for element_id, region_code, year, *_n in written}


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
