"""Reads of the commerce domain. Call them inside the shop's tenant context (requests are)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from sinergi.accounts.api import Organisation
from sinergi.commerce.contacts import InOrder, customer_pks, orders_matching
from sinergi.commerce.models import (
    CLOSED_STATUSES,
    Customer,
    Location,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    StockBalance,
    StockMovement,
    Variant,
)

# Orders whose goods the customer already has (or took on credit): an unpaid balance is a debt.
_DEBT = Q(is_credit=True) | Q(status__in=[OrderStatus.SHIPPED, OrderStatus.COMPLETED])


def products_for_catalog(
    *, organisation: Organisation, active_only: bool = False, category_id: int | None = None
) -> QuerySet[Product]:
    """The shop's products with their category, variants and photos prefetched."""
    queryset = Product.objects.filter(organisation=organisation).select_related("category")
    if active_only:
        queryset = queryset.filter(is_active=True)
    if category_id is not None:
        queryset = queryset.filter(category_id=category_id)
    return queryset.prefetch_related(
        Prefetch(
            "variants",
            queryset=Variant.objects.filter(organisation=organisation).order_by("position", "pk"),
        ),
        "photos",
    )


def variants_with_stock(
    *, organisation: Organisation, location: Location | None = None
) -> QuerySet[Variant]:
    """Variants annotated with ``on_hand``, ``reserved`` and ``available`` (all locations, or
    one)."""
    balance_filter = Q(balances__location=location) if location is not None else Q()
    return (
        Variant.objects.filter(organisation=organisation)
        .select_related("product")
        .annotate(
            stock_on_hand=Coalesce(Sum("balances__on_hand", filter=balance_filter), Value(0)),
            stock_reserved=Coalesce(Sum("balances__reserved", filter=balance_filter), Value(0)),
        )
        .annotate(
            available=ExpressionWrapper(
                F("stock_on_hand") - F("stock_reserved"), output_field=IntegerField()
            )
        )
    )


def availability(
    *, organisation: Organisation, variant_ids: list[int], location: Location | None = None
) -> dict[int, int]:
    """Available quantity per variant id at the location orders take stock from (the default
    one unless given); a variant with no stock row has 0."""
    balances = StockBalance.objects.filter(organisation=organisation, variant_id__in=variant_ids)
    if location is not None:
        balances = balances.filter(location=location)
    else:
        balances = balances.filter(location__is_default=True)
    found = dict(balances.values_list("variant_id").annotate(a=Sum(F("on_hand") - F("reserved"))))
    return {variant_id: int(found.get(variant_id, 0)) for variant_id in variant_ids}


def low_stock_variants(*, organisation: Organisation) -> QuerySet[Variant]:
    """Active variants of active products whose available stock is at or below their alert
    threshold, the emptiest first."""
    queryset = variants_with_stock(organisation=organisation).filter(
        is_active=True, product__is_active=True
    )
    low = queryset.filter(available__lte=F("low_stock_threshold"))  # type: ignore[misc]
    return low.order_by("available", "product__name", "name")  # type: ignore[misc]


def stock_balances(
    *, organisation: Organisation, variant: Variant | None = None
) -> QuerySet[StockBalance]:
    """Balances per variant and location, with the names needed to show them."""
    queryset = StockBalance.objects.filter(organisation=organisation).select_related(
        "variant__product", "location"
    )
    if variant is not None:
        queryset = queryset.filter(variant=variant)
    return queryset.order_by("variant__product__name", "variant__position", "location__name")


def movements_of(
    *, organisation: Organisation, variant: Variant | None = None
) -> QuerySet[StockMovement]:
    """The stock ledger, newest first, optionally for one variant."""
    queryset = StockMovement.objects.filter(organisation=organisation).select_related(
        "variant__product", "location", "order", "created_by"
    )
    if variant is not None:
        queryset = queryset.filter(variant=variant)
    return queryset.order_by("-created_at", "-pk")


def orders_list(
    *,
    organisation: Organisation,
    status: str | None = None,
    channel: str | None = None,
    search: str = "",
    since: datetime | None = None,
) -> QuerySet[Order]:
    """Orders newest first, filtered by status, channel, text (number, name, phone) or date."""
    queryset = Order.objects.filter(organisation=organisation).select_related("customer")
    if status:
        queryset = queryset.filter(status=status)
    if channel:
        queryset = queryset.filter(channel=channel)
    if since is not None:
        queryset = queryset.filter(placed_at__gte=since)
    if search := search.strip():
        # Names and phones are encrypted: matched in Python (see commerce.contacts).
        customer_ids, order_ids = orders_matching(
            queryset, Customer.objects.filter(organisation=organisation), search
        )
        queryset = queryset.filter(
            Q(number__icontains=search)
            | Q(customer_id__in=customer_ids)
            | Q(pk__in=order_ids)
            | Q(external_id=search)
        )
    return queryset.order_by("-placed_at", "-pk")


def order_detail(*, organisation: Organisation, pk: int) -> Order:
    """One order with its lines and payments; raises Order.DoesNotExist for another shop's."""
    return (
        Order.objects.filter(organisation=organisation)
        .select_related("customer", "location", "created_by")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.all().order_by("pk")),
            "payments",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class Debt:
    """What one customer owes the shop (kasbon and unpaid deliveries)."""

    customer_id: int | None
    name: str
    phone: str
    owed: int
    orders: int
    oldest: datetime


