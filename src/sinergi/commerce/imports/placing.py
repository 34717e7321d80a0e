"""One marketplace order into the shop: placed through the domain's ``order_place`` with the
marketplace order number as ``external_id``, then moved to the status the marketplace reports.

The whole of it is one transaction: an order is created with its payment and its status, or
not at all. Re-importing finds the order by (channel, external id) and only moves it forward
if the marketplace's status has moved on (the same file again changes nothing).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation, User
from sinergi.commerce.imports.marketplace import (
    CANCELLED,
    COMPLETED,
    PAID,
    PLACED,
    RETURNED,
    SHIPPED,
    MarketplaceOrder,
)
from sinergi.commerce.models import Order, PaymentMethod
from sinergi.commerce.services import orders as order_services
from sinergi.commerce.services.errors import CommerceError
from sinergi.core.tenancy import tenant_context

_RANK = {PLACED: 0, PAID: 1, "packed": 2, SHIPPED: 3, COMPLETED: 4}
# The marketplace collects the money and pays the shop out to its bank account.
MARKETPLACE_PAYMENT = PaymentMethod.BANK_TRANSFER


def marketplace_order_import(
    *,
    organisation: Organisation,
    channel: str,
    order: MarketplaceOrder,
    created_by: User | None,
    job_id: int,
) -> tuple[str, dict[str, Any] | None]:
    """Create (or find) the order; returns ("created" | "existing" | "skipped", error or None).

    The order's note names the import that created it, which also tells a concurrent import
    of the same file (whose ``order_place`` returned the other's order) that it only found it.
    """
    note = _("Imported from %(channel)s (import #%(job)s)") % {"channel": channel, "job": job_id}
    lines = [(line.variant_id, line.quantity, line.unit_price) for line in order.lines]
    subtotal = order.subtotal
    discount = 0
    if order.total is not None and order.total < subtotal + order.shipping_fee:
        discount = subtotal + order.shipping_fee - order.total
    try:
        with tenant_context(organisation.pk), transaction.atomic():
            placed = order_services.order_place(
                organisation=organisation,
                channel=channel,
                lines=[line for line in lines if line[0] is not None],  # type: ignore[misc]
                customer_name=order.customer_name,
                customer_phone=order.customer_phone,
                address=order.address,
                shipping_fee=order.shipping_fee,
                discount=discount,
                external_id=order.external_id,
                placed_at=order.placed_at,
                note=note,
                created_by=created_by,
            )
            _advance(organisation, placed, order, created_by)
    except CommerceError as error:
        return "skipped", {"row": order.rows[0] if order.rows else None, "message": str(error)}
    return ("created" if placed.note == note else "existing"), None


def _advance(
    organisation: Organisation, placed: Order, order: MarketplaceOrder, by: User | None
) -> None:
    """Move the order forward to the marketplace's status; never backwards."""
    target = order.status
    placed.refresh_from_db()
    current = placed.status
    if current in {CANCELLED, RETURNED} or current == target:
        return
    at = order.placed_at
    if target == CANCELLED:
        if _RANK.get(current, 99) <= _RANK["packed"]:
            order_services.order_cancel(organisation=organisation, order=placed, at=at)
        return
    goal = COMPLETED if target == RETURNED else target
    if _RANK.get(goal, 0) >= _RANK[PAID] and placed.amount_paid < placed.total:
        order_services.payment_record(
            organisation=organisation,
            order=placed,
            method=MARKETPLACE_PAYMENT,
            amount=placed.total - placed.amount_paid,
            paid_at=at,
            reference=f"{order.external_id}"[:100],
            created_by=by,
        )
        placed.refresh_from_db()
    if _RANK.get(goal, 0) >= _RANK[SHIPPED] and _RANK.get(placed.status, 99) < _RANK[SHIPPED]:
        order_services.order_ship(organisation=organisation, order=placed, at=at, created_by=by)
    if goal == COMPLETED and placed.status != COMPLETED:
        order_services.order_complete(organisation=organisation, order=placed, at=at, created_by=by)
    if target == RETURNED:
        order_services.order_return(organisation=organisation, order=placed, at=at, created_by=by)
