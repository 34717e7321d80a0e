"""Reads: availability, low stock, order lists, balances and the ledger check."""

from sinergi.accounts.models import Organisation
from sinergi.commerce.models import Channel, StockBalance
from sinergi.commerce.selectors import (
    availability,
    customers_list,
    ledger_breaks,
    low_stock_variants,
    order_detail,
    orders_list,
    orders_owing,
    products_for_catalog,
    stock_balances,
    variants_with_stock,
)
from sinergi.commerce.services.orders import order_cancel, order_place
from sinergi.commerce.services.stock import location_create, stock_receive, stock_transfer
from tests.commerce.conftest import MakeVariant


def test_availability_counts_what_open_orders_hold(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    kopi, teh, kosong = make_variant(stock=10), make_variant(stock=4), make_variant()
    order_place(organisation=in_shop, channel=Channel.STOREFRONT, lines=[(kopi.pk, 3)])

    assert availability(organisation=in_shop, variant_ids=[kopi.pk, teh.pk, kosong.pk]) == {
        kopi.pk: 7,
        teh.pk: 4,
        kosong.pk: 0,
    }


def test_low_stock_lists_variants_at_or_below_their_threshold(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    plenty = make_variant(name="Kopi", stock=20, threshold=5)
    at_threshold = make_variant(name="Teh", stock=5, threshold=5)
    reserved_away = make_variant(name="Gula", stock=8, threshold=2)
    never_stocked = make_variant(name="Susu", threshold=2)
    archived = make_variant(name="Lama", stock=1)
    archived.product.is_active = False
    archived.product.save()
    order_place(organisation=in_shop, channel=Channel.WHATSAPP, lines=[(reserved_away.pk, 7)])

    low = list(low_stock_variants(organisation=in_shop))

    assert [(v.product.name, v.available) for v in low] == [
        ("Susu", 0),
        ("Gula", 1),
        ("Teh", 5),
    ]
    assert plenty not in low
    assert at_threshold in low
    assert never_stocked in low


def test_stock_across_locations(in_shop: Organisation, make_variant: MakeVariant) -> None:
    variant = make_variant(stock=9)
    warehouse = location_create(organisation=in_shop, name="Gudang")
    stock_transfer(
        organisation=in_shop,
        variant=variant,
        quantity=4,
        source=StockBalance.objects.get().location,
        destination=warehouse,
    )

    annotated = variants_with_stock(organisation=in_shop).get(pk=variant.pk)
    in_warehouse = variants_with_stock(organisation=in_shop, location=warehouse).get(pk=variant.pk)

    assert (annotated.stock_on_hand, annotated.available) == (9, 9)
    assert in_warehouse.available == 4
    assert availability(organisation=in_shop, variant_ids=[variant.pk]) == {variant.pk: 5}
    assert len(stock_balances(organisation=in_shop, variant=variant)) == 2


def test_order_lists_filter_and_search(in_shop: Organisation, make_variant: MakeVariant) -> None:
    variant = make_variant(stock=10)
    wa = order_place(
        organisation=in_shop,
        channel=Channel.WHATSAPP,
        lines=[(variant.pk, 1)],
        customer_name="Dewi Lestari",
        customer_phone="0811 222 3333",
    )
    shopee = order_place(
        organisation=in_shop, channel=Channel.SHOPEE, lines=[(variant.pk, 1)], external_id="SP-1"
    )
    order_cancel(organisation=in_shop, order=shopee)

    assert list(orders_list(organisation=in_shop, channel=Channel.WHATSAPP)) == [wa]
    assert list(orders_list(organisation=in_shop, status="cancelled")) == [shopee]
    assert list(orders_list(organisation=in_shop, search="dewi")) == [wa]
    assert list(orders_list(organisation=in_shop, search="SP-1")) == [shopee]
    assert list(orders_list(organisation=in_shop, search="2223333")) == [wa]
    detail = order_detail(organisation=in_shop, pk=wa.pk)
    assert [line.quantity for line in detail.lines.all()] == [1]
    assert list(orders_owing(organisation=in_shop)) == []
    (dewi,) = customers_list(organisation=in_shop, search="Dewi")
    assert (dewi.order_count, dewi.spent) == (1, wa.total)


def test_the_catalog_read_prefetches(
    in_shop: Organisation, make_variant: MakeVariant, django_assert_max_num_queries: object
) -> None:
    for index in range(5):
        make_variant(name=f"Produk {index}")

    with django_assert_max_num_queries(3):  # type: ignore[operator]
        products = list(products_for_catalog(organisation=in_shop, active_only=True))
        assert sum(len(p.variants.all()) + len(p.photos.all()) for p in products) == 5


def test_the_ledger_check_finds_a_tampered_balance(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant()
    stock_receive(organisation=in_shop, variant=variant, quantity=5)
    assert ledger_breaks(organisation=in_shop) == []

    StockBalance.objects.filter(variant=variant).update(on_hand=6)

    (found,) = ledger_breaks(organisation=in_shop)
    assert "ledger 5/0" in found.detail
