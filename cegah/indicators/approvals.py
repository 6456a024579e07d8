"""Approvals: one data set × org unit × period moves draft → submitted → approved → accepted.

The chain follows who serves the org unit's region (``regions.queries.ServingOffices``):

- a regency with an active BNNK: the BNNK (manager or officer) submits, the BNNP manager
  approves, BNN RI (a national admin) accepts;
- a regency without a BNNK (or an org unit known only to province level): the BNNP
  (manager or officer) submits, BNN RI approves and accepts.

A site follows the chain of its region. National analysts do not accept: their role is
read-only everywhere else in Cegah and acceptance is a change of state, so it stays with
the national admins.

A higher level can reopen a submitted, approved or accepted data set with a reason (back
to draft): the approver while it is submitted or approved, BNN RI at any time. Approved and
accepted data is locked: ``approval_states`` is what ``services.write_values`` consults.
Every transition is recorded in the change log, and the data values of the data set's
elements at that org unit and period (and the finer periods inside it) take the new status
in one UPDATE, so analytics can filter approved data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import changelog, periods
from cegah.core.scope import Roles, scoped
from cegah.regions.models import Office, Region
from cegah.regions.queries import ServingOffices
from cegah.sites.models import Site

from . import signals
from .models import LOCKED_STATUSES, Approval, DataSet, DataSetElement, DataValue, Status

SUBMIT, APPROVE, ACCEPT, REOPEN = "submit", "approve", "accept", "reopen"
ACTIONS = (SUBMIT, APPROVE, ACCEPT, REOPEN)
SUBMITTED_STATUSES = (Status.SUBMITTED, Status.APPROVED, Status.ACCEPTED)
_RANK = {Status.DRAFT: 0, Status.SUBMITTED: 1, Status.APPROVED: 2, Status.ACCEPTED: 3}


class TransitionError(ValidationError):
    """A transition the actor may not make (wrong level, wrong status, missing reason,
    failed validation). ``messages`` lists what to fix."""


# ---------------------------------------------------------------------------------------
# The chain


@dataclass(frozen=True)
class Chain:
    submitter: Office | None
    approver: Office | None
    acceptor: Office | None

    def office_for(self, action: str) -> Office | None:
        return {SUBMIT: self.submitter, APPROVE: self.approver, ACCEPT: self.acceptor}[action]


def chain_for(region_code: str, serving: ServingOffices | None = None) -> Chain:
    """Who submits, approves and accepts data of an org unit in ``region_code``."""
    serving = serving or ServingOffices()
    submitter = serving.for_code(region_code)
    if submitter is not None and submitter.kind == Office.Kind.BNNK:
        approver = serving.bnnp.get(region_code[:2], serving.national)
    else:
        approver = serving.national
    return Chain(submitter=submitter, approver=approver, acceptor=serving.national)


_ROLES = {
    SUBMIT: {Roles.MANAGER, Roles.OFFICER, Roles.NATIONAL_ADMIN},
    APPROVE: {Roles.MANAGER, Roles.NATIONAL_ADMIN},
    ACCEPT: {Roles.NATIONAL_ADMIN},
    REOPEN: {Roles.MANAGER, Roles.NATIONAL_ADMIN},
}
_FROM = {
    SUBMIT: (Status.DRAFT,),
    APPROVE: (Status.SUBMITTED,),
    ACCEPT: (Status.APPROVED,),
    REOPEN: SUBMITTED_STATUSES,
}
_TO = {
    SUBMIT: Status.SUBMITTED,
    APPROVE: Status.APPROVED,
    ACCEPT: Status.ACCEPTED,
    REOPEN: Status.DRAFT,
}


def _same_office(user, office: Office | None) -> bool:
    return office is not None and user.office_id is not None and user.office_id == office.pk


def refusal(user, approval: Approval, action: str, chain: Chain) -> str | None:
    """Why ``user`` may not make ``action`` on ``approval`` now, or None when allowed.
    The caller has already checked that the approval is in the user's scope."""
    if action not in ACTIONS:
        return _("Unknown action.")
    if approval.status not in _FROM[action]:
        return {
            SUBMIT: _("Only draft data can be submitted; this is %(status)s."),
            APPROVE: _("Only submitted data can be approved; this is %(status)s."),
            ACCEPT: _("Only approved data can be accepted; this is %(status)s."),
            REOPEN: _(
                "Only submitted, approved or accepted data can be reopened; this is %(status)s."
            ),
        }[action] % {"status": approval.get_status_display().lower()}
    if action == REOPEN:
        # A level above the submitter: the approver while it is not yet accepted, BNN RI always.
        allowed = [chain.acceptor]
        if approval.status != Status.ACCEPTED:
            allowed.append(chain.approver)
        allowed = [o for o in allowed if o is not None and o != chain.submitter]
        if user.role in _ROLES[REOPEN] and any(_same_office(user, o) for o in allowed):
            return None
        names = " / ".join(dict.fromkeys(o.name for o in allowed)) or "BNN RI"
        return _("Only %(offices)s can reopen %(status)s data of %(org_unit)s.") % {
            "offices": names,
            "status": approval.get_status_display().lower(),
            "org_unit": approval.org_unit,
        }
    office = chain.office_for(action)
    if _same_office(user, office) and user.role in _ROLES[action]:
        return None
    who = office.name if office is not None else "BNN RI"
    if action == ACCEPT:
        return _("Only a national admin of %(office)s accepts data.") % {"office": who}
    message = {
        SUBMIT: _("Data of %(org_unit)s is submitted by %(office)s (a manager or officer)."),
        APPROVE: _("Data of %(org_unit)s is approved by a manager of %(office)s."),
    }[action]
    return message % {"org_unit": approval.org_unit, "office": who}


