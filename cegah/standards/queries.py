"""Reads of standards, assessments, evidence and drug-prone areas, always through scope.

Standards are national reference data: every signed-in user reads the published
versions; drafts are the national admins' work in progress. Everything else is scoped
by the site's or the village's region (core.scope).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cegah.core.scope import Roles, get_scoped_or_404, scope_for, scoped

from .models import (
    Assessment,
    Category,
    Component,
    ComponentScore,
    DrugProneAssessment,
    Evidence,
    Standard,
)


def _sees_drafts(user) -> bool:
    return user.role == Roles.NATIONAL_ADMIN and scope_for(user).everything


def _subtree(qs: QuerySet, path: str, region: str) -> QuerySet:
    region = (region or "").strip()
    if not region:
        return qs
    return qs.filter(Q(**{path: region}) | Q(**{f"{path}__startswith": region + "."}))


# --- Standards -------------------------------------------------------------------------


def standard_list(user, *, site_type: str = "", status: str = "", code: str = "") -> list:
    """Versions the user may read, families together, newest version first."""
    if scope_for(user).nothing:
        return []
    qs = Standard.objects.all().order_by("code", "-version")
    if not _sees_drafts(user):
        qs = qs.filter(status=Standard.Status.PUBLISHED)
    if status:
        qs = qs.filter(status=status)
    if code:
        qs = qs.filter(code=code)
    rows = list(qs)
    if site_type:
        rows = [standard for standard in rows if site_type in standard.site_types]
    return rows


def standard_detail(user, pk) -> Standard:
    if scope_for(user).nothing:
        raise Http404("Not found")
    qs = Standard.objects.prefetch_related(
        Prefetch("components", queryset=Component.objects.order_by("order", "id"))
    ).select_related("based_on", "created_by", "published_by")
    if not _sees_drafts(user):
        qs = qs.filter(status=Standard.Status.PUBLISHED)
    try:
        return qs.get(pk=pk)
    except (Standard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc


def component_detail(user, standard: Standard, pk) -> Component:
    try:
        return standard.components.get(pk=pk)
    except (Component.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc


# --- Assessments -----------------------------------------------------------------------


def assessment_list(
    user,
    *,
    site: int | str | None = None,
    status: str = "",
    region: str = "",
    self_assessment: bool | None = None,
    standard_code: str = "",
) -> QuerySet:
    qs = scoped(user, Assessment).select_related(
        "site__region", "standard", "assessor", "verified_by"
    )
    if site not in (None, ""):
        qs = qs.filter(site_id=site)
    if status:
        qs = qs.filter(status=status)
    if self_assessment is not None:
        qs = qs.filter(self_assessment=self_assessment)
    if standard_code:
        qs = qs.filter(standard__code=standard_code)
    qs = _subtree(qs, "site__region__code", region)
    return qs.order_by("-assessed_on", "-id")


def assessment_detail(user, pk) -> Assessment:
    qs = Assessment.objects.select_related(
        "site__region", "standard", "assessor__office", "verified_by"
    ).prefetch_related(
        Prefetch(
            "scores",
            queryset=ComponentScore.objects.select_related("component").order_by(
                "component__order", "component_id"
            ),
        ),
        Prefetch("evidence", queryset=Evidence.objects.select_related("component", "uploaded_by")),
    )
    return get_scoped_or_404(user, qs, pk=pk)


def site_assessments(user, site) -> QuerySet:
    """The assessments of a site the user already reached through scope, newest first."""
    return assessment_list(user, site=site.pk)


def overdue_reviews(user, *, today: datetime.date | None = None, region: str = "") -> QuerySet:
    """The latest verified assessment of each site in scope whose next review is past due."""
    today = today or timezone.localdate()
    newer = Assessment.objects.filter(
        site_id=OuterRef("site_id"), status=Assessment.Status.VERIFIED
    ).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), id__gt=OuterRef("id"))
    )
    qs = (
        scoped(user, Assessment)
        .filter(status=Assessment.Status.VERIFIED, next_review_due__lt=today)
        .filter(~Exists(newer))
        .select_related("site__region", "standard", "verified_by")
    )
    qs = _subtree(qs, "site__region__code", region)
    return qs.order_by("next_review_due", "id")


def evidence_detail(user, pk) -> Evidence:
    return get_scoped_or_404(user, Evidence.objects.select_related("assessment"), pk=pk)


# --- Drug-prone areas ------------------------------------------------------------------


def drug_prone_list(
    user,
    *,
    year: int | None = None,
    category: str = "",
    region: str = "",
    recovered: bool | None = None,
) -> QuerySet:
    qs = scoped(user, DrugProneAssessment).select_related("region__parent__parent")
    if year:
        qs = qs.filter(year=year)
    if category:
        qs = qs.filter(category=category)
    if recovered is not None:
        qs = qs.filter(recovered=recovered)
    qs = _subtree(qs, "region__code", region)
    return qs.order_by("region_id", "-year")


def drug_prone_detail(user, pk) -> DrugProneAssessment:
    return get_scoped_or_404(
        user,
        DrugProneAssessment.objects.select_related("region__parent__parent", "rule", "recorded_by"),
        pk=pk,
    )


def area_history(user, region_code: str) -> QuerySet:
    """Every year of one village, oldest first (the caller reached the village in scope)."""
    return scoped(user, DrugProneAssessment).filter(region_id=region_code).order_by("year")


def drug_prone_counts(user, *, year: int | None = None, region: str = "") -> dict:
    """Villages per category (and recovered) for the list's summary cards."""
    from django.db.models import Count

    qs = scoped(user, DrugProneAssessment)
    if year:
        qs = qs.filter(year=year)
    qs = _subtree(qs, "region__code", region)
    counts = {c.value: 0 for c in Category}
    for row in qs.values("category").annotate(n=Count("id")):
        counts[row["category"]] = row["n"]
    counts["recovered"] = qs.filter(recovered=True).count()
    return counts


def drug_prone_years(user) -> list[int]:
    return list(
        scoped(user, DrugProneAssessment)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
