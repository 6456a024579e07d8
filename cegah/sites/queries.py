"""Reads of sites, always through the user's scope."""

from django.db.models import Q, QuerySet

from cegah.core.scope import get_scoped_or_404, scoped

from .models import Site


def site_list(user, *, q: str = "", site_type: str = "", region: str = "") -> QuerySet:
    qs = scoped(user, Site).select_related("region")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(official_id__iexact=q) | Q(code__iexact=q))
    if site_type:
        qs = qs.filter(site_type=site_type)
    if region:
        qs = qs.filter(Q(region__code=region) | Q(region__code__startswith=region + "."))
    return qs.order_by("name", "id")


def site_detail(user, pk) -> Site:
    return get_scoped_or_404(user, Site.objects.select_related("region"), pk=pk)
