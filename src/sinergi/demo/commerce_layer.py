"""The demo shops' commerce: a catalog fitting each shop's sector, stock, and a year of orders.

The year has the rhythm of Indonesian small trade: busier weekends, *tanggal muda* (the days
after payday, the 25th to the 5th), the Ramadan peak (kue kering, busana Muslim, takjil) and
the quiet Lebaran days when shops close for *mudik*, marketplace sale days (11.11, 12.12), and a
channel mix taken from the shop's own sales channels. Customers come back; some orders are
cancelled or returned; some are taken on credit (kasbon) and paid later, or not yet.

Orders are simulated day by day per shop and written with bulk inserts, never through the
services — but the result obeys the same rules: every balance equals the sum of its ledger
rows, nothing is ever sold that was not available at that moment, and every order's total is
the sum of its lines plus shipping minus discount. Deterministic for the seed and the day.
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from sinergi.accounts.api import Organisation, SalesChannel, SectorFamily, sector_family
from sinergi.commerce.api import (
    Category,
    Channel,
    Customer,
    Location,
    MovementKind,
    Order,
    OrderCounter,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    Product,
    StockBalance,
    StockMovement,
    Variant,
)
from sinergi.core.tenancy import across_tenants
from sinergi.demo.commerce_calendar import JAKARTA, day_factor, order_hour, poisson, ramadan_days
from sinergi.demo.commerce_rows import Rows
from sinergi.demo.commerce_vocabulary import (
    CATALOGS_BY_CODE,
    CATALOGS_BY_FAMILY,
    DAILY_ORDERS,
    DAILY_ORDERS_BY_CODE,
    PHONE_PREFIXES,
    Item,
    external_id,
)

if TYPE_CHECKING:
    from sinergi.demo.generator import Ecosystem

BATCH = 5000
SHOPS_PER_BATCH = 25
DAYS = 365

_SIZE_FACTOR = {"micro": 1.0, "small": 3.0, "medium": 8.0, "": 1.0}
_CHANNEL_WEIGHT: dict[str, float] = {
    SalesChannel.WHATSAPP: 30,
    SalesChannel.WALK_IN: 35,
    SalesChannel.INSTAGRAM: 12,
    SalesChannel.FACEBOOK: 6,
    SalesChannel.TIKTOK: 5,
    SalesChannel.SHOPEE: 14,
    SalesChannel.TOKOPEDIA: 9,
    SalesChannel.TIKTOK_SHOP: 9,
    SalesChannel.STOREFRONT: 8,
}
_MARKETPLACES = frozenset({Channel.SHOPEE, Channel.TOKOPEDIA, Channel.TIKTOK_SHOP})


def _round_price(value: float) -> int:
    step = 1000 if value >= 100_000 else 500
    return max(step, round(value / step) * step)


@dataclass
class _SimVariant:
    """A variant as the simulation sees it: what it is, how popular, how many are available."""

    pk: int
    product_name: str
    name: str
    sku: str
    price: int
    cost: int
    weight: float
    lot: int
    reorder: int
    max_units: int
    available: int = 0


@dataclass
class _Shop:
    """One shop in the simulation."""

    organisation: Organisation
    family: str
    code: str
    location: Location
    rows: Rows
    categories: list[Category] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    sim: list[_SimVariant] = field(default_factory=list)
    counters: dict[int, int] = field(default_factory=dict)
    balances: dict[int, list[int]] = field(default_factory=dict)
    pending: list[tuple[datetime, int, int]] = field(default_factory=list)

    def move(
        self, index: int, kind: str, *, on_hand: int, reserved: int, at: datetime, order: int | None
    ) -> None:
        """A ledger row, and the balance it changes."""
        variant = self.sim[index]
        self.rows.add(
            StockMovement,
            organisation_id=self.organisation.pk,
            variant_id=variant.pk,
            location_id=self.location.pk,
            kind=kind,
            on_hand_delta=on_hand,
            reserved_delta=reserved,
            order_id=order,
            reverses_id=None,
            note="",
            created_by_id=None,
            created_at=at,
        )
        cell = self.balances.setdefault(variant.pk, [0, 0])
        cell[0] += on_hand
        cell[1] += reserved


def _build_catalog(rng: random.Random, shop: _Shop, items: tuple[Item, ...]) -> list[Any]:
    """Unsaved categories, products and variants; returns what each variant will simulate as."""
    organisation = shop.organisation
    size = organisation.size_class or "micro"
    count = min(len(items), rng.randint(5, 9) + {"micro": 0, "small": 3, "medium": 6}[size])
    chosen = rng.sample(list(items), count)
    price_level = rng.uniform(0.9, 1.15)
    words = [w for w in organisation.name.split() if w[:1].isalpha()]
    prefix = "".join(w[0] for w in words)[:3].upper() or "SKU"
    categories: dict[str, Category] = {}
    plans: list[Any] = []
    for rank, item in enumerate(chosen):
        if item.category not in categories:
            categories[item.category] = Category(
                organisation=organisation, name=item.category, slug=slugify(item.category)
            )
        product = Product(
            organisation=organisation,
            name=item.name,
            slug=f"{slugify(item.name)[:150]}",
            category=categories[item.category],
            created_at=timezone.now() - timedelta(days=DAYS + rng.randint(1, 200)),
        )
        shop.products.append(product)
        popularity = 1 / (rank + 1) ** 0.8
        for position, (variant_name, difference) in enumerate(item.variants or (("", 0),)):
            price = _round_price(item.price * price_level + difference)
            lot = max(2, int(item.lot * _SIZE_FACTOR[size] ** 0.7 * rng.uniform(0.7, 1.3)))
            shop.variants.append(
                Variant(
                    organisation=organisation,
                    product=product,
                    sku=f"{prefix}-{rank + 1:03d}-{position + 1}",
                    name=variant_name,
                    price=price,
                    cost_price=int(round(price * item.cost_share * rng.uniform(0.95, 1.05), -2)),
                    low_stock_threshold=max(1, lot // 5),
                    position=position,
                )
            )
            # Middle sizes sell best.
            plans.append((popularity * (1.6 if variant_name in ("M", "L") else 1.0), lot, item))
    shop.categories = list(categories.values())
    return plans


class _Customers:
    """A shop's customers: regulars come back more often than others."""

    def __init__(self, rng: random.Random, fake: Faker, shop: _Shop) -> None:
        self.rng, self.fake, self.shop = rng, fake, shop
        regency = shop.organisation.regency
        self.town = regency.short_name if regency is not None else ""
        self.phones: set[str] = set()
        self.known: list[tuple[int, str, str, str]] = []  # (id, name, phone, address)
        self.cumulative: list[float] = []

    def pick(self, *, repeat: float, at: datetime) -> tuple[int, str, str, str]:
        if self.known and self.rng.random() < repeat:
            return self.rng.choices(self.known, cum_weights=self.cumulative)[0]
        phone = ""
        while not phone or phone in self.phones:
            phone = (
                f"+62{self.rng.choice(PHONE_PREFIXES)}{self.rng.randint(10_000_000, 99_999_999)}"
            )
        self.phones.add(phone)
        name = self.fake.name()
        address = f"{self.fake.street_address()}, {self.town}"
        pk = self.shop.rows.add(
            Customer,
            organisation_id=self.shop.organisation.pk,
            name=name,
            phone=phone,
            address=address,
            created_at=at,
        )
        self.known.append((pk, name, phone, address))
        total = self.cumulative[-1] if self.cumulative else 0.0
        self.cumulative.append(total + 1 / len(self.known) ** 0.6)
        return self.known[-1]


