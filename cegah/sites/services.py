"""Writes to sites: validation, scope, version check and change log in one transaction.

One set of checks (``SiteChecks``) serves the form, the API, the import and the demo: a
single create and a bulk create of 250,000 sites are validated the same way, the bulk path
only batches the queries. The prevention-system status (maturity, functioning, review
dates) is written by ``set_assessment_status`` alone, which the standards app calls.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from cegah.core import bulk, changelog
from cegah.core.scope import Scope, scope_for
from cegah.core.versioning import save_versioned
from cegah.regions.models import Region

from . import signals
from .models import (
    LATITUDE_MESSAGE,
    LATITUDE_RANGE,
    LONGITUDE_MESSAGE,
    LONGITUDE_RANGE,
    VILLAGE_CODE,
    Site,
    SiteType,
    normalise_official_id,
)

EDITABLE = (
    "name",
    "site_type",
    "region_id",
    "official_id",
    "address",
    "latitude",
    "longitude",
    "population_served",
    "population_kind",
)
STATUS_FIELDS = ("maturity", "functioning", "last_assessed_on", "next_review_due")
_TEXT_FIELDS = ("name", "site_type", "region_id", "official_id", "address", "population_kind")
_COORDINATE_PLACES = Decimal("0.000001")
_MATURITY_PLACES = Decimal("0.01")
_FUNCTIONING_FROM = Decimal(3)
_CHUNK = 900  # SQLite's bound-parameter limit is comfortably above this
# Not checked field by field: set by the system (code, bookkeeping), checked against the
# regions (region) or written only by set_assessment_status (status).
_NOT_CHECKED = ["id", "code", "region", "version", "created_at", "updated_at", *STATUS_FIELDS]


def _require_writer(actor) -> None:
    scope = scope_for(actor)
    if not scope.can_write or scope.site_id is not None:
        raise PermissionDenied(_("You cannot change sites."))


def _coordinate(value, low: Decimal, high: Decimal, message) -> Decimal | None:
    """Decimal degrees rounded to 6 places (about 10 cm); a decimal comma is accepted."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = repr(value) if isinstance(value, float) else str(value).strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("Enter a number in decimal degrees, e.g. -7.265 or 112.752.")
        ) from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(message)
    return number.quantize(_COORDINATE_PLACES, rounding=ROUND_HALF_UP)


def _assign(site: Site, values: dict) -> None:
    """Put plain ``values`` on ``site``, normalised; a field that cannot be set, or a value
    that is not even the right kind, is a ValidationError naming the field."""
    errors: dict[str, list] = {}
    for key, value in values.items():
        if key not in EDITABLE:
            errors[key] = [_("This field cannot be set.")]
            continue
        try:
            if key in _TEXT_FIELDS:
                value = "" if value is None else str(value).strip()
            elif key == "latitude":
                value = _coordinate(value, *LATITUDE_RANGE, LATITUDE_MESSAGE)
            elif key == "longitude":
                value = _coordinate(value, *LONGITUDE_RANGE, LONGITUDE_MESSAGE)
            elif key == "population_served" and value in ("", None):
                value = None
        except ValidationError as exc:
            errors[key] = exc.messages
            continue
        setattr(site, key, value)
    site.official_id = normalise_official_id(site.site_type, site.official_id)
    if errors:
        raise ValidationError(errors)


