"""The demo's commerce layer: fitting catalogs, a year of orders with rhythm, and data that
obeys the same invariants as data written through the services."""

from collections import Counter
from datetime import date

import pytest
from django.db.models import F, Sum

from sinergi.accounts.models import Organisation, OrganisationKind, User
from sinergi.commerce.models import (
    Channel,
    Order,
    OrderCounter,
    OrderStatus,
    Payment,
    StockBalance,
    Variant,
)
from sinergi.commerce.selectors import debts, ledger_breaks
from sinergi.commerce.services.orders import order_place, order_ship
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.demo.commerce_calendar import day_factor
from sinergi.demo.generator import ecosystem_generate

pytestmark = pytest.mark.django_db


def _check_shop(shop: Organisation) -> tuple[Counter[str], Counter[int], int]:
    """The invariants of one shop's demo data; returns its statuses, weekdays and debtors."""
    assert ledger_breaks(organisation=shop) == []
    for balance in StockBalance.objects.all():
        assert 0 <= balance.reserved <= balance.on_hand
    paid = dict(Payment.objects.values_list("order_id").annotate(s=Sum("amount")).order_by())
    orders = list(Order.objects.all())
    for order in orders:
        assert order.amount_paid == paid.get(order.pk, 0)
        assert 0 <= order.amount_paid <= order.total
        assert order.total == order.subtotal + order.shipping_fee - order.discount
    assert len(orders) > 50
    span = max(o.placed_at for o in orders) - min(o.placed_at for o in orders)
    assert span.days > 300
    assert {o.channel for o in orders} <= set(Channel.values)
    assert Variant.objects.count() >= 5
    assert Variant.objects.filter(cost_price__lt=F("price")).exists()
    numbers = [o.number for o in sorted(orders, key=lambda o: (o.placed_at, o.pk))]
    assert len(set(numbers)) == len(numbers)
    return (
        Counter(o.status for o in orders),
        Counter(o.placed_at.weekday() for o in orders),
        len(debts(organisation=shop)),
    )


def test_five_demo_shops_have_catalogs_and_a_year_of_orders_that_obey_the_invariants() -> None:
    ecosystem_generate(shops=5, seed=11)
    shops = list(Organisation.objects.filter(kind=OrganisationKind.SHOP).order_by("pk"))
    statuses: Counter[str] = Counter()
    weekdays: Counter[int] = Counter()
    debtors = 0
    for shop in shops:
        with tenant_context(shop.pk):
            shop_statuses, shop_weekdays, shop_debtors = _check_shop(shop)
        statuses += shop_statuses
        weekdays += shop_weekdays
        debtors += shop_debtors

    assert statuses[OrderStatus.COMPLETED] > statuses[OrderStatus.CANCELLED] > 0
    assert statuses[OrderStatus.RETURNED] > 0
    assert weekdays[5] > weekdays[1]  # Saturday is busier than Tuesday
    assert debtors > 0  # someone owes a shop (kasbon)

    # The services carry on from the generated data: numbers, stock and ledger stay whole.
    shop = shops[0]
    with tenant_context(shop.pk):
        counter = OrderCounter.objects.order_by("-year").first()
        balance = (
            StockBalance.objects.filter(on_hand__gt=F("reserved"), variant__is_active=True)
            .order_by("pk")
            .first()
        )
        assert counter is not None
        assert balance is not None
        order = order_place(
            organisation=shop, channel=Channel.WHATSAPP, lines=[(balance.variant_id, 1)]
        )
        order_ship(organisation=shop, order=order)
        if order.placed_at.year == counter.year:
            assert order.number == f"SO-{counter.year}-{counter.last_number + 1:06d}"
        assert ledger_breaks(organisation=shop) == []


def test_the_same_seed_gives_the_same_orders() -> None:
    def fingerprint() -> list[tuple[object, ...]]:
        with across_tenants(reason="test"):
            return list(
                Order.objects.order_by("organisation__slug", "number").values_list(
                    "number", "channel", "total", "status", "customer_phone"
                )
            )

    ecosystem_generate(shops=2, seed=5)
    first = fingerprint()
    with across_tenants(reason="test"):
        User.objects.all().delete()
        Organisation.objects.all().delete()

    ecosystem_generate(shops=2, seed=5)

    assert fingerprint() == first


def test_day_factors_follow_the_calendar() -> None:
    ordinary = day_factor(date(2026, 6, 16), "fashion", "13134", False)  # a Tuesday mid-month
    assert day_factor(date(2026, 6, 20), "fashion", "13134", False) > ordinary  # Saturday
    assert day_factor(date(2026, 6, 26), "fashion", "13134", False) > ordinary  # tanggal muda
    assert day_factor(date(2026, 3, 10), "fashion", "13134", False) > 2 * ordinary  # late Ramadan
    assert day_factor(date(2026, 3, 20), "fashion", "13134", False) < ordinary  # Idul Fitri
    assert day_factor(date(2026, 3, 23), "services", "55130", False) > ordinary  # libur Lebaran
    assert day_factor(date(2025, 12, 12), "retail", "47919", True) > day_factor(
        date(2025, 12, 12), "retail", "47919", False
    )
