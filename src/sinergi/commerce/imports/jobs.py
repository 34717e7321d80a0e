"""Import jobs: upload → check (preview) → confirm → apply, with progress the page polls.

Each step is a service run by a task (queue "imports"), so a large file does not hold a web
request and a page can be left and reopened. Every step can run again safely:

* checking only writes the job's summary and errors;
* a catalog import is applied in one transaction (all rows or none), and re-applying an
  unchanged file changes nothing;
* a marketplace order is created once: each order is placed in its own transaction with the
  marketplace order number as ``external_id``, unique per shop and channel, so a re-import
  — or two imports of the same file at once — finds the order and leaves it alone.

The uploaded file is stored encrypted (``ImportJob.file`` encrypts on save, see
docs/adr/0008) and deleted when the job is over — done, failed or cancelled — since nothing
reads it afterwards; the preview and errors are kept encrypted in the job.

Marketplace files: an order with a bad row (unknown SKU, bad quantity, unknown status, sold
out) is not created, and the good orders of the same file are — the preview says how many of
each, and the owner can fix the file and import it again: orders already in are skipped.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation, User
from sinergi.commerce.imports import catalog, marketplace
from sinergi.commerce.imports.tables import TableError
from sinergi.commerce.models import ImportJob, MarketplaceSku, Order, Variant
from sinergi.commerce.models.integration import ImportKind, ImportStatus
from sinergi.core.tenancy import tenant_context

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PREVIEW_LIMIT = 100


class ImportRefused(ValueError):
    """The upload or the confirmation cannot be accepted; the message says why."""


def import_job_create(
    *, organisation: Organisation, kind: str, upload: UploadedFile, created_by: User | None
) -> ImportJob:
    """Keep the uploaded file (encrypted; the hash is of the plain bytes) and queue its check."""
    if kind not in ImportKind.values:
        raise ImportRefused(_("Choose what the file holds."))
    name = upload.name or "upload"
    if not name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise ImportRefused(_("Upload a .csv or .xlsx file."))
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ImportRefused(_("The file is larger than 20 MB; split it into smaller files."))
    content = upload.read()
    if not content:
        raise ImportRefused(_("The file is empty."))
    with tenant_context(organisation.pk), transaction.atomic():
        job = ImportJob(
            organisation=organisation,
            kind=kind,
            original_filename=name[:255],
            file_sha256=hashlib.sha256(content).hexdigest(),
            created_by=created_by,
        )
        job.file.save(name.rsplit("/", 1)[-1][-100:], ContentFile(content), save=False)
        job.save()
        _enqueue("import_job_check_task", job)
    return job


def _enqueue(task_name: str, job: ImportJob) -> None:
    from sinergi.commerce import tasks  # noqa: PLC0415  (tasks import this module)

    task = getattr(tasks, task_name)
    job_id, organisation_id = job.pk, job.organisation_id
    transaction.on_commit(lambda: task.enqueue(job_id=job_id, organisation_id=organisation_id))


def _content(job: ImportJob) -> bytes:
    return job.file.read_plain()


def _set(job: ImportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _finish(job: ImportJob, **fields: Any) -> None:
    """Write the job's last state and drop its upload (after the commit): it names buyers, and
    nothing reads the file of a job that is over."""
    name, storage = job.file.name, job.file.storage
    _set(job, file="", finished_at=timezone.now(), **fields)
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def import_job_check(*, job_id: int, organisation_id: int) -> ImportJob:
    """Read the file and write the preview (what would happen) and the row errors."""
    with tenant_context(organisation_id):
        job = ImportJob.objects.get(pk=job_id)
        if job.status not in {ImportStatus.VALIDATING, ImportStatus.READY}:
            return job
        try:
            if job.kind == ImportKind.CATALOG:
                summary, errors, total = _catalog_check(job)
            else:
                summary, errors, total = _orders_check(job)
        except TableError as error:
            _finish(job, status=ImportStatus.FAILED, errors=[{"row": None, "message": str(error)}])
            return job
        _set(
            job,
            status=ImportStatus.READY,
            summary=summary,
            errors=errors,
            total_rows=total,
            processed_rows=0,
        )
        return job


def _catalog_check(job: ImportJob) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    table = catalog.catalog_read(_content(job), job.original_filename)
    plan = catalog.catalog_plan(table)
    preview = [
        {
            "row": r.row,
            "action": r.action,
            "sku": r.sku,
            "product": r.product,
            "variant": r.variant,
            "price": r.price,
            "changes": r.changes,
        }
        for r in plan.rows
        if r.action != "unchanged"
    ][:PREVIEW_LIMIT]
    return {"counts": plan.counts(), "preview": preview}, plan.errors, len(table.rows)


def _resolve(channel: str, orders: list[marketplace.MarketplaceOrder]) -> dict[str, Any]:
    """Find each line's variant (own SKU, else a remembered mapping); collect unknown ones."""
    lines = [line for order in orders for line in order.lines]
    keys = {marketplace.mapping_key(line) for line in lines}
    by_sku = dict(Variant.objects.filter(sku__in=keys).values_list("sku", "pk"))
    remembered = dict(
        MarketplaceSku.objects.filter(channel=channel, external_sku__in=keys).values_list(
            "external_sku", "variant_id"
        )
    )
    unknown: dict[str, dict[str, Any]] = {}
    for order in orders:
        for line in order.lines:
            key = marketplace.mapping_key(line)
            line.variant_id = remembered.get(key) or by_sku.get(key)
            if line.variant_id is None:
                entry = unknown.setdefault(
                    key,
                    {
                        "key": key,
                        "product": line.product_name,
                        "variant": line.variant_name,
                        "rows": [],
                    },
                )
                entry["rows"].append(line.row)
                order.errors.append(
                    {
                        "row": line.row,
                        "message": _(
                            'SKU "%(sku)s" is not in your catalog: choose its variant below.'
                        )
                        % {"sku": key},
                        "unknown_sku": key,
                    }
                )
    return unknown


