"""Approvals: the inbox (/approvals/), one approval with its history, the transitions
(POST), submission from the entry grid, and completeness/timeliness per data set and period."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cegah.core.changelog import history_for
from cegah.core.pagination import paginate, query_without_page
from cegah.core.scope import get_scoped_or_404
from cegah.regions.queries import ServingOffices

from . import approvals, entry
from .models import Approval, DataSet, Status
from .views_entry import entry_url

DONE = {
    approvals.SUBMIT: gettext_lazy("Submitted: %(what)s."),
    approvals.APPROVE: gettext_lazy("Approved: %(what)s."),
    approvals.ACCEPT: gettext_lazy("Accepted: %(what)s."),
    approvals.REOPEN: gettext_lazy("Reopened as draft: %(what)s."),
}


def _describe(approval: Approval) -> str:
    return f"{approval.data_set.name}, {approval.org_unit}, {approval.period}"


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _report(request, exc: approvals.TransitionError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _done(request, action: str, approval: Approval) -> None:
    messages.success(request, str(DONE[action]) % {"what": _describe(approval)})


@login_required
@require_GET
def inbox(request):
    filters = {
        "data_set": request.GET.get("dataSet", "").strip(),
        "period": request.GET.get("period", "").strip(),
        "status": request.GET.get("status", "").strip(),
    }
    page = paginate(request, approvals.inbox(request.user, **filters))
    serving = ServingOffices()
    names = entry.org_unit_names(a.org_unit for a in page)
    rows = [
        (
            approval,
            names.get(approval.org_unit, approval.org_unit),
            approvals.allowed_actions(
                request.user, approval, approvals.chain_for(approval.region_code, serving)
            ),
        )
        for approval in page
    ]
    return render(
        request,
        "indicators/approval_inbox.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query_without_page(request),
            "data_sets": DataSet.objects.order_by("code"),
            "statuses": Status.choices,
            "here": request.get_full_path(),
        },
    )


def _scoped_approval(request, pk) -> Approval:
    return get_scoped_or_404(
        request.user, Approval.objects.select_related("data_set", "site", "updated_by"), pk=pk
    )


@login_required
@require_GET
def approval_detail(request, pk):
    approval = _scoped_approval(request, pk)
    chain = approvals.chain_for(approval.region_code)
    return render(
        request,
        "indicators/approval_detail.html",
        {
            "approval": approval,
            "org_unit_name": entry.org_unit_names([approval.org_unit]).get(
                approval.org_unit, approval.org_unit
            ),
            "chain": chain,
            "actions": approvals.allowed_actions(request.user, approval, chain),
            "entry_url": entry_url(approval.data_set.code, approval.org_unit, approval.period),
            "history": history_for(approval)[:50],
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def approval_transition(request, pk, action):
    approval = _scoped_approval(request, pk)
    if action not in approvals.ACTIONS:
        raise Http404("Not found")
    try:
        approval = approvals.transition(
            request.user, approval, action, request.POST.get("reason", "")
        )
    except approvals.TransitionError as exc:
        _report(request, exc)
    else:
        _done(request, action, approval)
    return redirect(_next_or(request, reverse("approval-detail", args=[approval.pk])))


@login_required
@require_POST
def approval_submit(request):
    """Submit a data set × org unit × period from the entry grid (the approval row may not
    exist yet)."""
    data_set = get_object_or_404(DataSet, code=request.POST.get("dataSet", "").strip())
    org_unit = entry.resolve_org_unit(request.user, request.POST.get("orgUnit", ""))
    period = request.POST.get("period", "").strip()
    fallback = entry_url(data_set.code, org_unit.code, period)
    problem = entry.kind_problem(data_set, org_unit)
    if problem:
        messages.error(request, problem)
        return redirect(_next_or(request, fallback))
    try:
        approval = approvals.submit(
            request.user, data_set, org_unit.code, org_unit.location, period
        )
    except approvals.TransitionError as exc:
        messages.error(request, _("Not submitted. Fix these first:"))
        _report(request, exc)
    else:
        _done(request, approvals.SUBMIT, approval)
    return redirect(_next_or(request, fallback))


@login_required
@require_GET
def completeness(request):
    code = request.GET.get("dataSet", "").strip()
    data_set = DataSet.objects.filter(code=code).first() if code else None
    period_id = request.GET.get("period", "").strip()
    context = {
        "data_sets": DataSet.objects.order_by("code"),
        "data_set": data_set,
        "selected_period": period_id,
        "periods": entry.recent_periods(data_set.period_type) if data_set else [],
    }
    period = entry.parse_period_for(data_set, period_id) if data_set and period_id else None
    if data_set is not None and period_id and period is None:
        context["problem"] = _("Pick a %(type)s period.") % {
            "type": data_set.get_period_type_display().lower()
        }
    if period is not None:
        result = approvals.completeness(request.user, data_set, period)
        context.update(
            result=result,
            page=paginate(request, result.rows, per_page=100),
            query=query_without_page(request),
        )
    return render(request, "indicators/completeness.html", context)
