from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cegah.core.changelog import history_for
from cegah.core.pagination import paginate, query_without_page
from cegah.core.scope import Roles
from cegah.core.versioning import ConflictError

from . import queries, services
from .forms import BnnkForm, OfficeForm
from .models import Office, Region


def _require_admin(user):
    if user.role != Roles.NATIONAL_ADMIN:
        raise PermissionDenied


def _region_rows(regions):
    serving = queries.ServingOffices()
    return [(region, serving.for_code(region.code)) for region in regions]


@login_required
def region_browser(request):
    """Provinces, or search results across all levels by name or code."""
    q = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    level = int(level) if level in {"1", "2", "3", "4"} else None
    regions = queries.regions(level=level if q or level else 1, q=q)
    page = paginate(request, regions)
    return render(
        request,
        "regions/region_browser.html",
        {
            "page": page,
            "rows": _region_rows(page.object_list),
            "q": q,
            "level": level,
            "query": query_without_page(request),
            "levels": Region.Level.choices,
        },
    )


@login_required
def region_detail(request, code):
    region = get_object_or_404(Region.objects.select_related("parent"), code=code)
    q = request.GET.get("q", "").strip()
    children = queries.regions(parent=region.code, q=q)
    page = paginate(request, children)
    ancestors = Region.objects.filter(code__in=region.ancestor_codes()).order_by("code")
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "ancestors": ancestors,
            "serving_office": queries.serving_office(region.code),
            "page": page,
            "rows": _region_rows(page.object_list),
            "q": q,
            "query": query_without_page(request),
        },
    )


@login_required
def office_list(request):
    offices = Office.objects.select_related("region").order_by("code")
    kind = request.GET.get("kind", "")
    if kind in Office.Kind.values:
        offices = offices.filter(kind=kind)
    if request.GET.get("retired") != "1":
        offices = offices.filter(active=True)
    q = request.GET.get("q", "").strip()
    if q:
        offices = offices.filter(name__icontains=q) | offices.filter(region_id__startswith=q)
    page = paginate(request, offices)
    return render(
        request,
        "regions/office_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "kinds": Office.Kind.choices,
            "filters": request.GET,
        },
    )


@login_required
def office_detail(request, code):
    office = get_object_or_404(Office.objects.select_related("region"), code=code)
    served = []
    if office.kind == Office.Kind.BNNP:
        serving = queries.ServingOffices()
        served = [
            (regency, serving.for_code(regency.code))
            for regency in Region.objects.filter(parent_id=office.region_id).order_by("code")
        ]
    return render(
        request,
        "regions/office_detail.html",
        {"office": office, "served": served, "history": history_for(office)[:50]},
    )


@login_required
def office_create(request):
    _require_admin(request.user)
    form = BnnkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            office = services.create_bnnk(
                request.user,
                form.cleaned_data["region"].code,
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Office %(name)s saved.") % {"name": office.name})
            return redirect("office-detail", code=office.code)
    return render(request, "regions/office_form.html", {"form": form, "title": _("New BNNK")})


@login_required
def office_edit(request, code):
    _require_admin(request.user)
    office = get_object_or_404(Office, code=code)
    form = OfficeForm(request.POST or None, instance=office, initial={"version": office.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_office(
                request.user, office, data["version"], name=data["name"], address=data["address"]
            )
        except (ValidationError, ConflictError) as exc:
            form.add_error(None, exc.message if isinstance(exc, ConflictError) else exc)
        else:
            messages.success(request, _("Office %(name)s saved.") % {"name": office.name})
            return redirect("office-detail", code=office.code)
    return render(
        request, "regions/office_form.html", {"form": form, "office": office, "title": office.name}
    )


@login_required
@require_POST
def office_retire(request, code):
    _require_admin(request.user)
    office = get_object_or_404(Office, code=code)
    version = request.POST.get("version", "")
    try:
        # A missing or garbled version is a stale one: the conflict message, not a 500.
        services.retire_office(request.user, office, int(version) if version.isdecimal() else 0)
    except (ValidationError, ConflictError) as exc:
        messages.error(request, exc.message if hasattr(exc, "message") else str(exc))
    else:
        messages.success(
            request,
            _("%(name)s retired; its regency is now served by the BNNP.") % {"name": office.name},
        )
    return redirect("office-detail", code=office.code)