def _orders_check(job: ImportJob) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    table = marketplace.marketplace_read(_content(job), job.original_filename, job.kind)
    orders = marketplace.marketplace_orders(table, job.kind)
    unknown = _resolve(job.kind, orders)
    existing = set(
        Order.objects.filter(
            channel=job.kind, external_id__in=[o.external_id for o in orders if o.external_id]
        ).values_list("external_id", flat=True)
    )
    errors = sorted(
        (error for order in orders for error in order.errors),
        key=lambda e: e["row"] or 0,
    )
    good = [o for o in orders if not o.errors]
    summary = {
        "orders": len(orders),
        "new": sum(1 for o in good if o.external_id not in existing),
        "existing": sum(1 for o in orders if o.external_id in existing),
        "with_errors": sum(1 for o in orders if o.errors),
        "unknown": list(unknown.values()),
        "preview": [
            {
                "external_id": o.external_id,
                "status": o.status,
                "raw_status": o.raw_status,
                "customer_name": o.customer_name,
                "lines": len(o.lines),
                "total": o.subtotal + o.shipping_fee,
                "rows": [o.rows[0], o.rows[-1]] if o.rows else [],
                "exists": o.external_id in existing,
                "ok": not o.errors,
            }
            for o in orders[:PREVIEW_LIMIT]
        ],
    }
    return summary, errors, len(table.rows)