@dataclass
class _Plan:
    """How an order goes: channel, payment, and when each step happens (None: never)."""

    channel: str
    method: str
    on_credit: bool
    delivered: bool
    placed_at: datetime
    paid_at: datetime | None = None
    packed_at: datetime | None = None
    shipped_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    returned_at: datetime | None = None


def _method(rng: random.Random, channel: str, delivered: bool) -> str:
    options: tuple[str, ...]
    weights: tuple[int, ...]
    if channel == Channel.WALK_IN:
        options, weights = (PaymentMethod.CASH, PaymentMethod.QRIS), (65, 35)
    elif channel in _MARKETPLACES:
        options = (PaymentMethod.EWALLET, PaymentMethod.BANK_TRANSFER, PaymentMethod.COD)
        weights = (50, 30, 20)
    else:
        options = (
            PaymentMethod.BANK_TRANSFER,
            PaymentMethod.QRIS,
            PaymentMethod.EWALLET,
            PaymentMethod.COD,
        )
        weights = (45, 20, 15, 20 if delivered else 0)
    return str(rng.choices(options, weights=weights)[0])


def _plan(
    rng: random.Random, shop: _Shop, channel: str, placed_at: datetime, credit: float
) -> _Plan:
    walk_in = channel == Channel.WALK_IN
    delivered = not walk_in and shop.family != SectorFamily.SERVICES
    on_credit = channel in (Channel.WALK_IN, Channel.WHATSAPP) and rng.random() < credit
    plan = _Plan(channel, _method(rng, channel, delivered), on_credit, delivered, placed_at)
    if walk_in:
        plan.shipped_at = plan.completed_at = placed_at + timedelta(minutes=rng.uniform(1, 5))
        plan.paid_at = None if on_credit else placed_at
        return plan
    if rng.random() < (0.06 if channel in _MARKETPLACES else 0.04):
        plan.cancelled_at = placed_at + timedelta(hours=rng.uniform(2, 36))
        return plan
    cod = plan.method == PaymentMethod.COD
    if not (cod or on_credit):
        plan.paid_at = placed_at + timedelta(hours=rng.uniform(0.1, 6))
    plan.packed_at = (plan.paid_at or placed_at) + timedelta(hours=rng.uniform(1, 20))
    plan.shipped_at = plan.packed_at + timedelta(hours=rng.uniform(1, 24))
    local = shop.family == SectorFamily.CULINARY
    plan.completed_at = plan.shipped_at + (
        timedelta(hours=rng.uniform(1, 3)) if local else timedelta(days=rng.uniform(1, 4))
    )
    if cod and not on_credit:
        plan.paid_at = plan.completed_at
    return plan


