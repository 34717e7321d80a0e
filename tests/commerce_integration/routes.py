"""Tenant-data routes of the commerce imports and API-token pages, for the other-tenant harness.

Kept apart from tests/commerce/routes.py (owned by the commerce pages) so that both can grow
without editing each other's file; the harness discovers every tests/*/routes.py.
"""

from typing import Any

from sinergi.accounts.models import Organisation
from sinergi.commerce.imports import jobs
from sinergi.commerce.tokens import api_token_create
from tests.commerce.imports_support import fixture_bytes, upload
from tests.tenancy import tenant_route


def _job(organisation: Organisation) -> dict[str, Any]:
    job = jobs.import_job_create(
        organisation=organisation,
        kind="catalog",
        upload=upload("catalog.csv", fixture_bytes("catalog.csv")),
        created_by=None,
    )
    jobs.import_job_check(job_id=job.pk, organisation_id=organisation.pk)
    return {"pk": job.pk}


def _token(organisation: Organisation) -> dict[str, Any]:
    token, _plain = api_token_create(organisation=organisation, name="x", created_by=None)
    return {"pk": token.pk}


tenant_route("commerce:import_detail", _job)
tenant_route("commerce:import_progress", _job)
tenant_route("commerce:import_confirm", _job, methods=("post",))
tenant_route("commerce:import_cancel", _job, methods=("post",))
tenant_route("commerce:token_revoke", _token, methods=("post",))
