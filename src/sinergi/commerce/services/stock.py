"""Writes to the stock ledger.

Every change of a balance is one :class:`StockMovement` row written in the same transaction as
a *conditional* UPDATE of the :class:`StockBalance` row::

    UPDATE balance SET on_hand = on_hand + :d_on_hand, reserved = reserved + :d_reserved
     WHERE variant = :v AND location = :l
       AND on_hand >= reserved + (:d_reserved - :d_on_hand)   -- never promise what is not there

The database re-checks the WHERE clause after waiting for a concurrent writer's row lock, so two
buyers of the last item cannot both succeed (PostgreSQL READ COMMITTED and SQLite alike) — the
read-then-write the oversell bugs of Odoo (#32857) and Saleor (#543) came from never happens.
When several rows change in one transaction they are updated in variant-id order, so two orders
for the same products cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation, User
from sinergi.commerce.models import (
    Location,
    MovementKind,
    Order,
    StockBalance,
    StockMovement,
    Variant,
)
from sinergi.commerce.services.errors import (
    AlreadyReversed,
    InsufficientStock,
    InvalidInput,
    SoldOut,
)
from sinergi.commerce.storefront_cache import storefront_version_bump
from sinergi.core.tenancy import tenant_context

DEFAULT_LOCATION_NAME = "Toko"

# Movements that belong to an order's life; they are undone by the order's own steps
# (cancel, return), never by a bare reversal.
_ORDER_KINDS = frozenset(
    {MovementKind.RESERVATION, MovementKind.RELEASE, MovementKind.SALE, MovementKind.RETURN}
)


@dataclass(frozen=True)
class Delta:
    """One change to apply: ``on_hand`` and ``reserved`` deltas of a variant at a location."""

    variant_id: int
    location_id: int
    kind: str
    on_hand: int = 0
    reserved: int = 0


def location_default(*, organisation: Organisation) -> Location:
    """The shop's default stock location, created ("Toko") the first time it is needed."""
    with tenant_context(organisation.pk):
        location = Location.objects.filter(is_default=True).first()
        if location is not None:
            return location
        # Two first orders at once: the partial unique index lets one insert win.
        Location.objects.bulk_create(
            [Location(organisation=organisation, name=DEFAULT_LOCATION_NAME, is_default=True)],
            ignore_conflicts=True,
        )
        return Location.objects.get(is_default=True)