def allowed_actions(user, approval: Approval, chain: Chain) -> list[str]:
    return [a for a in ACTIONS if refusal(user, approval, a, chain) is None]


# ---------------------------------------------------------------------------------------
# Transitions


def _period_for(data_set: DataSet, period_id: str) -> periods.Period:
    try:
        period = periods.parse(period_id)
    except periods.InvalidPeriod as exc:
        raise TransitionError(str(exc)) from exc
    if period.type != data_set.period_type:
        raise TransitionError(
            _("%(data_set)s is reported per %(type)s period, not %(period)s.")
            % {
                "data_set": data_set.code,
                "type": data_set.get_period_type_display().lower(),
                "period": period.id,
            }
        )
    return period


def get_or_draft(
    data_set: DataSet, org_unit: str, region_code: str, site_id: int | None, period_id: str
) -> Approval:
    """The approval row of a data set × org unit × period; an unsaved draft if none exists."""
    found = Approval.objects.filter(data_set=data_set, org_unit=org_unit, period=period_id).first()
    if found is not None:
        return found
    return Approval(
        data_set=data_set,
        org_unit=org_unit,
        region_code=region_code,
        site_id=site_id,
        period=period_id,
        status=Status.DRAFT,
    )


def contained_period_ids(period: periods.Period) -> list[str]:
    """The period itself and every finer period inside it (2026Q1 → 2026Q1, 202601…03)."""
    ids = [period.id]
    rank = periods.PERIOD_TYPES.index(period.type)
    for finer in periods.PERIOD_TYPES[:rank]:
        ids += [p.id for p in periods.periods_of_type(finer, period.year) if period.contains(p)]
    return ids


def _set_value_status(approval: Approval) -> int:
    """Give the data set's values at this org unit and period their approval status."""
    elements = DataSetElement.objects.filter(data_set_id=approval.data_set_id).values(
        "data_element_id"
    )
    values = DataValue.objects.filter(
        data_element_id__in=elements,
        org_unit=approval.org_unit,
        period__in=contained_period_ids(periods.parse(approval.period)),
    )
    keys = signals.changed_keys(values)
    updated = values.update(status=approval.status)
    signals.values_changed(keys)
    return updated


