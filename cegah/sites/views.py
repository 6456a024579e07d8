from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cegah.core.changelog import history_for
from cegah.core.forms import add_service_errors
from cegah.core.pagination import paginate, query_without_page
from cegah.core.scope import scope_for
from cegah.core.versioning import ConflictError
from cegah.regions.models import Region

from . import exports, imports, queries, services
from .filters import MATURITY_CHOICES, SORT_CHOICES, SiteFilter
from .forms import ImportForm, SiteForm
from .models import SiteType

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
# The list counts at most this many matches ("more than 10,000"); exact totals are for the
# export and the analytics. See bench/sites.py.
COUNT_CAP = 10_000
# The standards app's list of a site's assessments, shown on the site page when installed.
ASSESSMENTS_TEMPLATE = "standards/_site_assessments.html"


def _can_edit(user) -> bool:
    scope = scope_for(user)
    return scope.can_write and scope.site_id is None


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


@login_required
def site_list(request):
    filters, problems = SiteFilter.from_query(request.GET)
    per_page = _page_size(request)
    sites = queries.with_region_names(queries.site_list(request.user, filters))
    page = paginate(request, sites, per_page, count_cap=COUNT_CAP)
    # Type labels looked up once, not through get_site_type_display for every row.
    labels = dict(SiteType.choices)
    for site in page:
        site.type_label = labels.get(site.site_type, site.site_type)
    region = Region.objects.filter(code=filters.region).first() if filters.region else None
    return render(
        request,
        "sites/site_list.html",
        {
            "page": page,
            "filters": filters,
            "filter_problems": problems,
            "region": region,
            "query": query_without_page(request),
            "export_query": filters.query_string(),
            "site_types": SiteType.choices,
            "maturity_choices": MATURITY_CHOICES,
            "sort_choices": SORT_CHOICES,
            "page_sizes": PAGE_SIZES,
            "per_page": per_page,
            "today": timezone.localdate(),
            "can_edit": _can_edit(request.user),
        },
    )


@login_required
@require_GET
def site_export(request):
    """The filtered list as CSV or XLSX: the same filter and scoped query as the list page."""
    filters, _problems = SiteFilter.from_query(request.GET)
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        fmt = "csv"
    return exports.response(queries.site_list(request.user, filters), fmt)


def _assessments_template() -> str | None:
    try:
        get_template(ASSESSMENTS_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return ASSESSMENTS_TEMPLATE


@login_required
def site_detail(request, pk):
    site = queries.site_detail(request.user, pk)
    return render(
        request,
        "sites/site_detail.html",
        {
            "site": site,
            "focal_points": queries.focal_points(site),
            "trajectory": queries.maturity_trajectory(site),
            "assessments_template": _assessments_template(),
            "history": history_for(site)[:50],
            "can_edit": _can_edit(request.user),
        },
    )


FORM_VALUES = (
    "official_id",
    "address",
    "latitude",
    "longitude",
    "population_served",
    "population_kind",
)


def _save(request, form, site=None):
    data = form.cleaned_data
    values = {k: data[k] for k in FORM_VALUES}
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
    return render(request, "sites/site_form.html", {"form": form, "site": site, "title": site.name})


@login_required
def site_import(request):
    """Upload a CSV/XLSX of sites: every row is checked first; nothing is written unless all
    rows are valid; a dry run only reports."""
    if not _can_edit(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.import_upload(request.user, upload, dry_run=form.cleaned_data["dry_run"])
        if result.ok and not result.dry_run:
            messages.success(request, result.summary())
    template = "sites/_import_result.html" if request.htmx else "sites/site_import.html"
    return render(
        request,
        template,
        {"form": form, "result": result, "columns": imports.COLUMNS},
    )


@login_required
@require_GET
def site_import_template(request):
    """The import template (Indonesian headers): XLSX with an instructions sheet, or CSV."""
    if request.GET.get("format") == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-kawasan.csv"'
        return response
    response = HttpResponse(imports.template_xlsx(), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-kawasan.xlsx"'
    return response
