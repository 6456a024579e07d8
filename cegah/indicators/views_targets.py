"""Targets: a scoped page per indicator and year (target, realisation, capaian per region)
and one target with its history."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cegah.core.changelog import history_for
from cegah.core.scope import get_scoped_or_404, scope_for, scoped

from . import targets
from .entry import today
from .models import Indicator, Target


def _year(value: str, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if targets.MIN_YEAR <= year <= targets.MAX_YEAR else default


def _save(request, indicator, region_code: str, year: int) -> None:
    try:
        saved = targets.set_target(
            request.user, indicator, region_code, year, request.POST.get("value", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return
    if saved is None:
        messages.success(request, _("Target removed."))
    else:
        messages.success(request, _("Target saved."))


@login_required
def target_list(request):
    params = request.POST if request.method == "POST" else request.GET
    indicators = Indicator.objects.order_by("code")
    code = params.get("indicator", "").strip()
    indicator = (indicators.filter(code=code).first() if code else None) or indicators.first()
    year = _year(params.get("year", ""), today().year)
    can_edit = targets.can_set_targets(request.user)
    if request.method == "POST":
        if indicator is None:
            raise Http404("Not found")
        region_code = request.POST.get("region", "").strip()
        if not scope_for(request.user).covers_region(region_code):
            raise Http404("Not found")
        if not can_edit:
            raise PermissionDenied
        _save(request, indicator, region_code, year)
        query = urlencode({"indicator": indicator.code, "year": year})
        return redirect(f"{reverse('target-list')}?{query}")
    rows = []
    if indicator is not None:
        regions = list(targets.target_regions(request.user))
        stored = {
            t.region_id: t
            for t in scoped(request.user, Target).filter(
                indicator=indicator, year=year, region__in=[r.code for r in regions]
            )
        }
        actual = targets.realisations(request.user, indicator, [r.code for r in regions], year)
        for region in regions:
            target = stored.get(region.code)
            value = target.value if target else None
            rows.append(
                (
                    region,
                    target,
                    actual.get(region.code),
                    targets.achievement(indicator, value, actual.get(region.code)),
                )
            )
    this_year = today().year
    return render(
        request,
        "indicators/target_list.html",
        {
            "indicators": indicators,
            "indicator": indicator,
            "year": year,
            "years": list(range(this_year + 1, this_year - 4, -1)),
            "rows": rows,
            "can_edit": can_edit,
        },
    )


@login_required
def target_detail(request, pk):
    target = get_scoped_or_404(
        request.user, Target.objects.select_related("indicator", "region"), pk=pk
    )
    if request.method == "POST":
        if not targets.can_set_targets(request.user):
            raise PermissionDenied
        _save(request, target.indicator, target.region_id, target.year)
        if Target.objects.filter(pk=target.pk).exists():
            return redirect("target-detail", pk=target.pk)
        query = urlencode({"indicator": target.indicator.code, "year": target.year})
        return redirect(f"{reverse('target-list')}?{query}")
    actual = targets.realisation(request.user, target.indicator, target.region_id, target.year)
    return render(
        request,
        "indicators/target_detail.html",
        {
            "target": target,
            "actual": actual,
            "achievement": targets.achievement(target.indicator, target.value, actual),
            "can_edit": targets.can_set_targets(request.user),
            "history": history_for(target)[:50],
        },
    )
