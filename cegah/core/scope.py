"""The one place that decides what a user may see and change.

Every domain model names where its region code lives (``scope_region_path``) and, if it
belongs to a site, where the site id lives (``scope_site_path``). ``scope_for(user)``
turns a user into a ``Scope``; ``scoped(user, queryset)`` is the only filter views,
exports, API handlers and jobs use. Jurisdiction: BNN RI = all of Indonesia, BNNP = its
province, BNNK = its regency/city, a site focal point = their site only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.http import Http404


class Roles:
    NATIONAL_ADMIN = "national_admin"
    NATIONAL_ANALYST = "national_analyst"
    MANAGER = "manager"
    OFFICER = "officer"
    FOCAL_POINT = "focal_point"
    VIEWER = "viewer"

    WRITERS = frozenset({NATIONAL_ADMIN, MANAGER, OFFICER, FOCAL_POINT})


@dataclass(frozen=True)
class Scope:
    """What one user may reach: everything, a region subtree, one site, or nothing."""

    everything: bool = False
    region_code: str | None = None
    site_id: int | None = None
    can_write: bool = False

    @property
    def nothing(self) -> bool:
        return not self.everything and self.region_code is None and self.site_id is None

    def covers_region(self, code: str | None) -> bool:
        """True when a region code lies inside this scope's jurisdiction."""
        if self.everything:
            return True
        if self.site_id is not None or self.region_code is None or not code:
            return False
        return code == self.region_code or code.startswith(self.region_code + ".")

    def region_q(self, path: str) -> Q:
        """A filter on the region-code field at ``path`` limiting rows to this scope."""
        if self.everything:
            return Q()
        if self.region_code is None:
            return Q(pk__in=[])
        code = self.region_code
        # The leading "starts with the code" is implied by the path rule after it; it is
        # there for PostgreSQL, which reads it as one index range, where the OR alone made
        # it scan a whole index (a regency's 7,000 of 250,000 sites: 60 ms → 7 ms).
        return Q(**{f"{path}__startswith": code}) & (
            Q(**{path: code}) | Q(**{f"{path}__startswith": code + "."})
        )

    def filter(self, queryset: QuerySet) -> QuerySet:
        model = queryset.model
        if self.everything:
            return queryset
        if self.site_id is not None:
            site_path = getattr(model, "scope_site_path", None)
            if site_path is None:
                return queryset.none()
            return queryset.filter(**{site_path: self.site_id})
        region_path = getattr(model, "scope_region_path", None)
        if region_path is None or self.region_code is None:
            return queryset.none()
        return queryset.filter(self.region_q(region_path))


def scope_for(user) -> Scope:
    """The scope of a user; anonymous or inactive users and users without an office get nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    role = user.role
    can_write = role in Roles.WRITERS
    if role == Roles.FOCAL_POINT:
        return Scope(site_id=user.site_id, can_write=can_write) if user.site_id else Scope()
    office = user.office
    if office is None or not office.active:
        return Scope()
    if office.region_id is None:  # BNN RI
        return Scope(everything=True, can_write=can_write)
    return Scope(region_code=office.region_id, can_write=can_write)


def scoped(user, queryset_or_model) -> QuerySet:
    """The queryset limited to what ``user`` may see. The only scope filter in the project."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, Model)
        else queryset_or_model
    )
    return scope_for(user).filter(queryset)


def get_scoped_or_404(user, queryset_or_model, **lookup):
    """One object inside the user's scope, else 404 (never 403: existence is not revealed)."""
    queryset = scoped(user, queryset_or_model)
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("Not found") from exc
