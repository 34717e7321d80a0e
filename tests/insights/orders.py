"""A small, seeded order generator for insights tests, and the plain-Python truth it returns.

Rows are written with bulk_create (no commerce services: the tests check what insights reads,
whatever path wrote it). The returned ``GeneratedShop`` holds the same orders as plain Python
objects; the reference computations in the tests use only those.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sinergi.accounts.models import Organisation
from sinergi.commerce.models import (
    Customer,
    Location,
    Order,
    OrderLine,
    Product,
    StockBalance,
    Variant,
)
from sinergi.core.crypto import blind_index
from sinergi.core.tenancy import tenant_context

JAKARTA = ZoneInfo("Asia/Jakarta")
CHANNELS = ["whatsapp", "storefront", "instagram", "shopee", "walk_in"]
STATUSES = ["completed"] * 6 + ["paid", "placed", "shipped", "cancelled", "returned"]


@dataclass
class Line:
    variant_id: int
    product_id: int
    product: str
    quantity: int
    unit_price: int
    unit_cost: int | None

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


@dataclass
class GenOrder:
    id: int
    placed_at: datetime
    channel: str
    status: str
    customer_id: int | None
    phone: str
    discount: int
    lines: list[Line] = field(default_factory=list)

    @property
    def local_day(self) -> date:
        return self.placed_at.astimezone(JAKARTA).date()

    @property
    def counted(self) -> bool:
        return self.status not in ("cancelled", "returned")

    @property
    def subtotal(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def revenue(self) -> int:
        return self.subtotal - self.discount

    @property
    def customer_key(self) -> str | None:
        if self.customer_id is not None:
            return f"c{self.customer_id}"
        # Orders without a customer record are grouped by the phone's blind index.
        return f"p{blind_index(self.phone)}" if self.phone else None


@dataclass
class GeneratedShop:
    organisation: Organisation
    orders: list[GenOrder]
    variants: dict[int, dict]  # id -> product_id, product, price, cost, available
    customers: dict[int, dict]


def shop_generate(
    organisation: Organisation,
    *,
    seed: int = 1,
    orders: int = 200,
    end: date = date(2026, 11, 27),
    days: int = 400,
    products: int = 8,
    customers: int = 25,
) -> GeneratedShop:
    """Make a catalogue, stock, customers and ``orders`` orders spread over ``days`` days."""
    rng = random.Random(seed)
    org = organisation
    with tenant_context(org.pk):
        location = Location.objects.create(organisation=org, name="Toko", is_default=True)
        made_products = Product.objects.bulk_create(
            [
                Product(organisation=org, name=f"Produk {i:02d}", slug=f"produk-{i}")
                for i in range(products)
            ]
        )
        variant_rows = []
        for product in made_products:
            for size in ("S", "L")[: rng.randint(1, 2)]:
                price = rng.choice([15_000, 25_000, 40_000, 75_000])
                variant_rows.append(
                    Variant(
                        organisation=org,
                        product=product,
                        sku=f"{product.slug}-{size}",
                        name=size,
                        price=price,
                        cost_price=None if rng.random() < 0.3 else price * 6 // 10,
                    )
                )
        made_variants = Variant.objects.bulk_create(variant_rows)
        variants = {}
        balances = []
        for variant in made_variants:
            on_hand = rng.choice([0, 3, 10, 40])
            reserved = min(on_hand, rng.choice([0, 0, 1]))
            balances.append(
                StockBalance(
                    organisation=org,
                    variant=variant,
                    location=location,
                    on_hand=on_hand,
                    reserved=reserved,
                )
            )
            variants[variant.pk] = {
                "product_id": variant.product_id,
                "product": variant.product.name,
                "variant": variant.name,
                "price": variant.price,
                "cost": variant.cost_price,
                "available": on_hand - reserved,
            }
        StockBalance.objects.bulk_create(balances)
        made_customers = Customer.objects.bulk_create(
            [
                Customer(organisation=org, name=f"Pelanggan {i}", phone=f"+62812{seed:03d}{i:05d}")
                for i in range(customers)
            ]
        )
        customer_info = {c.pk: {"name": c.name, "phone": c.phone} for c in made_customers}
        start = datetime.combine(end - timedelta(days=days - 1), datetime.min.time(), JAKARTA)
        generated: list[GenOrder] = []
        order_rows = []
        for number in range(orders):
            placed = start + timedelta(seconds=rng.randrange(days * 86400))
            customer = rng.choice(made_customers) if rng.random() < 0.8 else None
            phone = "" if customer or rng.random() < 0.5 else f"+6285{rng.randrange(10**7):07d}"
            chosen = rng.sample(made_variants, k=min(len(made_variants), rng.randint(1, 3)))
            lines = [
                Line(v.pk, v.product_id, v.product.name, rng.randint(1, 4), v.price, v.cost_price)
                for v in chosen
            ]
            subtotal = sum(line.total for line in lines)
            discount = rng.choice([0, 0, 0, 5_000]) if subtotal > 5_000 else 0
            status = rng.choice(STATUSES)
            generated.append(
                GenOrder(
                    0,
                    placed.astimezone(UTC),
                    rng.choice(CHANNELS),
                    status,
                    customer.pk if customer else None,
                    phone,
                    discount,
                    lines,
                )
            )
            order_rows.append(
                Order(
                    organisation=org,
                    number=f"T-{number:05d}",
                    channel=generated[-1].channel,
                    customer=customer,
                    customer_name=customer.name if customer else "Tamu",
                    customer_phone=customer.phone if customer else phone,
                    status=status,
                    location=location,
                    subtotal=subtotal,
                    discount=discount,
                    total=subtotal - discount,
                    placed_at=placed,
                )
            )
        made_orders = Order.objects.bulk_create(order_rows)
        for made, gen in zip(made_orders, generated, strict=True):
            gen.id = made.pk
        line_rows = [
            OrderLine(
                organisation=org,
                order_id=gen.id,
                variant_id=line.variant_id,
                product_name=line.product,
                quantity=line.quantity,
                unit_price=line.unit_price,
                unit_cost=line.unit_cost,
                line_total=line.total,
            )
            for gen in generated
            for line in gen.lines
        ]
        OrderLine.objects.bulk_create(line_rows)
    return GeneratedShop(org, generated, variants, customer_info)