def _payments(rng: random.Random, plan: _Plan, total: int) -> list[tuple[datetime, int]]:
    if total <= 0:
        return []
    if not plan.on_credit:
        return [(plan.paid_at, total)] if plan.paid_at is not None else []
    if plan.completed_at is None:
        return []
    due = plan.completed_at + timedelta(days=rng.uniform(3, 40))
    if rng.random() < 0.3 and total >= 2000:  # kasbon paid off in two parts
        part = int(total * rng.uniform(0.3, 0.7) / 1000) * 1000 or total // 2
        first = plan.completed_at + timedelta(days=rng.uniform(1, 3))
        return [(first, part), (due, total - part)]
    return [(due, total)]


def _status(plan: _Plan, now: datetime, paid: int, total: int) -> str:
    steps = (
        (plan.cancelled_at, OrderStatus.CANCELLED),
        (plan.returned_at, OrderStatus.RETURNED),
        (plan.completed_at, OrderStatus.COMPLETED),
        (plan.shipped_at, OrderStatus.SHIPPED),
        (plan.packed_at, OrderStatus.PACKED),
    )
    for moment, status in steps:
        if moment is not None and moment <= now:
            return status
    return OrderStatus.PAID if total and paid >= total else OrderStatus.PLACED


def _lines(rng: random.Random, shop: _Shop, weights: list[float]) -> list[tuple[int, int]]:
    """What the buyer takes: (variant index, quantity), never more than is available."""
    size = rng.choices((1, 2, 3, 4), weights=(60, 25, 10, 5))[0]
    picked = set(rng.choices(range(len(shop.sim)), cum_weights=weights, k=size))
    wanted = []
    for index in sorted(picked):
        variant = shop.sim[index]
        extra = min(int(rng.expovariate(1.2)), variant.max_units - 1)
        quantity = min(1 + extra, variant.available)
        if quantity > 0:
            wanted.append((index, quantity))
    return wanted


