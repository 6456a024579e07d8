"""Pages for standards (/standards/), assessments (/penilaian/) and drug-prone areas
(/kawasan-rawan/). Thin: reads through ``queries``, writes through ``services``."""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cegah.core.changelog import history_for
from cegah.core.forms import add_service_errors
from cegah.core.pagination import paginate, query_without_page
from cegah.core.scope import Roles, scope_for
from cegah.core.versioning import ConflictError
from cegah.sites import queries as site_queries
from cegah.sites.models import SiteType

from . import queries, services
from .forms import (
    AssessmentForm,
    CategoryRuleForm,
    ComponentForm,
    DrugProneForm,
    EvidenceForm,
    ReasonForm,
    StandardForm,
    VerifyForm,
)
from .models import (
    MAIN_INDICATORS,
    SUPPORTING_INDICATORS,
    Assessment,
    Category,
    CategoryRule,
    Standard,
)


def _is_admin(user) -> bool:
    return user.role == Roles.NATIONAL_ADMIN and scope_for(user).everything


def _require_admin(user) -> None:
    if not _is_admin(user):
        raise PermissionDenied


def _messages_for(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    elif isinstance(exc, ConflictError):
        messages.error(request, exc.message)
    else:
        messages.error(request, str(exc) or _("Not allowed."))


# --- Standards -------------------------------------------------------------------------


@login_required
def standard_list(request):
    filters = {
        "site_type": request.GET.get("site_type", ""),
        "status": request.GET.get("status", "") if _is_admin(request.user) else "",
    }
    rows = queries.standard_list(request.user, **filters)
    return render(
        request,
        "standards/standard_list.html",
        {
            "standards": rows,
            "filters": filters,
            "site_types": SiteType.choices,
            "statuses": Standard.Status.choices,
            "is_admin": _is_admin(request.user),
        },
    )


@login_required
def standard_detail(request, pk):
    standard = queries.standard_detail(request.user, pk)
    used = standard.assessments.exists()
    return render(
        request,
        "standards/standard_detail.html",
        {
            "standard": standard,
            "components": standard.components.all(),
            "total_weight": sum(c.weight for c in standard.components.all()),
            "used": used,
            "is_admin": _is_admin(request.user),
            "editable": standard.is_draft and not used,
            "history": history_for(standard)[:50],
            "other_versions": Standard.objects.filter(code=standard.code)
            .exclude(pk=standard.pk)
            .filter(**({} if _is_admin(request.user) else {"status": Standard.Status.PUBLISHED}))
            .order_by("-version"),
        },
    )


@login_required
@require_POST
def standard_copy(request, pk):
    _require_admin(request.user)
    standard = queries.standard_detail(request.user, pk)
    try:
        copy = services.copy_standard(request.user, standard)
    except (ValidationError, PermissionDenied) as exc:
        _messages_for(request, exc)
        return redirect("standard-detail", pk=standard.pk)
    messages.success(
        request,
        _("Version %(version)s created as a draft: edit it, then publish.")
        % {"version": copy.version},
    )
    return redirect("standard-detail", pk=copy.pk)


@login_required
def standard_edit(request, pk):
    _require_admin(request.user)
    standard = queries.standard_detail(request.user, pk)
    form = StandardForm(request.POST or None, instance=standard)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_standard(
                request.user, standard, **{k: form.cleaned_data[k] for k in form.Meta.fields}
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Standard saved."))
            return redirect("standard-detail", pk=standard.pk)
    return render(
        request,
        "standards/standard_form.html",
        {"form": form, "standard": standard, "title": str(standard)},
    )


@login_required
@require_POST
def standard_publish(request, pk):
    _require_admin(request.user)
    standard = queries.standard_detail(request.user, pk)
    try:
        services.publish_standard(request.user, standard)
    except (ValidationError, PermissionDenied) as exc:
        _messages_for(request, exc)
    else:
        messages.success(
            request,
            _("Version %(version)s is published; new assessments use it.")
            % {"version": standard.version},
        )
    return redirect("standard-detail", pk=standard.pk)


@login_required
@require_POST
def standard_delete(request, pk):
    _require_admin(request.user)
    standard = queries.standard_detail(request.user, pk)
    try:
        services.delete_draft(request.user, standard)
    except (ValidationError, PermissionDenied) as exc:
        _messages_for(request, exc)
        return redirect("standard-detail", pk=standard.pk)
    messages.success(request, _("Draft deleted."))
    return redirect("standard-list")


@login_required
def component_form(request, pk, component_pk=None):
    _require_admin(request.user)
    standard = queries.standard_detail(request.user, pk)
    component = (
        queries.component_detail(request.user, standard, component_pk) if component_pk else None
    )
    form = ComponentForm(request.POST or None, instance=component)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if component is None:
                services.add_component(request.user, standard, **values)
            else:
                services.update_component(request.user, component, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Component saved."))
            return redirect("standard-detail", pk=standard.pk)
    return render(
        request,
        "standards/component_form.html",
        {
            "form": form,
            "standard": standard,
            "component": component,
            "title": component.name if component else _("New component"),
        },
    )


@login_required
@require_POST
def component_delete(request, pk, component_pk):
    _require_admin(request.user)
    standard = queries.standard_detail(request.user, pk)
    component = queries.component_detail(request.user, standard, component_pk)
    try:
        services.delete_component(request.user, component)
    except (ValidationError, PermissionDenied) as exc:
        _messages_for(request, exc)
    else:
        messages.success(request, _("Component removed."))
    return redirect("standard-detail", pk=standard.pk)


# --- Assessments -----------------------------------------------------------------------


def _bool_param(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


@login_required
def assessment_list(request):
    filters = {
        "status": request.GET.get("status", ""),
        "region": request.GET.get("region", "").strip(),
        "self_assessment": _bool_param(request.GET.get("self", "")),
        "standard_code": request.GET.get("standard", ""),
        "site": request.GET.get("site", "") if request.GET.get("site", "").isdigit() else None,
    }
    page = paginate(request, queries.assessment_list(request.user, **filters))
    return render(
        request,
        "standards/assessment_list.html",
        {
            "page": page,
            "filters": filters,
            "self_param": request.GET.get("self", ""),
            "query": query_without_page(request),
            "statuses": Assessment.Status.choices,
            "standards": queries.standard_list(request.user, status=Standard.Status.PUBLISHED),
        },
    )


@login_required
def overdue_list(request):
    region = request.GET.get("region", "").strip()
    page = paginate(request, queries.overdue_reviews(request.user, region=region))
    return render(
        request,
        "standards/overdue_list.html",
        {"page": page, "region": region, "query": query_without_page(request)},
    )


def _assessment_values(form: AssessmentForm) -> dict:
    data = form.cleaned_data
    return {
        "assessed_on": data["assessed_on"],
        "next_review_due": data.get("next_review_due"),
        "summary": data.get("summary", ""),
        "levels": form.levels(),
        "notes": form.notes(),
    }


@login_required
def assessment_create(request, site_pk):
    site = site_queries.site_detail(request.user, site_pk)
    problem = services.assess_problem(request.user, site)
    if problem:
        raise PermissionDenied(problem)
    standard = services.current_standard(site.site_type)
    if standard is None:
        messages.error(request, _("There is no published standard for this site type yet."))
        return redirect("site-detail", pk=site.pk)
    form = AssessmentForm(request.POST or None, components=standard.components.all())
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.create_assessment(
                request.user, site, standard=standard, **_assessment_values(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Assessment saved as a draft. Add evidence files, then submit it.")
            )
            return redirect("assessment-detail", pk=assessment.pk)
    return render(
        request,
        "standards/assessment_form.html",
        {"form": form, "site": site, "standard": standard, "title": _("New assessment")},
    )


@login_required
def assessment_edit(request, pk):
    assessment = queries.assessment_detail(request.user, pk)
    if assessment.assessor_id != request.user.pk or assessment.status != Assessment.Status.DRAFT:
        raise PermissionDenied(_("Only the assessor can change a draft."))
    form = AssessmentForm(
        request.POST or None,
        components=assessment.standard.components.all(),
        assessment=assessment,
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            if version is None:
                raise ConflictError(ConflictError.message)
            services.update_assessment(
                request.user, assessment, version, **_assessment_values(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("assessment-detail", pk=assessment.pk)
    return render(
        request,
        "standards/assessment_form.html",
        {
            "form": form,
            "site": assessment.site,
            "standard": assessment.standard,
            "assessment": assessment,
            "title": str(assessment),
        },
    )


@login_required
def assessment_detail(request, pk):
    assessment = queries.assessment_detail(request.user, pk)
    user = request.user
    is_assessor = assessment.assessor_id == user.pk
    verifier_problem = services.verifier_problem(user, assessment)
    draft = assessment.status == Assessment.Status.DRAFT
    components = list(assessment.standard.components.all())
    return render(
        request,
        "standards/assessment_detail.html",
        {
            "assessment": assessment,
            "site": assessment.site,
            "scores": assessment.scores.all(),
            "evidence": assessment.evidence.all(),
            "can_edit": is_assessor and draft,
            "can_submit": is_assessor and draft,
            "can_review": verifier_problem is None,
            "verifier_problem": verifier_problem,
            "evidence_form": EvidenceForm(components=components) if is_assessor and draft else None,
            "verify_form": VerifyForm(),
            "reason_form": ReasonForm(),
            "history": history_for(assessment)[:50],
        },
    )


def _transition(request, pk, action, *, with_reason=False, success=""):
    assessment = queries.assessment_detail(request.user, pk)
    try:
        if with_reason:
            form = ReasonForm(request.POST)
            reason = form.data.get("reason", "")
            action(request.user, assessment, reason)
        else:
            action(request.user, assessment)
    except (ValidationError, PermissionDenied, ConflictError) as exc:
        _messages_for(request, exc)
    else:
        messages.success(request, success)
    return redirect("assessment-detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_submit(request, pk):
    return _transition(
        request,
        pk,
        services.submit_assessment,
        success=_("Submitted. A manager of your office or a higher one verifies it."),
    )


@login_required
@require_POST
def assessment_delete(request, pk):
    assessment = queries.assessment_detail(request.user, pk)
    try:
        services.delete_draft_assessment(request.user, assessment)
    except (ValidationError, PermissionDenied, ConflictError) as exc:
        _messages_for(request, exc)
        return redirect("assessment-detail", pk=assessment.pk)
    messages.success(request, _("Draft assessment deleted."))
    return redirect("site-detail", pk=assessment.site_id)


@login_required
@require_POST
def assessment_verify(request, pk):
    note = VerifyForm(request.POST).data.get("note", "")
    return _transition(
        request,
        pk,
        lambda user, a: services.verify_assessment(user, a, note),
        success=_("Verified. The site's status now follows this assessment."),
    )


@login_required
@require_POST
def assessment_return(request, pk):
    return _transition(
        request,
        pk,
        services.return_assessment,
        with_reason=True,
        success=_("Returned to the assessor as a draft."),
    )


@login_required
@require_POST
def assessment_unverify(request, pk):
    return _transition(
        request,
        pk,
        services.unverify_assessment,
        with_reason=True,
        success=_("Verification withdrawn; the site's status was recalculated."),
    )


@login_required
@require_POST
def evidence_upload(request, pk):
    assessment = queries.assessment_detail(request.user, pk)
    form = EvidenceForm(
        request.POST, request.FILES, components=assessment.standard.components.all()
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("assessment-detail", pk=assessment.pk)
    try:
        evidence = services.add_evidence(
            request.user, assessment, form.cleaned_data["file"], form.cleaned_data["component"]
        )
    except (ValidationError, PermissionDenied) as exc:
        _messages_for(request, exc)
    else:
        messages.success(request, _("File %(name)s added.") % {"name": evidence.original_name})
    return redirect("assessment-detail", pk=assessment.pk)


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = queries.evidence_detail(request.user, pk)
    try:
        services.delete_evidence(request.user, evidence)
    except (ValidationError, PermissionDenied) as exc:
        _messages_for(request, exc)
    else:
        messages.success(request, _("File removed."))
    return redirect("assessment-detail", pk=evidence.assessment_id)


@login_required
def evidence_file(request, pk):
    """The only way to an evidence file: scoped (404 outside), never sniffed by the
    browser, PDFs downloaded rather than rendered in the page's origin."""
    evidence = queries.evidence_detail(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Not found") from exc
    stem = os.path.splitext(evidence.original_name)[0] or "evidence"
    extension = os.path.splitext(evidence.stored_name)[1]
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=evidence.content_type == "application/pdf",
        filename=f"{stem}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Drug-prone areas ------------------------------------------------------------------


def _int_param(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) == 4 else None


@login_required
def drug_prone_list(request):
    filters = {
        "year": _int_param(request.GET.get("year", "")),
        "category": request.GET.get("category", ""),
        "region": request.GET.get("region", "").strip(),
        "recovered": _bool_param(request.GET.get("recovered", "")),
    }
    if filters["category"] not in Category.values:
        filters["category"] = ""
    page = paginate(request, queries.drug_prone_list(request.user, **filters))
    scope = scope_for(request.user)
    return render(
        request,
        "standards/drug_prone_list.html",
        {
            "page": page,
            "filters": filters,
            "recovered_param": request.GET.get("recovered", ""),
            "query": query_without_page(request),
            "categories": Category.choices,
            "years": queries.drug_prone_years(request.user),
            "counts": queries.drug_prone_counts(
                request.user, year=filters["year"], region=filters["region"]
            ),
            "rule": services.current_rule(),
            "can_record": scope.can_write and request.user.role in services.DRUG_PRONE_WRITERS,
        },
    )


def _drug_prone_save(request, form, obj=None):
    try:
        if obj is None:
            return services.record_drug_prone(
                request.user,
                region_code=form.cleaned_data["region_code"].strip(),
                year=form.cleaned_data["year"],
                answers=form.answers(),
                notes=form.notes(),
            )
        version = form.cleaned_data.get("version")
        if version is None:
            raise ConflictError(ConflictError.message)
        return services.update_drug_prone(
            request.user, obj, version, answers=form.answers(), notes=form.notes()
        )
    except ValidationError as exc:
        add_service_errors(form, exc, {"region": "region_code"})
    except ConflictError as exc:
        form.add_error(None, exc.message)
    return None


@login_required
def drug_prone_create(request):
    scope = scope_for(request.user)
    if not scope.can_write or request.user.role not in services.DRUG_PRONE_WRITERS:
        raise PermissionDenied
    form = DrugProneForm(
        request.POST or None, initial={"region_code": request.GET.get("region", "")}
    )
    if request.method == "POST" and form.is_valid():
        obj = _drug_prone_save(request, form)
        if obj is not None:
            messages.success(
                request, _("Saved: %(category)s.") % {"category": obj.get_category_display()}
            )
            return redirect("drug-prone-detail", pk=obj.pk)
    return render(
        request,
        "standards/drug_prone_form.html",
        {
            "form": form,
            "title": _("New drug-prone area assessment"),
            "rule": services.current_rule(),
        },
    )


@login_required
def drug_prone_edit(request, pk):
    obj = queries.drug_prone_detail(request.user, pk)
    if services.drug_prone_problem(request.user, obj.region_id):
        raise PermissionDenied
    form = DrugProneForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        saved = _drug_prone_save(request, form, obj)
        if saved is not None:
            messages.success(
                request, _("Saved: %(category)s.") % {"category": saved.get_category_display()}
            )
            return redirect("drug-prone-detail", pk=saved.pk)
    return render(
        request,
        "standards/drug_prone_form.html",
        {
            "form": form,
            "obj": obj,
            "title": f"{obj.region.name} {obj.year}",
            "rule": services.current_rule(),
        },
    )


@login_required
def drug_prone_detail(request, pk):
    obj = queries.drug_prone_detail(request.user, pk)
    main = [
        (label, term, getattr(obj, name), obj.notes.get(name, ""))
        for name, term, label in MAIN_INDICATORS
    ]
    supporting = [
        (label, term, getattr(obj, name), obj.notes.get(name, ""))
        for name, term, label in SUPPORTING_INDICATORS
    ]
    return render(
        request,
        "standards/drug_prone_detail.html",
        {
            "obj": obj,
            "main": main,
            "supporting": supporting,
            "years": queries.area_history(request.user, obj.region_id),
            "can_edit": services.drug_prone_problem(request.user, obj.region_id) is None,
            "history": history_for(obj)[:50],
        },
    )


@login_required
def category_rule(request):
    rule = services.current_rule()
    is_admin = _is_admin(request.user)
    form = CategoryRuleForm(request.POST or None, rule=rule) if is_admin else None
    if request.method == "POST":
        _require_admin(request.user)
        if form.is_valid():
            try:
                services.change_rule(request.user, note=form.cleaned_data["note"], **form.values())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "New rule version saved; it applies to assessments "
                        "recorded or edited from now on."
                    ),
                )
                return redirect("category-rule")
    return render(
        request,
        "standards/category_rule.html",
        {
            "rule": rule,
            "bands": [(Category(band), *rule.band(band)) for band in CategoryRule.BANDS],
            "versions": CategoryRule.objects.select_related("created_by").order_by("-version"),
            "form": form,
        },
    )
