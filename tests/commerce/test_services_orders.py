"""Placing orders, taking payments, and every status step with its stock effect."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sinergi.accounts.models import Organisation
from sinergi.commerce.models import (
    Channel,
    Customer,
    MovementKind,
    Order,
    OrderStatus,
    Payment,
    StockBalance,
    StockMovement,
    Variant,
)
from sinergi.commerce.selectors import debts, ledger_breaks
from sinergi.commerce.services.errors import InvalidInput, InvalidTransition, SoldOut
from sinergi.commerce.services.orders import (
    order_cancel,
    order_complete,
    order_credit_set,
    order_pack,
    order_place,
    order_return,
    order_ship,
    payment_record,
)
from tests.commerce.conftest import MakeVariant, variant_make
from tests.factories import OrganisationFactory

JAKARTA = ZoneInfo("Asia/Jakarta")


def _stock(variant: Variant) -> tuple[int, int]:
    balance = StockBalance.objects.get(variant=variant)
    return balance.on_hand, balance.reserved


@pytest.fixture
def shirt(make_variant: MakeVariant) -> Variant:
    return make_variant(
        name="Kemeja Batik Parang", variant="L", price=185_000, cost=110_000, stock=10
    )


@pytest.fixture
def chips(make_variant: MakeVariant) -> Variant:
    return make_variant(name="Keripik Tempe", price=12_500, cost=None, stock=50)


def _place(shop: Organisation, *lines: tuple[int, int], **kwargs: object) -> Order:
    kwargs.setdefault("channel", Channel.WHATSAPP)
    return order_place(organisation=shop, lines=list(lines), **kwargs)  # type: ignore[arg-type]


def test_placing_an_order_prices_the_lines_and_reserves_stock(
    in_shop: Organisation, shirt: Variant, chips: Variant
) -> None:
    order = _place(
        in_shop,
        (shirt.pk, 2),
        (chips.pk, 3),
        (shirt.pk, 1),
        customer_name="Siti Aminah",
        customer_phone="0812 3456 7890",
        address="Jl. Kenanga 5, Solo",
        delivery_note="Pagar hijau",
        shipping_fee=15_000,
        discount=10_000,
        payment_method="qris",
    )

    lines = {line.sku: line for line in order.lines.all()}
    assert (lines[shirt.sku].quantity, lines[shirt.sku].unit_price) == (3, 185_000)
    assert (lines[shirt.sku].product_name, lines[shirt.sku].variant_name) == (
        "Kemeja Batik Parang",
        "L",
    )
    assert lines[shirt.sku].unit_cost == 110_000
    assert lines[chips.sku].line_total == 37_500
    assert order.subtotal == 3 * 185_000 + 37_500
    assert order.total == 3 * 185_000 + 37_500 + 15_000 - 10_000
    assert (order.status, order.amount_paid, order.customer_phone) == (
        "placed",
        0,
        "+6281234567890",
    )
    assert _stock(shirt) == (10, 3)
    assert _stock(chips) == (50, 3)
    assert set(StockMovement.objects.filter(order=order).values_list("kind", "reserved_delta")) == {
        ("reservation", 3)
    }
    assert ledger_breaks(organisation=in_shop) == []


def test_the_price_is_the_one_at_placement(in_shop: Organisation, shirt: Variant) -> None:
    order = _place(in_shop, (shirt.pk, 1))
    Variant.objects.filter(pk=shirt.pk).update(price=200_000)

    assert order.lines.get().unit_price == 185_000


def test_a_marketplace_line_may_carry_its_own_price(in_shop: Organisation, shirt: Variant) -> None:
    order = _place(in_shop, (shirt.pk, 2, 170_000), channel=Channel.SHOPEE, external_id="A1")

    assert (order.subtotal, order.lines.get().unit_price) == (340_000, 170_000)


def test_order_numbers_count_up_per_shop_and_year(in_shop: Organisation, chips: Variant) -> None:
    march = datetime(2026, 3, 2, 10, tzinfo=JAKARTA)
    numbers = [_place(in_shop, (chips.pk, 1), placed_at=march).number for _ in range(3)]
    other = OrganisationFactory()
    other_chips = variant_make(other, stock=5)
    other_number = order_place(
        organisation=other, channel=Channel.WALK_IN, lines=[(other_chips.pk, 1)], placed_at=march
    ).number
    new_year = _place(in_shop, (chips.pk, 1), placed_at=datetime(2027, 1, 1, 0, 5, tzinfo=JAKARTA))

    assert numbers == ["SO-2026-000001", "SO-2026-000002", "SO-2026-000003"]
    assert other_number == "SO-2026-000001"
    assert new_year.number == "SO-2027-000001"
    # Each placement stamped its order with the shop's next revision, whether the number and
    # the revision came in one statement or (a first order of the year) in two.
    assert list(Order.objects.order_by("pk").values_list("revision", flat=True)) == [1, 2, 3, 4]


def test_a_sold_out_order_names_the_variant_and_keeps_nothing(
    in_shop: Organisation, shirt: Variant, chips: Variant
) -> None:
    with pytest.raises(SoldOut) as refused:
        _place(in_shop, (chips.pk, 2), (shirt.pk, 11), customer_phone="081299998888")

    assert refused.value.variant_name == "Kemeja Batik Parang — L"
    assert (refused.value.available, refused.value.requested) == (10, 11)
    assert str(refused.value) == "Only 10 of Kemeja Batik Parang — L left (you asked for 11)."
    assert not Order.objects.exists()
    assert not Customer.objects.exists()
    assert _stock(chips) == (50, 0)
    assert _stock(shirt) == (10, 0)


def test_a_variant_never_stocked_is_sold_out(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    empty = make_variant(name="Tas Rotan")

    with pytest.raises(SoldOut, match="Tas Rotan is sold out"):
        _place(in_shop, (empty.pk, 1))


@pytest.mark.parametrize(
    ("lines", "fields"),
    [
        ([], {}),
        ([(999_999, 1)], {}),
        ([("x", 1)], {}),
        (None, {"channel": "pigeon"}),
        (None, {"payment_method": "gold"}),
        (None, {"shipping_fee": -1}),
        (None, {"discount": 10_000_000}),
        (None, {"customer_phone": "12"}),
        (None, {"external_id": "x" * 101}),
    ],
)
def test_bad_orders_are_refused_and_change_nothing(
    in_shop: Organisation, chips: Variant, lines: list | None, fields: dict
) -> None:
    fields.setdefault("channel", Channel.WHATSAPP)
    with pytest.raises(InvalidInput):
        order_place(
            organisation=in_shop, lines=[(chips.pk, 1)] if lines is None else lines, **fields
        )

    assert not Order.objects.exists()
    assert _stock(chips) == (50, 0)


@pytest.mark.parametrize("quantity", [0, -1, 1.5, True])
def test_a_quantity_must_be_a_positive_whole_number(
    in_shop: Organisation, chips: Variant, quantity: object
) -> None:
    with pytest.raises(InvalidInput, match="Line 1"):
        _place(in_shop, (chips.pk, quantity))  # type: ignore[arg-type]


def test_an_archived_product_cannot_be_ordered(in_shop: Organisation, chips: Variant) -> None:
    chips.product.is_active = False
    chips.product.save()

    with pytest.raises(InvalidInput, match="no longer on sale"):
        _place(in_shop, (chips.pk, 1))


def test_another_shops_variant_is_unknown(in_shop: Organisation) -> None:
    foreign = variant_make(OrganisationFactory(), stock=3)

    with pytest.raises(InvalidInput, match="Unknown product"):
        _place(in_shop, (foreign.pk, 1))


def test_the_same_external_order_twice_is_one_order(in_shop: Organisation, chips: Variant) -> None:
    first = _place(in_shop, (chips.pk, 4), channel=Channel.SHOPEE, external_id=" 2603ABC ")
    again = _place(in_shop, (chips.pk, 4), channel=Channel.SHOPEE, external_id="2603ABC")
    tokopedia = _place(in_shop, (chips.pk, 4), channel=Channel.TOKOPEDIA, external_id="2603ABC")

    assert again.pk == first.pk
    assert tokopedia.pk != first.pk
    assert first.external_id == "2603ABC"
    assert _stock(chips) == (50, 8)


def test_customers_are_recognised_by_phone(in_shop: Organisation, chips: Variant) -> None:
    first = _place(in_shop, (chips.pk, 1), customer_name="Bu Ani", customer_phone="0812-1111-2222")
    second = _place(
        in_shop,
        (chips.pk, 1),
        customer_name="Ani Lestari",
        customer_phone="+62 812 1111 2222",
        address="Jl. Melati 3",
    )
    anonymous = _place(in_shop, (chips.pk, 1), customer_name="Pembeli")

    assert first.customer_id == second.customer_id
    customer = Customer.objects.get()
    assert (customer.name, customer.phone, customer.address) == (
        "Ani Lestari",
        "+6281211112222",
        "Jl. Melati 3",
    )
    assert anonymous.customer is None


def test_the_happy_path_moves_stock_at_each_step(in_shop: Organisation, shirt: Variant) -> None:
    order = _place(in_shop, (shirt.pk, 2))
    payment_record(organisation=in_shop, order=order, method="bank_transfer", amount=order.total)
    assert (order.status, order.amount_paid, order.payment_method) == (
        "paid",
        370_000,
        "bank_transfer",
    )
    assert order.paid_at is not None

    order_pack(organisation=in_shop, order=order)
    assert (order.status, _stock(shirt)) == ("packed", (10, 2))

    order_ship(organisation=in_shop, order=order)
    assert (order.status, _stock(shirt)) == ("shipped", (8, 0))

    order_complete(organisation=in_shop, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.completed_at is not None
    assert list(
        StockMovement.objects.filter(order=order)
        .order_by("pk")
        .values_list("kind", "on_hand_delta", "reserved_delta")
    ) == [("reservation", 0, 2), ("sale", -2, -2)]
    assert ledger_breaks(organisation=in_shop) == []


def test_a_walk_in_sale_is_completed_on_the_spot(in_shop: Organisation, chips: Variant) -> None:
    order = _place(in_shop, (chips.pk, 5), channel=Channel.WALK_IN)
    payment_record(organisation=in_shop, order=order, method="cash", amount=order.total)

    order_complete(organisation=in_shop, order=order)

    assert order.status == OrderStatus.COMPLETED
    assert _stock(chips) == (45, 0)


def test_cancelling_releases_the_reservation(in_shop: Organisation, shirt: Variant) -> None:
    order = _place(in_shop, (shirt.pk, 4))

    order_cancel(organisation=in_shop, order=order)

    assert (order.status, _stock(shirt)) == ("cancelled", (10, 0))
    with pytest.raises(InvalidTransition, match="is cancelled: it cannot be shipped"):
        order_ship(organisation=in_shop, order=Order.objects.get(pk=order.pk))
    with pytest.raises(InvalidTransition):
        order_cancel(organisation=in_shop, order=Order.objects.get(pk=order.pk))
    assert _stock(shirt) == (10, 0)
    assert ledger_breaks(organisation=in_shop) == []


def test_a_return_puts_the_goods_back(in_shop: Organisation, shirt: Variant) -> None:
    order = _place(in_shop, (shirt.pk, 3))
    order_ship(organisation=in_shop, order=order)

    order_return(organisation=in_shop, order=order, note="Ukuran tidak pas")

    assert (order.status, _stock(shirt)) == ("returned", (10, 0))
    assert StockMovement.objects.get(kind=MovementKind.RETURN).note == "Ukuran tidak pas"
    assert ledger_breaks(organisation=in_shop) == []


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ([], order_return),
        ([order_ship], order_pack),
        ([order_ship], order_cancel),
        ([order_ship, order_complete], order_ship),
        ([order_cancel], order_complete),
        ([order_cancel], order_pack),
        ([order_ship, order_return], order_return),
        ([order_ship, order_return], order_complete),
    ],
)
def test_steps_out_of_order_are_refused_and_change_nothing(
    in_shop: Organisation, shirt: Variant, steps: list, refused: object
) -> None:
    order = _place(in_shop, (shirt.pk, 1))
    for step in steps:
        step(organisation=in_shop, order=order)
    before = (Order.objects.get(pk=order.pk).status, _stock(shirt), StockMovement.objects.count())

    with pytest.raises(InvalidTransition):
        refused(organisation=in_shop, order=order)  # type: ignore[operator]

    after = (Order.objects.get(pk=order.pk).status, _stock(shirt), StockMovement.objects.count())
    assert after == before


def test_a_stale_copy_of_an_order_cannot_ship_it_twice(
    in_shop: Organisation, shirt: Variant
) -> None:
    order = _place(in_shop, (shirt.pk, 2))
    stale = Order.objects.get(pk=order.pk)
    order_ship(organisation=in_shop, order=order)

    with pytest.raises(InvalidTransition):
        order_ship(organisation=in_shop, order=stale)

    assert _stock(shirt) == (8, 0)


def test_partial_payments_add_up_and_overpaying_is_refused(
    in_shop: Organisation, chips: Variant
) -> None:
    order = _place(in_shop, (chips.pk, 4))  # Rp 50.000

    payment_record(organisation=in_shop, order=order, method="cash", amount=20_000)
    assert (order.status, order.amount_paid, order.balance_due) == ("placed", 20_000, 30_000)
    with pytest.raises(InvalidInput, match=r"Only Rp\xa030[.,]000 is still due"):
        payment_record(organisation=in_shop, order=order, method="qris", amount=30_001)
    payment_record(organisation=in_shop, order=order, method="qris", amount=30_000, reference="Q1")

    assert (order.status, order.amount_paid, order.is_paid) == ("paid", 50_000, True)
    assert Payment.objects.filter(order=order).count() == 2


@pytest.mark.parametrize(("method", "amount"), [("cash", 0), ("cash", -5), ("gold", 100)])
def test_bad_payments_are_refused(
    in_shop: Organisation, chips: Variant, method: str, amount: int
) -> None:
    order = _place(in_shop, (chips.pk, 1))

    with pytest.raises(InvalidInput):
        payment_record(organisation=in_shop, order=order, method=method, amount=amount)

    assert not Payment.objects.exists()


def test_no_payment_on_a_cancelled_order(in_shop: Organisation, chips: Variant) -> None:
    order = _place(in_shop, (chips.pk, 1))
    order_cancel(organisation=in_shop, order=order)

    with pytest.raises(InvalidInput, match="cancelled"):
        payment_record(organisation=in_shop, order=order, method="cash", amount=1_000)


def test_paying_a_shipped_cod_order_keeps_it_shipped(in_shop: Organisation, chips: Variant) -> None:
    order = _place(in_shop, (chips.pk, 2), payment_method="cod")
    order_ship(organisation=in_shop, order=order)

    payment_record(organisation=in_shop, order=order, method="cod", amount=order.total)

    assert (order.status, order.amount_paid) == ("shipped", 25_000)


def test_kasbon_lists_who_owes_what(in_shop: Organisation, chips: Variant, shirt: Variant) -> None:
    tab = _place(in_shop, (chips.pk, 2), customer_name="Pak Budi", customer_phone="081300001111")
    order_credit_set(organisation=in_shop, order=tab, is_credit=True)
    second = _place(
        in_shop,
        (chips.pk, 4),
        customer_name="Pak Budi",
        customer_phone="081300001111",
        is_credit=True,
    )
    payment_record(organisation=in_shop, order=second, method="cash", amount=10_000)
    delivered = _place(
        in_shop, (shirt.pk, 1), customer_name="Bu Tini", customer_phone="0856 7777 1234"
    )
    order_ship(organisation=in_shop, order=delivered)
    _place(in_shop, (chips.pk, 1), customer_name="Belum bayar")  # placed, not on credit: not a debt
    settled = _place(in_shop, (chips.pk, 1), customer_phone="081300001111", is_credit=True)
    payment_record(organisation=in_shop, order=settled, method="cash", amount=12_500)
    cancelled = _place(in_shop, (chips.pk, 1), customer_phone="081300001111", is_credit=True)
    order_cancel(organisation=in_shop, order=cancelled)

    owing = debts(organisation=in_shop)

    assert [(d.name, d.phone, d.owed, d.orders) for d in owing] == [
        ("Bu Tini", "+6285677771234", 185_000, 1),
        ("Pak Budi", "+6281300001111", 25_000 + 40_000, 2),
    ]


def test_the_order_number_is_the_last_write_and_no_savepoint_is_taken(
    in_shop: Organisation, chips: Variant
) -> None:
    """The shop's counter row is locked from its UPDATE to the commit: it comes last, on
    PostgreSQL in one statement with the order revision (SQLite, which serialises writers,
    writes the number and then the revision in two statements each)."""
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    order_place(organisation=in_shop, channel=Channel.PHONE, lines=[(chips.pk, 1)])
    with CaptureQueriesContext(connection) as queries:
        order = order_place(organisation=in_shop, channel=Channel.PHONE, lines=[(chips.pk, 1)])

    sql = [q["sql"].upper() for q in queries]
    writes = [s for s in sql if s.startswith(("INSERT", "UPDATE", "WITH", "DELETE"))]
    counter_writes = [i for i, s in enumerate(writes) if "ORDERCOUNTER" in s]
    assert counter_writes == [len(writes) - (1 if connection.vendor == "postgresql" else 4)]
    if connection.vendor == "postgresql":
        assert "ORDERREVISION" in writes[-1]
    # One savepoint: order_place's own transaction, nested in the test's; none inside it.
    assert len([s for s in sql if s.startswith("SAVEPOINT")]) == 1
    assert order.number.startswith("SO-")
    assert order.number.endswith("-000002")
    assert Order.objects.get(pk=order.pk).number == order.number


def test_the_placed_order_comes_with_its_lines(in_shop: Organisation, chips: Variant) -> None:
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    order = order_place(organisation=in_shop, channel=Channel.PHONE, lines=[(chips.pk, 2)])

    with CaptureQueriesContext(connection) as queries:
        lines = list(order.lines.all())
    assert len(queries) == 0
    assert [(line.pk, line.quantity) for line in lines] == list(
        order.lines.model.objects.filter(order=order).values_list("pk", "quantity")
    )


def test_a_new_customer_placed_twice_is_one_customer(in_shop: Organisation, chips: Variant) -> None:
    for _ in range(2):
        order_place(
            organisation=in_shop,
            channel=Channel.WHATSAPP,
            lines=[(chips.pk, 1)],
            customer_name="Sri",
            customer_phone="0812 3456 7890",
        )
    assert list(Customer.objects.values_list("name", "phone")) == [("Sri", "+6281234567890")]
