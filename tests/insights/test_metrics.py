"""Every metric of the engine against the plain-Python reference over the same orders."""

from datetime import UTC, date, datetime

import pytest

from sinergi.commerce.models import Location, Order, OrderLine, Product, Variant
from sinergi.commerce.services.orders import order_changed
from sinergi.core.models import Province
from sinergi.core.tenancy import tenant_context
from sinergi.insights.engine import (
    Filters,
    basket,
    connect,
    customers,
    products,
    restock,
    sales,
    shop_load,
)
from tests.factories import OrganisationFactory
from tests.insights import reference
from tests.insights.orders import shop_generate

pytestmark = pytest.mark.django_db

START, END = date(2026, 6, 1), date(2026, 11, 27)


@pytest.fixture(params=[1, 7])
def generated(request):
    return shop_generate(OrganisationFactory(), seed=request.param, orders=400)


def _db(shop):
    return connect(shop_load(shop.organisation.pk))


@pytest.mark.parametrize(
    ("start", "end", "channel"),
    [(START, END, ""), (date(2026, 11, 1), END, "whatsapp"), (date(2025, 11, 1), END, "")],
)
def test_totals_and_comparisons(generated, start, end, channel):
    db = _db(generated)
    filters = Filters(start, end, channel)

    result = sales.sales(db, filters, "week")

    assert result["current"] == reference.totals(generated, start, end, channel)
    previous = filters.previous()
    assert result["previous"] == reference.totals(generated, previous.start, previous.end, channel)
    last_year = filters.last_year()
    assert result["last_year"] == reference.totals(
        generated, last_year.start, last_year.end, channel
    )


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_series_adds_up_per_bucket(generated, grain):
    db = _db(generated)

    series = sales.series(db, Filters(START, END), grain)

    daily = reference.daily_revenue(generated, START, END)
    for row in series:
        expected = sum(
            value for day, value in daily.items() if sales.bucket_start(day, grain) == row["bucket"]
        )
        assert row["revenue"] == expected
    assert sum(row["revenue"] for row in series) == sum(daily.values())
    assert len({row["bucket"] for row in series}) == len(series)


def test_products_abc_and_margin(generated):
    result = products.products(_db(generated), Filters(START, END))

    expected = reference.products(generated, START, END)
    assert [
        {k: row[k] for k in ("product", "revenue", "quantity", "orders", "abc", "margin")}
        for row in result
    ] == expected


def test_slow_movers(generated):
    result = products.slow_movers(_db(generated), Filters(START, END))

    assert sorted(row["variant_id"] for row in result) == reference.slow_movers(generated, END)
    for row in result:
        assert row["available"] == generated.variants[row["variant_id"]]["available"]


def test_channel_mix(generated):
    result = sales.channels(_db(generated), Filters(START, END), "month")

    assert {row["channel"]: (row["revenue"], row["orders"]) for row in result["mix"]} == (
        reference.channels(generated, START, END)
    )
    for name, values in result["trend"].items():
        assert sum(values) == reference.channels(generated, START, END)[name][0]


def test_customers_new_returning_repeat(generated):
    result = customers.customers(_db(generated), Filters(START, END))

    expected = reference.customers(generated, START, END)
    for key in (
        "customers",
        "new_customers",
        "returning_customers",
        "new_revenue",
        "repeat_customers",
        "anonymous_orders",
    ):
        assert result[key] == expected[key], key


def test_rfm_scores_and_segments(generated):
    result = customers.rfm(_db(generated), Filters(START, END))

    expected = reference.rfm(generated, START, END)
    assert {
        row["customer_key"]: (row["r"], row["f"], row["m"], row["segment"]) for row in result
    } == expected


def test_basket_pairs(generated):
    result = basket.pairs(_db(generated), Filters(START, END))

    expected = reference.pairs(generated, START, END)
    top = sorted(expected.values(), key=lambda v: -v["orders"])
    assert len(result["pairs"]) == min(len(expected), basket.LIMIT)
    assert [row["orders"] for row in result["pairs"]] == [v["orders"] for v in top][: basket.LIMIT]
    for row in result["pairs"]:
        truth = expected[frozenset((row["product_a"], row["product_b"]))]
        assert row["orders"] == truth["orders"]
        assert row["support"] == pytest.approx(truth["support"])
        assert row["lift"] == pytest.approx(truth["lift"])


def test_restock_uses_sales_and_stock(generated):
    result = restock.restock(_db(generated), Filters(START, END))

    for row in result:
        assert row["available"] == generated.variants[row["variant_id"]]["available"]
        sold = sum(
            line.quantity
            for order in generated.orders
            if order.counted and 0 <= (END - order.local_day).days < 28
            for line in order.lines
            if line.variant_id == row["variant_id"]
        )
        assert row["sold_28"] == sold
        assert row["reorder"] >= 0
        assert row["method"] in ("holt_winters", "average")


