import os

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render

from cegah.core.scope import scope_for
from cegah.indicators.models import DataSet

from . import exports, parsers, queries, services
from .forms import ImportForm


@login_required
def import_page(request):
    """Upload a file; the import runs in the background (see import_job)."""
    can_import = scope_for(request.user).can_write
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            job = services.create_job(
                request.user, form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
            )
            return redirect("import-job", pk=job.pk)
    return render(
        request,
        "exchange/import.html",
        {
            "form": form,
            "can_import": can_import,
            "jobs": queries.import_jobs(request.user)[:20],
            "data_sets": DataSet.objects.order_by("code"),
        },
    )


@login_required
def import_job(request, pk):
    job = queries.import_job(request.user, pk)
    return render(request, "exchange/import_job.html", {"job": job})


@login_required
def import_job_status(request, pk):
    """The status fragment the job page polls (HTMX) until the job has finished."""
    job = queries.import_job(request.user, pk)
    return render(request, "exchange/_job_status.html", {"job": job})


@login_required
def data_set_template(request, code):
    """The XLSX import template of a data set (the catalogue is reference data)."""
    data_set = get_object_or_404(DataSet, code=code)
    path = exports.template_xlsx(data_set)
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    os.unlink(path)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"template-{data_set.code}.xlsx",
        content_type=parsers.XLSX_CONTENT_TYPE,
    )
