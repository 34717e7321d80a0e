"""Reads behind the commerce web pages (workspace and storefront).

Each function returns a queryset or plain values with what the page shows already joined or
annotated, so that a list costs a fixed number of queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from sinergi.commerce.contacts import InOrder, customer_pks, orders_matching
from sinergi.commerce.models import (
    CLOSED_STATUSES,
    Customer,
    Location,
    Order,
    OrderStatus,
    Product,
    ProductPhoto,
    StockBalance,
    StockMovement,
    Variant,
)

# ---------------------------------------------------------------------------- stock figures


def _available_subquery(*, location_id: int | None = None) -> Coalesce:
    balances = StockBalance.objects.filter(variant=OuterRef("pk"))
    if location_id is not None:
        balances = balances.filter(location_id=location_id)
    total = (
        balances.order_by()
        .values("variant")
        .annotate(total=Sum(F("on_hand") - F("reserved")))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def variants_with_stock(*, location_id: int | None = None) -> QuerySet[Variant]:
    """Variants annotated with ``available`` (all locations, or one) and ``is_low``."""
    return Variant.objects.annotate(available=_available_subquery(location_id=location_id))


def default_location() -> Location | None:
    return Location.objects.filter(is_default=True).first() or Location.objects.first()


def low_stock_variants(*, limit: int = 20) -> list[Variant]:
    """Variants on sale whose available quantity is at or under their alert threshold."""
    return list(
        variants_with_stock()
        .filter(is_active=True, product__is_active=True)
        .filter(available__lte=F("low_stock_threshold"))  # type: ignore[misc]
        .select_related("product")
        .order_by("available", "product__name", "name")[:limit]
    )


# ---------------------------------------------------------------------------- catalog


def _photos_prefetch() -> Prefetch:
    return Prefetch(
        "photos", queryset=ProductPhoto.objects.order_by("position", "pk"), to_attr="photo_list"
    )


def product_list(
    *,
    q: str = "",
    category_id: int | None = None,
    status: str = "active",
    stock: str = "",
) -> QuerySet[Product]:
    """Products for the workspace list, with price range, stock and a low-stock flag."""
    variants = variants_with_stock().filter(product=OuterRef("pk"), is_active=True)
    products = Product.objects.select_related("category").annotate(
        min_price=Min("variants__price", filter=Q(variants__is_active=True)),
        max_price=Max("variants__price", filter=Q(variants__is_active=True)),
        variant_count=Count("variants", filter=Q(variants__is_active=True), distinct=True),
        has_low=Exists(variants.filter(available__lte=F("low_stock_threshold"))),  # type: ignore[misc]
        has_stock=Exists(variants.filter(available__gt=0)),  # type: ignore[misc]
    )
    if status == "active":
        products = products.filter(is_active=True)
    elif status == "archived":
        products = products.filter(is_active=False)
    if q:
        products = products.filter(
            Q(name__icontains=q) | Q(variants__sku__icontains=q) | Q(variants__name__icontains=q)
        ).distinct()
    if category_id:
        products = products.filter(category_id=category_id)
    if stock == "low":
        products = products.filter(has_low=True)
    elif stock == "out":
        products = products.filter(has_stock=False)
    return products.prefetch_related(_photos_prefetch()).order_by("name", "pk")


def product_variants(product: Product) -> list[Variant]:
    """A product's variants, each with the quantity available over all locations."""
    return list(variants_with_stock().filter(product=product).order_by("position", "pk"))


def variant_search(q: str, *, limit: int = 12) -> list[Variant]:
    """Variants on sale matching a name or SKU, for the new-order product picker."""
    variants = (
        variants_with_stock(location_id=_default_location_id())
        .filter(is_active=True, product__is_active=True)
        .select_related("product")
    )
    for word in q.split()[:5]:
        variants = variants.filter(
            Q(product__name__icontains=word) | Q(sku__icontains=word) | Q(name__icontains=word)
        )
    return list(variants.order_by("product__name", "position", "pk")[:limit])


def _default_location_id() -> int | None:
    location = default_location()
    return location.pk if location else None


# ---------------------------------------------------------------------------- stock


@dataclass(frozen=True)
class BalanceRow:
    location: Location
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def variant_balances(variant: Variant) -> list[BalanceRow]:
    """On hand, reserved and available at every location (zero where nothing was ever kept)."""
    balances = {b.location_id: b for b in StockBalance.objects.filter(variant=variant)}
    rows = []
    for location in Location.objects.all():
        balance = balances.get(location.pk)
        rows.append(
            BalanceRow(
                location,
                balance.on_hand if balance else 0,
                balance.reserved if balance else 0,
            )
        )
    return rows


