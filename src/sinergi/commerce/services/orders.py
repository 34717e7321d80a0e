"""Orders from every channel: placing them, taking payments, and moving them through their life.

Status machine and stock effects (explicit, one transaction per step)::

    placed ──pay──▶ paid ──pack──▶ packed ──ship──▶ shipped ──complete──▶ completed
      │ (pack, ship and complete may skip steps: COD and kasbon orders ship unpaid,
      │  a walk-in sale is completed on the spot)
      └──cancel (from placed, paid, packed)──▶ cancelled
    shipped / completed ──return──▶ returned

    placement: reserved +q   (refused with SoldOut when available < q)
    shipment:  on_hand -q, reserved -q
    cancel:    reserved -q
    return:    on_hand +q

Each step is a conditional UPDATE on the order's status, so doing a step twice at once (two
staff pressing "ship") has one effect.
"""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation, User
from sinergi.commerce.models import (
    CLOSED_STATUSES,
    Channel,
    Location,
    MovementKind,
    Order,
    OrderCounter,
    OrderLine,
    OrderRevision,
    OrderStatus,
    Payment,
    PaymentMethod,
    Product,
    StockMovement,
    Variant,
)
from sinergi.commerce.services.customers import customer_upsert, phone_normalise
from sinergi.commerce.services.errors import InvalidInput, InvalidTransition, SoldOut
from sinergi.commerce.services.stock import Delta, balances_apply, location_default, movements_write
from sinergi.core.money import format_rupiah
from sinergi.core.tenancy import tenant_context

# (variant id, quantity) or (variant id, quantity, unit price) — a marketplace sets its own price.
LineInput = Sequence[int]

MAX_LINES = 200


def _amount(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(_("Amounts are whole rupiah, zero or more."), field=field)
    return value


def _lines_merged(lines: Iterable[LineInput]) -> dict[int, tuple[int, int | None]]:
    """Validated lines, one per variant (repeated variants add up), in input order."""
    merged: dict[int, tuple[int, int | None]] = {}
    for number, line in enumerate(lines, start=1):
        if len(line) not in (2, 3):
            raise InvalidInput(_("Line %s: give a product and a quantity.") % number, field="lines")
        variant_id, quantity = line[0], line[1]
        price = line[2] if len(line) == 3 else None
        if isinstance(variant_id, bool) or not isinstance(variant_id, int):
            raise InvalidInput(_("Line %s: unknown product.") % number, field="lines")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            raise InvalidInput(
                _("Line %s: the quantity must be a whole number above zero.") % number,
                field="lines",
            )
        if price is not None:
            _amount(price, "lines")
        previous_quantity, previous_price = merged.get(variant_id, (0, None))
        merged[variant_id] = (previous_quantity + quantity, price or previous_price)
    if not merged:
        raise InvalidInput(_("An order needs at least one product."), field="lines")
    if len(merged) > MAX_LINES:
        raise InvalidInput(_("An order can have at most %s products.") % MAX_LINES, field="lines")
    return merged


def _placeholder_number() -> str:
    """A unique stand-in for the order's number until :func:`_number_take` gives the real one
    (never seen by anyone else: both are written in the same transaction)."""
    return f"~{secrets.token_hex(8)}"


_CountingRow = TypeVar("_CountingRow", OrderCounter, OrderRevision)


def _shop_row_bump(
    sql: str, params: list[Any], *, missing: Callable[[], _CountingRow]
) -> tuple[Any, ...]:
    """Run ``sql``, an UPDATE … RETURNING of one of the shop's counting rows, and return its
    row. When the counting row does not exist yet, insert ``missing()`` and run it once more:
    a concurrent first writer may insert it too, and the other insert waits and is ignored.
    """
    with connection.cursor() as cursor:
        for _attempt in range(2):
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is not None:
                return row
            new = missing()
            type(new)._default_manager.bulk_create([new], ignore_conflicts=True)
    raise RuntimeError(  # pragma: no cover - the row was just created
        f"the shop's {type(new).__name__} row could not be created"
    )


def _number_take(organisation: Organisation, order: Order) -> None:
    """Give the order the shop's next number for the year, "SO-2026-000123": gap-free and
    race-free.

    The per-shop counter row is locked from its UPDATE to the commit, so every order of the
    shop waits for it: it is taken as the very last write of the order's transaction, in one
    statement on PostgreSQL (the counter's UPDATE … RETURNING feeding the order's UPDATE),
    so the lock is held for that statement and the commit only.
    """
    year = timezone.localtime(order.placed_at).year
    counter = OrderCounter._meta.db_table
    table = Order._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"WITH n AS (UPDATE {counter} SET last_number = last_number + 1 "  # noqa: S608
            "WHERE organisation_id = %s AND year = %s RETURNING last_number) "
            f"UPDATE {table} SET number = %s || CASE WHEN n.last_number < 1000000 "
            "THEN lpad(n.last_number::text, 6, '0') ELSE n.last_number::text END "
            f"FROM n WHERE {table}.id = %s RETURNING {table}.number"
        )
        params: list[Any] = [organisation.pk, year, f"SO-{year}-", order.pk]
    else:  # SQLite serialises writers: two statements hold nothing up
        sql = (
            f"UPDATE {counter} SET last_number = last_number + 1 "  # noqa: S608
            "WHERE organisation_id = %s AND year = %s RETURNING last_number"
        )
        params = [organisation.pk, year]
    # Missing on the shop's first order of the year.
    row = _shop_row_bump(
        sql,
        params,
        missing=lambda: OrderCounter(organisation=organisation, year=year, last_number=0),
    )
    if connection.vendor == "postgresql":
        order.number = row[0]
    else:
        order.number = f"SO-{year}-{row[0]:06d}"
        Order.objects.filter(pk=order.pk).update(number=order.number)


