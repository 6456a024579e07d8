"""Writes to sites: validation, scope, version check and change log in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cegah.core import changelog
from cegah.core.scope import scope_for
from cegah.core.versioning import save_versioned
from cegah.regions.models import Region

from .models import Site

EDITABLE = ("name", "site_type", "region_id", "official_id", "address", "population_served")


def _check_region(actor, region_code: str) -> Region:
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        message = _("Unknown region code %(code)s.") % {"code": region_code}
        raise ValidationError({"region": message})
    if region.level < Region.Level.REGENCY:
        raise ValidationError({"region": _("Give at least the regency/city.")})
    if not scope_for(actor).covers_region(region.code):
        raise ValidationError({"region": _("This region is outside your jurisdiction.")})
    return region


def _require_writer(actor) -> None:
    scope = scope_for(actor)
    if not scope.can_write or scope.site_id is not None:
        raise PermissionDenied(_("You cannot change sites."))


def _next_code(region: Region) -> str:
    """S<regency digits>-<serial>: one more than the highest serial used in the regency,
    so a removed site never frees its code for another."""
    stem = f"S{region.code[:5].replace('.', '')}-"
    last = (
        Site.objects.filter(code__startswith=stem).order_by("-code").values_list("code", flat=True)
        .first()
    )
    serial = int(last.removeprefix(stem)) + 1 if last else 1
    return f"{stem}{serial:05d}"


@transaction.atomic
def create_site(actor, *, name: str, site_type: str, region_code: str, **values) -> Site:
    if actor is not None:
        _require_writer(actor)
        region = _check_region(actor, region_code)
    else:
        region = Region.objects.get(code=region_code)
    site = Site(name=name, site_type=site_type, region=region, code=_next_code(region))
    for key, value in values.items():
        if key not in EDITABLE:
            raise ValidationError({key: _("This field cannot be set.")})
        setattr(site, key, value)
    site.full_clean()
    site.save()
    changelog.record(actor, "create", site, None, changelog.snapshot(site))
    return site


@transaction.atomic
def update_site(actor, site: Site, expected_version: int, **values) -> Site:
    """Change a site the actor already reached through scope; a stale version is refused."""
    _require_writer(actor)
    if not scope_for(actor).covers_region(site.region_id):
        raise PermissionDenied(_("This site is outside your jurisdiction."))
    if "region_id" in values:
        _check_region(actor, values["region_id"])
    # Forms may have mutated the caller's instance; the log's "before" is what is stored.
    site = Site.objects.select_for_update().get(pk=site.pk)
    before = changelog.snapshot(site)
    for key, value in values.items():
        if key not in EDITABLE:
            raise ValidationError({key: _("This field cannot be changed.")})
        setattr(site, key, value)
    site.full_clean()
    save_versioned(site, expected_version, list(values))
    site.refresh_from_db()
    changelog.record(actor, "update", site, before, changelog.snapshot(site))
    return site
