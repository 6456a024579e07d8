"""Reads of the exchange app, already scoped: values to export and import jobs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cegah.core import periods
from cegah.core.scope import Roles, scoped
from cegah.indicators.models import DataElement, DataSet, DataValue
from cegah.indicators.services import OrgUnits

from .models import ImportJob

EXPORT_CHUNK = 5000
EXPORT_COLUMNS = (
    "data_element_id",
    "period",
    "org_unit",
    "coc",
    "value",
    "stored_by",
    "updated_at",
    "comment",
)


def _period_q(period: periods.Period) -> Q:
    """Values whose period lies inside ``period`` (2026 → its months, quarters, …)."""
    if period.type == periods.MONTHLY:
        return Q(period=period.id)
    if period.type == periods.QUARTERLY:
        return Q(year=period.year, quarter=(period.start.month - 1) // 3 + 1)
    if period.type == periods.SIX_MONTHLY:
        return Q(year=period.year, half=1 if period.start.month <= 6 else 2)
    return Q(year=period.year)


def export_values(
    user,
    *,
    data_sets: list[str] = (),
    data_elements: list[str] = (),
    period_ids: list[str] = (),
    org_units: list[str] = (),
    children: bool = False,
) -> tuple[QuerySet, dict[int, str]]:
    """The values ``user`` may see matching the filters, as a queryset of tuples, and the
    data element codes by id. Unknown data sets, elements or periods: ValidationError; an
    org unit that is unknown or outside the user's scope: 404."""
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
    values = scoped(user, DataValue).filter(data_element_id__in=list(codes))
    if period_ids:
        condition = Q()
        for period_id in period_ids:
            try:
                condition |= _period_q(periods.parse(period_id))
            except periods.InvalidPeriod as exc:
                raise ValidationError(str(exc)) from None
        values = values.filter(condition)
    if org_units:
        resolver = OrgUnits(user)
        condition = Q()
        for code in org_units:
            location = resolver.resolve(code)
            if location is None:
                raise Http404("Not found")
            region_code, site_id = location
            if site_id is not None or not children:
                condition |= Q(org_unit=code)
            else:
                condition |= Q(region_code=region_code) | Q(
                    region_code__startswith=region_code + "."
                )
        values = values.filter(condition)
    return values.order_by("id").values_list(*EXPORT_COLUMNS), codes


def export_rows(queryset: QuerySet, codes: dict[int, str]):
    """The export's tuples, read from a server-side cursor in chunks (flat memory)."""
    for element_id, *rest in queryset.iterator(chunk_size=EXPORT_CHUNK):
        yield (codes[element_id], *rest)


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