def order_changed(organisation_id: int, order_pk: int) -> None:
    """Bump the shop's order revision and stamp the order with it: the last write of every
    transaction that changes an order (see ``OrderRevision``); a writer that changes orders
    without these services (a bulk import) calls it too. The revision row stays locked
    until the commit, so the shop's revisions become visible in order; it is taken after every
    other lock (balances, customer, order counter), so waiting for it cannot deadlock."""
    revisions = OrderRevision._meta.db_table
    table = Order._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"WITH r AS (UPDATE {revisions} SET revision = revision + 1 "  # noqa: S608
            "WHERE organisation_id = %s RETURNING revision) "
            f"UPDATE {table} SET revision = r.revision FROM r WHERE {table}.id = %s "
            "RETURNING r.revision"
        )
        params: list[Any] = [organisation_id, order_pk]
    else:  # SQLite serialises writers: two statements hold nothing up
        sql = (
            f"UPDATE {revisions} SET revision = revision + 1 "  # noqa: S608
            "WHERE organisation_id = %s RETURNING revision"
        )
        params = [organisation_id]
    # Missing on the shop's first change. The epoch (microseconds now) tells a reader's copy
    # made before the row existed from one made after.
    row = _shop_row_bump(
        sql,
        params,
        missing=lambda: OrderRevision(
            organisation_id=organisation_id, revision=0, epoch=time.time_ns() // 1000
        ),
    )
    if connection.vendor != "postgresql":
        Order.objects.filter(pk=order_pk).update(revision=row[0])


def _number_and_revision_take(organisation: Organisation, order: Order) -> None:
    """:func:`_number_take` then :func:`order_changed`, the last writes of a new order.

    On PostgreSQL both go in one statement while their rows exist, so the shop's counter row
    is locked for that statement and the commit only, not for one round trip more. The locks
    come in the same order (counter, then revision: the revision's UPDATE reads the counter's
    result), and when either row is missing (the shop's first order of the year, or its first
    change of an order) neither is touched and the two functions take over.
    """
    if connection.vendor != "postgresql":
        _number_take(organisation, order)
        order_changed(organisation.pk, order.pk)
        return
    year = timezone.localtime(order.placed_at).year
    counter, revisions = OrderCounter._meta.db_table, OrderRevision._meta.db_table
    table = Order._meta.db_table
    sql = (
        f"WITH n AS (UPDATE {counter} SET last_number = last_number + 1 "  # noqa: S608
        "WHERE organisation_id = %s AND year = %s "
        f"AND EXISTS (SELECT 1 FROM {revisions} WHERE organisation_id = %s) "
        "RETURNING last_number), "
        f"r AS (UPDATE {revisions} SET revision = revision + 1 "
        "WHERE organisation_id = %s AND EXISTS (SELECT 1 FROM n) RETURNING revision) "
        f"UPDATE {table} SET number = %s || CASE WHEN n.last_number < 1000000 "
        "THEN lpad(n.last_number::text, 6, '0') ELSE n.last_number::text END, "
        f"revision = r.revision FROM n, r WHERE {table}.id = %s RETURNING {table}.number"
    )
    pk = organisation.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, year, pk, pk, f"SO-{year}-", order.pk])
        row = cursor.fetchone()
    if row is None:
        _number_take(organisation, order)
        order_changed(organisation.pk, order.pk)
    else:
        order.number = row[0]


