"""Targets per indicator × region × year, and target against realisation (capaian).

Managers set targets for the regions of their jurisdiction (a BNNP for its province and
its regencies, a BNNK for its regency); national admins for every province and regency.
Every change is in the change log.

Realisation is the indicator's value for the region and year from the analytics engine
(``cegah.analytics.engine.analytics``), so a target page shows the same number as every
dashboard. Capaian follows the indicator's direction, as in the Indonesian government's
performance reports (PermenPAN-RB 53/2014):

- higher is better: realisation ÷ target × 100;
- lower is better: (2 × target − realisation) ÷ target × 100, never below 0.
"""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cegah.core import changelog, numbers
from cegah.core.scope import Roles, scope_for
from cegah.regions.models import Region

from .models import Indicator, Target

TARGET_ROLES = frozenset({Roles.MANAGER, Roles.NATIONAL_ADMIN})
TARGET_LEVELS = (Region.Level.PROVINCE, Region.Level.REGENCY)
MIN_YEAR, MAX_YEAR = 2000, 2100


def can_set_targets(user) -> bool:
    return user.role in TARGET_ROLES and scope_for(user).can_write


def target_regions(user):
    """The regions whose targets a user's page lists: the provinces for BNN RI, a
    province and its regencies for a BNNP, one regency for a BNNK."""
    scope = scope_for(user)
    if scope.everything:
        return Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")
    if scope.region_code is None or scope.site_id is not None:
        return Region.objects.none()
    return Region.objects.filter(scope.region_q("code"), level__in=TARGET_LEVELS).order_by("code")


def _parse(value) -> float | None:
    """A number, or text as a person types it in the active language (``numbers.read``:
    ``1.250,5`` in Indonesian, ``1,250.5`` in English; text that reads two ways is
    refused, saying how); None for empty text."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            number = float(numbers.read(text))
        except numbers.NumberError as exc:
            raise ValidationError({"value": str(exc)}) from None
    if not math.isfinite(number):
        raise ValidationError({"value": _("Expected a number.")})
    return number


def set_target(actor, indicator: Indicator, region_code: str, year: int, value) -> Target | None:
    """Create, change or (with an empty value) remove a target. ``value``: a number, or
    text as typed in the active language. PermissionDenied outside the actor's role or
    jurisdiction; ValidationError for a bad region, year or value."""
    scope = scope_for(actor)
    if actor.role not in TARGET_ROLES or not scope.can_write:
        raise PermissionDenied(_("Only managers and national admins set targets."))
    if not scope.covers_region(region_code):
        raise PermissionDenied(_("This region is outside your jurisdiction."))
    region = Region.objects.filter(code=region_code, level__in=TARGET_LEVELS).first()
    if region is None:
        raise ValidationError({"region": _("Targets are set for provinces and regencies/cities.")})
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {
                "year": _("The year must be between %(min)s and %(max)s.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            }
        )
    number = _parse(value)
    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .filter(indicator=indicator, region=region, year=year)
            .first()
        )
        if number is None:
            if target is not None:
                before = changelog.snapshot(target)
                changelog.record(actor, "delete", target, before, None)
                target.delete()
            return None
        if target is None:
            target = Target.objects.create(
                indicator=indicator, region=region, year=year, value=number
            )
            changelog.record(actor, "create", target, None, changelog.snapshot(target))
            return target
        if target.value == number:
            return target
        before = changelog.snapshot(target)
        target.value = number
        target.save(update_fields=["value"])
        changelog.record(actor, "update", target, before, changelog.snapshot(target))
        return target


def realisations(
    user, indicator: Indicator, region_codes, year: int, approved_only: bool = False
) -> dict[str, float]:
    """The indicator's value per region for one year, from the analytics engine, in one
    call. Regions without data are absent."""
    from cegah.analytics.engine import analytics  # analytics depends on indicators, not back

    codes = list(dict.fromkeys(region_codes))
    if not codes:
        return {}
    rows = analytics(user, [indicator.code], [str(year)], codes, approved_only)
    return {row.ou: row.value for row in rows if row.dx == indicator.code}


def realisation(
    user, indicator: Indicator, region_code: str, year: int, approved_only: bool = False
) -> float | None:
    return realisations(user, indicator, [region_code], year, approved_only).get(region_code)


def achievement(indicator: Indicator, target: float | None, actual: float | None) -> float | None:
    """Capaian in percent (see the module docstring); None without a target or data, or
    when the target is 0."""
    if target is None or actual is None or target == 0:
        return None
    if indicator.direction == Indicator.Direction.LOWER:
        return max(0.0, (2 * target - actual) / target * 100)
    return actual / target * 100
