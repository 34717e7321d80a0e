"""The stock ledger services: every change is a movement, balances follow, nothing goes below."""

import pytest

from sinergi.accounts.models import Organisation
from sinergi.commerce.models import Channel, Location, MovementKind, StockBalance, StockMovement
from sinergi.commerce.selectors import ledger_breaks
from sinergi.commerce.services.errors import AlreadyReversed, InsufficientStock, InvalidInput
from sinergi.commerce.services.orders import order_place
from sinergi.commerce.services.stock import (
    location_create,
    location_default,
    movement_reverse,
    stock_adjust,
    stock_count,
    stock_receive,
    stock_transfer,
)
from tests.commerce.conftest import MakeVariant, variant_make
from tests.factories import OrganisationFactory


def _balance(variant: object, location: Location | None = None) -> tuple[int, int]:
    balances = StockBalance.objects.filter(variant=variant)
    if location is not None:
        balances = balances.filter(location=location)
    balance = balances.get()
    return balance.on_hand, balance.reserved


def test_the_default_location_is_made_once(in_shop: Organisation) -> None:
    first = location_default(organisation=in_shop)
    second = location_default(organisation=in_shop)

    assert first == second
    assert (first.name, first.is_default) == ("Toko", True)
    assert Location.objects.count() == 1


def test_a_new_default_location_takes_over(in_shop: Organisation) -> None:
    old = location_default(organisation=in_shop)

    new = location_create(organisation=in_shop, name="Gudang", is_default=True)

    assert location_default(organisation=in_shop) == new
    assert not Location.objects.get(pk=old.pk).is_default
    with pytest.raises(InvalidInput):
        location_create(organisation=in_shop, name="gudang")


def test_receiving_adds_on_hand_and_a_ledger_row(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant()

    movement = stock_receive(
        organisation=in_shop, variant=variant, quantity=12, note="Dari Pekalongan"
    )

    assert (movement.kind, movement.on_hand_delta, movement.reserved_delta) == ("receipt", 12, 0)
    assert _balance(variant) == (12, 0)
    assert ledger_breaks(organisation=in_shop) == []


@pytest.mark.parametrize("quantity", [0, -3, 2.5, True, "4"])
def test_receiving_refuses_a_quantity_that_is_not_a_positive_whole_number(
    in_shop: Organisation, make_variant: MakeVariant, quantity: object
) -> None:
    variant = make_variant()

    with pytest.raises(InvalidInput):
        stock_receive(organisation=in_shop, variant=variant, quantity=quantity)  # type: ignore[arg-type]

    assert not StockMovement.objects.exists()


def test_adjusting_down_cannot_take_stock_held_for_orders(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant(stock=5)
    order_place(organisation=in_shop, channel=Channel.WHATSAPP, lines=[(variant.pk, 3)])

    stock_adjust(organisation=in_shop, variant=variant, delta=-2, note="Rusak")
    with pytest.raises(InsufficientStock) as refused:
        stock_adjust(organisation=in_shop, variant=variant, delta=-1)

    assert _balance(variant) == (3, 3)
    assert "3 of them held for open orders" in str(refused.value)
    assert StockMovement.objects.filter(kind=MovementKind.ADJUSTMENT).count() == 1


def test_adjusting_refuses_zero(in_shop: Organisation, make_variant: MakeVariant) -> None:
    with pytest.raises(InvalidInput):
        stock_adjust(organisation=in_shop, variant=make_variant(), delta=0)


def test_a_stock_count_records_the_difference(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant(stock=10)

    movement = stock_count(organisation=in_shop, variant=variant, counted=7, note="Opname Maret")
    unchanged = stock_count(organisation=in_shop, variant=variant, counted=7)

    assert movement is not None
    assert (movement.kind, movement.on_hand_delta) == ("count", -3)
    assert unchanged is None
    assert _balance(variant) == (7, 0)
    assert ledger_breaks(organisation=in_shop) == []


def test_a_stock_count_of_an_item_never_stocked_creates_its_balance(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant()

    stock_count(organisation=in_shop, variant=variant, counted=4)

    assert _balance(variant) == (4, 0)


def test_a_count_below_what_orders_hold_is_refused(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant(stock=5)
    order_place(organisation=in_shop, channel=Channel.WALK_IN, lines=[(variant.pk, 4)])

    with pytest.raises(InsufficientStock):
        stock_count(organisation=in_shop, variant=variant, counted=3)

    assert _balance(variant) == (5, 4)


def test_transferring_moves_stock_between_locations(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant(stock=8)
    shop_floor = location_default(organisation=in_shop)
    warehouse = location_create(organisation=in_shop, name="Gudang")

    out, into = stock_transfer(
        organisation=in_shop, variant=variant, quantity=5, source=shop_floor, destination=warehouse
    )

    assert (out.on_hand_delta, into.on_hand_delta) == (-5, 5)
    assert _balance(variant, shop_floor) == (3, 0)
    assert _balance(variant, warehouse) == (5, 0)
    with pytest.raises(InsufficientStock):
        stock_transfer(
            organisation=in_shop,
            variant=variant,
            quantity=4,
            source=shop_floor,
            destination=warehouse,
        )
    with pytest.raises(InvalidInput):
        stock_transfer(
            organisation=in_shop,
            variant=variant,
            quantity=1,
            source=warehouse,
            destination=warehouse,
        )
    assert _balance(variant, shop_floor) == (3, 0)
    assert ledger_breaks(organisation=in_shop) == []


def test_a_reversal_undoes_a_movement_once(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant()
    receipt = stock_receive(organisation=in_shop, variant=variant, quantity=9)

    reversal = movement_reverse(organisation=in_shop, movement=receipt, note="Salah input")

    assert (reversal.kind, reversal.on_hand_delta, reversal.reverses_id) == (
        "reversal",
        -9,
        receipt.pk,
    )
    assert _balance(variant) == (0, 0)
    with pytest.raises(AlreadyReversed):
        movement_reverse(organisation=in_shop, movement=receipt)
    with pytest.raises(InvalidInput):
        movement_reverse(organisation=in_shop, movement=reversal)
    assert StockMovement.objects.count() == 2


def test_a_reversal_that_would_oversell_is_refused(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant()
    receipt = stock_receive(organisation=in_shop, variant=variant, quantity=2)
    order_place(organisation=in_shop, channel=Channel.PHONE, lines=[(variant.pk, 1)])

    with pytest.raises(InsufficientStock):
        movement_reverse(organisation=in_shop, movement=receipt)

    assert _balance(variant) == (2, 1)


def test_order_movements_are_not_reversed_by_hand(
    in_shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant(stock=2)
    order_place(organisation=in_shop, channel=Channel.PHONE, lines=[(variant.pk, 1)])
    reservation = StockMovement.objects.get(kind=MovementKind.RESERVATION)

    with pytest.raises(InvalidInput):
        movement_reverse(organisation=in_shop, movement=reservation)


def test_another_shops_variant_is_refused(in_shop: Organisation) -> None:
    other = OrganisationFactory()
    foreign = variant_make(other)

    with pytest.raises(InvalidInput):
        stock_receive(organisation=in_shop, variant=foreign, quantity=1)