def transition(user, approval: Approval, action: str, reason: str = "") -> Approval:
    """Make one transition, or raise TransitionError with the reason it is refused.

    The caller has resolved ``approval`` inside the user's scope (else 404). An unsaved draft
    (from ``get_or_draft``) is created by its first submission.
    """
    reason = (reason or "").strip()
    if action == REOPEN and not reason:
        raise TransitionError(_("Give the reason for reopening."))
    with transaction.atomic():
        if approval.pk is not None:
            approval = Approval.objects.select_for_update().get(pk=approval.pk)
        problem = refusal(user, approval, action, chain_for(approval.region_code))
        if problem:
            raise TransitionError(problem)
        if action == SUBMIT:
            from .validation import check_data_set  # validation imports nothing from here

            violations = check_data_set(approval.data_set, approval.org_unit, approval.period)
            if violations:
                raise TransitionError([v.message for v in violations])
        before = changelog.snapshot(approval) if approval.pk is not None else None
        approval.status = _TO[action]
        approval.updated_by = user
        if action == SUBMIT:
            approval.submitted_at = timezone.now()
        if action == REOPEN:
            approval.reopen_reason = reason[:500]
        approval.save()
        changelog.record(
            user, "update" if before else "create", approval, before, changelog.snapshot(approval)
        )
        _set_value_status(approval)
    return approval


def submit(user, data_set: DataSet, org_unit: str, location, period_id: str) -> Approval:
    """Submit a data set for an org unit resolved in the user's scope
    (``location`` = (region_code, site_id) from ``services.OrgUnits``)."""
    period = _period_for(data_set, period_id)
    region_code, site_id = location
    approval = get_or_draft(data_set, org_unit, region_code, site_id, period.id)
    return transition(user, approval, SUBMIT)


# ---------------------------------------------------------------------------------------
# Locks and value statuses, for write_values


def approval_states(keys) -> dict[tuple[int, str, str], str]:
    """For (data_element_id, org_unit, period) keys: the strongest status of an approval of
    a data set that holds the element and whose period contains the value's period. Keys
    without any such approval are absent (draft)."""
    keys = keys if isinstance(keys, (list, set, tuple)) else list(keys)
    if not keys:
        return {}
    states = ApprovalStates({k[1] for k in keys}, {k[2][:4] for k in keys})
    found = {}
    for key in keys:
        status = states.get(*key)
        if status is not None:
            found[key] = status
    return found


class ApprovalStates:
    """``approval_states`` for writes that check many values: the approvals (other than
    draft) of some org units in some years, read with one query per 2,000 org units; then
    ``get`` answers each value's key from memory (an import checks 100,000 of them)."""

    def __init__(self, org_units, years):
        org_units = sorted(set(org_units))
        year_q = Q()
        for year in sorted(set(years)):
            year_q |= Q(period__startswith=year)
        found = []
        if org_units and year_q:
            for start in range(0, len(org_units), 2000):
                chunk = org_units[start : start + 2000]
                found += (
                    Approval.objects.filter(org_unit__in=chunk)
                    .exclude(status=Status.DRAFT)
                    .filter(year_q)
                    .values_list("org_unit", "period", "data_set_id", "status")
                )
        members = defaultdict(set)
        if found:
            for data_set_id, element_id in DataSetElement.objects.filter(
                data_set_id__in={row[2] for row in found}
            ).values_list("data_set_id", "data_element_id"):
                members[data_set_id].add(element_id)
        # Every (org unit, period) an approval covers, so each key is one dict lookup.
        self._covering: dict[tuple[str, str], list] = defaultdict(list)
        for org_unit, period_id, data_set_id, status in found:
            for inside in _covered(period_id):
                self._covering[(org_unit, inside)].append((members[data_set_id], status))

    def get(self, element_id: int, org_unit: str, period_id: str) -> str | None:
        """The strongest non-draft status over the value, or None (draft)."""
        covering = self._covering.get((org_unit, period_id)) if self._covering else None
        if not covering:
            return None
        best = None
        for elements, status in covering:
            if element_id in elements and _RANK[status] > _RANK[best or Status.DRAFT]:
                best = status
        return best