def test_shop_without_orders():
    organisation = OrganisationFactory()
    db = connect(shop_load(organisation.pk))
    filters = Filters(START, END)

    assert sales.totals(db, filters) == {
        "revenue": 0,
        "orders": 0,
        "aov": 0,
        "returned_orders": 0,
        "returned_revenue": 0,
        "cancelled_orders": 0,
    }
    assert products.products(db, filters) == []
    assert customers.customers(db, filters)["customers"] == 0
    assert basket.pairs(db, filters) == {"pairs": [], "orders": 0}
    assert restock.restock(db, filters) == []


def _one_order(organisation, placed_at, *, status="completed", quantity=2, price=10_000):
    with tenant_context(organisation.pk):
        location = Location.objects.get_or_create(
            organisation=organisation, name="Toko", defaults={"is_default": True}
        )[0]
        product = Product.objects.get_or_create(
            organisation=organisation, name="Kopi", slug="kopi"
        )[0]
        variant = Variant.objects.get_or_create(
            organisation=organisation, product=product, sku="KOPI", defaults={"price": price}
        )[0]
        order = Order.objects.create(
            organisation=organisation,
            number=f"N{Order.objects.count() + 1}",
            channel="whatsapp",
            status=status,
            location=location,
            subtotal=quantity * price,
            total=quantity * price,
            placed_at=placed_at,
        )
        OrderLine.objects.create(
            organisation=organisation,
            order=order,
            variant=variant,
            product_name="Kopi",
            quantity=quantity,
            unit_price=price,
            line_total=quantity * price,
        )
        order_changed(organisation.pk, order.pk)  # written without the services: say so
    return order


def test_one_order():
    organisation = OrganisationFactory()
    _one_order(organisation, datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    db = connect(shop_load(organisation.pk))

    result = sales.sales(db, Filters(date(2026, 11, 1), END), "day")

    assert result["current"]["orders"] == 1
    assert result["current"]["revenue"] == 20_000
    assert result["current"]["aov"] == 20_000
    assert result["previous"]["orders"] == 0
    assert [row["revenue"] for row in result["series"] if row["revenue"]] == [20_000]
    assert products.products(db, Filters(date(2026, 11, 1), END))[0]["abc"] == "A"


def test_cancelled_and_returned_orders_do_not_count():
    organisation = OrganisationFactory()
    _one_order(organisation, datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    _one_order(organisation, datetime(2026, 11, 21, 3, 0, tzinfo=UTC), status="cancelled")
    _one_order(
        organisation, datetime(2026, 11, 22, 3, 0, tzinfo=UTC), status="returned", quantity=5
    )
    db = connect(shop_load(organisation.pk))
    filters = Filters(date(2026, 11, 1), END)

    totals = sales.totals(db, filters)

    assert (totals["revenue"], totals["orders"]) == (20_000, 1)
    assert (totals["returned_orders"], totals["returned_revenue"]) == (1, 50_000)
    assert totals["cancelled_orders"] == 1
    assert products.products(db, filters)[0]["quantity"] == 2


def test_an_order_at_23_30_wib_belongs_to_that_day():
    organisation = OrganisationFactory()
    # 23:30 WIB on 20 November is 16:30 UTC; 00:10 WIB on the 21st is 17:10 UTC on the 20th.
    _one_order(organisation, datetime(2026, 11, 20, 16, 30, tzinfo=UTC))
    _one_order(organisation, datetime(2026, 11, 20, 17, 10, tzinfo=UTC), price=1_000)
    db = connect(shop_load(organisation.pk))

    series = sales.series(db, Filters(date(2026, 11, 20), date(2026, 11, 21)), "day")

    assert [(row["bucket"], row["revenue"]) for row in series] == [
        (date(2026, 11, 20), 20_000),
        (date(2026, 11, 21), 2_000),
    ]


def test_a_shop_in_wita_counts_days_in_wita():
    province = Province.objects.filter(time_zone="Asia/Makassar").first()
    assert province is not None
    organisation = OrganisationFactory(province=province)
    # 23:30 WITA on 20 November is 15:30 UTC; 16:30 UTC is already the 21st in WITA.
    _one_order(organisation, datetime(2026, 11, 20, 15, 30, tzinfo=UTC))
    _one_order(organisation, datetime(2026, 11, 20, 16, 30, tzinfo=UTC), price=1_000)
    data = shop_load(organisation.pk)
    db = connect(data)

    series = sales.series(db, Filters(date(2026, 11, 20), date(2026, 11, 21)), "day")

    assert data.time_zone == "Asia/Makassar"
    assert [row["revenue"] for row in series] == [20_000, 2_000]
