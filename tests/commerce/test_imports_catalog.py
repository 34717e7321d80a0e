"""Catalog import and export: preview, row errors, all-or-nothing apply, round trip."""

import pytest
from django.utils import translation

from sinergi.commerce.imports import catalog, jobs
from sinergi.commerce.models import ImportJob, Product, Variant
from sinergi.commerce.models.integration import ImportStatus
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.imports_support import csv_to_xlsx, fixture_bytes, job_run, upload

pytestmark = pytest.mark.django_db


def _catalog(shop):
    with tenant_context(shop.pk):
        return sorted(
            (v.product.name, v.sku, v.name, v.price, v.cost_price, v.is_active)
            for v in Variant.objects.select_related("product")
        )


def test_preview_lists_what_would_be_created_and_changes_nothing(shop):
    job = jobs.import_job_create(
        organisation=shop,
        kind="catalog",
        upload=upload("c.csv", fixture_bytes("catalog.csv")),
        created_by=None,
    )
    jobs.import_job_check(job_id=job.pk, organisation_id=shop.pk)

    with tenant_context(shop.pk):
        job.refresh_from_db()
        assert Product.objects.count() == 0
    assert job.status == ImportStatus.READY
    assert job.errors == []
    assert job.summary["counts"] == {"create": 3, "update": 0, "unchanged": 0}
    assert [r["sku"] for r in job.summary["preview"]] == ["KMJ-M", "KMJ-L", "TAS-01"]
    assert job.total_rows == 3


@pytest.mark.parametrize("name", ["catalog.csv", "catalog.xlsx"])
def test_import_creates_products_variants_and_categories(shop, name):
    content = fixture_bytes("catalog.csv")
    if name.endswith(".xlsx"):
        content = csv_to_xlsx(content)

    job = job_run(shop, "catalog", name, content)

    assert job.status == ImportStatus.DONE
    assert job.summary["result"] == {"created": 3, "updated": 0}
    assert _catalog(shop) == [
        ("Kemeja Batik Parang", "KMJ-L", "L", 150000, 90000, True),
        ("Kemeja Batik Parang", "KMJ-M", "M", 150000, 90000, True),
        ("Tas Anyaman Pandan", "TAS-01", "", 85000, None, True),
    ]
    with tenant_context(shop.pk):
        assert Product.objects.get(name="Tas Anyaman Pandan").category.name == "Tas"


def test_existing_skus_are_updated_and_reimport_changes_nothing(shop):
    variant_make(shop, name="Kemeja Batik Parang", variant="M", sku="KMJ-M", price=100000)
    job = job_run(shop, "catalog", "c.csv", fixture_bytes("catalog.csv"))
    assert job.summary["counts"] == {"create": 2, "update": 1, "unchanged": 0}
    before = _catalog(shop)

    again = job_run(shop, "catalog", "c.csv", fixture_bytes("catalog.csv"), confirm=False)

    assert again.summary["counts"] == {"create": 0, "update": 0, "unchanged": 3}
    assert _catalog(shop) == before
    assert ("Kemeja Batik Parang", "KMJ-M", "M", 150000, 90000, True) in before


def test_row_errors_name_the_row_and_nothing_is_applied(shop):
    bad = (
        fixture_bytes("catalog.csv").decode()
        + "Sarung Tenun,KMJ-M,,50000,,,,,,\n"  # duplicate SKU (row 5)
        + ",NO-NAME,,1000,,,,,,\n"  # no product name (row 6)
        + "Peci,PECI-1,,murah,,,,maybe,,\n"  # bad price and bad yes/no (row 7)
    ).encode()
    job = job_run(shop, "catalog", "c.csv", bad, confirm=False)

    assert job.status == ImportStatus.READY
    assert job.errors == [
        {"row": 5, "message": "SKU KMJ-M is already on row 2."},
        {"row": 6, "message": "Product is empty."},
        {"row": 7, "message": 'Price: "murah" is not an amount in rupiah.'},
        {"row": 7, "message": 'Product on sale: "maybe" is not yes or no.'},
    ]
    with pytest.raises(jobs.ImportRefused, match="nothing was imported"):
        jobs.import_job_confirm(job=job)
    assert _catalog(shop) == []


def test_export_then_import_is_a_round_trip(shop):
    job_run(shop, "catalog", "c.csv", fixture_bytes("catalog.csv"))
    with tenant_context(shop.pk):
        rows = catalog.catalog_rows()
    assert rows[0][:4] == ["Product", "SKU", "Variant", "Price"]
    assert rows[1][:4] == ["Kemeja Batik Parang", "KMJ-M", "M", 150000]
    with tenant_context(shop.pk), translation.override("id"):
        rows_id = catalog.catalog_rows()
    assert rows_id[0][:4] == ["Produk", "Kode SKU", "Varian", "Harga"]
    assert {row[7] for row in rows_id[1:]} <= {"ya", "tidak"}

    for content, name in [
        (catalog.catalog_csv(rows), "e.csv"),
        (catalog.catalog_xlsx(rows), "e.xlsx"),
        (catalog.catalog_csv(rows_id), "e-id.csv"),
        (catalog.catalog_xlsx(rows_id), "e-id.xlsx"),
    ]:
        again = job_run(shop, "catalog", name, content, confirm=False)
        assert again.errors == []
        assert again.summary["counts"] == {"create": 0, "update": 0, "unchanged": 3}


def test_a_file_that_is_not_a_table_fails_with_a_message(shop):
    job = job_run(shop, "catalog", "c.csv", b"hello\nworld\n", confirm=False)
    assert job.status == ImportStatus.FAILED
    assert "No header row" in job.errors[0]["message"]


def test_the_job_belongs_to_its_shop(shop):
    job = job_run(shop, "catalog", "c.csv", fixture_bytes("catalog.csv"), confirm=False)
    with tenant_context(shop.pk + 1000):
        assert not ImportJob.objects.filter(pk=job.pk).exists()