@lru_cache(maxsize=4096)
def _covered(period_id: str) -> tuple[str, ...]:
    return tuple(contained_period_ids(periods.parse(period_id)))


def is_locked(status: str | None) -> bool:
    return status in LOCKED_STATUSES


def data_sets_of(element_ids) -> dict[int, list[tuple[int, str, bool]]]:
    """Per data element: (data set id, its period type, reported by sites) of each data set
    holding it."""
    by_element = defaultdict(list)
    for data_set_id, element_id, period_type, kind in DataSetElement.objects.filter(
        data_element_id__in=element_ids
    ).values_list(
        "data_set_id", "data_element_id", "data_set__period_type", "data_set__org_unit_kind"
    ):
        by_element[element_id].append((data_set_id, period_type, kind == DataSet.OrgUnitKind.SITE))
    return by_element


def draft_approvals(groups, data_sets: dict[int, list[tuple[int, str, bool]]]) -> list[tuple]:
    """The draft approval rows for data just written, as (data set id, org unit, period,
    region code, site id), unsaved (``create_drafts`` stores them), so inboxes can list
    them; reads nothing from the database.

    ``groups``: (data_element_id, org_unit, region_code, site_id, period_id); ``data_sets``:
    ``data_sets_of`` their elements. A row is made for every data set holding the element
    whose period type is the value's or coarser, when the org unit is of the kind that
    reports it (a regency/city, or a site).
    """
    wanted = {}
    rolled: dict[tuple[str, str], str | None] = {}  # (period, data set period type) → period
    for element_id, org_unit, region_code, site_id, period_id in groups:
        for data_set_id, period_type, by_site in data_sets.get(element_id, ()):
            if by_site != (site_id is not None):
                continue
            if not by_site and org_unit.count(".") != 1:
                continue  # a regency data set is reported by regencies/cities only
            target = rolled.get((period_id, period_type), "")
            if target == "":
                try:
                    target = periods.parse(period_id).rolls_into(period_type).id
                except periods.InvalidPeriod:
                    target = None  # a data set of a finer period type than the element
                rolled[(period_id, period_type)] = target
            if target is not None:
                wanted[(data_set_id, org_unit, target)] = (region_code, site_id)
    return [
        (ds, ou, pe, region_code, site_id)
        for (ds, ou, pe), (region_code, site_id) in wanted.items()
    ]


_DRAFT_COLUMNS = (
    "data_set_id, org_unit, period, region_code, site_id, status, updated_at, reopen_reason"
)


def create_drafts(drafts: list[tuple]) -> None:
    """Store ``draft_approvals``' rows; those that exist already are left as they are. One
    statement on PostgreSQL (the rows as arrays: an import of three years of a data set
    opens some 18,000), batches on SQLite."""
    if not drafts:
        return
    table = Approval._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({_DRAFT_COLUMNS}) "  # noqa: S608
                "SELECT d, o, p, r, s, %s, %s, '' FROM unnest("
                "%s::bigint[], %s::varchar[], %s::varchar[], %s::varchar[], %s::bigint[]"
                ") AS t(d, o, p, r, s) ON CONFLICT DO NOTHING",
                [str(Status.DRAFT), now, *(list(column) for column in zip(*drafts, strict=True))],
            )
            return
        cursor.executemany(
            f"INSERT INTO {table} ({_DRAFT_COLUMNS}) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s, %s, '') ON CONFLICT DO NOTHING",
            [(*draft, str(Status.DRAFT), now) for draft in drafts],
        )


# ---------------------------------------------------------------------------------------
# Reads: the inbox and completeness


