"""Marketplace order imports: SKU mapping, statuses, bad rows, and importing twice."""

import pytest
from django.core.files.base import ContentFile

from sinergi.commerce.imports import jobs
from sinergi.commerce.models import MarketplaceSku, Order, StockBalance, StockMovement
from sinergi.commerce.models.integration import ImportStatus
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.imports_support import csv_to_xlsx, fixture_bytes, job_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def kemeja(shop):
    return {
        "M": variant_make(shop, name="Kemeja Batik Parang", variant="M", sku="KMJ-M", stock=10),
        "L": variant_make(shop, name="Kemeja Batik L", variant="L", sku="KMJ-L", stock=10),
    }


def _orders(shop, channel):
    with tenant_context(shop.pk):
        return {
            o.external_id: (
                o.status,
                o.total,
                [(ln.sku, ln.quantity, ln.unit_price) for ln in o.lines.all()],
            )
            for o in Order.objects.filter(channel=channel).prefetch_related("lines")
        }


def _ledger(shop):
    with tenant_context(shop.pk):
        return (
            StockMovement.objects.count(),
            sorted(StockBalance.objects.values_list("variant__sku", "on_hand", "reserved")),
        )


def test_shopee_preview_counts_orders_and_lists_unknown_skus(shop, kemeja):
    job = job_run(
        shop, "shopee", "Order.all.csv", fixture_bytes("shopee_orders.csv"), confirm=False
    )

    assert job.status == ImportStatus.READY
    assert {k: job.summary[k] for k in ("orders", "new", "existing", "with_errors")} == {
        "orders": 5,
        "new": 3,
        "existing": 0,
        "with_errors": 2,
    }
    assert job.summary["unknown"] == [
        {"key": "SHP-TAS-01", "product": "Tas Anyaman Pandan", "variant": "", "rows": [6]}
    ]
    assert [(e["row"], e["message"]) for e in job.errors] == [
        (6, 'SKU "SHP-TAS-01" is not in your catalog: choose its variant below.'),
        (8, 'Jumlah: "dua" is not a whole number above zero.'),
    ]
    assert _orders(shop, "shopee") == {}


def test_shopee_import_creates_good_orders_with_marketplace_prices_and_statuses(shop, kemeja):
    job = job_run(shop, "shopee", "Order.all.csv", fixture_bytes("shopee_orders.csv"))

    assert job.status == ImportStatus.DONE
    assert job.summary["result"] == {"created": 3, "existing": 0, "skipped": 2}
    assert _orders(shop, "shopee") == {
        "240101ABCD01": ("completed", 445000, [("KMJ-M", 2, 145000), ("KMJ-L", 1, 145000)]),
        "240101ABCD02": ("paid", 162000, [("KMJ-M", 1, 150000)]),
        "240101ABCD03": ("cancelled", 150000, [("KMJ-L", 1, 150000)]),
    }
    # The bad order (row 8) was not half-created: none of its rows is in.
    assert "240101ABCD05" not in _orders(shop, "shopee")
    assert [e["row"] for e in job.errors] == [6, 8]
    with tenant_context(shop.pk):
        balances = dict(StockBalance.objects.values_list("variant__sku", "on_hand"))
        reserved = dict(StockBalance.objects.values_list("variant__sku", "reserved"))
        completed = Order.objects.get(external_id="240101ABCD01")
    assert balances == {"KMJ-M": 8, "KMJ-L": 9}  # completed order shipped: stock left
    assert reserved == {"KMJ-M": 1, "KMJ-L": 0}  # the paid order holds one; cancel released
    assert completed.amount_paid == completed.total == 445000


def test_importing_the_same_file_again_changes_nothing(shop, kemeja):
    job_run(shop, "shopee", "a.csv", fixture_bytes("shopee_orders.csv"))
    orders, ledger = _orders(shop, "shopee"), _ledger(shop)

    again = job_run(shop, "shopee", "a.csv", fixture_bytes("shopee_orders.csv"), confirm=False)
    assert again.summary["new"] == 0
    assert again.summary["existing"] == 3
    with pytest.raises(jobs.ImportRefused, match="no new order"):
        jobs.import_job_confirm(job=again)

    assert _orders(shop, "shopee") == orders
    assert _ledger(shop) == ledger