def debts(*, organisation: Organisation) -> list[Debt]:
    """Who owes what: unpaid balances of orders taken on credit or already delivered, per
    customer, the largest first. Orders without a known customer are listed by name."""
    owing = (
        Order.objects.filter(organisation=organisation, amount_paid__lt=F("total"))
        .exclude(status__in=CLOSED_STATUSES)
        .filter(_DEBT)
    )
    per_customer = list(
        owing.filter(customer__isnull=False)
        .values("customer_id")
        .annotate(
            owed=Sum(F("total") - F("amount_paid")), orders=Count("pk"), oldest=Min("placed_at")
        )
        .order_by()
    )
    contacts = {
        pk: (name, phone)
        for pk, name, phone in Customer.objects.filter(
            organisation=organisation, pk__in=[row["customer_id"] for row in per_customer]
        ).values_list("pk", "name", "phone")
    }
    found = [
        Debt(
            customer_id=row["customer_id"],
            name=contacts.get(row["customer_id"], ("", ""))[0] or "—",
            phone=contacts.get(row["customer_id"], ("", ""))[1],
            owed=int(row["owed"]),
            orders=row["orders"],
            oldest=row["oldest"],
        )
        for row in per_customer
    ]
    # Orders without a customer record: their names are ciphertext to the database (each
    # encrypted apart), so they are summed per name here.
    anonymous: dict[str, Debt] = {}
    for stored_name, total, paid, placed in owing.filter(customer__isnull=True).values_list(
        "customer_name", "total", "amount_paid", "placed_at"
    ):
        name = stored_name or "—"
        before = anonymous.get(name)
        anonymous[name] = Debt(
            customer_id=None,
            name=name,
            phone="",
            owed=(before.owed if before else 0) + total - paid,
            orders=(before.orders if before else 0) + 1,
            oldest=min(before.oldest, placed) if before else placed,
        )
    found.extend(anonymous.values())
    return sorted(found, key=lambda d: (-d.owed, d.name))


def orders_owing(
    *, organisation: Organisation, customer: Customer | None = None
) -> QuerySet[Order]:
    """The orders behind :func:`debts`, oldest first."""
    queryset = (
        Order.objects.filter(organisation=organisation, amount_paid__lt=F("total"))
        .exclude(status__in=CLOSED_STATUSES)
        .filter(_DEBT)
    )
    if customer is not None:
        queryset = queryset.filter(customer=customer)
    return queryset.order_by("placed_at", "pk")


def customers_list(*, organisation: Organisation, search: str = "") -> InOrder[Customer]:
    """Customers with how many orders they placed and how much they spent, sorted by name:
    a sequence that reads the rows of the slice asked for (a page) from the database."""
    queryset = Customer.objects.filter(organisation=organisation)
    # Sorted by name and searched after decrypting (see commerce.contacts).
    pks = customer_pks(queryset, search=search.strip())
    annotated = queryset.annotate(
        order_count=Count("orders", filter=~Q(orders__status__in=CLOSED_STATUSES)),
        spent=Coalesce(
            Sum("orders__total", filter=~Q(orders__status__in=CLOSED_STATUSES)), Value(0)
        ),
    )
    return InOrder(annotated, pks)


@dataclass(frozen=True)
class LedgerBreak:
    """A balance that disagrees with its ledger, or an order whose totals do not add up."""

    what: str
    pk: int
    detail: str


def ledger_breaks(*, organisation: Organisation) -> list[LedgerBreak]:
    """Check the invariants (empty list = all hold): each balance equals the sum of its
    movements, reserved stays within on hand, reserved equals what open orders hold, and each
    order's subtotal equals the sum of its lines."""
    breaks: list[LedgerBreak] = []
    sums = {
        (row["variant_id"], row["location_id"]): (row["h"], row["r"])
        for row in StockMovement.objects.filter(organisation=organisation)
        .values("variant_id", "location_id")
        .annotate(h=Sum("on_hand_delta"), r=Sum("reserved_delta"))
    }
    held: dict[tuple[int, int], int] = {}
    for variant_id, location_id, quantity in OrderLine.objects.filter(
        organisation=organisation,
        order__status__in=[OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED],
        variant__isnull=False,
    ).values_list("variant_id", "order__location_id", "quantity"):
        held[(variant_id, location_id)] = held.get((variant_id, location_id), 0) + quantity
    seen = set()
    for balance in StockBalance.objects.filter(organisation=organisation):
        key = (balance.variant_id, balance.location_id)
        seen.add(key)
        on_hand, reserved = sums.get(key, (0, 0))
        if (balance.on_hand, balance.reserved) != (on_hand, reserved):
            breaks.append(
                LedgerBreak(
                    "balance",
                    balance.pk,
                    f"balance {balance.on_hand}/{balance.reserved}, ledger {on_hand}/{reserved}",
                )
            )
        if not 0 <= balance.reserved <= balance.on_hand:
            breaks.append(
                LedgerBreak("balance", balance.pk, f"{balance.reserved} > {balance.on_hand}")
            )
        if balance.reserved != held.get(key, 0):
            breaks.append(
                LedgerBreak(
                    "balance",
                    balance.pk,
                    f"reserved {balance.reserved}, open orders hold {held.get(key, 0)}",
                )
            )
    for key, (on_hand, reserved) in sums.items():
        if key not in seen and (on_hand or reserved):
            breaks.append(LedgerBreak("ledger", key[0], f"movements without a balance at {key}"))
    line_sums = dict(
        OrderLine.objects.filter(organisation=organisation)
        .values_list("order_id")
        .annotate(s=Sum("line_total"))
    )
    for pk, number, subtotal, shipping, discount, total in Order.objects.filter(
        organisation=organisation
    ).values_list("pk", "number", "subtotal", "shipping_fee", "discount", "total"):
        if subtotal != line_sums.get(pk, 0) or total != subtotal + shipping - discount:
            breaks.append(
                LedgerBreak("order", pk, f"{number}: lines {line_sums.get(pk, 0)}, {subtotal}")
            )
    return breaks