def _lines_attach(order: Order, lines: list[OrderLine]) -> None:
    """Hand the lines just written to ``order.lines.all()`` (as prefetch_related would), so a
    caller showing the order does not read them back."""
    # A queryset of its own (not ``order.lines.all()``): it is never run, only read from.
    queryset: Any = QuerySet(model=OrderLine)
    queryset._result_cache = lines
    queryset._prefetch_done = True
    order._prefetched_objects_cache = {"lines": queryset}  # type: ignore[attr-defined]


def _existing(channel: str, external_id: str | None) -> Order | None:
    if external_id is None:
        return None
    return Order.objects.filter(channel=channel, external_id=external_id).first()


# What placing an order reads of its variants and their products (the rest stays deferred).
_VARIANT_FIELDS = ("id", "organisation_id", "product_id", "sku", "name", "price", "cost_price")
_PRODUCT_FIELDS = ("id", "organisation_id", "name")


@functools.cache
def _variants_sql() -> str:
    """The SELECT of :func:`_variants_read`, without its list of ids (column and table names
    from the models)."""

    def columns(alias: str, model: type[Variant | Product], names: Sequence[str]) -> list[str]:
        column = {field.attname: field.column for field in model._meta.concrete_fields}
        return [f"{alias}.{column[name]}" for name in names]

    selected = [
        *columns("v", Variant, _VARIANT_FIELDS),
        "v.is_active",
        *columns("p", Product, _PRODUCT_FIELDS),
        "p.is_active",
    ]
    return (
        f"SELECT {', '.join(selected)}, "  # noqa: S608  (names from the models, values as params)
        f"(SELECT l.id FROM {Location._meta.db_table} l "
        "WHERE l.organisation_id = %s AND l.is_default LIMIT 1) "
        f"FROM {Variant._meta.db_table} v JOIN {Product._meta.db_table} p ON p.id = v.product_id "
        "WHERE v.organisation_id = %s AND p.organisation_id = %s AND v.id IN "
    )


def _variants_read(organisation_id: int, variant_ids: list[int]) -> dict[int, Variant]:
    """The shop's variants with these ids, each with its product, and the shop's default
    location as ``default_location_id`` (None before the shop has one): one query.

    Every order reads this, so it is SQL rather than a queryset: building the same SELECT
    with the ORM (a join and a subquery) cost several times the CPU of running it.
    """
    placeholders = ", ".join(["%s"] * len(variant_ids))
    params = [organisation_id, organisation_id, organisation_id, *variant_ids]
    variants: dict[int, Variant] = {}
    n = len(_VARIANT_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"{_variants_sql()}({placeholders})", params)
        for row in cursor.fetchall():
            variant = Variant.from_db(connection.alias, _VARIANT_FIELDS, row[:n])
            variant.is_active = bool(row[n])
            product = Product.from_db(connection.alias, _PRODUCT_FIELDS, row[n + 1 : -2])
            product.is_active = bool(row[-2])
            variant.product = product
            variant.default_location_id = row[-1]  # type: ignore[attr-defined]
            variants[variant.pk] = variant
    return variants


def _order_lines(
    organisation: Organisation,
    merged: dict[int, tuple[int, int | None]],
    variants: dict[int, Variant],
) -> list[OrderLine]:
    """The order's lines, with names and prices copied from the variants (not yet saved)."""
    order_lines: list[OrderLine] = []
    for variant_id, (quantity, price) in merged.items():
        variant = variants.get(variant_id)
        if variant is None:
            raise InvalidInput(_("Unknown product (id %s).") % variant_id, field="lines")
        if not (variant.is_active and variant.product.is_active):
            raise InvalidInput(_("%s is no longer on sale.") % variant.display_name, field="lines")
        unit_price = variant.price if price is None else price
        order_lines.append(
            OrderLine(
                organisation=organisation,
                variant=variant,
                product_name=variant.product.name,
                variant_name=variant.name,
                sku=variant.sku,
                quantity=quantity,
                unit_price=unit_price,
                unit_cost=variant.cost_price,
                line_total=quantity * unit_price,
            )
        )
    return order_lines


