"""Reads of the exchange app, already scoped: values to export and import jobs."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from cegah.core import periods
from cegah.core.scope import Roles, scoped
from cegah.indicators.models import DataElement, DataSet, DataValue, DeletedDataValue
from cegah.indicators.services import OrgUnits

from .models import ImportJob

EXPORT_CHUNK = 5000
# What an export reads of a value, as ``ExportRow``'s fields (the element's id for its code;
# ``deleted`` is added).
EXPORT_COLUMNS = (
    "data_element_id",
    "period",
    "org_unit",
    "coc",
    "value",
    "stored_by",
    "updated_at",
    "comment",
    "followup",
    "created_at",
)
_TOMBSTONE_COLUMNS = (*EXPORT_COLUMNS[:6], "deleted_at", *EXPORT_COLUMNS[7:])
_KEY = ("data_element_id", "period", "org_unit", "coc")
_DURATION = re.compile(r"(\d{1,6})([dhms])")
_DURATION_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


class ExportRow(NamedTuple):
    """One exported value (or, ``deleted``, a tombstone: ``updated_at`` is when it was
    deleted; ``value`` None when the deleting row did not give it)."""

    code: str
    period: str
    org_unit: str
    coc: str
    value: float | None
    stored_by: str
    updated_at: datetime.datetime
    comment: str
    followup: bool
    created_at: datetime.datetime | None
    deleted: bool


@dataclass
class ExportQuery:
    """What to export: the values, and with ``include_deleted`` the tombstones of deleted
    ones whose key holds no value now; at most ``limit`` rows in all."""

    values: QuerySet
    tombstones: QuerySet | None
    codes: dict[int, str]
    limit: int | None = None


def _period_q(period: periods.Period) -> Q:
    """Values whose period lies inside ``period`` (2026 → its months, quarters, …)."""
    if period.type == periods.MONTHLY:
        return Q(period=period.id)
    if period.type == periods.QUARTERLY:
        return Q(year=period.year, quarter=(period.start.month - 1) // 3 + 1)
    if period.type == periods.SIX_MONTHLY:
        return Q(year=period.year, half=1 if period.start.month <= 6 else 2)
    return Q(year=period.year)


def _dates_q(start: datetime.date, end: datetime.date) -> Q:
    """Values whose period lies within [start, end] (DHIS2's startDate/endDate)."""
    if start > end:
        raise ValidationError(_("The start date must not be after the end date."))
    first = max(start.year, periods.MIN_YEAR)
    last = min(end.year, periods.MAX_YEAR)
    inside = [
        p.id
        for year in range(first, last + 1)
        for period_type in periods.PERIOD_TYPES
        for p in periods.periods_of_type(period_type, year)
        if start <= p.start and p.end <= end
    ]
    return Q(year__gte=first, year__lte=last, period__in=inside)


def updated_since(last_updated: str = "", duration: str = "") -> datetime.datetime | None:
    """The time ``lastUpdated`` (an ISO date or date-time; local time when it gives no
    zone) or ``lastUpdatedDuration`` (``10d``, ``2h``, ``30m``, ``45s``, or several:
    ``1d12h``) names; None for neither. ValidationError for what reads as neither."""
    if last_updated and duration:
        raise ValidationError(_("Give lastUpdated or lastUpdatedDuration, not both."))
    if duration:
        parts = _DURATION.findall(duration)
        if not parts or "".join(n + u for n, u in parts) != duration.strip():
            raise ValidationError(
                _("Duration is not valid: %(value)s (use e.g. 10d, 2h, 30m or 45s).")
                % {"value": duration}
            )
        span = datetime.timedelta()
        for amount, unit in parts:
            span += datetime.timedelta(**{_DURATION_UNITS[unit]: int(amount)})
        return timezone.now() - span
    if not last_updated:
        return None
    text = last_updated.strip()
    try:
        moment = parse_datetime(text)
        day = parse_date(text) if moment is None else None
    except ValueError:  # well formed, but no such date (2026-02-30)
        moment = day = None
    if moment is None:
        if day is None:
            raise ValidationError(
                _("lastUpdated is not a date or date-time: %(value)s.") % {"value": text}
            )
        moment = datetime.datetime.combine(day, datetime.time())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def export_values(
    user,
    *,
    data_sets: list[str] = (),
    data_elements: list[str] = (),
    period_ids: list[str] = (),
    org_units: list[str] = (),
    children: bool = False,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    last_updated: str = "",
    last_updated_duration: str = "",
    include_deleted: bool = False,
    limit: int | None = None,
) -> ExportQuery:
    """The values ``user`` may see matching the filters, as querysets of tuples
    (``EXPORT_COLUMNS``), and the data element codes by id. Unknown data sets, elements or
    periods and bad dates: ValidationError; an org unit that is unknown or outside the
    user's scope: 404."""
    elements = DataElement.objects.all()
    if data_sets:
        known = set(DataSet.objects.filter(code__in=data_sets).values_list("code", flat=True))
        unknown = sorted(set(data_sets) - known)
        if unknown:
            raise ValidationError(_("Unknown data set %(code)s.") % {"code": unknown[0]})
        elements = elements.filter(data_sets__code__in=data_sets)
    if data_elements:
        elements = elements.filter(code__in=data_elements)
        known = set(elements.values_list("code", flat=True))
        unknown = sorted(set(data_elements) - known)
        if unknown:
            raise ValidationError(_("Unknown data element %(code)s.") % {"code": unknown[0]})
    codes = dict(elements.distinct().values_list("id", "code"))
    condition = Q(data_element_id__in=list(codes))
    if period_ids and (start_date or end_date):
        raise ValidationError(_("Give periods or a start and end date, not both."))
    if period_ids:
        chosen = Q()
        for period_id in period_ids:
            try:
                chosen |= _period_q(periods.parse(period_id))
            except periods.InvalidPeriod as exc:
                raise ValidationError(str(exc)) from None
        condition &= chosen
    elif start_date or end_date:
        if not (start_date and end_date):
            raise ValidationError(_("Give both a start date and an end date."))
        condition &= _dates_q(start_date, end_date)
    if org_units:
        resolver = OrgUnits(user)
        chosen = Q()
        for code in org_units:
            location = resolver.resolve(code)
            if location is None:
                raise Http404("Not found")
            region_code, site_id = location
            if site_id is not None or not children:
                chosen |= Q(org_unit=code)
            else:
                chosen |= Q(region_code=region_code) | Q(region_code__startswith=region_code + ".")
        condition &= chosen
    if limit is not None and limit < 0:
        raise ValidationError(_("The limit cannot be less than zero."))
    since = updated_since(last_updated, last_updated_duration)
    values = scoped(user, DataValue).filter(condition)
    if since is not None:
        values = values.filter(updated_at__gte=since)
    tombstones = None
    if include_deleted:
        live = DataValue.objects.filter(**{c: OuterRef(c) for c in _KEY})
        tombstones = scoped(user, DeletedDataValue).filter(condition).filter(~Exists(live))
        if since is not None:
            tombstones = tombstones.filter(deleted_at__gte=since)
        tombstones = tombstones.order_by("id").values_list(*_TOMBSTONE_COLUMNS)
    return ExportQuery(values.order_by("id").values_list(*EXPORT_COLUMNS), tombstones, codes, limit)


def export_rows(query: ExportQuery):
    """The export's ``ExportRow``s, read from server-side cursors in chunks (flat memory):
    the values, then the tombstones; ``limit`` in all."""
    codes, left = query.codes, query.limit
    sources = [(query.values, False)]
    if query.tombstones is not None:
        sources.append((query.tombstones, True))
    for queryset, deleted in sources:
        if left is not None:
            if left <= 0:
                return
            queryset = queryset[:left]
        for element_id, *rest in queryset.iterator(chunk_size=EXPORT_CHUNK):
            yield ExportRow(codes[element_id], *rest, deleted)
            if left is not None:
                left -= 1


def import_jobs(user) -> QuerySet:
    """Import jobs ``user`` may see: their own; national admins see everyone's."""
    jobs = ImportJob.objects.select_related("user")
    if user.is_authenticated and user.role == Roles.NATIONAL_ADMIN and user.is_active:
        return jobs
    return jobs.filter(user_id=user.pk)


def import_job(user, pk: int) -> ImportJob:
    try:
        return import_jobs(user).get(pk=pk)
    except ImportJob.DoesNotExist as exc:
        raise Http404("Not found") from exc