def import_job_confirm(
    *,
    job: ImportJob,
    mappings: dict[str, int] | None = None,
    confirmed_by: User | None = None,
) -> ImportJob:
    """The owner agreed to the preview: remember SKU choices, queue the import.

    ``mappings`` maps an unknown marketplace SKU to one of the shop's variant ids; with new
    mappings the file is checked again first so the owner sees the new preview.
    """
    with tenant_context(job.organisation_id), transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.READY:
            raise ImportRefused(_("This import is not waiting for a confirmation."))
        if mappings:
            if job.kind == ImportKind.CATALOG:
                raise ImportRefused(_("A catalog import has no SKUs to match."))
            variants = set(
                Variant.objects.filter(pk__in=mappings.values()).values_list("pk", flat=True)
            )
            for key, variant_id in mappings.items():
                if variant_id not in variants:
                    raise ImportRefused(_("Choose one of your own variants for %s.") % key)
                MarketplaceSku.objects.update_or_create(
                    channel=job.kind,
                    external_sku=key[:200],
                    defaults={"variant_id": variant_id, "organisation_id": job.organisation_id},
                )
            _set(job, status=ImportStatus.VALIDATING)
            _enqueue("import_job_check_task", job)
            return job
        if job.kind == ImportKind.CATALOG and job.errors:
            raise ImportRefused(
                _("Fix the rows with errors and upload the file again: nothing was imported.")
            )
        if job.kind != ImportKind.CATALOG and not job.summary.get("new"):
            raise ImportRefused(_("There is no new order to import in this file."))
        _set(job, status=ImportStatus.APPLYING, confirmed_at=timezone.now(), processed_rows=0)
        _enqueue("import_job_apply_task", job)
    return job


def import_job_apply(*, job_id: int, organisation_id: int) -> ImportJob:
    """Apply a confirmed job. Safe to run again (a retried task): see the module docstring."""
    with tenant_context(organisation_id):
        job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
        if job.status != ImportStatus.APPLYING or not job.file:
            return job
        try:
            if job.kind == ImportKind.CATALOG:
                result, errors = _catalog_apply(job)
            else:
                result, errors = _orders_apply(job)
        except TableError as error:
            result, errors = {}, [{"row": None, "message": str(error)}]
        # A catalog file applies whole or not at all; an order file is done when every order
        # was tried (orders with errors are listed and the owner can import a fixed file).
        failed = bool(errors) if job.kind == ImportKind.CATALOG else not result
        _finish(
            job,
            status=ImportStatus.FAILED if failed else ImportStatus.DONE,
            errors=errors,
            summary={**job.summary, "result": result},
            processed_rows=job.total_rows,
        )
        return job


def _catalog_apply(job: ImportJob) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    table = catalog.catalog_read(_content(job), job.original_filename)
    plan = catalog.catalog_plan(table)
    if plan.errors:
        return {}, plan.errors
    counts = catalog.catalog_apply(organisation_id=job.organisation_id, plan=plan)
    return {"created": counts["create"], "updated": counts["update"]}, []


def _orders_apply(job: ImportJob) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from sinergi.commerce.imports.placing import marketplace_order_import  # noqa: PLC0415

    table = marketplace.marketplace_read(_content(job), job.original_filename, job.kind)
    orders = marketplace.marketplace_orders(table, job.kind)
    _resolve(job.kind, orders)
    result = {"created": 0, "existing": 0, "skipped": 0}
    errors: list[dict[str, Any]] = []
    processed = 0
    for order in orders:
        processed += len(order.rows)
        if order.errors:
            result["skipped"] += 1
            errors.extend(order.errors)
        else:
            outcome, problem = marketplace_order_import(
                organisation=job.organisation,
                channel=job.kind,
                order=order,
                created_by=job.created_by,
                job_id=job.pk,
            )
            result[outcome] += 1
            if problem:
                errors.append(problem)
        _set(job, processed_rows=processed)
    errors.sort(key=lambda e: e["row"] or 0)
    return result, errors


def import_job_cancel(*, job: ImportJob) -> ImportJob:
    """Drop a job that was not applied."""
    with tenant_context(job.organisation_id), transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in {ImportStatus.READY, ImportStatus.FAILED, ImportStatus.VALIDATING}:
            raise ImportRefused(_("This import has already started."))
        _finish(job, status=ImportStatus.CANCELLED)
    return job


__all__ = [
    "ImportRefused",
    "import_job_apply",
    "import_job_cancel",
    "import_job_check",
    "import_job_confirm",
    "import_job_create",
]
