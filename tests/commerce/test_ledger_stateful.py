"""Hypothesis drives random sequences of stock and order operations and checks, after every
step, the ledger's invariants against a plain-Python model of what the balances must be:

- on hand = sum of the movements' on-hand deltas; reserved = sum of their reserved deltas;
- 0 <= reserved <= on hand (available never negative);
- reserved = what open orders hold;
- every order's total = sum of its lines + shipping - discount;
- a refused operation changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from sinergi.commerce.models import (
    Channel,
    Location,
    Order,
    OrderLine,
    OrderStatus,
    StockBalance,
    StockMovement,
    Variant,
)
from sinergi.commerce.selectors import ledger_breaks
from sinergi.commerce.services import orders as svc
from sinergi.commerce.services import stock
from sinergi.commerce.services.errors import (
    AlreadyReversed,
    InsufficientStock,
    InvalidInput,
    InvalidTransition,
)
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.factories import OrganisationFactory

Key = tuple[int, int]  # (variant id, location id)


class LedgerMachine(RuleBasedStateMachine):
    """One fresh shop per run with three variants and two locations."""

    orders = Bundle("orders")
    movements = Bundle("movements")

    def __init__(self) -> None:
        super().__init__()
        self.shop = OrganisationFactory()
        self._context = tenant_context(self.shop.pk)
        self._context.__enter__()
        self.variants = [
            variant_make(self.shop, name=f"Produk {i}", price=price)
            for i, price in enumerate((12_500, 85_000, 0))
        ]
        self.floor = stock.location_default(organisation=self.shop)
        self.warehouse = stock.location_create(organisation=self.shop, name="Gudang")
        self.model: dict[Key, list[int]] = {}
        # What each order holds: its lines and location, as the model knows them.
        self.held: dict[int, tuple[int, dict[int, int]]] = {}

    def teardown(self) -> None:
        self._context.__exit__(None, None, None)

    # -- helpers --------------------------------------------------------------------------
    def _cell(self, variant: Variant, location: Location) -> list[int]:
        return self.model.setdefault((variant.pk, location.pk), [0, 0])

    def _expect_refusal(self, call: Callable[[], Any], *errors: type[Exception]) -> Any:
        before = self._snapshot()
        try:
            return call()
        except errors:
            assert self._snapshot() == before, "a refused operation changed something"
            return None

    def _snapshot(self) -> tuple[Any, ...]:
        return (
            sorted(
                StockBalance.objects.values_list("variant_id", "location_id", "on_hand", "reserved")
            ),
            StockMovement.objects.count(),
            sorted(Order.objects.values_list("pk", "status", "amount_paid")),
        )

    # -- stock ----------------------------------------------------------------------------
    @rule(
        target=movements,
        variant=st.integers(0, 2),
        quantity=st.integers(1, 20),
        warehouse=st.booleans(),
    )
    def receive(self, variant: int, quantity: int, warehouse: bool) -> Any:
        location = self.warehouse if warehouse else self.floor
        movement = stock.stock_receive(
            organisation=self.shop,
            variant=self.variants[variant],
            quantity=quantity,
            location=location,
        )
        self._cell(self.variants[variant], location)[0] += quantity
        return movement

    @rule(target=movements, variant=st.integers(0, 2), delta=st.integers(-15, 15).filter(bool))
    def adjust(self, variant: int, delta: int) -> Any:
        cell = self._cell(self.variants[variant], self.floor)
        movement = self._expect_refusal(
            lambda: stock.stock_adjust(
                organisation=self.shop, variant=self.variants[variant], delta=delta
            ),
            InsufficientStock,
        )
        if movement is None:
            assert cell[0] + delta < cell[1], "a possible adjustment was refused"
            return multiple()
        cell[0] += delta
        return movement

    @rule(target=movements, variant=st.integers(0, 2), counted=st.integers(0, 30))
    def count(self, variant: int, counted: int) -> Any:
        cell = self._cell(self.variants[variant], self.floor)
        try:
            movement = stock.stock_count(
                organisation=self.shop, variant=self.variants[variant], counted=counted
            )
        except InsufficientStock:
            assert counted < cell[1]
            return multiple()
        cell[0] = counted
        return movement if movement is not None else multiple()

    @rule(variant=st.integers(0, 2), quantity=st.integers(1, 20), outward=st.booleans())
    def transfer(self, variant: int, quantity: int, outward: bool) -> None:
        source, destination = (
            (self.floor, self.warehouse) if outward else (self.warehouse, self.floor)
        )
        done = self._expect_refusal(
            lambda: stock.stock_transfer(
                organisation=self.shop,
                variant=self.variants[variant],
                quantity=quantity,
                source=source,
                destination=destination,
            ),
            InsufficientStock,
        )
        source_cell = self._cell(self.variants[variant], source)
        if done is None:
            assert source_cell[0] - quantity < source_cell[1]
            return
        source_cell[0] -= quantity
        self._cell(self.variants[variant], destination)[0] += quantity

    @rule(movement=movements)
    def reverse(self, movement: StockMovement) -> None:
        reversal = self._expect_refusal(
            lambda: stock.movement_reverse(organisation=self.shop, movement=movement),
            InsufficientStock,
            AlreadyReversed,
            InvalidInput,
        )
        if reversal is not None:
            cell = self.model[(movement.variant_id, movement.location_id)]
            cell[0] -= movement.on_hand_delta

    # -- orders ---------------------------------------------------------------------------
    @rule(
        target=orders,
        lines=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 6)), min_size=1, max_size=4),
        shipping=st.sampled_from([0, 9_000, 15_000]),
        discount=st.sampled_from([0, 5_000]),
        external=st.one_of(st.none(), st.sampled_from(["EXT-1", "EXT-2"])),
    )
    def place(
        self, lines: list[tuple[int, int]], shipping: int, discount: int, external: str | None
    ) -> Any:
        wanted: dict[int, int] = {}
        for index, quantity in lines:
            wanted[self.variants[index].pk] = wanted.get(self.variants[index].pk, 0) + quantity
        existing = (
            Order.objects.filter(channel=Channel.SHOPEE, external_id=external).first()
            if external
            else None
        )
        order = self._expect_refusal(
            lambda: svc.order_place(
                organisation=self.shop,
                channel=Channel.SHOPEE if external else Channel.WHATSAPP,
                lines=[(self.variants[i].pk, q) for i, q in lines],
                shipping_fee=shipping,
                discount=discount,
                external_id=external,
            ),
            InsufficientStock,
            InvalidInput,
        )
        if existing is not None:
            assert order is not None
            assert order.pk == existing.pk
            return multiple()
        possible = all(
            self.model.get((pk, self.floor.pk), [0, 0])[0]
            - self.model.get((pk, self.floor.pk), [0, 0])[1]
            >= quantity
            for pk, quantity in wanted.items()
        )
        if order is None:
            subtotal = sum(Variant.objects.get(pk=pk).price * q for pk, q in wanted.items())
            assert not possible or discount > subtotal + shipping, "a possible order was refused"
            return multiple()
        assert possible, "an impossible order was accepted"
        for pk, quantity in wanted.items():
            self.model.setdefault((pk, self.floor.pk), [0, 0])[1] += quantity
        self.held[order.pk] = (self.floor.pk, wanted)
        return order

    def _step(self, order: Order, step: Callable[..., Any], on_hand: int, reserved: int) -> bool:
        fresh = Order.objects.get(pk=order.pk)
        done = self._expect_refusal(
            lambda: step(organisation=self.shop, order=fresh), InvalidTransition
        )
        if done is None:
            return False
        location, wanted = self.held[order.pk]
        for pk, quantity in wanted.items():
            cell = self.model[(pk, location)]
            cell[0] += on_hand * quantity
            cell[1] += reserved * quantity
        return True

    @rule(order=orders)
    def ship(self, order: Order) -> None:
        was = Order.objects.get(pk=order.pk).status
        shipped = self._step(order, svc.order_ship, -1, -1)
        assert shipped == (was in {OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED})

    @rule(order=orders)
    def complete(self, order: Order) -> None:
        was = Order.objects.get(pk=order.pk).status
        ships = was in {OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED}
        done = self._step(order, svc.order_complete, -1 if ships else 0, -1 if ships else 0)
        assert done == (ships or was == OrderStatus.SHIPPED)

    @rule(order=orders)
    def pack(self, order: Order) -> None:
        self._step(order, svc.order_pack, 0, 0)

    @rule(order=orders)
    def cancel(self, order: Order) -> None:
        self._step(order, svc.order_cancel, 0, -1)

    @rule(order=orders)
    def give_back(self, order: Order) -> None:
        self._step(order, svc.order_return, 1, 0)

    @rule(order=orders, share=st.sampled_from([1, 2, 3]))
    def pay(self, order: Order, share: int) -> None:
        fresh = Order.objects.get(pk=order.pk)
        amount = fresh.balance_due // share
        if amount <= 0:
            return
        self._expect_refusal(
            lambda: svc.payment_record(
                organisation=self.shop, order=fresh, method="qris", amount=amount
            ),
            InvalidInput,
        )

    # -- invariants -----------------------------------------------------------------------
    @invariant()
    def balances_match_the_model_and_the_ledger(self) -> None:
        actual = {
            (v, loc): [h, r]
            for v, loc, h, r in StockBalance.objects.values_list(
                "variant_id", "location_id", "on_hand", "reserved"
            )
        }
        expected = {key: value for key, value in self.model.items() if value != [0, 0]}
        assert {k: v for k, v in actual.items() if v != [0, 0]} == expected
        for on_hand, reserved in actual.values():
            assert 0 <= reserved <= on_hand
        assert ledger_breaks(organisation=self.shop) == []

    @invariant()
    def order_totals_add_up(self) -> None:
        for order in Order.objects.all():
            lines = OrderLine.objects.filter(order=order).aggregate(s=Sum("line_total"))["s"]
            assert order.subtotal == lines
            assert order.total == lines + order.shipping_fee - order.discount
            assert 0 <= order.amount_paid <= order.total


@pytest.mark.django_db
def test_ledger_invariants_hold_under_any_sequence_of_operations() -> None:
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
