from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cegah.core.changelog import history_for
from cegah.core.forms import add_service_errors
from cegah.core.pagination import paginate, query_without_page
from cegah.core.scope import scope_for
from cegah.core.versioning import ConflictError

from . import queries, services
from .forms import SiteForm
from .models import SiteType


def _can_edit(user) -> bool:
    scope = scope_for(user)
    return scope.can_write and scope.site_id is None


@login_required
def site_list(request):
    filters = {
        "q": request.GET.get("q", "").strip(),
        "site_type": request.GET.get("site_type", ""),
        "region": request.GET.get("region", "").strip(),
    }
    page = paginate(request, queries.site_list(request.user, **filters))
    return render(
        request,
        "sites/site_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "site_types": SiteType.choices,
            "can_edit": _can_edit(request.user),
        },
    )


@login_required
def site_detail(request, pk):
    site = queries.site_detail(request.user, pk)
    return render(
        request,
        "sites/site_detail.html",
        {"site": site, "history": history_for(site)[:50], "can_edit": _can_edit(request.user)},
    )


def _save(request, form, site=None):
    data = form.cleaned_data
    values = {k: data[k] for k in ("official_id", "address", "population_served")}
    try:
        if site is None:
            return services.create_site(
                request.user,
                name=data["name"],
                site_type=data["site_type"],
                region_code=data["region_code"],
                **values,
            )
        return services.update_site(
            request.user,
            site,
            data["version"],
            name=data["name"],
            site_type=data["site_type"],
            region_id=data["region_code"],
            **values,
        )
    except ValidationError as exc:
        add_service_errors(form, exc, {"region": "region_code", "region_id": "region_code"})
    except ConflictError as exc:
        form.add_error(None, exc.message)
    return None


@login_required
def site_create(request):
    if not _can_edit(request.user):
        raise PermissionDenied
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        site = _save(request, form)
        if site is not None:
            messages.success(request, _("Site %(name)s saved.") % {"name": site.name})
            return redirect("site-detail", pk=site.pk)
    return render(request, "sites/site_form.html", {"form": form, "title": _("New site")})


@login_required
def site_edit(request, pk):
    site = queries.site_detail(request.user, pk)
    if not _can_edit(request.user):
        raise PermissionDenied
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, site)
        if saved is not None:
            messages.success(request, _("Site %(name)s saved.") % {"name": saved.name})
            return redirect("site-detail", pk=saved.pk)
    return render(request, "sites/site_form.html", {"form": form, "site": site,
                                                   "title": site.name})