def movement_list(*, variant: Variant | None = None) -> QuerySet[StockMovement]:
    """Ledger rows, newest first, with what the page shows joined in."""
    movements = StockMovement.objects.select_related(
        "variant__product", "location", "order", "created_by", "reverses"
    ).annotate(is_reversed=Exists(StockMovement.objects.filter(reverses=OuterRef("pk"))))
    if variant is not None:
        movements = movements.filter(variant=variant)
    return movements.order_by("-created_at", "-pk")


def stock_overview(*, q: str = "") -> QuerySet[Variant]:
    """Every variant on sale with its availability, lowest first — the stock page's list."""
    variants = (
        variants_with_stock()
        .filter(product__is_active=True)
        .annotate(
            on_hand=Coalesce(
                Subquery(
                    StockBalance.objects.filter(variant=OuterRef("pk"))
                    .order_by()
                    .values("variant")
                    .annotate(total=Sum("on_hand"))
                    .values("total"),
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        )
        .select_related("product")
    )
    if q:
        variants = variants.filter(Q(product__name__icontains=q) | Q(sku__icontains=q))
    return variants.order_by("product__name", "position", "pk")


# ---------------------------------------------------------------------------- orders


def order_list(
    *, q: str = "", status: str = "", channel: str = "", unpaid: bool = False
) -> QuerySet[Order]:
    """Orders for the list page, newest first, with the number of items."""
    orders = Order.objects.all()
    if status:
        orders = orders.filter(status=status)
    if channel:
        orders = orders.filter(channel=channel)
    if unpaid:
        orders = orders.filter(amount_paid__lt=F("total")).exclude(status__in=CLOSED_STATUSES)
    if q:
        # Names and phones are encrypted: matched in Python (see commerce.contacts), among
        # the orders the other filters left.
        customer_ids, order_ids = orders_matching(orders, Customer.objects.all(), q)
        orders = orders.filter(
            Q(number__icontains=q) | Q(customer_id__in=customer_ids) | Q(pk__in=order_ids)
        )
    return orders.annotate(item_count=Sum("lines__quantity")).order_by("-placed_at", "-pk")


def order_detail(pk: int) -> Order:
    """One order with its lines and payments; raises Order.DoesNotExist."""
    return (
        Order.objects.select_related("customer", "location", "created_by")
        .prefetch_related("lines", "payments")
        .get(pk=pk)
    )


def customer_list(*, q: str = "") -> InOrder[Customer]:
    """Customers with their number of orders, what they spent and what they still owe, sorted
    by name: a sequence that reads only the rows of the page asked for from the database."""
    open_unpaid = Q(orders__amount_paid__lt=F("orders__total")) & ~Q(
        orders__status__in=CLOSED_STATUSES
    )
    customers = Customer.objects.annotate(
        order_count=Count("orders", filter=~Q(orders__status=OrderStatus.CANCELLED)),
        spent=Coalesce(Sum("orders__amount_paid"), Value(0)),
        owed=Coalesce(
            Sum(F("orders__total") - F("orders__amount_paid"), filter=open_unpaid), Value(0)
        ),
        last_order=Max("orders__placed_at"),
    )
    # Sorted by name and searched after decrypting (see commerce.contacts).
    return InOrder(customers, customer_pks(Customer.objects.all(), search=q))


# ---------------------------------------------------------------------------- storefront


def storefront_products(*, location_id: int | None) -> list[Product]:
    """Products on sale with at least one variant on sale; each with ``variant_list`` (with
    ``available`` at the selling location), ``photo_list``, ``min_price`` and ``in_stock``."""
    variants = variants_with_stock(location_id=location_id).filter(is_active=True)
    products = list(
        Product.objects.filter(is_active=True, variants__is_active=True)
        .distinct()
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "variants", queryset=variants.order_by("position", "pk"), to_attr="variant_list"
            ),
            _photos_prefetch(),
        )
        .order_by("category__name", "name", "pk")
    )
    for product in products:
        product.min_price = min(v.price for v in product.variant_list)
        product.in_stock = any(v.available > 0 for v in product.variant_list)
    return products


def storefront_product(slug: str, *, location_id: int | None) -> Product:
    """One product on sale by its slug, prepared as in :func:`storefront_products`."""
    variants = variants_with_stock(location_id=location_id).filter(is_active=True)
    product = (
        Product.objects.filter(is_active=True, slug=slug)
        .prefetch_related(
            Prefetch(
                "variants", queryset=variants.order_by("position", "pk"), to_attr="variant_list"
            ),
            _photos_prefetch(),
        )
        .get()
    )
    if not product.variant_list:
        raise Product.DoesNotExist
    product.min_price = min(v.price for v in product.variant_list)
    product.in_stock = any(v.available > 0 for v in product.variant_list)
    return product


def cart_variants(variant_ids: list[int], *, location_id: int | None) -> dict[int, Variant]:
    """The cart's variants (on sale, product on sale) with ``available`` at the location."""
    return (
        variants_with_stock(location_id=location_id)
        .filter(pk__in=variant_ids, is_active=True, product__is_active=True)
        .select_related("product")
        .in_bulk()
    )
