"""Derived data values: numbers Cegah computes from its own records (the site registry,
verified assessments, drug-prone-area assessments) and stores as data values, so the
analytics engine, exports and dashboards read them like any other value.

A *deriver* owns its data elements: ``replace`` makes the stored values of those elements
inside the given regencies exactly the values it computed — new ones are created, changed
ones updated, and values no longer computed (a site that moved away, a period that no
longer has sites) deleted. Values are stored per regency/city (``org_unit`` = the regency
code; a record kept at a province carries the province code), with ``source=derived`` and
status approved: they come from verified records and have no send-up chain of their own.

Derived values are not typed in, imported or approved (``services.write_values`` refuses
derived elements) and are not written to the change log one by one: the record they come
from is (the assessment, the site, the drug-prone assessment). Every change announces its
keys through ``signals.values_changed`` inside the caller's transaction, so the analytics
aggregate table follows at once.

Derivers register themselves (``register``) from their app's ``ready()``; this app never
imports them. ``rebuild`` recomputes every registered deriver everywhere (``cegah derive``).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cegah.core import periods
from cegah.regions.models import Region

from . import signals
from .models import DataElement, DataValue, Status

STORED_BY = "cegah"
REGENCY_CODE_LENGTH = 5
_CHUNK = 200  # regencies per query
_LOCK_NAMESPACE = 0x43474456  # "CGDV": advisory locks of this module

# (data element code, period id, org unit code, category option combo) → value, or
# (value, status) for a value that takes the approval status of what it comes from
Key = tuple[str, str, str, str]
Compute = Callable[[list[str]], dict[Key, float | tuple[float, str]]]


@dataclass(frozen=True)
class Deriver:
    name: str
    codes: tuple[str, ...]
    compute: Compute  # regency keys → values inside those regencies


@dataclass
class Change:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    def __iadd__(self, other: Change) -> Change:
        self.created += other.created
        self.updated += other.updated
        self.deleted += other.deleted
        return self

    @property
    def total(self) -> int:
        return self.created + self.updated + self.deleted


_DERIVERS: dict[str, Deriver] = {}


def register(name: str, codes: Iterable[str], compute: Compute) -> None:
    _DERIVERS[name] = Deriver(name, tuple(codes), compute)


def derivers() -> list[Deriver]:
    return [_DERIVERS[name] for name in sorted(_DERIVERS)]


def regency_key(region_code: str) -> str:
    """The org unit a record is counted at: its regency, or its province for a province."""
    return region_code[:REGENCY_CODE_LENGTH]


def regency_keys(region_codes: Iterable[str]) -> list[str]:
    return sorted({regency_key(code) for code in region_codes if code})


def under(field: str, keys: Iterable[str]) -> Q:
    """Rows whose region code ``field`` lies in one of the regency keys (a province key
    matches the province's own records only, not its regencies)."""
    condition = Q(pk__in=[])
    for key in keys:
        condition |= Q(**{field: key})
        if len(key) == REGENCY_CODE_LENGTH:
            condition |= Q(**{f"{field}__startswith": key + "."})
    return condition


def refresh(name: str, region_codes: Iterable[str]) -> Change:
    """Recompute one deriver's values in the regencies of ``region_codes``."""
    deriver = _DERIVERS[name]
    keys = regency_keys(region_codes)
    change = Change()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        change += replace(deriver.codes, chunk, deriver.compute(chunk))
    return change


def rebuild(progress=None) -> Change:
    """Recompute every deriver in every regency and province (after a bulk load that
    bypassed the services, or to repair)."""
    keys = list(
        Region.objects.filter(level__in=(Region.Level.PROVINCE, Region.Level.REGENCY))
        .order_by("code")
        .values_list("code", flat=True)
    )
    entered = (
        DataValue.objects.exclude(source=DataValue.Source.DERIVED)
        .filter(data_element__period_type=periods.YEARLY)
        .values_list("year", flat=True)
        .distinct()
    )
    change = refresh_regencies(entered)
    for deriver in derivers():
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            change += replace(deriver.codes, chunk, deriver.compute(chunk))
            if progress is not None:
                progress.update(len(chunk))
    return change


@transaction.atomic
def replace(
    codes: Iterable[str], keys: list[str], values: Mapping[Key, float | tuple[float, str]]
) -> Change:
    """Make the stored values of the derived elements ``codes`` inside the regency ``keys``
    exactly ``values``. Elements missing from the catalogue, or no longer derived, are left
    alone (an admin may have changed them); so are values outside ``keys``."""
    elements = {e.code: e for e in DataElement.objects.filter(code__in=list(codes), derived=True)}
    change = Change()
    if not elements or not keys:
        return change
    _lock(keys)
    wanted: dict[tuple[int, str, str, str], tuple[float, str]] = {}
    for (code, period, org_unit, coc), value in values.items():
        element = elements.get(code)
        if element is not None and regency_key(org_unit) in keys:
            number, status = value if isinstance(value, tuple) else (value, Status.APPROVED)
            wanted[(element.pk, period, org_unit, coc)] = (float(number), str(status))
    stored = {
        (element_id, period, org_unit, coc): (pk, (value, status), region_code, year)
        for pk, element_id, period, org_unit, coc, value, status, region_code, year in (
            DataValue.objects.filter(under("region_code", keys))
            .filter(data_element_id__in=[e.pk for e in elements.values()])
            .values_list(
                "pk",
                "data_element_id",
                "period",
                "org_unit",
                "coc",
                "value",
                "status",
                "region_code",
                "year",
            )
        )
    }
    changed: set[tuple[int, str, int]] = set()
    gone = [key for key in stored if key not in wanted]
    for key in gone:
        _pk, _value, region_code, year = stored[key]
        changed.add((key[0], region_code, year))
    for start in range(0, len(gone), 1000):
        DataValue.objects.filter(pk__in=[stored[k][0] for k in gone[start : start + 1000]]).delete()
    change.deleted = len(gone)

    updates, creates = [], []
    now = timezone.now()  # bulk_update does not apply auto_now
    for key, (value, status) in wanted.items():
        element_id, period_id, org_unit, coc = key
        if key in stored:
            pk, old, region_code, year = stored[key]
            if old != (value, status):
                updates.append(DataValue(pk=pk, value=value, status=status, updated_at=now))
                changed.add((element_id, region_code, year))
            continue
        period = periods.parse(period_id)
        creates.append(
            DataValue(
                data_element_id=element_id,
                period=period_id,
                **DataValue.period_columns(period),
                org_unit=org_unit,
                region_code=org_unit,
                coc=coc,
                value=value,
                status=status,
                source=DataValue.Source.DERIVED,
                stored_by=STORED_BY,
            )
        )
        changed.add((element_id, org_unit, period.year))
    DataValue.objects.bulk_update(updates, ["value", "status", "updated_at"], batch_size=500)
    DataValue.objects.bulk_create(creates, batch_size=2000)
    change.updated, change.created = len(updates), len(creates)
    signals.values_changed(changed)
    return change


def _lock(keys: list[str]) -> None:
    """Serialise two recomputations of the same regencies until commit (two verifications
    at once would otherwise both create the same new values). SQLite serialises writers
    already."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [_LOCK_NAMESPACE, zlib.crc32(key.encode()) & 0x7FFFFFFF],
            )


# ---------------------------------------------------------------------------------------
# Values derived from other values: the regencies that a share is out of, and IKOTAN's
# "responsive or better" from the IKOTAN score. Kept current by ``on_values_changed``
# (connected in the app's ``ready``), which every write of entered values reaches.

REGENCIES = "REGENCIES"
IKOTAN_SCORE, IKOTAN_TANGGAP = "IKOTAN_SCORE", "IKOTAN_TANGGAP"
# The lower bound of IKOTAN's "tanggap" band (3.065–3.535; "sangat tanggap" above):
# shared/data/README.md, as in the catalogue's definition of IKOTAN_TANGGAP.
IKOTAN_TANGGAP_FROM = 3.065


def on_values_changed(sender, keys, **kwargs) -> None:
    """Entered values changed (``signals.data_values_changed``): every regency counts in
    each year that now has yearly data (the shares out of REGENCIES are yearly), and
    IKOTAN_TANGGAP follows the IKOTAN scores (their value and their approval status).
    Changes of derived values (``replace`` announces them too) are not answered."""
    elements = {
        pk: (code, period_type)
        for pk, code, period_type in DataElement.objects.filter(
            pk__in={int(element) for element, _region, _year in keys}, derived=False
        ).values_list("pk", "code", "period_type")
    }
    years = {
        int(year)
        for element, _region, year in keys
        if elements.get(int(element), ("", ""))[1] == periods.YEARLY
    }
    if years:
        covered = set(
            DataValue.objects.filter(data_element__code=REGENCIES, year__in=years)
            .values_list("year", flat=True)
            .distinct()
        )
        if years - covered:
            stored = DataValue.objects.filter(data_element__code=REGENCIES).values_list(
                "year", flat=True
            )
            refresh_regencies({*stored, *years})
    scores = [
        region
        for element, region, _year in keys
        if elements.get(int(element), ("", ""))[0] == IKOTAN_SCORE
    ]
    if scores:
        refresh(IKOTAN_TANGGAP, scores)


def refresh_regencies(years: Iterable[int]) -> Change:
    """REGENCIES = 1 for every regency/city in each of ``years`` (and in no other year)."""
    years = sorted(set(years))
    codes = list(
        Region.objects.filter(level=Region.Level.REGENCY)
        .order_by("code")
        .values_list("code", flat=True)
    )
    change = Change()
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start : start + _CHUNK]
        values = {(REGENCIES, str(year), code, "default"): 1 for code in chunk for year in years}
        change += replace([REGENCIES], chunk, values)
    return change


def ikotan_values(keys: list[str]) -> dict:
    """IKOTAN_TANGGAP for the IKOTAN scores of the regency ``keys``: yes at 3.065 or more,
    with the score's approval status (approved-only analytics counts it once the score is
    approved)."""
    return {
        (IKOTAN_TANGGAP, period, org_unit, "default"): (
            1.0 if value >= IKOTAN_TANGGAP_FROM else 0.0,
            status,
        )
        for period, org_unit, value, status in DataValue.objects.filter(
            under("region_code", keys), data_element__code=IKOTAN_SCORE, coc="default"
        ).values_list("period", "org_unit", "value", "status")
        if org_unit[:1].isdigit()
    }


register(IKOTAN_TANGGAP, (IKOTAN_TANGGAP,), ikotan_values)
