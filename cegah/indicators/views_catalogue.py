"""The catalogue pages (/indikator/): anyone signed in reads every definition; national
admins create and edit data elements and indicators through the catalogue services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cegah.core.changelog import history_for
from cegah.core.forms import add_service_errors
from cegah.core.pagination import paginate, query_without_page
from cegah.core.versioning import ConflictError

from . import queries_catalogue as queries
from . import services_catalogue as services
from .forms_catalogue import DataElementForm, IndicatorForm
from .models import PERIOD_TYPE_CHOICES, DataElement, DataValue, Field, Indicator


def _list(request, template, queryset, filters, **extra):
    return render(
        request,
        template,
        {
            "page": paginate(request, queryset),
            "filters": filters,
            "query": query_without_page(request),
            "fields": Field.choices,
            "can_edit": services.can_edit_catalogue(request.user),
            **extra,
        },
    )


@login_required
def indicator_list(request):
    filters = {
        "q": request.GET.get("q", "").strip(),
        "field": request.GET.get("field", ""),
        "kind": request.GET.get("kind", ""),
    }
    return _list(
        request,
        "indicators/indicator_list.html",
        queries.indicators(**filters),
        filters,
        kinds=Indicator.Kind.choices,
    )


@login_required
def data_element_list(request):
    filters = {
        "q": request.GET.get("q", "").strip(),
        "field": request.GET.get("field", ""),
        "side": request.GET.get("side", ""),
    }
    return _list(
        request,
        "indicators/data_element_list.html",
        queries.data_elements(**filters),
        filters,
        sides=DataElement.Side.choices,
    )


@login_required
def data_set_list(request):
    filters = {
        "q": request.GET.get("q", "").strip(),
        "period_type": request.GET.get("period_type", ""),
    }
    return _list(
        request,
        "indicators/data_set_list.html",
        queries.data_sets(**filters),
        filters,
        period_types=PERIOD_TYPE_CHOICES,
    )


@login_required
def indicator_detail(request, code):
    indicator = queries.indicator(code)
    codes = queries.indicator_codes(indicator)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "numerator": queries.formula_parts(indicator.numerator, elements),
            "denominator": queries.formula_parts(indicator.denominator, elements),
            "elements": sorted(elements.values(), key=lambda e: e.code),
            "data_sets": queries.data_sets_with(codes),
            "history": history_for(indicator)[:50],
            "can_edit": services.can_edit_catalogue(request.user),
        },
    )


@login_required
def data_element_detail(request, code):
    element = queries.data_element(code)
    return render(
        request,
        "indicators/data_element_detail.html",
        {
            "element": element,
            "indicators": queries.indicators_using(element.code),
            "data_sets": queries.data_sets_with([element.code]),
            "rules": queries.rules_for([element.code]),
            "has_values": DataValue.objects.filter(data_element=element).exists(),
            "history": history_for(element)[:50],
            "can_edit": services.can_edit_catalogue(request.user),
        },
    )


@login_required
def data_set_detail(request, code):
    data_set = queries.data_set(code)
    return render(
        request,
        "indicators/data_set_detail.html",
        {
            "data_set": data_set,
            "members": data_set.members.all(),
            "rules": data_set.rules.order_by("code"),
            "history": history_for(data_set)[:50],
        },
    )


def _require_admin(user):
    if not services.can_edit_catalogue(user):
        raise PermissionDenied


def _edit(request, form_class, obj, create, update, detail_url, template_title):
    _require_admin(request.user)
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            if obj is None:
                saved = create(request.user, code=form.cleaned_data["code"], **form.values())
            else:
                saved = update(request.user, obj, form.cleaned_data["version"], **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(code)s saved.") % {"code": saved.code})
            return redirect(detail_url, code=saved.code)
    return render(
        request,
        "indicators/catalogue_form.html",
        {"form": form, "title": template_title, "object": obj, "detail_url": detail_url},
    )


@login_required
def indicator_create(request):
    return _edit(
        request,
        IndicatorForm,
        None,
        services.create_indicator,
        services.update_indicator,
        "indicator-detail",
        _("New indicator"),
    )


@login_required
def indicator_edit(request, code):
    _require_admin(request.user)
    indicator = queries.indicator(code)
    return _edit(
        request,
        IndicatorForm,
        indicator,
        services.create_indicator,
        services.update_indicator,
        "indicator-detail",
        indicator.code,
    )


@login_required
def data_element_create(request):
    return _edit(
        request,
        DataElementForm,
        None,
        services.create_data_element,
        services.update_data_element,
        "data-element-detail",
        _("New data element"),
    )


@login_required
def data_element_edit(request, code):
    _require_admin(request.user)
    element = queries.data_element(code)
    return _edit(
        request,
        DataElementForm,
        element,
        services.create_data_element,
        services.update_data_element,
        "data-element-detail",
        element.code,
    )