def _order(
    rng: random.Random,
    shop: _Shop,
    customers: _Customers,
    plan: _Plan,
    *,
    now: datetime,
    weights: list[float],
    return_share: float,
) -> None:
    wanted = _lines(rng, shop, weights)
    if not wanted:
        return  # everything the buyer wanted was sold out: no order
    known = plan.on_credit or plan.channel != Channel.WALK_IN or rng.random() < 0.15
    customer = customers.pick(repeat=0.45, at=plan.placed_at) if known else None
    subtotal = sum(shop.sim[index].price * quantity for index, quantity in wanted)
    shipping = 0
    if plan.delivered and plan.channel not in _MARKETPLACES and rng.random() < 0.55:
        local = shop.family == SectorFamily.CULINARY
        shipping = rng.randrange(5, 16) * 1000 if local else rng.randrange(9, 36) * 1000
    discount = 0
    if rng.random() < 0.06:
        discount = int(subtotal * rng.uniform(0.05, 0.1) / 500) * 500
    total = subtotal + shipping - discount
    if plan.completed_at is not None and not plan.on_credit and rng.random() < return_share:
        plan.returned_at = plan.completed_at + timedelta(days=rng.uniform(1, 6))
    payments = [(at, amount) for at, amount in _payments(rng, plan, total) if at <= now]
    paid = sum(amount for _, amount in payments)
    status = _status(plan, now, paid, total)

    def reached(moment: datetime | None) -> datetime | None:
        return moment if moment is not None and moment <= now else None

    year = plan.placed_at.year
    shop.counters[year] = shop.counters.get(year, 0) + 1
    organisation_id = shop.organisation.pk
    order = shop.rows.add(
        Order,
        organisation_id=organisation_id,
        number=f"SO-{year}-{shop.counters[year]:06d}",
        channel=plan.channel,
        external_id=external_id(rng, plan.channel, plan.placed_at),
        customer_id=customer[0] if customer else None,
        customer_name=customer[1] if customer else "",
        customer_phone=customer[2] if customer else "",
        address=customer[3] if customer and plan.delivered else "",
        delivery_note="",
        status=status,
        location_id=shop.location.pk,
        payment_method=plan.method,
        is_credit=plan.on_credit,
        subtotal=subtotal,
        shipping_fee=shipping,
        discount=discount,
        total=total,
        amount_paid=paid,
        note="",
        placed_at=plan.placed_at,
        paid_at=reached(plan.paid_at),
        packed_at=reached(plan.packed_at),
        shipped_at=reached(plan.shipped_at),
        completed_at=reached(plan.completed_at),
        cancelled_at=reached(plan.cancelled_at),
        returned_at=reached(plan.returned_at),
        created_by_id=None,
    )
    for at, amount in payments:
        shop.rows.add(
            Payment,
            organisation_id=organisation_id,
            order_id=order,
            method=plan.method,
            amount=amount,
            paid_at=at,
            reference="",
            created_by_id=None,
        )
    for index, quantity in wanted:
        _line(shop, order, index, quantity, status=status, plan=plan)


