"""Pages for files in and out: catalog export, catalog and marketplace imports with a preview.

Upload → the check runs as a task while the page polls its progress (htmx) → the preview shows
what would happen, row errors by row number, and asks which variant an unknown marketplace
SKU is → confirm → the import runs as a task with progress → the result.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.commerce.imports import catalog, jobs
from sinergi.commerce.models import ImportJob, Variant
from sinergi.commerce.models.integration import ImportKind, ImportStatus
from sinergi.commerce.views import MANAGERS, SHOP


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What is in the file?"), choices=ImportKind.choices)
    file = forms.FileField(
        label=gettext_lazy("File (.csv or .xlsx)"),
        help_text=gettext_lazy("Up to 20 MB. Marketplace files: the order export, unchanged."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_http_methods(["GET", "POST"])
def import_list(request: WorkspaceRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_create(
                organisation=request.organisation,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                created_by=request.user,
            )
        except jobs.ImportRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("commerce:import_detail", pk=job.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "commerce/imports/import_list.html",
        {
            "form": form,
            # The list shows no preview: the encrypted summaries stay unread.
            "jobs": ImportJob.objects.select_related("created_by").defer("summary", "errors")[:20],
        },
        status=status,
    )


def _job_context(job: ImportJob) -> dict[str, Any]:
    context: dict[str, Any] = {"job": job, "is_catalog": job.kind == ImportKind.CATALOG}
    if job.status == ImportStatus.READY and job.summary.get("unknown"):
        context["variants"] = list(
            Variant.objects.select_related("product").order_by("product__name", "position")[:500]
        )
    return context


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_GET
def import_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    return render(request, "commerce/imports/import_detail.html", _job_context(job))


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_GET
def import_progress(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx; when the step is over the page reloads itself."""
    job = get_object_or_404(ImportJob.objects.defer("summary", "errors"), pk=pk)
    response = render(request, "commerce/imports/_progress.html", {"job": job})
    if not job.is_running:
        response["HX-Refresh"] = "true"
    return response


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def import_confirm(request: WorkspaceRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    mappings: dict[str, int] = {}
    for index, entry in enumerate(job.summary.get("unknown", [])):
        choice = request.POST.get(f"map-{index}", "")
        if choice.isdigit():
            mappings[entry["key"]] = int(choice)
    try:
        jobs.import_job_confirm(job=job, mappings=mappings or None, confirmed_by=request.user)
    except jobs.ImportRefused as error:
        messages.error(request, str(error))
    else:
        if mappings:
            messages.success(request, _("Matched. The file is being checked again."))
    return redirect("commerce:import_detail", pk=job.pk)


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def import_cancel(request: WorkspaceRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        jobs.import_job_cancel(job=job)
    except jobs.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("commerce:import_detail", pk=job.pk)
    messages.success(request, _("Import cancelled; nothing was changed."))
    return redirect("commerce:import_list")


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_GET
def catalog_export(request: WorkspaceRequest) -> HttpResponse:
    """Every product and variant, as CSV or XLSX, in the layout the import reads."""
    fmt = request.GET.get("format", "xlsx")
    rows = catalog.catalog_rows()
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(catalog.catalog_csv(rows), content_type="text/csv; charset=utf-8")
        filename = f"katalog-{request.organisation.slug}-{stamp}.csv"
    else:
        response = HttpResponse(
            catalog.catalog_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"katalog-{request.organisation.slug}-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
