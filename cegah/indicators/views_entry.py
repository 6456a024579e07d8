"""Data entry (/data/entry/) and the validation-violations page (/data/validation/).

The grid saves one value per request (HTMX) through ``services.write_values``, read as
typed in the page's language (``numbers``); the response is the cell's feedback fragment
plus, out of band, the data set's violations and the cell's version (the stored value's
last change, which a save must match: nothing is lost to someone else's later change).
Inputs are never swapped, so what the user keeps typing while a save is on its way is not
lost.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cegah.core import numbers
from cegah.core.scope import scope_for, scoped

from . import entry, services
from .models import DataSet, DataSetElement, DataValue
from .validation import check_data_set, data_set_violations


def entry_url(data_set: str, org_unit: str, period: str) -> str:
    query = urlencode({"dataSet": data_set, "orgUnit": org_unit, "period": period})
    return f"{reverse('data-entry')}?{query}"


def _pickers(request, data_set: DataSet | None) -> dict:
    context = {"data_sets": DataSet.objects.order_by("code"), "data_set": data_set}
    if data_set is not None:
        context["periods"] = entry.recent_periods(data_set.period_type)
        if data_set.org_unit_kind == DataSet.OrgUnitKind.REGENCY:
            context["regencies"] = entry.regencies_in_scope(request.user)
    return context


@login_required
@require_GET
def data_entry(request):
    code = request.GET.get("dataSet", "").strip()
    data_set = DataSet.objects.filter(code=code).first() if code else None
    context = _pickers(request, data_set)
    context.update(
        selected_org_unit=request.GET.get("orgUnit", "").strip(),
        selected_period=request.GET.get("period", "").strip(),
    )
    if data_set is None or not context["selected_org_unit"]:
        return render(request, "indicators/entry.html", context)
    org_unit = entry.resolve_org_unit(request.user, context["selected_org_unit"])
    context["org_unit"] = org_unit
    problem = entry.kind_problem(data_set, org_unit)
    period = entry.parse_period_for(data_set, context["selected_period"])
    if problem is None and context["selected_period"] and period is None:
        problem = _("Pick a %(type)s period.") % {
            "type": data_set.get_period_type_display().lower()
        }
    context["problem"] = problem
    if problem is None and period is not None:
        context["grid"] = entry.build_grid(request.user, data_set, org_unit, period)
        context["here"] = entry_url(data_set.code, org_unit.code, period.id)
    return render(request, "indicators/entry.html", context)


def _cell(request, params):
    """(data set, org unit, period, element, coc) named by the request, in scope, or 404."""
    data_set = get_object_or_404(DataSet, code=params.get("dataSet", "").strip())
    org_unit = entry.resolve_org_unit(request.user, params.get("orgUnit", ""))
    period = entry.parse_period_for(data_set, params.get("period", "").strip())
    member = (
        DataSetElement.objects.filter(
            data_set=data_set, data_element__code=params.get("de", "").strip()
        )
        .select_related("data_element")
        .first()
    )
    coc = params.get("coc", "").strip() or "default"
    if period is None or member is None:
        raise Http404("Not found")
    element = member.data_element
    if coc not in services.category_option_combos(element.disaggregation):
        raise Http404("Not found")
    return data_set, org_unit, period, element, coc


def _stored(user, element, org_unit, period, coc, *, lock=False) -> DataValue | None:
    values = scoped(user, DataValue)
    if lock:
        values = values.select_for_update()
    return values.filter(
        data_element=element, org_unit=org_unit.code, period=period.id, coc=coc
    ).first()


def _row(element, org_unit, period, coc, text: str, comment: str) -> services.ValueRow:
    # A person typed it (or the grid showed it so): read in the page's language.
    return services.ValueRow(
        data_element=element.code,
        period=period.id,
        org_unit=org_unit.code,
        value=text,
        coc=coc,
        comment=comment,
        ref=element.code,
        notation=numbers.language(),
    )


def _means_stored(element, text: str, current: DataValue | None) -> bool:
    """Whether what was typed is what is stored now (nothing over nothing, or the same
    number): saving it over a newer change then loses nothing."""
    if current is None or not text:
        return current is None and not text
    try:
        return services.parse_value(element, text, numbers.language()) == current.value
    except ValueError:
        return False


@login_required
@require_POST
def entry_value(request):
    """Save (or, when cleared, delete) one value; answer with the cell's feedback.

    The request carries the version of the value the cell was loaded with (``version``:
    the stored value's last change, "" for none). If someone else changed, created or
    deleted the value since, nothing is written: the feedback shows their value, who and
    when, and offers to save this one over it (sent again with the version now stored) or
    to take theirs. A save answers with the new version (out of band), so the same cell's
    next save is checked against it. Values are written through the same services as
    every other path; the check and the write are one transaction, the stored row locked
    (PostgreSQL; SQLite's writers take the database at the start of a transaction)."""
    data_set, org_unit, period, element, coc = _cell(request, request.POST)
    if not scope_for(request.user).can_write:
        raise PermissionDenied
    text = request.POST.get("value", "").strip()
    seen = request.POST.get("version", "").strip()
    summary, state = services.WriteSummary(), "conflict"
    with transaction.atomic():
        current = _stored(request.user, element, org_unit, period, coc, lock=True)
        if entry.version_of(current) != seen and not _means_stored(element, text, current):
            pass  # someone else's change since the grid was loaded: write nothing
        elif not text:
            if current is not None:
                summary = services.delete_value(
                    request.user, element.code, period.id, org_unit.code, coc
                )
            state = "deleted" if summary.deleted else "empty"
        else:
            with transaction.atomic():
                comment = current.comment if current else ""
                summary = services.write_values(
                    request.user,
                    [_row(element, org_unit, period, coc, text, comment)],
                    check_rules=False,
                )
                if current is None and summary.updated:
                    # Created by someone else between the read and the write (there was
                    # no row to lock): theirs stays.
                    transaction.set_rollback(True)
                    summary = services.WriteSummary()
                else:
                    state = "saved" if (summary.imported or summary.updated) else "unchanged"
    error = " ".join(c.value for c in summary.conflicts)
    stored = _stored(request.user, element, org_unit, period, coc)
    context = {
        "cell": entry.Cell(element, coc, stored),
        "error": error,
        "state": "error" if error else state,
        "violations": check_data_set(data_set, org_unit.code, period.id),
        "oob": True,
    }
    if state == "conflict" and not error:
        context["theirs"] = entry.other_change(element, org_unit, period.id, coc, stored)
        context["mine"] = text
    return render(request, "indicators/_entry_feedback.html", context)


@login_required
@require_POST
def entry_comment(request):
    """Save the comment of one stored value (the value itself is sent unchanged)."""
    data_set, org_unit, period, element, coc = _cell(request, request.POST)
    if not scope_for(request.user).can_write:
        raise PermissionDenied
    comment = request.POST.get("comment", "").strip()
    error = ""
    with transaction.atomic():
        current = _stored(request.user, element, org_unit, period, coc, lock=True)
        # The cell's version moves on with this save only if the cell showed the value as
        # it was: otherwise its next save must still meet the change it has not seen.
        in_step = entry.version_of(current) == request.POST.get("version", "").strip()
        if current is None:
            error = _("Enter a value before commenting on it.")
        else:
            summary = services.write_values(
                request.user,
                [
                    _row(
                        element,
                        org_unit,
                        period,
                        coc,
                        entry.format_value(element, current.value),
                        comment,
                    )
                ],
                check_rules=False,
            )
            error = " ".join(c.value for c in summary.conflicts)
    cell = entry.Cell(element, coc, _stored(request.user, element, org_unit, period, coc))
    return render(
        request,
        "indicators/_entry_comment.html",
        {
            "cell": cell,
            "error": error,
            "saved": not error,
            "editable": True,
            "comment_url": reverse("data-entry-comment"),
            "draft": comment if error else None,
            "version_oob": in_step and not error,
        },
    )


@login_required
@require_GET
def entry_history(request):
    data_set, org_unit, period, element, coc = _cell(request, request.GET)
    rows = entry.history_rows(entry.value_history(element, org_unit, period.id, coc))
    return render(
        request,
        "indicators/_entry_history.html",
        {"rows": rows, "cell": entry.Cell(element, coc, None)},
    )


@login_required
@require_GET
def entry_sites(request):
    """Sites in scope matching ?q=, as links to the entry page of ?dataSet= and ?period=."""
    q = request.GET.get("q", "").strip()
    sites = entry.sites_in_scope(request.user, q) if q else []
    links = [
        (
            site,
            entry_url(request.GET.get("dataSet", ""), site.code, request.GET.get("period", "")),
        )
        for site in sites
    ]
    return render(request, "indicators/_entry_sites.html", {"links": links, "q": q})


@login_required
@require_GET
def validation_list(request):
    code = request.GET.get("dataSet", "").strip()
    data_set = DataSet.objects.filter(code=code).first() if code else None
    context = _pickers(request, data_set)
    period_id = request.GET.get("period", "").strip()
    context["selected_period"] = period_id
    period = entry.parse_period_for(data_set, period_id) if data_set and period_id else None
    if data_set is not None and period_id and period is None:
        context["problem"] = _("Pick a %(type)s period.") % {
            "type": data_set.get_period_type_display().lower()
        }
    if period is not None:
        violations = data_set_violations(request.user, data_set, period.id)
        names = entry.org_unit_names(v.org_unit for v in violations)
        context.update(
            period=period,
            violations=[
                (v, names.get(v.org_unit, v.org_unit), entry_url(code, v.org_unit, period.id))
                for v in violations
            ],
        )
    return render(request, "indicators/validation.html", context)