def _with_regency(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(regency=Substr("region_code", 1, 5))


def waiting_for(user, queryset: QuerySet, serving: ServingOffices) -> QuerySet:
    """The approvals in ``queryset`` (already scoped) on which ``user`` can act next."""
    office = user.office
    if office is None or not office.active or user.role not in _ROLES[SUBMIT]:
        return queryset.none()
    bnnk_regencies = list(serving.bnnk)
    queryset = _with_regency(queryset)
    bnnk_served = Q(regency__in=bnnk_regencies)
    manager = user.role in _ROLES[APPROVE]
    if office.kind == Office.Kind.BNNK:
        return queryset.filter(bnnk_served, status=Status.DRAFT)
    if office.kind == Office.Kind.BNNP:
        waiting = Q(status=Status.DRAFT) & ~bnnk_served
        if manager:
            waiting |= Q(status=Status.SUBMITTED) & bnnk_served
        return queryset.filter(waiting)
    # BNN RI: approves for regencies its BNNP serves, accepts everything approved.
    if user.role != Roles.NATIONAL_ADMIN:
        return queryset.none()
    return queryset.filter(Q(status=Status.APPROVED) | (Q(status=Status.SUBMITTED) & ~bnnk_served))


def inbox(user, *, data_set: str = "", period: str = "", status: str = "") -> QuerySet:
    """Approvals in the user's scope: by default what waits for the user; ``status`` = a
    status shows every approval in that status, ``all`` every approval."""
    queryset = scoped(user, Approval).select_related("data_set", "site", "updated_by")
    if data_set:
        queryset = queryset.filter(data_set__code=data_set)
    if period:
        queryset = queryset.filter(period=period)
    if status == "all":
        pass
    elif status in Status.values:
        queryset = queryset.filter(status=status)
    else:
        queryset = waiting_for(user, queryset, ServingOffices())
    return queryset.order_by("-period", "data_set__code", "org_unit")


def deadline(data_set: DataSet, period: periods.Period) -> datetime.datetime:
    """The last moment a submission counts as on time: the end of the day (WIB),
    ``deadline_days`` after the period ends."""
    day = period.end + datetime.timedelta(days=data_set.deadline_days)
    zone = timezone.get_default_timezone() if settings.USE_TZ else None
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=zone)


@dataclass
class CompletenessRow:
    org_unit: str
    name: str
    approval: Approval | None
    on_time: bool = False

    @property
    def submitted(self) -> bool:
        return self.approval is not None and self.approval.status in SUBMITTED_STATUSES


@dataclass
class Completeness:
    data_set: DataSet
    period: periods.Period
    deadline: datetime.datetime
    rows: list[CompletenessRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.submitted)

    @property
    def on_time(self) -> int:
        return sum(1 for r in self.rows if r.on_time)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def completeness(self) -> float | None:
        return self._share(self.submitted, self.expected)

    @property
    def timeliness(self) -> float | None:
        return self._share(self.on_time, self.expected)


def expected_org_units(user, data_set: DataSet) -> list[tuple[str, str]]:
    """(code, name) of the org units expected to report a data set, in the user's scope:
    the regencies/cities for a regency data set, the sites for a site data set."""
    if data_set.org_unit_kind == DataSet.OrgUnitKind.SITE:
        sites = scoped(user, Site)
        site_type = getattr(data_set, "site_type", "")
        if site_type:
            sites = sites.filter(site_type=site_type)
        return list(sites.order_by("code").values_list("code", "name"))
    from cegah.core.scope import scope_for

    scope = scope_for(user)
    if scope.nothing or scope.site_id is not None:
        return []
    regencies = Region.objects.filter(scope.region_q("code"), level=Region.Level.REGENCY)
    return list(regencies.order_by("code").values_list("code", "name"))


def completeness(user, data_set: DataSet, period: periods.Period) -> Completeness:
    """Share of the expected org units that submitted, and submitted by the deadline.
    Submitted = submitted, approved or accepted now; on time = its last submission was
    before the deadline (a reopened and resubmitted report counts by its resubmission)."""
    due = deadline(data_set, period)
    approvals = {
        a.org_unit: a for a in scoped(user, Approval).filter(data_set=data_set, period=period.id)
    }
    rows = []
    for code, name in expected_org_units(user, data_set):
        row = CompletenessRow(code, name, approvals.get(code))
        row.on_time = (
            row.submitted
            and row.approval.submitted_at is not None
            and (row.approval.submitted_at <= due)
        )
        rows.append(row)
    return Completeness(data_set=data_set, period=period, deadline=due, rows=rows)