def test_applying_the_same_job_twice_places_each_order_once(shop, kemeja):
    job = job_run(shop, "shopee", "a.csv", fixture_bytes("shopee_orders.csv"))
    orders, ledger = _orders(shop, "shopee"), _ledger(shop)
    # A retried task (worker died after applying): the job is done, nothing happens.
    jobs.import_job_apply(job_id=job.pk, organisation_id=shop.pk)
    # Even forced back into "applying" (with its upload, deleted when it was done), orders
    # are found by their marketplace number.
    with tenant_context(shop.pk):
        job.file.save("a.csv", ContentFile(fixture_bytes("shopee_orders.csv")), save=False)
        type(job).objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING, file=job.file)
    jobs.import_job_apply(job_id=job.pk, organisation_id=shop.pk)

    assert _orders(shop, "shopee") == orders
    assert _ledger(shop) == ledger


def test_mapping_an_unknown_sku_is_remembered_for_the_next_file(shop, kemeja):
    tas = variant_make(shop, name="Tas Pandan", sku="TAS-01", price=85000, stock=5)

    job = job_run(
        shop, "shopee", "a.csv", fixture_bytes("shopee_orders.csv"), mappings={"SHP-TAS-01": tas.pk}
    )

    assert job.summary["result"]["created"] == 4
    assert _orders(shop, "shopee")["240101ABCD04"] == ("completed", 94000, [("TAS-01", 1, 85000)])
    with tenant_context(shop.pk):
        assert MarketplaceSku.objects.get(external_sku="SHP-TAS-01").variant_id == tas.pk
    next_file = job_run(shop, "shopee", "b.csv", fixture_bytes("shopee_orders.csv"), confirm=False)
    assert next_file.summary["unknown"] == []


def test_mapping_to_another_shops_variant_is_refused(shop, kemeja):
    from tests.factories import OrganisationFactory  # noqa: PLC0415

    other = variant_make(OrganisationFactory(), sku="OTHER-1")
    job = job_run(shop, "shopee", "a.csv", fixture_bytes("shopee_orders.csv"), confirm=False)
    with pytest.raises(jobs.ImportRefused, match="your own variants"):
        jobs.import_job_confirm(job=job, mappings={"SHP-TAS-01": other.pk})
    with tenant_context(shop.pk):
        assert not MarketplaceSku.objects.exists()


def test_sold_out_order_is_reported_and_the_others_are_created(shop):
    variant_make(shop, name="Kemeja", variant="M", sku="KMJ-M", stock=1)
    variant_make(shop, name="Kemeja", variant="L", sku="KMJ-L", stock=10)

    job = job_run(shop, "shopee", "a.csv", fixture_bytes("shopee_orders.csv"))

    created = _orders(shop, "shopee")
    assert "240101ABCD01" not in created  # wants 2 of KMJ-M, only 1 in stock
    assert set(created) == {"240101ABCD02", "240101ABCD03"}
    assert {"row": 2, "message": "Only 1 of Kemeja — M left (you asked for 2)."} in job.errors


@pytest.mark.parametrize("as_xlsx", [False, True])
def test_tokopedia_import(shop, kemeja, as_xlsx):
    content = fixture_bytes("tokopedia_orders.csv")
    name = "laporan.csv"
    if as_xlsx:
        content, name = csv_to_xlsx(content), "laporan.xlsx"

    job = job_run(shop, "tokopedia", name, content)

    assert job.errors == []
    assert _orders(shop, "tokopedia") == {
        "INV/20240102/MPL/3600000001": ("completed", 140000, [("KMJ-M", 1, 140000)]),
        "INV/20240103/MPL/3600000002": (
            "shipped",
            450000,
            [("KMJ-L", 2, 150000), ("KMJ-M", 1, 150000)],
        ),
    }


def test_tiktok_shop_import(shop, kemeja):
    job = job_run(shop, "tiktok_shop", "orders.csv", fixture_bytes("tiktok_orders.csv"))

    assert job.errors == []
    assert _orders(shop, "tiktok_shop") == {
        "576461234567890001": ("completed", 290000, [("KMJ-M", 2, 145000)]),
        "576461234567890002": ("paid", 165000, [("KMJ-L", 1, 150000)]),
    }
    with tenant_context(shop.pk):
        order = Order.objects.get(external_id="576461234567890001")
    assert order.customer_phone == "+6281355556666"
    assert order.placed_at.isoformat() == "2024-02-01T03:15:30+00:00"
