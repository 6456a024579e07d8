"""Reads of sites, always through the user's scope."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cegah.core.models import ChangeLog
from cegah.core.scope import Roles, get_scoped_or_404, scoped
from cegah.regions.models import Region

from .filters import SiteFilter
from .models import Site


def site_list(user, filters: SiteFilter | None = None) -> QuerySet:
    """The sites ``user`` may see, narrowed and sorted by ``filters``: the one query behind
    the list page, the API list and the export."""
    return (filters or SiteFilter()).apply(scoped(user, Site))


def with_region_names(queryset: QuerySet) -> QuerySet:
    """The sites with their region's name, read in one query for a whole page (a join
    would be made for every row a deep page skips)."""
    return queryset.prefetch_related(
        Prefetch("region", queryset=Region.objects.only("code", "name"))
    )


def site_detail(user, pk) -> Site:
    return get_scoped_or_404(user, Site.objects.select_related("region"), pk=pk)


def focal_points(site: Site):
    """The active focal-point users of a site the caller has already reached through scope."""
    return site.focal_points.filter(role=Roles.FOCAL_POINT, is_active=True).order_by("username")


def maturity_trajectory(site: Site) -> list[dict]:
    """[{date, maturity, functioning}] oldest first: one point per assessment date, from the
    change-log entries that ``set_assessment_status`` wrote (the latest entry for a date
    wins, so a corrected verification replaces the earlier figure)."""
    points: dict[str, dict] = {}
    entries = (
        ChangeLog.objects.filter(
            object_type=site._meta.label_lower, object_id=str(site.pk), action="update"
        )
        .order_by("id")
        .values_list("before", "after")
    )
    for before, after in entries:
        before, after = before or {}, after or {}
        if all(before.get(k) == after.get(k) for k in ("maturity", "last_assessed_on")):
            continue
        day, maturity = after.get("last_assessed_on"), after.get("maturity")
        if day and maturity is not None:
            points[day] = {
                "date": day,
                "maturity": float(maturity),
                "functioning": bool(after.get("functioning")),
            }
    return [points[day] for day in sorted(points)]