def _location_id(
    organisation: Organisation, location: Location | None, variants: dict[int, Variant]
) -> int:
    """The location the order takes stock from: the one given, or the shop's default (read
    with the variants; created the first time)."""
    if location is not None:
        if location.organisation_id != organisation.pk:
            raise InvalidInput(_("That location does not belong to this shop."), field="location")
        return int(location.pk)
    default_id = next(iter(variants.values())).default_location_id  # type: ignore[attr-defined]
    if default_id is None:
        default_id = location_default(organisation=organisation).pk
    return int(default_id)


def order_place(
    *,
    organisation: Organisation,
    channel: str,
    lines: Iterable[LineInput],
    customer_name: str = "",
    customer_phone: str = "",
    address: str = "",
    delivery_note: str = "",
    shipping_fee: int = 0,
    discount: int = 0,
    payment_method: str = "",
    is_credit: bool = False,
    note: str = "",
    external_id: str | None = None,
    location: Location | None = None,
    placed_at: datetime | None = None,
    created_by: User | None = None,
) -> Order:
    """Place an order and reserve its stock, all or nothing.

    ``lines`` are ``(variant_id, quantity)`` pairs; prices come from the variants at placement
    (a third item overrides the unit price, as marketplace exports carry their own). Raises
    :class:`SoldOut` naming the first variant short of stock; nothing is kept then.
    With an ``external_id`` the call is idempotent per (shop, channel, external id): the same
    order placed again — even at the same moment — returns the existing order and has no effect.
    """
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown sales channel."), field="channel")
    if payment_method and payment_method not in PaymentMethod.values:
        raise InvalidInput(_("Unknown payment method."), field="payment_method")
    shipping_fee = _amount(shipping_fee, "shipping_fee")
    discount = _amount(discount, "discount")
    external_id = (external_id or "").strip() or None
    if external_id is not None and len(external_id) > 100:
        raise InvalidInput(_("The channel's order id is too long."), field="external_id")
    merged = _lines_merged(lines)
    customer_phone = phone_normalise(customer_phone)
    placed_at = placed_at or timezone.now()

    with tenant_context(organisation.pk), transaction.atomic():
        if (existing := _existing(channel, external_id)) is not None:
            return existing
        variants = _variants_read(organisation.pk, list(merged))
        order_lines = _order_lines(organisation, merged, variants)
        subtotal = sum(line.line_total for line in order_lines)
        if discount > subtotal + shipping_fee:
            raise InvalidInput(_("The discount is larger than the order."), field="discount")
        location_id = _location_id(organisation, location, variants)
        deltas = [
            Delta(variant_id, location_id, MovementKind.RESERVATION, reserved=quantity)
            for variant_id, (quantity, _price) in merged.items()
        ]
        try:
            # A savepoint only where a concurrent duplicate must be recovered from.
            with transaction.atomic(savepoint=external_id is not None):
                # Row locks, in the order they are taken: the balances (variant order), the
                # customer, then — last, for the shortest time — the shop's order counter.
                balances_apply(organisation=organisation, deltas=deltas, sold_out_error=True)
                customer = customer_upsert(
                    organisation=organisation,
                    name=customer_name,
                    phone=customer_phone,
                    address=address,
                )
                order = Order(
                    organisation=organisation,
                    number=_placeholder_number(),
                    channel=channel,
                    external_id=external_id,
                    customer=customer,
                    customer_name=customer_name.strip()[:120],
                    customer_phone=customer_phone,
                    address=address.strip()[:1000],
                    delivery_note=delivery_note.strip()[:255],
                    location_id=location_id,
                    payment_method=payment_method,
                    is_credit=is_credit,
                    subtotal=subtotal,
                    shipping_fee=shipping_fee,
                    discount=discount,
                    total=subtotal + shipping_fee - discount,
                    note=note.strip()[:255],
                    placed_at=placed_at,
                    created_by=created_by,
                )
                # As Order.objects.create() does, without building the tenant's queryset.
                order.save(force_insert=True)
                for line in order_lines:
                    line.order = order
                OrderLine.objects.bulk_create(order_lines)
                movements_write(
                    organisation=organisation,
                    deltas=deltas,
                    order=order,
                    created_by=created_by,
                    at=placed_at,
                )
                _number_and_revision_take(organisation, order)
        except (IntegrityError, SoldOut):
            # The same external order placed at the same moment: the other one won.
            if (existing := _existing(channel, external_id)) is not None:
                return existing
            raise
        _lines_attach(order, order_lines)
    return order