def _line(shop: _Shop, order: int, index: int, quantity: int, *, status: str, plan: _Plan) -> None:
    """The order line and its stock: reserved at placement, then released, sold, returned."""
    variant = shop.sim[index]
    variant.available -= quantity
    shop.rows.add(
        OrderLine,
        organisation_id=shop.organisation.pk,
        order_id=order,
        variant_id=variant.pk,
        product_name=variant.product_name,
        variant_name=variant.name,
        sku=variant.sku,
        quantity=quantity,
        unit_price=variant.price,
        unit_cost=variant.cost,
        line_total=quantity * variant.price,
    )
    shop.move(
        index,
        MovementKind.RESERVATION,
        on_hand=0,
        reserved=quantity,
        at=plan.placed_at,
        order=order,
    )
    if status == OrderStatus.CANCELLED:
        assert plan.cancelled_at is not None
        shop.move(
            index,
            MovementKind.RELEASE,
            on_hand=0,
            reserved=-quantity,
            at=plan.cancelled_at,
            order=order,
        )
        heapq.heappush(shop.pending, (plan.cancelled_at, index, quantity))
    elif status in (OrderStatus.SHIPPED, OrderStatus.COMPLETED, OrderStatus.RETURNED):
        assert plan.shipped_at is not None
        shop.move(
            index,
            MovementKind.SALE,
            on_hand=-quantity,
            reserved=-quantity,
            at=plan.shipped_at,
            order=order,
        )
        if status == OrderStatus.RETURNED:
            assert plan.returned_at is not None
            shop.move(
                index,
                MovementKind.RETURN,
                on_hand=quantity,
                reserved=0,
                at=plan.returned_at,
                order=order,
            )
            heapq.heappush(shop.pending, (plan.returned_at, index, quantity))


def _channels(shop: _Shop) -> list[tuple[str, float]]:
    culinary = shop.family == SectorFamily.CULINARY
    channels = [
        (str(code), weight * (1.4 if code == SalesChannel.WALK_IN and culinary else 1.0))
        for code, weight in _CHANNEL_WEIGHT.items()
        if code in shop.organisation.sales_channels
    ]
    if not channels:
        channels.append((str(Channel.WHATSAPP), 30))
    return [*channels, (str(Channel.STOREFRONT), 6), (str(Channel.PHONE), 2)]


def _restock(rng: random.Random, shop: _Shop, day_start: datetime, first: bool) -> None:
    while shop.pending and shop.pending[0][0] <= day_start:
        _, index, quantity = heapq.heappop(shop.pending)
        shop.sim[index].available += quantity
    for index, variant in enumerate(shop.sim):
        if first or variant.available <= variant.reorder:
            lot = variant.lot * 2 if first else max(1, int(variant.lot * rng.uniform(0.8, 1.2)))
            variant.available += lot
            shop.move(
                index, MovementKind.RECEIPT, on_hand=lot, reserved=0, at=day_start, order=None
            )


def _simulate(rng: random.Random, fake: Faker, shop: _Shop, start: date, now: datetime) -> None:
    """A year of the shop's days, in order: restock in the morning, then the day's orders."""
    organisation, family, code = shop.organisation, shop.family, shop.code
    customers = _Customers(rng, fake, shop)
    channels = _channels(shop)
    names, channel_weights = [c for c, _ in channels], [w for _, w in channels]
    marketplaces = any(c in _MARKETPLACES for c in names)
    base = DAILY_ORDERS_BY_CODE.get(code, DAILY_ORDERS[SectorFamily(family)])
    base *= _SIZE_FACTOR[organisation.size_class or "micro"] * math.exp(rng.gauss(0, 0.35))
    credit = 0.07 if family in _CREDIT_FAMILIES else 0.02
    return_share = 0.04 if family == SectorFamily.FASHION else 0.012
    weights = list(accumulate(v.weight for v in shop.sim))  # cumulative, for rng.choices
    for offset in range(DAYS + 1):
        day = start + timedelta(days=offset)
        day_start = datetime.combine(day, time(0, 30), JAKARTA)
        if day_start > now:
            break
        _restock(rng, shop, day_start, first=offset == 0)
        mean = base * (0.85 + 0.3 * offset / DAYS) * day_factor(day, family, code, marketplaces)
        ramadan = ramadan_days(day)[0] is not None
        arrivals = sorted(
            (order_hour(rng, family, channel, ramadan), channel)
            for channel in rng.choices(names, weights=channel_weights, k=poisson(rng, mean))
        )
        midnight = datetime.combine(day, time(0), JAKARTA)
        for hour, channel in arrivals:
            placed_at = midnight + timedelta(hours=hour)
            if placed_at > now:
                break
            plan = _plan(rng, shop, channel, placed_at, credit)
            _order(rng, shop, customers, plan, now=now, weights=weights, return_share=return_share)


