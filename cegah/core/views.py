from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from cegah.regions.models import Office
from cegah.regions.queries import jurisdiction_regions

from .models import ChangeLog
from .pagination import paginate, query_without_page
from .scope import scope_for, scoped


@login_required
def home(request):
    rows = jurisdiction_regions(request.user)
    scope = scope_for(request.user)
    # Regencies/cities in the jurisdiction that have their own BNNK (the rest: their BNNP).
    bnnk_offices = scoped(request.user, Office.objects.filter(kind=Office.Kind.BNNK, active=True))
    return render(
        request,
        "core/home.html",
        {"rows": rows, "served_by_bnnk": bnnk_offices.count(), "scope": scope},
    )


def _day_bound(value: str, end: bool):
    day = parse_date(value or "")
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


@login_required
def changelog_list(request):
    """The change log in the user's scope, filterable by office, user and date."""
    entries = scoped(request.user, ChangeLog).select_related("user", "office")
    office = request.GET.get("office", "").strip()
    username = request.GET.get("user", "").strip()
    start = _day_bound(request.GET.get("from", ""), end=False)
    end = _day_bound(request.GET.get("to", ""), end=True)
    if office:
        entries = entries.filter(office__code=office)
    if username:
        entries = entries.filter(username__iexact=username)
    if start:
        entries = entries.filter(timestamp__gte=start)
    if end:
        entries = entries.filter(timestamp__lte=end)
    offices = Office.objects.filter(active=True).order_by("code")
    return render(
        request,
        "core/changelog_list.html",
        {
            "page": paginate(request, entries),
            "query": query_without_page(request),
            "offices": offices,
            "filters": request.GET,
        },
    )


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