def _line_deltas(order: Order, kind: str, *, on_hand: int, reserved: int) -> list[Delta]:
    """One delta per variant of the order, scaled by the line quantity (sign from the args)."""
    quantities: dict[int, int] = {}
    for variant_id, quantity in OrderLine.objects.filter(order=order).values_list(
        "variant_id", "quantity"
    ):
        if variant_id is not None:  # a deleted variant took its stock rows with it
            quantities[variant_id] = quantities.get(variant_id, 0) + quantity
    return [
        Delta(variant_id, order.location_id, kind, on_hand=on_hand * q, reserved=reserved * q)
        for variant_id, q in quantities.items()
    ]


def _transition(
    order: Order, *, allowed: frozenset[str], to: str, stamp: str, at: datetime
) -> None:
    """Move the order to ``to`` if (and only if) it is still in an allowed status."""
    rows = Order.objects.filter(pk=order.pk, status__in=allowed).update(status=to, **{stamp: at})
    if not rows:
        status = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
        actions = {
            OrderStatus.PACKED: _("packed"),
            OrderStatus.SHIPPED: _("shipped"),
            OrderStatus.COMPLETED: _("completed"),
            OrderStatus.CANCELLED: _("cancelled"),
            OrderStatus.RETURNED: _("returned"),
        }
        raise InvalidTransition(
            number=order.number,
            status=str(OrderStatus(status).label).lower() if status else "?",
            action=str(actions.get(OrderStatus(to), to)),
        )
    order.status = to
    setattr(order, stamp, at)


def _ship(order: Order, organisation: Organisation, at: datetime, by: User | None) -> None:
    deltas = _line_deltas(order, MovementKind.SALE, on_hand=-1, reserved=-1)
    balances_apply(organisation=organisation, deltas=deltas)
    movements_write(organisation=organisation, deltas=deltas, order=order, created_by=by, at=at)


def _checked(organisation: Organisation, order: Order) -> None:
    if order.organisation_id != organisation.pk:
        raise InvalidInput(_("That order does not belong to this shop."))


def order_pack(*, organisation: Organisation, order: Order, at: datetime | None = None) -> Order:
    """Mark the order packed (placed or paid → packed); stock stays reserved."""
    _checked(organisation, order)
    with tenant_context(organisation.pk), transaction.atomic():
        _transition(
            order,
            allowed=frozenset({OrderStatus.PLACED, OrderStatus.PAID}),
            to=OrderStatus.PACKED,
            stamp="packed_at",
            at=at or timezone.now(),
        )
        order_changed(organisation.pk, order.pk)
    return order


def order_ship(
    *,
    organisation: Organisation,
    order: Order,
    at: datetime | None = None,
    created_by: User | None = None,
) -> Order:
    """Hand the order to the courier: the reserved stock leaves (on hand and reserved go down)."""
    _checked(organisation, order)
    with tenant_context(organisation.pk), transaction.atomic():
        _hand_over(order, organisation, at or timezone.now(), created_by)
        order_changed(organisation.pk, order.pk)
    return order


def _hand_over(
    order: Order, organisation: Organisation, at: datetime, created_by: User | None
) -> None:
    """Move an order not yet shipped to SHIPPED and take its reserved stock out."""
    _transition(
        order,
        allowed=frozenset({OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED}),
        to=OrderStatus.SHIPPED,
        stamp="shipped_at",
        at=at,
    )
    _ship(order, organisation, at, created_by)


def order_complete(
    *,
    organisation: Organisation,
    order: Order,
    at: datetime | None = None,
    created_by: User | None = None,
) -> Order:
    """The buyer has the goods. An order not yet shipped (a walk-in sale) is shipped now."""
    _checked(organisation, order)
    at = at or timezone.now()
    with tenant_context(organisation.pk), transaction.atomic():
        if order.status != OrderStatus.SHIPPED:
            _hand_over(order, organisation, at, created_by)
        _transition(
            order,
            allowed=frozenset({OrderStatus.SHIPPED}),
            to=OrderStatus.COMPLETED,
            stamp="completed_at",
            at=at,
        )
        order_changed(organisation.pk, order.pk)
    return order