_CREDIT_FAMILIES = frozenset({SectorFamily.RETAIL, SectorFamily.CULINARY, SectorFamily.AGRICULTURE})


def _catalogs_write(shops: list[_Shop]) -> None:
    Location.objects.bulk_create([s.location for s in shops], batch_size=BATCH)
    Category.objects.bulk_create([c for s in shops for c in s.categories], batch_size=BATCH)
    for shop in shops:  # two products of a shop may share a name: make their slugs unique
        seen: dict[str, int] = {}
        for product in shop.products:
            seen[product.slug] = seen.get(product.slug, 0) + 1
            if seen[product.slug] > 1:
                product.slug = f"{product.slug}-{seen[product.slug]}"
    Product.objects.bulk_create([p for s in shops for p in s.products], batch_size=BATCH)
    Variant.objects.bulk_create([v for s in shops for v in s.variants], batch_size=BATCH)


def commerce_layer(ecosystem: Ecosystem, shop_count: int) -> None:
    """Catalog, stock and a year of orders for every demo shop, written in batches of shops."""
    rng, fake = ecosystem.random("commerce"), ecosystem.faker("commerce")
    now = timezone.localtime(timezone.now(), JAKARTA)
    start = now.date() - timedelta(days=DAYS)
    with across_tenants(reason="the demo generator writes every shop's commerce"):
        rows = Rows()
        for first in range(0, len(ecosystem.shops), SHOPS_PER_BATCH):
            shops, plans = [], []
            for organisation in ecosystem.shops[first : first + SHOPS_PER_BATCH]:
                family = sector_family(organisation.kbli_code)
                items = CATALOGS_BY_CODE.get(organisation.kbli_code) or CATALOGS_BY_FAMILY[family]
                shop = _Shop(
                    organisation=organisation,
                    family=family,
                    code=organisation.kbli_code,
                    location=Location(organisation=organisation, name="Toko", is_default=True),
                    rows=rows,
                )
                plans.append(_build_catalog(rng, shop, items))
                shops.append(shop)
            _catalogs_write(shops)
            for shop, shop_plans in zip(shops, plans, strict=True):
                shop.sim = [
                    _SimVariant(
                        pk=variant.pk,
                        product_name=variant.product.name,
                        name=variant.name,
                        sku=variant.sku,
                        price=int(variant.price),
                        cost=int(variant.cost_price or 0),
                        weight=weight,
                        lot=lot,
                        reorder=variant.low_stock_threshold,
                        max_units=item.max_units,
                    )
                    for variant, (weight, lot, item) in zip(shop.variants, shop_plans, strict=True)
                ]
                _simulate(rng, fake, shop, start, now)
                for variant_id, (on_hand, reserved) in shop.balances.items():
                    rows.add(
                        StockBalance,
                        organisation_id=shop.organisation.pk,
                        variant_id=variant_id,
                        location_id=shop.location.pk,
                        on_hand=on_hand,
                        reserved=reserved,
                    )
            rows.write()
            OrderCounter.objects.bulk_create(
                [
                    OrderCounter(organisation=s.organisation, year=year, last_number=last)
                    for s in shops
                    for year, last in s.counters.items()
                ]
            )
        rows.finish()
