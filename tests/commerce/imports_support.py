"""Helpers of the import tests: sample files (as CSV or converted to XLSX) and running a job."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sinergi.accounts.models import Organisation, User
from sinergi.commerce.imports import jobs
from sinergi.commerce.models import ImportJob
from sinergi.core.tenancy import tenant_context

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def csv_to_xlsx(content: bytes) -> bytes:
    """The same table as a workbook; numbers that look like numbers become numbers."""
    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        sheet.append([int(cell) if cell.isdigit() and len(cell) < 12 else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def job_run(
    organisation: Organisation,
    kind: str,
    filename: str,
    content: bytes,
    *,
    user: User | None = None,
    mappings: dict[str, int] | None = None,
    confirm: bool = True,
) -> ImportJob:
    """Upload, check, (map), confirm and apply — the tasks run in-line as they would queued."""
    job = jobs.import_job_create(
        organisation=organisation, kind=kind, upload=upload(filename, content), created_by=user
    )
    jobs.import_job_check(job_id=job.pk, organisation_id=organisation.pk)
    if mappings:
        with tenant_context(organisation.pk):
            job.refresh_from_db()
        jobs.import_job_confirm(job=job, mappings=mappings)
        jobs.import_job_check(job_id=job.pk, organisation_id=organisation.pk)
    if confirm:
        with tenant_context(organisation.pk):
            job.refresh_from_db()
        jobs.import_job_confirm(job=job)
        jobs.import_job_apply(job_id=job.pk, organisation_id=organisation.pk)
    with tenant_context(organisation.pk):
        job.refresh_from_db()
    return job