def _merge(errors: dict[str, list], exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def _chunks(items: Sequence, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SiteChecks:
    """Every rule a site must meet before it is written, checked against the database with
    a few queries for any number of sites: region and village codes are loaded once, the
    official identifiers already taken once. Also catches two sites of the same batch with
    one identifier."""

    def __init__(self, actor, sites: Iterable[Site]):
        sites = list(sites)
        self.scope = None if actor is None else scope_for(actor)
        codes = {s.region_id for s in sites if s.region_id}
        codes |= {
            s.official_id
            for s in sites
            if s.site_type == SiteType.VILLAGE and VILLAGE_CODE.fullmatch(s.official_id or "")
        }
        self.levels: dict[str, int] = {}
        for chunk in _chunks(sorted(codes)):
            self.levels.update(Region.objects.filter(code__in=chunk).values_list("code", "level"))
        keys = {(s.site_type, s.official_id) for s in sites if s.official_id}
        self.taken: dict[tuple[str, str], int] = {}
        rows = Site.objects.exclude(official_id="").values_list("site_type", "official_id", "pk")
        if len(keys) > 20 * _CHUNK:  # a large batch: one pass over the table beats many INs
            self.taken = {(t, o): pk for t, o, pk in rows.iterator(chunk_size=10_000)}
        else:
            for chunk in _chunks(sorted({o for _t, o in keys})):
                self.taken.update({(t, o): pk for t, o, pk in rows.filter(official_id__in=chunk)})
        self._batch: dict[tuple[str, str], int] = {}

    def errors(self, site: Site) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        try:
            site.clean_fields(exclude=_NOT_CHECKED)
        except ValidationError as exc:
            _merge(errors, exc)
        try:
            site.clean()
        except ValidationError as exc:
            _merge(errors, exc)
        self._check_region(site, errors)
        self._check_village_code(site, errors)
        self._check_unique(site, errors)
        return errors

    def _check_region(self, site: Site, errors) -> None:
        code = site.region_id or ""
        level = self.levels.get(code)
        if not code:
            errors.setdefault("region", []).append(_("Give the region code."))
        elif level is None:
            errors.setdefault("region", []).append(
                _("Unknown region code %(code)s.") % {"code": code}
            )
        elif level < Region.Level.REGENCY:
            errors.setdefault("region", []).append(_("Give at least the regency/city."))
        elif self.scope is not None and not self.scope.covers_region(code):
            errors.setdefault("region", []).append(_("This region is outside your jurisdiction."))

    def _check_village_code(self, site: Site, errors) -> None:
        code = site.official_id
        if site.site_type != SiteType.VILLAGE or not code or "official_id" in errors:
            return
        if self.levels.get(code) != Region.Level.VILLAGE:
            errors["official_id"] = [_("No village has the code %(code)s.") % {"code": code}]
        elif site.region_id and not Scope(region_code=site.region_id).covers_region(code):
            errors["official_id"] = [
                _("The village %(code)s does not lie in the site's region %(region)s.")
                % {"code": code, "region": site.region_id}
            ]

    def _check_unique(self, site: Site, errors) -> None:
        if not site.official_id or "official_id" in errors:
            return
        key = (site.site_type, site.official_id)
        owner = self.taken.get(key)
        in_batch = self._batch.setdefault(key, id(site))
        if (owner is not None and owner != site.pk) or in_batch != id(site):
            errors["official_id"] = [
                _("Another site of this type already has the official identifier %(id)s.")
                % {"id": site.official_id}
            ]


def _stem(region_code: str) -> str:
    return f"S{region_code[:5].replace('.', '')}-"


def _next_serials(stems: set[str]) -> dict[str, int]:
    """The next free serial of each code stem: one more than the highest used, so a removed
    site never frees its code for another."""
    found = {stem: 1 for stem in stems}
    for chunk in _chunks(sorted(stems)):
        rows = (
            Site.objects.annotate(stem=Substr("code", 1, 6))
            .filter(stem__in=chunk)
            .values("stem")
            .annotate(last=Max("code"))
        )
        for row in rows:
            found[row["stem"]] = int(row["last"].removeprefix(row["stem"])) + 1
    return found


def _assign_codes(sites: Sequence[Site]) -> None:
    """S<regency digits>-<serial>, numbered per regency in the order given."""
    serials = _next_serials({_stem(s.region_id) for s in sites})
    for site in sites:
        stem = _stem(site.region_id)
        site.code = f"{stem}{serials[stem]:05d}"
        serials[stem] += 1


def _invalid(errors: dict[str, list[str]]) -> ValidationError:
    return ValidationError({field: messages for field, messages in errors.items()})


@transaction.atomic
def create_site(actor, *, name: str, site_type: str, region_code: str, **values) -> Site:
    """Register one site. ``actor`` None is the system (demo, fixtures): no scope check."""
    if actor is not None:
        _require_writer(actor)
    site = Site()
    _checked(
        actor, site, {"name": name, "site_type": site_type, "region_id": region_code, **values}
    )
    _assign_codes([site])
    site.save()
    changelog.record(actor, "create", site, None, changelog.snapshot(site))
    signals.announce([site.region_id])
    return site


@dataclass
class RowError:
    """One invalid row of a bulk write: its index in the rows given, and why."""

    index: int
    error: ValidationError


class BulkValidationError(Exception):
    """Some rows of a bulk write are invalid; nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} invalid rows")
        self.errors = errors


def _copy(site: Site) -> Site:
    return Site(**{f.attname: getattr(site, f.attname) for f in Site._meta.concrete_fields})


def prepare_sites(
    actor, rows: Sequence[dict], existing: Sequence[Site | None] | None = None
) -> tuple[list[Site], list[RowError]]:
    """Sites as ``rows`` would make them (each row: name, site_type, region_code and any
    EDITABLE field), checked like ``create_site`` checks one, and the errors of the invalid
    rows. A row whose ``existing`` entry is a site describes a change to that site: the
    result is an unsaved copy of it with the row's values (the batch's checks then see the
    whole batch, new and changed sites together)."""
    sites: list[Site] = []
    unassigned: dict[int, dict[str, list[str]]] = {}
    for index, values in enumerate(rows):
        values = dict(values)
        if "region_code" in values:
            values["region_id"] = values.pop("region_code")
        current = existing[index] if existing is not None else None
        site = _copy(current) if current is not None else Site()
        try:
            _assign(site, values)
        except ValidationError as exc:
            unassigned[index] = exc.message_dict
        sites.append(site)
    checks = SiteChecks(actor, sites)
    errors: list[RowError] = []
    for index, site in enumerate(sites):
        problems = _combined(unassigned.get(index, {}), checks.errors(site))
        if problems:
            errors.append(RowError(index, _invalid(problems)))
    return sites, errors


def _combined(unassigned: dict[str, list[str]], checked: dict[str, list[str]]) -> dict:
    """A value that could not even be put on the site is the error for its field; what the
    checks then say about that field (still empty or old) would only confuse."""
    return {**{k: v for k, v in checked.items() if k not in unassigned}, **unassigned}


def _checked(actor, site: Site, values: dict) -> None:
    """Put ``values`` on ``site`` and check it; every problem found, by field, is raised."""
    try:
        _assign(site, values)
        unassigned = {}
    except ValidationError as exc:
        unassigned = exc.message_dict
    problems = _combined(unassigned, SiteChecks(actor, [site]).errors(site))
    if problems:
        raise _invalid(problems)


def bulk_create_sites(
    actor, rows: Sequence[dict], *, batch_size: int = 2000, progress=None
) -> list[Site]:
    """Register many sites at once (import, demo): every row is checked first and nothing
    is written unless all are valid (BulkValidationError lists the invalid ones). One
    INSERT per ``batch_size`` sites and one change-log entry per site, also in bulk."""
    if actor is not None:
        _require_writer(actor)
    sites, errors = prepare_sites(actor, rows)
    if errors:
        raise BulkValidationError(errors)
    return _insert(actor, sites, batch_size=batch_size, progress=progress)


@transaction.atomic
def _insert(actor, sites: list[Site], *, batch_size: int, progress=None) -> list[Site]:
    """Write checked sites: INSERTs of ``batch_size``, or on PostgreSQL, for a thousand sites
    or more, COPY with their ids reserved first."""
    _assign_codes(sites)
    copy = bulk.copy_supported() and len(sites) >= bulk.COPY_FROM
    for chunk in _chunks(sites, batch_size):
        if copy:
            for site, pk in zip(chunk, bulk.reserve_ids(Site, len(chunk)), strict=True):
                site.pk = pk
            bulk.copy_objects(Site, chunk)
        else:
            Site.objects.bulk_create(chunk)
        changelog.record_many(
            actor, "create", [(s, None, changelog.snapshot(s)) for s in chunk], batch_size
        )
        if progress is not None:
            progress.update(len(chunk))
    signals.announce({site.region_id for site in sites})
    return sites


def insert_prepared(actor, sites: list[Site], *, batch_size: int = 2000) -> list[Site]:
    """Write sites that ``prepare_sites`` returned without errors, inside the caller's
    transaction (the import checks and writes creates and updates as one)."""
    if actor is not None:
        _require_writer(actor)
    return _insert(actor, sites, batch_size=batch_size)


@transaction.atomic
def update_site(actor, site: Site, expected_version: int, **values) -> Site:
    """Change a site the actor already reached through scope; a stale version is refused."""
    _require_writer(actor)
    if not scope_for(actor).covers_region(site.region_id):
        raise PermissionDenied(_("This site is outside your jurisdiction."))
    # Forms may have mutated the caller's instance; the log's "before" is what is stored.
    site = Site.objects.select_for_update().get(pk=site.pk)
    before = changelog.snapshot(site)
    counted_as = (site.region_id, site.site_type)
    _checked(actor, site, values)
    save_versioned(site, expected_version, list(values))
    site.refresh_from_db()
    changelog.record(actor, "update", site, before, changelog.snapshot(site))
    if counted_as != (site.region_id, site.site_type):
        signals.announce([counted_as[0], site.region_id])
    return site


def changed_fields(site: Site, values: dict) -> list[str]:
    """The fields ``values`` would change on ``site`` once normalised (an import row that
    changes nothing is not written, so re-importing a file changes nothing)."""
    values = dict(values)
    if "region_code" in values:
        values["region_id"] = values.pop("region_code")
    probe = _copy(site)
    _assign(probe, values)
    return [key for key in values if getattr(probe, key) != getattr(site, key)]


def _maturity(value) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value)).quantize(_MATURITY_PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValidationError({"maturity": _("Maturity must be a number from 0 to 4.")}) from None
    if not Decimal(0) <= number <= Decimal(4):
        raise ValidationError({"maturity": _("Maturity must be a number from 0 to 4.")})
    return number


@transaction.atomic
def set_assessment_status(
    site: Site,
    maturity,
    functioning: bool,
    assessed_on: datetime.date | None,
    next_review_due: datetime.date | None,
    *,
    actor=None,
) -> Site:
    """Record a site's prevention-system status from its latest verified assessment (the
    standards app calls this; nothing else writes these fields). ``maturity`` None means
    never assessed. Functioning needs a maturity of 3 or more. Logged as an update of the
    site when something changed; the site's version is not bumped, because these fields
    are not edited by users and an open edit form must not conflict with a verification."""
    maturity = _maturity(maturity)
    if functioning and (maturity is None or maturity < _FUNCTIONING_FROM):
        raise ValidationError(
            {"functioning": _("Only a site with a maturity of 3 or more is functioning.")}
        )
    if maturity is None and assessed_on is not None:
        raise ValidationError({"maturity": _("An assessed site has a maturity.")})
    for name, value in (("assessed_on", assessed_on), ("next_review_due", next_review_due)):
        if value is not None and (
            not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)
        ):
            raise ValidationError({name: _("Give a date.")})
    stored = Site.objects.select_for_update().get(pk=site.pk)
    status = {
        "maturity": maturity,
        "functioning": bool(functioning),
        "last_assessed_on": assessed_on,
        "next_review_due": next_review_due,
    }
    if all(getattr(stored, key) == value for key, value in status.items()):
        return stored
    before = changelog.snapshot(stored)
    Site.objects.filter(pk=stored.pk).update(**status)
    for key, value in status.items():
        setattr(stored, key, value)
    changelog.record(actor, "update", stored, before, changelog.snapshot(stored))
    return stored
