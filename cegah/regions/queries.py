"""Reads of regions and offices. Both are reference data: readable by every signed-in user."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Office, Region


def regions(level: int | None = None, parent: str | None = None, q: str = "") -> QuerySet:
    qs = Region.objects.all()
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs.order_by("code")


def active_offices() -> QuerySet:
    return Office.objects.filter(active=True).select_related("region")


def serving_office_index() -> tuple[dict[str, Office], dict[str, Office], Office | None]:
    """(active BNNK by regency code, BNNP by province code, BNN RI), in two queries."""
    bnnk: dict[str, Office] = {}
    bnnp: dict[str, Office] = {}
    national = None
    for office in active_offices():
        if office.kind == Office.Kind.BNNK:
            bnnk[office.region_id] = office
        elif office.kind == Office.Kind.BNNP:
            bnnp[office.region_id] = office
        else:
            national = office
    return bnnk, bnnp, national


class ServingOffices:
    """Answers 'which office serves this region?' for many regions from one index."""

    def __init__(self):
        self.bnnk, self.bnnp, self.national = serving_office_index()

    def for_code(self, code: str) -> Office | None:
        if "." in code:
            office = self.bnnk.get(code[:5])
            if office is not None:
                return office
        return self.bnnp.get(code[:2], self.national)


def serving_office(code: str) -> Office | None:
    return ServingOffices().for_code(code)


def jurisdiction_label(user) -> str:
    office = getattr(user, "office", None)
    if user.site_id:
        return str(user.site)
    if office is None:
        return ""
    if office.region is None:
        return "Indonesia"
    return office.region.name


def jurisdiction_regions(user):
    """The regions a user's home page lists: provinces, a province's regencies, or a regency's
    districts, each with its serving office."""
    from cegah.core.scope import scope_for

    scope = scope_for(user)
    if scope.everything:
        rows = Region.objects.filter(level=1)
    elif scope.region_code:
        rows = Region.objects.filter(parent_id=scope.region_code)
    else:
        rows = Region.objects.none()
    serving = ServingOffices()
    return [(region, serving.for_code(region.code)) for region in rows.order_by("code")]
