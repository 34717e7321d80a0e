"""Customers' names and phone numbers for the RFM rows a page shows or an export holds.

Names and phones are encrypted at rest (docs/adr/0008): the engine, its cache and its copies on
disk know buyers only by customer id or by their latest order. The rows shown are named here,
read through commerce (which decrypts them) inside the shop's tenant context.
"""

from __future__ import annotations

from typing import Any

from sinergi.commerce.api import Customer, Order

# How many members of each segment the customers page lists (the export holds every one).
MEMBERS_SHOWN = 50


def members_named(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``members`` (rows of ``engine.customers.rfm``) each with ``name`` and ``phone``: the
    customer record's, or else those on the buyer's latest order. Two queries."""
    customer_ids = {m["customer_id"] for m in members if m.get("customer_id") is not None}
    order_ids = {m["last_order_id"] for m in members if m.get("customer_id") is None}
    by_customer = {
        pk: (name, phone)
        for pk, name, phone in Customer.objects.filter(pk__in=customer_ids).values_list(
            "pk", "name", "phone"
        )
    }
    by_order = {
        pk: (name, phone)
        for pk, name, phone in Order.objects.filter(pk__in=order_ids).values_list(
            "pk", "customer_name", "customer_phone"
        )
    }
    named = []
    for member in members:
        if member.get("customer_id") is not None:
            name, phone = by_customer.get(member["customer_id"], ("", ""))
        else:
            name, phone = by_order.get(member.get("last_order_id"), ("", ""))
        named.append({**member, "name": name, "phone": phone})
    return named