def location_create(*, organisation: Organisation, name: str, is_default: bool = False) -> Location:
    """Add a stock location; making it the default takes that role from the previous one."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the location a name."), field="name")
    with tenant_context(organisation.pk), transaction.atomic():
        if Location.objects.filter(name__iexact=name).exists():
            raise InvalidInput(_("There is already a location called %s.") % name, field="name")
        if is_default:
            Location.objects.filter(is_default=True).update(is_default=False)
            storefront_version_bump(organisation.pk)  # the storefront sells from the default
        return Location.objects.create(organisation=organisation, name=name, is_default=is_default)


def _variant_label(variant_id: int) -> str:
    variant = Variant.objects.select_related("product").filter(pk=variant_id).first()
    return variant.display_name if variant else str(variant_id)


def _refusal(delta: Delta, *, sold_out: bool) -> InsufficientStock:
    balance = StockBalance.objects.filter(
        variant_id=delta.variant_id, location_id=delta.location_id
    ).first()
    available = balance.available if balance else 0
    name = _variant_label(delta.variant_id)
    if sold_out:
        return SoldOut(
            variant_id=delta.variant_id,
            variant_name=name,
            available=max(available, 0),
            requested=delta.reserved,
        )
    on_hand = balance.on_hand if balance else 0
    reserved = balance.reserved if balance else 0
    return InsufficientStock(
        variant_id=delta.variant_id,
        variant_name=name,
        available=max(available, 0),
        requested=-delta.on_hand,
        message=_(
            "Not enough %(name)s: %(on_hand)s on hand, %(reserved)s of them held for open "
            "orders, so at most %(available)s can be taken out."
        )
        % {"name": name, "on_hand": on_hand, "reserved": reserved, "available": available},
    )


def _update_balance(organisation_id: int, delta: Delta) -> bool:
    """The conditional UPDATE; False when it would break a balance rule (or no row exists).

    Written in SQL (the statement of the module docstring): it runs for every line of every
    order, and building it with the ORM cost more CPU than running it.
    """
    sql = (
        f"UPDATE {StockBalance._meta.db_table} "  # noqa: S608  (values as params)
        "SET on_hand = on_hand + %s, reserved = reserved + %s "
        "WHERE organisation_id = %s AND variant_id = %s AND location_id = %s"
    )
    params = [delta.on_hand, delta.reserved, organisation_id, delta.variant_id, delta.location_id]
    if delta.on_hand < 0:
        sql += " AND on_hand >= %s"
        params.append(-delta.on_hand)
    if delta.reserved < 0:
        sql += " AND reserved >= %s"
        params.append(-delta.reserved)
    if delta.reserved - delta.on_hand > 0:
        sql += " AND on_hand >= reserved + %s"
        params.append(delta.reserved - delta.on_hand)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.rowcount
    if rows:
        return True
    if delta.on_hand < 0 or delta.reserved - delta.on_hand > 0 or delta.reserved < 0:
        # A missing row holds nothing, so a decrease fails either way.
        return False
    StockBalance.objects.bulk_create(
        [
            StockBalance(
                organisation_id=organisation_id,
                variant_id=delta.variant_id,
                location_id=delta.location_id,
            )
        ],
        ignore_conflicts=True,
    )
    return _update_balance(organisation_id, delta)


def balances_apply(
    *, organisation: Organisation, deltas: Iterable[Delta], sold_out_error: bool = False
) -> None:
    """Apply deltas to the balances, in (variant, location) order, all or nothing.

    A refused change raises :class:`InsufficientStock` (:class:`SoldOut` when
    ``sold_out_error``); the caller's transaction (every service has one) undoes the
    changes already made. The caller writes
    the matching ledger rows (:func:`movements_write`) in the same transaction.
    """
    ordered = sorted(deltas, key=lambda d: (d.variant_id, d.location_id))
    with tenant_context(organisation.pk), transaction.atomic(savepoint=False):
        for delta in ordered:
            if (delta.on_hand or delta.reserved) and not _update_balance(organisation.pk, delta):
                raise _refusal(delta, sold_out=sold_out_error)
        # Every change of stock comes through here: the storefront's cached pages (which show
        # availability) render again.
        storefront_version_bump(organisation.pk)


def movements_write(
    *,
    organisation: Organisation,
    deltas: Iterable[Delta],
    order: Order | None = None,
    note: str = "",
    created_by: User | None = None,
    at: datetime | None = None,
    reverses: StockMovement | None = None,
) -> list[StockMovement]:
    """The ledger rows for deltas already applied by :func:`balances_apply`."""
    at = at or timezone.now()
    with tenant_context(organisation.pk):
        return StockMovement.objects.bulk_create(
            [
                StockMovement(
                    organisation=organisation,
                    variant_id=delta.variant_id,
                    location_id=delta.location_id,
                    kind=delta.kind,
                    on_hand_delta=delta.on_hand,
                    reserved_delta=delta.reserved,
                    order=order,
                    reverses=reverses,
                    note=note[:255],
                    created_by=created_by,
                    created_at=at,
                )
                for delta in sorted(deltas, key=lambda d: (d.variant_id, d.location_id))
                if delta.on_hand or delta.reserved
            ]
        )


def ledger_apply(
    *,
    organisation: Organisation,
    deltas: Iterable[Delta],
    order: Order | None = None,
    note: str = "",
    created_by: User | None = None,
    at: datetime | None = None,
    sold_out_error: bool = False,
    reverses: StockMovement | None = None,
) -> list[StockMovement]:
    """Balances and their ledger rows in one transaction: :func:`balances_apply` then
    :func:`movements_write`."""
    deltas = list(deltas)
    with transaction.atomic(savepoint=False):
        balances_apply(organisation=organisation, deltas=deltas, sold_out_error=sold_out_error)
        return movements_write(
            organisation=organisation,
            deltas=deltas,
            order=order,
            note=note,
            created_by=created_by,
            at=at,
            reverses=reverses,
        )


def _checked(organisation: Organisation, variant: Variant, location: Location | None) -> Location:
    if variant.organisation_id != organisation.pk:
        raise InvalidInput(_("That product does not belong to this shop."), field="variant")
    location = location or location_default(organisation=organisation)
    if location.organisation_id != organisation.pk:
        raise InvalidInput(_("That location does not belong to this shop."), field="location")
    return location


def _positive(quantity: int, field: str = "quantity") -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise InvalidInput(_("The quantity must be a whole number above zero."), field=field)
    return quantity


def stock_receive(
    *,
    organisation: Organisation,
    variant: Variant,
    quantity: int,
    location: Location | None = None,
    note: str = "",
    created_by: User | None = None,
) -> StockMovement:
    """Goods came in (bought, produced, delivered): on hand goes up by ``quantity``."""
    _positive(quantity)
    location = _checked(organisation, variant, location)
    with transaction.atomic():
        (movement,) = ledger_apply(
            organisation=organisation,
            deltas=[Delta(variant.pk, location.pk, MovementKind.RECEIPT, on_hand=quantity)],
            note=note,
            created_by=created_by,
        )
    return movement


def stock_adjust(
    *,
    organisation: Organisation,
    variant: Variant,
    delta: int,
    location: Location | None = None,
    note: str = "",
    created_by: User | None = None,
) -> StockMovement:
    """Correct on hand by ``delta`` (damaged, lost, found…); a note says why.

    Stock held for open orders cannot be adjusted away: cancel the order first.
    """
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise InvalidInput(_("The change must be a whole number other than zero."), field="delta")
    location = _checked(organisation, variant, location)
    with transaction.atomic():
        (movement,) = ledger_apply(
            organisation=organisation,
            deltas=[Delta(variant.pk, location.pk, MovementKind.ADJUSTMENT, on_hand=delta)],
            note=note,
            created_by=created_by,
        )
    return movement


def stock_count(
    *,
    organisation: Organisation,
    variant: Variant,
    counted: int,
    location: Location | None = None,
    note: str = "",
    created_by: User | None = None,
) -> StockMovement | None:
    """Record a stock count (opname): the ledger gets the difference to what was on hand.

    Compare-and-set: the difference is applied only if on hand did not change between reading
    and writing (a concurrent sale makes it re-read). Returns None when the count matched.
    """
    if isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
        raise InvalidInput(_("The count must be a whole number, zero or more."), field="counted")
    location = _checked(organisation, variant, location)
    with tenant_context(organisation.pk):
        for _attempt in range(20):
            with transaction.atomic():
                balance = StockBalance.objects.filter(
                    variant_id=variant.pk, location_id=location.pk
                ).first()
                on_hand = balance.on_hand if balance else 0
                reserved = balance.reserved if balance else 0
                if counted < reserved:
                    raise InsufficientStock(
                        variant_id=variant.pk,
                        variant_name=variant.display_name,
                        available=on_hand - reserved,
                        requested=reserved - counted,
                        message=_(
                            "%(reserved)s of %(name)s are held for open orders, more than the "
                            "%(counted)s counted: ship or cancel those orders first."
                        )
                        % {"reserved": reserved, "name": variant.display_name, "counted": counted},
                    )
                difference = counted - on_hand
                if difference == 0:
                    return None
                if balance is None:
                    (movement,) = ledger_apply(
                        organisation=organisation,
                        deltas=[
                            Delta(variant.pk, location.pk, MovementKind.COUNT, on_hand=difference)
                        ],
                        note=note,
                        created_by=created_by,
                    )
                    return movement
                updated = StockBalance.objects.filter(
                    pk=balance.pk, on_hand=on_hand, reserved__lte=counted
                ).update(on_hand=counted)
                if updated:
                    storefront_version_bump(organisation.pk)
                    return StockMovement.objects.create(
                        organisation=organisation,
                        variant_id=variant.pk,
                        location_id=location.pk,
                        kind=MovementKind.COUNT,
                        on_hand_delta=difference,
                        note=note[:255],
                        created_by=created_by,
                    )
    raise InvalidInput(_("Stock kept changing while counting; try again."))


def stock_transfer(
    *,
    organisation: Organisation,
    variant: Variant,
    quantity: int,
    source: Location,
    destination: Location,
    note: str = "",
    created_by: User | None = None,
) -> tuple[StockMovement, StockMovement]:
    """Move goods between two of the shop's locations: out of one, into the other, atomically."""
    _positive(quantity)
    source = _checked(organisation, variant, source)
    destination = _checked(organisation, variant, destination)
    if source.pk == destination.pk:
        raise InvalidInput(_("Choose two different locations."), field="destination")
    with transaction.atomic():
        movements = ledger_apply(
            organisation=organisation,
            deltas=[
                Delta(variant.pk, source.pk, MovementKind.TRANSFER_OUT, on_hand=-quantity),
                Delta(variant.pk, destination.pk, MovementKind.TRANSFER_IN, on_hand=quantity),
            ],
            note=note,
            created_by=created_by,
        )
    out = next(m for m in movements if m.kind == MovementKind.TRANSFER_OUT)
    into = next(m for m in movements if m.kind == MovementKind.TRANSFER_IN)
    return out, into