def order_cancel(
    *,
    organisation: Organisation,
    order: Order,
    at: datetime | None = None,
    created_by: User | None = None,
) -> Order:
    """Cancel an order that has not left yet: its reserved stock is released for others."""
    _checked(organisation, order)
    at = at or timezone.now()
    with tenant_context(organisation.pk), transaction.atomic():
        _transition(
            order,
            allowed=frozenset({OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED}),
            to=OrderStatus.CANCELLED,
            stamp="cancelled_at",
            at=at,
        )
        deltas = _line_deltas(order, MovementKind.RELEASE, on_hand=0, reserved=-1)
        balances_apply(organisation=organisation, deltas=deltas)
        movements_write(
            organisation=organisation, deltas=deltas, order=order, created_by=created_by, at=at
        )
        order_changed(organisation.pk, order.pk)
    return order


def order_return(
    *,
    organisation: Organisation,
    order: Order,
    at: datetime | None = None,
    note: str = "",
    created_by: User | None = None,
) -> Order:
    """The goods came back (shipped or completed → returned): they go back on hand."""
    _checked(organisation, order)
    at = at or timezone.now()
    with tenant_context(organisation.pk), transaction.atomic():
        _transition(
            order,
            allowed=frozenset({OrderStatus.SHIPPED, OrderStatus.COMPLETED}),
            to=OrderStatus.RETURNED,
            stamp="returned_at",
            at=at,
        )
        deltas = _line_deltas(order, MovementKind.RETURN, on_hand=1, reserved=0)
        balances_apply(organisation=organisation, deltas=deltas)
        movements_write(
            organisation=organisation,
            deltas=deltas,
            order=order,
            created_by=created_by,
            at=at,
            note=note,
        )
        order_changed(organisation.pk, order.pk)
    return order


def payment_record(
    *,
    organisation: Organisation,
    order: Order,
    method: str,
    amount: int,
    paid_at: datetime | None = None,
    reference: str = "",
    created_by: User | None = None,
) -> Payment:
    """Record money received for an order (in full or in part).

    Never more than the balance due; a placed order paid in full becomes paid. Orders shipped
    or completed unpaid stay in their status and are owed (kasbon) until paid.
    """
    _checked(organisation, order)
    if method not in PaymentMethod.values:
        raise InvalidInput(_("Unknown payment method."), field="method")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput(
            _("The amount must be a whole number of rupiah above zero."), field="amount"
        )
    paid_at = paid_at or timezone.now()
    with tenant_context(organisation.pk), transaction.atomic():
        rows = (
            Order.objects.filter(pk=order.pk, amount_paid__lte=F("total") - amount)
            .exclude(status__in=CLOSED_STATUSES)
            .update(amount_paid=F("amount_paid") + amount)
        )
        if not rows:
            current = Order.objects.get(pk=order.pk)
            if current.status in CLOSED_STATUSES:
                raise InvalidInput(
                    _("Order %(number)s is %(status)s: no payment can be recorded.")
                    % {
                        "number": current.number,
                        "status": str(OrderStatus(current.status).label).lower(),
                    }
                )
            raise InvalidInput(
                _("Only %(due)s is still due on order %(number)s.")
                % {"due": format_rupiah(current.balance_due), "number": current.number},
                field="amount",
            )
        payment = Payment.objects.create(
            organisation=organisation,
            order=order,
            method=method,
            amount=amount,
            paid_at=paid_at,
            reference=reference.strip()[:100],
            created_by=created_by,
        )
        Order.objects.filter(
            pk=order.pk, status=OrderStatus.PLACED, amount_paid__gte=F("total")
        ).update(status=OrderStatus.PAID, paid_at=paid_at)
        Order.objects.filter(pk=order.pk, payment_method="").update(payment_method=method)
        order_changed(organisation.pk, order.pk)
        order.refresh_from_db()
    return payment


def order_credit_set(*, organisation: Organisation, order: Order, is_credit: bool) -> Order:
    """Mark an order as taken on credit (kasbon) or not."""
    _checked(organisation, order)
    with tenant_context(organisation.pk), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(is_credit=is_credit)
        order_changed(organisation.pk, order.pk)
    order.is_credit = is_credit
    return order


def order_movements(*, organisation: Organisation, order: Order) -> list[StockMovement]:
    """The ledger rows an order caused, oldest first."""
    with tenant_context(organisation.pk):
        return list(StockMovement.objects.filter(order=order).order_by("created_at", "pk"))
