"""The same marketplace file imported by two jobs at the same moment yields one set of orders.

Only meaningful on PostgreSQL (SQLite serialises writers); skipped elsewhere.
"""

from __future__ import annotations

import pytest
from django.db import connection

from sinergi.commerce.imports import jobs
from sinergi.commerce.models import ImportJob, Order, StockBalance, StockMovement
from sinergi.commerce.models.integration import ImportStatus
from sinergi.commerce.selectors import ledger_breaks
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.imports_support import fixture_bytes, upload
from tests.concurrency import run_together
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
IMPORTERS = 4


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is only meaningful on PostgreSQL (SQLite serialises writers)")


@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_concurrently_yields_one_set_of_orders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The tasks would run in-line at commit here; the test runs the steps itself.
    monkeypatch.setattr(jobs, "_enqueue", lambda task_name, job: None)
    shop = OrganisationFactory()
    variant_make(shop, name="Kemeja", variant="M", sku="KMJ-M", stock=20)
    variant_make(shop, name="Kemeja", variant="L", sku="KMJ-L", stock=20)
    job_ids = []
    for _ in range(IMPORTERS):
        job = jobs.import_job_create(
            organisation=shop,
            kind="shopee",
            upload=upload("orders.csv", fixture_bytes("shopee_orders.csv")),
            created_by=None,
        )
        jobs.import_job_check(job_id=job.pk, organisation_id=shop.pk)
        with tenant_context(shop.pk):
            job.refresh_from_db()
        jobs.import_job_confirm(job=job)
        job_ids.append(job.pk)

    def apply(job_id: int) -> dict[str, int]:
        return jobs.import_job_apply(job_id=job_id, organisation_id=shop.pk).summary["result"]

    results = run_together(apply, job_ids)

    with tenant_context(shop.pk):
        orders = sorted(Order.objects.values_list("external_id", "status"))
        statuses = set(ImportJob.objects.values_list("status", flat=True))
        balances = sorted(StockBalance.objects.values_list("variant__sku", "on_hand", "reserved"))
        reservations = StockMovement.objects.filter(kind="reservation").count()
        breaks = ledger_breaks(organisation=shop)
    assert orders == [
        ("240101ABCD01", "completed"),
        ("240101ABCD02", "paid"),
        ("240101ABCD03", "cancelled"),
    ]
    assert sum(r["created"] for r in results) == 3
    assert sum(r["created"] + r["existing"] for r in results) == 3 * IMPORTERS
    assert statuses == {ImportStatus.DONE}
    assert balances == [("KMJ-L", 19, 0), ("KMJ-M", 18, 1)]
    assert reservations == 4  # one per line of the three orders, never doubled
    assert breaks == []