def movement_reverse(
    *,
    organisation: Organisation,
    movement: StockMovement,
    note: str = "",
    created_by: User | None = None,
) -> StockMovement:
    """Undo a receipt, adjustment, count or transfer leg with a new, opposite ledger row.

    The ledger is never edited. Order movements are undone by the order's own steps
    (cancel, return); a reversal cannot itself be reversed and a row is reversed once only.
    """
    if movement.organisation_id != organisation.pk:
        raise InvalidInput(_("That movement does not belong to this shop."))
    if movement.kind in _ORDER_KINDS:
        raise InvalidInput(
            _("Stock of an order changes with the order: cancel or return the order instead.")
        )
    if movement.kind == MovementKind.REVERSAL:
        raise InvalidInput(_("A reversal cannot be reversed; record a new movement instead."))
    with tenant_context(organisation.pk):
        if StockMovement.objects.filter(reverses=movement).exists():
            raise AlreadyReversed(_("This movement has already been reversed."))
        try:
            with transaction.atomic():
                (reversal,) = ledger_apply(
                    organisation=organisation,
                    deltas=[
                        Delta(
                            movement.variant_id,
                            movement.location_id,
                            MovementKind.REVERSAL,
                            on_hand=-movement.on_hand_delta,
                            reserved=-movement.reserved_delta,
                        )
                    ],
                    note=note or _("Reverses movement #%s") % movement.pk,
                    created_by=created_by,
                    reverses=movement,
                )
        except IntegrityError as error:  # the one-to-one on ``reverses``: a concurrent reversal
            raise AlreadyReversed(_("This movement has already been reversed.")) from error
    return reversal
